"""Chroma, the single source of truth for chunks: text + metadata + vectors.

Embedded ``PersistentClient`` at NQ_INDEX_DIR by default; ``HttpClient`` to a Chroma server
(``chroma run``) when NQ_CHROMA_HOST is set, so app instances stay stateless. The
collection records the embedding model that built it; opening it with another model is
an IndexMismatch that says how to rebuild.
"""

from __future__ import annotations

import logging
from collections import Counter

from langchain_core.embeddings import Embeddings

from errors import IndexMismatch, StoreUnavailable
from core.types import Chunk, DocumentInfo
from settings import Settings

log = logging.getLogger(__name__)

BATCH = 64


def make_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as exc:
        where = (f"Chroma server at {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
                 else f"embedded Chroma at {settings.index_dir}")
        raise StoreUnavailable(f"cannot open the {where}: {exc}") from exc


class ChunkStore:
    """The chunk collection, through langchain-chroma's ``Chroma`` vector store."""

    def __init__(self, settings: Settings, embeddings: Embeddings, client=None, rebuild: bool = False) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.model_name = getattr(embeddings, "model_name", type(embeddings).__name__)
        self.client = client or make_client(settings)
        self.version = 0  # bumped on every write through this object
        self.vs = self._open()
        built_with = (self.collection.metadata or {}).get("embedding_model")
        if rebuild:
            self.reset()
        elif built_with and built_with != self.model_name:
            raise IndexMismatch(
                f"the index {settings.collection!r} was built with embedding model {built_with!r} "
                f"but NQ_EMBEDDINGS selects {self.model_name!r}. Rebuild it with "
                f"`python app.py ingest --rebuild {settings.data_dir}` (or use another NQ_INDEX_DIR / "
                f"NQ_COLLECTION), or set NQ_EMBEDDINGS back to the model that built it."
            )

    def _open(self):
        from langchain_chroma import Chroma

        try:
            return Chroma(
                collection_name=self.settings.collection,
                embedding_function=self.embeddings,
                client=self.client,
                collection_metadata={"embedding_model": self.model_name, "hnsw:space": "cosine"},
            )
        except Exception as exc:
            raise StoreUnavailable(f"cannot open collection {self.settings.collection!r}: {exc}") from exc

    @property
    def collection(self):
        return self.vs._collection

    def count(self) -> int:
        return self.collection.count()

    def all_chunks(self) -> list[Chunk]:
        got = self.collection.get(include=["documents", "metadatas"])
        chunks = [Chunk.from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        chunks.sort(key=lambda c: (c.doc_id, c.ordinal))
        return chunks

    def chunk_ids(self, doc_id: str) -> set[str]:
        """Ids of one document's chunks."""
        return set(self.collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def documents(self) -> list[dict]:
        """What is indexed, one row per document (sorted by id), read from its chunks' metadata:
        ``{"doc_id", "title", "number", "type", "issuer", "province", "date", "signer", "chunks"}``.
        Every chunk of a document carries the same header metadata; what the header does not
        state is "" (and so is everything in an index built before metadata was read)."""
        got = self.collection.get(include=["metadatas"])
        counts = Counter(m["doc_id"] for m in got["metadatas"])
        infos = {m["doc_id"]: DocumentInfo.from_metadata(m) for m in got["metadatas"]}
        return [{"doc_id": d, "title": infos[d].title, "number": infos[d].number, "type": infos[d].doc_type,
                 "issuer": infos[d].issuer, "province": infos[d].province, "date": infos[d].date,
                 "signer": infos[d].signer, "chunks": n}
                for d, n in sorted(counts.items())]

    def add(self, chunks: list[Chunk], texts: list[str], doc_sha: str, progress=None) -> None:
        for i in range(0, len(chunks), BATCH):
            batch = chunks[i:i + BATCH]
            metas = [{**c.to_metadata(), "doc_sha": doc_sha} for c in batch]
            vectors = self.embeddings.embed_documents(texts[i:i + BATCH])
            self.collection.add(ids=[c.id for c in batch], documents=[c.text for c in batch],
                                metadatas=metas, embeddings=vectors)
            if progress:
                progress(len(batch))
        self.version += 1

    def delete_ids(self, ids: list[str]) -> None:
        if ids:
            self.collection.delete(ids=ids)
            self.version += 1

    def delete_document(self, doc_id: str) -> int:
        ids = list(self.chunk_ids(doc_id))
        self.delete_ids(ids)
        return len(ids)

    def dense_search(self, query_vector: list[float], k: int, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Top-k chunks by cosine similarity (1 - cosine distance); ``where`` filters on chunk
        metadata first, e.g. ``{"doc_id": {"$in": ["a.txt", "b.txt"]}}``."""
        n = self.count()
        if n == 0:
            return []
        res = self.collection.query(query_embeddings=[query_vector], n_results=min(k, n), where=where,
                                    include=["documents", "metadatas", "distances"])
        return [(Chunk.from_record(i, d, m), 1.0 - float(dist))
                for i, d, m, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])]

    def reset(self) -> None:
        """Drop and recreate the collection (used by --rebuild, e.g. after changing the model)."""
        self.client.delete_collection(self.settings.collection)
        self.vs = self._open()
        self.version += 1
