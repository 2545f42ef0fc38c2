"""BM25 (bm25s) over accent-folded Vietnamese syllables and syllable bigrams.

Derived from the collection's stored chunks, never stored on its own, so the lexical
and the dense index can never disagree. An index of some documents only (``subset``) is how a
question scoped to those documents is searched and answered: as if nothing else were indexed.
"""

from __future__ import annotations

import math
import logging
from collections import Counter

from ingest.chunker import index_text
from retrieval.accents import AccentRestorer
from core.text import tokens
from core.types import Chunk


class BM25Index:
    def __init__(self, chunks: list[Chunk], docs: list[list[str]] | None = None,
                 restorer: AccentRestorer | None = None) -> None:
        """``docs`` (the chunks' tokens) and ``restorer`` are given by ``subset``, which reuses the
        library's: tokenising again and learning the spelling again cost ~70 ms per document."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

        self.chunks = chunks
        self.by_id = {c.id: c for c in chunks}
        self.doc_ids = frozenset(c.doc_id for c in chunks)
        texts = [index_text(c) for c in chunks] if docs is None or restorer is None else []
        self._docs = docs if docs is not None else [tokens(t) for t in texts]
        # derived from the same chunks, rebuilt with them; a subset spells as its library does
        self.restorer = restorer or AccentRestorer(texts)
        self.df: Counter[str] = Counter(t for doc in self._docs for t in set(doc))
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if chunks:
            self._bm25.index(self._docs, show_progress=False)

    def subset(self, docs: frozenset[str]) -> "BM25Index":
        """The index of these documents' chunks only (their own IDF and lookups; the library's
        spelling for restoring a question's accents)."""
        keep = [i for i, c in enumerate(self.chunks) if c.doc_id in docs]
        return BM25Index([self.chunks[i] for i in keep], [self._docs[i] for i in keep], self.restorer)

    def idf(self, token: str) -> float:
        n = len(self.chunks)
        return math.log(1 + (n - self.df.get(token, 0) + 0.5) / (self.df.get(token, 0) + 0.5))

    def known(self, token: str) -> bool:
        return token in self.df

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        q = [t for t in tokens(query) if t in self.df]
        if not q or not self.chunks:
            return []
        ids, scores = self._bm25.retrieve([q], k=min(k, len(self.chunks)), show_progress=False)
        return [(self.chunks[i], float(s)) for i, s in zip(ids[0], scores[0]) if s > 0]
