"""ui/chat.py without a browser: the example questions and the citations panel's HTML."""

from __future__ import annotations

import pytest

from core.types import Answer, Citation
from ui.chat import EXAMPLES, citations_html

# a figure (or name) each example's answer must contain
EXPECTED = {
    "Chỉ tiêu tỷ lệ che phủ rừng năm 2025 là bao nhiêu?": "52%",
    "Tăng trưởng kinh tế năm 2024 ước đạt bao nhiêu?": "7,3%",
    "ty le ho ngheo nam 2024": "2,41%",
    "Các chỉ tiêu về môi trường gồm những gì?": "(25) Duy trì tỷ lệ che phủ rừng trên 52%",
    "Ba hành lang kinh tế gồm những gì?": "quốc lộ 8",
    "Ai ký nghị quyết?": "Hoàng Trung Dũng",
}


def test_every_example_has_an_expectation():
    assert set(EXPECTED) == set(EXAMPLES)


@pytest.mark.parametrize("question", EXAMPLES)
def test_example_questions_are_answered(assistant, question):
    answer = assistant.ask(question)
    assert answer.found and answer.citations, answer.answer
    assert EXPECTED[question] in answer.answer


def _citation(**kw) -> Citation:
    values = dict(n=1, doc="nq.txt", section="II. Mục tiêu › Về môi trường", text="Mở đầu. (25) Rừng trên 52%. Hết.",
                  quote="(25) Rừng trên 52%", start=8, end=26, score=0.9)
    return Citation(**{**values, **kw})


def test_citations_html_quote_section_and_expandable_passage():
    out = citations_html(Answer("q", "(25) Rừng trên 52% [1]", True, [_citation()]))
    assert "<b>[1]</b>" in out and "nq.txt › II. Mục tiêu › Về môi trường" in out and "(ký tự 8–26)" in out
    assert '<div class="quote"><mark>(25) Rừng trên 52%</mark></div>' in out
    assert ('<details><summary>Xem toàn văn đoạn trích</summary>'
            '<div class="passage">Mở đầu. <mark>(25) Rừng trên 52%</mark>. Hết.</div></details>') in out


def test_citations_html_short_passage_has_no_details_and_escapes():
    out = citations_html(Answer("q", "a", True, [_citation(text="<b>x</b> & y", quote="<b>x</b> & y", section="")]))
    assert "<details>" not in out and "<mark>&lt;b&gt;x&lt;/b&gt; &amp; y</mark>" in out
    assert "nq.txt ›" not in out  # no empty section path


def test_citations_html_quote_not_in_passage_and_no_citations():
    out = citations_html(Answer("q", "a", True, [_citation(quote="khác")]))
    assert '<div class="passage">Mở đầu. (25) Rừng trên 52%. Hết.</div>' in out
    assert "Không có trích dẫn" in citations_html(Answer("q", "Văn bản không có thông tin", False))


def test_citations_html_for_a_real_answer(assistant):
    out = citations_html(assistant.ask("ty le ho ngheo nam 2024"))
    assert "<mark>" in out and "2,41%" in out and "I. Kết quả lãnh đạo" in out and "<details>" in out
