"""Checks a generated answer against the passages it was given, before anyone sees it.

Two rules, both strict:
1. every citation marker [n] refers to a passage that was in the prompt (1..N), and a
   non-refusal answer cites at least one;
2. every figure in the answer (numbers, percentages, dates, document numbers such as
   11-NQ/TU) appears in one of the passages it cites. Vietnamese number formats are
   compared in canonical form, through ``textnorm.words`` and its ``number_token``
   ("17.800" = "17800", "7,3%" = "7.3%", "17,8 nghìn" = "17.800"); a year may also come from
   the question or from the cited passage's section heading ("năm 2025" heads the 2025 targets).

A refusal ("Văn bản không có thông tin …") passes when it states no figure. The verifier
says which rule failed and on which figure; the assistant then falls back to the
extractive answer with that message as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prompts import REFUSAL
from core.text import fold, nfc, words
from core.types import Passage
from core.vn import (
    DATE_OR_MONTH_RE, DOC_NUMBER_LOOSE_RE, NUMBER_PHRASE_RE, PERCENT_RE, date_key, english_number_token, is_year_token,
)

# "[1]", "[1, 3]", "[1][2]", "[1-2]"
CITE_RE = re.compile(r"\[\s*(\d+(?:\s*[,;–-]\s*\d+)*)\s*\]")
_REFUSAL_KEY = fold("Văn bản không có thông tin")


@dataclass
class Verification:
    ok: bool
    refusal: bool = False
    cited: list[int] = field(default_factory=list)  # passage numbers, in order of first citation
    problems: list[str] = field(default_factory=list)  # English, name the marker or the figure
    problems_vi: list[str] = field(default_factory=list)


def cited_numbers(text: str) -> list[int]:
    """Passage numbers cited in ``text``, in order of first appearance ("[1-3]" is 1, 2, 3)."""
    out: list[int] = []
    for m in CITE_RE.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            bounds = [int(x) for x in re.split(r"\s*[–-]\s*", part) if x]
            nums = range(bounds[0], bounds[-1] + 1) if len(bounds) == 2 and bounds[0] <= bounds[1] <= bounds[0] + 20 \
                else bounds
            out.extend(n for n in nums if n not in out)
    return out


def is_refusal(text: str) -> bool:
    return _REFUSAL_KEY in fold(nfc(text))


def _canonical_number(written: str) -> set[str]:
    """Canonical forms a written number may stand for ('17,800' is 17.8 in Vietnamese, 17800 in English)."""
    text = PERCENT_RE.sub("%", written)
    forms = {w for w in words(text) if w[:1].isdigit()}
    english = english_number_token(text.split()[0])
    if english:
        forms.add(english)
    return forms


@dataclass
class Figure:
    written: str  # as it stands in the text
    forms: set[str]  # canonical forms, any of which may match
    kind: str  # number | date | docno


def figures(text: str) -> list[Figure]:
    """The figures of ``text`` (citation markers left out): document numbers, dates, numbers."""
    text = CITE_RE.sub(" ", nfc(text))
    out: list[Figure] = []

    def blank(m: re.Match) -> str:
        return " " * (m.end() - m.start())

    for m in DOC_NUMBER_LOOSE_RE.finditer(text):
        out.append(Figure(m.group(0), {m.group(0).upper()}, "docno"))
    text = DOC_NUMBER_LOOSE_RE.sub(blank, text)
    for m in DATE_OR_MONTH_RE.finditer(text):
        out.append(Figure(m.group(0).strip(), {date_key(m)}, "date"))
    text = DATE_OR_MONTH_RE.sub(blank, text)
    for m in NUMBER_PHRASE_RE.finditer(text):
        forms = _canonical_number(m.group(0))
        if forms:
            out.append(Figure(m.group(0).strip(), forms, "number"))
    return out


def evidence(text: str) -> set[str]:
    """Every canonical figure form found in ``text``: whole dates and document numbers, and each
    number on its own (the year of a date, the 11 of 11-NQ/TU), with and without its percent sign."""
    found: set[str] = set()
    for f in figures(text):
        found |= f.forms
    for w in words(text):
        if w[:1].isdigit():
            found |= {w, w.rstrip("%")}
    return found


def verify(answer: str, passages: list[Passage], question: str = "") -> Verification:
    """Check ``answer`` against ``passages`` (numbered 1..N in the order given)."""
    cited = cited_numbers(answer)
    n = len(passages)
    if is_refusal(answer):
        figs = [f.written for f in figures(answer.replace(REFUSAL, " "))]
        if figs:
            return Verification(False, refusal=True, problems=[f"the refusal states a figure: {figs[0]}"],
                                problems_vi=[f"câu từ chối lại nêu con số {figs[0]}"])
        return Verification(True, refusal=True)
    bad = [c for c in cited if not 1 <= c <= n]
    if bad:
        return Verification(False, cited=cited,
                            problems=[f"the answer cites [{bad[0]}] but only passages [1]..[{n}] were given"],
                            problems_vi=[f"câu trả lời trích dẫn [{bad[0]}] nhưng chỉ có {n} đoạn trích"])
    if not cited:
        return Verification(False, problems=["the answer cites no passage"],
                            problems_vi=["câu trả lời không trích dẫn đoạn nào"])
    support: set[str] = set()
    years: set[str] = {w for w in words(question) if is_year_token(w)}
    for c in cited:
        chunk = passages[c - 1].chunk
        support |= evidence(chunk.text)
        years |= {w for w in words(chunk.section) if is_year_token(w)}
    refs = ", ".join(f"[{c}]" for c in cited)
    for f in figures(answer):
        if f.forms & support:
            continue
        if f.kind == "number" and f.forms & years:
            continue
        return Verification(False, cited=cited,
                            problems=[f"figure {f.written} in the generated answer is not in the cited passages {refs}"],
                            problems_vi=[f"con số {f.written} không có trong đoạn trích {refs}"])
    return Verification(True, cited=cited)
