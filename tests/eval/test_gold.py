"""The gold files are well formed: every line parses, ids are unique across files, fields are present.

Only the files in eval/ are read (never the dev corpus beside the project). The dev items name
their gold passage by fingerprint (eval.metrics.fingerprint), never by its text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.corpus import BUNDLED_GOLD, DEV_GOLD_DIR, default_gold_files
from ingest.loaders import SUPPORTED_SUFFIXES

GOLD_FILES = default_gold_files()
REQUIRED = {"id": str, "question": str, "expect": list, "category": str, "answerable": bool}
OPTIONAL = {"doc": str, "docs": list, "list": bool, "history": list, "source": (dict, type(None)), "standalone": bool}


def _items(path: Path) -> list[tuple[int, dict]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                pytest.fail(f"{path.name}:{n} is not JSON: {exc}")
    return out


def test_there_are_gold_files():
    assert BUNDLED_GOLD in GOLD_FILES and len(GOLD_FILES) > 1
    assert all(f.parent == DEV_GOLD_DIR for f in GOLD_FILES[:-1])


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_every_line_is_a_complete_item(path):
    items = _items(path)
    assert items, f"{path.name} is empty"
    for n, item in items:
        where = f"{path.name}:{n} ({item.get('id')})"
        for key, kind in REQUIRED.items():
            assert isinstance(item.get(key), kind), f"{where}: {key} must be {kind.__name__}"
        for key, kind in OPTIONAL.items():
            assert key not in item or isinstance(item[key], kind), f"{where}: bad {key}"
        assert item["question"].strip(), f"{where}: empty question"
        assert all(isinstance(e, str) and e.strip() for e in item["expect"]), f"{where}: bad expect"
        if item["answerable"]:
            src = item.get("source") or {}
            quotes = [src.get("quote")] + list(src.get("quotes") or [])
            printed = isinstance(src.get("quote_sha1"), str) and isinstance(src.get("quote_len"), int)
            assert printed or any(isinstance(q, str) and q.strip() for q in quotes), \
                f"{where}: answerable without a gold passage"
            if path != BUNDLED_GOLD:  # the dev documents' text stays out of the project
                assert printed and "quote" not in src and "quotes" not in src, f"{where}: a dev quote in clear"
            assert item["expect"], f"{where}: answerable without expect strings"
        else:
            assert not item["expect"], f"{where}: an unanswerable item expects facts"
        if path != BUNDLED_GOLD:  # a dev file holds the questions of its own document
            assert item.get("doc") and Path(item["doc"]).stem == path.stem, f"{where}: doc {item.get('doc')!r}"
        if "doc" in item:
            assert Path(item["doc"]).suffix in SUPPORTED_SUFFIXES, f"{where}: doc {item['doc']!r}"
        if "docs" in item:
            assert item["docs"] and all(isinstance(d, str) and d for d in item["docs"]), f"{where}: bad docs"


def test_ids_are_unique_across_all_gold_files():
    seen: dict[str, str] = {}
    for path in GOLD_FILES:
        for n, item in _items(path):
            where = f"{path.name}:{n}"
            assert item["id"] not in seen, f"id {item['id']} in {where} and {seen.get(item['id'])}"
            seen[item["id"]] = where


def test_a_fingerprinted_passage_is_found_whole_or_by_a_clause():
    from eval.metrics import Metrics, fingerprint

    passage = "Phấn đấu đến năm 2030, 80% xã đạt chuẩn; 100% trường học có thư viện số"
    item = {"id": "f1", "question": "?", "expect": ["80%"], "answerable": True, "category": "target",
            "source": fingerprint(passage)}
    assert passage not in str(item["source"])

    def rank(cite: dict) -> int:
        m = Metrics()
        m.add(item, {"answer": "80% [1]", "found": True, "citations": [cite]})
        return m.hit1

    whole = {"text": "Mục tiêu: phấn đấu đến năm 2030, 80% xã đạt chuẩn; 100% trường học có thư viện số.", "quote": "x"}
    clause = {"text": "…", "quote": "Phấn đấu đến năm 2030, 80% xã đạt chuẩn"}
    other = {"text": "Phấn đấu đến năm 2030, 70% xã đạt chuẩn", "quote": "Phấn đấu đến năm 2030, 70% xã đạt chuẩn"}
    assert (rank(whole), rank(clause), rank(other)) == (1, 1, 0)


def test_follow_ups_are_forty_and_half_of_them_complete_questions_after_an_unrelated_one():
    """A follow-up is answered on its own when it stands on its own: the gold set holds as many complete
    questions asked after an unrelated one ("standalone": true) as elliptical ones."""
    from answering.chain import is_elliptical

    followups = [item for _, item in _items(BUNDLED_GOLD) if item["category"] == "followup"]
    complete = [item for item in followups if item.get("standalone")]
    assert len(followups) >= 40 and 2 * len(complete) >= len(followups)
    assert all(item.get("history") for item in followups)
    for item in complete:
        assert not is_elliptical(item["question"]), item["id"]
