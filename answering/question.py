"""A question, analysed once: what it asks, about what, under which qualifiers.

``parse(text, search=None)`` reads a question into a ``Question`` that every later stage reads
(candidates, features, composition); nothing after this re-parses the question's text.

- ``asks``: the kinds of fact asked, first the main one ("deadline", "agency", "share", ...; see
  ``core/lexicon.json`` "asks"); two kinds when the question asks two things ("ai … và khi nào");
  "text" when no question word says (a task, a rule: what the text says about it).
- ``aggregate``: "max", "min", "total" or "count" when a table's column or a list is summed up.
- ``unit``: the noun right after "bao nhiêu" / "mấy" ("xã", "ngày", "phần trăm"), folded.
- ``years``, ``places``, ``qualifiers``: what singles out one of several look-alike figures
  (a year, a province, "đợt 2", "cấp tỉnh").
- ``units``: the content units (folded words and word pairs) lexical features weigh, with
  ``frame`` the ones that only frame the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.lexicon import aggregate_patterns, ask_patterns, plural_re, qualifier_nouns, words_of
from core.text import fold, tagged_forms
from core.vn import MEASURE_HEAD_ALIASES, MEASURE_HEADS, all_place_names, is_year_token, strip_ranges
from core.vn import years as vn_years

_TWO_PART_SPLIT_RE = re.compile(r"\s(?:va|cung|,)\s")
MAX_ASKS = 2  # a question asks one thing, or two joined ("ai … và khi nào")


@dataclass(frozen=True)
class Question:
    text: str  # this turn's question, as typed (one space)
    search: str  # what is searched: the question, with a follow-up's carried-over topic
    folded: str  # accent-folded words of ``text``, space-joined
    asks: tuple[str, ...]  # kinds of fact asked, main first; ("text",) when none is named
    aggregate: str | None  # max | min | total | count
    plural: bool  # asks for several items ("những … nào", "gồm những gì"): a list of the kind asked
    unit: str  # folded noun after "bao nhiêu"/"mấy" ("" when none)
    years: tuple[str, ...]
    single_years: tuple[str, ...]  # years named on their own, not as the ends of a range
    places: tuple[str, ...]  # folded place names the question names
    qualifiers: tuple[tuple[str, str], ...]  # (folded noun, folded value): ("dot", "2"), ("cap", "tinh")
    units: tuple[str, ...]  # folded content words and word pairs of ``search``
    measured: tuple[tuple[str, tuple[str, ...]], ...]  # (measure head, the thing it measures): ("ty le", ("ho", "ngheo"))
    written: dict[str, str] = field(default_factory=dict)  # folded word -> as typed (lower case)
    no_diacritics: bool = False  # typed without any diacritic: written forms say nothing

    @property
    def main(self) -> str:
        return self.asks[0]

    def asks_figure(self) -> bool:
        return self.main in ("amount", "share", "count")


_FIGURE_ASK_RE = re.compile(r"\bbao nhieu\b|\bmuc (?:nao|bao nhieu)\b")
_ROMAN_RE = re.compile(r"[ivxlc]+")
_PERCENT_SIGN_RE = re.compile(r"(?<!\d)\s*%")
_WHICH_RE = re.compile(r"\b(?:nao|gi|ai)\b")


def _matches(folded: str) -> list[tuple[int, int, int, str]]:
    """(start, end, lexicon order, kind) of every ask pattern's matches, minus those inside a
    match of another kind ("ngày nào" inside "trước ngày nào" is the deadline's)."""
    found = [(m.start(), m.end(), order, kind)
             for order, (kind, rx) in enumerate(ask_patterns()) for m in rx.finditer(folded)]
    return [f for f in found
            if not any(g[3] != f[3] and g[0] <= f[0] and f[1] <= g[1] and (g[1] - g[0]) > (f[1] - f[0])
                       for g in found)]


def _asks(folded: str, written: str) -> tuple[str, ...]:
    """The kinds asked: the most specific kind the question words name (lexicon order), and a second
    kind when the question joins two asks in different clauses ("… cơ quan nào … và trước ngày nào")."""
    found = _matches(folded)
    if not _FIGURE_ASK_RE.search(folded) and "mấy" not in written and not (folded.isascii() and written.isascii()
                                                                         and re.search(r"(?<!nha )\bmay\b", folded)):
        found = [f for f in found if f[3] != "amount"]  # "nhà máy" is not "mấy"
    if not found:
        return ("text",)
    by_order = sorted(found, key=lambda f: (f[2], f[0]))
    main = by_order[0]
    if main[3] == "yesno" and len(by_order) > 1:
        main = by_order[1]  # "có … bao nhiêu …không": the figure
    rest = [f for f in by_order if f[3] not in (main[3], "yesno")]
    if main[3] != "amount":
        rest = [f for f in rest if f[3] != "amount" or _FIGURE_ASK_RE.search(folded[f[0]:f[1]])]
    for other in rest:
        lo, hi = sorted((main, other))[0][1], sorted((main, other))[1][0]
        if lo <= hi and _TWO_PART_SPLIT_RE.search(f" {folded[lo:hi]} "):
            return tuple(k for _, _, _, k in sorted((main, other)))
    return (main[3],)


def _unit(folded: str, written: str) -> str:
    """The noun after "bao nhiêu" (or "mấy", as written: folded, "máy" reads the same)."""
    m = re.search(r"\bbao nhieu\s+((?:\w+\s?){1,2})", folded)
    if m is None and ("mấy" in written or folded.isascii() and written.isascii()):
        m = re.search(r"(?<!nha )\bmay\s+((?:\w+\s?){1,2})", folded)
    if not m:
        return ""
    first = m.group(1).split()
    pair = " ".join(first[:2])
    if pair in words_of("time_units") or pair in words_of("money_words") or pair in words_of("share_words"):
        return pair
    return first[0]


def _qualifiers(folded: str) -> tuple[tuple[str, str], ...]:
    """("dot", "2"), ("cap", "tinh"), ("phu luc", "ii"): a noun that singles out one of several and
    its value (a number, a roman numeral, a letter, or a level word)."""
    levels = words_of("qualifier_values")
    out = []
    for noun in qualifier_nouns():
        for m in re.finditer(rf"\b{noun} (\w+)(?: (\w+))?", folded):
            value, nxt = m.group(1), m.group(2) or ""
            if f"{value} {nxt}" in levels:
                value = f"{value} {nxt}"
            elif not (value.isdigit() or _ROMAN_RE.fullmatch(value) or len(value) == 1 or value in levels):
                continue
            out.append((noun, value))
    return tuple(dict.fromkeys(out))


_PLACES_RE: re.Pattern | None = None


def places_in(folded: str) -> tuple[str, ...]:
    """The place names (provinces, cities) a folded text names, longest first where two overlap."""
    global _PLACES_RE
    if _PLACES_RE is None:  # one pattern of every name, the longest tried first
        names = sorted({fold(p) for p in all_place_names()}, key=len, reverse=True)
        _PLACES_RE = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    return tuple(dict.fromkeys(_PLACES_RE.findall(folded)))


_LINK_WORDS = frozenset({"danh", "cho", "cua", "ve", "doi", "voi", "chung", "cac", "nhung", "nguoi", "so"})
_THING_STOP = frozenset({"bao", "nhieu", "la", "gi", "nam", "dat", "muc", "may", "nao", "can", "phai", "duoc", "uoc",
                         "tren", "duoi", "trong", "tai", "o", "cua", "va", "hoac", "theo", "den", "tu"})


def measured_things(folded: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(head, thing) for each measure head of a folded text ("tỷ lệ [hộ nghèo]", "kim ngạch [xuất
    khẩu]"): the one or two words after the head, past linking words, before a frame word."""
    ws = folded.split()
    out = []
    for head in MEASURE_HEADS:
        hw = head.split()
        for i in range(len(ws) - len(hw) + 1):
            if ws[i:i + len(hw)] != hw:
                continue
            rest = ws[i + len(hw):]
            while rest and rest[0] in _LINK_WORDS:
                rest = rest[1:]
            thing = []
            for w in rest[:2]:
                if w in _THING_STOP or w[:1].isdigit():
                    break
                thing.append(w)
            if thing:
                out.append((MEASURE_HEAD_ALIASES.get(head, head), tuple(thing)))
    return tuple(dict.fromkeys(out))


def content_units(text: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """Folded content words and adjacent word pairs of ``text`` (stopwords out, numbers kept),
    and the written (lower-case) form of each word."""
    forms = tagged_forms(text)
    written = {f: w for f, w, _ in forms}
    ws = [f for f, _, stop in forms if not stop]
    pairs = [f"{a}_{b}" for (a, _, sa), (b, _, sb) in zip(forms, forms[1:]) if not (sa and sb)]
    return tuple(dict.fromkeys(ws + pairs)), written


def parse(text: str, search: str | None = None) -> Question:
    text = " ".join(text.split())
    search = " ".join((search or text).split())
    # "bao nhiêu %": the sign alone is no word; read it as the words it stands for
    folded = " ".join(f for f, _, _ in tagged_forms(_PERCENT_SIGN_RE.sub(" phần trăm", text)))
    units, written = content_units(search)
    ys = tuple(dict.fromkeys(str(y) for y in vn_years(search)))
    singles = tuple(sorted({str(y) for y in vn_years(strip_ranges(search))}))
    aggregate = next((k for k, rx in aggregate_patterns() if rx.search(folded)), None)
    if aggregate in ("max", "min") and not _WHICH_RE.search(folded):
        aggregate = None  # "nhiều nhất 3 lần" is a bound, not the largest row
    low = text.lower()
    plural = bool(plural_re().search(folded))
    asks = _asks(folded, low)
    if asks == ("text",) and plural:
        asks = ("list",)  # "những … nào" of things no question word names
    return Question(
        text=text, search=search, folded=folded, asks=asks, aggregate=aggregate,
        unit=_unit(folded, low), plural=plural,
        years=ys, single_years=singles, places=places_in(" ".join(f for f, _, _ in tagged_forms(search))),
        qualifiers=_qualifiers(folded), units=units, written=written, measured=measured_things(folded),
        no_diacritics=text.isascii(),
    )


def frame_units() -> frozenset[str]:
    """Units that frame a question rather than name its subject."""
    return words_of("frame_words")


def is_year_unit(unit: str) -> bool:
    return is_year_token(unit)
