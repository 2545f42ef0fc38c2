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
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol

from errors import DocumentError
from ingest.chunker import build_chunks, index_text
from ingest.clean import clean_text
from ingest.loaders import SUPPORTED_SUFFIXES, UPLOAD_PREFIX, RawDocument, load_bytes, load_file
from core.types import Chunk
from settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, label)
UPLOAD_FOLDER = "upload"  # the "parent folder" of an upload in a distinct id: "upload/<file name>"


class ChunkStore(Protocol):
    """What ingest needs of a store (vectorstore.chroma_store.ChunkStore is one): ingest sits below
    the vector store and does not import it."""

    def document_records(self) -> dict[str, dict]: ...
    def replace_document(self, doc_id: str, version: str, chunks: list[Chunk], texts: list[str], keys: list[str],
                         text_sha: str = "", progress=None): ...


@dataclass
class PreparedDocument:
    doc_id: str
    chunks: list[Chunk]  # ids unique to this version
    sha: str  # the version: the text and how it was cut into chunks
    keys: list[str] = field(default_factory=list)  # content keys of the chunks, equal across versions
    text_sha: str = ""  # the cleaned text's hash


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # doc ids new to the index
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, DocumentError]] = field(default_factory=list)
    chunks_written: int = 0  # chunks of new versions written (vectors copied or computed)
    chunks_embedded: int = 0  # of which embedded anew
    chunks_deleted: int = 0  # chunks of replaced versions deleted

    @property
    def ok(self) -> bool:
        return not self.failed


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
           done: int, total: int) -> int:
    counter = [done]

    def tick(n: int) -> None:
        counter[0] += n
        if progress:
            progress(counter[0], total, doc.doc_id)

    result = store.replace_document(doc.doc_id, doc.sha, doc.chunks, [index_text(c) for c in doc.chunks],
                                    doc.keys, text_sha=doc.text_sha, progress=tick)
    {"added": report.added, "updated": report.updated, "unchanged": report.unchanged}[result.status].append(doc.doc_id)
    report.chunks_written += result.written
    report.chunks_embedded += result.embedded
    report.chunks_deleted += result.deleted
    return counter[0]


def ingest_documents(raws: list[RawDocument], store: ChunkStore, settings: Settings,
                     progress: Progress | None = None, report: IngestReport | None = None,
                     replace: bool | str = False) -> IngestReport:
    """``replace`` (an administrator's explicit choice): True, each file replaces the indexed
    document whose id is its file name; a document id, that document. Otherwise an upload of a known
    name with other text is a new document, and the same text is the document already indexed."""
    report = report or IngestReport()
    records = store.document_records()
    prepared = []
    for raw in raws:
        try:
            clean = clean_text(raw.text)
            text_sha = _sha(clean.text)
            if raw.source.startswith(UPLOAD_PREFIX) and not replace:
                # an upload is identified by its name and text: uploading other text under a known
                # name never replaces a document silently
                raw = dataclasses.replace(raw, source=f"{UPLOAD_PREFIX}{raw.doc_id}#{text_sha}")
            target = replace if isinstance(replace, str) else raw.doc_id
            if replace and target in records:
                doc_id = target
            else:
                doc_id = assign_id(raw.doc_id, raw.source, text_sha, records)
            doc = prepare(raw, settings.chunk_tokens, doc_id, clean)
            if not doc.chunks:
                raise DocumentError(f"file {raw.doc_id!r} has no text to index", f"Tệp '{raw.doc_id}' không có nội dung để lập chỉ mục.")
            if doc_id != raw.doc_id:
                log.info("%s (%s) is indexed as %s: a document of that name is indexed from elsewhere",
                         raw.doc_id, raw.source, doc_id)
            records.setdefault(doc_id, {"source": raw.source, "file": raw.doc_id, "text_sha": doc.text_sha})
            prepared.append(doc)
        except DocumentError as exc:
            report.failed.append((raw.doc_id, exc))
    total = sum(len(d.chunks) for d in prepared)
    done = 0
    if progress and prepared:
        progress(0, total, prepared[0].doc_id)
    for doc in prepared:
        done = _write(store, doc, report, progress, done, total)
    return report


def ingest_paths(paths: Iterable[str | Path], store: ChunkStore, settings: Settings,
                 progress: Progress | None = None, uploaded: bool = False, replace: bool | str = False) -> IngestReport:
    """Files and folders from disk. ``uploaded``: the files are uploads saved under temporary
    names (the UI's), so their source is "upload:<file name>", not their passing path.
    ``replace``: see ``ingest_documents``. A symlink that leads out of the folder given, and a
    name with control characters, are refused."""
    report = IngestReport()
    raws = []
    for path in expand_paths(paths, report):
        try:
            raw = load_file(path, max_bytes=settings.max_file_bytes, limits=settings)
            raws.append(dataclasses.replace(raw, source=UPLOAD_PREFIX + raw.doc_id) if uploaded else raw)
        except DocumentError as exc:
            log.info("skipped %s: %s", path, exc)  # reported by the caller (CLI line, UI status)
            report.failed.append((path.name, exc))
        except OSError as exc:
            err = DocumentError(f"cannot read {str(path)!r}: {exc.strerror or exc}", f"Không đọc được tệp '{path.name}'.")
            report.failed.append((path.name, err))
    return ingest_documents(raws, store, settings, progress, report, replace=replace)


def ingest_upload(data: bytes, filename: str, store: ChunkStore, settings: Settings,
                  progress: Progress | None = None, replace: bool | str = False) -> IngestReport:
    report = IngestReport()
    try:
        raw = load_bytes(data, filename, max_bytes=settings.max_file_bytes, limits=settings)
    except DocumentError as exc:
        report.failed.append((filename, exc))
        return report
    return ingest_documents([raw], store, settings, progress, report, replace=replace)
