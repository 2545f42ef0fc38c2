"""Candidate answers read from the structure of the retrieved passages.

A candidate is a unit an answer can quote: a sentence or a clause of a paragraph or a list item,
a line of the header or the signature block, a table row or one cell of it (read with its row
label and its column header), a whole list (its lead and its items), or a figure summed up over a
table's column (largest, smallest, total, count of rows). Every candidate keeps where it stands
(its chunk, its offsets in the cleaned text, the passage's ranks) so features can weigh it and the
answer can cite it.

Which candidates exist never depends on the ranking model: the fitting script reads the same
candidates the answerer ranks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from answering.question import Question
from core.text import sentence_spans
from core.types import SECTION_SEP, Chunk, Passage
from core.vn import parse_number

MAX_SPAN_CHARS = 420  # a longer sentence is also read clause by clause
MIN_CLAUSE_CHARS = 12
WHOLE_CHUNK_CHARS = 360  # a short chunk of several sentences is also a candidate whole
LIST_PASSAGES = 8  # the best passages whose lists are read whole
MAX_LIST_ITEMS = 12
TABLE_PASSAGES = 8  # the best passages whose tables are summed up (aggregate questions)
HEADER_KINDS = ("title", "signature", "recipients")
LEAD_LOOKBACK = 8  # chunks back to the "-" item a "+" sub-item stands under
LEAD_CHARS = 200

_CLAUSE_SPLIT_RE = re.compile(r";\s+|,?\s+trong đó:?\s+")
_LINE_SPLIT_RE = re.compile(r"\n+|\s+\|\s*|_\s+")
_ORDINAL_CELL_RE = re.compile(r"(?:[IVXLC]+|\d{1,3}(?:\.\d+)*|[a-zđ])\.?")
_VALUE_RE = re.compile(r"^[-–+]?\s*\d[\d.,]*\s*%?$")
_MARKER_LABEL_RE = re.compile(r"^(?:[IVXLC]+|\d{1,3}(?:\.\d+)*|[a-zđ])[.)]?$")
_TOTAL_ROW_RE = re.compile(r"^(?:tổng|cộng|tổng cộng|tổng số|toàn)\b", re.I)


@dataclass
class Candidate:
    chunk: Chunk
    start: int  # offsets of ``text`` in the cleaned document text
    end: int
    text: str
    kind: str  # span | whole | line | row | cell | list | aggregate
    rank: int  # rank of its passage (0 = best)
    passage: Passage
    label: str = ""  # a cell's row label, a list's lead, an aggregate's row label
    header: str = ""  # a cell's column header, an aggregate's column
    aggregate: str = ""  # max | min | total | count (kind "aggregate")
    lead: str = ""  # the text it continues: the item a "+" sub-item stands under, a line ending in ":"
    members: list["Candidate"] = field(default_factory=list)  # a list's items, an aggregate's rows
    features: object = None  # filled by answering.features

    @property
    def context(self) -> str:
        """What the candidate is read with: its section path, a row's column headers, a cell's
        label and header, a list's lead."""
        parts = [self.chunk.section, self.label, self.header]
        if self.kind in ("row", "cell") and self.chunk.headers:
            parts.append(self.chunk.headers)
        return " ; ".join(p for p in parts if p)

    def render(self) -> str:
        """The answer text this candidate gives."""
        if self.kind == "cell":
            head = f"{self.label} – {self.header}" if self.label and self.header else (self.label or self.header)
            return f"{head}: {self.text}" if head else self.text
        if self.kind == "aggregate":
            what = {"max": "Lớn nhất", "min": "Nhỏ nhất", "total": "Tổng", "count": "Số dòng"}[self.aggregate]
            col = f" ({self.header})" if self.header else ""
            return f"{what}{col}: {self.text}"
        if self.kind == "list":
            lead = self.label.rstrip(" :") + ":\n" if self.label else ""
            return lead + "\n".join(m.text.strip() for m in self.members)
        return self.text.strip()


def _spans(p: Passage, rank: int) -> list[Candidate]:
    c = p.chunk
    text = c.text
    out: list[Candidate] = []

    def add(s: int, e: int, kind: str) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 3:
            out.append(Candidate(c, c.start + s, c.start + e, text[s:e], kind, rank, p))

    if c.kind in HEADER_KINDS:
        pos, pending = 0, None  # "Số:" on its own line goes with the next line
        for m in _LINE_SPLIT_RE.finditer(text + "\n"):
            s = pending if pending is not None else pos
            piece = text[pos:m.start()].strip()
            if piece.endswith(":") and len(piece) <= 12:
                pending = s
            else:
                add(s, m.start(), "line")
                pending = None
            pos = m.end()
        if len(text) <= WHOLE_CHUNK_CHARS:
            add(0, len(text), "whole")
        return out
    if c.kind == "row":
        add(0, len(text), "row")
        out.extend(_cells(p, rank))
        return out
    sentences = sentence_spans(text)
    for s, e in sentences:
        add(s, e, "span")
        if e - s > MAX_SPAN_CHARS or (e - s > 160 and _CLAUSE_SPLIT_RE.search(text, s, e)):
            pos = s
            for m in _CLAUSE_SPLIT_RE.finditer(text, s, e):
                if m.start() - pos >= MIN_CLAUSE_CHARS:
                    add(pos, m.start(), "span")
                pos = m.end()
            if e - pos >= MIN_CLAUSE_CHARS and pos > s:
                add(pos, e, "span")
    if len(sentences) > 1 and len(text) <= WHOLE_CHUNK_CHARS:
        add(0, len(text), "whole")
    return out


def header_cells(chunk: Chunk) -> list[str]:
    """The column headers of a row's table (its first header line), one per column."""
    first = chunk.headers.split("\n")[0] if chunk.headers else ""
    return [h.strip() for h in first.split("|")] if first else []


def row_label(cells: list[str]) -> str:
    """The first cell that names the row: not an ordinal, not a figure."""
    return next((x for x in cells if x and not _ORDINAL_CELL_RE.fullmatch(x) and not _VALUE_RE.match(x)), "")


def _cells(p: Passage, rank: int) -> list[Candidate]:
    c = p.chunk
    heads = header_cells(c)
    out = []
    pos = 0
    parts = c.text.split("|")
    cells = [x.strip() for x in parts]
    label = row_label(cells)
    for i, raw in enumerate(parts):
        s = pos + (len(raw) - len(raw.lstrip()))
        pos += len(raw) + 1
        value = cells[i]
        if not value or value == label or (i == 0 and _ORDINAL_CELL_RE.fullmatch(value)):
            continue  # the row's own label, or its ordinal in the first column
        header = heads[i] if len(heads) == len(cells) else ""
        out.append(Candidate(c, c.start + s, c.start + s + len(value), value, "cell", rank, p,
                             label=label, header=header))
    return out


def _parent(section: str) -> str:
    """A list item's list: its section without a last level that is only a marker ('a)', '2')."""
    head, _, last = section.rpartition(SECTION_SEP)
    return head if head and _MARKER_LABEL_RE.match(last.strip()) else section


class CandidateReader:
    """Reads candidates from passages, with the document's order of chunks for lists and tables.
    ``chunks_of(doc_id)`` gives a document's chunks in order (from the bound index)."""

    def __init__(self, chunks_of) -> None:
        self.chunks_of = chunks_of
        self._pos: dict[str, dict[str, int]] = {}

    def read(self, q: Question, passages: list[Passage]) -> list[Candidate]:
        out: list[Candidate] = []
        seen_lists: set[tuple[str, str]] = set()
        seen_tables: set[tuple[str, str, str]] = set()
        for rank, p in enumerate(passages):
            spans = _spans(p, rank)
            c = p.chunk
            lead = self._lead(c) if c.kind in ("item", "paragraph", "target") else ""
            for sp in spans:
                sp.lead = lead
            out.extend(spans)
            if rank < LIST_PASSAGES and c.text.rstrip().endswith(":") and c.kind in ("item", "paragraph"):
                after = self._items_after(p, rank)
                if after is not None:
                    out.append(after)
            if rank < LIST_PASSAGES and c.kind in ("item", "paragraph", "target"):
                key = (c.doc_id, _parent(c.section))
                if key not in seen_lists:
                    seen_lists.add(key)
                    listed = self._list(p, rank)
                    if listed is not None:
                        out.append(listed)
            if q.aggregate and rank < TABLE_PASSAGES and c.kind == "row" and c.headers:
                key = (c.doc_id, c.headers, _parent(c.section.rpartition(SECTION_SEP)[0]))
                if key not in seen_tables:
                    seen_tables.add(key)
                    out.extend(self._aggregates(q, p, rank))
        return out

    def _lead(self, c: Chunk) -> str:
        """What a chunk continues: the "-" item its "+" sub-item stands under, or the line before it
        when that line ends with ":" or the chunk goes on in lower case (LEAD_CHARS of it)."""
        chunks = self.chunks_of(c.doc_id)
        pos = self._positions(c.doc_id).get(c.id)
        if not pos:
            return ""
        first = c.text.lstrip()[:1]
        for back in range(1, LEAD_LOOKBACK + 1):
            if pos - back < 0:
                break
            prev = chunks[pos - back]
            if not (c.section == prev.section or c.section.startswith(prev.section + SECTION_SEP)):
                break
            ptext = prev.text.strip()
            if first == "+" and ptext.startswith("-") or back == 1 and (ptext.endswith(":") or first.islower()):
                return ptext[:LEAD_CHARS]
            if first != "+":
                break
        return ""

    def _positions(self, doc_id: str) -> dict[str, int]:
        got = self._pos.get(doc_id)
        if got is None:
            got = self._pos[doc_id] = {x.id: i for i, x in enumerate(self.chunks_of(doc_id))}
        return got

    def _items_after(self, p: Passage, rank: int) -> Candidate | None:
        """A line ending with ":" and the items that follow it (under it, in document order)."""
        c = p.chunk
        chunks = self.chunks_of(c.doc_id)
        pos = self._positions(c.doc_id).get(c.id)
        if pos is None:
            return None
        items = []
        for x in chunks[pos + 1:pos + 1 + MAX_LIST_ITEMS]:
            if x.kind not in ("item", "target", "row") or not (x.section == c.section
                                                                 or x.section.startswith(c.section + SECTION_SEP)):
                break
            items.append(x)
        if not items:
            return None
        members = [Candidate(x, x.start, x.end, x.text, "span", rank, p) for x in items]
        return Candidate(c, c.start, items[-1].end, "\n".join(x.text for x in items), "list", rank, p,
                         label=c.text.strip(), members=members)

    def _list(self, p: Passage, rank: int) -> Candidate | None:
        """The list the passage's chunk stands in: its lead (the level above) and its items."""
        c = p.chunk
        parent = _parent(c.section)
        chunks = self.chunks_of(c.doc_id)
        items = [x for x in chunks if x.kind in ("item", "target") and _parent(x.section) == parent
                 and (x.section != parent or x.kind == c.kind)]
        if len(items) < 2:
            return None
        i = next((k for k, x in enumerate(items) if x.id == c.id), 0)
        lo = max(0, min(i - MAX_LIST_ITEMS // 2, len(items) - MAX_LIST_ITEMS))
        items = items[lo:lo + MAX_LIST_ITEMS]
        members = [Candidate(x, x.start, x.end, x.text, "span", rank, p) for x in items]
        lead = parent.rpartition(SECTION_SEP)[2] if SECTION_SEP in parent or parent else ""
        text = "\n".join(x.text for x in items)
        return Candidate(c, items[0].start, items[-1].end, text, "list", rank, p, label=lead, members=members)

    def _aggregates(self, q: Question, p: Passage, rank: int) -> list[Candidate]:
        """The largest, smallest and total of each figure column of the passage's table (the rows
        of its group), and the count of its rows."""
        c = p.chunk
        group = c.section.rpartition(SECTION_SEP)[0]
        rows = [x for x in self.chunks_of(c.doc_id) if x.kind == "row" and x.headers == c.headers
                and x.section.rpartition(SECTION_SEP)[0].startswith(_parent(group))
                and "Tiêu đề bảng" not in x.section]
        data = []
        for x in rows:
            cells = [y.strip() for y in x.text.split("|")]
            label = row_label(cells)
            if not label or _TOTAL_ROW_RE.match(label):
                continue
            data.append((x, cells, label))
        if len(data) < 2:
            return []
        heads = header_cells(c)
        out: list[Candidate] = []
        if q.aggregate == "count":
            names = ", ".join(lbl for _, _, lbl in data[:MAX_LIST_ITEMS])
            more = " …" if len(data) > MAX_LIST_ITEMS else ""
            members = [Candidate(x, x.start, x.end, x.text, "row", rank, p) for x, _, _ in data]
            out.append(Candidate(c, data[0][0].start, data[-1][0].end, f"{len(data)} ({names}{more})",
                                 "aggregate", rank, p, aggregate="count", members=members))
            return out
        ncols = max(len(cells) for _, cells, _ in data)
        for j in range(ncols):
            values = []
            for x, cells, label in data:
                if j < len(cells) and _VALUE_RE.match(cells[j]) and cells[j] != label:
                    try:
                        values.append((parse_number(cells[j].replace(" ", "")), x, cells[j], label))
                    except ValueError:
                        continue
            if len(values) < 2:
                continue
            header = heads[j] if j < len(heads) and len(heads) == ncols else ""
            if q.aggregate in ("max", "min"):
                pick = max(values, key=lambda v: v[0]) if q.aggregate == "max" else min(values, key=lambda v: v[0])
                _, x, written, label = pick
                out.append(Candidate(x, x.start, x.end, f"{label}: {written}", "aggregate", rank, p,
                                     label=label, header=header, aggregate=q.aggregate,
                                     members=[Candidate(x, x.start, x.end, x.text, "row", rank, p)]))
            elif q.aggregate == "total":
                total = sum(v[0] for v in values)
                shown = f"{total:,.2f}".rstrip("0").rstrip(".").replace(",", "_").replace(".", ",").replace("_", ".")
                out.append(Candidate(c, values[0][1].start, values[-1][1].end, shown, "aggregate", rank, p,
                                     header=header, aggregate="total",
                                     members=[Candidate(x, x.start, x.end, x.text, "row", rank, p)
                                              for _, x, _, _ in values[:MAX_LIST_ITEMS]]))
        return out
