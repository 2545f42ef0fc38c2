"""The library's derived indexes, built document by document and kept on disk beside the index.

Chroma is the source of truth. What BM25, the diacritics restorer, the targets table and the
scoper need of a document (its chunks, their BM25 tokens, how it spells its words, its targets,
its header metadata) is derived once per version of that document (``DocData``) and cached on
disk (``<NQ_CACHE_DIR>/…/docs/``, by default beside the embedded index): a document added, replaced or removed is the only one
read from Chroma and derived again.

The library's index (``LibraryIndex``) is assembled from its documents' data and kept under the
library's fingerprint (``…/lib-<fingerprint>/``): a process that starts on an unchanged library
loads it (the BM25 matrix memory-mapped) instead of rebuilding it, and after a write, whichever
process first needs the new state builds it, under a file lock, for every process sharing the
folder (the workers of ``serve --workers``, the CLI). What is summed over documents is updated by
the changed documents only: the restorer's spelling counts, the targets table (one table per
document), the header metadata. bm25s has no incremental update (its IDF and average length are
the library's), so its matrix is assembled again from the documents' cached token arrays: no
Chroma scan, no tokenising (~2.6 s for 140,000 chunks here).

Nothing per question reads the whole library: BM25 hits are chunk positions mapped to ids, a
document's data is loaded on demand (the last DOCS_IN_MEMORY stay loaded), the targets table
and the scoper are per-document lookups.

Everything here can be rebuilt from Chroma: ``python app.py ingest --rebuild-derived`` deletes
the folder, and a cache file that cannot be read is derived again (one warning in the log). The
folder's name carries a signature of the code that derives it (``CODE_SIGNATURE``), so a new
version of the tokeniser or of the targets parser never reads an old cache.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import logging
import os
import pickle
import re
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.sources import source_signature
from core.text import fold, tokens
from core.types import Chunk, DocumentInfo
from ingest.chunker import index_text
from ingest.targets import TargetTable
from retrieval.accents import AccentRestorer, Spellings
from retrieval.bm25 import BM25Index, Lexical, TokenArrays

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what is cached changes shape
# The modules whose code (or data: core/vn_knowledge.json) shapes what is derived: a change to any of
# them is a new cache folder.
_SOURCES = ("core/text.py", "core/vn.py", "core/vn_knowledge.json", "core/types.py", "ingest/chunker.py",
            "ingest/targets.py", "retrieval/accents.py", "retrieval/bm25.py", "retrieval/derived.py")
DOCS_IN_MEMORY = 64  # documents' data kept loaded: a question reads at most 3 documents' (answering.library)
KEEP_LIBRARIES = 2  # library states kept on disk: the current one and the one before (another process may still read it)
# More documents than this share to derive at once (a first start, a new code signature): one scan of
# the collection instead of one read per document (a read per document costs ~5 ms more than its share of a scan).
SCAN_SHARE = 0.2
MENTION_CANDIDATES = 200  # chunks read to check that the library's text mentions a name (see ``mentions``)
STALE_DOC_S = 3600  # a cached document no library state uses is deleted after this long
STALE_SIGNATURE_S = 86400  # the derived data of another version of the code is deleted after a day unused


def _code_signature() -> str:
    return f"{FORMAT}-{source_signature(_SOURCES)}"


CODE_SIGNATURE = _code_signature()


@dataclass
class DocData:
    """What is derived from one version of one document."""

    doc_id: str
    versions: str  # the live version(s) it was derived from, ","-joined
    chunks: list[Chunk]  # in document order
    tokens: TokenArrays  # each chunk's BM25 tokens
    table: TargetTable  # its targets, aims and results
    # how it spells its words (the restorer's counts): read only to build a library state, so it is
    # kept in a file of its own and is None in the data a question loads
    spellings: Spellings | None = None

    @property
    def info(self) -> DocumentInfo:
        return self.chunks[0].info if self.chunks else DocumentInfo()

    @classmethod
    def build(cls, doc_id: str, versions: str, chunks: list[Chunk]) -> "DocData":
        chunks = sorted(chunks, key=lambda c: c.ordinal)
        if chunks:  # one header object for the whole document (read from every chunk's metadata)
            info = chunks[0].info
            chunks = [c if c.info is info or c.info != info else dataclasses.replace(c, info=info) for c in chunks]
        texts = [index_text(c) for c in chunks]
        return cls(doc_id, versions, chunks, TokenArrays.of([tokens(t) for t in texts]),
                   TargetTable.of_document(chunks), Spellings.from_texts(texts))


def _versions_key(versions: Iterable[str]) -> str:
    return ",".join(sorted(versions))


def _load(path: Path, kind: type, what: str):
    """A cached object of ``kind``, or None when the file is missing or cannot be read (then it is
    derived again: one warning in the log)."""
    try:
        with open(path, "rb") as f:
            obj = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.warning("%s unreadable (%s); deriving it again", what, exc)
        return None
    return obj if isinstance(obj, kind) else None


def _atomic_pickle(path: Path, obj) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


class DerivedCache:
    """The folder that keeps derived data: ``docs/`` (one file per document version) and
    ``lib-<fingerprint>/`` (one folder per library state)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def for_settings(cls, settings) -> "DerivedCache":
        """``<NQ_CACHE_DIR>/<code signature>/<store>/<collection>`` (NQ_CACHE_DIR defaults to
        ``<NQ_INDEX_DIR>/derived``): a Chroma server's data is cached apart from an embedded
        index's; each app instance of a server keeps its own copy."""
        where = f"server-{settings.chroma_host}-{settings.chroma_port}" if settings.chroma_host else "embedded"
        return cls(Path(settings.derived_dir) / CODE_SIGNATURE / where / settings.collection)

    def _doc_path(self, doc_id: str, versions: str) -> Path:
        key = hashlib.sha1(doc_id.encode()).hexdigest()[:16] + "-" + hashlib.sha1(versions.encode()).hexdigest()[:12]
        return self.root / "docs" / f"{key}.pkl"

    def load_doc(self, doc_id: str, versions: str) -> DocData | None:
        data = _load(self._doc_path(doc_id, versions), DocData, f"derived data of {doc_id}")
        if data is None or data.doc_id != doc_id or data.versions != versions:
            return None
        return data

    def save_doc(self, data: DocData) -> None:
        path = self._doc_path(data.doc_id, data.versions)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if data.spellings is not None:
                _atomic_pickle(path.with_suffix(".spell"), data.spellings)
            _atomic_pickle(path, dataclasses.replace(data, spellings=None))
        except OSError as exc:  # a full disk or a read-only folder: the index works, only slower to start
            log.warning("could not cache the derived data of %s: %s", data.doc_id, exc)

    def load_spellings(self, doc_id: str, versions: str) -> Spellings | None:
        return _load(self._doc_path(doc_id, versions).with_suffix(".spell"), Spellings, f"spelling counts of {doc_id}")

    def library_dir(self, fingerprint: str) -> Path:
        return self.root / f"lib-{fingerprint}"

    def libraries(self) -> list[Path]:
        """Library states on disk, the newest first."""
        try:
            found = [p for p in self.root.glob("lib-*") if p.is_dir() and "." not in p.name]
        except OSError:
            return []
        return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One builder at a time among the processes sharing the folder (the others wait, then load
        what it built)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            f = open(self.root / ".lock", "a+")
        except OSError as exc:
            log.warning("derived data folder %s not writable (%s); building without a lock", self.root, exc)
            yield
            return
        with f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def prune(self, keep: set[str], used_docs: set[Path]) -> None:
        """Delete library states but the newest KEEP_LIBRARIES (and ``keep``), and cached documents
        no kept state uses that were last written over STALE_DOC_S ago."""
        for old in self.libraries()[KEEP_LIBRARIES:]:
            if old.name.removeprefix("lib-") not in keep:
                shutil.rmtree(old, ignore_errors=True)
        now = time.time()
        try:
            for f in (self.root / "docs").glob("*.pkl"):
                if f not in used_docs and now - f.stat().st_mtime > STALE_DOC_S:
                    f.unlink(missing_ok=True)
                    f.with_suffix(".spell").unlink(missing_ok=True)
        except OSError:
            pass

    def prune_signatures(self) -> None:
        """Mark this code signature's folder as used, and delete the folders of other signatures
        unused for STALE_SIGNATURE_S (an upgraded product never reads them again; a process of
        the old version still running keeps its own marker fresh)."""
        top = self.root.parents[2]
        try:
            marker = self.root.parents[1] / ".used"
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            now = time.time()
            for other in top.iterdir():
                if other.is_dir() and other != self.root.parents[1]:
                    used = other / ".used"
                    when = used.stat().st_mtime if used.exists() else other.stat().st_mtime
                    if now - when > STALE_SIGNATURE_S:
                        shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass

    def clear(self) -> None:
        """Everything derived for this store and collection, for every code signature
        (``ingest --rebuild-derived``)."""
        store, collection = self.root.parent.name, self.root.name
        for signature in self.root.parents[1].parent.glob("*"):
            shutil.rmtree(signature / store / collection, ignore_errors=True)


@dataclass
class _Slot:
    """Where one document stands in the library index."""

    doc_id: str
    versions: str
    start: int  # its first chunk's position in the library's order
    n: int  # its chunks
    info: DocumentInfo


@dataclass
class _State:
    """What a library state keeps on disk beside its BM25 matrix (``state.pkl``; the library's spelling
    counts, read only by the builder of the next state, are in ``counts.pkl``)."""

    fingerprint: str
    slots: list[_Slot]
    chunk_ids: list[str]
    restorer: AccentRestorer
    tables: dict[str, TargetTable]  # doc id -> its table


class _ChunkLookup:
    """``index.by_id``: a chunk by id, from the loaded documents or else one Chroma read."""

    def __init__(self, library: "LibraryIndex") -> None:
        self._library = library

    def get(self, chunk_id: str, default=None):
        chunk = self._library.chunk(chunk_id)
        return default if chunk is None else chunk

    def __getitem__(self, chunk_id: str) -> Chunk:
        chunk = self._library.chunk(chunk_id)
        if chunk is None:
            raise KeyError(chunk_id)
        return chunk

    def __contains__(self, chunk_id: str) -> bool:
        return chunk_id in self._library.positions


class LibraryIndex:
    """The library's index: the interface of ``BM25Index`` (``search``, ``idf``, ``known``,
    ``restorer``, ``doc_ids``, ``by_id``, ``chunks``, ``memo``), plus per-document lookups:
    ``doc`` (a document's data), ``subset`` (the index of some documents), ``table``, ``infos``."""

    def __init__(self, state: _State, lexical: Lexical, loader: Callable[[str, str], DocData],
                 fetch: Callable[[list[str]], dict[str, Chunk]]) -> None:
        self.fingerprint = state.fingerprint
        self._state = state
        self.lexical = lexical
        self.restorer = state.restorer
        self._slots = {s.doc_id: s for s in state.slots}
        self.doc_ids = frozenset(self._slots)
        self.infos = {s.doc_id: s.info for s in state.slots}
        self.sizes = {s.doc_id: s.n for s in state.slots}  # chunks per document
        self.chunk_ids = state.chunk_ids
        self._starts = np.asarray([s.start for s in state.slots], dtype=np.int64)
        self._order = [s.doc_id for s in state.slots]
        self._loader, self._fetch = loader, fetch
        self._loaded: OrderedDict[str, DocData] = OrderedDict()
        self._lock = threading.Lock()
        self.by_id = _ChunkLookup(self)
        self.memo: dict = {}
        self._positions: dict[str, int] | None = None
        self._table: TargetTable | None = None

    # --- documents -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def doc(self, doc_id: str) -> DocData:
        """One document's data (loaded from the cache, or derived from Chroma), the last
        DOCS_IN_MEMORY kept loaded."""
        with self._lock:
            data = self._loaded.get(doc_id)
            if data is not None:
                self._loaded.move_to_end(doc_id)
                return data
        slot = self._slots[doc_id]
        data = self._loader(doc_id, slot.versions)
        with self._lock:
            self._loaded[doc_id] = data
            self._loaded.move_to_end(doc_id)
            while len(self._loaded) > DOCS_IN_MEMORY:
                self._loaded.popitem(last=False)
        return data

    def subset(self, docs: Iterable[str]) -> BM25Index:
        """The index of these documents alone (their own IDF; the library's spelling)."""
        datas = [self.doc(d) for d in sorted(set(docs) & self.doc_ids)]
        chunks = [c for d in datas for c in d.chunks]
        return BM25Index(chunks, TokenArrays.concat([d.tokens for d in datas]), self.restorer)

    @property
    def chunks(self) -> list[Chunk]:
        """Every chunk, by document and position (every document loaded: for whole-library
        briefings and listings, never on a question's path)."""
        return [c for d in self._order for c in self.doc(d).chunks]

    @property
    def positions(self) -> dict[str, int]:
        if self._positions is None:
            self._positions = {cid: i for i, cid in enumerate(self.chunk_ids)}
        return self._positions

    def _doc_at(self, position: int) -> str:
        return self._order[int(np.searchsorted(self._starts, position, side="right")) - 1]

    def chunk(self, chunk_id: str) -> Chunk | None:
        pos = self.positions.get(chunk_id)
        if pos is None:
            return None
        doc = self._doc_at(pos)
        data = self.doc(doc)  # a lookup by id is mostly followed by others in the same document
        offset = pos - self._slots[doc].start
        return data.chunks[offset] if offset < len(data.chunks) else None

    def chunks_at(self, positions: list[int]) -> list[Chunk | None]:
        """Chunks by position: from the loaded documents, the rest in one Chroma read."""
        out: list[Chunk | None] = [None] * len(positions)
        missing: dict[str, int] = {}
        for i, pos in enumerate(positions):
            doc = self._doc_at(pos)
            data = self._loaded.get(doc)
            offset = pos - self._slots[doc].start
            if data is not None and offset < len(data.chunks):
                out[i] = data.chunks[offset]
            else:
                missing[self.chunk_ids[pos]] = i
        if missing:
            got = self._fetch(list(missing))
            for cid, i in missing.items():
                out[i] = got.get(cid)
        return out

    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]:
        """The live chunks among ``ids`` (an id of no chunk of this state is left out)."""
        known = [i for i in ids if i in self.positions]
        return {i: c for i, c in zip(known, self.chunks_at([self.positions[i] for i in known])) if c is not None}

    # --- BM25Index's interface ---------------------------------------------------------------

    def idf(self, token: str) -> float:
        return self.lexical.idf(token)

    def known(self, token: str) -> bool:
        return self.lexical.known(token)

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        hits = self.lexical.search(query, k)
        chunks = self.chunks_at([p for p, _ in hits])
        # a chunk another process removed since this state was built is skipped
        return [(c, s) for c, (_, s) in zip(chunks, hits) if c is not None]

    # --- the targets table and the names of documents --------------------------------------

    @property
    def table(self) -> TargetTable:
        """Every document's targets, aims and results, in the library's order."""
        if self._table is None:
            self._table = TargetTable.concat(self._state.tables[d] for d in self._order)
        return self._table

    def mentions(self, probe: str, needs: list[str]) -> bool:
        """Whether some document's text (folded) matches ``probe``. ``needs``: words the match must
        contain, each as one of its "|"-separated spellings. When a needed word (or a pair of
        consecutive ones) is in no document, nothing matches: a lookup. Else the chunks BM25 ranks
        best for those words (MENTION_CANDIDATES) are read, not the library; with no words needed,
        every chunk is."""
        spellings = [[w for w in need.split("|") if self.known(w)] for need in needs]
        if any(not s for s in spellings):
            return False
        if any("|" not in a and "|" not in b and not self.known(f"{a}_{b}") for a, b in zip(needs, needs[1:])):
            return False
        rx = re.compile(probe)
        if needs:
            positions = [p for p, _ in self.lexical.search(" ".join(w for s in spellings for w in s), MENTION_CANDIDATES)]
        else:
            positions = list(range(len(self)))
        return any(c is not None and rx.search(fold(c.text)) for c in self.chunks_at(positions))


# --- building and loading a library state ----------------------------------------------------

def load_state(cache: DerivedCache, fingerprint: str) -> tuple[_State, Lexical] | None:
    folder = cache.library_dir(fingerprint)
    try:
        with open(folder / "state.pkl", "rb") as f:
            state = pickle.load(f)
        lexical = Lexical.load(folder / "bm25", len(state.chunk_ids)) if state.chunk_ids else Lexical(None, 0)
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.warning("library state %s unreadable (%s); building it again", folder.name, exc)
        return None
    if not isinstance(state, _State) or state.fingerprint != fingerprint:
        return None
    return state, lexical


def load_counts(cache: DerivedCache, fingerprint: str) -> Spellings | None:
    return _load(cache.library_dir(fingerprint) / "counts.pkl", Spellings, f"spelling counts of library state {fingerprint}")


def _save_state(cache: DerivedCache, state: _State, lexical: Lexical, counts: Spellings) -> None:
    folder = cache.library_dir(state.fingerprint)
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if lexical.model is not None:
            lexical.save(tmp / "bm25")
        _atomic_pickle(tmp / "counts.pkl", counts)
        _atomic_pickle(tmp / "state.pkl", state)
        os.replace(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if not folder.exists():
            log.warning("could not keep the library state on disk (%s); it is rebuilt at the next start", exc)


@dataclass
class Builder:
    """Builds a library state from the live versions: each document's data from the cache, or
    derived from its chunks in Chroma; the sums updated from the previous state by the documents
    that changed."""

    cache: DerivedCache
    document_chunks: Callable[[str, frozenset[str]], list[Chunk]]  # one document's live chunks
    all_chunks: Callable[[], list[Chunk]]  # every live chunk (one scan)
    derived: int = 0  # documents derived from Chroma by the last build
    timings: dict = field(default_factory=dict)

    def data(self, versions: dict[str, frozenset[str]], previous: "LibraryIndex | None") -> dict[str, DocData]:
        keys = {d: _versions_key(v) for d, v in versions.items()}
        out: dict[str, DocData] = {}
        for d, key in keys.items():
            loaded = previous._loaded.get(d) if previous is not None else None
            if loaded is not None and loaded.versions == key:
                out[d] = loaded
            else:
                cached = self.cache.load_doc(d, key)
                if cached is not None:
                    out[d] = cached
        missing = [d for d in keys if d not in out]
        if missing and len(missing) > max(1, SCAN_SHARE * len(keys)):
            by_doc: dict[str, list[Chunk]] = {}
            for c in self.all_chunks():
                by_doc.setdefault(c.doc_id, []).append(c)
            fetched = {d: by_doc.get(d, []) for d in missing}
        else:
            fetched = {d: self.document_chunks(d, versions[d]) for d in missing}
        for d, chunks in fetched.items():
            data = DocData.build(d, keys[d], chunks)
            self.cache.save_doc(data)
            out[d] = data
        self.derived = len(missing)
        return out

    def build(self, fingerprint: str, versions: dict[str, frozenset[str]],
              previous: "LibraryIndex | None") -> tuple[_State, Lexical, Spellings, dict[str, DocData]]:
        t0 = time.perf_counter()
        datas = self.data(versions, previous)
        t1 = time.perf_counter()
        order = sorted(d for d in datas if datas[d].chunks)
        slots, chunk_ids, start = [], [], 0
        for d in order:
            data = datas[d]
            slots.append(_Slot(d, data.versions, start, len(data.chunks), data.info))
            chunk_ids += [c.id for c in data.chunks]
            start += len(data.chunks)
        spellings, restorer = self._spellings(datas, order, previous)
        t2 = time.perf_counter()
        lexical = Lexical.build(TokenArrays.concat([datas[d].tokens for d in order]))
        t3 = time.perf_counter()
        state = _State(fingerprint, slots, chunk_ids, restorer, {d: datas[d].table for d in order})
        self.timings = {"documents_s": t1 - t0, "spellings_s": t2 - t1, "bm25_s": t3 - t2}
        return state, lexical, spellings, datas

    def _spellings(self, datas: dict[str, DocData], order: list[str],
                   previous: "LibraryIndex | None") -> tuple[Spellings, AccentRestorer]:
        """The library's spelling counts and restorer: the previous state's, updated by the documents
        that left or changed and those that came (when there is a previous state to update and the
        change is smaller than the library), else summed anew."""
        base, counts = None, None
        candidates = ([previous.fingerprint] if previous is not None else []) + \
            [f.name.removeprefix("lib-") for f in self.cache.libraries()]
        for fp in dict.fromkeys(candidates):
            counts = load_counts(self.cache, fp)
            if counts is not None:
                base = previous._state if previous is not None and previous.fingerprint == fp else \
                    (load_state(self.cache, fp) or (None,))[0]
                if base is not None:
                    break
        if base is not None and counts is not None:
            before = {s.doc_id: s.versions for s in base.slots}
            now = {d: datas[d].versions for d in order}
            gone = [d for d, v in before.items() if now.get(d) != v]
            came = [d for d, v in now.items() if before.get(d) != v]
            if len(gone) + len(came) < len(order):
                spellings = counts  # read from disk for this build alone: updated in place
                restorer = AccentRestorer.__new__(AccentRestorer)
                restorer._uni, restorer._bi = dict(base.restorer._uni), dict(base.restorer._bi)
                uni, bi = set(), set()
                for d in gone:
                    old = self.cache.load_spellings(d, before[d])
                    if old is None:  # its counts cannot be taken out: sum anew
                        break
                    u, b = spellings.remove(old)
                    uni |= u
                    bi |= b
                else:
                    for d in came:
                        u, b = spellings.add(self._spellings_of(datas[d]))
                        uni |= u
                        bi |= b
                    restorer.update(spellings, uni, bi)
                    return spellings, restorer
        spellings = Spellings()
        for d in order:
            spellings.add(self._spellings_of(datas[d]))
        return spellings, AccentRestorer(spellings=spellings)

    def _spellings_of(self, data: DocData) -> Spellings:
        if data.spellings is not None:
            return data.spellings
        found = self.cache.load_spellings(data.doc_id, data.versions)
        if found is None:  # the counts' file is gone: count again from the document's own chunks
            found = Spellings.from_texts([index_text(c) for c in data.chunks])
        return found


def open_library(cache: DerivedCache, fingerprint: str, versions: dict[str, frozenset[str]],
                 builder: Builder, loader: Callable[[str, str], DocData],
                 fetch: Callable[[list[str]], dict[str, Chunk]],
                 previous: LibraryIndex | None = None) -> LibraryIndex:
    """The library index of this fingerprint: loaded from disk when a process built it, else built
    (under the folder's lock, so processes sharing the folder build it once) and kept."""
    loaded = load_state(cache, fingerprint)
    if loaded is None:
        with cache.lock():
            loaded = load_state(cache, fingerprint)  # another process may have built it meanwhile
            if loaded is None:
                t = time.perf_counter()
                state, lexical, counts, datas = builder.build(fingerprint, versions, previous)
                _save_state(cache, state, lexical, counts)
                keep = {fingerprint} | ({previous.fingerprint} if previous is not None else set())
                cache.prune(keep, {cache._doc_path(d.doc_id, d.versions) for d in datas.values()})
                cache.prune_signatures()
                log.info("library index built: %d documents (%d derived from the store), %d chunks in %.2f s %s",
                         len(state.slots), builder.derived, len(state.chunk_ids), time.perf_counter() - t,
                         {k: round(v, 2) for k, v in builder.timings.items()})
                library = LibraryIndex(state, lexical, loader, fetch)
                for d in list(datas)[-DOCS_IN_MEMORY:]:  # what was just read stays loaded
                    library._loaded[d] = datas[d]
                return library
    state, lexical = loaded
    return LibraryIndex(state, lexical, loader, fetch)
