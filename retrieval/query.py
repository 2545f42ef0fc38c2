"""Question analysis: abbreviation expansion and the period a question asks about.

Abbreviations are the ones of Vietnamese public administration, not of one document:
a question typed "BHYT" must match "bảo hiểm y tế" in the text, and the other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import fold, words
from core.vn import ABBREVIATIONS, strip_ranges
from core.vn import years as vn_years

# Short keys ("tw", "bq") are Vietnamese syllables when folded ("tư", "bà"...): they count only
# when typed in capitals; longer ones are recognised in any case.
ABBR_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
                      + r")(?![\w-])")
_EXPANSIONS = {fold(v): k for k, v in ABBREVIATIONS.items() if len(k) > 2}
# "năm 2024" results vs "mục tiêu/chỉ tiêu/kế hoạch" (targets) when no year is given.
_TARGET_HINTS = ("muc tieu", "chi tieu", "ke hoach", "phan dau", "dat bao nhieu", "nam toi", "nam nay",
                 "can lam gi", "phai lam gi", "can lam", "can phai", "nhiem vu", "giai phap")
_RESULT_HINTS = ("ket qua", "uoc dat", "da dat", "thuc hien duoc", "nam qua", "nam truoc", "nam ngoai", "vua qua",
                 "han che", "ton tai", "yeu kem")


# A follow-up that names a new subject in the frame of the last question: "còn nước sạch đô thị?"
SHIFT_RE = re.compile(r"^\s*(?:thế còn|vậy còn|the con|vay con|còn|con|vậy|thế)\b", re.I)
# Pronouns that point back to the previous turn's subject ("ông ấy", "nó", "văn bản đó").
PRONOUN_RE = re.compile(r"\b(?:ông ấy|bà ấy|ong ay|ba ay|họ|nó|đó|ấy)\b", re.I)

# Words that frame the period asked about rather than the subject ("đặt mục tiêu", "kết quả đạt").
HINT_WORDS = frozenset(w for h in _TARGET_HINTS + _RESULT_HINTS for w in h.split()) - {"nam", "nay", "qua"}


@dataclass(frozen=True)
class QueryInfo:
    text: str  # the question with the carried-over context of a follow-up, if any
    current: str  # this turn's question alone
    folded: str  # accent-folded words, space-joined: what the hint lists are matched against
    years: tuple[str, ...]
    compare_years: tuple[str, ...]  # years named on their own, not as a range "2026-2030"
    wants_results: bool  # asks about reported results (e.g. 2024)
    wants_targets: bool  # asks about targets/plans


def expand_abbreviations(question: str) -> str:
    """Append the expansion of every abbreviation, and the abbreviation of every expansion."""
    folded = fold(question)
    extra = [ABBREVIATIONS[m.group(1)] for m in ABBR_RE.finditer(folded)
             if len(m.group(1)) > 2 or question[m.start():m.end()].isupper()]
    extra += [abbr.upper() for exp, abbr in _EXPANSIONS.items() if exp in folded]
    return question if not extra else f"{question} ({'; '.join(dict.fromkeys(extra))})"


def analyse(question: str, current: str | None = None) -> QueryInfo:
    """``question`` may carry a follow-up's context; ``current`` is what was typed this turn."""
    folded = " ".join(words(question))
    years = tuple(dict.fromkeys(str(y) for y in vn_years(question)))
    return QueryInfo(
        text=question,
        current=current or question,
        folded=folded,
        years=years,
        compare_years=tuple(sorted({str(y) for y in vn_years(strip_ranges(question))})),
        wants_results=any(h in folded for h in _RESULT_HINTS),
        wants_targets=any(h in folded for h in _TARGET_HINTS),
    )
