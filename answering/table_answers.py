"""Answers read from the targets table: how many targets, and a result set against its target.

Two question shapes are answered from the table (``ingest.targets``) rather than from spans:

* "có bao nhiêu chỉ tiêu chủ yếu" / "bao nhiêu chỉ tiêu về môi trường": the count, per group,
  each group cited by its last target (whose number closes the range);
* "so sánh tăng trưởng kinh tế năm 2024 với mục tiêu năm 2025": the reported result and the
  target that measure the same thing, each cited at the clause holding its figure, and the
  difference, only when both are levels in the same unit;
* "tỷ lệ che phủ rừng qua các năm", "so sánh chỉ tiêu giải ngân của Lạng Sơn và Cà Mau": one
  indicator across documents, as a small table (document, year, value, unit, comparator), each
  row cited at its own clause.

Counts and comparisons read ONE document: the scoped one, or the best-ranked one that the
reading fits (the chain passes the documents of its passages, best first). Only a question that
asks across documents ("qua các năm", "các tỉnh", "các văn bản", "so sánh … của A và B", or one
naming two places or document numbers) gets the table across documents, and only when at least
two documents state the indicator; otherwise the normal answer is given.

Anything else (and any question these readings do not fit confidently) is left to the
extractive answerer. Nothing here knows this document's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from answering.extractive import _measured_things, _thing_after, same_quantity
from answering.library import document_name
from ingest.targets import TargetTable
from retrieval.query import QueryInfo
from core.text import fold, topic_coverage, words
from core.types import Answer, Chunk, Citation, DocumentInfo, Measure, TargetRecord
from core.vn import MEASURE_HEADS, all_place_names

_COUNT_RE = re.compile(r"\b(?:bao nhieu|may|tong so|so luong|so) chi tieu\b|\bchi tieu\b.*\b(?:bao nhieu|may)\b")
_COMPARE_RE = re.compile(r"\bso sanh\b|\bso voi\b|\bchenh lech\b|\bcao hon\b|\bthap hon\b")
_TARGET_WORDS_RE = re.compile(r"\b(?:muc tieu|chi tieu|ke hoach)\b")
# Words that say how a count or a comparison is asked, not what about.
_FRAME = set(
    "co bao nhieu may tong so luong chi tieu chu yeu nghi quyet van ban de ra dat ra dua ra gom tat ca cong "
    "ve linh vuc nhom thuoc cua so sanh voi muc ke hoach ket qua thuc hien nam chenh lech cao thap hon giua "
    "uoc dat duoc trong tinh".split()
)
_CHANGE = ("giảm", "tăng")
_MIN_COVERAGE = 0.6

# A question asking across documents: over the years, the provinces, the documents (folded).
_ACROSS_RE = re.compile(
    r"\bqua (?:cac|nhieu) nam\b|\b(?:cac|giua cac|giua hai) (?:tinh|thanh pho|dia phuong|van ban|ke hoach|"
    r"nghi quyet|quyet dinh)\b")
# "Kế hoạch 153", "KH 157", "Nghị quyết số 66": a document named by its number (folded).
_DOC_NAMED_RE = re.compile(r"\b(?:ke hoach|nghi quyet|quyet dinh|kh|nq|qd)\s+(?:so\s+)?(\d{1,5})\b")
# Words that frame a question across documents, not the indicator it asks about (folded).
_ACROSS_FRAME = set(
    "qua cac nhieu nam tung tinh thanh pho dia phuong van ban ke hoach nghi quyet quyet dinh giua hai va "
    "theo moi nhu the nao ra sao kh nq qd".split()
)
# Place names (folded) -> the name each is filed under, longest first: "ha noi", "tp.hcm", "can tho".
_PLACES = sorted(((" ".join(words(k)), v) for k, v in all_place_names().items()), key=lambda kv: -len(kv[0]))
# Measure heads that name a rate or share: a figure in % states them by its unit.
RATE_HEADS = tuple(h for h in MEASURE_HEADS if h in ("ty le", "ty trong"))
MAX_ACROSS_ROWS = 12  # a table longer than this no longer answers "at a glance"


def _fmt(x: float) -> str:
    """17800 -> '17.800', 0.3 -> '0,3' (Vietnamese number format)."""
    if x == int(x):
        return f"{int(x):,}".replace(",", ".")
    return f"{x:,.2f}".rstrip("0").rstrip(".").replace(",", "X").replace(".", ",").replace("X", ".")


def _is_change(m: Measure) -> bool:
    """"giảm 0,5-0,6%" states a change; "giảm còn 2,41%" (down to) and "đạt 7%" state levels."""
    words_ = m.comparator.split()
    return any(w in words_ for w in _CHANGE) and "còn" not in words_


def _places(folded: str) -> list[str]:
    """The provinces a folded text names, as filed ("Hà Nội", "Hồ Chí Minh"), in order of mention."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for name, filed in _PLACES:
        for m in re.finditer(rf"(?<![\w.]){re.escape(name)}(?![\w])", folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # "ha noi" inside a longer name already found
            taken.append((m.start(), m.end()))
            found.append((m.start(), filed))
    return list(dict.fromkeys(f for _, f in sorted(found)))


def doc_places(info: DocumentInfo) -> set[str]:
    """The provinces a document is about (its province and place line), as filed."""
    names = all_place_names()
    return {names.get(p, p) for p in (info.province, info.place) if p} | set(_places(" ".join(words(info.province))))


def _share_topic(topic: list[str], m: Measure) -> list[str]:
    """A share states its "tỷ lệ" by its "%" ("trên 80% số trạm y tế"): for a figure in % the
    measure head of a rate is not looked for in the text, only what it measures."""
    if m.unit != "%":
        return topic
    folded = " ".join(topic)
    for head in RATE_HEADS:
        if folded.startswith(head + " "):
            return topic[len(head.split()):]
    return topic


@dataclass(frozen=True)
class _Row:
    rec: TargetRecord
    measure: Measure
    coverage: float
    start: int  # the clause cited, in the document's text
    end: int


# Words before a leading figure that state how much, not what: "Trên 80% số trạm …", "Phấn đấu 100% …".
_LEAD_WORDS = frozenset("tren duoi phan dau dat it nhat toi thieu khoang hon gan bao dam dam bao".split())
_ITEM_MARK_RE = re.compile(r"^\s*(?:\(\d{1,3}\)|\d+(?:\.\d+)*\.?|[a-zđ]\))\s*", re.I)


def _clauses(rec: TargetRecord) -> list[tuple[tuple[int, int], list[Measure]]]:
    """The record's ';'-clauses (offsets in rec.text) that hold a figure, each with its measures."""
    out = []
    pos = 0
    for part in re.split(r"(;)", rec.text):
        if part != ";":
            start = pos + len(part) - len(part.lstrip())
            end = pos + len(part.rstrip(" .\n"))
            members = [m for m in rec.values if start <= _figure_at(rec, m) < end]
            if members and end > start:
                out.append(((start, end), members))
        pos += len(part)
    return out


def _figure_at(rec: TargetRecord, m: Measure) -> int:
    """Where the figure itself stands in rec.text (a measure's clause may start well before it)."""
    at = rec.text.find(m.figure, max(0, m.start - rec.start))
    return at if at >= 0 else m.start - rec.start


def _asked_thing(q: QueryInfo, topic: list[str]) -> list[str]:
    """What the question measures: the words after its measure head ("tỷ lệ [trạm y tế] …"), or
    its first topic words."""
    qw = words(q.current)
    for _head, pos in _measured_things(qw):
        thing = _thing_after(qw, pos)
        if thing:
            return thing
    return topic[:2]


def _owner(rec: TargetRecord, cs: int, ce: int, members: list[Measure], thing: list[str]) -> Measure:
    """The figure of a clause that measures the thing asked. A clause that opens with its figure
    ("Trên 80% số trạm y tế … và 100% cơ sở cai nghiện …") names each thing after its figure; one
    that opens with a label ("Tổng thu … đạt 17.800 tỷ đồng, trong đó: thu nội địa 8.800 tỷ đồng")
    names it before."""
    if len(members) == 1:
        return members[0]
    at = [_figure_at(rec, m) for m in members]
    lead = _ITEM_MARK_RE.sub("", rec.text[cs:at[0]])
    leading = all(w in _LEAD_WORDS for w in words(lead))
    for i, m in enumerate(members):
        if leading:
            seg = rec.text[at[i]:at[i + 1] if i + 1 < len(at) else ce]
        else:
            seg = rec.text[(at[i - 1] + len(members[i - 1].figure)) if i else cs:at[i] + len(m.figure)]
        if thing and all(w in words(seg) for w in thing):
            return m
    return members[0]


class TableAnswerer:
    """``table``: the targets table; ``chunk``: a chunk by id."""

    def __init__(self, table: Callable[[], TargetTable], chunk: Callable[[str], Chunk | None]) -> None:
        self._table = table
        self._chunk = chunk

    def answer(self, question: str, q: QueryInfo, doc: str | Sequence[str] | None,
               scope: Collection[str] | None = None) -> Answer | None:
        """``doc``: the documents the question's passages come from, best-ranked first (or one id);
        ``scope``: the documents the question may use (None: the whole library)."""
        ranked = self._ranked(doc, scope)
        folded = fold(q.current)
        if scope is None or len(scope) > 1:
            across = self._across(question, q, ranked)
            if across is not None:
                return across
        if _COMPARE_RE.search(folded):
            return self._compare(question, q, ranked)
        if _COUNT_RE.search(folded):
            return self._count(question, q, ranked)
        return None

    def across(self, question: str, q: QueryInfo, doc: Sequence[str], scope: Collection[str] | None = None
               ) -> Answer | None:
        """The table across documents, when the question asks across documents and at least two
        of ``scope`` (None: the library) state the indicator; else None."""
        return self._across(question, q, self._ranked(doc, scope))

    def _ranked(self, doc: str | Sequence[str] | None, scope: Collection[str] | None) -> list[str]:
        """The documents of the table in the order to try them: the passages' documents, best
        first, then the rest of the scope (or of the library) in table order."""
        first = [doc] if isinstance(doc, str) else list(doc or [])
        rest = [d for d in self._table().documents() if scope is None or d in scope]
        return list(dict.fromkeys([d for d in first if scope is None or d in scope] + rest))

    def _doc_name(self, rec: TargetRecord, alone: str = "Văn bản") -> str:
        """How a count names its document: by its type ("Kế hoạch đề ra 5 chỉ tiêu"); the chain
        introduces the answer by the document's name once the library holds several."""
        chunk = self._chunk(rec.chunk_id)
        return (chunk.info.doc_type if chunk else "") or alone

    def _row_name(self, rec: TargetRecord) -> str:
        """How a row of the table across documents names its document, as answers name it."""
        chunk = self._chunk(rec.chunk_id)
        return document_name(chunk.info, rec.doc) if chunk else (rec.doc_title or rec.doc)

    # --- "có bao nhiêu chỉ tiêu" -------------------------------------------------------------

    def _count(self, question: str, q: QueryInfo, ranked: list[str]) -> Answer | None:
        """The targets of ONE document: the best-ranked one that has targets (and, when a group is
        asked, that group)."""
        table = self._table()
        rest = [w for w in words(q.current) if w not in _FRAME and not w.isdigit()]
        for doc in ranked:
            targets = table.select(doc=doc)
            if not targets:
                continue
            years = {t.year for t in targets if t.year}
            if q.years and not set(q.years) <= years:
                continue  # "năm 2024 đạt bao nhiêu chỉ tiêu": a result, not this table
            asked = None
            if rest:  # "bao nhiêu chỉ tiêu về môi trường": the rest must name a group, nothing else
                named = [g for g in table.groups(doc) if set(rest) <= set(words(g))]
                # "kế hoạch chi trả không dùng tiền mặt có bao nhiêu chỉ tiêu": words naming the document
                own = self._identity_words(doc)
                about = [w for w in rest if w not in own]
                if not named and about:
                    named = [g for g in table.groups(doc) if set(about) <= set(words(g))]
                if not named and about:
                    continue  # this document has no such group; another may
                asked = min(named, key=lambda g: len(words(g))) if named else None
            return self._count_of(question, [t for t in targets if asked is None or t.group == asked], asked)
        return None  # about something else ("chỉ tiêu đạt và vượt kế hoạch"), or no targets

    def _count_of(self, question: str, chosen: list[TargetRecord], asked: str | None) -> Answer:
        by_group: dict[str, list[TargetRecord]] = {}
        for t in chosen:
            by_group.setdefault(t.group or "", []).append(t)
        cites, parts = [], []
        for i, (g, members) in enumerate(by_group.items(), 1):
            last = members[-1]
            cites.append(self._cite(i, last, last.start, last.end))
            nums = f"({members[0].number})" if len(members) == 1 else f"({members[0].number})–({last.number})"
            parts.append(f"{g or 'Chỉ tiêu'}: {len(members)} chỉ tiêu, {nums} [{i}]")
        if asked:
            first, last = chosen[0].number, chosen[-1].number
            nums = f"({first})" if len(chosen) == 1 else f"({first})–({last})"
            text = f"{self._doc_name(chosen[0])} đề ra {len(chosen)} chỉ tiêu {asked[0].lower()}{asked[1:]}: {nums} [1]"
        else:
            text = (f"{self._doc_name(chosen[0])} đề ra {len(chosen)} chỉ tiêu chủ yếu:\n"
                    + "\n".join(f"- {p}" for p in parts))
        warnings = [w for t in chosen for w in t.warnings]
        if warnings:
            text += "\n(Lưu ý: danh sách chỉ tiêu có chỗ chưa rõ ràng, cần đối chiếu văn bản.)"
        return Answer(question=question, answer=text, found=True, citations=cites)

    # --- "so sánh X năm 2024 với mục tiêu năm 2025" ------------------------------------------

    def _compare(self, question: str, q: QueryInfo, ranked: list[str]) -> Answer | None:
        """A result and a target of ONE document: the best-ranked one that states both."""
        for doc in ranked:
            answer = self._compare_in(question, q, doc)
            if answer is not None:
                return answer
        return None

    def _compare_in(self, question: str, q: QueryInfo, doc: str) -> Answer | None:
        table = self._table()
        results = table.select("results", doc=doc)
        targets = table.select("targets", doc=doc)
        if not results or not targets:
            return None
        folded = fold(q.current)
        result_years = {r.year for r in results}
        target_years = {t.year for t in targets}
        asked_results = [y for y in q.years if y in result_years]
        if not asked_results or not ([y for y in q.years if y in target_years] or _TARGET_WORDS_RE.search(folded)):
            return None
        topic = [w for w in words(q.current) if w not in _FRAME and not w.isdigit()]
        result = self._best(topic, [r for r in results if r.year in asked_results])
        target = self._best(topic, targets)
        if result is None or target is None:
            return None
        (r_rec, r_m), (t_rec, t_m) = result, target
        # a single-figure target is quoted whole, with its number; a part of (7) or (11) by its clause
        t_span = (t_rec.start, t_rec.end) if len(t_rec.values) == 1 else (t_m.start, t_m.end)
        cites = [self._cite(1, r_rec, r_m.start, r_m.end), self._cite(2, t_rec, *t_span)]
        lines = [f"Năm {r_rec.year}: {cites[0].quote} [1]", f"Mục tiêu năm {t_rec.year}: {cites[1].quote} [2]"]
        diff = self._difference(r_m, t_m, r_rec.year, t_rec.year)
        if diff:
            lines.append(diff)
        return Answer(question=question, answer="\n".join(lines), found=True, citations=cites)

    # --- "tỷ lệ che phủ rừng qua các năm", "so sánh … của A và B" ------------------------------

    def _named_docs(self, folded: str, ranked: list[str]) -> list[str]:
        """The documents a question names: by province ("Hà Nội", "can tho") or by number
        ("Kế hoạch 153"); empty when it names fewer than two."""
        places = _places(folded)
        serials = {int(m.group(1)) for m in _DOC_NAMED_RE.finditer(folded)}
        if len(places) + len(serials) < 2:
            return []
        mentions = [(folded.find(" ".join(words(p))), {p}, set()) for p in places]
        mentions += [(m.start(), set(), {int(m.group(1))}) for m in _DOC_NAMED_RE.finditer(folded)]
        infos = {doc: self._info(doc) for doc in ranked}
        named = []
        for _, place, serial in sorted(mentions, key=lambda m: m[0]):  # in the order the question names them
            for doc, info in infos.items():
                own = re.match(r"\d+", info.number) if info else None
                if info and (doc_places(info) & place or (own and int(own.group()) in serial)):
                    named.append(doc)
        return list(dict.fromkeys(named))

    def _identity_words(self, doc: str) -> set[str]:
        """The folded words that name a document: its type, number, issuer, province and title."""
        info = self._info(doc)
        if info is None:
            return set()
        return set(words(" ".join((info.doc_type, info.number, info.issuer, info.province, info.place, info.title))))

    def _info(self, doc: str) -> DocumentInfo | None:
        recs = self._table().select("all", doc=doc)
        chunk = self._chunk(recs[0].chunk_id) if recs else None
        return chunk.info if chunk else None

    def _across(self, question: str, q: QueryInfo, ranked: list[str]) -> Answer | None:
        """One indicator across documents, as a table with a cited row per document and year."""
        folded = " ".join(words(q.current))
        named = self._named_docs(folded, ranked)
        if not named and not _ACROSS_RE.search(folded):
            return None
        place_words = {w for p in _places(folded) for w in words(p)} | {
            w for k, v in _PLACES if v in _places(folded) for w in k.split()}
        topic = [w for w in words(q.current)
                 if w not in _FRAME and w not in _ACROSS_FRAME and w not in place_words and not w.isdigit()]
        if not topic:
            return None
        kinds = ["targets", "aims", "results"]  # numbered targets, unnumbered ones, reported results
        if q.wants_targets and not q.wants_results:
            kinds = ["targets", "aims"]  # "chỉ tiêu giải ngân", "mục tiêu …"
        elif q.wants_results and not q.wants_targets:
            kinds = ["results"]  # "kết quả …", "ước đạt …"
        table = self._table()
        # the documents named, in the order named; else every document in scope, in the table's order
        docs = named or [d for d in table.documents() if d in set(ranked)]
        thing = _asked_thing(q, topic)
        best: dict[tuple[str, str | None, bool], _Row] = {}
        for kind in kinds:
            for rec in table.select(kind, doc=docs):
                if q.years and rec.year not in q.years:
                    continue
                for (cs, ce), members in _clauses(rec):
                    clause = rec.text[cs:ce]
                    if not same_quantity(q, clause):
                        continue
                    m = _owner(rec, cs, ce, members, thing)
                    cov = topic_coverage(_share_topic(topic, m), clause)
                    if cov < _MIN_COVERAGE:
                        continue
                    key = (rec.doc, rec.year, rec.kind == "result")  # one target row (numbered or not), one result row
                    if key not in best or cov > best[key].coverage:
                        best[key] = _Row(rec, m, cov, rec.start + cs, rec.start + ce)
        rows = list(best.values())
        if len({r.rec.doc for r in rows}) < 2:
            return None  # fewer than two documents state it: the normal answer
        order = {d: i for i, d in enumerate(docs)}
        by_year = re.search(r"\bcac nam\b|\bqua (?:cac|nhieu) nam\b", folded)
        rows.sort(key=lambda r: (r.rec.year or "", order.get(r.rec.doc, 0)) if by_year
                  else (order.get(r.rec.doc, 0), r.rec.year or "", r.rec.kind != "result"))
        rows = rows[:MAX_ACROSS_ROWS]
        cites = [self._cite(i, r.rec, r.start, r.end) for i, r in enumerate(rows, 1)]
        # The title names the indicator as a row's label words it, when one does ("Tỷ lệ che phủ rừng").
        named = [r.measure.label for r in rows if topic_coverage(topic, r.measure.label) >= _MIN_COVERAGE]
        label = min(named, key=len) if named else "Số liệu"
        lines = [f"{label[:1].upper()}{label[1:]} theo từng văn bản:", "",
                 "| Văn bản | Năm | Giá trị | Đơn vị | Mức | Nguồn |", "|---|---|---|---|---|---|"]
        for c, r in zip(cites, rows):
            what = "kết quả" if r.rec.kind == "result" else "chỉ tiêu"
            year = f"{r.rec.year} ({what})" if r.rec.year else what
            cells = [self._row_name(r.rec), year, r.measure.figure, r.measure.unit or "",
                     r.measure.comparator, f"[{c.n}]"]
            lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
        return Answer(question=question, answer="\n".join(lines), found=True, citations=cites)

    @staticmethod
    def _best(topic: list[str], records: list[TargetRecord]) -> tuple[TargetRecord, Measure] | None:
        scored = [(topic_coverage(topic, m.label), -len(m.label), r, m) for r in records for m in r.values]
        scored = [s for s in scored if s[0] >= _MIN_COVERAGE]
        if not scored:
            return None
        best = max(scored, key=lambda s: (s[0], s[1]))
        return best[2], best[3]

    @staticmethod
    def _difference(a: Measure, b: Measure, year_a: str | None, year_b: str | None) -> str | None:
        """The gap between a level reached and a level targeted, in their shared unit; nothing when
        the units differ, a figure is a range, or either is a change ("giảm 0,5%") rather than a level."""
        if a.unit != b.unit or a.is_range or b.is_range or a.low is None or b.low is None:
            return None
        if _is_change(a) or _is_change(b):
            return None
        gap = round(a.low - b.low, 6)
        unit = "điểm phần trăm" if a.unit == "%" else a.unit
        if gap == 0:
            return f"Chênh lệch: kết quả năm {year_a} bằng mức mục tiêu năm {year_b}."
        side = "cao hơn" if gap > 0 else "thấp hơn"
        return f"Chênh lệch: kết quả năm {year_a} {side} mức mục tiêu năm {year_b} là {_fmt(abs(gap))} {unit}."

    def _cite(self, n: int, rec: TargetRecord, start: int, end: int) -> Citation:
        chunk = self._chunk(rec.chunk_id)
        text = chunk.text if chunk else rec.text
        base = chunk.start if chunk else rec.start
        title = (chunk.info.short_name() or chunk.doc_title) if chunk else ""
        return Citation(n=n, doc=chunk.file if chunk else rec.doc, section=rec.section, text=text, quote=text[start - base:end - base],
                        start=start, end=end, score=1.0, doc_id=rec.doc, doc_title=title)
