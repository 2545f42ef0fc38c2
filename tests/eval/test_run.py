"""`python -m eval run --data DIR`: DIR's own index, items scoped to their document, per-document figures."""

from __future__ import annotations

import json

import pytest

import eval.corpus
from eval.corpus import KEEP_INDEXES
from eval.__main__ import main
from eval.metrics import TIGHT_CHARS, Metrics
from tests.answering.test_scope import PLAN, PLAN_TEXT

SMALL = "nghi-quyet-nho.txt"
SMALL_TEXT = ("NGHỊ QUYẾT\nVề thử nghiệm\n\nI. KẾT QUẢ NĂM 2024\n\nNăm 2024 tỷ lệ trường chuẩn đạt 60%.\n\n"
              "II. CHỈ TIÊU NĂM 2025\n\nVề giáo dục: (1) Tỷ lệ trường chuẩn quốc gia đạt 65%; (2) Có 300 giáo viên mới.\n"
              "\nTM. HỘI ĐỒNG NHÂN DÂN\nCHỦ TỊCH\n\nLê Văn An\n")
GOLD = [
    {"id": "p1", "doc": PLAN, "question": "Chỉ tiêu số 3 là gì?", "expect": ["1.200 đèn"],
     "source": {"quote": "(3) Lắp đặt 1.200 đèn chiếu sáng công cộng"}, "category": "target", "answerable": True},
    {"id": "p2", "doc": PLAN, "question": "Ai ký kế hoạch?", "expect": ["Nguyễn Văn Thạch"],
     "source": {"quote": "Nguyễn Văn Thạch"}, "category": "signature", "answerable": True},
    {"id": "s1", "doc": SMALL, "question": "Chỉ tiêu số 2 là gì?", "expect": ["300 giáo viên"],
     "source": {"quote": "(2) Có 300 giáo viên mới"}, "category": "target", "answerable": True},
    # asked about SMALL only: the plan's signer must not answer it
    {"id": "s2", "doc": SMALL, "question": "Nguyễn Văn Thạch giữ chức vụ gì?", "expect": [], "source": {},
     "category": "unanswerable", "answerable": False},
    {"id": "x1", "doc": "khong-co-trong-thu-muc.txt", "question": "Ai ký?", "expect": ["X"],
     "source": {"quote": "X"}, "category": "signature", "answerable": True},
]


def test_tight_answers():
    item = {"id": "a", "question": "q", "expect": ["52%"], "source": {"quote": "trên 52%"}, "answerable": True}
    m = Metrics()
    m.add(item, {"answer": "trên 52% [1]", "found": True, "citations": []})
    m.add(item, {"answer": "trên 52% " + "x" * TIGHT_CHARS, "found": True, "citations": []})  # correct, too long
    m.add({**item, "list": True}, {"answer": "trên 52% " + "x" * TIGHT_CHARS, "found": True, "citations": []})
    s = m.summary()
    assert s["answer_accuracy"] == 100.0 and s["answer_tight"] == pytest.approx(66.7)
    assert m.row()["refusal_accuracy"] is None and m.row()["n"] == 3


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(eval.corpus, "EVAL_STORAGE", tmp_path / "storage-eval")
    data = tmp_path / "data"
    data.mkdir()
    (data / PLAN).write_text(PLAN_TEXT, encoding="utf-8")
    (data / SMALL).write_text(SMALL_TEXT, encoding="utf-8")
    (data / "ghi-chu.csv").write_text("not a supported file", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in GOLD), encoding="utf-8")
    return data, gold


def test_run_on_a_folder_per_document(data_dir, tmp_path, capsys):
    data, gold = data_dir
    out, report, baseline = tmp_path / "m.json", tmp_path / "r.md", tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"answer_accuracy": 100.0, "answer_tight": 100.0}))
    args = ["run", "--data", str(data), "--gold", str(gold), "--json", str(out), "--report", str(report)]
    assert main(args + ["--baseline", str(baseline)]) == 0
    printed = capsys.readouterr().out
    # DIR's two documents and data/'s one in one index; each question reads its own document
    assert "(built): 3 documents" in printed and "## Per document" in printed
    m = json.loads(out.read_text())
    assert m["overall"]["questions"] == 4 and m["overall"]["answer_accuracy"] == 100.0  # x1 is not in DIR
    assert m["overall"]["refusal_accuracy"] == 100.0 and m["answer_tight"] == 100.0
    assert m["per_document"] == {
        PLAN: {"n": 2, "answer_accuracy": 100.0, "answer_tight": 100.0, "citation_hit_at_3": 100.0,
               "refusal_accuracy": None, "false_refusal_rate": 0.0},
        SMALL: {"n": 2, "answer_accuracy": 100.0, "answer_tight": 100.0, "citation_hit_at_3": 100.0,
                "refusal_accuracy": 100.0, "false_refusal_rate": 0.0},
    }
    assert f"| {PLAN} | 2 | 100.0 | 100.0 | 100.0 | – | 0.0 |" in report.read_text()
    (index,) = (tmp_path / "storage-eval").iterdir()

    # unchanged: the same index, reused; above the baseline: exit 1
    baseline.write_text(json.dumps({"answer_accuracy": 100.0, "refusal_accuracy": 100.1}))
    assert main(args + ["--baseline", str(baseline)]) == 1
    assert "(reused)" in capsys.readouterr().out
    assert list((tmp_path / "storage-eval").iterdir()) == [index]

    # a changed file: a new index beside the old one, up to KEEP_INDEXES of them
    for n in range(KEEP_INDEXES + 1):
        (data / SMALL).write_text(SMALL_TEXT.replace("300 giáo viên", f"{350 + n} giáo viên"), encoding="utf-8")
        assert main(args) == 0
        assert "(built)" in capsys.readouterr().out
    kept = list((tmp_path / "storage-eval").iterdir())
    assert len(kept) == KEEP_INDEXES and index not in kept
    assert json.loads(out.read_text())["per_document"][SMALL]["answer_accuracy"] == 0.0  # its one answerable item
