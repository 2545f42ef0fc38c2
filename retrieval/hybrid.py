"""Hybrid retriever: dense (Chroma, e5) + BM25 (folded Vietnamese), fused by reciprocal rank.

A LangChain ``BaseRetriever``: ``invoke(question)`` returns Documents whose metadata carry
the chunk and its scores; ``passages(question)`` returns the same as typed Passages.
``mode`` selects "dense", "bm25" or "hybrid" (for ablations).

Document scoping is a filter, not a hint: ``invoke(question, docs=[doc ids])`` (or
``passages(..., docs=...)``) searches only those documents' chunks, densely with a Chroma
``where`` on the chunk metadata and lexically in a BM25 index of those documents alone
(``index(docs)``), which the answerer then reads too. ``scope`` validates the ids.

The lexical side is derived from the collection (``retrieval.derived``): ``library`` is the
library's index for the library's current fingerprint, loaded from disk or built once, then
shared by every thread; a document's or a few documents' index is built from their cached data on
demand and kept (the last SCOPED_INDEXES). The retriever is safe to share between threads: the
derived state is swapped whole under a lock, the caches are guarded, nothing else is mutable.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from errors import InputError
from retrieval.bm25 import BM25Index
from retrieval.derived import Builder, DerivedCache, DocData, LibraryIndex, open_library
from retrieval.query import expand_abbreviations
from core.text import has_lone_surrogate
from core.types import Chunk, Passage

MODES = ("hybrid", "dense", "bm25")
QUERY_VECTORS = 32  # recent query vectors kept (a library question searches each named document)
SCOPED_INDEXES = 64  # BM25 indexes of document subsets kept (one per distinct scope, most recent): every
# document of a library answers on its own (answering.library), so a library of ~50 documents stays cached


class HybridRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any  # vectorstore.chroma_store.ChunkStore
    mode: str = "hybrid"
    k: int = 5
    candidates: int = 30
    rrf_k: int = 20  # small: the corpus is small and the top ranks matter most
    bm25_weight: float = 2.0  # measured on the gold set: lexical evidence is the sharper signal here
    dense_weight: float = 1.0

    _library: LibraryIndex | None = PrivateAttr(default=None)
    _scoped: OrderedDict[frozenset[str], BM25Index] = PrivateAttr(default_factory=OrderedDict)
    _vectors: OrderedDict[str, list[float]] = PrivateAttr(default_factory=OrderedDict)
    _build_lock: Any = PrivateAttr(default_factory=threading.Lock)
    _cache_lock: Any = PrivateAttr(default_factory=threading.Lock)
    _cache: DerivedCache | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any) -> None:
        if self.mode not in MODES:
            raise ValueError(f"retriever mode must be one of {MODES}, got {self.mode!r}")

    @property
    def cache(self) -> DerivedCache:
        if self._cache is None:
            self._cache = DerivedCache.for_settings(self.store.settings)
        return self._cache

    @property
    def library(self) -> LibraryIndex:
        """The library's lexical index and lookups, for the library's current fingerprint (read
        from Chroma once per request): loaded from disk, or built once whichever process or
        thread needs it first."""
        live = self.store.live()
        current = self._library
        if current is not None and current.fingerprint == live.fingerprint:
            return current
        with self._build_lock:
            current = self._library
            if current is None or current.fingerprint != live.fingerprint:
                builder = Builder(self.cache, self.store.document_chunks, self.store.all_chunks)
                current = open_library(self.cache, live.fingerprint, live.versions, builder, self._load_doc,
                                       self.store.chunks_by_ids, previous=current)
                with self._cache_lock:
                    self._library = current
                    self._scoped.clear()
        return current

    def _load_doc(self, doc_id: str, versions: str) -> DocData:
        data = self.cache.load_doc(doc_id, versions)
        if data is None:
            data = DocData.build(doc_id, versions, self.store.document_chunks(doc_id, frozenset(versions.split(","))))
            self.cache.save_doc(data)
        return data

    @property
    def bm25(self):
        """The index of the whole library (``index(None)``), for readers of every chunk (briefings,
        listings): a one-document library's own index, else the library index."""
        return self.index(None)

    def scope(self, docs: Any) -> frozenset[str] | None:
        """Validated document ids to search (None: all documents). An empty list means all;
        anything but a list of strings, or an id that is not indexed, is an InputError."""
        if docs is None:
            return None
        if (not isinstance(docs, (list, tuple, set, frozenset))
                or not all(isinstance(d, str) and not has_lone_surrogate(d) for d in docs)):
            raise InputError(f"docs must be a list of document ids (strings), got {docs!r:.200}",
                             "Danh sách văn bản (docs) phải là danh sách mã văn bản.")
        wanted = frozenset(d.strip() for d in docs if d.strip())
        if not wanted:
            return None
        unknown = sorted(wanted - self.library.doc_ids)
        if unknown:
            raise InputError(f"document not found: {', '.join(unknown)}",
                             f"Không tìm thấy văn bản: {', '.join(unknown)}.")
        return wanted

    def index(self, docs: Iterable[str] | None = None) -> BM25Index | LibraryIndex:
        """The BM25 index of these documents (all documents when None): the library index for
        several documents, else an index of those documents alone, built from their cached data
        and kept (the last SCOPED_INDEXES)."""
        library = self.library
        docs = frozenset(docs) & library.doc_ids if docs is not None else library.doc_ids
        if not docs or docs == library.doc_ids:
            if len(library.doc_ids) != 1:
                return library
            docs = library.doc_ids  # one document: its own index, as any document's
        with self._cache_lock:
            sub = self._scoped.get(docs)
            if sub is not None:
                self._scoped.move_to_end(docs)
                return sub
        sub = library.subset(docs)
        with self._cache_lock:
            if self._library is library:
                self._scoped[docs] = sub
                while len(self._scoped) > SCOPED_INDEXES:
                    self._scoped.popitem(last=False)
        return sub

    def passages(self, question: str, k: int | None = None, docs: Sequence[str] | None = None) -> list[Passage]:
        """The k best passages, only from ``docs`` when given (validated by ``scope``)."""
        k = k or self.k
        scope = self.scope(docs)
        index = self.index(scope)
        where = {"doc_id": {"$in": sorted(scope)}} if scope is not None else None
        query = expand_abbreviations(question)
        fused: dict[str, Passage] = {}

        def add(rank: int, chunk: Chunk, weight: float) -> Passage:
            p = fused.get(chunk.id)
            if p is None:
                p = fused[chunk.id] = Passage(chunk=chunk, score=0.0)
            p.score += weight / (self.rrf_k + rank)
            return p

        if self.mode in ("hybrid", "dense"):
            # e5 reads accent-less Vietnamese poorly: embed the question as the documents spell it.
            vector = self._embed(index.restorer.restore(query))
            hits = self.store.dense_ids(vector, self.candidates, where=where)
            # the chunks from the derived index: exactly the live ones of the state this question reads
            chunks = index.chunks_by_id([i for i, _ in hits])
            live = [(chunks[i], sim) for i, sim in hits if i in chunks]
            for rank, (chunk, sim) in enumerate(live, 1):
                p = add(rank, chunk, self.dense_weight)
                p.dense_rank, p.dense_score = rank, sim
        if self.mode in ("hybrid", "bm25"):
            for rank, (chunk, _score) in enumerate(index.search(query, self.candidates), 1):
                add(rank, chunk, self.bm25_weight).bm25_rank = rank
        ranked = sorted(fused.values(), key=lambda p: -p.score)
        return ranked[:k]

    def _embed(self, text: str) -> list[float]:
        """The query's vector; the same question searched again (in another document's scope, by
        the library answerer) is not embedded again."""
        with self._cache_lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
                return vector
        vector = self.store.embeddings.embed_query(text)
        with self._cache_lock:
            self._vectors[text] = vector
            while len(self._vectors) > QUERY_VECTORS:
                self._vectors.popitem(last=False)
        return vector

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                docs: Sequence[str] | None = None) -> list[Document]:
        return [to_document(p) for p in self.passages(query, docs=docs)]


def to_document(p: Passage) -> Document:
    return Document(id=p.chunk.id, page_content=p.chunk.text,
                    metadata={**p.chunk.to_metadata(), "score": p.score, "passage": p})


def from_document(doc: Document) -> Passage:
    p = doc.metadata.get("passage")
    if isinstance(p, Passage):
        return p
    return Passage(chunk=Chunk.from_record(doc.id or "", doc.page_content, doc.metadata),
                   score=float(doc.metadata.get("score", 0.0)))
