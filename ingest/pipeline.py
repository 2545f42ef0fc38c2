"""Files -> clean text -> section tree -> chunks -> Chroma, idempotently and atomically.

Document identity. A document's id is its file name, unless another indexed document of that
name comes from a different source; it then gets "<parent folder>/<file name>" ("upload/<file
name>" for an upload), with a short hash of its source appended if that is taken too
(``assign_id``). The source (the resolved path, or "upload:<file name>") is kept in the
document's record and chunk metadata, so ingesting the same path again updates the same
document. An upload is identified by its name and text: uploading other text under a known name
is a new document, unless an administrator explicitly replaces one (``replace``). A file of the
same name and the same text as an indexed one is that document (a copy, or a moved folder).

Re-ingesting an unchanged file writes nothing; a changed file becomes a new version of its
document, written beside the live one and made live in one write, then the old version's
chunks are deleted (``ChunkStore.replace_document``; unchanged chunks keep their vectors).
``remove`` deletes a document. A file that cannot be read is reported and never touches the index.

Resuming at library scale. Every document's record keeps the hash of its file's bytes
(``file_sha``), of its cleaned text (``text_sha``) and how its text was cut (``cut``: the chunk
budget and a hash of the code that reads, cleans, structures and cuts). The records are read once
per batch; a file whose bytes are those of its source's record is unchanged without being parsed,
and a file whose cleaned text is its document's is unchanged without being cut. So an interrupted
``ingest DIR`` run again skips what was done (each document was made live as it was written) and
finishes the rest. When the cut signature differs (other budget, other code), documents are cut
again and compared chunk by chunk: an unchanged chunk is never embedded again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from core.sources import source_signature
from core.types import Chunk
from errors import DocumentError, IngestStopped
from ingest.chunker import build_chunks, index_text
from ingest.clean import clean_text
from ingest.job_budget import JobBudget
from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    UPLOAD_PREFIX,
    RawDocument,
    load_bytes,
    read_file,
)
from settings import Settings

log = logging.getLogger(__name__)

# (done, total, label): chunks embedded so far, chunks to embed in this batch (it shrinks when a
# changed document turns out to share chunks with its live version: those are copied), the document
# being written
Progress = Callable[[int, int, str], None]
UPLOAD_FOLDER = "upload"  # the "parent folder" of an upload in a distinct id: "upload/<file name>"
# The code whose changes may change the chunks a text gives: reading, cleaning, structure, metadata,
# cutting and chunk ids (core/: the Vietnamese knowledge they use, and its data file). Its hash is part
# of the cut signature, so after any change documents are cut again and compared chunk by chunk instead of
# being skipped on their text alone: a version number would have to be bumped by hand, and a
# forgotten bump keeps stale chunks. A false alarm costs a re-cut and compare (~950 chunks/s: 115 s for
# 109,000 chunks in bench/reingest.py), never an embedding.
CUT_CODE = ("ingest/loaders.py", "ingest/docx_text.py", "ingest/clean.py", "ingest/structure.py", "ingest/bounds.py",
            "ingest/metadata.py",
            "ingest/chunker.py", "ingest/pipeline.py", "core/text.py", "core/vn.py", "core/vn_knowledge.json",
            "core/types.py")


class ChunkStore(Protocol):
    """What ingest needs of a store (vectorstore.chroma_store.ChunkStore is one): ingest sits below
    the vector store and does not import it."""

    def document_records(self) -> dict[str, dict]: ...
    def replace_document(self, doc_id: str, version: str, chunks: list[Chunk], texts: list[str], keys: list[str],
                         text_sha: str = "", progress=None, record: dict | None = None): ...
    def update_records(self, fields: dict[str, dict]) -> None: ...


@functools.lru_cache(maxsize=1)
def _cut_code_sha() -> str:
    return source_signature(CUT_CODE)


def cut_signature(max_tokens: int) -> str:
    """How a text is cut into chunks: the chunk budget and the code that cuts (``CUT_CODE``). Kept in
    each document's record: equal text and equal signature give equal chunks, so the document is
    unchanged without being cut again."""
    return f"{max_tokens}-{_cut_code_sha()}"


def _settled(rec: dict | None) -> bool:
    """A record with a live version and no write in progress (a crashed write is swept on open)."""
    return bool(rec and rec.get("live") and not rec.get("pending"))


@dataclass
class PreparedDocument:
    doc_id: str
    chunks: list[Chunk]  # ids unique to this version
    sha: str  # the version: the text and how it was cut into chunks
    keys: list[str] = field(default_factory=list)  # content keys of the chunks, equal across versions
    text_sha: str = ""  # the cleaned text's hash
    file_sha: str = ""  # the file's bytes' hash (files from disk; "" for uploads)
    cut: str = ""  # cut_signature of the settings it was cut with


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # doc ids new to the index
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, DocumentError]] = field(default_factory=list)
    chunks_written: int = 0  # chunks of new versions written (vectors copied or computed)
    chunks_embedded: int = 0  # of which embedded anew
    chunks_deleted: int = 0  # chunks of replaced versions deleted
    # while it runs (another thread may read these): files given, and chunks this batch embeds (known
    # once the changed files are cut; it shrinks when chunks turn out to be copied)
    documents_total: int = 0
    chunks_to_embed: int = 0
    # the file being processed when the job stopped (ingest.job_budget), and why: "time"
    # (NQ_MAX_INGEST_SECONDS), "memory" (NQ_MAX_INGEST_MEMORY_MB) or "cancelled" (the administrator)
    over_budget: str = ""
    stopped: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def documents_done(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged) + len(self.failed)


def _sha(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def assign_id(name: str, source: str, text_sha: str, records: dict[str, dict]) -> str:
    """The id of a file named ``name`` read from ``source``, given the indexed documents' records
    (doc_id -> {"source", "file", "text_sha", ...}): the id of the document from the same source
    (an update), else the file name when free, else "<parent folder>/<file name>" (a hash of the
    source appended when that is taken too). A record without a source (an index built before
    sources were kept) and a record of the same name and text are the same document."""
    for doc_id, rec in records.items():
        if source and rec.get("source") == source:
            return doc_id
    if name not in records:
        return name
    if not records[name].get("source"):
        return name
    for doc_id, rec in records.items():
        if str(rec.get("file") or doc_id) == name and text_sha and rec.get("text_sha") == text_sha:
            return doc_id
    parent = UPLOAD_FOLDER if source.startswith(UPLOAD_PREFIX) else (Path(source).parent.name or UPLOAD_FOLDER)
    candidate = f"{parent}/{name}"
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()
    for n in (6, 12, 40):
        if candidate not in records:
            return candidate
        candidate = f"{parent}/{name}~{digest[:n]}"
    return candidate


def prepare(raw: RawDocument, max_tokens: int, doc_id: str | None = None, clean=None) -> PreparedDocument:
    """Chunks of ``raw`` under ``doc_id`` (default: its file name). A chunk's key is its content id
    (document, offsets, text); its stored id also names the version, so two versions of a
    document can be stored side by side while one replaces the other."""
    doc_id = doc_id or raw.doc_id
    clean = clean or clean_text(raw.text)
    text_sha = _sha(clean.text)
    chunks = build_chunks(doc_id, clean, max_tokens=max_tokens)
    keys = [c.id for c in chunks]
    version = _sha(text_sha + "\x00" + "\x00".join(keys))
    chunks = [dataclasses.replace(c, id=hashlib.sha1(f"{k}\x00{version}".encode()).hexdigest()[:20],
                                  doc_file=raw.doc_id, doc_source=raw.source) for c, k in zip(chunks, keys)]
    return PreparedDocument(doc_id, chunks, version, keys, text_sha)


def _escapes(path: Path, folder: Path) -> bool:
    """Does ``path`` (a symlink, or under one) lead out of ``folder``?"""
    try:
        path.resolve().relative_to(folder.resolve())
        return False
    except ValueError:
        return True


def expand_paths(paths: Iterable[str | Path], report: IngestReport | None = None) -> list[Path]:
    """Files named directly, plus the supported files found under named folders. A symlink whose
    target is outside the folder given (for a file named directly: its own folder) is left out and
    reported in ``report.failed``: a link must not carry another folder's file into the index."""
    out: list[Path] = []

    def refuse(f: Path) -> None:
        log.warning("skipped %s: a symlink that leads out of its folder", f)
        if report is not None:
            report.failed.append((f.name, DocumentError(
                f"{str(f)!r} is a symlink that leads out of the folder given; refused",
                f"Tệp '{f.name}' là liên kết trỏ ra ngoài thư mục; không được nạp.")))

    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES:
                    (refuse if _escapes(f, p) else out.append)(f)
        elif p.is_symlink() and _escapes(p, p.parent):
            refuse(p)
        else:
            out.append(p)
    return out


def _write(store: ChunkStore, doc: PreparedDocument, report: IngestReport, progress: Progress | None,
           state: dict, budget: JobBudget) -> None:
    """Write one document. ``state`` ({"done", "total"}) counts chunks embedded and to embed across the
    batch: this document counts all its chunks until the store says which it copies instead. Between two
    embedding batches the job's bounds are checked (``budget.check``): a cancel or the memory ceiling
    raises there, and the store abandons the version before its flip (the live one stays, the chunks
    written go)."""
    others = state["total"] - len(doc.chunks)
    copied = [0]

    def tick(written: int, embedded: int | None = None) -> None:
        embedded = written if embedded is None else embedded
        state["done"] += embedded
        copied[0] += written - embedded
        state["total"] = report.chunks_to_embed = others + len(doc.chunks) - copied[0]
        if progress:
            progress(state["done"], state["total"], doc.doc_id)
        budget.check()

    result = store.replace_document(doc.doc_id, doc.sha, doc.chunks, [index_text(c) for c in doc.chunks],
                                    doc.keys, text_sha=doc.text_sha, progress=tick,
                                    record={"cut": doc.cut, "file_sha": doc.file_sha})
    state["total"] = report.chunks_to_embed = others + result.embedded  # unchanged: nothing embedded
    {"added": report.added, "updated": report.updated, "unchanged": report.unchanged}[result.status].append(doc.doc_id)
    report.chunks_written += result.written
    report.chunks_embedded += result.embedded
    report.chunks_deleted += result.deleted
    if progress:
        progress(state["done"], state["total"], doc.doc_id)


def ingest_documents(raws: list[RawDocument], store: ChunkStore, settings: Settings,
                     progress: Progress | None = None, report: IngestReport | None = None,
                     replace: bool | str = False, records: dict[str, dict] | None = None,
                     file_shas: dict[str, str] | None = None, budget: JobBudget | None = None) -> IngestReport:
    """``replace`` (an administrator's explicit choice): True, each file replaces the indexed
    document whose id is its file name; a document id, that document. Otherwise an upload of a known
    name with other text is a new document, and the same text is the document already indexed.
    ``records``: the store's document records, when the caller has read them already (one read per
    batch); ``file_shas``: source -> hash of the file's bytes, kept in the record. A document whose
    record holds the same cleaned text and cut signature is unchanged without being cut. ``budget``: the
    job's bounds (default: NQ_MAX_INGEST_SECONDS and NQ_MAX_INGEST_MEMORY_MB); the files it leaves are failed."""
    report = report or IngestReport()
    budget = budget or JobBudget(settings.max_ingest_seconds, settings.max_ingest_memory_mb)
    records = store.document_records() if records is None else records
    file_shas = file_shas or {}
    cut = cut_signature(settings.chunk_tokens)
    report.documents_total = report.documents_total or (len(raws) + len(report.failed))
    prepared = []
    refresh: dict[str, dict] = {}  # unchanged documents whose record learns their file's current hash
    for raw in raws:
        if budget.over():
            report.failed.append((raw.doc_id, budget.refusal(raw.doc_id)))
            continue
        budget.start(raw.doc_id)
        try:
            clean = clean_text(raw.text)
            text_sha = _sha(clean.text)
            file_sha = file_shas.get(raw.source, "")
            if raw.source.startswith(UPLOAD_PREFIX) and not replace:
                # an upload is identified by its name and text: uploading other text under a known
                # name never replaces a document silently
                raw = dataclasses.replace(raw, source=f"{UPLOAD_PREFIX}{raw.doc_id}#{text_sha}")
            target = replace if isinstance(replace, str) else raw.doc_id
            if replace and target in records:
                doc_id = target
            else:
                doc_id = assign_id(raw.doc_id, raw.source, text_sha, records)
            rec = records.get(doc_id)
            if _settled(rec) and rec.get("source") and rec.get("cut") == cut and rec.get("text_sha") == text_sha:
                # the same text cut the same way gives the same chunks: nothing to cut, compare or write
                report.unchanged.append(doc_id)
                if file_sha and rec.get("file_sha") != file_sha and rec.get("source") == raw.source:
                    refresh[doc_id] = {"file_sha": file_sha}
                continue
            doc = prepare(raw, settings.chunk_tokens, doc_id, clean)
            doc.file_sha, doc.cut = file_sha, cut
            if not doc.chunks:
                raise DocumentError(f"file {raw.doc_id!r} has no text to index", f"Tệp '{raw.doc_id}' không có nội dung để lập chỉ mục.")
            if doc_id != raw.doc_id:
                log.info("%s (%s) is indexed as %s: a document of that name is indexed from elsewhere",
                         raw.doc_id, raw.source, doc_id)
            records.setdefault(doc_id, {"source": raw.source, "file": raw.doc_id, "text_sha": doc.text_sha})
            prepared.append(doc)
        except DocumentError as exc:
            report.failed.append((raw.doc_id, exc))
    if refresh:
        store.update_records(refresh)
    state = {"done": 0, "total": sum(len(d.chunks) for d in prepared)}
    report.chunks_to_embed = state["total"]
    if progress and prepared:
        progress(0, state["total"], prepared[0].doc_id)
    for doc in prepared:
        if budget.over():
            report.failed.append((doc.doc_id, budget.refusal(doc.doc_id)))
            continue
        budget.start(doc.doc_id)
        try:
            _write(store, doc, report, progress, state, budget)
        except IngestStopped as exc:  # cancelled or over the memory ceiling while it was written
            report.failed.append((doc.doc_id, exc))
    budget.start("")  # the last file is done
    report.over_budget, report.stopped = budget.culprit, budget.reason
    if budget.reason:
        log.warning("ingest stopped (%s) on %s: %d files not ingested", budget.reason, budget.culprit,
                    sum(isinstance(e, IngestStopped) for _, e in report.failed))
    return report


def _file_unchanged(path: Path, data: bytes, records: dict[str, dict], by_source: dict[str, str],
                    cut: str) -> tuple[str | None, str]:
    """(the id of the document ``path`` is, unchanged, or None; the hash of its bytes). Unchanged: the
    record of its source holds these bytes' hash and the current cut signature, and is settled."""
    file_sha = hashlib.sha256(data).hexdigest()[:32]
    doc_id = by_source.get(str(path.resolve()))
    rec = records.get(doc_id) if doc_id else None
    if _settled(rec) and rec.get("cut") == cut and rec.get("file_sha") == file_sha:
        return doc_id, file_sha
    return None, file_sha


def ingest_paths(paths: Iterable[str | Path], store: ChunkStore, settings: Settings,
                 progress: Progress | None = None, uploaded: bool = False, replace: bool | str = False,
                 report: IngestReport | None = None, cancel: threading.Event | None = None) -> IngestReport:
    """Files and folders from disk. ``uploaded``: the files are uploads saved under temporary
    names (the UI's), so their source is "upload:<file name>", not their passing path.
    ``replace``: see ``ingest_documents``. A symlink that leads out of the folder given, and a
    name with control characters, are refused. A file whose bytes are those its document was
    indexed from (and cut the same way) is unchanged without being parsed (not for uploads, which
    are identified by their text). ``report``: filled as the batch goes (another thread may show it).
    ``cancel``: set by another thread to stop the job (ingest.job_budget: checked between files, between
    embedding batches and while a .docx is read)."""
    report = report or IngestReport()
    files = expand_paths(paths, report)
    report.documents_total = len(files) + len(report.failed)
    records = store.document_records()  # one read for the whole batch
    by_source = {str(rec["source"]): doc_id for doc_id, rec in records.items() if rec.get("source")}
    cut = cut_signature(settings.chunk_tokens)
    raws, file_shas = [], {}
    budget = JobBudget(settings.max_ingest_seconds, settings.max_ingest_memory_mb, cancel)
    for path in files:
        if budget.over():
            report.failed.append((path.name, budget.refusal(path.name)))
            continue
        budget.start(path.name)
        try:
            data = read_file(path, max_bytes=settings.max_file_bytes)
            if not uploaded:
                same, file_shas[str(path.resolve())] = _file_unchanged(path, data, records, by_source, cut)
                if same:
                    report.unchanged.append(same)
                    continue
            raw = load_bytes(data, path.name, settings.max_file_bytes, source=str(path.resolve()), limits=settings,
                             checkpoint=budget.check)
            raws.append(dataclasses.replace(raw, source=UPLOAD_PREFIX + raw.doc_id) if uploaded else raw)
        except DocumentError as exc:
            log.info("skipped %s: %s", path, exc)  # reported by the caller (CLI line, UI status)
            report.failed.append((path.name, exc))
        except OSError as exc:
            err = DocumentError(f"cannot read {str(path)!r}: {exc.strerror or exc}", f"Không đọc được tệp '{path.name}'.")
            report.failed.append((path.name, err))
    return ingest_documents(raws, store, settings, progress, report, replace=replace, records=records,
                            file_shas=file_shas, budget=budget)


def ingest_upload(data: bytes, filename: str, store: ChunkStore, settings: Settings,
                  progress: Progress | None = None, replace: bool | str = False) -> IngestReport:
    report = IngestReport()
    try:
        raw = load_bytes(data, filename, max_bytes=settings.max_file_bytes, limits=settings)
    except DocumentError as exc:
        report.failed.append((filename, exc))
        return report
    return ingest_documents([raw], store, settings, progress, report, replace=replace)
