"""Chroma's failures as the project's own errors, and the health check of an embedded index.

Every Chroma call goes through ``Guarded`` (or ``translated``): Chroma's, sqlite's and the HTTP client's
exceptions become StoreUnavailable, IndexCorrupt for a damaged index (the message names the fix) or
DiskFull for a write that found no room (``store_error``). Chroma's Rust layer reports some failures
(a damaged page it did not expect) as ``pyo3_runtime.PanicException``, a BaseException: it is caught
too (``is_store_failure``), never KeyboardInterrupt or SystemExit.

An embedded index is checked before Chroma opens it (``check_index``): ``chroma.sqlite3`` opened
read-only by the sqlite3 module, its header, ``PRAGMA quick_check`` and the collection's metadata.
A 0-byte or non-sqlite file, a damaged page, a collection without its metadata, or no
``chroma.sqlite3`` beside Chroma's vector segment folders is IndexCorrupt;
``ingest --rebuild`` then moves the folder aside (``move_aside``) and builds it again.
"""

from __future__ import annotations

import errno
import logging
import re
import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from errors import DiskFull, IndexCorrupt, NQError, StoreUnavailable
from settings import Settings

log = logging.getLogger(__name__)

SQLITE_FILE = "chroma.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"

_CORRUPT = ("malformed", "not a database", "no such table", "disk image", "corrupt", "database error",
            "unable to open database", "failed to get segments", "expect it to be fetched")
_READ_ONLY = ("readonly", "read-only", "read only", "permission denied")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DISK_FULL = ("database or disk is full", "no space left on device", "disk full")


def is_panic(exc: BaseException) -> bool:
    """Is ``exc`` a panic of a Rust extension (``pyo3_runtime.PanicException``, a BaseException)?
    Matched by name: the class is created by the extension and cannot be imported."""
    return any(cls.__name__ == "PanicException" and cls.__module__.startswith("pyo3_runtime")
               for cls in type(exc).__mro__)


def is_store_failure(exc: BaseException) -> bool:
    """An exception a Chroma call may fail with: any Exception, or a panic of its Rust layer (never
    KeyboardInterrupt, SystemExit or GeneratorExit)."""
    return isinstance(exc, Exception) or is_panic(exc)


def is_disk_full(exc: BaseException) -> bool:
    """A write that found no room: an OSError ENOSPC or sqlite's "database or disk is full", in
    ``exc`` or in what caused it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
            return True
        if not isinstance(exc, NQError) and any(w in str(exc).lower() for w in _DISK_FULL):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def where(settings: Settings) -> str:
    return (f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
            else f"the embedded Chroma index at {settings.index_dir}")


def rebuild_command(settings: Settings) -> str:
    return f"python app.py --index-dir {settings.index_dir} ingest --rebuild {settings.data_dir}"


def corrupt(settings: Settings, detail: str) -> IndexCorrupt:
    return IndexCorrupt(f"{where(settings)} is damaged or unreadable ({detail}); rebuild it with "
                        f"`{rebuild_command(settings)}` (the damaged folder is moved aside, not deleted)")


def disk_full(settings: Settings, detail: str) -> DiskFull:
    return DiskFull(f"disk full: {where(settings)} could not be written ({detail}); free space on its disk "
                    f"and try again (what the failed write left is removed)")


def store_error(exc: BaseException, settings: Settings) -> StoreUnavailable:
    """Any failure of Chroma as the project's own error: a full disk, the server down, a damaged or
    unreadable index (the message names the fix), a read-only index folder. An embedded index that
    failed for no reason Chroma named is checked (``check_index``): a damage found is IndexCorrupt."""
    if isinstance(exc, StoreUnavailable):
        return exc
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    detail = f"{type(exc).__name__}: {detail}"
    low = detail.lower()
    if is_disk_full(exc):
        return disk_full(settings, detail)
    if settings.chroma_host:
        return StoreUnavailable(f"{where(settings)} failed ({detail})")
    if any(w in low for w in _READ_ONLY):
        return StoreUnavailable(
            f"{where(settings)} cannot be written ({detail}); make the folder writable by this user "
            f"or point NQ_INDEX_DIR at a writable folder",
            "Thư mục chỉ mục không ghi được (chỉ đọc); quản trị viên cần cấp quyền ghi hoặc đổi NQ_INDEX_DIR.")
    if is_panic(exc) or any(w in low for w in _CORRUPT):
        return corrupt(settings, detail)
    try:
        check_index(settings)
    except IndexCorrupt as found:
        return found
    return StoreUnavailable(f"{where(settings)} failed ({detail})")


@contextmanager
def translated(settings: Settings):
    """The failures of the Chroma calls in the block as ``store_error`` (the project's own errors go
    through as they are, and so do KeyboardInterrupt and SystemExit)."""
    try:
        yield
    except NQError:
        raise
    except BaseException as exc:
        if not is_store_failure(exc):
            raise
        raise store_error(exc, settings) from exc


class Guarded:
    """A Chroma collection whose every call raises the project's own StoreUnavailable/IndexCorrupt/
    DiskFull instead of Chroma's, sqlite's, the HTTP client's exceptions or a Rust panic."""

    def __init__(self, target, settings: Settings) -> None:
        self._target, self._settings = target, settings

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            with translated(self._settings):
                return attr(*args, **kwargs)

        return call


def _damage(settings: Settings) -> str | None:
    """What is wrong with the embedded index's sqlite file, or None (no file yet, a sound file, or
    one this check cannot read now: locked by a writer, a journal to roll back, no permission)."""
    path = settings.index_dir / SQLITE_FILE
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        segments = _segment_folders(settings.index_dir)
        return f"{SQLITE_FILE} is missing beside {segments} vector segment folder(s)" if segments else None
    except OSError as exc:
        log.info("cannot check %s: %s", path, exc)
        return None
    if size == 0:
        return f"{SQLITE_FILE} is empty (0 bytes)"
    if head != SQLITE_HEADER:
        return f"{SQLITE_FILE} is not an SQLite database"
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        log.info("cannot check %s: %s", path, exc)
        return None
    try:
        rows = [str(r[0]) for r in con.execute("PRAGMA quick_check").fetchall()]
        if rows != ["ok"]:
            return f"PRAGMA quick_check: {'; '.join(rows)[:200]}"
        return _collection_damage(con, settings.collection)
    except sqlite3.DatabaseError as exc:
        low = str(exc).lower()
        if any(w in low for w in ("locked", "busy", "readonly", "read-only", "unable to open")):
            log.info("cannot check %s now: %s", path, exc)
            return None
        return f"sqlite: {exc}"
    finally:
        con.close()


def _segment_folders(folder: Path) -> int:
    """How many of Chroma's vector segment folders (named by a UUID) ``folder`` holds."""
    try:
        return sum(1 for p in folder.iterdir() if p.is_dir() and _UUID.fullmatch(p.name))
    except OSError:
        return 0


def _collection_damage(con: sqlite3.Connection, collection: str) -> str | None:
    """A collection Chroma knows, without its metadata or its segments; None when it is whole (or
    not created yet: a new collection name in an existing folder)."""
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = {"collections", "collection_metadata", "segments"} - tables
    if missing:
        return f"Chroma's tables are missing ({', '.join(sorted(missing))})"
    row = con.execute("SELECT id FROM collections WHERE name = ?", (collection,)).fetchone()
    if row is None:
        return None
    if con.execute("SELECT COUNT(*) FROM collection_metadata WHERE collection_id = ?", row).fetchone()[0] == 0:
        return f"the collection {collection!r} has no metadata"
    if con.execute("SELECT COUNT(*) FROM segments WHERE collection = ?", row).fetchone()[0] == 0:
        return f"the collection {collection!r} has no segments"
    return None


def check_index(settings: Settings) -> None:
    """Raise IndexCorrupt, naming the fix, when the embedded index's file is damaged or empty (a
    Chroma server checks its own files)."""
    if settings.chroma_host:
        return
    found = _damage(settings)
    if found:
        raise corrupt(settings, found)


def forget_embedded(settings: Settings) -> None:
    """Drop this process's cached Chroma system for the index folder, so the next client reads the
    folder again (chromadb shares one system per path in a process)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for key in (str(settings.index_dir), str(settings.index_dir.resolve())):
        SharedSystemClient._identifier_to_system.pop(key, None)
        SharedSystemClient._identifier_to_refcount.pop(key, None)


def move_aside(settings: Settings) -> str:
    """Move a damaged index folder aside (``<folder>.broken-<time>``), never delete it."""
    forget_embedded(settings)
    aside = settings.index_dir.with_name(f"{settings.index_dir.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    shutil.move(str(settings.index_dir), str(aside))
    return str(aside)
