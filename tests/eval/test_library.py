"""The library evaluation: its metrics on hand-made answers, its gold file, and
`python -m eval run --library` on a small library written here (one index, questions unscoped)."""

from __future__ import annotations

import json

import pytest

import eval.corpus
from eval.__main__ import main
from eval.corpus import BUNDLED_DOC, DEV_GOLD_DIR, LIBRARY_GOLD, default_gold_files, library_gold_documents
from eval.metrics import LibraryMetrics, ambiguity_handled, expected_docs, library_kind
from eval.report import below_baseline, load_jsonl
from tests.answering.test_scope import PLAN, PLAN_TEXT
from tests.eval.test_run import SMALL, SMALL_TEXT

A, B, C = "a.txt", "b.txt", "c.txt"


def _cite(doc: str, text: str = "một đoạn văn bản") -> dict:
    return {"n": 1, "doc": doc, "text": text, "quote": text}


SCOPED = {"id": "s", "doc": A, "question": "q", "expect": ["52%"], "category": "scoped", "answerable": True,
          "source": {"quote": "trên 52%"}}
MISSING = {"id": "m", "question": "Kế hoạch 999 của tỉnh Lai Châu?", "expect": [], "source": None,
           "category": "scoped", "answerable": False, "expect_missing_doc": True}
AMBIGUOUS = {"id": "a", "question": "q", "expect": ["22 trạm", "28 trạm"], "category": "ambiguous",
             "answerable": True, "expect_docs": {A: ["22 trạm"], B: ["28 trạm"]}, "source": {"quote": "22 trạm"}}


def test_kinds_and_expected_documents():
    assert [library_kind(i) for i in (SCOPED, MISSING, AMBIGUOUS)] == ["scoped", "missing_doc", "ambiguous"]
    assert expected_docs(SCOPED) == {A} and expected_docs(MISSING) == set() and expected_docs(AMBIGUOUS) == {A, B}


def test_scoped_accuracy_needs_the_right_document_first():
    m = LibraryMetrics()
    m.add(SCOPED, {"answer": "trên 52% [1]", "found": True, "citations": [_cite(A)]})
    m.add(SCOPED, {"answer": "trên 52% [1]", "found": True, "citations": [_cite(B), _cite(A)]})  # right figure, wrong doc
    m.add(SCOPED, {"answer": "trên 50% [1]", "found": True, "citations": [_cite(A)]})  # right doc, wrong figure
    m.add(SCOPED, {"answer": "Văn bản không có thông tin.", "found": False, "citations": []})
    s = m.summary()
    assert s["answer_accuracy"] == 50.0  # the usual metric: the figure, wherever it comes from
    assert s["scoped_accuracy"] == 25.0
    assert s["wrong_document_rate"] == pytest.approx(33.3)  # 1 of the 3 answered items
    assert s["missing_doc_refusals"] is None and s["ambiguity_handled"] is None
    assert [x["why"] for x in m.misses] == ["first citation from b.txt", "answer lacks 52%", "refused"]


def test_missing_document_refusals_and_answers_counted_as_wrong_document():
    m = LibraryMetrics()
    m.add(MISSING, {"answer": "Thư viện không có Kế hoạch 999 của tỉnh Lai Châu.", "found": False, "citations": []})
    m.add(MISSING, {"answer": "đạt 50% [1]", "found": True, "citations": [_cite(A)]})
    s = m.summary()
    assert s["missing_doc_refusals"] == 50.0 and s["refusal_accuracy"] == 50.0
    assert s["wrong_document_rate"] == 100.0  # whatever it cites, it is not the document asked about
    assert m.kind_row("missing_doc")["n"] == 2 and m.kind_row("scoped")["n"] == 0


def test_ambiguity_handled_needs_every_document_cited_with_its_figure():
    both = {"answer": "Theo Kế hoạch A: 22 trạm [1]. Theo Kế hoạch B: 28 trạm [2].", "found": True,
            "citations": [_cite(A), _cite(B)]}
    assert ambiguity_handled(AMBIGUOUS, both)
    one_doc = {**both, "citations": [_cite(A), _cite(A)]}  # both figures, one document cited
    blended = {**both, "answer": "22 trạm [1] [2]"}  # both cited, one figure
    assert not ambiguity_handled(AMBIGUOUS, one_doc) and not ambiguity_handled(AMBIGUOUS, blended)
    assert not ambiguity_handled(AMBIGUOUS, {**both, "found": False})
    m = LibraryMetrics()
    for ans in (both, one_doc, blended, {**both, "citations": [_cite(C), _cite(A), _cite(B)]}):
        m.add(AMBIGUOUS, ans)
    s = m.summary()
    assert s["ambiguity_handled"] == 50.0 and s["answer_accuracy"] == 75.0
    assert s["wrong_document_rate"] == 25.0  # first cited c.txt, which no expected document is
    assert "b.txt: not cited" in m.misses[0]["why"] and "a.txt: 28 trạm" not in m.misses[1]["why"]


def test_the_gate_reads_lower_is_better_for_the_wrong_document_rate():
    s = {"answer_accuracy": 80.0, "scoped_accuracy": 40.0, "wrong_document_rate": 10.0, "ambiguity_handled": None}
    assert below_baseline(s, {"answer_accuracy": 80.0, "scoped_accuracy": 40.0, "wrong_document_rate": 10.0}) == []
    assert below_baseline(s, {"wrong_document_rate": 9.9}) == ["wrong_document_rate: 10.0 > baseline 9.9 (lower is better)"]
    assert below_baseline(s, {"scoped_accuracy": 40.1}) == ["scoped_accuracy: 40.0 < baseline 40.1"]
    assert below_baseline(s, {"ambiguity_handled": 0.0}) == ["ambiguity_handled: None < baseline 0.0"]


# --- the gold file --------------------------------------------------------------------------------

def test_the_library_gold_covers_every_document_and_names_no_passage():
    gold = load_jsonl(LIBRARY_GOLD)
    # the library it was written for: the first rounds' documents (eval/first_round_documents.txt) and data/
    dev_docs = set(library_gold_documents())
    assert dev_docs <= {p.stem + ".txt" for p in DEV_GOLD_DIR.glob("*.jsonl")}
    other_ids = {i["id"] for f in default_gold_files() for i in load_jsonl(f)}
    ids = [i["id"] for i in gold]
    assert len(ids) == len(set(ids)) and not set(ids) & other_ids
    scoped = [i for i in gold if i["category"] == "scoped"]
    missing = [i for i in scoped if i.get("expect_missing_doc")]
    ambiguous = [i for i in gold if i["category"] == "ambiguous"]
    assert len(scoped) >= 30 and len(missing) >= 4 and len(ambiguous) >= 10
    assert {i["category"] for i in gold} == {"scoped", "ambiguous"}
    for doc in dev_docs | {BUNDLED_DOC}:
        assert sum(i.get("doc") == doc for i in scoped) >= 2, doc
    for item in gold:
        src = [item.get("source") or {}] + list((item.get("sources") or {}).values())
        assert all("quote" not in s and "quotes" not in s for s in src), f"{item['id']}: a passage in clear"
        if item.get("expect_missing_doc"):
            assert not item["answerable"] and not item["expect"] and "doc" not in item, item["id"]
        elif item["category"] == "scoped":
            assert item["answerable"] and item["expect"] and item["doc"] in dev_docs | {BUNDLED_DOC}, item["id"]
            assert isinstance(item["source"]["quote_sha1"], str), item["id"]
        else:
            docs = item["expect_docs"]
            assert item["answerable"] and 2 <= len(docs) <= 3 and set(docs) <= dev_docs | {BUNDLED_DOC}, item["id"]
            assert set(item["sources"]) == set(docs) and "doc" not in item, item["id"]
            assert item["expect"] == [f for facts in docs.values() for f in facts], item["id"]


# --- `python -m eval run --library` on a small library ------------------------------------------

OWN = "nghi-quyet-rieng.txt"  # stands for the project's data/ in this test
OWN_TEXT = ("NGHỊ QUYẾT\nVề phát triển du lịch\n\nI. CHỈ TIÊU NĂM 2025\n\n"
            "Về du lịch: (1) Đón 4,2 triệu lượt khách du lịch; (2) Doanh thu du lịch đạt 9.500 tỷ đồng.\n")
GOLD = [
    {"id": "l1", "doc": SMALL, "question": "Có bao nhiêu giáo viên mới?", "expect": ["300 giáo viên"],
     "source": {"quote": "(2) Có 300 giáo viên mới"}, "category": "scoped", "answerable": True},
    {"id": "l2", "doc": PLAN, "question": "Lắp đặt bao nhiêu đèn chiếu sáng công cộng?", "expect": ["1.200 đèn"],
     "source": {"quote": "(3) Lắp đặt 1.200 đèn chiếu sáng công cộng"}, "category": "scoped", "answerable": True},
    {"id": "l3", "doc": OWN, "question": "Đón bao nhiêu lượt khách du lịch?", "expect": ["4,2 triệu lượt"],
     "source": {"quote": "(1) Đón 4,2 triệu lượt khách du lịch"}, "category": "scoped", "answerable": True},
    {"id": "l4", "question": "Kế hoạch 999/KH-UBND của tỉnh Lai Châu có bao nhiêu chỉ tiêu?", "expect": [],
     "source": None, "category": "scoped", "answerable": False, "expect_missing_doc": True},
    {"id": "l5", "question": "Chỉ tiêu số 2 là gì?", "expect": ["300 giáo viên", "9.500 tỷ đồng"],
     "expect_docs": {SMALL: ["300 giáo viên"], OWN: ["9.500 tỷ đồng"]},
     "source": {"quote": "(2) Có 300 giáo viên mới"}, "category": "ambiguous", "answerable": True},
    # its document is not in the library: left out
    {"id": "x1", "doc": "khong-co-trong-thu-vien.txt", "question": "Ai ký?", "expect": ["X"],
     "source": {"quote": "X"}, "category": "scoped", "answerable": True},
]


@pytest.fixture()
def library(tmp_path, monkeypatch):
    monkeypatch.setattr(eval.corpus, "EVAL_STORAGE", tmp_path / "storage-eval")
    own = tmp_path / "own-data"
    own.mkdir()
    (own / OWN).write_text(OWN_TEXT, encoding="utf-8")
    monkeypatch.setattr(eval.corpus, "BUNDLED_DATA", own)
    data = tmp_path / "data"
    data.mkdir()
    (data / PLAN).write_text(PLAN_TEXT, encoding="utf-8")
    (data / SMALL).write_text(SMALL_TEXT, encoding="utf-8")
    (data / "SOURCES.md").write_text(f"| file | title |\n|---|---|\n| {PLAN} | Kế hoạch |\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in GOLD), encoding="utf-8")
    return data, gold


def test_run_library_one_index_unscoped(library, tmp_path, capsys):
    data, gold = library
    out, report, baseline = tmp_path / "m.json", tmp_path / "r.md", tmp_path / "baseline.json"
    args = ["run", "--library", "--data", str(data), "--gold", str(gold), "--json", str(out), "--report", str(report)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "(built): 3 documents" in printed and "library eval took" in printed  # SOURCES.md is not one
    m = json.loads(out.read_text())
    assert m["questions"] == 5  # x1 left out
    # the three scoped questions name what only their own document holds: found unscoped
    assert m["scoped_accuracy"] == 100.0 and m["per_kind"]["scoped"]["n"] == 3
    assert m["per_kind"]["missing_doc"]["n"] == 1 and m["per_kind"]["ambiguous"]["n"] == 1
    assert set(m["per_document"]) == {PLAN, SMALL, OWN, "(not in the library)", "(ambiguous: several documents)"}
    # rounded to 0.1 s: five questions on warm caches may take less than 0.05 s
    assert m["index_and_warm_up_s"] >= 0 and m["questions_s"] >= 0
    text = report.read_text()
    for head in ("## Per kind of question", "## Per category", "## Per document", "## Misses",
                 "| scoped (scoped accuracy) | 3 | 100.0 | 100.0 |"):
        assert head in text

    # the gate: a figure above the run's fails it, in either direction
    baseline.write_text(json.dumps({"scoped_accuracy": 100.0, "wrong_document_rate": m["wrong_document_rate"]}))
    assert main(args + ["--baseline", str(baseline)]) == 0
    assert "(reused)" in capsys.readouterr().out
    baseline.write_text(json.dumps({"wrong_document_rate": m["wrong_document_rate"] - 0.1}))
    assert main(args + ["--baseline", str(baseline)]) == 1

    # the per-document evaluation of the same folder reads the same index (its questions scoped)
    (library_index,) = (tmp_path / "storage-eval").iterdir()
    per_doc_gold = tmp_path / "per-doc.jsonl"
    per_doc_gold.write_text(json.dumps(GOLD[0], ensure_ascii=False), encoding="utf-8")
    assert main(["run", "--data", str(data), "--gold", str(per_doc_gold)]) == 0
    assert "(reused): 3 documents" in capsys.readouterr().out
    assert list((tmp_path / "storage-eval").iterdir()) == [library_index]


def test_every_figure_of_the_library_baseline_is_gated():
    """A misspelt key would be a gate that never closes."""
    from eval.report import GATED, GATED_MAX, LIBRARY_GATED

    baseline = json.loads((LIBRARY_GOLD.parent / "baseline_library.json").read_text())
    assert set(baseline) <= set(GATED + LIBRARY_GATED + GATED_MAX)
    assert {"scoped_accuracy", "wrong_document_rate", "missing_doc_refusals", "ambiguity_handled"} <= set(baseline)
