"""How questions ask and how texts state each kind of fact: the data of ``core/lexicon.json``.

The patterns are knowledge of the language of questions and of administrative texts (question
words, the ways a date, a share, an agency or a list is written), kept as data in one file and
compiled here once. The answering stages read them through this module only.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("lexicon.json")


# Folded text writes a final "i" after these consonants as "y" (core.text.fold: "tỉ lệ" = "tỷ lệ",
# "đơn vị" -> "don vy"): the folded patterns and word lists are read the same way.
_IY_RE = re.compile(r"\b(t|k|l|m|h|s|v|qu)i\b")


def _folded(text: str) -> str:
    return _IY_RE.sub(r"\1y", text)


@lru_cache(maxsize=1)
def _data() -> dict:
    data = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    for key in FOLDED_KEYS:
        value = data[key]
        if isinstance(value, str):
            data[key] = _folded(value)
        elif value and isinstance(value[0], list):
            data[key] = [[k, _folded(rx)] for k, rx in value]
        else:
            data[key] = [_folded(v) for v in value]
    return data


# the entries written over folded text (the others are over text as written)
FOLDED_KEYS = ("asks", "aggregates", "plural", "time_units", "money_words", "share_words", "qualifier_nouns",
               "qualifier_values", "condition_openers", "preamble_openers", "frame_words")


@lru_cache(maxsize=1)
def ask_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(answer type, pattern over folded text), in the order they are tried."""
    return tuple((kind, re.compile(rx)) for kind, rx in _data()["asks"])


ASK_TYPES: tuple[str, ...] = tuple(kind for kind, _ in json.loads(LEXICON_FILE.read_text(encoding="utf-8"))["asks"])


@lru_cache(maxsize=1)
def aggregate_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((kind, re.compile(rx)) for kind, rx in _data()["aggregates"])


@lru_cache(maxsize=1)
def fact_patterns() -> dict[str, re.Pattern]:
    """Kind of fact -> how a text states it (as written, case-insensitive; 'person' and 'agency'
    keep their capitals: a name is capitalised)."""
    cased = {"person", "agency", "place"}
    return {k: re.compile(rx, re.M if k in cased else re.I | re.M) for k, rx in _data()["facts"].items()}


@lru_cache(maxsize=1)
def cited_document_re() -> re.Pattern:
    return re.compile(_data()["cited_document"], re.I)


def words_of(key: str) -> frozenset[str]:
    """A list of folded words or phrases of the lexicon, as a set."""
    return frozenset(_data()[key])


@lru_cache(maxsize=1)
def qualifier_nouns() -> tuple[str, ...]:
    """Nouns that single out a look-alike by their next word, longest first."""
    return tuple(sorted(_data()["qualifier_nouns"], key=len, reverse=True))


def openers(key: str) -> tuple[str, ...]:
    return tuple(sorted(_data()[key], key=len, reverse=True))


@lru_cache(maxsize=1)
def plural_re() -> re.Pattern:
    return re.compile(_data()["plural"])
