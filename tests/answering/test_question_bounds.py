"""A question is bounded in what it costs, at the entry (answering.chain.bounded_question): runs of
combining marks cut, characters counted after normalisation, only the first NQ_MAX_QUESTION_WORDS
words searched, with a Vietnamese note when trimmed (issue 23)."""

from __future__ import annotations

import time
import unicodedata

import pytest

from answering.bounds import bounded_question
from core.text import collapse_marks, first_words, word_count
from errors import InputError

WORDS = "tỷ lệ hộ nghèo năm 2025 giảm bao nhiêu phần trăm so với kế hoạch của tỉnh "


def test_runs_of_combining_marks_are_cut_and_vietnamese_keeps_its_marks():
    assert collapse_marks("a" + "\u0301" * 1990) == "a\u0301\u0301"
    decomposed = unicodedata.normalize("NFD", "Tỷ lệ che phủ rừng đạt trên 52% ở Hà Tĩnh")
    assert collapse_marks(decomposed) == decomposed
    assert bounded_question(decomposed, 2000, 64) == ("Tỷ lệ che phủ rừng đạt trên 52% ở Hà Tĩnh", False)
    question, trimmed = bounded_question("a" + "\u0301" * 1990, 2000, 64)
    assert len(question) <= 2 and not trimmed


def test_characters_are_counted_after_normalisation_and_words_are_capped():
    with pytest.raises(InputError) as err:
        bounded_question("x" * 2001, 2000, 64)
    assert err.value.message_vi == "Câu hỏi quá dài (2001 ký tự); tối đa 2000 ký tự."
    with pytest.raises(InputError):  # refused before any normalisation
        bounded_question("a" + "\u0301" * 9000, 2000, 64)
    marks = ("tỷ" + "\u0323" * 40 + " lệ ") * 45  # 2,000+ characters, but not after normalisation
    question, trimmed = bounded_question(marks, 2000, 64)
    assert len(question) < 400 and trimmed and word_count(question) == 64
    assert first_words("tỷ lệ 2,5% hộ nghèo", 3) == "tỷ lệ 2,5%"


def test_a_long_question_is_answered_from_its_first_words_and_says_so(assistant):
    question = (WORDS * 40)[:2000]
    answer = assistant.ask(question)
    assert word_count(answer.question) == assistant.settings.max_question_words == 64
    assert answer.question == first_words(" ".join(question.split()), 64) and "0,5-0,6%" in answer.answer
    assert any("NQ_MAX_QUESTION_WORDS" in w for w in answer.warnings)
    assert answer.understood.endswith("(câu hỏi quá dài: chỉ 64 từ đầu được dùng để tìm câu trả lời)")
    assert "warnings" in answer.to_dict() and "understood" in answer.to_dict()


def _cpu(assistant, question: str) -> float:
    t0 = time.process_time()
    assistant.ask(question)
    return time.process_time() - t0


def test_a_letter_with_1990_combining_marks_costs_like_a_short_question(assistant):
    answer = assistant.ask("a" + "\u0301" * 1990)
    assert len(answer.question) <= 2
    # the history is bounded the same way: an earlier question of marks is searched as 3 characters
    from answering.bounds import validate_history

    (turn,) = validate_history(["b" + "\u0300" * 1990], assistant.settings)
    assert turn == {"role": "user", "content": unicodedata.normalize("NFC", "b\u0300\u0300")}
    (turn,) = validate_history(["c" + "\u0300" * 2500], assistant.settings)  # counted after normalisation
    assert len(turn["content"]) <= 3  # c and two marks (no precomposed form)
    # CPU: before the bound it took ~4.7 s (over 100 times a short question); allow a wide margin
    short = min(_cpu(assistant, f"tỷ lệ hộ nghèo năm {y}") for y in (2021, 2022, 2023))
    marks = min(_cpu(assistant, f"{y} a" + "\u0301" * 1990) for y in (2021, 2022, 2023))
    assert marks < 10 * short + 0.2, (marks, short)
