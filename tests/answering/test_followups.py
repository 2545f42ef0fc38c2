"""Follow-ups: a question that stands on its own is answered on its own; the earlier topic is carried
only into one that cannot be (by its form, or because the documents do not answer it alone)."""

from __future__ import annotations

import pytest

from answering.chain import contextualize, is_bare, is_elliptical, understood_as

FOREST = "chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu"


@pytest.mark.parametrize("question", [
    "còn năm 2024 thì sao?", "vậy còn năm 2030?", "thế năm 2025 đặt mục tiêu bao nhiêu?", "ông ấy giữ chức vụ gì?",
    "nó do cơ quan nào ban hành?", "bảo hiểm y tế thì sao?", "năm 2024?", "năm 2024 đạt bao nhiêu?", "ở Nghệ An?",
    "Hà Tĩnh thì sao?"])
def test_elliptical_by_form(question):
    assert is_elliptical(question)


@pytest.mark.parametrize("question", [
    "GRDP năm 2025 tăng bao nhiêu?", "hạn chế năm 2024 là gì?", "Năm 2024 tỉnh đạt được bao nhiêu chỉ tiêu?",
    "ty le do thi hoa nam 2025", "Ai ký nghị quyết?", "ban hành ngày nào?"])
def test_not_elliptical_by_form_whatever_its_length(question):
    assert not is_elliptical(question) and not is_bare(question)
    assert contextualize(question, [{"question": FOREST}]) == question


def test_understood_as_names_the_new_year_or_both_questions():
    assert understood_as("còn năm 2024 thì sao?", "Chỉ tiêu tỷ lệ hộ nghèo năm 2025 là gì?") \
        == "Chỉ tiêu tỷ lệ hộ nghèo năm 2024 là gì?"
    assert understood_as("ông ấy giữ chức vụ gì?", "Ai ký nghị quyết này?") \
        == "ông ấy giữ chức vụ gì (tiếp theo câu hỏi trước: “Ai ký nghị quyết này?”)"


def test_a_complete_question_after_an_unrelated_one_is_answered_on_its_own(assistant):
    # the case: it used to be answered "(25) Duy trì tỷ lệ che phủ rừng trên 52%"
    a = assistant.ask("GRDP năm 2025 tăng bao nhiêu?", history=[{"question": FOREST}])
    assert a.found and "7%" in a.answer and "52%" not in a.answer and a.understood is None
    assert "understood" not in a.to_dict()
    alone = assistant.ask("hạn chế năm 2024 là gì?")
    after_two = assistant.ask("hạn chế năm 2024 là gì?",
                              history=[{"question": FOREST}, {"question": "GRDP năm 2025 tăng bao nhiêu?"}])
    assert after_two.found and after_two.answer == alone.answer and after_two.understood is None


def test_a_question_the_documents_do_not_answer_alone_is_read_as_a_follow_up(assistant):
    assert not assistant.ask("ban hành ngày nào?").found  # alone: no document is named
    a = assistant.ask("ban hành ngày nào?", history=[{"question": "Nghị quyết 11-NQ/TU nói về gì?"}])
    assert a.found and "26/5/2022" in a.answer
    assert a.to_dict()["understood"] == "ban hành ngày nào (tiếp theo câu hỏi trước: “Nghị quyết 11-NQ/TU nói về gì?”)"


def test_an_unanswerable_complete_question_stays_refused_after_another_topic(assistant):
    a = assistant.ask("Tăng trưởng kinh tế năm 2023 của Hà Tĩnh đạt bao nhiêu?", history=[{"question": FOREST}])
    assert not a.found and "52%" not in a.answer


def test_an_elliptical_follow_up_carries_the_topic_and_says_how(assistant):
    a = assistant.ask("năm 2024?", history=[{"question": "Tỷ lệ hộ nghèo năm 2025 phấn đấu giảm bao nhiêu?"}])
    assert a.found and "2,41%" in a.answer
    assert a.understood == "Tỷ lệ hộ nghèo năm 2024 phấn đấu giảm bao nhiêu?"
