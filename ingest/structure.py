"""Cleaned blocks -> structural units with their section path.

Vietnamese official documents (resolutions, plans, decisions; Party, HĐND, UBND, Quốc hội,
Chính phủ) share one grammar, which this parser reads generically:

* the header block: issuer, national motto, "Số: …", "<place>, ngày … tháng … năm …", the
  document type ("NGHỊ QUYẾT", "KẾ HOẠCH", "QUYẾT ĐỊNH"), the title, then the "Căn cứ …"
  preamble up to "QUYẾT NGHỊ:" / "QUYẾT ĐỊNH:"; "Kính gửi: …" is one header line;
* an outline of numbered blocks: "Phần/Chương", "Điều 2.", Roman parts "I.", Arabic items
  "1.", decimal items "1.1." / "1.1.1.", letter points "a)", named items "Mục tiêu 1",
  "Chỉ tiêu 2:", dash and plus lists "-" / "+". Which kind nests in which is not fixed
  (a decision carries "I." parts inside "Điều 1"): the nesting is read from the order in
  which the kinds appear, like nested lists: a kind already open closes everything opened
  after it; a new kind opens one level deeper;
* groups "Về kinh tế: …" whose body holds numbered targets "(1) …; (2) …";
* data tables (rows "a | b | c"): each row is a unit that carries the table's column headers
  and the labels of the group rows above it;
* footnotes (placed by ``clean``; "[1] …" notes too), the recipients list "Nơi nhận:", the
  signature block (TM./KT./Q., title, name) where it stands, and what follows it: an attached
  plan ("KẾ HOẠCH …") or an appendix ("PHỤ LỤC …") opens a new root.

A short numbered line with no closing punctuation is a heading: it names the section, and
is not a unit of its own. A numbered line that says something ("a) 100% … ;") is a unit, and
its marker joins the path ("Điều 2 › 1. Chỉ tiêu chủ yếu › b)"). Each unit carries the years
it speaks of: those of the nearest heading that states a year or a period ("NĂM 2024",
"Đến năm 2030", "giai đoạn 2026 - 2030"), of the table headers for a row, else the document's.

Each unit is a span of the cleaned text; ``chunker`` turns units into indexed chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.text import sentence_case
from core.vn import (
    DOC_TYPES, HEADER_DATE_RE, NUMBER_LINE_RE, SIGN_PREFIXES, SIGNER_TITLES, all_place_names, covered_years,
)
from ingest.bounds import (
    ELLIPSIS, MAX_HEADERS_CHARS, MAX_HEADING_CHARS, MAX_LABEL_CHARS, MAX_TITLE_CHARS, bounded_path, clip,
)
from ingest.clean import CleanDocument

RECIPIENTS = "Nơi nhận"
SIGNATURE = "Chữ ký"
FOOTNOTE = "Chú thích"
PREAMBLE = "Phần mở đầu"
ADDRESSEE = "Kính gửi"

# Outline markers, tried in this order on the first line of a block.
_MARKERS: tuple[tuple[str, re.Pattern], ...] = (
    ("chapter", re.compile(r"^((?:Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s+(?:[IVXLC]+|\d{1,2}))\b[.:]?\s*(.*)$", re.S)),
    ("article", re.compile(r"^(Điều\s+\d{1,3})\b[.:]?\s*(.*)$", re.S)),
    ("roman", re.compile(r"^([IVXLC]{1,6}\.)\s+(\S.*)$", re.S)),
    ("alpha", re.compile(r"^([A-Z]\.)\s+(\S.{3,})$")),  # "A. BỔ SUNG QUY ĐỊNH …" (an all-caps part, see _marker)
    ("decimal3", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2}\.?)\s+(\S.*)$", re.S)),
    ("decimal2", re.compile(r"^(\d{1,2}\.\d{1,2}\.?)\s+([^\W\d_].*)$", re.S)),
    ("arabic", re.compile(r"^(\d{1,2}\.)\s+(\S.*)$", re.S)),
    ("letter", re.compile(r"^([a-zđ]\))\s+(\S.*)$", re.S)),
    ("named", re.compile(r"^((?:Mục tiêu|Chỉ tiêu|Nhiệm vụ|Giải pháp|Nội dung|Hoạt động)\s+\d{1,2})\s*[:.]\s*(.*)$", re.S)),
    ("dash", re.compile(r"^([-–•])\s+(\S.*)$", re.S)),
    ("plus", re.compile(r"^(\+)\s+(\S.*)$", re.S)),
)
_GROUP_RE = re.compile(r"^(Về [^:\n]{2,60}):\s*")
_TARGET_RE = re.compile(r"(?:(?<=^)|(?<=[\s;:.]))\((\d{1,3})\)\s+")
_RECIPIENTS_RE = re.compile(r"^Nơi nhận\s*:", re.I)
_ADDRESSEE_RE = re.compile(r"^Kính gửi\s*:", re.I)
_BRACKET_NOTE_RE = re.compile(r"^\[(\d{1,3})\]\s*\S")
_APPENDIX_RE = re.compile(r"^(PHỤ LỤC|Phụ lục)\b\s*([IVXLC\d]+\b)?", re.S)
_ENACTING_RE = re.compile(r"^(QUYẾT NGHỊ|QUYẾT ĐỊNH|NGHỊ QUYẾT|KẾT LUẬN)\s*:\s*$")
_PREAMBLE_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Xét đề nghị|Sau khi xem xét|Thực hiện|Triển khai)\b")
_MOTTO_RE = re.compile(r"CỘNG HÒA XÃ HỘI|Độc lập\s*-\s*Tự do|ĐẢNG CỘNG SẢN VIỆT NAM|^-{3,}|^\*{3,}", re.M)
_TABLE_SEP = " | "
_MD_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_UNIT_CAPTION_RE = re.compile(r"^\(?\s*(?:Đơn vị tính|Đơn vị|ĐVT)\s*:", re.I)
PLACE_NAMES = sorted(all_place_names(), key=len, reverse=True)
_TRAILING = " ;,.\n"
_TYPE_WORDS = tuple(sorted((t.upper() for t in DOC_TYPES), key=len, reverse=True))
_PERSON_LINE_RE = re.compile(r"^[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,5}$")


@dataclass(frozen=True)
class Unit:
    kind: str  # title | paragraph | item | target | row | footnote | recipients | signature
    path: tuple[str, ...]
    start: int
    end: int
    number: int | None = None
    group: str | None = None
    period: str | None = None  # the last year of the nearest heading that states one ("2025")
    footnotes: tuple[int, ...] = ()
    years: tuple[int, ...] = ()  # every year the unit speaks of (its headings', its table's, or the document's)
    headers: str = ""  # a table row: the column headers, " | "-joined

    def __post_init__(self) -> None:
        # Whatever built the unit, what is embedded with each of its chunks is bounded.
        object.__setattr__(self, "path", bounded_path(self.path))
        object.__setattr__(self, "headers", clip(self.headers, MAX_HEADERS_CHARS))


@dataclass
class _Level:
    kind: str
    label: str  # "" when the level adds nothing to the path (a plain dash list)
    years: frozenset[int] = field(default_factory=frozenset)
    leaf: bool = False  # a content item: the next unmarked paragraph closes it
    # A heading's own line (start, end, marker), until a unit stands under it: a heading that closes
    # with nothing under it ("1. Vùng I: các xã ven biển" | "2. Vùng II: …") said
    # something, and becomes a unit of its own when it closes.
    line: tuple[int, int, str] | None = None


def _marker(first_line: str) -> tuple[str, str, str] | None:
    """(kind, marker, rest) of a numbered block, or None."""
    for kind, rx in _MARKERS:
        m = rx.match(first_line)
        if m and kind == "alpha" and not _is_upper(m.group(2)):
            continue  # "A. Nguyễn …" is a sentence; a lettered part heading is written in capitals
        if m:
            return kind, m.group(1).strip(), (m.group(2) or "").strip()
    return None


def _is_heading(rest: str, text: str) -> bool:
    """'1. Mục tiêu tổng quát' and 'a) Đến năm 2026' are headings; '1. Các cấp ủy … Nghị quyết.'
    and 'a) 100% … ;' are numbered paragraphs: content, not a heading."""
    return ("\n" not in text and len(rest) <= MAX_HEADING_CHARS
            and not rest.rstrip().endswith((".", ";", ",", "!", "?", "./.", "…")))


# "3. Đối tượng áp dụng: người dân trong vùng", "1. Khu vực A: các phường trung tâm": a
# short label, a colon, then what it says. Such a line heads what follows it and is also a unit.
_FIELD_LINE_RE = re.compile(r"^[^:]{2,80}:\s*\w")


def _is_field_line(rest: str) -> bool:
    return bool(_FIELD_LINE_RE.match(rest)) and len(rest.split(":", 1)[0].split()) <= 10


def _short(label: str) -> str:
    label = label.rstrip(" :;")
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS].rsplit(" ", 1)[0] + " " + ELLIPSIS


def _heading_label(marker: str, rest: str) -> str:
    marker = marker if marker.endswith((".", ")")) or not rest else marker + "."
    return _short(f"{marker} {sentence_case(rest)}".strip())


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters)


MOSTLY_UPPER = 0.9  # a title in capitals may keep a mixed-case name ("5G, IoT")


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= MOSTLY_UPPER * len(letters)


def _doc_type_line(text: str) -> str | None:
    """'KẾ HOẠCH', 'NGHỊ QUYẾT', 'QUYẾT ĐỊNH' (alone on a line or opening the title block)."""
    first = text.split("\n")[0].strip()
    return first if first in _TYPE_WORDS else None


def _is_signature_start(text: str) -> bool:
    first = text.split("\n")[0].strip()
    if first.startswith(SIGN_PREFIXES):
        return True
    return _is_upper(first) and any(first == t or first.startswith(t + " ") for t in SIGNER_TITLES) and len(first) < 80


def _is_signature_tail(text: str) -> bool:
    """A block that continues a signature: an upper-case title, a signer's name, '(Đã ký)'."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if _APPENDIX_RE.match(lines[0] if lines else "") or _doc_type_line(text):
        return False
    return bool(lines) and len(lines) <= 4 and all(
        (_is_upper(ln) and len(ln) < 80) or _PERSON_LINE_RE.match(ln) or ln.startswith(("(Đã ký", "(đã ký", "Đã ký"))
        for ln in lines)


def _targets(text: str, offset: int) -> list[tuple[int, int, int]]:
    """(number, start, end) of each "(n) ..." target inside a block's text."""
    marks = list(_TARGET_RE.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        seg = text[m.start():end].rstrip(_TRAILING)
        out.append((int(m.group(1)), offset + m.start(), offset + m.start() + len(seg)))
    return out


def _is_table(text: str) -> bool:
    lines = text.split("\n")
    return sum(_TABLE_SEP in ln for ln in lines) >= max(2, (len(lines) + 1) // 2)


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|") and line.endswith("|") and len(line) > 1:  # a Markdown row "| a | b |"
        line = line[1:-1]
    return [c.strip() for c in line.split("|")]


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[-–+]?\s*[\d.,/%]+\s*%?|[-–]", cell))


def _table_header(lines: list[str]) -> tuple[list[str], int]:
    """The column headers and how many lines they take: the first row, plus a second header line
    that splits the first row's last column ("GIAI ĐOẠN 2031 - 2035" / "Năm 2031 | … | Năm 2035")."""
    head = _cells(lines[0])
    if len(lines) > 2:
        second, third = _cells(lines[1]), _cells(lines[2])
        if (not any(_numeric(c) for c in second) and len(second) > 1
                and len(head) - 1 + len(second) >= max(len(_cells(ln)) for ln in lines[2:]) > len(head)
                and not any(c in ("I", "1") for c in second[:1]) and third):
            top = head[-1]
            top_years = covered_years(top)
            return head[:-1] + [c if not top or (top_years and covered_years(c) <= top_years) else f"{c} ({top})"
                                for c in second], 2
    return head, 1


def _row_label(cells: list[str]) -> str:
    """The words that name a row: its leading non-numeric cells, without an ordinal ('1', 'I', '-')."""
    label = []
    for c in cells:
        if _numeric(c) or re.fullmatch(r"[IVXLC]+|\d{1,3}|[a-zđ]\)?|[-–+]", c):
            if label:
                break
            continue
        label.append(c)
        if len(label) == 2:
            break
    return " – ".join(label)


def document_title(clean: CleanDocument) -> str:
    """The title as one sentence-cased line: 'Kế hoạch triển khai …', 'Quyết định … về …'."""
    blocks = clean.blocks
    header = _header_extent(clean)
    if header == 0:
        return ""
    type_line, title_lines = "", []
    for b in blocks[:header]:
        lines = [ln.strip() for ln in b.text.split("\n") if ln.strip()]
        if _MOTTO_RE.search(b.text) or NUMBER_LINE_RE.search(b.text) or HEADER_DATE_RE.search(b.text):
            if not any(_doc_type_line(ln) for ln in lines):
                continue
        for ln in lines:
            if not type_line and _doc_type_line(ln):
                type_line = ln
            elif type_line and not _MOTTO_RE.search(ln) and not _PREAMBLE_RE.match(ln):
                title_lines.append(ln)
        if type_line and title_lines:
            break
    if not type_line:
        first = [ln for ln in blocks[0].text.split("\n") if ln.strip()]
        type_line, title_lines = first[0], first[1:]
    parts = [sentence_case(type_line)] + [
        _keep_names(ln, ln.lower()) if _is_upper(ln) else ln[:1].lower() + ln[1:] for ln in title_lines]
    return clip(" ".join(p for p in parts if p).strip(), MAX_TITLE_CHARS)


def _keep_names(upper: str, lower: str) -> str:
    """A lower-cased title keeps its place names and codes: 'tỉnh Đồng Nai', '5G', 'IoT'."""
    for written in PLACE_NAMES:
        lower = re.sub(rf"\b{re.escape(written.lower())}\b", written, lower)
    for word in re.findall(r"\b\w*\d\w*\b", upper):  # "5G", "COVID-19"
        lower = re.sub(rf"\b{re.escape(word.lower())}\b", word, lower)
    return lower


def _header_extent(clean: CleanDocument) -> int:
    """How many leading blocks form the header (issuer, motto, number, date, type, title)."""
    blocks = clean.blocks
    if not blocks or _marker(blocks[0].text.split("\n")[0]) is not None:
        return 0
    end = 0
    seen_type = False
    for i, b in enumerate(blocks[:8]):
        first = b.text.split("\n")[0].strip()
        if _PREAMBLE_RE.match(first) or _ENACTING_RE.match(first) or _marker(first) or _ADDRESSEE_RE.match(first):
            break
        if any(len(ln) > MAX_HEADING_CHARS for ln in b.text.split("\n")):
            break  # prose: a header line is short
        is_type = any(_doc_type_line(ln) for ln in b.text.split("\n"))
        if is_type:
            seen_type = True
            end = i + 1
            continue
        header_like = (_MOTTO_RE.search(b.text) or NUMBER_LINE_RE.search(b.text) or HEADER_DATE_RE.search(b.text)
                       or (_is_upper(b.text) and len(b.text) < 400) or (i == 0) or (seen_type and i == end))
        if not header_like:
            break
        end = i + 1
        if seen_type and not _is_upper(b.text) and i == end - 1 and not b.text.startswith("Về"):
            break
    return end


class _Parser:
    """One pass over the blocks; ``units`` is the result."""

    def __init__(self, clean: CleanDocument) -> None:
        self.clean = clean
        self.units: list[Unit] = []
        self.stack: list[_Level] = []
        self.root: str | None = None  # an attached plan or an appendix after the body
        self.tail: str | None = None  # "recipients" / "signature" while a closing block is open
        self.root_years: tuple[int, ...] = ()  # the period an appendix's title states
        self.titled = True  # False right after a "PHỤ LỤC" line whose title is on the next line
        self.note_path: dict[int, tuple[str, ...]] = {}
        self.doc_years: tuple[int, ...] = ()
        self.body_started = False

    # -- paths and periods ------------------------------------------------------------------

    def path(self, stack: list[_Level] | None = None) -> tuple[str, ...]:
        """The section path under the open levels (or ``stack``)."""
        base = (self.root,) if self.root else ()
        return base + tuple(lv.label for lv in (self.stack if stack is None else stack) if lv.label)

    def years(self, stack: list[_Level] | None = None) -> tuple[tuple[int, ...], str | None]:
        """The years (and period) of the nearest open level (or level of ``stack``) stating any."""
        for lv in reversed(self.stack if stack is None else stack):
            if lv.years:
                ys = tuple(sorted(lv.years))
                return ys, str(ys[-1])
        return self.root_years or self.doc_years, None

    def add(self, kind: str, start: int, end: int, path: tuple[str, ...] | None = None, **kw) -> None:
        ys, period = self.years()
        kw.setdefault("years", ys)
        kw.setdefault("period", period)
        for lv in self.stack:  # every open heading now has something under it
            lv.line = None
        self.units.append(Unit(kind, self.path() if path is None else path, start, end, **kw))

    def drop(self, i: int) -> None:
        """Close the levels from ``i`` on. A heading that closes with no unit under it is content
        (a short item without closing punctuation, "2. Vùng II: các xã miền
        núi"): its line becomes an item, at its marker under the headings above it."""
        closing, kept = self.stack[i:], self.stack[:i]
        for j, lv in enumerate(closing):
            if lv.line is None:
                continue
            start, end, marker = lv.line
            above = kept + closing[:j]
            ys, period = self.years(above + [lv])
            self.units.append(Unit("item", self.path(above) + (marker.rstrip("."),), start, end, years=ys,
                                   period=period))
            lv.line = None
        del self.stack[i:]

    def open(self, kind: str, label: str, years: frozenset[int], leaf: bool) -> None:
        """A kind already open closes everything opened after it; a new kind nests deeper."""
        self.close_to(kind)
        self.stack.append(_Level(kind, label, years, leaf))

    def close_leaves(self) -> None:
        while self.stack and self.stack[-1].leaf:
            self.drop(len(self.stack) - 1)

    # -- blocks -----------------------------------------------------------------------------

    def run(self) -> list[Unit]:
        blocks = self.clean.blocks
        header = _header_extent(self.clean)
        if header:
            title_text = " ".join(b.text for b in blocks[:header])
            self.doc_years = tuple(sorted(covered_years(title_text.replace("\n", " "))))
            self.units.append(Unit("title", (sentence_case(blocks[0].text.split("\n")[0]),),
                                   blocks[0].start, blocks[header - 1].end, years=self.doc_years))
        for block in blocks[header:]:
            self.block(block)
        self.drop(0)
        return self.units

    def block(self, block) -> None:
        text = block.text
        first = text.split("\n")[0].strip()
        if block.footnote is not None:
            base = self.note_path.get(block.footnote, self.path())
            self.add("footnote", block.start, block.end, base + (f"{FOOTNOTE} {block.footnote}",),
                     number=block.footnote)
            return
        m = _BRACKET_NOTE_RE.match(text)
        if m:
            self.add("footnote", block.start, block.end, (f"{FOOTNOTE} {m.group(1)}",), number=int(m.group(1)))
            return
        if self.closing(block, first):
            return
        if _ENACTING_RE.match(first):
            self.body_started = True
            return
        if _ADDRESSEE_RE.match(first):
            self.add("paragraph", block.start, block.end, (ADDRESSEE,))
            return
        if self.new_root(block, first):
            return
        if self.appendix_title(block, first):
            return
        if _is_table(text):
            self.table(block)
            return
        for n in block.markers:
            self.note_path.setdefault(n, self.path())
        mk = _marker(first)
        if mk is None:
            self.plain(block)
            return
        self.body_started = True
        self.numbered(block, *mk)

    def closing(self, block, first: str) -> bool:
        """Recipients and the signature block, each as one unit, never swallowing what follows."""
        text = block.text
        if _RECIPIENTS_RE.match(first):
            self.tail = "recipients"
            self.add("recipients", block.start, block.end, (RECIPIENTS,))
            return True
        if _is_signature_start(text):
            self.tail = "signature"
            self.add("signature", block.start, block.end, (SIGNATURE,))
            return True
        prev = self.units[-1] if self.units else None
        if self.tail == "signature" and prev and prev.kind == "signature" and _is_signature_tail(text):
            self.units[-1] = Unit("signature", prev.path, prev.start, block.end, years=prev.years)
            return True
        if self.tail == "recipients" and prev and prev.kind == "recipients" and first.startswith(("-", "+", "Lưu")):
            self.units[-1] = Unit("recipients", prev.path, prev.start, block.end, years=prev.years)
            return True
        self.tail = None
        return False

    def new_root(self, block, first: str) -> bool:
        """An appendix, or a document attached after the signature ('KẾ HOẠCH …'): a new root."""
        m = _APPENDIX_RE.match(first)
        after_end = any(u.kind in ("signature", "recipients") for u in self.units)
        if m and (_is_upper(first) or len(first) < 40 or after_end):
            label = "Phụ lục" + (f" {m.group(2)}" if m.group(2) else "")
            title = first[m.end():].strip(" .:-–")  # "PHỤ LỤC I: DANH MỤC …" on one line
            self.drop(0)
            self.root, self.stack, self.root_years, self.titled = label, [], (), False
            if len(title) > 3:
                self.name_appendix(title)
            self.add("paragraph", block.start, block.end, (self.root,))
            return True
        type_line = _doc_type_line(first)
        if type_line and after_end:
            self.drop(0)
            self.root, self.stack, self.root_years = sentence_case(type_line) + " kèm theo", [], ()
            self.add("paragraph", block.start, block.end, (self.root,))
            return True
        return False

    def appendix_title(self, block, first: str) -> bool:
        """The upper-case line under "PHỤ LỤC" is the appendix's title: it names the appendix in
        the path ("Phụ lục 02. Danh mục nhiệm vụ mạng 5G, IoT …") and states its period."""
        if self.titled:
            return False
        self.titled = True
        if "\n" in block.text.strip() or not _mostly_upper(first) or first.startswith("(") or _is_table(block.text):
            return False
        self.name_appendix(first)
        self.add("paragraph", block.start, block.end, (self.root,))
        return True

    def name_appendix(self, title: str) -> None:
        self.titled = True
        # "… HẠ TẦNG 5G, IoT TRONG …": the upper-case words in lower case, a mixed-case name kept
        title = _keep_names(title, " ".join(w if any(c.islower() for c in w) else w.lower() for w in title.split()))
        self.root = _short(f"{self.root}. {title[:1].upper()}{title[1:]}")
        self.root_years = tuple(sorted(covered_years(title)))

    def plain(self, block) -> None:
        text = block.text
        self.close_leaves()
        if not self.body_started and not self.stack and not self.root:
            self.add("paragraph", block.start, block.end, (PREAMBLE,))
            return
        g = _GROUP_RE.match(text)
        targets = _targets(text, block.start)
        if targets:
            self.add_targets(block, targets, g.group(1) if g else None)
            return
        self.add("paragraph", block.start, block.end, footnotes=block.markers)

    def add_targets(self, block, targets, group: str | None, path: tuple[str, ...] | None = None) -> None:
        base = self.path() if path is None else path
        lead_end = targets[0][1]
        lead = self.clean.text[block.start:lead_end].strip()
        if lead and not group:  # prose before the first target stays searchable
            self.add("paragraph", block.start, block.start + len(lead.rstrip(_TRAILING)), base)
        for number, start, end in targets:
            self.add("target", start, end, base + ((group,) if group else ()), number=number, group=group)

    def numbered(self, block, kind: str, marker: str, rest: str) -> None:
        text = block.text
        heading = _is_heading(rest, text)
        years = frozenset(covered_years(rest)) if heading else frozenset()
        if kind in ("dash", "plus"):
            container = heading and rest.endswith(":")
            label = _short(rest) if container else ""
            if not container:
                self.close_to(kind)
                self.add("item", block.start, block.end, footnotes=block.markers)
                self.open(kind, "", frozenset(), leaf=True)
                return
            self.open(kind, label, frozenset(covered_years(rest)), leaf=False)
            self.add("item", block.start, block.end, footnotes=block.markers)
            return
        if heading and not _TARGET_RE.search(text):
            self.open(kind, _heading_label(marker, rest), years, leaf=False)
            if _is_field_line(rest):  # "2. Thời gian hỗ trợ: không quá 9 tháng": it says something
                self.add("item", block.start, block.end, self.path()[:-1] + (marker.rstrip("."),),
                         footnotes=block.markers)
            else:
                self.stack[-1].line = (block.start, block.end, marker)
            return
        # A numbered paragraph: its marker joins the path, and it is a unit of its own.
        ends_open = text.rstrip().endswith(":")
        label = _heading_label(marker, rest) if ends_open and len(rest) <= MAX_LABEL_CHARS else marker.rstrip(".")
        own_years = frozenset(covered_years(rest.split(":")[0])) if ends_open else frozenset()
        self.open(kind, label, own_years, leaf=not ends_open)
        targets = _targets(text, block.start)
        if targets and targets[0][1] > block.start:
            self.add_targets(block, targets, None)
            return
        self.add("item", block.start, block.end, footnotes=block.markers)

    def close_to(self, kind: str) -> None:
        """Close the open level of ``kind`` and everything opened after it (nothing when none is open)."""
        for i, lv in enumerate(self.stack):
            if lv.kind == kind:
                self.drop(i)
                return

    def table(self, block) -> None:
        """One unit per data row, carrying the column headers and its group rows' labels."""
        self.close_leaves()
        pos = block.start
        lines, offsets = [], []
        for ln in block.text.split("\n"):
            if not _MD_RULE_RE.match(ln):  # a Markdown table's "|---|---|" rule is not a row
                lines.append(ln)
                offsets.append((pos, pos + len(ln)))
            pos += len(ln) + 1
        headers, skip = _table_header(lines)
        header_text = _TABLE_SEP.join(headers)
        # "Đơn vị tính: 1.000 đồng/tháng" just above the table gives every figure in it its unit.
        prev = self.units[-1] if self.units else None
        caption = self.clean.text[prev.start:prev.end] if prev and prev.end + 2 >= block.start else ""
        if _UNIT_CAPTION_RE.match(caption):
            header_text += "\n" + caption
        head_years = tuple(sorted(covered_years(header_text)))
        ncols = len(headers)
        self.add("row", offsets[0][0], offsets[skip - 1][1], self.path() + ("Tiêu đề bảng",),
                 headers=header_text, years=head_years or self.years()[0])
        groups: list[tuple[int, str]] = []  # (depth, label) of group rows above the current row
        for ln, (s, e) in zip(lines[skip:], offsets[skip:]):
            cells = _cells(ln)
            label = _row_label(cells)
            no_values = not any(_numeric(c) for c in cells[1:])
            is_group = no_values and (bool(re.fullmatch(r"[IVXLC]+|[A-Z]", cells[0]))
                                      or (ncols > 2 and len(cells) <= max(2, ncols // 2)))
            if is_group and label:
                depth = 0 if re.fullmatch(r"[IVXLC]+|[A-Z]", cells[0]) else 1
                groups = [g for g in groups if g[0] < depth] + [(depth, label)]
            context = tuple(g[1] for g in groups if not is_group or g[1] != label)
            path = self.path() + context + ((label,) if label else ())
            row_years = tuple(sorted(covered_years(ln) | set(head_years))) or self.years()[0]
            self.add("row", s, e, path, headers=header_text, years=row_years)


def parse_units(clean: CleanDocument) -> list[Unit]:
    return _Parser(clean).run()
