"""BM25 (bm25s) over accent-folded Vietnamese syllables and syllable bigrams.

Derived from the collection's stored chunks, never stored on its own, so the lexical and the
dense index can never disagree.

- ``TokenArrays``: the BM25 tokens of some chunks, compactly (their own vocabulary and one int32
  array): what is cached per document (``retrieval.derived``) and concatenated for a library.
- ``Lexical``: a bm25s index over token arrays, with the document frequencies it implies (the
  answerer's IDF weights and "is this word in the documents"). Its matrix is built with numpy
  (``_ArrayBM25.build_index_from_ids``, the extension point bm25s documents) in a fraction of
  bm25s's own loop, with the same scores bit for bit (tests/retrieval/test_bm25.py), and can be
  saved and memory-mapped (bm25s's own format).
- ``BM25Index``: some documents' chunks and their ``Lexical``: one document's (a question scoped to
  it is searched and answered as if nothing else were indexed), a few documents', or, in tests,
  any chunks. The library's own index is ``retrieval.derived.LibraryIndex``: the same interface,
  persisted.

An index never changes once built; ``memo`` holds what readers derive from it (the answerer's
per-index maps), so they are derived once per index, whichever thread asks first.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.text import tokens
from core.types import Chunk
from ingest.chunker import index_text
from retrieval.accents import AccentRestorer

BM25_K1, BM25_B = 1.2, 0.75  # bm25s's defaults (Lucene's)


def chunk_tokens(chunk: Chunk) -> list[str]:
    """What BM25 indexes of a chunk: the tokens of its breadcrumb and text (``index_text``)."""
    return tokens(index_text(chunk))


@dataclass
class TokenArrays:
    """The BM25 tokens of some chunks: ``vocab`` (each distinct token once), ``ids`` (every chunk's
    tokens as indexes into ``vocab``, concatenated) and ``lengths`` (tokens per chunk)."""

    vocab: list[str]
    ids: np.ndarray  # int32
    lengths: np.ndarray  # int32

    @classmethod
    def of(cls, token_lists: list[list[str]]) -> "TokenArrays":
        index: dict[str, int] = {}
        flat = [index.setdefault(t, len(index)) for doc in token_lists for t in doc]
        return cls(list(index), np.asarray(flat, dtype=np.int32),
                   np.asarray([len(doc) for doc in token_lists], dtype=np.int32))

    @classmethod
    def concat(cls, parts: list["TokenArrays"]) -> "TokenArrays":
        """One vocabulary for all the parts (in the order of first appearance, as ``of`` gives it)."""
        if len(parts) == 1:
            return parts[0]
        index: dict[str, int] = {}
        ids, lengths = [], []
        for p in parts:
            remap = np.fromiter((index.setdefault(t, len(index)) for t in p.vocab), dtype=np.int32, count=len(p.vocab))
            ids.append(remap[p.ids] if len(p.ids) else p.ids)
            lengths.append(p.lengths)
        return cls(list(index), np.concatenate(ids) if ids else np.zeros(0, np.int32),
                   np.concatenate(lengths) if lengths else np.zeros(0, np.int32))

    def select(self, rows: list[int]) -> "TokenArrays":
        """The arrays of these chunks only (by position), with the vocabulary they use."""
        starts = np.concatenate([[0], np.cumsum(self.lengths)])
        pieces = [self.ids[starts[i]:starts[i + 1]] for i in rows]
        flat = np.concatenate(pieces) if pieces else np.zeros(0, np.int32)
        used, local = np.unique(flat, return_inverse=True)
        return TokenArrays([self.vocab[i] for i in used], local.astype(np.int32),
                           self.lengths[rows] if rows else np.zeros(0, np.int32))

    def token_lists(self) -> list[list[str]]:
        out, at = [], 0
        for n in self.lengths:
            out.append([self.vocab[i] for i in self.ids[at:at + n]])
            at += n
        return out


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    return bm25s


class _ArrayBM25:
    """Builds bm25s's score matrix from token arrays with numpy, as ``BM25.build_index_from_ids``
    would from lists (Lucene IDF, Robertson TF component, float32 scores, CSC over the vocabulary)."""

    @staticmethod
    def scores(arrays: TokenArrays) -> dict:
        n_docs, n_vocab = len(arrays.lengths), len(arrays.vocab)
        lengths = arrays.lengths.astype(np.int64)
        avg = np.array(lengths, dtype=np.int64).mean() if n_docs else 1.0
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        # one sort of (token, chunk) pairs gives the term frequencies in CSC order (column by column)
        pairs, tf = np.unique(arrays.ids.astype(np.int64) * n_docs + doc_of, return_counts=True)
        toks, docs = pairs // n_docs, pairs % n_docs
        df = np.bincount(toks, minlength=n_vocab)
        # IDF per distinct document frequency, with math.log as bm25s computes it (then float32)
        values, which = np.unique(df, return_inverse=True)
        idf = np.asarray([math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) if d else 0.0 for d in values.tolist()],
                         dtype=np.float32)[which]
        denom = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths[docs] / avg) + tf.astype(np.float32)
        score = (idf[toks].astype(np.float64) * (tf.astype(np.float32) / denom)).astype(np.float32)
        indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        return {"data": score, "indices": docs.astype(np.int32), "indptr": indptr, "num_docs": n_docs}


class Lexical:
    """A bm25s index over token arrays, and the document frequencies it implies."""

    def __init__(self, model, n_docs: int) -> None:
        self.model = model
        self.n_docs = n_docs
        self._vocab = model.vocab_dict if model is not None else {}
        self._indptr = model.scores["indptr"] if model is not None else np.zeros(1, np.int64)

    @classmethod
    def build(cls, arrays: TokenArrays) -> "Lexical":
        n_docs = len(arrays.lengths)
        if not n_docs:
            return cls(None, 0)
        bm25s = _bm25s()
        model = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        model.scores = _ArrayBM25.scores(arrays)
        model.vocab_dict = {t: i for i, t in enumerate(arrays.vocab)}
        model.unique_token_ids_set = set(model.vocab_dict.values())
        model.nonoccurrence_array = None  # Lucene BM25 has none (only BM25L and BM25+ do)
        return cls(model, n_docs)

    def save(self, folder: Path) -> None:
        self.model.save(str(folder))

    @classmethod
    def load(cls, folder: Path, n_docs: int) -> "Lexical":
        model = _bm25s().BM25.load(str(folder), mmap=True)
        return cls(model, n_docs)

    def df(self, token: str) -> int:
        i = self._vocab.get(token)
        return 0 if i is None or i + 1 >= len(self._indptr) else int(self._indptr[i + 1] - self._indptr[i])

    def known(self, token: str) -> bool:
        return self.df(token) > 0

    def idf(self, token: str) -> float:
        df = self.df(token)
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(chunk position, score) of the k best chunks with a positive score."""
        q = [t for t in tokens(query) if self.known(t)]
        if not q or not self.n_docs:
            return []
        ids, scores = self.model.retrieve([q], k=min(k, self.n_docs), show_progress=False)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if s > 0]


class BM25Index:
    def __init__(self, chunks: list[Chunk], docs: list[list[str]] | TokenArrays | None = None,
                 restorer: AccentRestorer | None = None) -> None:
        """``docs`` (the chunks' tokens, as lists or arrays) and ``restorer`` are given when already
        known (a document's tokens are cached; a subset spells as its library does): tokenising
        again and learning the spelling again cost ~70 ms per document."""
        self.chunks = chunks
        self.by_id = {c.id: c for c in chunks}
        self.doc_ids = frozenset(c.doc_id for c in chunks)
        texts = [index_text(c) for c in chunks] if docs is None or restorer is None else []
        if docs is None:
            docs = [tokens(t) for t in texts]
        self.tokens = docs if isinstance(docs, TokenArrays) else TokenArrays.of(docs)
        self.restorer = restorer or AccentRestorer(texts)
        self.lexical = Lexical.build(self.tokens)
        self.memo: dict = {}  # what readers derive from this index, once (see the module's docstring)

    def subset(self, docs: frozenset[str]) -> "BM25Index":
        """The index of these documents' chunks only (their own IDF and lookups; the library's
        spelling for restoring a question's accents)."""
        keep = [i for i, c in enumerate(self.chunks) if c.doc_id in docs]
        return BM25Index([self.chunks[i] for i in keep], self.tokens.select(keep), self.restorer)

    def idf(self, token: str) -> float:
        return self.lexical.idf(token)

    def known(self, token: str) -> bool:
        return self.lexical.known(token)

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        return [(self.chunks[i], s) for i, s in self.lexical.search(query, k)]

    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]:
        """The chunks of this index among ``ids``."""
        return {i: self.by_id[i] for i in ids if i in self.by_id}
