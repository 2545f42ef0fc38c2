"""LLM mode against a real HTTP server on 127.0.0.1 (tests/llm/fake_llm.py) speaking the OpenAI
chat-completions protocol (JSON and SSE streaming) and Ollama's /api/chat, with scripted replies."""

from __future__ import annotations

import time

import pytest

from core.types import Answer
from tests.conftest import free_port
from tests.llm.conftest import FOREST_Q, FOREST_QUOTE, openai_settings
from tests.llm.fake_llm import Reply, ScriptedLLM, asked, is_condense, passages

RIGHT = "Tỷ lệ che phủ rừng đạt trên 52% [1]"


def forest_first(messages) -> str:
    """The right answer, citing whichever passage holds the forest target."""
    n = next(n for n, t in passages(messages).items() if t.startswith("(25)"))
    return f"Theo nghị quyết, năm 2025 duy trì tỷ lệ che phủ rừng trên 52% [{n}]."


def test_correct_cited_answer(llm_assistant):
    with ScriptedLLM(forest_first) as llm:
        ans = llm_assistant(**openai_settings(llm)).ask(FOREST_Q)
    assert ans.mode == "llm" and ans.found and ans.warnings == []
    assert ans.answer == "Theo nghị quyết, năm 2025 duy trì tỷ lệ che phủ rừng trên 52% [1]."
    assert ans.citations[0].quote == FOREST_QUOTE and ans.citations[0].section.endswith("Về môi trường")
    (req,) = llm.requests
    assert req["path"] == "/v1/chat/completions" and req["body"]["model"] == "fake-model"
    assert not req["body"].get("stream") and req["body"]["temperature"] == 0
    assert [m["role"] for m in req["body"]["messages"]] == ["system", "user"]
    assert len(passages(req["body"]["messages"])) == 5 and asked(req["body"]["messages"]) == FOREST_Q


def test_invented_figure(llm_assistant):
    with ScriptedLLM("Tỷ lệ che phủ rừng là 60% [1]") as llm:
        ans = llm_assistant(**openai_settings(llm)).ask(FOREST_Q)
    assert ans.mode == "extractive" and "52%" in ans.answer and ans.citations[0].quote == FOREST_QUOTE
    assert "60%" in ans.warnings[0]


def test_citation_of_a_passage_not_given(llm_assistant):
    with ScriptedLLM("Tỷ lệ che phủ rừng trên 52% [9]") as llm:
        ans = llm_assistant(**openai_settings(llm, top_k=3)).ask(FOREST_Q)
        assert len(passages(llm.requests[0]["body"]["messages"])) == 3
    assert ans.mode == "extractive" and "52%" in ans.answer
    assert ans.warnings == ["the answer cites [9] but only passages [1]..[3] were given"]


def test_timeout_falls_back_quickly(llm_assistant):
    with ScriptedLLM(Reply(RIGHT, delay=4)) as llm:
        t0 = time.monotonic()
        ans = llm_assistant(**openai_settings(llm, llm_timeout=1.0)).ask(FOREST_Q)
        elapsed = time.monotonic() - t0
    assert ans.mode == "extractive" and "52%" in ans.answer and elapsed < 3.5
    assert "did not answer in time" in ans.warnings[0] and len(llm.requests) == 1  # no retries


def test_http_500_falls_back(llm_assistant):
    with ScriptedLLM(Reply(status=500)) as llm:
        ans = llm_assistant(**openai_settings(llm)).ask(FOREST_Q)
    assert ans.mode == "extractive" and "52%" in ans.answer
    assert "500" in ans.warnings[0] and len(llm.requests) == 1


def test_http_401_puts_no_key_fragment_in_warnings_or_logs(llm_assistant, caplog):
    error = "Incorrect API key provided: sk-LEAKT***abcd. You can find your API key at https://x.test/keys."
    caplog.set_level("INFO")
    with ScriptedLLM(Reply(status=401, error=error)) as llm:
        ans = llm_assistant(**openai_settings(llm, llm_api_key="sk-LEAKTESTSECRET123abcd")).ask(FOREST_Q)
    assert ans.mode == "extractive" and "52%" in ans.answer and "401" in ans.warnings[0]
    shown = " ".join(ans.warnings + ans.notes_vi) + caplog.text
    assert "[redacted]" in ans.warnings[0]
    for fragment in ("LEAKT", "***", "sk-", "abcd"):
        assert fragment not in shown, fragment


def test_unreachable_server_falls_back(llm_assistant):
    s = {"llm": "openai", "llm_model": "m", "llm_base_url": f"http://127.0.0.1:{free_port()}/v1", "llm_timeout": 2.0}
    ans = llm_assistant(**s).ask(FOREST_Q)
    assert ans.mode == "extractive" and "52%" in ans.answer and "LLM call failed" in ans.warnings[0]


def test_streaming_sse(llm_assistant):
    with ScriptedLLM(lambda m: forest_first(m)) as llm:
        events = list(llm_assistant(**openai_settings(llm)).ask_stream(FOREST_Q))
        assert llm.requests[0]["body"]["stream"] is True
    texts = [e for e in events if isinstance(e, str)]
    assert len(texts) >= 10 and texts[0] == "Theo " and texts[-1].endswith("52% [1].")
    final = events[-1]
    assert isinstance(final, Answer) and final.mode == "llm" and final.citations[0].quote == FOREST_QUOTE


def test_streaming_timeout_between_chunks(llm_assistant):
    with ScriptedLLM(Reply(RIGHT, chunk_delay=0.4)) as llm:
        t0 = time.monotonic()
        events = list(llm_assistant(**openai_settings(llm, llm_timeout=1.0)).ask_stream(FOREST_Q))
    assert time.monotonic() - t0 < 3.5
    assert isinstance(events[0], str) and events[-1].mode == "extractive" and "NQ_LLM_TIMEOUT" in events[-1].warnings[0]


def test_follow_up_through_the_server(llm_assistant):
    def script(messages):
        if is_condense(messages):
            return "Tỷ lệ dân số đô thị sử dụng nước sạch năm 2025 là bao nhiêu?"
        n = next(n for n, t in passages(messages).items() if "nước sạch đạt trên 89%" in t)
        return f"Tỷ lệ dân số đô thị sử dụng nước sạch đạt trên 89% [{n}]."

    with ScriptedLLM(script) as llm:
        ans = llm_assistant(**openai_settings(llm)).ask(
            "còn nước sạch đô thị?", [{"question": "Tỷ lệ dân số nông thôn dùng nước hợp vệ sinh năm 2025 là bao nhiêu?"}])
        condense, answer = (r["body"]["messages"] for r in llm.requests)
    assert asked(condense) == "còn nước sạch đô thị?" and "Tỷ lệ dân số nông thôn" in condense[-1]["content"]
    assert asked(answer) == "Tỷ lệ dân số đô thị sử dụng nước sạch năm 2025 là bao nhiêu?"
    assert ans.mode == "llm" and "89%" in ans.answer and ans.citations[0].quote.startswith("(26)")


@pytest.mark.parametrize("stream", [False, True])
def test_ollama_protocol(llm_assistant, stream):
    with ScriptedLLM(forest_first) as llm:
        a = llm_assistant(llm="ollama", llm_model="qwen2.5", llm_base_url=llm.url, llm_timeout=5.0)
        ans = list(a.ask_stream(FOREST_Q))[-1] if stream else a.ask(FOREST_Q)
        (req,) = [r for r in llm.requests if r["path"] == "/api/chat"]
    assert req["body"]["model"] == "qwen2.5" and req["body"]["options"]["num_ctx"] == 4096
    assert ans.mode == "llm" and ans.citations[0].quote == FOREST_QUOTE and "52%" in ans.answer


def test_ollama_failure_falls_back(llm_assistant):
    with ScriptedLLM(Reply(status=500)) as llm:
        ans = llm_assistant(llm="ollama", llm_model="qwen2.5", llm_base_url=llm.url, llm_timeout=5.0).ask(FOREST_Q)
    assert ans.mode == "extractive" and "52%" in ans.answer and ans.warnings
