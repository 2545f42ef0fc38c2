"""Vietnamese text normalisation for matching: NFC, lower-casing, accent folding, tokens.

Officials often type without diacritics, so lexical matching works on accent-folded
syllables ("tỷ lệ che phủ rừng" -> "ty le che phu rung"; đ -> d). Unigrams and syllable
bigrams are both indexed: Vietnamese words are mostly two syllables, and a bigram such
as "che_phu" carries most of the meaning that a single "che" does not.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from core.vn import SCALE_WORDS, number_token

_SUPERSCRIPTS = str.maketrans("", "", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds half of a UTF-16 pair ("\\ud800", a valid JSON escape): not text, and
    no encoder (UTF-8 for the embedder, a log, a response) can write it."""
    return _SURROGATE_RE.search(text) is not None


# Combining marks one letter may carry. Vietnamese needs two at most (ệ = e + circumflex + dot
# below, when typed decomposed); a longer run is no text anyone types, and each mark costs the
# embedder as much as a letter: "a" + 1,990 accents took 3 times a 2,000-letter question's CPU.
MAX_COMBINING_MARKS = 2


def collapse_marks(text: str, keep: int = MAX_COMBINING_MARKS) -> str:
    """``text`` with every run of combining marks cut to its first ``keep`` marks (one pass)."""
    out, run = [], 0
    for ch in text:
        if unicodedata.category(ch).startswith("M"):
            run += 1
            if run > keep:
                continue
        else:
            run = 0
        out.append(ch)
    return "".join(out)


def word_count(text: str) -> int:
    return sum(1 for _ in _TOKEN_RE.finditer(text))


def first_words(text: str, n: int) -> str:
    """``text`` up to the end of its ``n``-th word (numbers count as words); all of it when shorter."""
    for i, m in enumerate(_TOKEN_RE.finditer(text), 1):
        if i == n:
            return text[:m.end()]
    return text


# "tỉ lệ" / "tỷ lệ", "kĩ thuật" / "kỹ thuật", "lí do" / "lý do": both spellings are in use;
# a final i after these consonants is folded to y.
_IY_RE = re.compile(r"\b(t|k|l|m|h|s|v|qu)i\b")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: 'Tỷ lệ Đô thị' -> 'ty le do thi' (and 'tỉ' -> 'ty')."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _IY_RE.sub(r"\1y", text.replace("đ", "d"))


# Function words and question words that say nothing about *what* is asked. They are listed
# with their diacritics: folded, many collide with content words ("đó" and "đô", "thì" and "thị"),
# so a word typed with diacritics is a stopword only in its exact spelling, and one typed
# without them whenever its folded form is listed.
STOPWORDS_VI = frozenset(
    """
    là gì bao nhiêu thế nào ra sao như có không được những các và của cho với trong về theo một
    này đó thì mà nhé à ơi vậy đâu ai khi năm nhiều hay hoặc tại bởi để đến từ trên dưới vào ở bị
    rằng cũng nhất đã sẽ đang còn chưa nếu
    """.split()
)
STOPWORDS = frozenset(fold(w) for w in STOPWORDS_VI)


def words(text: str) -> list[str]:
    """Folded word tokens (syllables and canonical numbers), in order."""
    return [w for w, _ in tagged_words(text)]


_SCALES = SCALE_WORDS


def _scaled(number: str, scale: int) -> str:
    """'17.8' x 1000 -> '17800': '17,8 nghìn tỷ' is written '17.800 tỷ' in the documents."""
    try:
        value = float(number.rstrip("%")) * scale
    except ValueError:
        return number
    return str(int(value)) if value == int(value) else f"{value:g}"


def tagged_words(text: str) -> list[tuple[str, bool]]:
    """(folded word, is a stopword) for each word of ``text``, in order."""
    return [(folded, stop) for folded, _, stop in tagged_forms(text)]


def tagged_forms(text: str) -> list[tuple[str, str, bool]]:
    """(folded word, word as written in lower case, is a stopword) for each word, in order.
    The written form tells "đất" from "đạt" where the folded one cannot; numbers are canonical in both."""
    return list(_tagged_forms(text))


def _analyse(text: str) -> tuple[tuple[str, str, bool], ...]:
    out: list[tuple[str, str, bool]] = []
    for tok in _TOKEN_RE.findall(nfc(text).translate(_SUPERSCRIPTS)):
        if tok[0].isdigit():
            n = number_token(tok)
            out.append((n, n, False))
            continue
        scale = _SCALES.get(fold(tok.lower()))
        if scale and out and out[-1][0][:1].isdigit() and not out[-1][0].endswith("%"):
            n = _scaled(out[-1][0], scale)
            out[-1] = (n, n, False)
            continue
        low = tok.lower()
        folded = fold(low)
        stop = low in STOPWORDS_VI if not low.isascii() else folded in STOPWORDS
        out.append((folded, low, stop))
    return tuple(out)


# The same chunks' sentences and clauses are read by question after question: each text is analysed
# once (the answerer spent a third of its time here before; ~30,000 texts fit in ~30 MB). Whole chunks
# tokenised for an index are read once, at build time: they go around the cache (``tokens``), which
# they would otherwise fill with entries of ~11 KB each and push the answerer's sentences out of.
TAGGED_CACHE = 32768
_tagged_forms = lru_cache(maxsize=TAGGED_CACHE)(_analyse)


def tokens(text: str) -> list[str]:
    """Index/query tokens: folded syllables plus syllable bigrams ('che_phu')."""
    ws = [w for w, _, _ in _analyse(text)]
    return ws + [f"{a}_{b}" for a, b in zip(ws, ws[1:])]


def content_words(text: str) -> list[str]:
    """Folded words minus stopwords: what a question is about."""
    return [w for w, stop in tagged_words(text) if not stop]


def topic_coverage(topic: list[str], text: str) -> float:
    """Share of a topic's folded words found in ``text``; its syllable bigrams count double,
    so "môi trường" is covered by "bảo vệ môi trường" and only in part by "trường học"."""
    if not topic:
        return 0.0
    tw = words(text)
    have = set(tw) | {f"{a}_{b}" for a, b in zip(tw, tw[1:])}
    grams = topic + [f"{a}_{b}" for a, b in zip(topic, topic[1:])]
    weight = {g: (2.0 if "_" in g else 1.0) for g in grams}
    return sum(w for g, w in weight.items() if g in have) / sum(weight.values())


def sentence_case(heading: str) -> str:
    """'MỤC TIÊU, CHỈ TIÊU NĂM 2025' -> 'Mục tiêu, chỉ tiêu năm 2025' (only for all-caps text)."""
    letters = [c for c in heading if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return heading
    low = heading.lower()
    return low[:1].upper() + low[1:]


# A sentence ends at . ! ? … followed by space and an upper-case letter, a digit or an opening mark.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+(?=[\"“(\d]|[^\W\d_](?<=[A-ZÀ-ỸĐ]))")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, shifted by ``offset``."""
    spans, pos = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        spans.append((offset + pos, offset + m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((offset + pos, offset + len(text)))
    return spans


def clause_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each ';'-separated clause of ``text`` (the separator is left out)."""
    spans, pos = [], 0
    for m in re.finditer(r";\s+", text):
        spans.append((offset + pos, offset + m.start()))
        pos = m.end()
    spans.append((offset + pos, offset + len(text)))
    return [(s, e) for s, e in spans if e > s]
