"""Vietnamese public-administration knowledge, as data, and the one parser of each format.

Everything the product knows about how Vietnamese official documents write things lives here:
years, periods and dates; numbers ("17.800", "7,3", "0,5-0,6"); Roman numerals; document
numbers ("182/KH-UBND", "192/2025/QH15", "11-NQ/TU"); document types and their codes; issuing
bodies; provinces (today's 34 and the former 63); abbreviations and indicator synonyms.
Ingest, retrieval, answering, verification and eval all read these, so a format is parsed the
same way everywhere. Nothing here is specific to one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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
SCALE_WORDS = {"nghin": 1_000, "ngan": 1_000}  # folded: "17,8 nghìn tỷ" is written "17.800 tỷ"
# A number as an answer states it, any grouping ("17.800", "17,800", "7,3"), with its percent
# ("7,3%", "7,3 phần trăm") and a scale word ("17,8 nghìn"): the figures verification checks.
NUMBER_PHRASE_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s*%|\s+phần\s+trăm)?(?:\s+(?:nghìn|ngàn)\b)?", re.I)
# A percent sign or the words "phần trăm", with the space before it: replace it with "%".
PERCENT_RE = re.compile(r"\s*(?:%|phần\s+trăm)", re.I)


# Units of measure and counted things that follow a figure, folded ("2.632 ha", "19.136 người").
MEASURE_UNITS = frozenset(
    "ha km m m2 m3 km2 tan kg nguoi dong ty trieu nghin tram xa phuong huyen tinh nam thang ngay gio tuoi luot "
    "diem lan ho cay con usd mw kwh gbps mbps doanh truong lop hoc giuong bac".split()
)

# The same, as written after a figure in a resolution ("1.200 doanh nghiệp", "2.632 ha"): the
# magnitudes and currencies of amounts, the things counted, and the units that measure.
MAGNITUDE_WORDS: tuple[str, ...] = ("nghìn tỷ", "ngàn tỷ", "nghìn tỉ", "ngàn tỉ", "nghìn", "ngàn", "triệu", "tỷ", "tỉ")
CURRENCY_WORDS: tuple[str, ...] = ("đồng", "đô la Mỹ", "đô la", "USD", "đô-la")
# Units of measure: the figure measures what its label names; it does not count a "km".
UNITS_OF_MEASURE: frozenset[str] = frozenset({"km", "ha", "héc-ta", "tấn", "m2", "m²", "m3", "m³", "kWh", "MW", "km²"})
# What a figure counts (count nouns), and the units of measure.
COUNT_NOUNS: tuple[str, ...] = (
    "hộ gia đình", "giường bệnh", "bác sĩ", "điều dưỡng", "doanh nghiệp", "hợp tác xã", "dự án", "lao động",
    "người", "hộ", "xã", "huyện", "trường học", "trường", "phòng học", "giáo viên", "học sinh", "sinh viên",
    "trạm y tế", "cơ sở", "sản phẩm", "mô hình", "thôn", "tổ dân phố", "đơn vị", "công trình", "căn nhà",
    "ngôi nhà", "căn hộ", "nhà", "việc làm", "chỉ tiêu", "nhiệm vụ", "lượt khách", "lượt người", "lượt",
    "khách", "cây", "con", "chuyên án", "đề án", "vụ", "vụ việc", "cụm công nghiệp", "khu công nghiệp",
    "làng", "thị trấn", "phường", "trẻ em", "trẻ", "cán bộ", "công chức", "viên chức", "đảng viên", "hội viên",
    "bệnh nhân", "thí sinh", "học viên",
) + tuple(sorted(UNITS_OF_MEASURE))


# A unit as a question spells it -> as documents write it after a figure (folded): "mét" -> "m".
# Nouns that name an amount of money, not a unit counted: "giảm bao nhiêu phí", "bao nhiêu tiền một
# lượt" are answered by "50% mức phí", "20.000 đồng/lượt/khách".
AMOUNT_NOUNS: tuple[str, ...] = ("tiền", "phí", "lệ phí", "học phí", "kinh phí", "chi phí", "vốn", "giá", "lương")

UNIT_SPELLINGS: dict[str, str] = {
    "met": "m", "kilomet": "km", "ki lo met": "km", "hecta": "ha", "hec ta": "ha", "tan": "tan",
    "met vuong": "m2", "ki lo gam": "kg", "kilogam": "kg", "megawatt": "mw", "phan tram": "%",
}


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
DOC_TYPES: dict[str, str] = {
    "nghị quyết": "NQ", "kế hoạch": "KH", "quyết định": "QĐ", "chỉ thị": "CT", "kết luận": "KL",
    "thông báo": "TB", "báo cáo": "BC", "tờ trình": "TTr", "công văn": "CV", "đề án": "ĐA",
    "chương trình": "CTr", "hướng dẫn": "HD", "thông tư": "TT", "nghị định": "NĐ", "luật": "L",
    "quy định": "QĐi", "quy chế": "QC", "công điện": "CĐ", "thông tri": "TT", "lệnh": "L",
}
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
ISSUERS: tuple[tuple[str, str], ...] = (
    ("thu tuong chinh phu", "Thủ tướng Chính phủ"),
    ("chinh phu", "Chính phủ"),
    ("quoc hoi", "Quốc hội"),
    ("uy ban thuong vu quoc hoi", "Ủy ban Thường vụ Quốc hội"),
    ("hoi dong nhan dan", "HĐND"),
    ("uy ban nhan dan", "UBND"),
    ("tinh uy", "Tỉnh ủy"),
    ("thanh uy", "Thành ủy"),
    ("ban chap hanh trung uong", "Ban Chấp hành Trung ương"),
    ("ban chap hanh dang bo tinh", "Tỉnh ủy"),  # the provincial Party committee is the Tỉnh ủy
    ("ban chap hanh dang bo thanh pho", "Thành ủy"),
    ("ban chap hanh dang bo", "Ban Chấp hành Đảng bộ"),
    ("bo chinh tri", "Bộ Chính trị"),
    ("ban bi thu", "Ban Bí thư"),
    ("ban thuong vu", "Ban Thường vụ"),
    ("bo ", "Bộ"),
    ("so ", "Sở"),
)
# Code suffixes of document numbers -> issuer short name ("QH15" -> Quốc hội).
ISSUER_CODES: dict[str, str] = {
    "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội", "CP": "Chính phủ", "TTG": "Thủ tướng Chính phủ",
    "UBND": "UBND", "HĐND": "HĐND", "HDND": "HĐND", "TU": "Tỉnh ủy", "TW": "Trung ương",
}
# Abbreviated names of issuers an official may type, folded -> the issuer short name.
ISSUER_ALIASES: dict[str, str] = {
    "ubnd": "UBND", "uy ban nhan dan": "UBND", "ubnd tinh": "UBND", "ubnd thanh pho": "UBND",
    "hdnd": "HĐND", "hoi dong nhan dan": "HĐND",
    "tinh uy": "Tỉnh ủy", "thanh uy": "Thành ủy",
    "quoc hoi": "Quốc hội", "chinh phu": "Chính phủ", "thu tuong": "Thủ tướng Chính phủ", "ttg": "Thủ tướng Chính phủ",
    "thu tuong chinh phu": "Thủ tướng Chính phủ",
}


# Central bodies: their acts are national, and the place line ("Hà Nội, ngày …") is only where
# they were signed. A question names them only to point at their acts ("Quốc hội quyết định …").
NATIONAL_ISSUERS = frozenset({"Quốc hội", "Chính phủ", "Thủ tướng Chính phủ", "Ủy ban Thường vụ Quốc hội",
                              "Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư", "Bộ"})


def issuer_short_name(issuer: str) -> str:
    """The short name of an issuing body as a header writes it: 'Ủy ban nhân dân tỉnh Tuyên Quang' ->
    'UBND', 'THỦ TƯỚNG CHÍNH PHỦ' -> 'Thủ tướng Chính phủ' ('' when it is none of ISSUERS)."""
    from core.text import fold

    folded = fold(issuer).strip()
    return next((short for prefix, short in ISSUERS if folded.startswith(prefix.strip())), "")


def issuer_abbreviated(issuer: str) -> str:
    """'Ủy ban nhân dân tỉnh Tuyên Quang' -> 'UBND tỉnh Tuyên Quang', 'Hội đồng nhân dân tỉnh Bắc Kạn' ->
    'HĐND thành phố Huế': the way officials write a local body's name in running text."""
    for full, short in (("Ủy ban nhân dân", "UBND"), ("Uỷ ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND")):
        if issuer.lower().startswith(full.lower()):
            return short + issuer[len(full):]
    return issuer

# Words that open the name of an agency or organisation ("Sở Công Thương", "Công an tỉnh").
ORG_WORDS: tuple[str, ...] = (
    "Sở", "Bộ", "Ủy ban", "Uỷ ban", "UBND", "Công an", "Ban", "Hội", "Tổng công ty", "Công ty", "Chính phủ",
    "Thủ tướng", "Văn phòng", "Trung tâm", "Cục", "Chi cục", "Viện", "Tòa án", "Liên đoàn", "Mặt trận", "Đoàn",
    "Ngân hàng", "Đài", "Báo", "Quỹ", "Kho bạc", "Thanh tra", "Tỉnh ủy", "Thành ủy", "Hội đồng", "Bảo hiểm xã hội",
    "Cảnh sát", "Quân khu", "Tập đoàn", "Trường", "Bệnh viện",
)
ORG_RE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, ORG_WORDS), key=len, reverse=True)) + r")\s+\w")

# Signature block: who signs for whom.
SIGN_PREFIXES = ("TM.", "T/M", "TM ", "KT.", "KT ", "Q.", "TUQ.", "TL.", "TLBT", "QUYỀN")
SIGNER_TITLES = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "BÍ THƯ", "PHÓ BÍ THƯ", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BỘ TRƯỞNG",
    "THỨ TRƯỞNG", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "TỔNG BÍ THƯ", "CHỦ NHIỆM", "CHÁNH ÁN", "VIỆN TRƯỞNG",
)

# --- provinces -----------------------------------------------------------------------------

# The 34 provincial units from 1 July 2025 (Nghị quyết 202/2025/QH15).
PROVINCES_2025: tuple[str, ...] = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)
# The former 63 (before 1 July 2025) -> the province each became part of.
FORMER_PROVINCES: dict[str, str] = {
    "An Giang": "An Giang", "Bà Rịa - Vũng Tàu": "Hồ Chí Minh", "Bạc Liêu": "Cà Mau", "Bắc Giang": "Bắc Ninh",
    "Bắc Kạn": "Thái Nguyên", "Bắc Ninh": "Bắc Ninh", "Bến Tre": "Vĩnh Long", "Bình Dương": "Hồ Chí Minh",
    "Bình Định": "Gia Lai", "Bình Phước": "Đồng Nai", "Bình Thuận": "Lâm Đồng", "Cà Mau": "Cà Mau",
    "Cao Bằng": "Cao Bằng", "Cần Thơ": "Cần Thơ", "Đà Nẵng": "Đà Nẵng", "Đắk Lắk": "Đắk Lắk",
    "Đắk Nông": "Lâm Đồng", "Điện Biên": "Điện Biên", "Đồng Nai": "Đồng Nai", "Đồng Tháp": "Đồng Tháp",
    "Gia Lai": "Gia Lai", "Hà Giang": "Tuyên Quang", "Hà Nam": "Ninh Bình", "Hà Nội": "Hà Nội",
    "Hà Tĩnh": "Hà Tĩnh", "Hải Dương": "Hải Phòng", "Hải Phòng": "Hải Phòng", "Hậu Giang": "Cần Thơ",
    "Hòa Bình": "Phú Thọ", "Hưng Yên": "Hưng Yên", "Khánh Hòa": "Khánh Hòa", "Kiên Giang": "An Giang",
    "Kon Tum": "Quảng Ngãi", "Lai Châu": "Lai Châu", "Lâm Đồng": "Lâm Đồng", "Lạng Sơn": "Lạng Sơn",
    "Lào Cai": "Lào Cai", "Long An": "Tây Ninh", "Nam Định": "Ninh Bình", "Nghệ An": "Nghệ An",
    "Ninh Bình": "Ninh Bình", "Ninh Thuận": "Khánh Hòa", "Phú Thọ": "Phú Thọ", "Phú Yên": "Đắk Lắk",
    "Quảng Bình": "Quảng Trị", "Quảng Nam": "Đà Nẵng", "Quảng Ngãi": "Quảng Ngãi", "Quảng Ninh": "Quảng Ninh",
    "Quảng Trị": "Quảng Trị", "Sóc Trăng": "Cần Thơ", "Sơn La": "Sơn La", "Tây Ninh": "Tây Ninh",
    "Thái Bình": "Hưng Yên", "Thái Nguyên": "Thái Nguyên", "Thanh Hóa": "Thanh Hóa",
    "Thừa Thiên Huế": "Huế", "Tiền Giang": "Đồng Tháp", "Hồ Chí Minh": "Hồ Chí Minh", "Trà Vinh": "Vĩnh Long",
    "Tuyên Quang": "Tuyên Quang", "Vĩnh Long": "Vĩnh Long", "Vĩnh Phúc": "Phú Thọ", "Yên Bái": "Lào Cai",
}
# Other ways the same place is written.
PROVINCE_ALIASES: dict[str, str] = {
    "TP. Hồ Chí Minh": "Hồ Chí Minh", "TP.HCM": "Hồ Chí Minh", "TPHCM": "Hồ Chí Minh", "HCM": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh", "Thành phố Hồ Chí Minh": "Hồ Chí Minh", "Thừa Thiên - Huế": "Huế",
    "Thanh Hoá": "Thanh Hóa", "Khánh Hoà": "Khánh Hòa", "Hoà Bình": "Hòa Bình", "Đăk Lăk": "Đắk Lắk",
    "Đắc Lắc": "Đắk Lắk", "Bà Rịa-Vũng Tàu": "Bà Rịa - Vũng Tàu", "Đăk Nông": "Đắk Nông",
}


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
ABBREVIATIONS: dict[str, str] = {
    "grdp": "tổng sản phẩm trên địa bàn",
    "gdp": "tổng sản phẩm quốc nội",
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "bhtn": "bảo hiểm thất nghiệp",
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "mttq": "Mặt trận Tổ quốc",
    "kt-xh": "kinh tế - xã hội",
    "ktxh": "kinh tế - xã hội",
    "ntm": "nông thôn mới",
    "qp-an": "quốc phòng, an ninh",
    "qpan": "quốc phòng, an ninh",
    "pci": "năng lực cạnh tranh cấp tỉnh",
    "dti": "chuyển đổi số cấp tỉnh",
    "pii": "đổi mới sáng tạo",
    "par index": "cải cách hành chính",
    "ocop": "mỗi xã một sản phẩm",
    "cntt": "công nghệ thông tin",
    "khcn": "khoa học công nghệ",
    "kh-cn": "khoa học công nghệ",
    "dntn": "doanh nghiệp tư nhân",
    "fdi": "đầu tư trực tiếp nước ngoài",
    "oda": "hỗ trợ phát triển chính thức",
    "tthc": "thủ tục hành chính",
    "dvc": "dịch vụ công",
    "xnk": "xuất nhập khẩu",
    "bq": "bình quân",
    "nsnn": "ngân sách nhà nước",
    "tw": "Trung ương",
    "nq": "Nghị quyết",
    "kh": "Kế hoạch",
    "qd": "Quyết định",
    "kkt": "khu kinh tế",
    "kcn": "khu công nghiệp",
    "ccn": "cụm công nghiệp",
    "khcnc": "khu công nghệ cao",
    "ctr": "chất thải rắn",
    "ubtvqh": "Ủy ban Thường vụ Quốc hội",
    "ubkt": "Ủy ban Kiểm tra",
    "cchc": "cải cách hành chính",
    "cds": "chuyển đổi số",
    "cnh-hdh": "công nghiệp hóa, hiện đại hóa",
    "cnh, hdh": "công nghiệp hóa, hiện đại hóa",
    "gpmb": "giải phóng mặt bằng",
    "usd": "đô la Mỹ",
    "tu": "Tỉnh ủy",
    "btv": "Ban Thường vụ",
    "bch": "Ban Chấp hành",
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
    "mtqg": "mục tiêu quốc gia",
    "ctmtqg": "chương trình mục tiêu quốc gia",
    "iot": "internet vạn vật",
    "bts": "trạm thu phát sóng di động",
    "ttg": "Thủ tướng Chính phủ",
    "cp": "Chính phủ",
    "qh": "Quốc hội",
    "pctt": "phòng, chống thiên tai",
    "tkcn": "tìm kiếm cứu nạn",
    "bdg": "bình đẳng giới",
    "ctxh": "công tác xã hội",
    "ldtbxh": "lao động - thương binh và xã hội",
    "gd-dt": "giáo dục và đào tạo",
    "gddt": "giáo dục và đào tạo",
    "uth": "ước thực hiện",  # a table column: "ƯTH năm 2025"
    "dvt": "đơn vị tính",
}

# Indicator synonyms: ways of naming the same measured quantity (folded phrases). A question
# using one is matched against text using another. Each group names one quantity.
INDICATOR_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("tang truong grdp", "tang truong kinh te", "toc do tang truong kinh te", "grdp tang",
     "toc do tang truong tong san pham tren dia ban"),
    ("thu nhap binh quan dau nguoi", "thu nhap binh quan mot nguoi", "thu nhap dau nguoi"),
    ("grdp binh quan dau nguoi", "tong san pham binh quan dau nguoi"),
    ("ty le ho ngheo", "ho ngheo"),
    ("ty le che phu rung", "do che phu rung"),
    ("von dau tu toan xa hoi", "tong von dau tu"),
    ("kim ngach xuat khau", "gia tri xuat khau", "xuat khau"),
    ("giai ngan von dau tu cong", "giai ngan"),
    ("thu ngan sach", "thu ngan sach nha nuoc", "thu nsnn"),
    ("khong dung tien mat", "thanh toan dien tu", "chi tra qua tai khoan"),
)

# Ways of saying the same bound (folded phrases): a question asking "tối đa mấy tháng" is answered by
# "không quá 9 tháng", "ít nhất" by "tối thiểu". Each group says one thing.
BOUND_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("toi da", "khong qua", "khong vuot qua"),
    ("toi thieu", "it nhat", "khong duoi", "khong thap hon"),
)


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


# Openings of a sentence that goes on with the one before it: "… có 40 điểm. Trong đó, có 12 điểm
# mới" reads as one statement (the second names a part of what the first counts).
CONTINUATION_OPENERS: tuple[str, ...] = ("Trong đó", "Trong số đó", "Trong số này", "Cụ thể", "Riêng")


# Openings of a sentence that states a condition ("Trường hợp học trực tuyến, mức học phí … bằng 70%",
# "Nếu …, thì …"): what follows holds only under it.
CONDITION_OPENERS: tuple[str, ...] = ("Trong trường hợp", "Trường hợp", "Nếu")
# Words linking a question's words to the document it names ("mức phí theo Nghị quyết 12", "kết quả
# tại Kế hoạch 45"), and its number to its author ("… 12 của HĐND tỉnh Tuyên Quang", "… do UBND tỉnh ban hành").
NAME_LINKS: tuple[str, ...] = ("theo", "của", "tại")
AUTHOR_LINKS: tuple[str, ...] = ("của", "do")


# Heads of a measured quantity: what follows names the thing measured ("tỷ lệ [hộ nghèo]",
# "kim ngạch [xuất khẩu]", "ngân sách [dành cho y tế]"). Folded, longest first.
# Another way of writing a head, read as the head it names: a plan states a product's output as
# "tổng sản phẩm [Chè] … đạt 12.000 tấn", its "sản lượng".
MEASURE_HEAD_ALIASES: dict[str, str] = {"tong san pham": "san luong"}
MEASURE_HEADS: tuple[str, ...] = tuple(sorted(
    ("ty le", "kim ngach", "toc do", "tong so", "so luong", "gia tri", "tong von", "ngan sach", "thu nhap",
     "dien tich", "san luong", "muc thu", "muc hoc phi", "ty trong", "tong muc") + tuple(MEASURE_HEAD_ALIASES),
    key=len, reverse=True))
# Heads that measure a share: a share is stated as "52%" ("90% người nghiện …" gives a "tỷ lệ"), or "1/3".
RATE_HEADS: tuple[str, ...] = ("ty le", "ty trong")
# Heads that measure money: a figure of money (or a share of it) answers them, not "14.500 tấn".
MONEY_HEADS: tuple[str, ...] = ("kim ngach", "tong von", "ngan sach", "thu nhap", "gia tri", "muc thu",
                                "muc hoc phi", "tong muc")

# A reference to a part of a legal text ("điểm c khoản 4 Điều 11", "Mục III"): a name, not a figure.
LEGAL_REF_RE = re.compile(r"\b(?:[ĐđDd]iều|[Kk]hoản|[Đđ]iểm|[Mm]ục|[Cc]hương)\s+(?:\d{1,3}[a-z]?|[a-zđ]|[IVXLC]+)\b(?![.,]\d)")

# When, said without a digit: days of the week ("sáng thứ Hai hằng tuần") and recurrences
# ("Hàng năm", "định kỳ hằng quý"). They answer "ngày nào", "khi nào", "tần suất nào".
TIME_WORDS_RE = re.compile(r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|cuối\s+tuần"
                           r"|h[àằ]ng\s+(?:ngày|tuần|tháng|quý|năm)|định\s+kỳ|thường\s+xuyên)\b", re.I)
# Labels that say when ("Thời gian: từ …", "Thời gian triển khai: …", "Tiến độ: …"), folded.
TIME_LABELS: tuple[str, ...] = ("thoi gian", "thoi han", "tien do", "thoi diem", "tan suat", "ky han")
