"""Evaluating any folder of documents: its own index, and the gold items of its documents.

``python -m eval run --data DIR`` indexes exactly the supported files of DIR with the normal
ingest pipeline into ``storage-eval/<key>``. The key hashes DIR's absolute path, the files'
names and sha256s, the settings that shape the index (embedding model, chunk budget) and the
ingest code itself (``ingest/``, ``core/``): chunk ids hash only a chunk's text and offsets,
so an index built by older ingest code could keep stale metadata (sections, kinds) for the same
text. Re-running with nothing changed reuses the index; a change builds a new one. The
KEEP_INDEXES most recently used indexes of a DIR are kept (another checkout's run may be using
one), older ones are removed.

Gold items name their document (``"doc": "<file name>"``); an item without one belongs to the
bundled resolution. Each item is asked scoped to its document (or to ``item["docs"]``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
from pathlib import Path

from settings import Settings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL_STORAGE = ROOT / "storage-eval"
BUNDLED_GOLD = HERE / "gold.jsonl"
DEV_GOLD_DIR = HERE / "gold_dev"
BUNDLED_DOC = "nghi-quyet-tinh-uy-ha-tinh-2025.txt"  # the document of gold items without "doc"
CODE_DIRS = ("ingest", "core")  # code whose changes make an old index stale
KEY_CHARS = 12
KEEP_INDEXES = 3  # per DIR, most recently used first


def default_gold_files() -> list[Path]:
    """Every dev gold file plus the bundled gold set."""
    return sorted(DEV_GOLD_DIR.glob("*.jsonl")) + [BUNDLED_GOLD]


def item_doc(item: dict) -> str:
    """The document a gold item is about."""
    return str(item.get("doc") or BUNDLED_DOC)


def item_scope(item: dict) -> list[str]:
    """The documents a gold item is asked about: ``item["docs"]``, else its own document."""
    return list(item.get("docs") or [item_doc(item)])


def data_files(data_dir: Path) -> list[Path]:
    """The files of DIR that ingest would read (supported suffixes)."""
    from ingest.pipeline import expand_paths

    return expand_paths([data_dir])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code_fingerprint() -> str:
    h = hashlib.sha256()
    for folder in CODE_DIRS:
        for f in sorted((ROOT / folder).rglob("*.py")):
            h.update(f.relative_to(ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def index_dir_for(data_dir: Path, files: list[Path], settings: Settings) -> Path:
    """``storage-eval/<hash of DIR's path>-<hash of files, settings and ingest code>``."""
    data_dir = data_dir.resolve()
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.resolve().relative_to(data_dir).as_posix()}\0{_sha256(f)}\n".encode())
    h.update(f"{settings.embeddings}\0{settings.chunk_tokens}\0{_code_fingerprint()}".encode())
    where = hashlib.sha256(str(data_dir).encode()).hexdigest()[:8]
    return EVAL_STORAGE / f"{where}-{h.hexdigest()[:KEY_CHARS]}"


def eval_settings(data_dir: Path, **overrides) -> Settings:
    """Normal settings, with the index in DIR's own embedded store (never a configured server)."""
    base = Settings.from_env(**overrides)
    files = data_files(data_dir)
    index_dir = index_dir_for(data_dir, files, base)
    return dataclasses.replace(base, index_dir=index_dir, data_dir=data_dir, chroma_host=None)


def build_index(assistant, data_dir: Path) -> list[str]:
    """Fill the assistant's (DIR-specific) index with exactly DIR's files; returns their doc ids.
    Idempotent: an index already built is only checked. Old indexes of the same DIR are removed."""
    from ingest.pipeline import ingest_paths

    index_dir = assistant.settings.index_dir
    os.utime(index_dir)  # marks it used
    same_dir = [p for p in EVAL_STORAGE.glob(index_dir.name.split("-")[0] + "-*") if p.is_dir()]
    for old in sorted(same_dir, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_INDEXES:]:
        if old != index_dir:
            shutil.rmtree(old, ignore_errors=True)
    report = ingest_paths([data_dir], assistant.store, assistant.settings)
    for name, err in report.failed:
        log.warning("could not ingest %s: %s", name, err)
    names = {f.name for f in data_files(data_dir)}
    for doc in assistant.store.documents():
        if doc["doc_id"] not in names:  # exactly DIR's files
            assistant.store.delete_document(doc["doc_id"])
    built = "built" if report.chunks_written else "reused"
    failed = f", failed: {', '.join(n for n, _ in report.failed)}" if report.failed else ""
    print(f"index {index_dir.relative_to(ROOT) if index_dir.is_relative_to(ROOT) else index_dir} ({built}): "
          f"{len(names) - len(report.failed)} documents, {assistant.store.count()} chunks{failed}")
    return sorted(names)
