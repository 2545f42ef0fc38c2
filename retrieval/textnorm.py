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

_SUPERSCRIPTS = str.maketrans("", "", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+", re.UNICODE)

# Function words and question words that say nothing about *what* is asked.
STOPWORDS = frozenset(
    """
    la gi bao nhieu the nao ra sao nhu nao co khong duoc nhung cac va cua cho voi trong
    ve theo mot nay do thi ma nhe a oi vay sao nao dau ai khi nam nhieu hay hoac tai
    boi de den tu tren duoi ra vao o bi rang cung nhat da se dang con chua nhu neu
    """.split()
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: 'Tỷ lệ Đô thị' -> 'ty le do thi'."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d").replace("Đ", "d")


def number_token(tok: str) -> str:
    """Canonical form of a Vietnamese number: '17.800' -> '17800', '7,3' -> '7.3'."""
    pct = tok.endswith("%")
    core = tok.rstrip("%")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", core):
        core = core.replace(".", "")
    elif re.fullmatch(r"\d+,\d+", core):
        core = core.replace(",", ".")
    return core + ("%" if pct else "")


def words(text: str) -> list[str]:
    """Folded word tokens (syllables and canonical numbers), in order."""
    out = []
    for tok in _TOKEN_RE.findall(nfc(text).translate(_SUPERSCRIPTS)):
        if tok[0].isdigit():
            out.append(number_token(tok))
        else:
            out.append(fold(tok))
    return out


def tokens(text: str, bigrams: bool = True) -> list[str]:
    """Index/query tokens: folded syllables plus syllable bigrams ('che_phu')."""
    ws = words(text)
    out = list(ws)
    if bigrams:
        out.extend(f"{a}_{b}" for a, b in zip(ws, ws[1:]))
    return out


def content_words(text: str) -> list[str]:
    """Folded words minus stopwords: what a question is about."""
    return [w for w in words(text) if w not in STOPWORDS]


def sentence_case(heading: str) -> str:
    """'MỤC TIÊU, CHỈ TIÊU NĂM 2025' -> 'Mục tiêu, chỉ tiêu năm 2025' (only for all-caps text)."""
    letters = [c for c in heading if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return heading
    low = heading.lower()
    return low[:1].upper() + low[1:]
