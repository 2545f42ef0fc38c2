"""Raw document text -> cleaned text with page-break repairs and footnotes moved out of the body.

Input is what a loader returns (NFC, "\n" newlines). Blocks are separated by blank lines.
Two artefacts of the paper source are repaired here:

* page breaks split sentences ("điển hình toàn" / "quốc."): a block that does not end in
  terminal punctuation, followed by a block that starts with a lower-case letter, is joined
  back with one space;
* footnotes land wherever the page ended, even mid-sentence. A block that starts with a
  superscript number ("¹ Ba trung tâm đô thị: ...") is taken out of the flow and placed right
  after the block that references it, so the body reads on and the note sits beside its use.

The cleaned text is the coordinate system of every offset the product reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_INT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_FOOTNOTE_RE = re.compile(rf"^([{SUPERSCRIPT_DIGITS}]+)\s*(\S.*)$", re.S)
_MARKER_RE = re.compile(rf"(?<=\w)([{SUPERSCRIPT_DIGITS}]+)")
_TERMINAL = tuple(".:;!?…\"”)»")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1", re.S)
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+", re.M)
# A block that opens a new structural unit is never the tail of a broken sentence.
_STRUCTURAL_RE = re.compile(r"^(?:[IVXLC]+\.|\d{1,2}\.|\(\d{1,3}\)|Về [^:]{2,60}:|Nơi nhận)\s*")


@dataclass(frozen=True)
class Block:
    text: str
    start: int  # offsets in the cleaned text
    end: int
    footnote: int | None = None  # set on footnote blocks
    markers: tuple[int, ...] = ()  # footnote numbers referenced from this block


@dataclass
class CleanDocument:
    text: str
    blocks: list[Block]
    repairs: list[tuple[str, str]] = field(default_factory=list)  # (tail, head) joined


def superscript_int(marker: str) -> int:
    return int(marker.translate(_SUP_TO_INT))


def _normalise_block(block: str) -> str:
    lines = [" ".join(line.split()) for line in block.split("\n")]
    return "\n".join(line for line in lines if line)


def _is_broken_sentence(prev: str, nxt: str) -> bool:
    if not prev or not nxt or prev.endswith(_TERMINAL):
        return False
    if _STRUCTURAL_RE.match(prev) and "\n" not in prev and len(prev) < 300:
        return False  # a heading line such as "2. Chỉ tiêu chủ yếu"
    return nxt[0].islower()


def clean_text(raw: str) -> CleanDocument:
    raw = _EMPHASIS_RE.sub(r"\2", raw)
    raw = _MD_HEADING_RE.sub("", raw)
    pieces = [_normalise_block(b) for b in re.split(r"\n[ \t]*\n", raw)]
    body: list[str] = []
    notes: dict[int, str] = {}
    repairs: list[tuple[str, str]] = []
    for piece in filter(None, pieces):
        m = _FOOTNOTE_RE.match(piece)
        if m:
            notes.setdefault(superscript_int(m.group(1)), piece)
            continue
        if body and _is_broken_sentence(body[-1], piece):
            repairs.append((body[-1][-30:], piece[:30]))
            body[-1] = f"{body[-1]} {piece}"
        else:
            body.append(piece)

    # Lay out: each footnote right after the first block that references it.
    ordered: list[tuple[str, int | None]] = []
    placed: set[int] = set()
    for piece in body:
        ordered.append((piece, None))
        for marker in _MARKER_RE.findall(piece):
            n = superscript_int(marker)
            if n in notes and n not in placed:
                ordered.append((notes[n], n))
                placed.add(n)
    ordered.extend((notes[n], n) for n in sorted(notes) if n not in placed)

    blocks: list[Block] = []
    parts: list[str] = []
    pos = 0
    for piece, note in ordered:
        if parts:
            pos += 2
        markers = () if note is not None else tuple(superscript_int(m) for m in _MARKER_RE.findall(piece))
        blocks.append(Block(piece, pos, pos + len(piece), note, markers))
        parts.append(piece)
        pos += len(piece)
    return CleanDocument("\n\n".join(parts), blocks, repairs)
