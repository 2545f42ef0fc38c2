"""The default answerer: extractive, offline, clause-level, with exact citations.

Given the retrieved passages, it cuts each into candidate spans (a numbered target and
its parts, sentences, ';'-clauses), scores every span by IDF-weighted coverage of the
question's words and syllable bigrams (folded, so questions without diacritics work),
the passage's retrieval rank, period agreement (results year vs targets year) and, for
"bao nhiêu" questions, whether the span holds a figure. The best span is the answer;
weak evidence is refused with no figure.

The document's structure answers some questions directly, the way an official reads it:
a target by its number ("chỉ tiêu số 25"), every target of a group ("các chỉ tiêu về môi
trường"), the signature block ("ai ký"), the recipients list ("gửi những cơ quan nào"), a
footnote as a whole, the clauses citing a kind of document ("số hiệu NQ/TU nào"), and one
answer per year (or per subject) for a question that compares. A figure must fit what was
asked: its sentence, its unit, its year. Nothing here knows this document's wording.

Any document officials hold: the document's number, date and issuer come from its header
(never from a document it cites); a table row answers with its labels and the column asked;
a period question with the period stated (or the heading or title that states it); an agency
question with the agency heading the task; a list question inside a list with the list's
items; a sentence cut between chunks is quoted whole. A look-alike quantity ("tỷ lệ thất
nghiệp" for "tỷ lệ … bảo hiểm thất nghiệp") is refused: what a question measures must follow
the same head in the answering clause, and what is ("hiện nay") does not answer what is aimed
at ("phấn đấu … đến năm 2030"). The words that name the document only select it.
"""

from __future__ import annotations

import copy

import re
from dataclasses import dataclass

from functools import lru_cache

from core.text import (
    STOPWORDS, STOPWORDS_VI, clause_spans, content_words, fold, sentence_spans, tagged_forms, words,
)
from core.types import SECTION_SEP, Answer, Chunk, Citation, DocumentInfo, Passage
from core.vn import (
    AMOUNT_NOUNS, AUTHOR_LINKS, BOUND_SYNONYMS, CONDITION_OPENERS, CONTINUATION_OPENERS, COUNT_NOUNS,
    CURRENCY_WORDS, DATE_OR_MONTH_RE, DATE_WORDS_RE, DOC_NUMBER_RE, DOC_TYPES, ISSUER_ALIASES, LEGAL_REF_RE,
    MAGNITUDE_WORDS, MEASURE_HEAD_ALIASES, MEASURE_HEADS, MEASURE_UNITS, MONEY_HEADS, NAME_LINKS, ORG_RE,
    RATE_HEADS, TIME_LABELS, TIME_WORDS_RE, UNIT_SPELLINGS, all_place_names, canonical_places, covered_years,
    issuer_short_name, strip_ranges, year_ranges,
)
from core.vn import years as vn_years
from retrieval.bm25 import BM25Index
from retrieval.scope import TITLE_RUN  # words at least, two of them content words, as the scoper reads titles
from retrieval.query import (
    ABBR_RE, ABBREVIATIONS, HINT_WORDS, PRONOUN_RE, SHIFT_RE, QueryInfo, analyse, expand_abbreviations,
)

from answering.compose import NOT_FOUND  # noqa: E402  (one refusal text for both answerers)

# -- what a question asks for (matched on the accent-folded question) ----------------------
_QUANTITY_HINTS = ("bao nhieu", "may ", "ty le", "muc ", "so luong", "con so", "chi tieu", "dat bao", "tang bao")
# Questions that only a span with a figure (or a date) can answer.
_NEEDS_QUANTITY = ("bao nhieu", "muc nao", "thu may", "bao lau", "may phan tram")


_LIST_MARK_RE = re.compile(r"^[-+•]\s+")
# A list stated inside a sentence: "… (bao gồm nhà kho, máy phát điện, băng chuyền …)", "gồm: A, B, C".
_INLINE_LIST_RE = re.compile(r"\b(?:bao gồm|gồm)\s*:?\s*[^,;.()]+(?:,\s*[^,;.()]+){2,}", re.I)


# "mấy tháng", "mấy người": "mấy" before a unit or a counted noun asks a count as "bao nhiêu" does
# ("cấp mấy" asks a grade, "cấp II"; "máy phát điện" folds to "may" too).
_UNIT_FIRSTS = MEASURE_UNITS | frozenset(words(n)[0] for n in COUNT_NOUNS)


def _how_many(text: str) -> str:
    """The folded words of ``text``, "mấy" before a unit ("mấy tháng") read as "bao nhiêu" (not "số mấy,
    ngày nào", which asks a document's number and date)."""
    ws = words(text)
    if "may" in ws and not re.search(r"\bmáy\b", text, re.I):
        ws = [x for i, w in enumerate(ws)
              for x in (["bao", "nhieu"] if w == "may" and 0 < i and ws[i - 1] not in ("so", "thu")
                        and ws[i + 1:i + 2] and ws[i + 1] in _UNIT_FIRSTS and ws[i + 2:i + 3] != ["nao"] else [w])]
    return " ".join(ws)


def _needs_quantity(q: "QueryInfo") -> bool:
    """Only a figure answers: "bao nhiêu", "mấy", "mức nào" (not "hạng mục nào", "mục nào": items, folded alike)."""
    asked = _how_many(q.text)
    hints = [h for h in _NEEDS_QUANTITY if h in asked]
    if hints == ["muc nao"] and re.search(r"\bmục\s+nào\b", q.text.lower()):
        return False
    return bool(hints)
_NEEDS_DATE = ("ngay nao", "khi nao", "nam nao", "thoi gian nao")
# A question about a period ("thực hiện trong thời gian nào", "tầm nhìn đến năm nào", "giai đoạn nào")
_PERIOD_ASK_RE = re.compile(r"\b(?:trong thoi gian nao|thuc hien (?:trong |vao )?thoi gian nao|giai doan nao"
                            r"|tam nhin den nam nao|den nam nao|trong bao lau|tu nam(?: hoc)? nao)\b")
# A period as texts state it: "2026 - 2030", "đến (hết) năm 2030", "từ năm 2025", "từ nay đến năm 2030"
_PERIOD_TEXT_RE = re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}|(?:đến|tới)\s+(?:hết\s+)?năm\s+(?:19|20)\d{2}"
                             r"|từ\s+(?:năm\s+)?(?:19|20)\d{2}", re.I)
_LIST_HINTS = ("cac chi tieu", "nhung chi tieu", "gom nhung", "liet ke", "nhung gi", "gom gi", "bao gom",
               "nhom chi tieu", "cac muc tieu", "nhung khoan", "nhung muc", "la nhung")
_COMPARE_HINTS = ("so sanh", "cao hon", "thap hon", "lon hon", "nho hon", "chenh lech", "hon hay", "nhieu hon", "it hon")
_RATE_WORDS = ("ty le", "phan tram", "toc do", "tang", "giam", "muc")
_TARGET_NO_RE = re.compile(r"chi tieu\s*(?:so|thu)?\s*\(?\s*(\d{1,3})\s*\)?")
# "chỉ tiêu về môi trường", "các chỉ tiêu lĩnh vực kinh tế": a question naming a whole group of targets.
_GROUP_ASK = r"\b(?:chi tieu|muc tieu)(?: chu yeu)?(?: (?:ve|cua|thuoc))?(?: (?:linh vuc|nhom))? {label}\b"
_SIGNATURE_RE = re.compile(r"\b(?:ai|nguoi|duoc|da) ky\b|\bky thay mat\b|\bky ten\b|\bchu ky\b")
_RECIPIENTS_RE = re.compile(r"\bnoi nhan\b|\bgui (?:toi|den|cho|nhung|cac)\b|\bduoc gui\b|\bban luu\b|\bluu (?:tai|o)\b"
                            r"|\bco gui\b")
# The document's own metadata ("nghị quyết này ban hành ngày nào", "số hiệu của văn bản này").
_SELF_META_RE = re.compile(r"\b(?:nghi quyet|van ban|quyet dinh|ket luan) nay\b.*\b(?:ban hanh|so hieu|ngay ky|ky ngay|so may|ngay nao)\b"
                           r"|\b(?:ban hanh|so hieu|ngay ky)\b.*\b(?:nghi quyet|van ban|quyet dinh|ket luan) nay\b")
# What a question asks about the document itself: its number, its date, who issued it.
_META_ASK: dict[str, re.Pattern] = {
    "number": re.compile(r"\bso hieu\b|\bso may\b|\bmang so\b|\bso ky hieu\b"),
    "date": re.compile(r"(?<!truoc )\b(?:ban hanh|thong qua|ky|phe duyet|ky ban hanh)\b(?: \w+){0,12} (?:ngay nao|khi nao"
                       r"|vao ngay nao|vao thoi gian nao|ngay may)\b|\bngay ban hanh\b|\bngay ky\b|\bngay thong qua\b"),
    "issuer": re.compile(r"\bco quan nao ban hanh\b|\bdo (?:co quan |cap )?(?:nao|ai) ban hanh\b|\bai ban hanh\b"
                         r"|\bcap nao ban hanh\b|\bco quan ban hanh\b"),
}
# Where the header states each: "Số: 215/KH-UBND", "Bắc Ninh, ngày 05 tháng 3 năm 2026", the issuer lines.
_META_FIND: dict[str, re.Pattern] = {
    "number": re.compile(r"^Số\s*:?\s*\S+", re.M),
    "date": re.compile(r"^[^\n]{0,60}ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.M),
    "issuer": re.compile(r"\A(?:[^\na-zà-ỹđ]+\n)*?[^\na-zà-ỹđ]+(?=\n-{2,}|\nCỘNG HÒA|\nĐẢNG CỘNG SẢN)"),
}
# A document stating its own adoption: "Nghị quyết này được Quốc hội … thông qua ngày 19 tháng 02 năm 2025."
_SELF_ADOPTED_RE = re.compile(r"(?:Nghị quyết|Quyết định|Kế hoạch|Văn bản|Chỉ thị|Kết luận) này[^.]{0,200}?"
                              r"(?:thông qua|ban hành|ký)[^.]{0,40}?ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.I)
_WHO_RE = re.compile(r"\bla ai\b|\bai la\b|\bten (?:la )?gi\b|\bho ten\b")
_ORG_ASK_RE = re.compile(r"\b(?:co quan|don vi|to chuc|so nganh|bo nganh|phoi hop|chu tri|cap nao)\b")
# "Công an tỉnh có nhiệm vụ gì?", "Sở Y tế phải làm gì?": the tasks under an agency's heading.
_DUTY_ASK_RE = re.compile(r"\b(?:nhiem vu|trach nhiem|vai tro) (?:gi|nao)\b|\blam (?:gi|nhung gi)\b"
                          r"|\bduoc giao (?:gi|nhung gi)\b")
# The numbering before a heading's words: "5.", "2.13.", "IV.", "a)".
_HEADING_MARK_RE = re.compile(r"^(?:[\dIVXLC]+(?:\.\d+)*[.)]|\d+(?:\.\d+)*(?=\s)|[a-zđ]\))\s*")
# "Ngoài Ngày Di sản văn hóa Việt Nam, … những ngày nào?": the rest of a list, without what is named.
_LEAD_MARKS_RE = re.compile(r"^[\s\-+•*]+")


def _unmarked(text: str) -> str:
    """A text without the list marks and the outline marker it opens with ("- ", "2.", "b)")."""
    return _HEADING_MARK_RE.sub("", _LEAD_MARKS_RE.sub("", text))


_EXCEPT_RE = re.compile(r"^(?:ngoai|ben canh|tru)\s+(.+?)(?:\s+ra)?$")
_YES_NO_RE = re.compile(r"\bco (\w+) (?:\w+ )?khong\b")
_COUNT_NOUNS = frozenset(fold(n) for n in COUNT_NOUNS)  # "người", "cơ sở", "xã": things counted
_AMOUNT_NOUNS = frozenset(fold(n) for n in AMOUNT_NOUNS)  # "phí", "tiền": an amount, any figure of money or share
_PER_WORDS = ("moi", "hang", "tren")  # mỗi / hằng / trên: a rate per unit, not a unit counted
_UNIT_ASKED_RE = re.compile(r"\bbao nhieu (\w+)(?: (\w+))?")
# Generic nouns that name the kind of answer wanted ("… cho nội dung gì?"), not its content.
_KIND_NOUNS = ("noi dung", "van de", "linh vuc", "co quan", "don vi", "yeu cau", "muc dich", "hinh thuc", "thong tin")
_ASKED_KIND_RE = re.compile(rf"\b({'|'.join(_KIND_NOUNS)}) (?:gi|nao)\b")

# -- what a question or a span contains (matched on the text as written) -------------------
_NAME_WORD = r"[A-ZĐ]\w*(?:-[A-ZĐ]\w*)*"  # "Nghệ", "KT-XH"
_NAME_RE = re.compile(rf"\b({_NAME_WORD}(?:\s+{_NAME_WORD})*)")
# A kind of document number asked about: "NQ/TU", "KL/TW" (not "09-NQ/TU": that is one document).
_CODE_ASK_RE = re.compile(r"(?<![\d-])\b([A-ZĐ]{1,6}/[A-ZĐ]{1,8})\b")
# Document numbers ("18-NQ/TU", "1283/NQ-UBTVQH15") are names, not figures.
_CODE_RE = re.compile(r"\b\d+(?:/\d+)*[-/][A-ZĐ][\w/-]*")
# A document number or a full date, as a header or signature block gives them.
_DOC_META_RE = re.compile(r"\d{1,2}/\d{1,2}/(?:19|20)\d{2}|ngày \d{1,2} tháng \d{1,2}|Số:?\s*\d+|\d+[-/][A-ZĐ]+/[A-ZĐ-]+")
_ORDINAL_RE = re.compile(r"\b(?:thứ|khóa|khoá)\s+[IVXLC]+\b")
_NUMBER_RE = re.compile(r"\d+(?:[.,/]\d+)*%?")
_SHARE_RE = re.compile(r"\d\s*%|\d+/\d+|phần\s+trăm", re.I)  # "52%", "107/100", "5 phần trăm"
_YEAR_OR_DATE_RE = re.compile(r"^(?:(?:19|20)\d{2}|\d{1,2}/\d{1,2}/(?:19|20)\d{2}|\d{1,2}/(?:19|20)\d{2})$")
_DIGIT_RE = re.compile(r"\d")
_SURNAMES = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào Trương Lâm Mai "
             "Tô Hà Cao Chu Lương Trịnh Đoàn Vương Tạ Thái Lưu Quách Kiều Triệu Đàm Phùng Văn Thân Tống Lại").split()
# A Vietnamese full name: a family name and at least two more capitalised syllables ("Hoàng Trung Dũng").
_PERSON_RE = re.compile(rf"\b(?:{'|'.join(_SURNAMES)})(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){{2,3}}\b")
# Where a target splits into parts, and where a recipients list into items.
_PARTS_RE = re.compile(r";\s+|,?\s+trong đó:?\s+")
_ITEM_SPLIT_RE = re.compile(r"\n(?=- )")
_SENTENCE_END = (".", "!", "?", "…", ":", ";", "./.")
PLACE_NAMES = sorted(all_place_names(), key=len, reverse=True)


# A figure, not a code: "5G", "3G/4G" name a technology.
_FIGURE_RE = re.compile(r"\d+(?:[.,/]\d+)*%?(?![\dA-ZĐ])")
# The ordinal cell that opens a table row ("3 | Đền Quan Đế | …", "II | Cây công nghiệp")
_ORDINAL_CELL = r"(?:[IVXLC]+|\d{1,3}(?:\.\d+)*)"  # "II", "3", "1.2": a row's ordinal, not a figure
_ROW_ORDINAL_RE = re.compile(rf"^\s*{_ORDINAL_CELL}\s*\|")


def has_quantity(text: str) -> bool:
    """A figure that is not a year, a date, a document number, a row's ordinal, a code or a legal
    reference: '52%', '17.800', '26/28', 'lần thứ XIV' (not "ngày 16 tháng 7 năm 2024", "5G", "1 | Nghiên
    cứu …", "điểm a khoản 2 Điều 9")."""
    if _ORDINAL_RE.search(text):
        return True
    text = DATE_WORDS_RE.sub(" ", _CODE_RE.sub(" ", _ROW_ORDINAL_RE.sub(" ", LEGAL_REF_RE.sub(" ", text))))
    return any(not _YEAR_OR_DATE_RE.match(n.rstrip("%")) or n.endswith("%") for n in _FIGURE_RE.findall(text))


_MONEY_WORDS = frozenset(w for t in CURRENCY_WORDS + MAGNITUDE_WORDS for w in words(t))


def _is_amount(folded: list[str], row_units: set[str] | None) -> bool:
    """A share ("50%") or a sum of money ("20.000 đồng", "3,9 triệu USD", a row in "đồng/lượt")."""
    if any(w.endswith("%") for w in folded) or (row_units is not None and row_units & _MONEY_WORDS):
        return True
    return any(w[:1].isdigit() and set(folded[i + 1:i + 3]) & _MONEY_WORDS for i, w in enumerate(folded))


def _figure_before(folded: list[str], thing: list[str]) -> bool:
    """Whether a figure stands right before these words ("28 trạm 5G")."""
    n = len(thing)
    return any(w[:1].isdigit() and folded[i + 1:i + 1 + n] == thing for i, w in enumerate(folded))


def _quantity_fits(q: QueryInfo, text: str, row_units: set[str] | None = None) -> bool:
    """'bao nhiêu bệnh viện' is not answered by '32 giường bệnh', nor 'bao nhiêu ha' by
    '102 triệu đồng/ha', nor a head count by a rate ('dân số ... bao nhiêu' by 'tỷ lệ dân số ... 89%')."""
    folded = words(_CODE_RE.sub(" ", text))
    # The unit is read from this turn's question: a follow-up's context asked about another thing.
    m = _UNIT_ASKED_RE.search(_how_many(q.current))
    asked = [w for w in (m.groups() if m else ()) if w]
    unit = [w for w in asked if w not in STOPWORDS and w not in ABBREVIATIONS]
    if m and (m.group(1) in STOPWORDS or m.group(1) in _PER_WORDS):
        unit = []  # "bao nhiêu mỗi tháng" asks an amount per month, not a count of months
    if " ".join(asked) in _COUNT_NOUNS:
        unit = asked  # "bao nhiêu cơ sở": a thing counted, though "cơ" folds to the stopword "có"
    if unit and unit[0] == "tien":  # "bao nhiêu tiền": a sum of money, not a share
        return _is_amount([w for w in folded if not w.endswith("%")], row_units)
    if unit and (" ".join(unit[:2]) in _AMOUNT_NOUNS or unit[0] in _AMOUNT_NOUNS):
        return _is_amount(folded, row_units)  # "giảm bao nhiêu phí": an amount, not a count of fees
    if unit[:2] == ["phan", "tram"] or re.search(r"bao nhiêu\s*%|bao nhieu\s*%", q.current, re.I):
        return "%" in text  # "bao nhiêu % xã" asks a share
    if unit and row_units is not None and not _figure_before(folded, unit[:1]):
        # a table row: its unit is a column ("Ha", "đồng/lượt/khách"); a row whose cell gives a figure
        # of the unit asked ("đạt tỷ lệ 100% người hưởng trợ cấp …") is read as a sentence is. A count
        # asked of what is ("hiện nay có bao nhiêu người") is not answered by a row's share of it.
        counted = " ".join(asked[:2]) in _COUNT_NOUNS or asked[0] in _COUNT_NOUNS
        figures = [w for w in folded if w[:1].isdigit() and not _YEAR_OR_DATE_RE.match(w.rstrip("%"))]
        share_only = (bool(figures) and all(w.endswith("%") for w in figures)
                      or any(h in RATE_HEADS for h, _ in _measured_things(folded)))  # "Tỷ lệ % người … | 40"
        # the unit is the word asked after "bao nhiêu" ("bao nhiêu xã miền núi": xã), both of a two-word noun
        named = unit if " ".join(unit) in _COUNT_NOUNS | _AMOUNT_NOUNS else unit[:1]
        return set(named) <= row_units and not (counted and share_only and not q.wants_targets)
    if unit:
        # "bao nhiêu ha đất" is answered by "2.632 ha": a unit of measure stands for the words after it.
        wanted = [unit] + ([unit[:1]] if len(unit) > 1 and unit[0] in MEASURE_UNITS else [])
        spelled = UNIT_SPELLINGS.get(" ".join(unit)) or UNIT_SPELLINGS.get(unit[0])
        if spelled:  # "cao dưới bao nhiêu mét" is answered by "1,3m"
            wanted.append([spelled])
        counted = " ".join(asked[:2]) in _COUNT_NOUNS or asked[0] in _COUNT_NOUNS
        for i, w in enumerate(folded):
            # "hiện có bao nhiêu cơ sở" counts: "100% cơ sở" is a share of them, not a count; a target
            # ("phấn đấu bao nhiêu hộ … đến năm 2030") is often set as a share.
            share_ok = q.wants_targets or not counted or not w.endswith("%")
            if w[:1].isdigit() and not _YEAR_OR_DATE_RE.match(w.rstrip("%")) and share_ok:
                after = folded[i + 1:i + 1 + len(unit) + 1]
                if any(after[j:j + len(u)] == u for u in wanted for j in range(2)):
                    return True
        return False
    # No unit asked: the head says what kind of figure answers. A share ("tỷ lệ … bao nhiêu") is
    # a percentage or a ratio, not "đề án 06"; money ("giá trị … bao nhiêu") is not "14.500 tấn".
    # Unless the question asks another thing of it ("Tiêu chí tỷ lệ … có điểm chuẩn bao nhiêu").
    asked_other = re.search(r"\bco (?:\w+ ){1,3}bao nhieu\b", " ".join(words(q.current)))
    heads = set() if asked_other else {h for h, _ in _measured_things(words(q.current))}
    if heads & set(RATE_HEADS):
        return bool(_SHARE_RE.search(DATE_OR_MONTH_RE.sub(" ", text)))
    if heads & set(MONEY_HEADS):
        return _is_amount(folded, row_units)
    rate_only = all(n.endswith("%") for n in _NUMBER_RE.findall(text) if not _YEAR_OR_DATE_RE.match(n))
    if rate_only and "ty le" in " ".join(folded) and not any(h in q.folded for h in _RATE_WORDS):
        return False
    return True


# Names of kinds of document of two words or more, folded ("ke hoach", "de an"): "luật" alone is
# also "pháp luật".
_KIND_NAMES = tuple(sorted({" ".join(words(t)) for t in DOC_TYPES if len(t.split()) > 1}, key=len, reverse=True))


@lru_cache(maxsize=4096)  # one entry per document of the library
def identity_units(info: DocumentInfo) -> dict[str, str]:
    """Folded unit -> written form of the words that name a document: its number, its province
    and place, and the place names and codes of its title ("Lào Cai", "5G")."""
    names = [info.number, info.province, info.place]
    names += [p for p in PLACE_NAMES if p in info.title]
    names += re.findall(r"\b\w*\d\w*\b", info.title)
    return _unit_forms(" ; ".join(n for n in names if n))


# The phrase a question names its document by: its type, its number, its author ("theo Nghị quyết 36
# của HĐND thành phố Huế", "Kế hoạch số 153 của UBND") and the links between them (core.vn NAME_LINKS).
_NAME_LINKS = frozenset(fold(w) for w in NAME_LINKS)
_AUTHOR_LINKS = frozenset(fold(w) for w in AUTHOR_LINKS)
_ISSUER_PHRASES = tuple(sorted(((tuple(k.split()), v) for k, v in ISSUER_ALIASES.items()), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=4096)
def naming_forms(text: str, info: DocumentInfo) -> dict[str, str]:
    """Unit -> form as typed of the question's words naming this document by its type (or the type's
    code) and number, with its own issuer after them ("theo Nghị quyết [số] 36 của HĐND thành phố Huế",
    "KH 153 của UBND"), and of the word pairs running into them ("học phí theo", "HĐND thành phố").
    They select the document; no passage is closer to the question for repeating them. A type without
    the number is not a name: "ban hành kế hoạch hành động", "thực hiện nghị quyết về …" say what is done."""
    serial = DOC_NUMBER_RE.search(info.number) if info.number else None
    if serial is None or not info.doc_type:
        return {}
    tagged = tagged_forms(text)
    ws = [f for f, _, _ in tagged]
    own_serial = str(int(serial.group(1)))
    own_types = {tuple(words(info.doc_type))} | {tuple(words(code)) for name, code in DOC_TYPES.items()
                                                 if fold(name) == fold(info.doc_type)}  # "Kế hoạch", "KH"
    own_issuer = issuer_short_name(info.issuer) if info.issuer else ""
    # the words of the issuer's place ("tỉnh Sơn La"), not of its body ("nhân dân": "nhan" may be "nhãn")
    place_words = set(words(info.issuer)) - {w for p, v in _ISSUER_PHRASES if v == own_issuer for w in p}
    marked = [False] * len(ws)
    expanded: list[str] = []
    for i in range(len(ws)):
        own_type = next((t for t in own_types if tuple(ws[i:i + len(t)]) == t), None)
        if own_type is None:
            continue
        j = i + len(own_type) + (ws[i + len(own_type):i + len(own_type) + 1] == ["so"])
        if j >= len(ws) or ws[j].lstrip("0") != own_serial:
            continue
        end = j + 1
        k = end + (end < len(ws) and ws[end] in _AUTHOR_LINKS)
        n = next((len(p) for p, v in _ISSUER_PHRASES if v == own_issuer and tuple(ws[k:k + len(p)]) == p), 0)
        if n:
            while k + n < len(ws) and ws[k + n] in place_words:
                n += 1  # "HĐND thành phố Huế": the place the issuer is of
            expanded.append(expand_abbreviations(" ".join(w for _, w, _ in tagged[k:k + n])))
            end = k + n
        start = i - (i > 0 and ws[i - 1] in _NAME_LINKS)
        for m in range(start, end):
            marked[m] = True
    if not any(marked):
        return {}
    out = {f: w for k, (f, w, stop) in enumerate(tagged) if marked[k] and not stop}
    for k in range(len(tagged) - 1):
        if marked[k] or marked[k + 1]:
            out.setdefault(f"{ws[k]}_{ws[k + 1]}", f"{tagged[k][1]}_{tagged[k + 1][1]}")
    for e in expanded:
        for u, w in _unit_forms(e).items():
            out.setdefault(u, w)
    return out


# A document named by the words of its title, the way officials name one ("Kế hoạch xuất khẩu sản
# phẩm hàng hóa tỉnh Sơn La giai đoạn 2026 - 2030", "kế hoạch 5G, IoT tại khu công nghiệp"): a run
# of the question's words from a type word on, each found in the title in order, at most TITLE_GAP
# title words left out between two ("5G, [Internet vạn vật] IoT tại [các] khu công nghiệp").
TITLE_GAP = 3
_TYPE_WORDS = frozenset(" ".join(words(t)) for t in DOC_TYPES)
_TYPE_SYLLABLES = frozenset(w for t in _TYPE_WORDS for w in t.split())
_TITLE_LEADS = frozenset({"ve", "viec", "ban", "hanh"})  # "quyết định [về việc] [ban hành] kế hoạch …"


def _title_match(q: list[str], j: int, title: list[str]) -> int:
    """How many question words from ``j`` on the title holds in order (gaps of at most TITLE_GAP)."""
    best = 0
    for t0 in (t for t, w in enumerate(title) if w == q[j]):
        k, t = j + 1, t0 + 1
        while k < len(q):
            nxt = next((u for u in range(t, min(len(title), t + TITLE_GAP + 1)) if title[u] == q[k]), None)
            if nxt is None:
                break
            k, t = k + 1, nxt + 1
        best = max(best, k - j)
    return best


@lru_cache(maxsize=4096)
def title_run(question: str, title: str) -> str:
    """The words of ``question`` (as typed) that name a document by its ``title``, "" when none do:
    they select the document, like its number, so an answer need not repeat them."""
    forms = tagged_forms(question)
    q, t = [f for f, _, _ in forms], words(title)
    best = (0, 0)
    for i in range(len(q)):
        n = 2 if " ".join(q[i:i + 2]) in _TYPE_WORDS else 1 if q[i] in _TYPE_WORDS else 0
        if not n:
            continue
        j = i + n
        while j < len(q) and q[j] in _TITLE_LEADS:
            j += 1
        for start in dict.fromkeys((i + n, j)):
            if start < len(q):
                size = _title_match(q, start, t)
                if size > best[1] - best[0]:
                    best = (start, start + size)
    run = forms[best[0]:best[1]]
    content = [f for f, _, stop in run if not stop and f not in _TYPE_SYLLABLES and not f.isdigit()]
    return " ".join(w for _, w, _ in run) if len(run) >= TITLE_RUN and len(content) >= 2 else ""


# Words between a head and the thing measured that name nothing themselves ("dành cho", "các", "người").
_LINK_WORDS = frozenset({"danh", "cho", "cua", "ve", "doi", "voi", "chung", "cac", "nhung", "nguoi"})
# The thing a question measures must follow the same head within this many words of the span:
# "tỷ lệ [lao động trong độ tuổi] tham gia bảo hiểm xã hội" still measures "tham gia" (words 6-7),
# "tỷ lệ lao động … bảo hiểm [thất nghiệp]" does not measure "thất nghiệp" (9 words on).
MODIFIER_WINDOW = 7
MODIFIER_BEFORE = 4  # "20 dự án có tổng vốn": the thing may stand just before the head
SHARE_BEFORE = 4  # a share reaches further back: "[trợ giúp] pháp lý cho 100% số người", "[giải ngân] vốn đầu tư công đạt 97,1%"
_FRAME_WORDS = frozenset({"bao", "nhieu", "la", "gi", "nam", "dat", "muc", "may", "nao", "can", "phai", "duoc", "uoc"})


_HEAD_RES = [(head, re.compile(rf"(?<!\S){re.escape(head)}(?!\S)")) for head in MEASURE_HEADS]


def _measured_things(folded_words: list[str]) -> list[tuple[str, int]]:
    """(head, position after it) of each measure head in a folded word list; an alias ("tổng sản
    phẩm") is read as the head it names ("sản lượng")."""
    return list(_measured_in(" ".join(folded_words)))


@lru_cache(maxsize=8192)
def _measured_in(text: str) -> tuple[tuple[str, int], ...]:
    out = []
    for head, rx in _HEAD_RES:
        if head in text:  # most heads are in no span: a substring test before the pattern
            for m in rx.finditer(text):
                out.append((MEASURE_HEAD_ALIASES.get(head, head), len(text[:m.end()].split())))
    return tuple(out)


def _span_heads(sw: list[str], asked: set[str]) -> list[tuple[str, int, int]]:
    """(head, position after it, its length in words) of each head in a span's clause. A share
    ("90% người nghiện …") states a "tỷ lệ" of what follows it, when the question asks a share."""
    out = [(h, p, len(h.split())) for h, p in _measured_things(sw)]
    if any(h in RATE_HEADS for h, _, _ in out):
        return out  # "tỷ lệ … bảo hiểm thất nghiệp đạt trên 17,8%": the share is that head's figure
    for rate in asked & set(RATE_HEADS):  # "trợ giúp pháp lý cho 100% số người": the thing may lead the share
        out += [(rate, i + 1, 1 + SHARE_BEFORE) for i, w in enumerate(sw) if w.endswith("%")]
    return out


_NAME_TOKEN_RE = re.compile(r"[^\W\d_]+")


def _name_runs(text: str) -> list[list[str]]:
    """The runs of words written with a capital inside a clause, not opening it ("… tại Đền Bạch Mã số
    76, Đình Kim Ngân …" -> [Đền, Bạch, Mã], [Đình, Kim, Ngân]); an acronym ("USD") is a unit, not a name."""
    runs = []
    for clause in re.split(r"[.;:!?\n]", text):
        run: list[str] = []
        for i, t in enumerate(_NAME_TOKEN_RE.findall(clause) + [""]):
            if i and t[:1].isupper() and not t.isupper():
                run.append(t)
                continue
            if run:
                runs.append(run)
            run = []
    return runs


def _names_in(text: str) -> set[str]:
    """Folded words of the names a text gives ("Tổng sản phẩm Chuối …" -> {"chuoi"})."""
    return {fold(t) for run in _name_runs(text) for t in run}


def _name_units(text: str) -> set[str]:
    """The units of the names a text gives (đền, bạch, mã, đền_bạch, …, folded)."""
    return {u for run in _name_runs(text) for u in _units(" ".join(run))}


def _inline_abbreviations(text: str) -> str:
    """'Tỷ lệ CTR được thu gom' -> 'Tỷ lệ chất thải rắn được thu gom' (the abbreviation replaced in place)."""
    return ABBR_RE.sub(lambda m: ABBREVIATIONS[m.group(1)] if len(m.group(1)) > 2 else m.group(1), fold(text))


def _thing_after(ws: list[str], pos: int) -> list[str]:
    """The measured thing after a head: its first one or two words ('that nghiep', 'nhap khau', 'y te')."""
    rest = ws[pos:]
    while rest and rest[0] in _LINK_WORDS:
        rest = rest[1:]
    thing = []
    for w in rest[:2]:
        if w in _FRAME_WORDS or w[:1].isdigit() or (thing and w in STOPWORDS):
            break  # "tỷ lệ nữ trong diện quy hoạch" measures "nữ": a function word ends the thing
        thing.append(w)
    return thing


def _listed_with(question: str, thing: list[str]) -> list[str]:
    """The thing listed right after the one measured ("giá trị nông sản, thực phẩm" -> thực phẩm): what
    the question measures is both, so an answer names both ("Giá trị sản phẩm nông sản, thực phẩm …
    395 triệu USD", not "giá trị sản phẩm nông sản chế biến … 346,6 triệu USD")."""
    m = re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, thing)) + r"\s*,\s*([^\W\d_]+(?:\s+[^\W\d_]+)?)",
                  fold(question).lower())
    if not m:
        return []
    out = []
    for w in words(m.group(1)):
        if w in _FRAME_WORDS or w in STOPWORDS:
            break
        out.append(w)
    return out


def same_quantity(q: QueryInfo, span_text: str, row_context: set[str] | None = None) -> bool:
    """A look-alike is not an answer: the thing a question measures ("tỷ lệ thất nghiệp", "kim ngạch
    nhập khẩu", "ngân sách cho y tế") must follow the same head in the span ("tỷ lệ lao động …
    bảo hiểm thất nghiệp", "kim ngạch xuất khẩu" and "tổng thu ngân sách trên địa bàn" do not
    measure those). A span that does not use the head is a paraphrase and is not judged here.
    A table row measures what its labels and column headers name ("Cà Phê › Diện tích")."""
    if row_context is not None:
        have = row_context | set(words(span_text))
        things = [_thing_after(qw, pos) for v in {q.current, _inline_abbreviations(q.current)}
                  for qw in [words(v)] for _, pos in _measured_things(qw)]
        return not any(things) or any(t and all(w in have for w in t) for t in things)
    # A head measures within its clause; the span is read as written and with its abbreviations
    # spelled out ("tổng số trạm BTS" counts "trạm thu phát sóng di động").
    # (the folded variant splits at ";" only: "trong do" is also "trong độ tuổi")
    clauses = ([words(c) for c in re.split(r";|\btrong đó\b", span_text, flags=re.I)]
               + [words(c) for c in _inline_abbreviations(span_text).split(";")])
    asked = {h for v in (q.current, _inline_abbreviations(q.current)) for h, _ in _measured_things(words(v))}
    if not any(_span_heads(sw, asked) for sw in clauses):
        return True
    # A name between the head and the thing narrows it: "giá trị sản phẩm Chuối tham gia xuất
    # khẩu" measures one product's exports, not "giá trị xuất khẩu" (unless the question names it).
    names = _names_in(span_text) - set(words(q.text))
    verdicts = []
    for variant in {q.current, _inline_abbreviations(q.current)}:
        qw = words(variant)
        for head, pos in _measured_things(qw):
            thing = _thing_after(qw, pos)
            if not thing:
                continue
            thing = thing + _listed_with(variant, thing)  # "giá trị nông sản, thực phẩm": both things
            # Each word of the thing near the head in the same clause, after it ("tỷ lệ dân số nông
            # thôn") or just before it ("20 dự án có tổng vốn"), and no unasked name between them.
            found = []
            for sw in clauses:
                for h, p, n in _span_heads(sw, asked):
                    if h != head:
                        continue
                    near = sw[max(0, p - n - MODIFIER_BEFORE):p + MODIFIER_WINDOW]
                    if not all(w in near for w in thing):
                        found.append(False)
                        continue
                    after = sw[p:p + MODIFIER_WINDOW]
                    first = after.index(thing[0]) if thing[0] in after else 0
                    found.append(not any(w in names for w in after[:first]))
            if found:
                verdicts.append(any(found))
    return not verdicts or any(verdicts)


# A condition as a sentence states it: its opener, then what it says up to the comma or "thì".
_CONDITION_RE = re.compile(r"^(?:" + "|".join(map(re.escape, CONDITION_OPENERS)) + r")\b([^,:;]*?)(?:,|:|;|\bthì\b|$)",
                           re.I)
CONDITION_SHARE = 0.3  # of the condition's words and word pairs a question must name


def meets_condition(q: QueryInfo, sentence: str) -> bool:
    """A figure stated under a condition ("Trường hợp học trực tuyến (học online), mức học phí … bằng
    70%") answers only a question that states the condition ("Nếu học trực tuyến thì …"), not one
    about something else ("học phí đại học công lập là bao nhiêu")."""
    m = _CONDITION_RE.match(_unmarked(sentence))
    if not m:
        return True
    units = set(_units(m.group(1)))
    if not units:
        return True
    asked = set(_units(q.text))
    return len(units & asked) >= CONDITION_SHARE * len(units)


_PRESENT_RE = re.compile(r"\bhien (?:nay|co|tai|dang)\b")
_FUTURE_RE = re.compile(r"\bsẽ\b", re.I)  # as written: folded, "sẽ" is also "chia sẻ"
_TARGET_RE_FOLDED = re.compile(r"\bphan dau\b|\bmuc tieu\b|\bchi tieu\b|\bden (?:het )?nam \d{4}\b|\bit nhat\b|\btoi thieu\b")


def same_tense(q: QueryInfo, span_text: str) -> bool:
    """What is ("hiện nay có bao nhiêu trạm") is not answered by what is aimed at ("phấn đấu 100% …
    đến năm 2030"), nor an aim by what is: a figure of the present answers the present."""
    span = " ".join(words(span_text))
    asks_now = bool(_PRESENT_RE.search(q.folded) or q.folded.startswith("hien "))  # "Hiện Hà Tĩnh có …"
    asks_aim = bool(_TARGET_RE_FOLDED.search(q.folded))
    says_now = bool(_PRESENT_RE.search(span))
    # what will be done ("Sở Y tế sẽ kiểm tra ngẫu nhiên 50 người") is aimed at, like a target
    says_aim = bool(_TARGET_RE_FOLDED.search(span) or _FUTURE_RE.search(span_text))
    if asks_now and not asks_aim:
        return not (says_aim and not says_now)
    if asks_aim and not asks_now:
        return not (says_now and not says_aim)
    return True


def _said_otherwise(q: QueryInfo) -> list[tuple[dict[str, str], tuple[str, ...]]]:
    """For each bound the question words one way ("tối đa"), its units as typed and the other ways a
    text may say it ("không quá", "không vượt quá"): a span saying it otherwise covers it."""
    folded = f" {' '.join(words(q.text))} "
    typed = _unit_forms(q.text)
    out = []
    for group in BOUND_SYNONYMS:
        for phrase in group:
            if f" {phrase} " in folded:
                units = {u: typed.get(u, u) for u in _units(phrase)}
                out.append((units, tuple(f" {o} " for o in group if o != phrase)))
    return out


# -- the field a question asks for ------------------------------------------------------------
# "thực hiện trong thời gian nào", "diễn ra từ ngày nào", "với tần suất nào": asked when (folded).
_TIME_ASK_RE = re.compile(r"\b(?:ngay nao|khi nao|thoi gian nao|bao gio|thoi han nao|thoi diem nao|tan suat nao"
                          r"|luc nao)\b")
_PLURALS = frozenset({"nhung", "cac", "loai", "mot", "so"})
# "Label: what it says" at the start of a span ("b) Thời gian: Từ ngày …", "Thị trường định hướng xuất khẩu: …").
_FIELD_RE = re.compile(r"([^:;.()\n]{2,80}?)\s*:\s*\S")
_TIME_LABEL_WORDS = tuple(tuple(t.split()) for t in TIME_LABELS)
# A day: "ngày 15/11/2025", "15/12", "tháng 11", "thứ Bảy", "Chủ nhật"
_DAY_RE = re.compile(r"\bngày\s+\d|\b\d{1,2}/\d{1,2}\b|\btháng\s+\d|\bthứ\s+(?:hai|ba|tư|năm|sáu|bảy)\b|\bchủ\s+nhật\b", re.I)
# "1. Đô thị: Cơ sở giáo dục tại các phường": a short term, then what it stands for (one line).
_DEFINITION_RE = re.compile(r"([^:;.()\n]{2,40}?)\s*:\s*([^:\n]{3,200})$")
DEFINED_TERM_WORDS = 4
FIELD_SHARE = 0.5  # a span stating the field asked comes first when it covers this share of the best one's


def _asked_field(q: QueryInfo) -> tuple[tuple[str, ...], ...]:
    """What a question asks for by name, as folded word tuples: the labels that say when for a time
    question; else the noun before "nào"/"gì" ("Những đối tượng đặc thù nào" -> đối tượng đặc thù,
    "sang những thị trường nào" -> thị trường, "Đơn vị nào" -> đơn vị). () when it names none."""
    ws = words(q.current)
    if _TIME_ASK_RE.search(" ".join(ws)):
        return _TIME_LABEL_WORDS
    i = next((k for k, w in enumerate(ws) if w in ("nao", "gi") and k >= 2), None)
    if i is None:
        return ()
    before = ws[max(0, i - 5):i]
    plural = max((k for k, w in enumerate(before) if w in _PLURALS), default=None)
    noun = before[plural + 1:] if plural is not None else before[-2:]
    return (tuple(noun),) if len(noun) >= 2 else ()


def _label_answers(label: str, asked: tuple[tuple[str, ...], ...]) -> bool:
    """The label opens with the field asked ("Thời gian thực hiện Chương trình" for a time question,
    "Đối tượng nộp phí" for "đối tượng nào"): its first words are the asked noun's first two."""
    lw = [w for w in words(label) if w not in _PLURALS]
    return any(len(a) >= 2 and lw[:2] == list(a[:2]) for a in asked)


def _inline_list_of(noun: tuple[str, ...], text: str) -> bool:
    """The span names the asked noun and lists it: "các tổ chức đoàn thể (Thanh niên, Hội Phụ nữ, …)",
    "đối tượng đặc thù như: người cao tuổi …, người khuyết tật …"."""
    pat = (r"\b" + r"\s+".join(map(re.escape, noun[:4])) + r"\b[^(:;.]{0,30}?(?:\(|:|\bnhu\b|\bgom\b)([^)]*)")
    m = re.search(pat, fold(text))
    return bool(m) and m.group(1).count(",") + m.group(1).count(";") >= 1


_AGENCY_LEADS_RE = re.compile(ORG_RE.pattern + r"[^.;:]{0,100}\bchủ trì\b")


_WHICH_AGENCY_RE = re.compile(r"\b(?:ai|so nao|bo nao|nganh nao)\b")


def _asks_agency(q: QueryInfo) -> bool:
    """'Cơ quan nào / đơn vị nào chủ trì …', 'Sở nào …', 'ai …': the answer names an agency."""
    return bool(_ORG_ASK_RE.search(q.folded) or _WHICH_AGENCY_RE.search(q.folded))


def _names_agency(text: str) -> bool:
    """Whether a task names who does it: it opens with an agency ("Sở Y tế …", "+ Bộ Chỉ huy quân sự …") or
    says who leads ("Giao Sở Công Thương chủ trì"). An agency inside the task ("tại Bệnh viện Hùng
    Vương") is not its doer."""
    head = _unmarked(text)
    return bool(ORG_RE.match(head) or _AGENCY_LEADS_RE.search(text))


# The doer of a task is the agency that opens it or leads it ("2. Sở Công Thương tổng hợp báo cáo …",
# "Giao Sở Công Thương chủ trì, …"), not one it sends to ("… gửi Sở Công thương tổng hợp"): a span
# whose doer is the agency the question names as its subject, or that says who leads when the
# question asks which agency leads ("cơ quan nào … chủ trì"), comes first among spans that cover as much.
DOER_BONUS = 0.05
_LEADS_ASK_RE = re.compile(r"\bchu tri\b")
_CAPITALISED_RUN_RE = re.compile(r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*")


def _opening_agency(text: str) -> tuple[str, ...]:
    """The folded words of the agency a text opens with ("Sở Công Thương"), () when it opens otherwise."""
    head = _unmarked(text)
    if not ORG_RE.match(head):
        return ()
    m = _CAPITALISED_RUN_RE.match(head)
    return tuple(words(m.group())) if m else ()


def _doer_wanted(q: "QueryInfo"):
    """What makes a span's doer the one asked: the agency the question opens with (its subject), or,
    for "cơ quan nào … chủ trì", an agency leading; None when the question asks neither."""
    subject = _opening_agency(q.current)
    if len(subject) >= 2:
        return lambda text: _opening_agency(text)[:len(subject)] == subject
    if _asks_agency(q) and _LEADS_ASK_RE.search(q.folded):
        return lambda text: bool(_AGENCY_LEADS_RE.search(text))
    return None


def _header_cells(chunk: Chunk) -> tuple[list[str], list[str]]:
    """A table row's column headers (their first line) and its cells."""
    return ([h.strip() for h in chunk.headers.split("\n")[0].split("|")],
            [c.strip() for c in chunk.text.split("|")])


NAMED_CELL_BONUS = 0.1  # as much as a target asked as "chỉ tiêu" or a status asked "có đạt không"
_CELL_FIGURE_RE = re.compile(r"[-–+]?\s*\d[\d.,/]*\s*%?")


def _names_a_figure_column(q: QueryInfo, chunk: Chunk) -> bool:
    """'… có điểm chuẩn bao nhiêu?' asked of a row whose column "ĐIỂM CHUẨN" holds a figure: the
    question names the cell that answers it (a column's words, each in the question)."""
    headers, cells = _header_cells(chunk)
    asked = set(words(q.current))
    for h, c in zip(headers[1:], cells[1:]):  # the first column numbers or labels the row
        named = [w for w in words(h) if w not in STOPWORDS and not w[:1].isdigit()]
        if named and all(w in asked for w in named) and _CELL_FIGURE_RE.fullmatch(c):
            return True
    return False


@lru_cache(maxsize=8192)
def _heading_units(label: str) -> tuple[frozenset[str], frozenset[str]]:
    """(content words, units) of a heading's words, its numbering left out."""
    text = _HEADING_MARK_RE.sub("", label)
    return frozenset(w for w in words(text) if w not in STOPWORDS), frozenset(_units(text))


def _asked_heading(section: str, asked: set[str]) -> frozenset[str]:
    """The units of the innermost heading when the question names all its words (two at least)."""
    if not section:
        return frozenset()
    named, units = _heading_units(section.split(SECTION_SEP)[-1])
    return units if len(named) >= 2 and named <= asked else frozenset()


def _row_units(chunk: Chunk) -> set[str] | None:
    """The folded words of a table row, its headers and its labels (None for other chunks)."""
    if chunk.kind != "row":
        return None
    labels = " ".join((chunk.text, chunk.headers, chunk.section))
    return set(words(labels)) | set(words(_inline_abbreviations(labels)))  # "ƯTH năm 2025": ước thực hiện


ROW_LABEL_CHARS = 80  # a label in a row's answer; a longer heading is cut at a word


def _short_label(label: str) -> str:
    """'Phụ lục 01. Định hướng phát triển …' -> 'Phụ lục 01': an appendix is named by its number."""
    m = re.match(r"(Phụ lục(?: [\w]+)?)\. ", label)
    if m:
        return m.group(1)
    return label if len(label) <= ROW_LABEL_CHARS else label[:ROW_LABEL_CHARS].rsplit(" ", 1)[0] + " …"


def render_row(chunk: Chunk, q: QueryInfo) -> str | None:
    """A table row read with its column headers: 'Cà Phê › Diện tích – Ha: Năm 2027: 27.500'.
    The cell the question names (by a year or a header's words) alone when one is named."""
    headers, cells = _header_cells(chunk)
    if len(headers) < 2 or len(cells) != len(headers):
        return None
    label = " › ".join(map(_short_label, chunk.section.split(SECTION_SEP)[-2:])) if chunk.section else ""
    ordinal = re.compile(r"(?:STT|TT|Số TT|Số thứ tự)\.?", re.I)
    pairs = [(h, c) for i, (h, c) in enumerate(zip(headers, cells)) if c and c not in ("-", "–", "+")
             and not (i == 0 and (ordinal.fullmatch(h) or re.fullmatch(r"[IVXLC]+|\d{1,3}", c)))]
    asked = set(words(q.current)) - STOPWORDS
    named = [(h, c) for h, c in pairs if any(y in h for y in q.years)] if q.years else []
    if not named and _asked_field(q) == _TIME_LABEL_WORDS:  # "với tần suất nào": the column that says when
        named = [(h, c) for h, c in pairs if _label_answers(h, _TIME_LABEL_WORDS)]
    if not named:
        scored = [(len(asked & (set(words(h)) - STOPWORDS)), h, c) for h, c in pairs if _DIGIT_RE.search(c)]
        top = max((n for n, _, _ in scored), default=0)
        named = [(h, c) for n, h, c in scored if top and n == top]
    shown = named if 0 < len(named) < len(pairs) else pairs
    body = "; ".join(f"{h}: {c}" for h, c in shown)
    return f"{label}: {body}" if label else body


def render_span(sp: "Span", q: QueryInfo) -> str:
    """What the answer says for a span: the quote itself, or a table row read with its headers."""
    c = sp.passage.chunk
    if c.kind == "row" and c.headers and sp.text == c.text:
        return render_row(c, q) or sp.text
    return sp.text


@dataclass
class Span:
    passage: Passage
    start: int  # document offsets
    end: int
    text: str
    score: float = 0.0
    coverage: float = 0.0
    sentences: int = 1  # how many sentences the span holds
    in_part: float = 0.0  # coverage with the names of the part it stands in (for a field asked)


def _units(text: str) -> list[str]:
    """Folded content words and word pairs of ``text`` (pairs of two stopwords left out)."""
    return list(_unit_forms(text))


def _unit_forms(text: str) -> dict[str, str]:
    """Folded unit -> the unit as written ("dat_dai" -> "đất_đai")."""
    tagged = tagged_forms(text)
    out = {f: w for f, w, stop in tagged if not stop}
    for (fa, wa, sa), (fb, wb, sb) in zip(tagged, tagged[1:]):
        if not (sa and sb):
            out.setdefault(f"{fa}_{fb}", f"{wa}_{wb}")
    return out


# "- Cơ quan thực hiện: Sở Nội vụ chủ trì …", "- Đơn vị chủ trì: …": the agency line of an activity.
_AGENCY_LINE_RE = re.compile(r"^\W*(?:cơ quan|đơn vị)\s+(?:chủ trì|thực hiện|phụ trách)\s*:", re.I)
AGENCY_LINES = 6  # lines after an activity's content ("+ …" sub-items, then "- Cơ quan thực hiện: …")


def _whole(c: Chunk, score: float = 1.0) -> Span:
    return Span(Passage(c, score), c.start, c.end, c.text)


def _sub(p: Passage, s: int, e: int) -> Span | None:
    """The span text[s:e] of a passage, trimmed of spaces and trailing ';,.'; None when too short."""
    c = p.chunk
    seg = c.text[s:e]
    stripped = seg.rstrip(" ;,.\n")
    lead = len(stripped) - len(stripped.lstrip())
    if len(stripped.strip()) < 8:
        return None
    return Span(p, c.start + s + lead, c.start + s + len(stripped), stripped.strip())


def _comma_clauses(text: str, offset: int) -> list[tuple[int, int]]:
    """Comma-separated pieces that carry a figure: 'thu ngân sách ước đạt 17.900 tỷ đồng'."""
    out, pos = [], 0
    for m in list(re.finditer(r",\s+(?!ngày\s+\d)", text)) + [None]:  # "số 11-NQ/TU, ngày 26/5/2022" stays whole
        end = m.start() if m else len(text)
        if _DIGIT_RE.search(text[pos:end]):
            out.append((offset + pos, offset + end))
        pos = m.end() if m else end
    return out if len(out) > 1 or (out and out[0] != (offset, offset + len(text))) else []


_CONTINUES_RE = re.compile(r"(?:" + "|".join(map(re.escape, CONTINUATION_OPENERS)) + r")\b", re.I)


def _spans_of(p: Passage) -> list[Span]:
    """Candidate answer spans of a passage: the whole, target parts, sentences, clauses."""
    c = p.chunk
    local: dict[tuple[int, int], int] = {}  # (start, end) -> number of sentences
    if c.kind == "target":
        local[(0, len(c.text))] = 1
        pos = 0
        for m in _PARTS_RE.finditer(c.text):
            local[(pos, m.start())] = 1
            pos = m.end()
        if pos:
            local[(pos, len(c.text))] = 1
    elif c.kind in ("paragraph", "item", "footnote"):
        sents = sentence_spans(c.text)
        local[(0, len(c.text))] = len(sents)
        for (s, _e), (s2, e2) in zip(sents, sents[1:]):
            if _CONTINUES_RE.match(c.text, s2):  # "… 87 trạm. Trong đó, có 28 trạm 5G …": one statement
                local[(s, e2)] = 1
        for s, e in sents:
            local.setdefault((s, e), 1)
            for piece in clause_spans(c.text[s:e], s):
                local.setdefault(piece, 1)
                for sub in _comma_clauses(c.text[piece[0]:piece[1]], piece[0]):
                    local.setdefault(sub, 1)
    else:
        local[(0, len(c.text))] = 1
    out = []
    for (s, e), n in local.items():
        sp = _sub(p, s, e)
        if sp:
            sp.sentences = n
            out.append(sp)
    return out


class ExtractiveAnswerer:
    """question + passages -> Answer. ``min_coverage`` is the refusal threshold."""

    def __init__(self, bm25: BM25Index | None = None, min_coverage: float = 0.35, max_citations: int = 3):
        self.bm25 = bm25
        self.min_coverage = min_coverage
        self.max_citations = max_citations
        self.lead_gain = 0.45  # share of the question an opening sentence must leave to a later one

    def bound(self, index) -> "ExtractiveAnswerer":
        """This answerer reading ``index`` (a ``BM25Index`` or the library's): a copy, so threads
        answering from different indexes never share one; what it derives from an index is kept
        in the index's ``memo`` (once per index, whichever copy asks first)."""
        other = copy.copy(self)
        other.bm25 = index
        return other

    def _memo(self, name: str, build):
        """``build()``, derived once per index and kept in its memo."""
        memo = getattr(self.bm25, "memo", None)
        if memo is None:
            return build()
        value = memo.get(name)
        if value is None:
            value = memo[name] = build()
        return value

    # -- scoring -------------------------------------------------------------------------

    def _weights(self, text: str) -> dict[str, float]:
        """IDF weight of each question unit. A bigram the corpus never has is a paraphrase
        and is dropped; a word the corpus never has weighs as the rarest word: it must be covered."""
        out = {}
        for u in _units(text):
            if self.bm25 is None:
                out[u] = 1.0
            elif "_" in u and self.bm25.known(u):
                # Two common words side by side ("năm 2024 | tỉnh") are rare as a pair by chance:
                # a pair weighs at most half again its rarer word.
                a, b = u.split("_", 1)
                out[u] = min(self.bm25.idf(u), 1.5 * max(self.bm25.idf(a), self.bm25.idf(b)))
            elif self.bm25.known(u):
                out[u] = self.bm25.idf(u) * 0.6
            elif "_" not in u and len(u) > 1:
                out[u] = self.bm25.idf(u) * 0.6
        # "mấy tháng" asks a count as "bao nhiêu" does: "mấy" is the question's word, not its content
        if "bao nhieu" in _how_many(text) and "bao nhieu" not in " ".join(words(text)):
            for u in [u for u in out if "may" in u.split("_")]:
                del out[u]
        # "… cho nội dung gì?", "… về vấn đề gì?": a generic noun before the question word names the
        # kind of answer wanted, not its content; it counts for little.
        for m in _ASKED_KIND_RE.finditer(" ".join(words(text))):
            a, b = m.group(1).split()
            for u in (a, b, f"{a}_{b}"):
                if u in out:
                    out[u] *= 0.3
        return out

    def _coverage_fn(self, q: QueryInfo):
        """(span unit forms, section units) -> coverage in [0, 1].

        Measured for the question as typed and with abbreviations expanded; the better counts.
        In a follow-up, this turn's words weigh three quarters and the carried-over topic one
        quarter, so "còn nước sạch đô thị?" moves to the new subject and keeps the old frame;
        a follow-up that points back with a pronoun or says little gives the topic more weight."""
        def parts(text: str) -> list[tuple[dict[str, float], float, dict[str, str]]]:
            out = []
            for t in (text, expand_abbreviations(text)):
                w = self._weights(t)
                # A word typed with diacritics matches its own spelling fully and a look-alike
                # ("đạt" for "đất") only in part; a word typed without them matches any spelling.
                exact = {u: f for u, f in _unit_forms(t).items() if not f.isascii()}
                out.append((w, sum(w.values()) or 1.0, exact))
            return out

        # "Đề án, kế hoạch có tầm nhìn đến năm nào?": the names of kinds of document the question
        # uses name the document itself, like its number; they need not be covered either.
        folded_q = " ".join(words(q.text))
        named_kinds = set(_unit_forms(" ; ".join(
            t for t in _KIND_NAMES if re.search(rf"(?<!\S){re.escape(t)}(?!\S)", folded_q))))

        def cov(variants, span: dict[str, str], section_units: set[str], ident: dict[str, str]) -> float:
            written = set(span.values())
            best = 0.0
            for weights, total, exact in variants:
                got = 0.0
                for u, w in weights.items():
                    if (u in ident and (u not in exact or exact[u] == ident[u])) or u in named_kinds:
                        total -= w  # names the document ("Lào Cai", "182/KH-UBND"): it selects, it need not be covered
                        continue
                    if u in span:
                        got += w if u not in exact or exact[u] in written else 0.6 * w
                    elif u in section_units:
                        got += 0.5 * w
                best = max(best, got / total if total > 1e-9 else 0.0)
            return best

        whole = parts(q.text)
        if q.current == q.text:
            return lambda su, se, ident: cov(whole, su, se, ident)
        context = q.text.replace(q.current, " ", 1)
        now, before = parts(q.current), parts(context)
        # A pronoun ("nó", "ông ấy") or a light question ("ban hành ngày nào?") leans on the earlier topic.
        # "còn X?" names a new subject outright, unless X is only a year ("còn năm 2024 thì sao?").
        ctx_units = set(now[0][0]) & set(before[0][0])
        subject = sum(w for u, w in now[0][0].items()
                      if "_" not in u and u not in ctx_units and u not in HINT_WORDS and not _YEAR_OR_DATE_RE.match(u))
        if PRONOUN_RE.search(q.current):
            leans = True
        elif SHIFT_RE.match(q.current):
            leans = subject < 0.2 * now[0][1]
        else:
            leans = now[0][1] < 0.5 * before[0][1]
        alpha = 0.4 if leans else 0.75
        return lambda su, se, ident: alpha * cov(now, su, se, ident) + (1 - alpha) * cov(before, su, se, ident)

    def score_spans(self, q: QueryInfo, passages: list[Passage]) -> list[Span]:
        coverage = self._coverage_fn(q)
        wants_number = any(h in q.folded + " " for h in _QUANTITY_HINTS)
        asks_targets = "chi tieu" in q.folded
        spans: list[Span] = []
        latest = max((p.chunk.period for p in passages if p.chunk.period), default=None)
        # "… có đạt không?": a span that states it ("chưa đạt", "đã đạt") answers better than a figure.
        yes_no = _YES_NO_RE.search(" ".join(words(q.current)))
        status = re.compile(rf"\b(?:chua|khong|da) {yes_no.group(1)}\b") if yes_no else None
        leads = self._paragraph_leads()
        asked_words = set(words(q.current))
        doer = _doer_wanted(q)
        part_names = self._part_names()
        q_units = set(_units(q.text))
        said_otherwise = _said_otherwise(q)
        for rank, p in enumerate(passages):
            if p.chunk.kind == "title":
                continue  # the header answers questions about the document itself, nothing else
            section_units = set(_units(" ".join((p.chunk.section, p.chunk.group or "", leads.get(p.chunk.id, "")))))
            # the names of the part it stands in that the question asks: read only where a span states
            # the field asked (below), which names nothing else of what the question asks
            named_in_part = frozenset()
            if SECTION_SEP in p.chunk.section:
                parent = p.chunk.section.rsplit(SECTION_SEP, 1)[0]
                named_in_part = part_names.get((p.chunk.doc_id, parent), frozenset()) & q_units - section_units
            row_units = set(_units(p.chunk.headers)) if p.chunk.headers else set()
            defined = self._defined(p.chunk)
            if defined:  # "Đô thị | 190 | …" read with "Đô thị: Cơ sở giáo dục tại các phường"
                row_units |= set(_units(defined))
            # "1. Đơn vị tổ chức thu phí:" above its answer, asked "Đơn vị nào tổ chức thu phí …?": a
            # heading the question names whole is read as part of what stands under it
            heading = _asked_heading(p.chunk.section, asked_words)
            # a sentence the token budget cut: its first part, in the chunk before, is read with the rest
            cut = self._cut_sentences().get(p.chunk.id)
            cut_units = set(_units(cut)) if cut else set()
            cut_end = p.chunk.start + (sentence_spans(p.chunk.text) or [(0, len(p.chunk.text))])[0][1]
            named_cell = wants_number and p.chunk.kind == "row" and _names_a_figure_column(q, p.chunk)
            ident = self._identity(q, p.chunk.info)
            for sp in _spans_of(p):
                forms = _unit_forms(sp.text)
                for u in row_units | heading:  # a row is read with its column headers, a span with its asked heading
                    forms.setdefault(u, u)
                if cut_units and sp.end <= cut_end:
                    for u in cut_units:
                        forms.setdefault(u, u)
                for asked_units, others in said_otherwise:  # "tối đa" asked, "không quá" written
                    if any(o in f" {' '.join(words(sp.text))} " for o in others):
                        for u, f in asked_units.items():
                            forms.setdefault(u, f)
                sp.coverage = coverage(forms, section_units, ident)
                sp.in_part = coverage(forms, section_units | named_in_part, ident) if named_in_part else sp.coverage
                score = sp.coverage + 0.08 / (1 + rank)
                period = p.chunk.period
                if q.years:
                    if period and period in q.years:
                        score += 0.15
                    elif any(y in sp.text for y in q.years) or any(int(y) in p.chunk.years for y in q.years):
                        score += 0.1
                    elif period:
                        score -= 0.15
                elif period and q.wants_results and not q.wants_targets:
                    score += 0.1 if p.chunk.kind != "target" else -0.05
                elif period and q.wants_targets and not q.wants_results and period == latest:
                    score += 0.05  # plans and tasks speak of the latest period the document covers
                if wants_number and _DIGIT_RE.search(sp.text):
                    score += 0.05
                if asks_targets and p.chunk.kind == "target":
                    score += 0.1
                if status and status.search(" ".join(words(sp.text))):
                    score += 0.1
                if named_cell:
                    score += NAMED_CELL_BONUS
                if doer is not None and doer(sp.text):
                    score += DOER_BONUS
                # Prefer the tight span: a little penalty for length.
                score -= 0.0004 * max(0, len(sp.text) - 120)
                sp.score = score
                spans.append(sp)
        spans.sort(key=lambda s: -s.score)
        return spans

    @staticmethod
    def _identity(q: QueryInfo, info: DocumentInfo) -> dict[str, str]:
        """The units of the words that name the document: its number and places, the phrase naming it by
        type, number and author (``naming_forms``) and the title words the question names it by."""
        run = title_run(q.text, info.title) if info.title else ""
        named = naming_forms(q.text, info)
        if not run and not named:
            return identity_units(info)
        return {**identity_units(info), **named, **_unit_forms(run)}

    UNTITLED_PASSAGES = 4  # passages read for a question named by title words, searched without them

    def _untitled(self, q: QueryInfo, passages: list[Passage]) -> list[Passage]:
        """A question that names its document by title words ("Cơ quan nào được giao chủ trì triển khai
        Kế hoạch xuất khẩu … giai đoạn 2026 - 2030?") is ranked by them: every passage repeating the
        title comes first. What it asks is searched again without them, in the same index (one lexical
        search), and those passages are read too, after the retriever's."""
        if self.bm25 is None or not passages:
            return passages
        info = passages[0].chunk.info
        run = title_run(q.current, info.title) if info.title else ""
        if not run:
            return passages
        named = set(words(run))
        rest = " ".join(w for w in words(q.current) if w not in named)
        seen = {p.chunk.id for p in passages}
        extra = [Passage(c, 0.0) for c, _ in self.bm25.search(expand_abbreviations(rest), self.UNTITLED_PASSAGES)
                 if c.id not in seen and c.doc_id == passages[0].chunk.doc_id]
        return passages + extra

    def _definitions(self) -> dict[str, dict[str, str]]:
        """doc id -> folded term -> what the document says it is, from its own "Term: …" lines ("1. Đô
        thị: Cơ sở giáo dục tại các phường"), derived once per index. A table row labelled with the
        term ("Đô thị | 190 | 190 | …") is read with its definition: the document's categories are
        named in the question by what they stand for ("ở các phường")."""
        if self.bm25 is None:
            return {}

        def build() -> dict[str, dict[str, str]]:
            out: dict[str, dict[str, str]] = {}
            for c in self.bm25.chunks:
                if c.kind not in ("item", "paragraph"):
                    continue
                m = _DEFINITION_RE.match(_HEADING_MARK_RE.sub("", _LIST_MARK_RE.sub("", c.text.strip())))
                if m and len(m.group(1).split()) <= DEFINED_TERM_WORDS:
                    out.setdefault(c.doc_id, {}).setdefault(" ".join(words(m.group(1))), m.group(2))
            return out

        return self._memo("definitions", build)

    def _defined(self, chunk: Chunk) -> str:
        """The definition of the term that labels a table row ("" when the row's label is not one)."""
        if chunk.kind != "row":
            return ""
        terms = self._definitions().get(chunk.doc_id)
        if not terms:
            return ""
        cells = [x.strip() for x in chunk.text.split("|")]
        label = next((x for x in cells if x and not re.fullmatch(_ORDINAL_CELL, x)), "")
        return terms.get(" ".join(words(label)), "")

    def _part_names(self) -> dict[tuple[str, str], frozenset[str]]:
        """(doc id, heading path) -> the units of the names its units give, derived once per index. A
        unit is read with the names of the part it stands in (its parent heading): "1. Đơn vị tổ chức
        thu phí: … Ban quản lý hồ Hoàn Kiếm" stands in the part whose "2. Đối tượng nộp phí" names the
        sites (Đền Bạch Mã, Đình Kim Ngân) a question asks about."""
        if self.bm25 is None:
            return {}

        def build() -> dict[tuple[str, str], frozenset[str]]:
            names: dict[tuple[str, str], set[str]] = {}
            for c in self.bm25.chunks:
                if c.kind in ("title", "signature", "recipients") or not c.section:
                    continue
                found = _name_units(c.text)
                parts = c.section.split(SECTION_SEP)
                for i in range(1, len(parts) + 1):
                    names.setdefault((c.doc_id, SECTION_SEP.join(parts[:i])), set()).update(found)
            return {k: frozenset(v) for k, v in names.items()}

        return self._memo("part_names", build)

    def _paragraph_leads(self) -> dict[str, str]:
        """chunk id -> the first sentence of its paragraph, for the chunks that continue a paragraph
        cut by the token budget ("Tuy vậy, … còn một số hạn chế." heads the list that follows)."""
        if self.bm25 is None:
            return {}

        def build() -> dict[str, str]:
            leads, head = {}, ""
            for prev, c in zip([None] + self.bm25.chunks[:-1], self.bm25.chunks):
                joined = prev is not None and prev.doc_id == c.doc_id and prev.end + 1 == c.start
                if not joined:
                    first = sentence_spans(c.text)
                    head = c.text[first[0][0]:first[0][1]] if first else c.text
                elif c.kind == prev.kind == "paragraph":
                    leads[c.id] = head
            return leads

        return self._memo("leads", build)

    def _cut_sentences(self) -> dict[str, str]:
        """chunk id -> the first part of a sentence the token budget cut, for the chunk that goes on
        with it ("… theo quy định về công tác thi đua," | "khen thưởng (tỷ lệ không quá 10% …)"): the
        last sentence of the chunk before, when it does not end and the next chunk of the same unit
        goes on. Derived once per index, like the other lookups."""
        if self.bm25 is None:
            return {}

        def build() -> dict[str, str]:
            cut = {}
            for a_id, b in self._following().items():
                a = self.bm25.by_id[a_id]
                if (a.kind != b.kind or a.kind not in ("paragraph", "item", "row") or a.section != b.section
                        or not 0 <= b.start - a.end <= 2 or a.text.rstrip().endswith(_SENTENCE_END)):
                    continue
                sents = sentence_spans(a.text)
                cut[b.id] = a.text[sents[-1][0]:] if sents else a.text
            return cut

        return self._memo("cut", build)

    def _following(self) -> dict[str, Chunk]:
        """chunk id -> the next chunk of its document (the index keeps each document's chunks in
        order), derived once per index: a lookup, not a scan of the library, per question."""
        if self.bm25 is None:
            return {}

        def build() -> dict[str, Chunk]:
            chunks = self.bm25.chunks
            return {a.id: b for a, b in zip(chunks, chunks[1:]) if a.doc_id == b.doc_id}

        return self._memo("following", build)

    def _preceding(self) -> dict[str, Chunk]:
        """chunk id -> the previous chunk of its document (the inverse of ``_following``)."""
        if self.bm25 is None:
            return {}
        return self._memo("preceding", lambda: {b.id: self.bm25.by_id[a] for a, b in self._following().items()})

    # -- answering ----------------------------------------------------------------------

    DEEPER_PASSAGES = 24  # the lexical ranking read before a figure question is refused

    def answer(self, question: str, passages: list[Passage], q: QueryInfo | None = None,
               deeper: bool = False) -> Answer:
        q = q or analyse(question)
        refuse = Answer(question=question, answer=NOT_FOUND, found=False)
        by_number = self._target_by_number(q.folded, passages)
        if by_number is not None:
            return self._compose(question, by_number) if by_number else refuse
        asked = next((k for k, rx in _META_ASK.items() if rx.search(q.folded)), None)
        if asked and self._asks_about_itself(q, passages):
            return self._header_answer(question, asked, passages)
        if _SELF_META_RE.search(q.folded):
            return self._self_metadata(question, q, passages)
        if _SIGNATURE_RE.search(q.folded) and not self._closing(passages, "signature"):
            return refuse  # the document has no signature block: nobody to name
        cited = self._cited_documents(q, passages)
        if cited:
            return self._compose(question, cited)
        structural = self._structural(q, passages) or self._duties(q, passages)
        if structural:
            return self._compose(question, structural)
        passages = self._untitled(q, passages)
        spans = [sp for sp in self.score_spans(q, passages) if self._years_ok(q, sp)] if passages else []
        # A figure answers only where it stands in the same sentence as what was asked about.
        needs_figure = True
        needs_quantity = _needs_quantity(q)
        if needs_quantity or _measured_things(words(q.current)):
            spans = [sp for sp in spans if same_quantity(q, sp.text, _row_units(sp.passage.chunk))
                     and same_tense(q, self._sentence_of(sp).text)]  # "Hiện nay, …, trong đó có 22 trạm"
        if needs_quantity:
            spans = [sp for sp in spans if sp.sentences == 1 and has_quantity(sp.text)
                     and _quantity_fits(q, sp.text, _row_units(sp.passage.chunk))
                     and meets_condition(q, self._sentence_of(sp).text)]
            spans = self._whole_thing_first(q, spans)
        elif _PERIOD_ASK_RE.search(q.folded):
            # "thực hiện trong thời gian nào", "tầm nhìn đến năm nào": a span, or its heading, states a period
            spans = [sp for sp in spans if sp.sentences == 1 and self._period_of(sp)]
            if (not spans or spans[0].coverage < self.min_coverage) and self._asks_about_itself(q, passages):
                return self._header_period(question, passages)  # the document's own period, from its title
        elif any(h in q.folded for h in _NEEDS_DATE):
            # a date, or a day of the week or a recurrence ("vào ngày thứ Bảy hoặc Chủ nhật", "Hàng năm")
            spans = [sp for sp in spans if sp.sentences == 1 and (_DIGIT_RE.search(sp.text)
                                                                  or TIME_WORDS_RE.search(sp.text))]
        elif _WHO_RE.search(" ".join(words(q.current))) and not _ORG_ASK_RE.search(q.folded):
            # "… là ai?": only a person's name answers (an agency asked for: "cơ quan … là ai" is not)
            spans = [sp for sp in spans if _PERSON_RE.search(sp.text)]
        else:
            needs_figure = False
        spans = self._field_first(q, spans)
        unknown = self.unknown_name(q.text)
        if spans and len(q.compare_years) > 1 and not unknown:
            per_year = self._per_year(q, spans)
            if per_year:
                return self._compose(question, per_year)
        if spans and any(h in q.folded for h in _COMPARE_HINTS) and not unknown:
            per_subject = self._per_subject(q, passages)
            if per_subject:
                return self._compose(question, per_subject)
        if not spans or spans[0].coverage < self.min_coverage or unknown:
            if needs_quantity and not deeper and not unknown and self.bm25 is not None and passages:
                # no passage states a figure that fits: read further down the lexical ranking before
                # refusing ("Trong đó: Giá trị sản phẩm nông sản … đạt 395 triệu USD" ranks below the
                # items that repeat its words without its figure)
                seen = {p.chunk.id for p in passages}
                doc = passages[0].chunk.doc_id
                more = [Passage(c, 0.0) for c, _ in self.bm25.search(expand_abbreviations(q.current),
                                                                      self.DEEPER_PASSAGES)
                        if c.id not in seen and c.doc_id == doc]
                if more:
                    return self.answer(question, passages + more, q, deeper=True)
            return refuse
        rest = self._rest_of_list(q, spans[0])
        if rest:
            return self._compose(question, rest)
        wants_list = any(h in q.folded for h in _LIST_HINTS)
        if wants_list and "chi tieu" in q.folded:  # "các chỉ tiêu … gồm những gì": targets, not tasks
            targets = [sp for sp in spans if sp.passage.chunk.kind == "target"
                       and sp.coverage >= max(self.min_coverage, 0.5 * spans[0].coverage)]
            if targets:
                listed = self._list_items(targets[0], spans)
                seen = {sp.passage.chunk.id for sp in listed}
                # The embedding's nearest targets of the same group name what the words do not
                # ("các chỉ tiêu y tế" -> "12 bác sĩ/1 vạn dân", "32 giường bệnh/1 vạn dân").
                first = targets[0].passage.chunk
                nearest = [p for p in passages if p.chunk.kind == "target" and p.chunk.id not in seen
                           and p.chunk.group == first.group and p.chunk.doc_id == first.doc_id
                           and p.dense_rank is not None and p.dense_rank <= 2]
                return self._compose(question, listed + [_whole(p.chunk, p.score) for p in nearest])
        best = spans[0]
        if best.passage.chunk.kind == "footnote":  # the whole note, every chunk of it
            return self._compose(question, [_whole(c, best.passage.score) for c in self._unit_of(best.passage.chunk)])
        if wants_list and not _INLINE_LIST_RE.search(best.text):  # "(bao gồm nhà kho, máy phát điện …)": itself
            listed = self._list_items(best, spans) or self._siblings(best)
            if listed:
                return self._compose(question, listed)
        specific = self._beyond_lead(q, best, spans)
        if specific is not None:
            best, spans = specific, [specific] + [sp for sp in spans if sp is not specific]
        if best.sentences > 1:  # answer with a sentence of the passage, not the whole of it
            best = next((sp for sp in spans if sp.passage is best.passage and sp.sentences == 1), best)
        if not needs_figure:
            best = self._sentence_of(best)
            rest = self._sentence_rest(best)
            if rest is not None:  # the sentence goes on in the next chunk: quote it whole
                citations = [self._cite(1, best), self._cite(2, rest)]
                text = f"{self._with_agency(q, best)}{best.text} [1] {rest.text} [2]"
                return Answer(question=question, answer=text, found=True, citations=citations)
            agency = self._agency_line(q, best) or self._opening_agency(q, best)
            if agency is not None and agency.start < best.start:  # "3. Bộ Chỉ huy quân sự tỉnh chủ trì, …" | "… vào chương trình huấn luyện …"
                citations = [self._cite(1, agency), self._cite(2, best)]
                return Answer(question=question, answer=f"{agency.text} … [1] {best.text} [2]", found=True,
                              citations=citations)
            if agency is not None:  # "- Nội dung: …" answered with its "- Cơ quan thực hiện: …" line
                citations = [self._cite(1, best), self._cite(2, agency)]
                return Answer(question=question, answer=f"{best.text} [1]\n{agency.text} [2]", found=True,
                              citations=citations)
        chosen = [best]
        for sp in spans[1:]:
            if len(chosen) >= self.max_citations:
                break
            if sp.passage.chunk.id in {c.passage.chunk.id for c in chosen}:
                continue
            if sp.score >= 0.75 * best.score and sp.coverage >= self.min_coverage:
                chosen.append(sp)
        citations = [self._cite(i + 1, sp) for i, sp in enumerate(chosen)]
        text = f"{self._with_period(q, best)}{self._with_agency(q, best)}{render_span(best, q)} [1]"
        if len(chosen) > 1:
            text += " (xem thêm " + ", ".join(f"[{c.n}]" for c in citations[1:]) + ")"
        return Answer(question=question, answer=text, found=True, citations=citations)

    def _field_of(self, sp: Span) -> str | None:
        """The label a span states its content under: "Thời gian" for "b) Thời gian: Từ ngày …", or
        the heading it opens ("1. Đơn vị tổ chức thu phí:" over "Đơn vị trực tiếp quản lý …")."""
        m = _FIELD_RE.match(_unmarked(sp.text))
        if m and len(m.group(1).split()) <= 10:
            return m.group(1)
        c = sp.passage.chunk
        if c.kind not in ("paragraph", "item") or not c.section or sp.start != c.start + len(c.text) - len(c.text.lstrip()):
            return None
        under = self._sections().get(c.doc_id, {}).get(c.section, [])
        label = _HEADING_MARK_RE.sub("", c.section.split(SECTION_SEP)[-1])
        return label if under and under[0].id == c.id and label else None

    def _states_field(self, sp: Span, asked: tuple[tuple[str, ...], ...]) -> bool:
        """The span gives the field asked: under its label, as a table cell, or as a list after its name."""
        c = sp.passage.chunk
        if c.kind == "row" and c.headers and sp.text == c.text and asked == _TIME_LABEL_WORDS:  # a column that says when
            headers, cells = _header_cells(c)
            if len(headers) == len(cells) and any(_label_answers(h, asked) and x for h, x in zip(headers, cells)):
                return True
        label = self._field_of(sp)
        if label and _label_answers(label, asked):
            return True
        # a list after a generic noun ("các cơ quan, đơn vị có liên quan: …") does not name the one asked
        return asked != _TIME_LABEL_WORDS and any(_inline_list_of(a, sp.text) for a in asked
                                                  if " ".join(a) not in _KIND_NOUNS)

    def _field_first(self, q: QueryInfo, spans: list[Span]) -> list[Span]:
        """"Thực hiện trong thời gian nào?" is answered by "3. Thời gian thực hiện Chương trình: Từ năm
        2025 …", "Đơn vị nào tổ chức thu phí?" under "1. Đơn vị tổ chức thu phí:", "những tổ chức đoàn
        thể nào" by "các tổ chức đoàn thể (Thanh niên, Hội Phụ nữ, …)": a span that states the field
        the question names comes first, when it covers FIELD_SHARE of what the best span covers."""
        asked = _asked_field(q)
        if not asked or not spans or self._states_field(spans[0], asked):
            return spans
        bar = max(self.min_coverage, FIELD_SHARE * spans[0].coverage)
        # "trước ngày nào" asks a day: a date or a day of the week, not "Hàng năm"
        day = "ngay nao" in " ".join(words(q.current))
        pick = next((sp for sp in spans if max(sp.coverage, sp.in_part) >= bar and self._states_field(sp, asked)
                     and (not day or _DAY_RE.search(sp.text))), None)
        if pick is None:
            return spans
        pick.coverage = max(pick.coverage, pick.in_part)  # it states the field asked of the part named
        return [pick] + [sp for sp in spans if sp is not pick]

    def _whole_thing_first(self, q: QueryInfo, spans: list[Span]) -> list[Span]:
        """"Bao nhiêu trạm 5G" is answered by "28 trạm 5G" before "87 trạm" (of which 28 are 5G):
        a span with a figure right before the whole thing asked comes first, when it covers the
        question as well as the best span does."""
        m = _UNIT_ASKED_RE.search(_how_many(q.current))
        asked = [w for w in (m.groups() if m else ()) if w and w not in STOPWORDS]
        if len(asked) < 2 or not spans or _figure_before(words(spans[0].text), asked):
            return spans
        whole = next((sp for sp in spans if sp.coverage >= spans[0].coverage
                      and _figure_before(words(sp.text), asked)), None)
        return spans if whole is None else [whole] + [sp for sp in spans if sp is not whole]

    def _sentence_rest(self, sp: Span) -> Span | None:
        """A sentence longer than the token budget is cut between chunks ("… tham gia" | "bảo vệ môi
        trường, … các mô hình như …"): the rest of it, up to its end, from the next chunk."""
        c = sp.passage.chunk
        if (c.kind not in ("paragraph", "item") or c.text[sp.end - c.start:].strip(" ,;\n")
                or c.text.rstrip().endswith(_SENTENCE_END)):
            return None
        nxt = self._following().get(c.id)
        if nxt is None or nxt.kind != c.kind or nxt.section != c.section or not 0 < nxt.start - c.end <= 2:
            return None
        first = sentence_spans(nxt.text)
        return _sub(Passage(nxt, sp.passage.score), *first[0]) if first else None

    MAX_LIST_ITEMS = 12  # a list answer quotes at most this many items

    def _siblings(self, best: Span) -> list[Span]:
        """A list question answered inside a list ('- …', 'a) …', '+ …'): the items of that list,
        in order (the answer is the list, each item cited)."""
        c = best.passage.chunk
        if c.kind != "item":
            return []
        same = [x for x in self._all_chunks() if x.doc_id == c.doc_id and x.kind == "item" and x.section == c.section]
        if len(same) < 2:
            return []
        i = next((k for k, x in enumerate(same) if x.id == c.id), 0)
        lo = max(0, min(i - self.MAX_LIST_ITEMS // 2, len(same) - self.MAX_LIST_ITEMS))
        return [_whole(x, best.passage.score) for x in same[lo:lo + self.MAX_LIST_ITEMS]]

    def _rest_of_list(self, q: QueryInfo, best: Span) -> list[Span]:
        """'Ngoài A, … những gì?' answered inside a list that holds A: the list's other items."""
        if "," not in q.current:
            return []
        m = _EXCEPT_RE.match(" ".join(words(q.current.split(",")[0])))
        if not m:
            return []
        named = m.group(1)
        items = self._siblings(best)
        rest = [sp for sp in items if named not in " ".join(words(sp.text))]
        return rest if 0 < len(rest) < len(items) else []

    @staticmethod
    def _period_of(sp: Span) -> str:
        """The period a span states ("từ năm 2025 đến hết năm 2030"), or the heading above it that
        states one ("c) Tầm nhìn đến năm 2035"); "" when neither does."""
        if _PERIOD_TEXT_RE.search(DATE_WORDS_RE.sub(" ", sp.text)):
            return sp.text
        for label in reversed(sp.passage.chunk.section.split(SECTION_SEP)):
            if _PERIOD_TEXT_RE.search(label):
                return label
        return ""

    def _header_period(self, question: str, passages: list[Passage]) -> Answer:
        """The period a document's title states ("… giai đoạn 2025 - 2035, định hướng đến năm 2045")."""
        doc = self._doc_of(passages)
        for c in self._all_chunks():
            if c.doc_id == doc and c.kind == "title":
                for m in re.finditer(r"[^\n]+", c.text):
                    line = m.group()
                    if _PERIOD_TEXT_RE.search(DATE_WORDS_RE.sub(" ", line)) and not _DOC_META_RE.search(line):
                        return self._compose(question, [Span(Passage(c, 1.0), c.start + m.start(), c.start + m.end(),
                                                             line)])
        return Answer(question=question, answer=NOT_FOUND, found=False)

    @staticmethod
    def _with_period(q: QueryInfo, sp: Span) -> str:
        """A period question answered under a heading that states the period: the heading leads."""
        if not _PERIOD_ASK_RE.search(q.folded) or _PERIOD_TEXT_RE.search(sp.text):
            return ""
        label = ExtractiveAnswerer._period_of(sp)
        return f"{_short_label(label)} › " if label and label != sp.text else ""

    @staticmethod
    def _with_agency(q: QueryInfo, sp: Span) -> str:
        """'Cơ quan nào chủ trì …?' answered by a task under its agency's heading ('5. Công an tỉnh'
        › 'Chủ trì, phối hợp …'): the heading names the agency, so the answer starts with it."""
        if not _asks_agency(q) or _names_agency(sp.text):
            return ""
        for label in reversed(sp.passage.chunk.section.split(SECTION_SEP)):
            if ORG_RE.search(label):
                return f"{_short_label(label)} › "
        return ""

    def _agency_line(self, q: QueryInfo, sp: Span) -> Span | None:
        """'Cơ quan nào chủ trì …?' answered by an activity's content line ("- Nội dung: Triển khai
        …"): plans give the agency on a line of the same activity ("- Cơ quan thực hiện: Sở Nội vụ
        chủ trì …"), within the next AGENCY_LINES lines of the same activity (its section or, for a
        sub-item of the content, the section above)."""
        if not _asks_agency(q) or _names_agency(sp.text) or self._with_agency(q, sp):
            return None
        c = nxt = sp.passage.chunk
        for _ in range(AGENCY_LINES):
            nxt = self._following().get(nxt.id)
            if nxt is None or not (nxt.section == c.section or c.section.startswith(nxt.section + SECTION_SEP)):
                return None
            if _AGENCY_LINE_RE.match(nxt.text) and ORG_RE.search(nxt.text):
                return _whole(nxt, sp.passage.score)
        return None

    def _opening_agency(self, q: QueryInfo, sp: Span) -> Span | None:
        """'Đơn vị nào chủ trì …?' answered by a clause of a task that names no agency (a later
        ';'-case, or a chunk of a task cut by the token budget): the agency opening the task
        ("3. Bộ Chỉ huy quân sự tỉnh chủ trì, …", "b) Giám đốc Sở Tài chính quyết định … các trường hợp:")."""
        if not _asks_agency(q) or _names_agency(sp.text):
            return None
        c, before = sp.passage.chunk, self._preceding()
        first = c
        while (prev := before.get(first.id)) is not None and prev.section == c.section and prev.kind == c.kind \
                and 0 <= first.start - prev.end <= 2:
            first = prev
        mark = _HEADING_MARK_RE.match(first.text)
        comma = re.compile(r",\s+|[.;:]\s").search(first.text, mark.end() if mark else 0)  # after "3. "
        opening = (0, comma.start() if comma else len(first.text))
        if (first is c and sp.start < c.start + opening[1]) or not _names_agency(first.text[opening[0]:opening[1]]):
            return None  # the span is the opening itself, or the task opens with no agency
        return _sub(Passage(first, sp.passage.score), *opening)

    def _beyond_lead(self, q: QueryInfo, best: Span, spans: list[Span]) -> Span | None:
        """The best span is a paragraph's opening sentence ("Tuy vậy, … còn một số hạn chế.") that
        leaves the question's topic ("hạn chế về đất đai") uncovered: the sentence of the same
        paragraph that covers the most of what the opening leaves out answers better, if any does."""
        c = best.passage.chunk
        leads = self._paragraph_leads()
        if c.kind != "paragraph" or c.id in leads:
            return None
        first = sentence_spans(c.text)
        if not first or best.start >= c.start + first[0][1]:
            return None  # the best span does not open the paragraph
        lead = c.text[first[0][0]:first[0][1]]
        weights = self._weights(q.current)
        total = sum(weights.values()) or 1.0
        covered = set(_units(lead))
        exact = {u: f for u, f in _unit_forms(q.current).items() if not f.isascii()}
        missing = {u: w for u, w in weights.items() if u not in covered}

        heads = {u: f.split("_")[0] for u, f in exact.items() if "_" in u and u in missing}

        def gain(sp: Span) -> float:
            forms = _unit_forms(sp.text)
            written = set(forms.values())
            got = 0.0
            for u, w in missing.items():
                if u in forms and (u not in exact or exact[u] in written):
                    got += w
                elif any(b.startswith(u + "_") or b.endswith("_" + u) or b == u for b in heads if heads[b] in written):
                    got += 0.5 * w  # a compound's head, spelled as typed, stands for it: "đất đai" -> "giá đất"
            return got

        same_paragraph = [sp for sp in spans if sp.sentences == 1 and (
            (sp.passage.chunk.id == c.id and sp.start >= c.start + first[0][1])
            or leads.get(sp.passage.chunk.id) == lead)]
        if not same_paragraph:
            return None
        left = sum(missing.values())
        if left < 0.2 * total:
            return None  # the opening sentence already says what was asked
        top = max(same_paragraph, key=gain)
        return top if gain(top) >= self.lead_gain * left else None

    @staticmethod
    def _sentence_of(sp: Span) -> Span:
        """An open question ("cần làm gì") is answered by the whole sentence around the best clause."""
        c = sp.passage.chunk
        if c.kind not in ("paragraph", "item"):
            return sp
        for s, e in sentence_spans(c.text):
            if c.start + s <= sp.start and sp.end <= c.start + e:
                whole = _sub(sp.passage, s, e)
                if whole:
                    whole.score, whole.coverage = sp.score, sp.coverage
                    return whole
        return sp

    def _sections(self) -> dict[str, dict[str, list[Chunk]]]:
        """doc id -> section path -> its chunks in order, derived once per index (a lookup per question)."""
        if self.bm25 is None:
            return {}

        def build() -> dict[str, dict[str, list[Chunk]]]:
            out: dict[str, dict[str, list[Chunk]]] = {}
            for c in self.bm25.chunks:
                out.setdefault(c.doc_id, {}).setdefault(c.section, []).append(c)
            return out

        return self._memo("sections", build)

    def _duties(self, q: QueryInfo, passages: list[Passage]) -> list[Span]:
        """'Công an tỉnh Sơn La có nhiệm vụ gì?': the tasks under the heading that names that agency
        ('5. Công an tỉnh'), in the order the document gives them. The heading's words must all be in
        the question; of several headings, the one naming the agency most fully."""
        if not _DUTY_ASK_RE.search(q.folded) or not passages:
            return []
        asked = set(words(q.current))
        sections = self._sections().get(self._doc_of(passages), {})
        best, size = None, 1  # an agency is named by two words at least ("Công an", "Sở Y tế")
        # every heading on the way, not only the innermost ("5. Ủy ban nhân dân các tỉnh" › "a)")
        headings = dict.fromkeys(SECTION_SEP.join(parts[:i + 1]) for section in sections
                                 for parts in [section.split(SECTION_SEP)] for i in range(len(parts)))
        for heading in headings:
            label = _HEADING_MARK_RE.sub("", heading.split(SECTION_SEP)[-1]).split(":")[0]
            named = [w for w in words(label) if w not in STOPWORDS]
            if ORG_RE.match(label) and len(named) > size and all(w in asked for w in named):
                best, size = heading, len(named)
        if best is None:
            return []
        under = [c for section, chunks in sections.items() if section == best or section.startswith(best + SECTION_SEP)
                 for c in chunks]
        return [_whole(c) for c in under[:self.MAX_LIST_ITEMS]]

    def _all_chunks(self) -> list[Chunk]:
        return self.bm25.chunks if self.bm25 is not None else []

    def _target_by_number(self, folded_q: str, passages: list[Passage]) -> list[Span] | None:
        """'chỉ tiêu số 25' / 'chỉ tiêu (16)': the target itself, from ONE document (the best-ranked
        one that has it); [] when there is no such target."""
        m = _TARGET_NO_RE.search(folded_q)
        if not m:
            return None
        n = int(m.group(1))
        found = {}
        for c in self._all_chunks():
            if c.kind == "target" and c.number == n:
                found.setdefault(c.doc_id, c)
        doc = next((d for d in self._ranked_docs(passages) if d in found), next(iter(found), None))
        return [_whole(found[doc])] if doc else []

    def _doc_of(self, passages: list[Passage]) -> str | None:
        return passages[0].chunk.doc_id if passages else None

    @staticmethod
    def _ranked_docs(passages: list[Passage]) -> list[str]:
        """The passages' documents, best-ranked first."""
        return list(dict.fromkeys(p.chunk.doc_id for p in passages))

    def _structural(self, q: QueryInfo, passages: list[Passage]) -> list[Span]:
        """Questions the document's structure answers: the signature, the recipients, a whole group."""
        if _SIGNATURE_RE.search(q.folded):
            return [_whole(c) for c in self._closing(passages, "signature")][:1]
        if _RECIPIENTS_RE.search(q.folded):
            rec = self._closing(passages, "recipients")
            return self._recipient_items(q, rec) if rec else []
        if "chi tieu" in q.folded or "muc tieu" in q.folded:
            # The group of ONE document: the best-ranked one that has a group the question names.
            targets: dict[str, list[Chunk]] = {}
            for c in self._all_chunks():
                if c.kind == "target" and c.group:
                    targets.setdefault(c.doc_id, []).append(c)
            for doc in self._ranked_docs(passages):
                in_doc = targets.get(doc, [])
                for group in sorted({c.group for c in in_doc}, key=len, reverse=True):
                    label = " ".join(w for w in words(group) if w != "ve")
                    if re.search(_GROUP_ASK.format(label=re.escape(label)), q.folded):
                        members = [c for c in in_doc if c.group == group]
                        if q.years and not any(c.period in q.years for c in members):
                            return []
                        return [_whole(c) for c in members]
        return []

    def _closing(self, passages: list[Passage], kind: str) -> list[Chunk]:
        """The signature (or recipients) block of the best-ranked document that has one: a second
        document without a signature block must not hide the first one's signer."""
        docs = list(dict.fromkeys(p.chunk.doc_id for p in passages))
        for doc in docs:
            found = [c for c in self._all_chunks() if c.doc_id == doc and c.kind == kind]
            if found:
                return found
        return []

    def _cited_documents(self, q: QueryInfo, passages: list[Passage]) -> list[Span]:
        """'những nghị quyết số hiệu NQ/TU nào': every clause citing a document of that kind."""
        m = _CODE_ASK_RE.search(q.current)
        if not m or not any(h in q.folded for h in ("nao", "nhung", "cac", "liet ke")):
            return []
        code = re.compile(rf"\b\d+-{re.escape(m.group(1))}\b")
        doc = self._doc_of(passages)
        out = []
        for c in self._all_chunks():
            if c.doc_id != doc or not code.search(c.text):
                continue
            p = Passage(c, 1.0)
            for s, e in sentence_spans(c.text):
                for cs, ce in clause_spans(c.text[s:e], s):
                    sp = _sub(p, cs, ce) if code.search(c.text[cs:ce]) else None
                    if sp:
                        out.append(sp)
        return out

    def _unit_of(self, chunk: Chunk) -> list[Chunk]:
        """Every chunk of the unit ``chunk`` was cut from (a long footnote or list spans several)."""
        same = [c for c in self._all_chunks() if c.doc_id == chunk.doc_id and c.kind == chunk.kind
                and c.section == chunk.section and c.number == chunk.number]
        return same or [chunk]

    def _recipient_items(self, q: QueryInfo, recs: list[Chunk]) -> list[Span]:
        """The list items the question names best ("các huyện ủy", "Trung ương"), or the whole list."""
        intent = {"noi", "nhan", "gui", "toi", "den", "luu", "ban", "nghi", "quyet", "co", "quan", "duoc", "cac"}
        weights = {u: w for u, w in self._weights(q.current).items()
                   if "_" not in u and u not in intent}
        scored = []
        for rec in recs:
            p, pos = Passage(rec, 1.0), 0
            for m in list(_ITEM_SPLIT_RE.finditer(rec.text)) + [None]:
                end = m.start() if m else len(rec.text)
                sp = _sub(p, pos, end)
                if sp:
                    item_units = set(_units(sp.text))
                    scored.append((sum(w for u, w in weights.items() if u in item_units), sp))
                pos = m.end() if m else end
        top = max((score for score, _ in scored), default=0.0)
        items = [sp for score, sp in scored if top > 0 and score >= 0.75 * top]
        return items or [_whole(rec) for rec in recs]

    def _self_metadata(self, question: str, q: QueryInfo, passages: list[Passage]) -> Answer:
        """The document's own number or date is read from its title or signature block, never from
        the resolutions it cites; when those blocks do not give it, the documents do not say."""
        doc = self._doc_of(passages)
        for c in self._all_chunks():
            if c.doc_id == doc and c.kind in ("title", "signature") and _DOC_META_RE.search(c.text):
                return self._compose(question, [_whole(c)])
        return Answer(question=question, answer=NOT_FOUND, found=False)

    def _asks_about_itself(self, q: QueryInfo, passages: list[Passage]) -> bool:
        """'Kế hoạch phòng, chống ma túy của Đồng Nai số mấy?' asks about the document itself;
        'Nghị quyết 09-NQ/TU do cơ quan nào ban hành?' about a document it cites. The question is
        about the document when it says so ('… này'), or when what it names is the document's own
        title, issuer or number, and no other document number."""
        doc = passages[0].chunk.info if passages else None
        if doc is None:
            return False
        own = fold(doc.number)
        for m in _CODE_RE.finditer(q.text):
            if fold(m.group()) != own:
                return False
        for m in re.finditer(r"\b(?:nghi quyet|quyet dinh|ke hoach|thong bao|ket luan|chi thi)\s+(?:so\s+)?(\d+)\b",
                             fold(q.text)):  # folded as typed: "kế hoạch 5G" names no number
            if not own.startswith(m.group(1)):
                return False
        if re.search(r"\b(?:van ban|nghi quyet|quyet dinh|ke hoach) nay\b", q.folded):
            return True
        meta_words = {"so", "hieu", "may", "ngay", "nao", "ban", "hanh", "ky", "co", "quan", "thong", "qua", "phe",
                      "duyet", "khi", "ai", "do", "cap", "mang", "van", "nghi", "quyet", "dinh", "ke", "hoach", "la"}
        asked = [w for w in content_words(q.text) if w not in meta_words]
        if not asked:
            return True
        known = set(words(" ".join((doc.title, doc.issuer, doc.province, doc.number, doc.place))))
        return sum(w in known for w in asked) >= 0.6 * len(asked)

    def _header_answer(self, question: str, asked: str, passages: list[Passage]) -> Answer:
        """The document's own number, date or issuer, quoted from its header block (or, for the
        date, from the sentence in which the document states its own adoption); never a number or
        date of another document cited in the body. A header that does not state it: a refusal."""
        doc = self._doc_of(passages)
        chunks = [c for c in self._all_chunks() if c.doc_id == doc]
        for c in chunks:
            if c.kind != "title":
                continue
            m = _META_FIND[asked].search(c.text)
            if m:
                return self._compose(question, [Span(Passage(c, 1.0), c.start + m.start(), c.start + m.end(),
                                                     m.group().strip())])
        if asked == "date":
            for c in chunks:
                m = _SELF_ADOPTED_RE.search(c.text)
                if m:
                    return self._compose(question, [Span(Passage(c, 1.0), c.start + m.start(), c.start + m.end(),
                                                         m.group())])
        return Answer(question=question, answer=NOT_FOUND, found=False)

    def _per_subject(self, q: QueryInfo, passages: list[Passage]) -> list[Span]:
        """'X và Y, chỉ tiêu nào cao hơn?': the best span for X and the best for Y, or nothing."""
        halves = re.split(r"\s+(?:và|va|với|voi|so với|so voi)\s+", q.current, maxsplit=1)
        if len(halves) != 2:
            return []
        years = " ".join(y for y in q.years if all(y not in h for h in halves))
        out: list[Span] = []
        for half in halves:
            ranked = [sp for sp in self.score_spans(analyse(f"{half} {years}".strip()), passages)
                      if sp.coverage >= self.min_coverage and sp.sentences == 1]
            if out:  # both halves from ONE document
                ranked = [sp for sp in ranked if sp.passage.chunk.doc_id == out[0].passage.chunk.doc_id]
            pick = next((sp for sp in ranked if has_quantity(sp.text)), ranked[0] if ranked else None)
            if pick is None or any(pick.start == o.start for o in out):
                return []
            out.append(pick)
        return out

    def _per_year(self, q: QueryInfo, spans: list[Span]) -> list[Span]:
        """A question comparing years gets the best span of each year (one with a figure if
        there is one) of one document, or nothing. Each year is half the question, so half the coverage is enough."""
        out = []
        doc = spans[0].passage.chunk.doc_id  # every year from ONE document, the best span's
        for year in q.compare_years:
            of_year = [s for s in spans if s.passage.chunk.doc_id == doc and (s.passage.chunk.period == year or year in s.text)
                       and s.coverage >= 0.6 * self.min_coverage]
            sp = next((s for s in of_year if has_quantity(s.text)), of_year[0] if of_year else None)
            if sp is None:
                return []
            out.append(sp)
        return out

    def _list_items(self, best: Span, spans: list[Span]) -> list[Span]:
        """A list question answered by a target: the targets of its group the question also covers,
        the best match first."""
        c = best.passage.chunk
        if c.kind != "target":
            return []
        seen, out = set(), []
        for sp in spans:
            x = sp.passage.chunk
            if (x.kind == "target" and x.group == c.group and x.doc_id == c.doc_id and x.id not in seen
                    and sp.coverage >= 0.75 * best.coverage):
                seen.add(x.id)
                out.append(x)
        return [_whole(x, best.passage.score) for x in out]  # most relevant first

    def unknown_name(self, question: str) -> bool:
        """A proper name or acronym the documents never mention ("Nghệ An", "CPI"): not answerable here."""
        if self.bm25 is None:
            return False
        question = canonical_places(question)  # "TP.HCM" is the "Thành phố Hồ Chí Minh" of the text
        for m in _NAME_RE.finditer(question):
            sentence_start = not question[:m.start()].strip() or question[:m.start()].rstrip()[-1] in ".?!:"
            name = m.group(1)
            if sentence_start and " " not in name and not name.isupper():
                continue  # an ordinary capitalised first word
            if sentence_start and name.split()[0].lower() in STOPWORDS_VI:
                name = name.split(" ", 1)[1]  # "Theo Phụ lục": a function word opens the sentence
            rest = name.split(" ", 1)[1] if sentence_start and " " in name else ""
            if not self._known_name(name) and not (" " in rest and self._known_name(rest)):
                return True  # "Xoài Sơn La định hướng …": the first word may be capitalised as it opens
        return False

    def _known_name(self, name: str) -> bool:
        ws = words(ABBR_RE.sub(" ", fold(name)))
        grams = [f"{a}_{b}" for a, b in zip(ws, ws[1:])] if len(ws) > 1 else ws
        return all(self.bm25.known(g) for g in grams)

    def _compose(self, question: str, spans: list[Span]) -> Answer:
        citations = [self._cite(i + 1, sp) for i, sp in enumerate(spans)]
        q = analyse(question)
        if len(spans) == 1:
            text = f"{render_span(spans[0], q)} [1]"
        else:
            # an item's own marker ("- ", "+ ") gives way to the answer's: no "- - …"
            text = "\n".join(f"- {_LIST_MARK_RE.sub('', render_span(sp, q))} [{i + 1}]" for i, sp in enumerate(spans))
        return Answer(question=question, answer=text, found=True, citations=citations)

    @staticmethod
    def _years_ok(q: QueryInfo, sp: Span) -> bool:
        """A question about a year is answered by a span that covers it: by its heading's period,
        its table's columns, the document's title, or the span's own words (not a date in it,
        "ngày 16 tháng 7 năm 2024" dates an act). A period asked ("năm học 2024 - 2025",
        "giai đoạn 2026-2030") must be covered whole."""
        if not q.years:
            return True
        c = sp.passage.chunk
        stated = set(c.years) | ({int(c.period)} if c.period else set())
        if any(not set(range(a, b + 1)) <= stated | covered_years(sp.text) for a, b in year_ranges(q.text)):
            return False
        # A single year: stated by the headings or named alone in the span, not inside its ranges.
        singles = vn_years(strip_ranges(q.text))
        named = set(vn_years(strip_ranges(DATE_WORDS_RE.sub(" ", sp.text))))
        return not singles or any(y in stated | named for y in singles)

    @staticmethod
    def _cite(n: int, sp: Span) -> Citation:
        c = sp.passage.chunk
        return Citation(n=n, doc=c.file, section=c.section, text=c.text, quote=sp.text,
                        start=sp.start, end=sp.end, score=round(sp.passage.score, 4),
                        doc_id=c.doc_id, doc_title=c.info.short_name() or c.doc_title)
