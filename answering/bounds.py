"""Where a question and its history enter: checked and bounded once, before any work.

What a question costs in CPU is bounded here (issue 23): its runs of combining marks are cut
(core.text.collapse_marks), its characters are counted after Unicode normalisation
(NQ_MAX_QUESTION_CHARS), and only its first NQ_MAX_QUESTION_WORDS words are searched, the answer
saying so in Vietnamese. A history is checked against its limits (NQ_MAX_HISTORY_TURNS,
NQ_MAX_HISTORY_CHARS) and its earlier questions bounded the same way, since a follow-up searches
them again.
"""

from __future__ import annotations

from typing import Any

from answering.history import history_turns, is_turn
from core.text import collapse_marks, first_words, has_lone_surrogate, nfc, word_count
from core.types import Answer
from errors import InputError, RequestTooLarge
from settings import Settings

# A question longer than this many times NQ_MAX_QUESTION_CHARS is refused before it is normalised.
RAW_QUESTION_FACTOR = 4


def _too_long(n: int, max_chars: int) -> InputError:
    return InputError(f"question is {n} characters long; the limit is {max_chars} (NQ_MAX_QUESTION_CHARS)",
                      f"Câu hỏi quá dài ({n} ký tự); tối đa {max_chars} ký tự.")


def normal_text(text: str) -> str:
    """A question as it is read: runs of combining marks cut (core.text.collapse_marks), NFC, one space."""
    return " ".join(nfc(collapse_marks(text)).split())


def bounded_question(question: Any, max_chars: int, max_words: int | None = None) -> tuple[str, bool]:
    """The question as it is searched, and whether it was trimmed. What it costs in CPU is bounded
    here, at the entry, once: its runs of combining marks are cut, it is refused over ``max_chars``
    characters after normalisation (NQ_MAX_QUESTION_CHARS), and only its first ``max_words`` words
    are searched (NQ_MAX_QUESTION_WORDS)."""
    if not isinstance(question, str) or not question.strip():
        raise InputError("question is empty", "Vui lòng nhập câu hỏi.")
    if has_lone_surrogate(question):
        raise InputError("question holds a lone surrogate (an unpaired \\ud800-\\udfff), which is not text",
                         "Câu hỏi chứa ký tự không hợp lệ.")
    if len(question) > RAW_QUESTION_FACTOR * max_chars:
        raise _too_long(len(question), max_chars)
    question = normal_text(question)
    if len(question) > max_chars:
        raise _too_long(len(question), max_chars)
    if max_words and word_count(question) > max_words:
        return first_words(question, max_words), True
    return question, False


def validate_question(question: Any, max_chars: int, max_words: int | None = None) -> str:
    return bounded_question(question, max_chars, max_words)[0]


def say_trimmed(answer: Answer, max_words: int) -> Answer:
    """Tell the reader that only the question's first words were searched."""
    answer.warnings.append(f"the question was trimmed to its first {max_words} words (NQ_MAX_QUESTION_WORDS)")
    if not answer.understood:
        answer.understood = (f"{answer.question}… (câu hỏi quá dài: chỉ {max_words} từ đầu "
                             f"được dùng để tìm câu trả lời)")
    return answer


def validate_history(history: Any, settings: Settings) -> list[dict] | None:
    """The earlier turns, checked before any work: a list of at most NQ_MAX_HISTORY_TURNS turns
    holding at most NQ_MAX_HISTORY_CHARS characters, each earlier question at most
    NQ_MAX_QUESTION_CHARS (it is searched again with a follow-up). Returned as {"role", "content"}
    turns, each earlier question bounded as a question is (``bounded_question``)."""
    if history is None:
        return None
    if not isinstance(history, (list, tuple)):
        raise InputError(f"history must be a list of turns, got {type(history).__name__}",
                         "Lịch sử hội thoại (history) phải là một danh sách.")
    if len(history) > settings.max_history_turns:
        raise RequestTooLarge(
            f"history has {len(history)} turns; the limit is {settings.max_history_turns} (NQ_MAX_HISTORY_TURNS)",
            f"Hội thoại quá dài ({len(history)} lượt); hãy xóa hội thoại và hỏi lại.")
    total = 0
    turns: list[dict] = []
    for n, turn in enumerate(history, 1):
        if not is_turn(turn):
            raise InputError(f"turn {n} of the history has an unknown form ({type(turn).__name__}); a turn is "
                             f'a string, {{"role", "content"}}, {{"question", "answer"}} or [question, answer]',
                             f"Lượt {n} của lịch sử hội thoại không đúng dạng.")
        for role, text in history_turns([turn]):
            total += len(text)
            if has_lone_surrogate(text):
                raise InputError("a turn of the history holds a lone surrogate, which is not text",
                                 "Lịch sử hội thoại chứa ký tự không hợp lệ; hãy xóa hội thoại và hỏi lại.")
            if role == "user":
                text = normal_text(text)  # counted after normalisation, as a question is
                if len(text) > settings.max_question_chars:
                    raise RequestTooLarge(
                        f"a question in the history is {len(text)} characters long; the limit is "
                        f"{settings.max_question_chars} (NQ_MAX_QUESTION_CHARS)",
                        "Một câu hỏi trước đó quá dài; hãy xóa hội thoại và hỏi lại.")
                text = first_words(text, settings.max_question_words)
            turns.append({"role": role, "content": text})
        if total > settings.max_history_chars:
            raise RequestTooLarge(
                f"history holds over {settings.max_history_chars} characters (NQ_MAX_HISTORY_CHARS)",
                "Hội thoại quá dài; hãy xóa hội thoại và hỏi lại.")
    return turns
