"""Files -> clean text -> section tree -> chunks -> Chroma, idempotently.

Re-ingesting an unchanged file changes nothing (same content-hash ids); a changed file
replaces its old chunks (stale ids deleted, new ones added); ``remove`` deletes a
document's chunks. A file that cannot be read is reported and never touches the index.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol

from errors import DocumentError
from ingest.chunker import build_chunks, index_text
from ingest.clean import clean_text
from ingest.loaders import SUPPORTED_SUFFIXES, RawDocument, load_bytes, load_file
from core.types import Chunk
from settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, label)


class ChunkStore(Protocol):
    """What ingest needs of a store (vectorstore.chroma_store.ChunkStore is one): ingest sits below
    the vector store and does not import it."""

    def chunk_ids(self, doc_id: str) -> set[str]: ...
    def add(self, chunks: list[Chunk], texts: list[str], doc_sha: str, progress=None) -> None: ...
    def delete_ids(self, ids: list[str]) -> None: ...



@dataclass
class PreparedDocument:
    doc_id: str
    chunks: list[Chunk]
    sha: str


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # doc ids new to the index
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, DocumentError]] = field(default_factory=list)
    chunks_written: int = 0
    chunks_deleted: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def prepare(raw: RawDocument, max_tokens: int) -> PreparedDocument:
    clean = clean_text(raw.text)
    chunks = build_chunks(raw.doc_id, clean, max_tokens=max_tokens)
    sha = hashlib.sha256(clean.text.encode("utf-8")).hexdigest()[:16]
    return PreparedDocument(raw.doc_id, chunks, sha)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus the supported files found under named folders."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            out.append(p)
    return out


def _write(store: ChunkStore, doc: PreparedDocument, report: IngestReport, progress: Progress | None,
           done: int, total: int) -> int:
    existing = store.chunk_ids(doc.doc_id)
    new_ids = {c.id for c in doc.chunks}
    to_add = [c for c in doc.chunks if c.id not in existing]
    stale = [i for i in existing if i not in new_ids]
    if not to_add and not stale:
        report.unchanged.append(doc.doc_id)
        return done
    # Add before deleting: a failure half-way leaves the old version searchable.
    counter = [done]

    def tick(n: int) -> None:
        counter[0] += n
        if progress:
            progress(counter[0], total, doc.doc_id)

    store.add(to_add, [index_text(c) for c in to_add], doc.sha, progress=tick)
    store.delete_ids(stale)
    (report.updated if existing else report.added).append(doc.doc_id)
    report.chunks_written += len(to_add)
    report.chunks_deleted += len(stale)
    return counter[0]


def ingest_documents(raws: list[RawDocument], store: ChunkStore, settings: Settings,
                     progress: Progress | None = None, report: IngestReport | None = None) -> IngestReport:
    report = report or IngestReport()
    prepared = []
    for raw in raws:
        try:
            doc = prepare(raw, settings.chunk_tokens)
            if not doc.chunks:
                raise DocumentError(f"file {raw.doc_id!r} has no text to index", f"Tệp '{raw.doc_id}' không có nội dung để lập chỉ mục.")
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
                 progress: Progress | None = None) -> IngestReport:
    report = IngestReport()
    raws = []
    for path in expand_paths(paths):
        try:
            raws.append(load_file(path, max_bytes=settings.max_file_bytes))
        except DocumentError as exc:
            log.warning("skipped %s: %s", path, exc)
            report.failed.append((path.name, exc))
        except OSError as exc:
            err = DocumentError(f"cannot read {str(path)!r}: {exc.strerror or exc}", f"Không đọc được tệp '{path.name}'.")
            report.failed.append((path.name, err))
    return ingest_documents(raws, store, settings, progress, report)


def ingest_upload(data: bytes, filename: str, store: ChunkStore, settings: Settings,
                  progress: Progress | None = None) -> IngestReport:
    report = IngestReport()
    try:
        raw = load_bytes(data, filename, max_bytes=settings.max_file_bytes)
    except DocumentError as exc:
        report.failed.append((filename, exc))
        return report
    return ingest_documents([raw], store, settings, progress, report)
