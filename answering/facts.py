"""Whether a text states the kind of fact a question asks: readers of dates, shares, amounts,
agencies, names, lists … as administrative texts write them (patterns in core/lexicon.json).

Used by the features (does this candidate state what is asked?) and by composition (does the
best candidate state the second part of a two-part question?).
"""

from __future__ import annotations

import re

from answering.question import Question
from core.lexicon import fact_patterns, words_of
from core.text import tagged_forms

# What each asked kind is stated as: the fact patterns any of which states it.
KIND_FACTS: dict[str, tuple[str, ...]] = {
    "amount": ("figure",), "share": ("share",), "count": ("figure",), "deadline": ("date", "duration"),
    "date": ("date",), "time": ("time",), "period": ("period", "duration"), "agency": ("agency",),
    "person": ("person",), "place": ("place",), "list": ("list",), "definition": ("definition",),
    "purpose": ("purpose",), "yesno": ("yesno",), "effective": ("effective",), "replaces": ("replaces",),
    "number": ("number_line",), "issued": ("issued_line",), "text": (),
}
# Kinds grouped by how they are stated, each group's fit weighed on its own by the model.
KIND_GROUPS: dict[str, str] = {
    "amount": "figure", "share": "figure", "count": "figure",
    "deadline": "time", "date": "time", "time": "time", "period": "time", "effective": "time",
    "agency": "who", "person": "who", "place": "who",
    "number": "meta", "issued": "meta", "replaces": "meta",
    "list": "other", "definition": "other", "purpose": "other", "yesno": "other", "text": "other",
}
# A figure that is not part of a date, a document's number or a reference to a part of a text.
_NOT_FIGURE_RE = re.compile(
    r"\bngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2})?(?:\s+năm\s+\d{4})?|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\btháng\s+\d{1,2}"
    r"(?:\s+năm\s+\d{4})?|\bnăm\s+\d{4}\b|\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b|\b\d+(?:/\d+)*[-/][A-ZĐ][\w/-]*"
    r"|\b(?:[ĐđDd]iều|[Kk]hoản|[Đđ]iểm|[Mm]ục|[Cc]hương|[Pp]hụ\s+lục|[Ss]ố)\s+[\w.]+", re.I)
_DIGIT_RE = re.compile(r"\d")
_QUESTION_NUMBER_RE = re.compile(r"(?<![\w/.,])\d+(?:[.,]\d+)?(?![\w/])")


_ROW_ORDINAL_RE = re.compile(r"^\s*(?:[IVXLC]+|\d{1,3}(?:\.\d+)*|[a-zđ])\.?\s*\|")


def has_figure(text: str) -> bool:
    """A figure is stated: a digit left once dates, document numbers, references and a table row's
    ordinal are set aside."""
    return bool(_DIGIT_RE.search(_NOT_FIGURE_RE.sub(" ", _ROW_ORDINAL_RE.sub(" ", text))))


def states(kind: str, text: str) -> bool:
    """Whether ``text`` states a fact of this asked kind."""
    pats = fact_patterns()
    for fact in KIND_FACTS.get(kind, ()):
        if fact == "figure":
            if has_figure(text):
                return True
        elif pats[fact].search(text):
            return True
    return False


def states_unit(q: Question, text: str) -> bool:
    """The figure asked is stated in its unit: the noun after "bao nhiêu" follows a figure ("09 xã"),
    a share is a percentage, money is in đồng."""
    if not q.unit:
        return False
    pats = fact_patterns()
    first = q.unit.split()[0]
    if q.unit in words_of("share_words") or first == "phan":
        return bool(pats["share"].search(text))
    if q.unit in words_of("money_words"):
        return bool(pats["money"].search(text))
    ws = [f for f, _, _ in tagged_forms(text)]
    return any(a[:1].isdigit() and b == first for a, b in zip(ws, ws[1:]))


def question_numbers(q: Question) -> list[str]:
    """The figures a question names that are not years ("Huy hiệu 65 năm", "bậc 3/7", "đợt 2")."""
    years = set(q.years)
    return [n for n in _QUESTION_NUMBER_RE.findall(q.text) if n not in years and len(n) < 8]


MEASURE_AFTER = 7  # the thing measured stands within this many words after its head ("tỷ lệ … hộ nghèo")
MEASURE_BEFORE = 4  # or just before it ("20 dự án có tổng vốn")


def measures(q: Question, text: str) -> tuple[bool, bool]:
    """(the text measures the thing asked after the same head, the text uses the head for something
    else): asked "tỷ lệ hộ nghèo", "tỷ lệ hộ nghèo giảm …" measures it, "tỷ lệ lao động …" another."""
    ws = [f for f, _, _ in tagged_forms(text)]
    joined = " ".join(ws)
    match = conflict = False
    for head, thing in q.measured:
        if head not in joined:
            continue
        hw = head.split()
        for i in range(len(ws) - len(hw) + 1):
            if ws[i:i + len(hw)] != hw:
                continue
            near = ws[max(0, i - MEASURE_BEFORE):i + len(hw) + MEASURE_AFTER]
            if all(t in near for t in thing):
                match = True
            else:
                conflict = True
    return match, conflict and not match


_NUMBERED_RE = re.compile(r"(\w+)\s+(\d+(?:[.,/]\d+)?)(?![\d/])")


def numbered(text: str) -> dict[str, set[str]]:
    """Folded word -> the numbers right after it ("vành đai 1", "nhóm 5", "bậc 3/7", "đợt 2")."""
    out: dict[str, set[str]] = {}
    for m in _NUMBERED_RE.finditer(text):
        word = tagged_forms(m.group(1))
        if word:
            out.setdefault(word[0][0], set()).add(m.group(2).lstrip("0") or "0")
    return out


def number_conflict(asked: dict[str, set[str]], text: str) -> bool:
    """The text names a thing the question singles out by a number with another number only
    ("vành đai 2" where "vành đai 1" is asked)."""
    have = numbered(text)
    return any(w in have and not (have[w] & nums) for w, nums in asked.items())


FIELD_RE = re.compile(r"^[\s\-+•*]*(?:[\dIVXLC]+(?:\.\d+)*[.)]|[a-zđ]\))?\s*([^:;.()\n]{2,80}?)\s*:\s*\S")


def field_label(text: str) -> str:
    """The label a text states its content under ("Đơn vị chủ trì thực hiện: …" -> its label)."""
    m = FIELD_RE.match(text)
    return m.group(1) if m and len(m.group(1).split()) <= 10 else ""
