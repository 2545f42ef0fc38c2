"""The extractive answerer: question → candidates → features → rank → compose.

``Answerer.bound(index).answer(question, passages, q)`` reads the typed question (``question``),
the candidate answers of the passages (``candidates``; the retriever's passages plus the next
ones of a lexical search of the same documents), their features (``features``), ranks them with
the fitted model (``ranker``) and writes the answer (``compose``). ``recorder``, when set, is
called with each question's candidates and features: ``python -m eval fit`` learns from them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

import numpy as np

from answering.candidates import Candidate, CandidateReader
from answering.compose import NOT_FOUND, compose
from answering.features import Featurizer
from answering.question import Question, parse
from answering.ranker import Ranker, load
from core.text import STOPWORDS_VI, fold, words
from core.types import Answer, Chunk, Passage
from core.vn import ABBREVIATIONS, canonical_places

__all__ = ["Answerer", "NOT_FOUND"]

# The lexical search's next passages read after the retriever's: a figure stated in a "Trong đó"
# clause or a task under its agency's heading can rank below the passages that repeat the question's
# words. Fitted together with the model: see README "Answering".
DEEPER_PASSAGES = 12
_NAME_RE = re.compile(r"\b([A-ZĐ][\w]*(?:-[A-ZĐ][\w]*)*(?:\s+[A-ZĐ][\w]*(?:-[A-ZĐ][\w]*)*)*)")
_ABBR_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
                      + r")(?![\w-])")

HEADER_PASSAGES = 8  # a header cut into a few chunks, and its signature block

Recorder = Callable[[Question, list[Candidate], np.ndarray], None]


class Answerer:
    """question + passages -> Answer, over the index it is bound to."""

    def __init__(self, index=None, ranker: Ranker | None = None, recorder: Recorder | None = None) -> None:
        self.index = index
        self.ranker = ranker
        self.recorder = recorder

    def bound(self, index) -> "Answerer":
        """This answerer reading ``index`` (a copy: threads answering from different indexes never
        share one)."""
        other = copy.copy(self)
        other.index = index
        return other

    def _chunks_of(self, doc_id: str) -> list[Chunk]:
        memo = getattr(self.index, "memo", None)
        by_doc = memo.get("chunks_by_doc") if memo is not None else None
        if by_doc is None:
            by_doc = {}
            if hasattr(self.index, "doc_ids") and hasattr(self.index, "doc") and len(self.index.doc_ids) > 1:
                by_doc = {}  # a library index: each document's chunks on demand
            else:
                for c in getattr(self.index, "chunks", []):
                    by_doc.setdefault(c.doc_id, []).append(c)
            if memo is not None:
                memo["chunks_by_doc"] = by_doc
        if doc_id not in by_doc and hasattr(self.index, "doc"):
            by_doc[doc_id] = list(self.index.doc(doc_id).chunks)
        return by_doc.get(doc_id, [])

    def _deeper(self, q: Question, passages: list[Passage]) -> list[Passage]:
        """The retriever's passages, the next ones of a lexical search of the same documents, and
        each document's header and signature block (they answer what is asked of the document itself)."""
        if self.index is None or not passages:
            return passages
        docs = list(dict.fromkeys(p.chunk.doc_id for p in passages))
        seen = {p.chunk.id for p in passages}
        more = [Passage(c, 0.0) for c, _ in self.index.search(q.search, DEEPER_PASSAGES + len(passages))
                if c.id not in seen and c.doc_id in docs][:DEEPER_PASSAGES]
        seen |= {p.chunk.id for p in more}
        own = [Passage(c, 0.0) for d in docs[:1] for c in self._chunks_of(d)
               if c.kind in ("title", "signature") and c.id not in seen][:HEADER_PASSAGES]
        return passages + more + own

    def read(self, q: Question, passages: list[Passage]) -> tuple[list[Candidate], np.ndarray]:
        """The candidates of the passages and their feature matrix."""
        passages = self._deeper(q, passages)
        cands = CandidateReader(self._chunks_of).read(q, passages)
        X = Featurizer(self.index, self.unknown_names(q.text)).matrix(q, cands)
        return cands, X

    def answer(self, question: str, passages: list[Passage], q=None) -> Answer:
        """``q``: the question already parsed (a ``Question``), or anything with ``current`` (this turn)
        and ``text`` (with a follow-up's topic)."""
        if not isinstance(q, Question):
            q = parse(getattr(q, "current", None) or question, getattr(q, "text", None) or question)
        cands, X = self.read(q, passages)
        if self.recorder is not None:
            self.recorder(q, cands, X)
        ranker = self.ranker or load()
        return compose(q, question, cands, ranker.scores(X, q.main), ranker.null_score(q.main))

    # -- names the documents never mention ------------------------------------------------

    def unknown_names(self, question: str) -> int:
        """How many proper names or acronyms of the question the bound documents never mention."""
        if self.index is None:
            return 0
        question = canonical_places(question)  # "TP.HCM" is the "Thành phố Hồ Chí Minh" of the text
        n = 0
        for m in _NAME_RE.finditer(question):
            before = question[:m.start()].rstrip()
            sentence_start = not before or before[-1] in ".?!:"
            name = m.group(1)
            if sentence_start and " " not in name and not name.isupper():
                continue  # an ordinary capitalised first word
            if sentence_start and name.split()[0].lower() in STOPWORDS_VI:
                name = name.split(" ", 1)[1] if " " in name else ""
            rest = name.split(" ", 1)[1] if sentence_start and " " in name else ""
            if name and not self._known_name(name) and not (" " in rest and self._known_name(rest)):
                n += 1
        return n

    def unknown_name(self, question: str) -> bool:
        return self.unknown_names(question) > 0

    def _known_name(self, name: str) -> bool:
        ws = words(_ABBR_RE.sub(" ", fold(name)))
        grams = [f"{a}_{b}" for a, b in zip(ws, ws[1:])] if len(ws) > 1 else ws
        return all(self.index.known(g) for g in grams)
