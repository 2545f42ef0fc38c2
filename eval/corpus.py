"""Evaluating any folder of documents: its own index, and the gold items of its documents.

``python -m eval run --data DIR`` indexes exactly the supported files of DIR with the normal
ingest pipeline into ``storage-eval/<key>``. The key hashes DIR's absolute path, the files'
names and sha256s and the settings that shape the index (embedding model, chunk budget).
Re-running with nothing changed reuses the index. A change to the code that cuts documents is
ingest's own business: each document's record keeps the cut signature it was cut with
(``ingest.pipeline.cut_signature``), so a document cut by older code is cut again, with fresh
metadata, and only the chunks whose text changed are embedded again. The KEEP_INDEXES most
recently used indexes of a DIR are kept (another checkout's run may be using one), older ones
are removed.

Gold items name their document (``"doc": "<file name>"``); an item without one belongs to the
bundled resolution. Each item is asked scoped to its document (or to ``item["docs"]``).

``python -m eval run --library [--data DIR]`` builds ONE index of DIR's files plus the project's
``data/`` (the bundled resolution), as an official's library would hold them, in its own
``storage-eval/<key>`` (the key also hashes ``data/``'s files), and asks each item unscoped.
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
LIBRARY_GOLD = HERE / "gold_library.jsonl"
LIBRARY_DOCS = HERE / "first_round_documents.txt"  # the documents LIBRARY_GOLD's library holds besides data/
BUNDLED_DATA = ROOT / "data"  # the project's own corpus, part of every library index
DEV_GOLD_DIR = HERE / "gold_dev"
BUNDLED_DOC = "nghi-quyet-tinh-uy-ha-tinh-2025.txt"  # the document of gold items without "doc"
KEY_CHARS = 12
KEEP_INDEXES = 3  # per DIR, most recently used first
# A folder's own description of its documents (the dev corpus has SOURCES.md: every document's
# title, number, issuer and date in one table), not a document of the library: left out of a
# library index, where it would otherwise answer "which document / which date" questions first.
NOT_DOCUMENTS = frozenset({"SOURCES.md", "README.md"})


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


def library_dirs(data_dir: Path | None) -> list[Path]:
    """The folders of a library index: DIR (if any) and the project's data/, each once."""
    dirs = [data_dir] if data_dir is not None else []
    if not any(d.resolve() == BUNDLED_DATA.resolve() for d in dirs):
        dirs.append(BUNDLED_DATA)
    return dirs


def library_files(dirs: list[Path], only: frozenset[str] | None = None) -> list[Path]:
    """The documents of a library: the supported files of its folders but their NOT_DOCUMENTS;
    ``only``: of DIR (the first folder), just these file names (data/ is always whole)."""
    return [f for i, d in enumerate(dirs) for f in data_files(d)
            if f.name not in NOT_DOCUMENTS and (only is None or i == len(dirs) - 1 or f.name in only)]


def library_gold_documents() -> frozenset[str] | None:
    """The dev documents the library gold was written for (LIBRARY_DOCS, one file name a line): its
    library is those and data/, whatever else DIR holds. None when the file is absent (all of DIR)."""
    if not LIBRARY_DOCS.exists():
        return None
    return frozenset(line.strip() for line in LIBRARY_DOCS.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def index_dir_for(data_dir: Path | list[Path], files: list[Path], settings: Settings) -> Path:
    """``storage-eval/<hash of the folders' paths>-<hash of files, settings and ingest code>``.
    ``data_dir`` may be several folders (a library: DIR and data/); each file is keyed by its path
    inside the folder that holds it, and the folders' paths make the prefix, so a library index
    and DIR's per-document index never share a prefix (nor evict each other)."""
    dirs = [d.resolve() for d in (data_dir if isinstance(data_dir, list) else [data_dir])]
    h = hashlib.sha256()
    for f in files:
        f = f.resolve()
        i, root = next((i, d) for i, d in enumerate(dirs) if f.is_relative_to(d))
        tag = f"{i}\0" if len(dirs) > 1 else ""  # one folder: the key it always had
        h.update(f"{tag}{f.relative_to(root).as_posix()}\0{_sha256(f)}\n".encode())
    h.update(f"{settings.embeddings}\0{settings.chunk_tokens}".encode())
    where = hashlib.sha256("\0".join(map(str, dirs)).encode()).hexdigest()[:8]
    return EVAL_STORAGE / f"{where}-{h.hexdigest()[:KEY_CHARS]}"


def eval_settings(data_dir: Path | None, library: bool = False, only: frozenset[str] | None = None,
                  **overrides) -> Settings:
    """Normal settings, with the index in DIR's own embedded store (never a configured server).
    ``library``: the index of DIR's files (``only`` those, when given) plus data/ (``library_dirs``)."""
    base = Settings.from_env(**overrides)
    dirs = library_dirs(data_dir) if library else [data_dir]
    files = library_files(dirs, only) if library else data_files(data_dir)
    index_dir = index_dir_for(dirs if library else data_dir, files, base)
    return dataclasses.replace(base, index_dir=index_dir, data_dir=dirs[0], chroma_host=None)


def build_index(assistant, data_dir: Path | list[Path], only: frozenset[str] | None = None) -> list[str]:
    """Fill the assistant's (DIR-specific) index with exactly DIR's files (or, given a list of
    folders, a library: ``library_files``); returns their doc ids. Idempotent: an index already
    built is only checked. Old indexes of the same DIR (or folders) are removed."""
    from ingest.pipeline import ingest_paths

    library = isinstance(data_dir, list)
    files = library_files(data_dir, only) if library else data_files(data_dir)
    index_dir = assistant.settings.index_dir
    os.utime(index_dir)  # marks it used
    same_dir = [p for p in EVAL_STORAGE.glob(index_dir.name.split("-")[0] + "-*") if p.is_dir()]
    for old in sorted(same_dir, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_INDEXES:]:
        if old != index_dir:
            shutil.rmtree(old, ignore_errors=True)
    report = ingest_paths(files if library else [data_dir], assistant.store, assistant.settings)
    for name, err in report.failed:
        log.warning("could not ingest %s: %s", name, err)
    names = {f.name for f in files}
    for doc in assistant.store.documents():
        if doc["doc_id"] not in names:  # exactly DIR's files
            assistant.store.delete_document(doc["doc_id"])
    built = "built" if report.chunks_written else "reused"
    failed = f", failed: {', '.join(n for n, _ in report.failed)}" if report.failed else ""
    print(f"index {index_dir.relative_to(ROOT) if index_dir.is_relative_to(ROOT) else index_dir} ({built}): "
          f"{len(names) - len(report.failed)} documents, {assistant.store.count()} chunks{failed}")
    return sorted(names)
