"""Vietnamese public-administration knowledge, and the one parser of each format.

How Vietnamese official documents write things: years, periods and dates; numbers ("17.800",
"7,3", "0,5-0,6"); Roman numerals; document numbers ("182/KH-UBND", "192/2025/QH15", "11-NQ/TU");
document types and their codes; issuing bodies; provinces (today's 34 and the former 63);
abbreviations and indicator synonyms. The knowledge (word lists, names, codes) is data, in
``core/vn_knowledge.json``, read once here and exported under the names below with their Python
types; the parsers and the regular expressions of number and date syntax are code. Ingest,
retrieval, answering, verification and eval all read these, so a format is parsed the same way
everywhere. Nothing here is specific to one document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

VN_KNOWLEDGE_FILE = Path(__file__).with_name("vn_knowledge.json")


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(VN_KNOWLEDGE_FILE.read_text(encoding="utf-8"))


def _known(section: str, key: str):
    """One list of the knowledge file, as JSON gives it (lists and dicts)."""
    return _data()[section][key]


def _pairs(section: str, key: str) -> tuple[tuple[str, ...], ...]:
    """A list of lists of the knowledge file as a tuple of tuples."""
    return tuple(tuple(row) for row in _known(section, key))


# --- years and periods ---------------------------------------------------------------------

YEAR = r"(?:19|20)\d{2}"
# "ngày 20 tháng 11 năm 2025", "ngày 20/11/2025", "20-11-2025"
DATE_WORDS_RE = re.compile(rf"ngày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+({YEAR})", re.I)
# A year standing alone: not inside a date "20/11/2025", a document number "163/2024/QH15"
# or a longer number.
YEAR_RE = re.compile(rf"(?<![\d/.,\-–]){YEAR}(?![\d/]|[.,]\d|\s*%)")
# Any four-digit year-like token, wherever it stands (for headings that only need a hint).
ANY_YEAR_RE = re.compile(rf"\b{YEAR}\b")
# "2026-2030", "2026 – 2030", "2025 - 2026" (a school year): a period of consecutive years.
RANGE_RE = re.compile(rf"(?<![\d/]){YEAR}\s*[-–—]\s*{YEAR}(?![\d/])")
# "từ năm 2026 đến năm 2030", "giai đoạn từ 2026 đến 2030"
FROM_TO_RE = re.compile(rf"từ\s+(?:năm\s+)?({YEAR})\s+(?:đến|tới)\s+(?:hết\s+)?(?:năm\s+)?({YEAR})", re.I)
_RANGE_PARTS_RE = re.compile(rf"({YEAR})\s*[-–—]\s*({YEAR})")
MAX_PERIOD_YEARS = 30  # "2025-2045" is a vision, a longer span is a typo or two unrelated years


def years(text: str) -> list[int]:
    """Years that stand alone in ``text``, in order: "năm 2025" gives 2025, "2026-2030" and
    "2026 - 2030" give 2026 and 2030; a date "20-11-2025" or a number "163/2024/QH15" gives none."""
    found = [(m.start(), int(m.group())) for m in YEAR_RE.finditer(text)]
    for m in RANGE_RE.finditer(text):  # the end of a range follows a dash, which YEAR_RE refuses
        end = _RANGE_PARTS_RE.match(m.group())
        found.append((m.start() + end.start(2), int(end.group(2))))
    return [y for _, y in sorted(set(found))]


def year_ranges(text: str) -> list[tuple[int, int]]:
    """Periods written as ranges: "giai đoạn 2026–2030", "năm học 2025 - 2026", "từ năm 2026 đến năm 2028"."""
    out = []
    for m in RANGE_RE.finditer(text):
        a, b = (int(x) for x in _RANGE_PARTS_RE.match(m.group()).groups())
        if a < b <= a + MAX_PERIOD_YEARS:
            out.append((a, b))
    for m in FROM_TO_RE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + MAX_PERIOD_YEARS:
            out.append((a, b))
    return out


def covered_years(text: str) -> set[int]:
    """Every year ``text`` speaks of: standalone years, and each year of a stated period.
    A full date ("ngày 09 tháng 4 năm 2021") dates an act; it is not a period spoken of."""
    text = DATE_WORDS_RE.sub(" ", text)
    out = set(years(text))
    for a, b in year_ranges(text):
        out.update(range(a, b + 1))
    return out


def strip_ranges(text: str) -> str:
    """``text`` with its year ranges blanked out (what is left names single years)."""
    return FROM_TO_RE.sub(" ", RANGE_RE.sub(" ", text))


# --- dates ---------------------------------------------------------------------------------

DATE_NUM_RE = re.compile(rf"(?<![\d/])(\d{{1,2}})[/\-.](\d{{1,2}})[/\-.]({YEAR})(?![\d/])")
MONTH_YEAR_RE = re.compile(rf"(?<![\d/])(\d{{1,2}})/({YEAR})(?![\d/])")
DATE_RE = re.compile(f"{DATE_WORDS_RE.pattern}|{DATE_NUM_RE.pattern}", re.I)
# A date or a month stated as a figure (verification compares them whole): "26/5/2022", "5/2022",
# "ngày 26 tháng 5 năm 2022", "tháng 5 năm 2022", "tháng 5/2022". Groups: day, month, year of the
# numeric form, then day, month, year of the worded form; ``date_key`` reads either.
DATE_OR_MONTH_RE = re.compile(
    rf"\b(?:(\d{{1,2}})/)?(\d{{1,2}})/({YEAR})\b"
    rf"|(?:ngày\s+(\d{{1,2}})\s+)?tháng\s+(\d{{1,2}})\s*(?:năm|/)\s*({YEAR})", re.I)
# A date or month written with slashes and any four digits after the last slash ("20/11/2025",
# "11/2025", and so also a rate "15/1000"): blanked out before figures are read from a sentence.
SLASHED_DATE_RE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}/\d{4}\b")
# The date line of a document header, signed or still blank: "ngày 20 tháng 11 năm 2025",
# "ngày .... tháng .... năm", "ngày … tháng … năm".
HEADER_DATE_RE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\.{2,}|ngày\s+…")


def parse_date(text: str) -> date | None:
    """The first full date written in ``text``, or None."""
    m = DATE_RE.search(text)
    if not m:
        return None
    d, mo, y = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def date_key(m: re.Match) -> str:
    """One key per date or month of a ``DATE_OR_MONTH_RE`` match, however written:
    "26/05/2022" and "ngày 26 tháng 5 năm 2022" -> "26/5/2022"; "tháng 5 năm 2022" -> "5/2022"."""
    g = m.groups()
    day, month, year = g[:3] if g[2] else g[3:]
    return f"{int(day)}/{int(month)}/{year}" if day else f"{int(month)}/{year}"


def date_vi(d: date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


# --- numbers -------------------------------------------------------------------------------

# "17.800", "1.234,5", "7,3", "7.3" (a dot before 1-2 digits is a decimal point), "52"
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+\.\d{1,2}(?![\d.])|\d+(?:,\d+)?"
NUMBER_RE = re.compile(NUMBER)
SCALE_WORDS = dict(_known("numbers", "scale_words"))  # folded: "17,8 nghìn tỷ" is written "17.800 tỷ"
# A number as an answer states it, any grouping ("17.800", "17,800", "7,3"), with its percent
# ("7,3%", "7,3 phần trăm") and a scale word ("17,8 nghìn"): the figures verification checks.
NUMBER_PHRASE_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s*%|\s+phần\s+trăm)?(?:\s+(?:nghìn|ngàn)\b)?", re.I)
# A percent sign or the words "phần trăm", with the space before it: replace it with "%".
PERCENT_RE = re.compile(r"\s*(?:%|phần\s+trăm)", re.I)


# Units of measure and counted things that follow a figure, folded ("2.632 ha", "19.136 người").
MEASURE_UNITS = frozenset(_known("numbers", "measure_units"))

# The same, as written after a figure in a resolution ("1.200 doanh nghiệp", "2.632 ha"): the
# magnitudes and currencies of amounts, the things counted, and the units that measure.
MAGNITUDE_WORDS: tuple[str, ...] = tuple(_known("numbers", "magnitude_words"))
CURRENCY_WORDS: tuple[str, ...] = tuple(_known("numbers", "currency_words"))
UNITS_OF_MEASURE: frozenset[str] = frozenset(_known("numbers", "units_of_measure"))
# What a figure counts (count nouns), and the units of measure.
COUNT_NOUNS: tuple[str, ...] = tuple(_known("numbers", "count_nouns")) + tuple(sorted(UNITS_OF_MEASURE))


# Nouns that name an amount of money, not a unit counted ("bao nhiêu tiền một lượt").
AMOUNT_NOUNS: tuple[str, ...] = tuple(_known("numbers", "amount_nouns"))
# A unit as a question spells it -> as documents write it after a figure (folded): "mét" -> "m".
UNIT_SPELLINGS: dict[str, str] = dict(_known("numbers", "unit_spellings"))


def parse_number(text: str) -> float:
    """'17.800' -> 17800, '2,5' -> 2.5, '93,5' -> 93.5, '7.3' -> 7.3 (a dot before 1-2 digits)."""
    text = text.strip().rstrip("%").strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", "."))


def number_token(tok: str) -> str:
    """Canonical form of a written number: '17.800' -> '17800', '7,3' -> '7.3', '7,3%' -> '7.3%'."""
    pct = tok.endswith("%")
    core = tok.rstrip("%").strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", core):
        core = core.replace(".", "")
    elif re.fullmatch(r"\d+,\d+", core):
        core = core.replace(",", ".")
    return core + ("%" if pct else "")


def english_number_token(tok: str) -> str | None:
    """Canonical form of a number written with English thousands separators, or None:
    '17,800' -> '17800', '1,234,567%' -> '1234567%' ('17,800' is 17.8 to a Vietnamese reader)."""
    pct = tok.endswith("%")
    core = tok.rstrip("%")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", core):
        return core.replace(",", "") + ("%" if pct else "")
    return None


def canonical_numbers(text: str) -> str:
    """``text`` with its numbers in one form, where they stand: a dot before three digits goes
    ('17.800' -> '17800'), a comma between digits becomes a point ('7,3' -> '7.3', '1.234,5' ->
    '1234.5'). What ``number_token`` does for one token, done across running text."""
    text = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", text)
    return re.sub(r"(?<=\d),(?=\d)", ".", text)


def is_year_token(tok: str) -> bool:
    """'2025' is a year; '2025,5', '12025', '1850' are not."""
    return bool(re.fullmatch(YEAR, tok))


# --- Roman numerals ------------------------------------------------------------------------

ROMAN_RE = re.compile(r"^[IVXLC]+$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(s: str) -> int | None:
    if not s or not ROMAN_RE.match(s):
        return None
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN[ch]
        total += -v if v < prev else v
        prev = max(prev, v)
    return total


# --- document types, numbers and issuing bodies --------------------------------------------

# Type as written (upper case in the header) -> the code used in document numbers.
DOC_TYPES: dict[str, str] = dict(_known("documents", "doc_types"))
TYPE_BY_CODE: dict[str, str] = {}
for _name, _code in DOC_TYPES.items():
    TYPE_BY_CODE.setdefault(_code.upper(), _name)

# "182/KH-UBND", "2597/QĐ-TTg", "66/2025/NQ-HĐND", "187/2025/QH15", "11-NQ/TU", "394/NQ-CP"
DOC_NUMBER_RE = re.compile(
    r"(?<![\w/])(\d{1,5})(?:/(\d{4}))?[/-]([A-ZĐ][A-Za-zĐđ0-9]{0,7})(?:[/-]([A-ZĐ][A-Za-zĐđ0-9]{0,12}))?(?![\w/])"
)
# Anything written like a document number, for comparing figures: looser than DOC_NUMBER_RE, any
# run of capitals and digits in any number of parts ("11-NQ/TU", "1283/NQ-UBTVQH15", "01/2025/NQ-HĐND").
DOC_NUMBER_LOOSE_RE = re.compile(r"\b\d+(?:/\d+)*[-/][A-ZĐ][A-ZĐ0-9]*(?:[-/][A-ZĐ0-9]+)*")
# The number line of a header, "Số: 182/KH-UBND": group 1 is the number as written, or whatever
# else follows "Số" (None when nothing does): check it with parse_doc_number.
NUMBER_LINE_RE = re.compile(r"^Số(?:\s*:?\s*(\S+))?", re.M)

# Issuing bodies: the header line as written (folded prefix) -> the short name officials use.
ISSUERS: tuple[tuple[str, str], ...] = _pairs("issuers", "issuers")
# Code suffixes of document numbers -> issuer short name ("QH15" -> Quốc hội).
ISSUER_CODES: dict[str, str] = dict(_known("issuers", "issuer_codes"))
# Abbreviated names of issuers an official may type, folded -> the issuer short name.
ISSUER_ALIASES: dict[str, str] = dict(_known("issuers", "issuer_aliases"))


# Central bodies: their acts are national, and the place line ("Hà Nội, ngày …") is only where
# they were signed. A question names them only to point at their acts ("Quốc hội quyết định …").
NATIONAL_ISSUERS = frozenset(_known("issuers", "national_issuers"))
# A local body's full name -> its abbreviation in running text ("Ủy ban nhân dân" -> "UBND").
LOCAL_BODY_SHORT_NAMES: tuple[tuple[str, str], ...] = _pairs("issuers", "local_body_short_names")


def issuer_short_name(issuer: str) -> str:
    """The short name of an issuing body as a header writes it: 'Ủy ban nhân dân tỉnh Tuyên Quang' ->
    'UBND', 'THỦ TƯỚNG CHÍNH PHỦ' -> 'Thủ tướng Chính phủ' ('' when it is none of ISSUERS)."""
    from core.text import fold

    folded = fold(issuer).strip()
    return next((short for prefix, short in ISSUERS if folded.startswith(prefix.strip())), "")


def issuer_abbreviated(issuer: str) -> str:
    """'Ủy ban nhân dân tỉnh Tuyên Quang' -> 'UBND tỉnh Tuyên Quang', 'Hội đồng nhân dân tỉnh Bắc Kạn' ->
    'HĐND thành phố Huế': the way officials write a local body's name in running text."""
    for full, short in LOCAL_BODY_SHORT_NAMES:
        if issuer.lower().startswith(full.lower()):
            return short + issuer[len(full):]
    return issuer

# Words that open the name of an agency or organisation ("Sở Công Thương", "Công an tỉnh").
ORG_WORDS: tuple[str, ...] = tuple(_known("issuers", "org_words"))
ORG_RE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, ORG_WORDS), key=len, reverse=True)) + r")\s+\w")

# Signature block: who signs for whom.
SIGN_PREFIXES = tuple(_known("signatures", "sign_prefixes"))
SIGNER_TITLES = tuple(_known("signatures", "signer_titles"))

# --- provinces -----------------------------------------------------------------------------

# The 34 provincial units from 1 July 2025.
PROVINCES_2025: tuple[str, ...] = tuple(_known("provinces", "provinces_2025"))
# The former 63 (before 1 July 2025) -> the province each became part of.
FORMER_PROVINCES: dict[str, str] = dict(_known("provinces", "former_provinces"))
# Other ways the same place is written.
PROVINCE_ALIASES: dict[str, str] = dict(_known("provinces", "province_aliases"))


def all_place_names() -> dict[str, str]:
    """Every province name and alias as written -> the name it is filed under (former names keep their own)."""
    out = {p: p for p in PROVINCES_2025}
    out.update({p: p for p in FORMER_PROVINCES})
    out.update(PROVINCE_ALIASES)
    return out


def canonical_places(text: str) -> str:
    """``text`` with each alias of a province written as its filed name ("TP.HCM" -> "Hồ Chí Minh")."""
    for alias, name in sorted(PROVINCE_ALIASES.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"(?<!\w){re.escape(alias)}(?!\w)", name, text)
    return text


# --- abbreviations and indicator synonyms --------------------------------------------------

# Folded abbreviation -> expansion (as written in documents).
ABBREVIATIONS: dict[str, str] = dict(_known("abbreviations", "abbreviations"))

# Indicator synonyms: ways of naming the same measured quantity (folded phrases), one group per
# quantity. A question using one is matched against text using another.
INDICATOR_SYNONYMS: tuple[tuple[str, ...], ...] = _pairs("synonyms", "indicator_synonyms")
# Ways of saying the same bound (folded phrases): "tối đa" is "không quá", "ít nhất" is "tối thiểu".
BOUND_SYNONYMS: tuple[tuple[str, ...], ...] = _pairs("synonyms", "bound_synonyms")


@dataclass(frozen=True)
class DocNumber:
    """A parsed document number: '66/2025/NQ-HĐND' -> 66, 2025, type NQ, issuer code HĐND."""

    raw: str
    serial: int
    year: int | None
    type_code: str | None
    issuer_code: str | None


def parse_doc_number(text: str) -> DocNumber | None:
    """The first document number in ``text``: '182/KH-UBND', '187/2025/QH15', '11-NQ/TU'."""
    for m in DOC_NUMBER_RE.finditer(text):
        serial, year, a, b = m.groups()
        codes = [c for c in (a, b) if c]
        type_code = next((c for c in codes if c.upper() in TYPE_BY_CODE), None)
        issuer = next((c for c in codes if c is not type_code), None)
        if type_code is None and issuer is None:
            continue
        return DocNumber(m.group(), int(serial), int(year) if year else None, type_code, issuer)
    return None


_FILE_TOKEN_RE = re.compile(r"[a-z]+|\d+")


def number_in_file_name(name: str) -> tuple[str, int] | None:
    """(type, serial) a file name states, the way offices name files: 'ubnd-cantho-kh-153-2025.txt',
    'NQ_187_2025_QH15.docx', '2597-qd-ttg.pdf' -> ('Kế hoạch', 153), ('Nghị quyết', 187), ('Quyết định',
    2597). A number that reads as a year is not a serial. None when the name states none."""
    from core.text import fold

    toks = _FILE_TOKEN_RE.findall(fold(name.rsplit(".", 1)[0]))
    for i, tok in enumerate(toks):
        kind = TYPE_BY_CODE.get(tok.upper().replace("D", "Đ")) or TYPE_BY_CODE.get(tok.upper())
        if not kind:
            continue
        for j in (i + 1, i - 1):
            if 0 <= j < len(toks) and toks[j].isdigit() and not re.fullmatch(YEAR, toks[j]):
                return kind, int(toks[j])
    return None


# Openings of a sentence that goes on with the one before it ("Trong đó, …").
CONTINUATION_OPENERS: tuple[str, ...] = tuple(_known("sentences", "continuation_openers"))


# Openings of a sentence that states a condition ("Trường hợp …", "Nếu …").
CONDITION_OPENERS: tuple[str, ...] = tuple(_known("sentences", "condition_openers"))
# Words linking a question's words to the document it names, and its number to its author.
NAME_LINKS: tuple[str, ...] = tuple(_known("sentences", "name_links"))
AUTHOR_LINKS: tuple[str, ...] = tuple(_known("sentences", "author_links"))


# Heads of a measured quantity: what follows names the thing measured ("tỷ lệ [hộ nghèo]").
# Folded, longest first, with the other ways of writing a head ("tổng sản phẩm" -> "sản lượng").
MEASURE_HEAD_ALIASES: dict[str, str] = dict(_known("measures", "measure_head_aliases"))
MEASURE_HEADS: tuple[str, ...] = tuple(sorted(
    tuple(_known("measures", "measure_heads")) + tuple(MEASURE_HEAD_ALIASES), key=len, reverse=True))
# Heads that measure a share ("52%", "1/3"), and heads that measure money.
RATE_HEADS: tuple[str, ...] = tuple(_known("measures", "rate_heads"))
MONEY_HEADS: tuple[str, ...] = tuple(_known("measures", "money_heads"))

# A reference to a part of a legal text ("điểm c khoản 4 Điều 11", "Mục III"): a name, not a figure.
LEGAL_REF_RE = re.compile(r"\b(?:" + "|".join(_known("legal_references", "legal_part_words"))
                          + r")\s+(?:\d{1,3}[a-z]?|[a-zđ]|[IVXLC]+)\b(?![.,]\d)")

# When, said without a digit: days of the week ("sáng thứ Hai hằng tuần") and recurrences
# ("Hàng năm", "định kỳ hằng quý"). They answer "ngày nào", "khi nào", "tần suất nào".
TIME_WORDS_RE = re.compile(r"\b(?:" + "|".join(_known("time", "time_words")) + r")\b", re.I)
# Labels that say when ("Thời gian: từ …", "Thời gian triển khai: …", "Tiến độ: …"), folded.
TIME_LABELS: tuple[str, ...] = tuple(_known("time", "time_labels"))
