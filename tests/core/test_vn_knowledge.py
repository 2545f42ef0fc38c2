"""core/vn_knowledge.json: the public-administration knowledge core.vn exports, kept as data. The file
loads, every section says what it holds, and each exported name has its Python type and holds something."""

from __future__ import annotations

import json

import pytest

import core.vn as vn
from ingest.pipeline import CUT_CODE
from retrieval.derived import _SOURCES

# exported name -> (its type, the type of its items / values; None: not checked)
EXPECTED: dict[str, tuple[type, type | None]] = {
    "DOC_TYPES": (dict, str), "TYPE_BY_CODE": (dict, str),
    "ISSUERS": (tuple, tuple), "ISSUER_CODES": (dict, str), "ISSUER_ALIASES": (dict, str),
    "NATIONAL_ISSUERS": (frozenset, str), "LOCAL_BODY_SHORT_NAMES": (tuple, tuple), "ORG_WORDS": (tuple, str),
    "SIGN_PREFIXES": (tuple, str), "SIGNER_TITLES": (tuple, str),
    "PROVINCES_2025": (tuple, str), "FORMER_PROVINCES": (dict, str), "PROVINCE_ALIASES": (dict, str),
    "ABBREVIATIONS": (dict, str), "INDICATOR_SYNONYMS": (tuple, tuple), "BOUND_SYNONYMS": (tuple, tuple),
    "SCALE_WORDS": (dict, int), "MEASURE_UNITS": (frozenset, str), "MAGNITUDE_WORDS": (tuple, str),
    "CURRENCY_WORDS": (tuple, str), "UNITS_OF_MEASURE": (frozenset, str), "COUNT_NOUNS": (tuple, str),
    "AMOUNT_NOUNS": (tuple, str), "UNIT_SPELLINGS": (dict, str),
    "CONTINUATION_OPENERS": (tuple, str), "CONDITION_OPENERS": (tuple, str), "NAME_LINKS": (tuple, str),
    "AUTHOR_LINKS": (tuple, str),
    "MEASURE_HEAD_ALIASES": (dict, str), "MEASURE_HEADS": (tuple, str), "RATE_HEADS": (tuple, str),
    "MONEY_HEADS": (tuple, str), "TIME_LABELS": (tuple, str),
}


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(vn.VN_KNOWLEDGE_FILE.read_text(encoding="utf-8"))


def test_the_file_loads_and_each_section_says_what_it_holds(data):
    assert vn.VN_KNOWLEDGE_FILE.name == "vn_knowledge.json"
    assert isinstance(data["_about"], str) and data["_about"]
    sections = {k: v for k, v in data.items() if not k.startswith("_")}
    assert len(sections) >= 10
    for name, section in sections.items():
        assert isinstance(section, dict), name
        assert isinstance(section.get("_about"), str) and section["_about"].strip(), name
        lists = [k for k in section if not k.startswith("_")]
        assert lists, name
        for key in section:  # a list's own note names a list of its section
            if key.startswith("_") and key != "_about":
                assert key.endswith("_about") and key[1:-len("_about")] in lists, (name, key)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_name_has_its_type_and_is_not_empty(name):
    kind, item = EXPECTED[name]
    value = getattr(vn, name)
    assert type(value) is kind, name
    assert len(value) > 0, name
    items = value.values() if kind is dict else value
    if item is not None:
        assert all(type(v) is item for v in items), name
    if kind is dict:
        assert all(type(k) is str for k in value), name
    if item is tuple:  # tuples of tuples of strings, all the way down
        assert all(v and all(type(s) is str for s in v) for v in value), name


def test_pairs_are_pairs():
    for name in ("ISSUERS", "LOCAL_BODY_SHORT_NAMES"):
        assert all(len(row) == 2 for row in getattr(vn, name)), name


def test_provinces_are_consistent():
    assert len(vn.PROVINCES_2025) == len(set(vn.PROVINCES_2025)) == 34
    assert len(vn.FORMER_PROVINCES) == 63
    assert set(vn.FORMER_PROVINCES.values()) <= set(vn.PROVINCES_2025)
    filed = set(vn.PROVINCES_2025) | set(vn.FORMER_PROVINCES)
    assert set(vn.PROVINCE_ALIASES.values()) <= filed


def test_derived_names_follow_their_sources():
    assert set(vn.RATE_HEADS) <= set(vn.MEASURE_HEADS) and set(vn.MONEY_HEADS) <= set(vn.MEASURE_HEADS)
    assert set(vn.MEASURE_HEAD_ALIASES) <= set(vn.MEASURE_HEADS)
    assert list(vn.MEASURE_HEADS) == sorted(vn.MEASURE_HEADS, key=len, reverse=True)
    assert vn.COUNT_NOUNS[-len(vn.UNITS_OF_MEASURE):] == tuple(sorted(vn.UNITS_OF_MEASURE))
    assert set(vn.TYPE_BY_CODE) == {code.upper() for code in vn.DOC_TYPES.values()}
    assert set(vn.ISSUER_ALIASES.values()) <= {short for _, short in vn.ISSUERS}
    assert all(word in vn.ORG_RE.pattern.replace("\\", "") for word in vn.ORG_WORDS)


def test_word_lists_in_patterns_still_match():
    assert vn.TIME_WORDS_RE.search("họp sáng thứ Hai hằng tuần")
    assert vn.TIME_WORDS_RE.search("Định kỳ hằng quý")
    assert vn.LEGAL_REF_RE.search("theo điểm c khoản 4 Điều 11")
    assert not vn.LEGAL_REF_RE.search("Điều 1,5")
    assert vn.issuer_abbreviated("Hội đồng nhân dân tỉnh X") == "HĐND tỉnh X"


def test_the_data_file_is_part_of_the_code_signatures():
    assert "core/vn_knowledge.json" in CUT_CODE
    assert "core/vn_knowledge.json" in _SOURCES
