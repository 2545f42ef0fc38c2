"""Bounds on what is embedded with every chunk: section paths, headings, table headers, the title.

A document's section path and a table's column headers are repeated in the text embedded for each
chunk under them, so their length multiplies by the number of chunks: each is bounded here, by
numbers well above those of real documents (measured on the bundled data/ document and the test
documents), so that only a malformed or hostile file is ever cut.
"""

from __future__ import annotations

from core.types import SECTION_SEP

# A longer line is a paragraph, never a heading: not a numbered heading, not a line of the header
# block (a document written as one line has no title, its text is the body).
MAX_HEADING_CHARS = 400
MAX_LABEL_CHARS = 160  # a heading longer than this is shortened in the path
# Every section path is embedded with each chunk under it, so it is bounded: the longest real path is
# 208 characters in the bundled data/ document and 181 in the test documents (3 and 4 levels); this is
# about three times that. A longer path keeps its first levels and its last one, "…" in between.
MAX_PATH_CHARS = 600
ELLIPSIS = "…"
# A table's column headers are embedded with each of its rows: the longest real ones (with the unit
# caption) are 62 characters in the test documents.
MAX_HEADERS_CHARS = 400
# The document title is stored with every chunk: the bundled document's is 142 characters.
MAX_TITLE_CHARS = 600


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary before ``limit`` characters, "…" added, when longer."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 2]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + " " + ELLIPSIS


def bounded_path(path: tuple[str, ...]) -> tuple[str, ...]:
    """``path`` with every label a heading can be (over-long ones shortened) and at most
    MAX_PATH_CHARS joined: its first levels that fit, "…", its last level."""
    labels = tuple(clip(lb, MAX_LABEL_CHARS) if len(lb) > MAX_HEADING_CHARS else lb for lb in path)
    sep = len(SECTION_SEP)
    if sum(map(len, labels)) + sep * (len(labels) - 1) <= MAX_PATH_CHARS:
        return labels
    last = labels[-1]
    room = MAX_PATH_CHARS - len(last) - 2 * sep - len(ELLIPSIS)
    kept: list[str] = []
    for lb in labels[:-1]:
        if len(lb) + sep > room:
            break
        kept.append(lb)
        room -= len(lb) + sep
    return (*kept, ELLIPSIS, last)
