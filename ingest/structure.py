"""Cleaned blocks -> structural units with their section path.

Resolutions follow a fixed grammar, which this parser reads generically:

* title block (everything before the first part);
* parts "I. KẾT QUẢ ... NĂM 2024" (the year in the heading scopes the part: results vs targets);
* items "1. Mục tiêu tổng quát" (a short heading line) or numbered paragraphs
  "1. Các cấp ủy ... ." (a full sentence: content, not a heading);
* groups "Về kinh tế: ..." whose body holds numbered targets "(1) ...; (2) ...";
* footnotes (placed by ``clean``), the recipients list "Nơi nhận:" and the signature block.

Each unit is a span of the cleaned text; ``chunker`` turns units into indexed chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean import CleanDocument
from core.text import sentence_case

_PART_RE = re.compile(r"^([IVXLC]+)\.\s+(\S.*)$")
_ITEM_RE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$", re.S)
_GROUP_RE = re.compile(r"^(Về [^:\n]{2,60}):\s*")
_TARGET_RE = re.compile(r"(?:(?<=^)|(?<=[\s;:.]))\((\d{1,3})\)\s+")
_YEAR_RE = re.compile(r"\b(19\d{2}|20\d{2})\b")
_RECIPIENTS_RE = re.compile(r"^(Nơi nhận|Kính gửi)\s*:", re.I)
_SIGNATURE_RE = re.compile(
    r"^(?:T/M|TM\.?|KT\.?|Q\.|TUQ\.?|TL\.?)\s|^(?:BÍ THƯ|CHỦ TỊCH|GIÁM ĐỐC|PHÓ BÍ THƯ|PHÓ CHỦ TỊCH)\b"
)
_TRAILING = " ;,.\n"

RECIPIENTS = "Nơi nhận"
SIGNATURE = "Chữ ký"
FOOTNOTE = "Chú thích"


@dataclass(frozen=True)
class Unit:
    kind: str  # title | paragraph | item | target | footnote | recipients | signature
    path: tuple[str, ...]
    start: int
    end: int
    number: int | None = None
    group: str | None = None
    period: str | None = None
    footnotes: tuple[int, ...] = ()


def _heading_label(number: str, rest: str) -> str:
    return f"{number}. {sentence_case(rest.strip())}"


def _is_heading(rest: str) -> bool:
    # "1. Mục tiêu tổng quát" is a heading; "1. Các cấp ủy ... Nghị quyết." is a numbered paragraph.
    return "\n" not in rest and not rest.rstrip().endswith(".") and len(rest) <= 400


def document_title(clean: CleanDocument) -> str:
    """Title from the title block: 'NGHỊ QUYẾT / CỦA ... / Về ...' -> one sentence-cased line."""
    first = clean.blocks[0].text if clean.blocks else ""
    if _PART_RE.match(first):
        return ""
    lines = [sentence_case(line) for line in first.split("\n") if line.strip()]
    title = " ".join(
        line if i == 0 else (line.lower() if line.isupper() else line[:1].lower() + line[1:])
        for i, line in enumerate(lines)
    )
    return title.strip()


def _targets(text: str, offset: int) -> list[tuple[int, int, int]]:
    """(number, start, end) of each "(n) ..." target inside a block's text."""
    marks = list(_TARGET_RE.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        seg = text[m.start():end].rstrip(_TRAILING)
        out.append((int(m.group(1)), offset + m.start(), offset + m.start() + len(seg)))
    return out


def parse_units(clean: CleanDocument) -> list[Unit]:
    units: list[Unit] = []
    part: str | None = None
    item: str | None = None
    period: str | None = None
    tail: str | None = None  # "recipients" / "signature" once the closing blocks begin
    note_path: dict[int, tuple[str, ...]] = {}

    def path() -> tuple[str, ...]:
        return tuple(p for p in (part, item) if p)

    for bi, block in enumerate(clean.blocks):
        text = block.text
        if block.footnote is not None:
            base = note_path.get(block.footnote, path())
            units.append(Unit("footnote", base + (f"{FOOTNOTE} {block.footnote}",), block.start, block.end,
                              number=block.footnote, period=period))
            continue
        if part is None and bi == 0 and not _PART_RE.match(text):
            units.append(Unit("title", (sentence_case(text.split("\n")[0]),), block.start, block.end))
            continue
        m = _PART_RE.match(text)
        if m and "\n" not in text and tail is None:
            part = _heading_label(m.group(1), m.group(2))
            years = _YEAR_RE.findall(m.group(2))
            period = years[-1] if years else None
            item = None
            continue
        if _RECIPIENTS_RE.match(text):
            tail = "recipients"
        elif _SIGNATURE_RE.match(text):
            tail = "signature"
        if tail:
            label = RECIPIENTS if tail == "recipients" else SIGNATURE
            prev = units[-1] if units else None
            if prev and prev.kind == tail:  # continue the open closing unit (list lines, signer's name)
                units[-1] = Unit(tail, prev.path, prev.start, block.end)
            else:
                units.append(Unit(tail, (label,), block.start, block.end))
            continue
        for n in block.markers:
            note_path.setdefault(n, path())
        m = _ITEM_RE.match(text)
        if m and _is_heading(m.group(2)):
            item = _heading_label(m.group(1), m.group(2))
            continue
        g = _GROUP_RE.match(text)
        targets = _targets(text, block.start)
        if targets:
            group = g.group(1) if g else None
            lead_end = targets[0][1]
            lead = clean.text[block.start:lead_end].strip()
            if lead and not g:  # prose before the first target stays searchable
                units.append(Unit("paragraph", path(), block.start, block.start + len(lead.rstrip(_TRAILING)),
                                  period=period))
            for number, start, end in targets:
                units.append(Unit("target", path() + ((group,) if group else ()), start, end,
                                  number=number, group=group, period=period))
            continue
        kind = "item" if m else "paragraph"
        units.append(Unit(kind, path(), block.start, block.end, period=period, footnotes=block.markers))
    return units
