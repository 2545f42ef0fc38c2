"""Answers read from the targets table: how many targets, and a result set against its target.

Two question shapes are answered from the table (``ingest.targets``) rather than from spans:

* "có bao nhiêu chỉ tiêu chủ yếu" / "bao nhiêu chỉ tiêu về môi trường": the count, per group,
  each group cited by its last target (whose number closes the range);
* "so sánh tăng trưởng kinh tế năm 2024 với mục tiêu năm 2025": the reported result and the
  target that measure the same thing, each cited at the clause holding its figure, and the
  difference, only when both are levels in the same unit.

Anything else (and any question these readings do not fit confidently) is left to the
extractive answerer. Nothing here knows this document's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.targets import TargetTable
from retrieval.query import QueryInfo
from core.text import fold, topic_coverage, words
from core.types import Answer, Chunk, Citation, Measure, TargetRecord

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


def _fmt(x: float) -> str:
    """17800 -> '17.800', 0.3 -> '0,3' (Vietnamese number format)."""
    if x == int(x):
        return f"{int(x):,}".replace(",", ".")
    return f"{x:,.2f}".rstrip("0").rstrip(".").replace(",", "X").replace(".", ",").replace("X", ".")


def _is_change(m: Measure) -> bool:
    """"giảm 0,5-0,6%" states a change; "giảm còn 2,41%" (down to) and "đạt 7%" state levels."""
    words_ = m.comparator.split()
    return any(w in words_ for w in _CHANGE) and "còn" not in words_


class TableAnswerer:
    def __init__(self, table: Callable[[], TargetTable], chunk: Callable[[str], Chunk | None]) -> None:
        self._table = table
        self._chunk = chunk

    def answer(self, question: str, q: QueryInfo, doc: str | None) -> Answer | None:
        folded = fold(q.current)
        if _COMPARE_RE.search(folded):
            return self._compare(question, q, doc)
        if _COUNT_RE.search(folded):
            return self._count(question, q, doc)
        return None

    # --- "có bao nhiêu chỉ tiêu" -------------------------------------------------------------

    def _count(self, question: str, q: QueryInfo, doc: str | None) -> Answer | None:
        table = self._table()
        targets = table.select(doc=doc)
        if not targets:
            return None
        years = {t.year for t in targets if t.year}
        if q.years and not set(q.years) <= years:
            return None  # "năm 2024 đạt bao nhiêu chỉ tiêu": a result, not the table
        rest = [w for w in words(q.current) if w not in _FRAME and not w.isdigit()]
        asked = None
        if rest:  # "bao nhiêu chỉ tiêu về môi trường": the rest must name a group, nothing else
            named = [g for g in table.groups(doc) if set(rest) <= set(words(g))]
            if not named:
                return None  # about something else ("chỉ tiêu đạt và vượt kế hoạch")
            asked = min(named, key=lambda g: len(words(g)))
        chosen = [t for t in targets if asked is None or t.group == asked]
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
            text = f"Nghị quyết đề ra {len(chosen)} chỉ tiêu {asked[0].lower()}{asked[1:]}: {nums} [1]"
        else:
            text = f"Nghị quyết đề ra {len(chosen)} chỉ tiêu chủ yếu:\n" + "\n".join(f"- {p}" for p in parts)
        warnings = [w for t in chosen for w in t.warnings]
        if warnings:
            text += "\n(Lưu ý: danh sách chỉ tiêu có chỗ chưa rõ ràng, cần đối chiếu văn bản.)"
        return Answer(question=question, answer=text, found=True, citations=cites)

    # --- "so sánh X năm 2024 với mục tiêu năm 2025" ------------------------------------------

    def _compare(self, question: str, q: QueryInfo, doc: str | None) -> Answer | None:
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
