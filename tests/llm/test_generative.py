"""LLM mode with LangChain's fake chat models: verified answers, fallbacks, streaming, follow-ups, budget."""

from __future__ import annotations

import re
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from ingest.chunker import count_tokens
from prompts import ANSWER, REFUSAL
from tests.llm.conftest import FOREST_Q, FOREST_QUOTE
from tests.llm.fake_llm import passages


class RecordingChat(FakeListChatModel):
    """FakeListChatModel that records the prompts it is invoked with. In a response, "{n:TEXT}"
    becomes the number of the prompt's passage that contains TEXT; a response starting with
    '!' is raised as that error instead ('!timeout' as a TimeoutError)."""

    seen: list = []

    def _call(self, messages, *args: Any, **kwargs: Any) -> str:
        self.seen.append([m.content for m in messages])
        out = super()._call(messages, *args, **kwargs)
        if out == "!timeout":
            raise TimeoutError("Request timed out.")
        if out.startswith("!"):
            raise RuntimeError(out[1:])
        given = passages([{"role": "user", "content": messages[-1].content}])
        return re.sub(r"\{n:([^}]+)\}", lambda m: str(next(n for n, t in given.items() if m.group(1) in t)), out)


def chat(*responses: str) -> RecordingChat:
    return RecordingChat(responses=list(responses), seen=[])


def test_verified_answer_is_llm_mode_with_renumbered_citations(llm_assistant):
    # the forest target is passage [1]; the answer cites it as [1] (a second, unused citation is not kept)
    a = llm_assistant(chat("Tỷ lệ che phủ rừng được duy trì trên 52% [1]."))
    ans = a.ask(FOREST_Q)
    assert ans.mode == "llm" and ans.found and ans.warnings == []
    assert ans.answer == "Tỷ lệ che phủ rừng được duy trì trên 52% [1]."
    assert [c.quote for c in ans.citations] == [FOREST_QUOTE] and ans.citations[0].n == 1
    prompt = a.llm.model.seen[0]
    assert "[1] (" in prompt[1] and FOREST_QUOTE in prompt[1] and f"Câu hỏi: {FOREST_Q}" in prompt[1]


def test_citations_renumbered_in_order_of_first_citation(llm_assistant):
    a = llm_assistant(chat("Che phủ rừng trên 52% [{n:(25)}], nước sạch đô thị trên 89% [{n:(26)}]."))
    ans = a.ask("tỷ lệ che phủ rừng và tỷ lệ dân số đô thị sử dụng nước sạch")
    given = passages([{"role": "user", "content": a.llm.model.seen[0][1]}])
    drafted = [next(n for n, t in given.items() if t.startswith(k)) for k in ("(25)", "(26)")]
    assert drafted != [1, 2]  # the model's numbers were not already 1, 2: they were renumbered
    assert ans.mode == "llm" and ans.answer == "Che phủ rừng trên 52% [1], nước sạch đô thị trên 89% [2]."
    assert [c.n for c in ans.citations] == [1, 2]
    assert ans.citations[0].quote == FOREST_QUOTE and ans.citations[1].quote.startswith("(26)")


def test_invented_figure_falls_back_to_the_extractive_answer(llm_assistant, assistant):
    ans = llm_assistant(chat("Tỷ lệ che phủ rừng là 60% [1]")).ask(FOREST_Q)
    assert ans.mode == "extractive" and ans.found and "52%" in ans.answer and "60%" not in ans.answer
    assert ans.answer == assistant.ask(FOREST_Q).answer  # exactly the extractive answer
    assert len(ans.warnings) == 1 and "60%" in ans.warnings[0] and "60%" in ans.notes_vi[0]
    assert ans.to_dict()["warnings"] == ans.warnings and ans.to_dict()["mode"] == "extractive"


def test_refusal_is_found_false_without_figures(llm_assistant):
    ans = llm_assistant(chat("Văn bản không có thông tin về tỷ lệ này.")).ask(FOREST_Q)
    assert ans.mode == "llm" and not ans.found and ans.citations == [] and ans.answer == REFUSAL
    ans = llm_assistant(chat("Văn bản không có thông tin, có thể khoảng 60%.")).ask(FOREST_Q)
    assert ans.mode == "extractive" and "60%" in ans.warnings[0]


def test_model_error_falls_back_with_a_warning(llm_assistant):
    ans = llm_assistant(chat("!connection refused")).ask(FOREST_Q)
    assert ans.mode == "extractive" and "52%" in ans.answer
    assert "RuntimeError: connection refused" in ans.warnings[0]


def test_stream_yields_growing_text_then_the_answer(llm_assistant):
    from core.types import Answer

    events = list(llm_assistant(chat("Tỷ lệ che phủ rừng đạt trên 52% [1]")).ask_stream(FOREST_Q))
    texts = [e for e in events if isinstance(e, str)]
    assert len(texts) > 5 and all(b.startswith(a) for a, b in zip(texts, texts[1:]))
    assert texts[-1] == "Tỷ lệ che phủ rừng đạt trên 52% [1]"
    assert isinstance(events[-1], Answer) and events[-1].mode == "llm" and events[-1].citations[0].quote == FOREST_QUOTE
    events = list(llm_assistant(chat("Tỷ lệ che phủ rừng đạt 60% [1]")).ask_stream(FOREST_Q))
    assert isinstance(events[-2], str) and "60%" in events[-2]  # it was shown while streaming...
    assert events[-1].mode == "extractive" and "60%" in events[-1].warnings[0]  # ...then replaced


def test_stream_error_mid_way_falls_back(llm_assistant):
    m = FakeListChatModel(responses=["Tỷ lệ che phủ rừng đạt trên 52% [1]"], error_on_chunk_number=5)
    events = list(llm_assistant(m).ask_stream(FOREST_Q))
    assert isinstance(events[0], str) and events[-1].mode == "extractive" and events[-1].warnings


def test_follow_up_is_condensed_by_the_llm(llm_assistant):
    m = chat("Tỷ lệ hộ nghèo năm 2024 là bao nhiêu?", "Năm 2024 tỷ lệ hộ nghèo giảm còn 2,41% [{n:2,41%}]")
    a = llm_assistant(m)
    ans = a.ask("còn năm 2024 thì sao?", [{"question": "Chỉ tiêu tỷ lệ hộ nghèo năm 2025 là gì?",
                                           "answer": "Tỷ lệ hộ nghèo giảm 1% [1]"}])
    condense, answer = m.seen
    assert "Người dùng: Chỉ tiêu tỷ lệ hộ nghèo năm 2025 là gì?" in condense[1]
    assert "Trợ lý: Tỷ lệ hộ nghèo giảm 1% [1]" in condense[1] and "Câu hỏi tiếp theo: còn năm 2024 thì sao?" in condense[1]
    assert "Câu hỏi: Tỷ lệ hộ nghèo năm 2024 là bao nhiêu?" in answer[1]  # the standalone question is asked
    assert ans.question == "còn năm 2024 thì sao?"
    assert ans.mode == "llm" and "2,41%" in ans.answer and "tỷ lệ hộ nghèo giảm còn 2,41%" in ans.citations[0].quote


def test_condense_failure_carries_the_topic_over(llm_assistant):
    m = chat("!bad gateway", "Năm 2024 tỷ lệ hộ nghèo giảm còn 2,41% [{n:2,41%}]")
    ans = llm_assistant(m).ask("còn năm 2024 thì sao?", [{"question": "Chỉ tiêu tỷ lệ hộ nghèo năm 2025 là gì?"}])
    # the extractive carry-over: the new year replaces the old one in the previous question
    assert "Câu hỏi: còn năm 2024 thì sao? Chỉ tiêu tỷ lệ hộ nghèo năm là gì?" in m.seen[1][1]
    assert ans.mode == "llm" and "2,41%" in ans.answer and "condensing the follow-up failed" in ans.warnings[0]


def test_condense_timeout_goes_straight_to_the_extractive_answer(llm_assistant):
    m = chat("!timeout", "never asked")
    ans = llm_assistant(m).ask("còn năm 2024 thì sao?", [{"question": "Chỉ tiêu tỷ lệ hộ nghèo năm 2025 là gì?"}])
    assert len(m.seen) == 1 and ans.mode == "extractive" and "2,41%" in ans.answer
    assert "did not answer in time" in ans.warnings[0]


@pytest.mark.parametrize("history,question,fact", [
    ([{"question": "Tỷ lệ dân số nông thôn dùng nước hợp vệ sinh năm 2025 là bao nhiêu?"}], "còn nước sạch đô thị?", "89%"),
    ([{"question": "Chỉ tiêu tỷ lệ hộ nghèo năm 2025 là gì?"}], "năm 2024 thì sao?", "2,41%"),
    ([{"role": "user", "content": "Ai ký nghị quyết này?"}, {"role": "assistant", "content": "…"}],
     "ông ấy giữ chức vụ gì?", "BÍ THƯ"),
])
def test_extractive_follow_ups_carry_the_topic(assistant, history, question, fact):
    ans = assistant.ask(question, history)
    assert ans.mode == "extractive" and ans.found and fact in ans.answer


def test_context_budget_fits_the_window(llm_assistant, assistant):
    docs = assistant.retriever.invoke(FOREST_Q)
    from retrieval.hybrid import from_document

    passages = [from_document(d) for d in docs]
    wide = llm_assistant(chat("x"), llm_context_tokens=8192)
    context, used = wide.llm.budget(FOREST_Q, passages)
    assert len(used) == 5 and context.startswith("[1] (") and "\n\n[5] (" in context
    narrow = llm_assistant(chat("x"), llm_context_tokens=1400, llm_answer_tokens=256)
    context, used = narrow.llm.budget(FOREST_Q, passages)
    assert 1 <= len(used) < 5
    prompt = ANSWER.template().format_messages(context=context, question=FOREST_Q)
    total = sum(count_tokens(m.content) for m in prompt) + 32
    assert total + 256 <= 1400
    assert used == passages[:len(used)]  # the best passages, whole, in rank order


def test_reasoning_block_is_dropped(llm_assistant):
    ans = llm_assistant(chat("<think>Có thể là 60%? Không, đoạn [1] ghi 52%.</think>\nTỷ lệ che phủ rừng trên 52% [1]")).ask(FOREST_Q)
    assert ans.mode == "llm" and ans.answer == "Tỷ lệ che phủ rừng trên 52% [1]"


def test_a_name_the_documents_never_mention_is_refused_without_asking_the_model(llm_assistant):
    model = chat("Tỉnh Nghệ An duy trì tỷ lệ che phủ rừng trên 52% [{n:(25)}].")
    ans = llm_assistant(model).ask("Tỉnh Nghệ An đặt chỉ tiêu che phủ rừng bao nhiêu?")
    assert not ans.found and ans.mode == "extractive" and not ans.citations
    assert model.seen == []  # the model was not asked
