"""Numbered targets and reported results -> a table of figures (label, comparator, value, unit).

An official reads a resolution as a list of numbered targets with values ("(7) Tổng thu ngân
sách ... đạt trên 17.800 tỷ đồng, trong đó: thu nội địa trên 8.800 tỷ đồng; ...") and a set
of reported results ("Thu nhập bình quân ước đạt 60 triệu đồng"). This module reads both, generically,
from the chunks ``ingest`` stored: target chunks (kind "target", one per "(n)") become target
records; sentences of the results part (a part whose heading reports "kết quả" / "đánh giá" /
"tình hình" of an earlier year) that hold a figure with a unit become result records.

The table is derived from the collection's chunks at start-up, like the BM25 index, so it can
never disagree with what is indexed. Figures are parsed in Vietnamese formats ("17.800" ->
17800, "2,5" -> 2.5, "0,5-0,6" -> a range). What cannot be read with confidence (a figure
with no unit, a number missing from the sequence, a number used twice) is flagged
``uncertain`` with a reason instead of being guessed.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.text import fold, sentence_spans
from core.vn import (
    COUNT_NOUNS, CURRENCY_WORDS, MAGNITUDE_WORDS, NUMBER, SLASHED_DATE_RE, UNITS_OF_MEASURE, is_year_token,
    parse_number,
)
from core.types import SECTION_SEP, Chunk, Measure, TargetRecord

# --- figures -------------------------------------------------------------------------------

# A figure: a number in Vietnamese format, a range "0,5-0,6", a share "15/20", a percent.
_FIGURE_RE = re.compile(
    rf"(?<![\w.,/-])(?P<a>{NUMBER})(?:\s*[-–]\s*(?P<b>{NUMBER}))?(?:/(?P<of>\d+)(?![\d/]))?(?P<pct>\s?%)?"
    r"(?![\w/]*[-/][A-ZĐ])"  # not a document number "1283/NQ-UBTVQH15", "11-NQ/TU"
)
_DESCRIPTOR_RE = re.compile(r"\s*(?:tuổi|sao)\b")  # "trẻ 5 tuổi", "khách sạn 4 sao": part of a label

_MAGNITUDE = "(?:" + "|".join(MAGNITUDE_WORDS) + ")"
_CURRENCY = "(?:" + "|".join(CURRENCY_WORDS) + ")"
_NOUN = "|".join(re.escape(n) for n in sorted(COUNT_NOUNS, key=len, reverse=True))  # longest first
_PER = r"(?:\s*/\s*(?:\d[\d.]*\s+)?(?:(?:vạn|nghìn|ngàn|triệu)\s+)?[^\W\d_]+(?:\s+dân)?)"
_UNIT_RE = re.compile(
    rf"\s*(?P<unit>(?:{_MAGNITUDE}\s+)?(?:{_CURRENCY}|{_NOUN})(?![^\W\d_]){_PER}*|{_MAGNITUDE}(?![^\W\d_]))",
    re.UNICODE,
)

# Words between what is measured and its figure: "đạt trên", "ước đạt", "giảm còn", "cho trên".
_CHAIN_WORDS = sorted(
    ["ước đạt", "đạt", "trên", "dưới", "tối thiểu", "ít nhất", "khoảng", "gần", "hơn", "còn", "giảm",
     "tăng", "có", "cho", "là", "bằng", "lên", "xuống", "đến", "tới", "không quá", "không dưới", "từ",
     "vượt", "ở mức", "mức", "duy trì"],
    key=len, reverse=True,
)
_BOUNDS = ("trên", "dưới", "tối thiểu", "ít nhất", "khoảng", "gần", "hơn", "không quá", "không dưới", "vượt")
_FILLERS = ("đạt", "cho", "là", "bằng", "ở mức", "mức", "lên", "đến", "tới", "từ")
_LEADS = ("trong đó có", "trong đó", "nổi bật là", "đồng thời", "gồm", "với", "và", "có")
_MAINTAIN = "duy trì"
_DELIMS_RE = re.compile(r"[;:]|\btrong đó\b")
_TARGET_MARK_RE = re.compile(r"^\(\d{1,3}\)\s*")
RESULT_PART_WORDS = ("ket qua", "danh gia", "tinh hinh")  # headings of a results part (folded)


def _strip_chain(prefix: str) -> tuple[str, list[str]]:
    """Split 'Tổng vốn đầu tư xã hội đạt trên' into ('Tổng vốn đầu tư xã hội', ['đạt', 'trên'])."""
    words: list[str] = []
    rest = prefix.rstrip()
    while True:
        low = rest.lower()
        for w in _CHAIN_WORDS:
            if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalnum()):
                words.insert(0, w)
                rest = rest[: len(rest) - len(w)].rstrip()
                break
        else:
            return rest, words


def _comparator(chain: list[str]) -> str:
    if _MAINTAIN in chain:  # "... duy trì 100%", "... duy trì trên 52%"
        rest = [w for w in chain if w in _BOUNDS]
        return " ".join([_MAINTAIN] + rest[-1:])
    bounds = [w for w in chain if w in _BOUNDS]
    if bounds:
        verbs = [w for w in chain if w in ("giảm", "tăng")]
        return " ".join(verbs + bounds[-1:])
    kept = [w for w in chain if w not in _FILLERS] or chain[-1:]
    if kept == ["có"] and len(chain) > 1:
        kept = [w for w in chain if w != "có"]
    return " ".join(kept)


def _strip_leads(text: str) -> str:
    text = text.strip(" ,;:(\n")
    changed = True
    while changed:
        changed = False
        for lead in _LEADS:
            if text.lower().startswith(lead + " ") or text.lower() == lead:
                text = text[len(lead):].strip(" ,;:(\n")
                changed = True
    return text.rstrip(" ,;:(\n")


@dataclass
class _Figure:
    start: int  # within the scanned text
    end: int  # after the unit
    figure: str
    low: float
    high: float
    unit: str | None


def _figures(text: str, year_like_is_figure: bool = False) -> list[_Figure]:
    masked = SLASHED_DATE_RE.sub(lambda m: "#" * len(m.group()), text)
    out: list[_Figure] = []
    for m in _FIGURE_RE.finditer(masked):
        a, b, of, pct = m.group("a"), m.group("b"), m.group("of"), m.group("pct")
        end = m.end()
        unit = None
        if not pct and _DESCRIPTOR_RE.match(text, end):
            continue
        if pct:
            unit = "%"
        else:
            u = _UNIT_RE.match(text, end)
            if u:
                unit = " ".join(u.group("unit").split())
                end = u.end()
        if unit is None and not year_like_is_figure and is_year_token(a) and not b:
            continue  # "năm 2024", "giai đoạn 2021-2025": a year, not a figure
        if unit is None and b and is_year_token(a) and is_year_token(b):
            continue
        low = parse_number(a)
        high = parse_number(b) if b else low
        figure = text[m.start("a"): (m.end("of") if of else m.end("b") if b else m.end("a"))]
        out.append(_Figure(m.start(), end, figure, low, high, unit))
    return out


def parse_measures(text: str, offset: int = 0, maintain: bool = False, short_labels: bool = False) -> list[Measure]:
    """Every figure of ``text`` with what it measures; offsets are shifted by ``offset``.

    ``maintain``: the text opens with "Duy trì ...", so its comparators read "duy trì ...".
    ``short_labels``: cut a long lead-in to its last clause (prose results, not targets).
    """
    figures = _figures(text)
    out: list[Measure] = []
    prev_end = 0
    for i, f in enumerate(figures):
        seg_start = prev_end
        for d in _DELIMS_RE.finditer(text, prev_end, f.start):
            seg_start = d.end()
        prefix, chain = _strip_chain(text[seg_start:f.start])
        label = _strip_leads(prefix)
        opener = label.lower().startswith(_MAINTAIN + " ") or (maintain and i == 0)
        if label.lower().startswith(_MAINTAIN + " "):
            label = label[len(_MAINTAIN):].strip()
        next_start = figures[i + 1].start if i + 1 < len(figures) else len(text)
        tail_end = next_start
        d = _DELIMS_RE.search(text, f.end, next_start)
        if d:
            tail_end = d.start()
        tail = text[f.end:tail_end]
        last_in_segment = tail_end != next_start or i + 1 == len(figures)
        # a count noun ("doanh nghiệp", "bác sĩ/1 vạn dân") names what is counted; "km" measures it
        head = (f.unit or "").split("/")[0]
        measure = head in UNITS_OF_MEASURE
        noun = f.unit if f.unit and not measure and f.unit[0] not in "%/" and not re.match(_MAGNITUDE, f.unit) else ""
        end = f.end
        tail_clause_end = f.end + len(tail.rstrip(" ,.;:\n"))  # the clause runs on when the tail names it
        if not label:  # "(21) trên 93,5% hộ gia đình đạt danh hiệu văn hóa": the label follows
            rest = _strip_leads(tail).rstrip(" .")
            label = " ".join(p for p in (noun.split("/")[0] if rest else ("Số " + noun if noun else ""), rest) if p)
            end = tail_clause_end if last_in_segment else end
        elif (noun or measure) and last_in_segment and tail.strip(" ,.;:\n"):
            # "Thành lập mới trên 1.200 doanh nghiệp và đơn vị trực thuộc": what is counted
            label = " ".join(p for p in (label, noun.split("/")[0], tail.strip(" ,.;:")) if p)
            end = tail_clause_end
        if short_labels and len(label.split()) > 12 and ", " in label:  # a long lead-in: its last clause
            label = label.rsplit(", ", 1)[1]
        comparator = _comparator(chain)
        if opener:
            comparator = " ".join(p for p in (_MAINTAIN, comparator if comparator in _BOUNDS else "") if p)
        clause_start = seg_start + (len(text[seg_start:f.start]) - len(text[seg_start:f.start].lstrip(" ,")))
        out.append(Measure(label=label, comparator=comparator, low=f.low, high=f.high, unit=f.unit,
                           figure=f.figure, start=offset + clause_start, end=offset + end))
        prev_end = f.end
    return out


# --- records -------------------------------------------------------------------------------


def doc_name(chunk: Chunk) -> str:
    """How the table names a chunk's document: its short name ("Kế hoạch 45/KH-UBND của …"), else
    its title, else its id."""
    return chunk.info.short_name() or chunk.doc_title or chunk.doc_id


def _target_record(chunk: Chunk) -> TargetRecord:
    mark = _TARGET_MARK_RE.match(chunk.text)
    body_at = mark.end() if mark else 0
    body = chunk.text[body_at:]
    measures = parse_measures(body, chunk.start + body_at, maintain=fold(body).startswith("duy tri "))
    warnings = [f"figure {m.figure} has no unit" for m in measures if m.unit is None]
    return TargetRecord(kind="target", doc=chunk.doc_id, number=chunk.number, group=chunk.group,
                        year=chunk.period, text=chunk.text, values=tuple(measures), section=chunk.section,
                        start=chunk.start, end=chunk.end, chunk_id=chunk.id,
                        uncertain=bool(warnings), warnings=tuple(warnings), doc_title=doc_name(chunk))


def _flag_sequence(records: list[TargetRecord]) -> list[TargetRecord]:
    """Flag numbers used twice and gaps in the numbering (numbering may restart at 1 per group)."""
    notes: dict[int, list[str]] = defaultdict(list)
    seen: dict[int, int] = {}
    prev: TargetRecord | None = None
    for i, r in enumerate(records):
        n = r.number or 0
        if prev is not None and n == 1 and r.group != prev.group:
            seen = {}  # a new group numbered from (1)
        elif prev is not None and n != (prev.number or 0) + 1:
            if n in seen:
                notes[i].append(f"target ({n}) appears more than once")
                notes[seen[n]].append(f"target ({n}) appears more than once")
            elif n > (prev.number or 0) + 1:
                missing = ", ".join(f"({k})" for k in range((prev.number or 0) + 1, n))
                notes[i - 1].append(f"the numbering skips {missing} after this target")
                notes[i].append(f"the numbering skips {missing} before this target")
            else:
                notes[i].append(f"target ({n}) is out of order")
        seen.setdefault(n, i)
        prev = r
    out = []
    for i, r in enumerate(records):
        if notes[i]:
            w = r.warnings + tuple(dict.fromkeys(notes[i]))
            r = TargetRecord(**{**r.__dict__, "uncertain": True, "warnings": w})
        out.append(r)
    return out


def in_part(chunk: Chunk, part_words: tuple[str, ...]) -> bool:
    """The chunk's part heading (folded) names one of ``part_words`` ("ket qua", "nhiem vu", ...)."""
    head = fold(chunk.section.split(SECTION_SEP)[0])
    return any(w in head for w in part_words)


def _is_results_part(chunk: Chunk, target_year: str | None) -> bool:
    if chunk.kind != "paragraph" or not chunk.period or chunk.period == target_year:
        return False
    return in_part(chunk, RESULT_PART_WORDS)


# A heading that sets objectives or targets (folded): "Mục tiêu cụ thể", "Các chỉ tiêu đến năm 2035".
AIM_HEADING_WORDS = ("muc tieu", "chi tieu")
_AIM_HEAD_RE = re.compile(rf"(?:cac |nhung )?(?:{'|'.join(AIM_HEADING_WORDS)})\b")  # "5. Một số chỉ tiêu cụ thể"
_LIST_MARK_RE = re.compile(r"\s*(?:[-+•]\s+|\(?[a-zđ]\)\s+|\d+(?:\.\d+)*\.\s+)?")
_MARKER_RE = re.compile(r"^(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])[.)]?\s+")  # "ii. ", "3.2. ", "a) " (folded)


def _is_aim(chunk: Chunk) -> bool:
    """An unnumbered target: an item or paragraph under a heading that sets objectives or targets
    ("2.1. Mục tiêu cụ thể › b)", "4. Các chỉ tiêu đến năm 2035 › 4.2"), outside a results part."""
    if chunk.kind not in ("item", "paragraph") or in_part(chunk, RESULT_PART_WORDS):
        return False
    heads = (_MARKER_RE.sub("", fold(h)) for h in chunk.section.split(SECTION_SEP))
    return any(_AIM_HEAD_RE.match(h) for h in heads)  # not "Giải pháp thực hiện mục tiêu"


def _aim_records(chunk: Chunk) -> list[TargetRecord]:
    """Each sentence of an unnumbered target that states a figure with a unit; its year is the
    heading's period ("Mục tiêu đến cuối năm 2027"), or the one year the chunk speaks of."""
    year = chunk.period or (str(chunk.years[0]) if len(chunk.years) == 1 else None)
    out = []
    for s, e in sentence_spans(chunk.text):
        s += len(_LIST_MARK_RE.match(chunk.text, s).group())  # "- ", "+ ", "a) ", "6.1. ": not a label
        sentence = chunk.text[s:e].rstrip(" .")
        measures = [m for m in parse_measures(sentence, chunk.start + s, short_labels=True) if m.unit]
        if measures:
            out.append(TargetRecord(kind="aim", doc=chunk.doc_id, number=None, group=None, year=year,
                                    text=sentence, values=tuple(measures), section=chunk.section,
                                    start=chunk.start + s, end=chunk.start + s + len(sentence), chunk_id=chunk.id,
                                    doc_title=doc_name(chunk)))
    return out


def _result_records(chunk: Chunk) -> list[TargetRecord]:
    out = []
    for s, e in sentence_spans(chunk.text):
        sentence = chunk.text[s:e].rstrip(" .")
        measures = [m for m in parse_measures(sentence, chunk.start + s, short_labels=True) if m.unit]
        if measures:
            out.append(TargetRecord(kind="result", doc=chunk.doc_id, number=None, group=None, year=chunk.period,
                                    text=sentence, values=tuple(measures), section=chunk.section,
                                    start=chunk.start + s, end=chunk.start + s + len(sentence), chunk_id=chunk.id,
                                    doc_title=doc_name(chunk)))
    return out


@dataclass
class TargetTable:
    """Targets and results of every indexed document, in document order."""

    targets: list[TargetRecord] = field(default_factory=list)
    results: list[TargetRecord] = field(default_factory=list)
    # Unnumbered targets: sentences with a figure under a heading that sets objectives ("Mục tiêu cụ
    # thể", "Các chỉ tiêu đến năm 2035"), as plans word them. Counts and "chỉ tiêu số n" read
    # the numbered targets only; the table across documents reads these too.
    aims: list[TargetRecord] = field(default_factory=list)

    @classmethod
    def from_chunks(cls, chunks: list[Chunk]) -> TargetTable:
        by_doc: dict[str, list[Chunk]] = defaultdict(list)
        for c in chunks:
            by_doc[c.doc_id].append(c)
        return cls.concat([cls.of_document(by_doc[doc]) for doc in sorted(by_doc)])

    @classmethod
    def of_document(cls, chunks: list[Chunk]) -> TargetTable:
        """The table of ONE document's chunks (a library's table is its documents' tables, in order:
        ``concat``; a document added or removed changes only its own)."""
        table = cls()
        doc_chunks = sorted(chunks, key=lambda c: c.start)
        targets = [_target_record(c) for c in doc_chunks if c.kind == "target" and c.number is not None]
        table.targets += _flag_sequence(targets)
        years = [t.year for t in targets if t.year]
        target_year = max(years) if years else None
        for c in doc_chunks:
            if _is_results_part(c, target_year):
                table.results += _result_records(c)
            elif _is_aim(c):
                table.aims += _aim_records(c)
        return table

    @classmethod
    def concat(cls, tables: Iterable[TargetTable]) -> TargetTable:
        out = cls()
        for t in tables:
            out.targets += t.targets
            out.results += t.results
            out.aims += t.aims
        return out

    def _kinds(self, kind: str) -> list[str]:
        return [kind] if kind in ("targets", "results", "aims") else ["targets", "results", "aims"]

    @property
    def _by_doc(self) -> dict[str, dict[str, list[TargetRecord]]]:
        """doc id -> kind -> its records (documents in the order of each kind's rows), derived
        once: a document's rows are a lookup, not a scan of the library's table."""
        cached = self.__dict__.get("_by_doc_cache")
        if cached is None:
            cached = {}
            for kind in ("targets", "results", "aims"):
                for r in getattr(self, kind):
                    cached.setdefault(r.doc, {"targets": [], "results": [], "aims": []})[kind].append(r)
            self.__dict__["_by_doc_cache"] = cached
        return cached

    def _rank(self, kind: str) -> dict[str, int]:
        """doc id -> the position of its first row of ``kind``."""
        cache = self.__dict__.setdefault("_rank_cache", {})
        if kind not in cache:
            rank: dict[str, int] = {}
            for r in getattr(self, kind):
                rank.setdefault(r.doc, len(rank))
            cache[kind] = rank
        return cache[kind]

    def select(self, kind: str = "targets", doc: str | Iterable[str] | None = None, group: str | None = None,
               text: str | None = None) -> list[TargetRecord]:
        """Filter by document (one id, or several), group (accent-insensitive substring) and free
        text (all words)."""
        if doc:
            wanted = [doc] if isinstance(doc, str) else list(dict.fromkeys(doc))
            per_doc = self._by_doc
            rows = []
            for k in self._kinds(kind):
                rank = self._rank(k)
                for d in sorted((d for d in wanted if d in rank), key=rank.__getitem__):
                    rows += per_doc[d][k]
        else:
            rows = {"targets": self.targets, "results": self.results, "aims": self.aims}.get(
                kind, self.targets + self.results + self.aims)
        if group:
            g = fold(group)
            rows = [r for r in rows if r.group and g in fold(r.group)]
        if text:
            words = fold(text).split()
            rows = [r for r in rows if all(w in fold(r.text) for w in words)]
        return rows

    def by_number(self, number: int, doc: str | Iterable[str] | None = None) -> list[TargetRecord]:
        return [r for r in self.select(doc=doc) if r.number == number]

    def groups(self, doc: str | Iterable[str] | None = None) -> list[str]:
        return list(dict.fromkeys(r.group for r in self.select(doc=doc) if r.group))

    def documents(self) -> dict[str, str]:
        """doc id -> short name of every document with a target, a result or an aim, in table order
        (derived once; the table does not change once built)."""
        cached = self.__dict__.get("_documents_cache")
        if cached is None:
            cached = {r.doc: r.doc_title for r in self.targets + self.results + self.aims}
            self.__dict__["_documents_cache"] = cached
        return dict(cached)


# --- exports -------------------------------------------------------------------------------

# "doc" is the document's id; "doc_title" its short name (added last: scripts read the columns before it).
CSV_COLUMNS = ["doc", "kind", "year", "number", "group", "label", "comparator", "value", "min", "max", "unit",
               "text", "section", "start", "end", "uncertain", "warnings", "doc_title"]


def flat_rows(records: list[TargetRecord]) -> list[dict]:
    """One row per figure (a target with no figure keeps one row) for CSV and Excel."""
    rows = []
    for r in records:
        for m in r.values or (None,):
            rows.append({
                "doc": r.doc, "kind": r.kind, "year": r.year or "", "number": r.number if r.number else "",
                "group": r.group or "", "label": m.label if m else "", "comparator": m.comparator if m else "",
                "value": "" if m is None or m.is_range else m.value_json(),
                "min": m.value_json()["min"] if m and m.is_range else "",
                "max": m.value_json()["max"] if m and m.is_range else "",
                "unit": (m.unit or "") if m else "", "text": r.text, "section": r.section,
                "start": r.start, "end": r.end, "uncertain": r.uncertain, "warnings": "; ".join(r.warnings),
                "doc_title": r.doc_title,
            })
    return rows


def to_csv(records: list[TargetRecord]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(flat_rows(records))
    return buf.getvalue()


# The files a reader opens (the UI's downloads, `targets --xlsx`): Vietnamese headers, one row per figure
# as on the "Chỉ tiêu" tab. `targets --csv` / `--json` keep the field names above, for scripts.
SHEET_COLUMNS = ["Số", "Nhóm", "Chỉ tiêu", "So sánh", "Giá trị", "Đơn vị", "Chưa chắc chắn", "Văn bản", "Trích dẫn"]
_SHEET_NAME_BAD = str.maketrans({c: "-" for c in "[]:*?/\\"})


def sheet_rows(records: list[TargetRecord], numbers: bool = False) -> list[list]:
    """One row per figure (a record with no figure keeps one row), in SHEET_COLUMNS' order. The value is
    the figure as written ("17.800", "0,5-0,6"), or with ``numbers`` a number for Excel (a range stays
    as written)."""
    rows = []
    for r in records:
        for m in r.values or (None,):
            value = "" if m is None else m.value_json() if numbers and not m.is_range else m.figure
            rows.append([f"({r.number})" if r.number is not None else "", r.group or (f"Năm {r.year}" if r.year else ""),
                         m.label if m else r.text, m.comparator if m else "", value, (m.unit or "") if m else "",
                         "Có" if r.uncertain else "Không", r.doc_title or r.doc, r.text])
    return rows


def to_sheet_csv(records: list[TargetRecord]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(SHEET_COLUMNS)
    writer.writerows(sheet_rows(records))
    return buf.getvalue()


def to_xlsx(records: list[TargetRecord], path, sheet: str = "Chỉ tiêu") -> None:
    """An Excel workbook of ``records``, its one sheet named ``sheet`` (what it holds: "Kết quả", …)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet.translate(_SHEET_NAME_BAD)[:31] or "Chỉ tiêu"  # Excel's limits on sheet names
    ws.append(SHEET_COLUMNS)
    for row in sheet_rows(records, numbers=True):
        ws.append(row)
    for column, width in zip("ABCDEFGHI", (7, 22, 40, 14, 12, 14, 10, 40, 80)):
        ws.column_dimensions[column].width = width
    wb.save(path)
