"""answering.verify: citation markers and figures of a generated answer against its passages."""

from __future__ import annotations

import pytest

from core.types import Chunk, Passage
from answering.verify import cited_numbers, evidence, figures, is_refusal, verify

ENV = "II. Mục tiêu, chỉ tiêu năm 2025 › 2. Chỉ tiêu chủ yếu › Về môi trường"


def passage(text: str, section: str = ENV) -> Passage:
    return Passage(Chunk("id", "nq.txt", "NQ", section, "paragraph", text, 0, len(text)), 1.0)


P = [passage("(25) Duy trì tỷ lệ che phủ rừng trên 52%"),
     passage("Tăng trưởng kinh tế (GRDP) ước đạt 7,3%; thu ngân sách ước đạt 17.800 tỷ đồng.",
             "I. Kết quả năm 2024"),
     passage("thực hiện Nghị quyết số 11-NQ/TU, ngày 26/5/2022 của Ban Thường vụ Tỉnh ủy")]


@pytest.mark.parametrize("text,expected", [
    ("a [1] b [3]", [1, 3]), ("a [2, 1] b [2]", [2, 1]), ("a [1][2]", [1, 2]), ("a [1-3]", [1, 2, 3]),
    ("không trích dẫn", []), ("[12]", [12]),
])
def test_cited_numbers(text, expected):
    assert cited_numbers(text) == expected


def test_figures_as_written_and_canonical():
    figs = figures("Nghị quyết 11-NQ/TU ngày 26/5/2022: đạt 17,8 nghìn tỷ, tăng 7.3% [2]; 52 phần trăm; 1.283 người")
    assert [(f.written, f.kind) for f in figs] == [
        ("11-NQ/TU", "docno"), ("26/5/2022", "date"), ("17,8 nghìn", "number"), ("7.3%", "number"),
        ("52 phần trăm", "number"), ("1.283", "number")]
    assert [f.forms for f in figs][2:] == [{"17800"}, {"7.3%"}, {"52%"}, {"1283"}]
    assert figures("ngày 26 tháng 5 năm 2022")[0].forms == {"26/5/2022"}
    assert {"11-NQ/TU", "26/5/2022", "11", "2022", "52%", "52"} <= evidence(
        "số 11-NQ/TU, ngày 26/5/2022, trên 52%")


@pytest.mark.parametrize("answer", [
    "Tỷ lệ che phủ rừng được duy trì trên 52% [1].",
    "Năm 2025 duy trì tỷ lệ che phủ rừng trên 52% [1]",  # the year is in the section heading
    "GRDP năm 2024 ước đạt 7.3% và thu ngân sách 17800 tỷ đồng [2]",  # number formats
    "Thu ngân sách ước đạt 17,8 nghìn tỷ đồng [2].",
    "Theo Nghị quyết số 11-NQ/TU ngày 26 tháng 5 năm 2022 [3].",
    "Che phủ rừng trên 52% [1]; tăng trưởng 7,3% [2]",  # each figure in one of the cited passages
])
def test_verified(answer):
    v = verify(answer, P)
    assert v.ok, v.problems


@pytest.mark.parametrize("answer,figure", [
    ("Tỷ lệ che phủ rừng là 60% [1]", "60%"),
    ("Tỷ lệ che phủ rừng trên 52% [2]", "52%"),  # right figure, wrong passage cited
    ("GRDP ước đạt 7,5% [2]", "7,5%"),
    ("Theo Nghị quyết số 12-NQ/TU [3]", "12-NQ/TU"),
    ("Nghị quyết 11-NQ/TU ban hành ngày 26/6/2022 [3]", "26/6/2022"),
    ("Năm 2030 che phủ rừng trên 52% [1]", "2030"),
])
def test_invented_figure_is_named(answer, figure):
    v = verify(answer, P)
    assert not v.ok and figure in v.problems[0] and figure in v.problems_vi[0]


def test_citation_out_of_range_and_missing():
    v = verify("Che phủ rừng trên 52% [9]", P)
    assert not v.ok and "[9]" in v.problems[0] and "[1]..[3]" in v.problems[0]
    v = verify("Che phủ rừng trên 52%", P)
    assert not v.ok and "cites no passage" in v.problems[0]


def test_refusal():
    assert is_refusal("Van ban khong co thong tin ve viec nay")
    v = verify("Văn bản không có thông tin để trả lời câu hỏi này.", P)
    assert v.ok and v.refusal
    v = verify("Văn bản không có thông tin, nhưng có lẽ khoảng 60%.", P)
    assert not v.ok and "60%" in v.problems[0]


def test_year_from_the_question_is_allowed():
    assert not verify("Năm 2023 che phủ rừng trên 52% [1]", P).ok
    assert verify("Năm 2023 che phủ rừng trên 52% [1]", P, question="năm 2023 thì sao").ok
