"""A signature of the project's own source files: what an index or a cache derived by that code is
keyed by, so that a change to the code derives it again (ingest's cut signature, the derived indexes'
folder, the eval's index key)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_signature(paths: Iterable[str], chars: int = 12) -> str:
    """The first ``chars`` hex digits of a sha256 over the named files and the Python files of the named
    folders (each one's path below the project and its bytes), in order. A file that is not there (an
    installed copy without sources) adds nothing."""
    h = hashlib.sha256()
    for name in paths:
        path = ROOT / name
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if f.is_file():
                h.update(f.relative_to(ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:chars]
