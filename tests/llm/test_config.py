"""LLM settings are validated early; prompts name their variables; the chat clients are built as configured."""

from __future__ import annotations

import pytest

from errors import ConfigError
from settings import Settings

OK = {"NQ_LLM": "openai", "NQ_LLM_MODEL": "m", "NQ_LLM_BASE_URL": "http://127.0.0.1:9/v1"}


@pytest.fixture
def env(monkeypatch):
    """env(**NQ_vars) -> Settings.from_env() with exactly those LLM variables set."""
    def set_(**values):
        for k in ("NQ_LLM", "NQ_LLM_MODEL", "NQ_LLM_BASE_URL", "NQ_LLM_API_KEY", "NQ_LLM_TIMEOUT",
                  "NQ_LLM_CONTEXT_TOKENS", "NQ_LLM_ANSWER_TOKENS"):
            monkeypatch.delenv(k, raising=False)
        for k, v in values.items():
            monkeypatch.setenv(k, v)
        return Settings.from_env()

    return set_


@pytest.mark.parametrize("values,message", [
    ({"NQ_LLM": "gpt"}, "NQ_LLM must be one of none, openai, ollama, got 'gpt'"),
    ({"NQ_LLM": "openai", "NQ_LLM_BASE_URL": "http://x/v1"}, "NQ_LLM=openai needs NQ_LLM_MODEL"),
    ({"NQ_LLM": "ollama"}, "NQ_LLM=ollama needs NQ_LLM_MODEL"),
    ({**OK, "NQ_LLM_BASE_URL": "127.0.0.1:8000"}, "NQ_LLM_BASE_URL must start with http:// or https://, got '127.0.0.1:8000'"),
    ({**OK, "NQ_LLM_BASE_URL": ""}, "needs NQ_LLM_API_KEY"),
    ({**OK, "NQ_LLM_TIMEOUT": "soon"}, "NQ_LLM_TIMEOUT must be a number, got 'soon'"),
    ({**OK, "NQ_LLM_TIMEOUT": "0"}, "NQ_LLM_TIMEOUT must be > 0, got 0"),
    ({**OK, "NQ_LLM_CONTEXT_TOKENS": "100"}, "NQ_LLM_CONTEXT_TOKENS must be >= 512, got 100"),
    ({**OK, "NQ_LLM_CONTEXT_TOKENS": "1024", "NQ_LLM_ANSWER_TOKENS": "512"}, "raise NQ_LLM_CONTEXT_TOKENS"),
])
def test_bad_llm_settings_name_the_value_and_the_fix(env, values, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        env(**values)


def test_good_llm_settings(env):
    s = env(**OK, NQ_LLM_TIMEOUT="2.5", NQ_LLM_CONTEXT_TOKENS="8192")
    assert (s.llm, s.llm_model, s.llm_url, s.llm_timeout, s.llm_context_tokens) == (
        "openai", "m", "http://127.0.0.1:9/v1", 2.5, 8192)
    assert env(NQ_LLM="OLLAMA", NQ_LLM_MODEL="qwen").llm_url == "http://127.0.0.1:11434"
    assert env(NQ_LLM="none").llm == "none"


def test_chat_clients_are_built_as_configured(env):
    from langchain_ollama import ChatOllama
    from langchain_openai import ChatOpenAI

    from answering.llm import chat_model

    m = chat_model(env(**OK, NQ_LLM_TIMEOUT="3"))
    assert isinstance(m, ChatOpenAI)
    assert (m.openai_api_base, m.model_name, m.request_timeout, m.max_retries, m.temperature) == (
        "http://127.0.0.1:9/v1", "m", 3.0, 0, 0)
    o = chat_model(env(NQ_LLM="ollama", NQ_LLM_MODEL="qwen", NQ_LLM_BASE_URL="http://127.0.0.1:9", NQ_LLM_TIMEOUT="4"))
    assert isinstance(o, ChatOllama)
    assert (o.base_url, o.model, o.client_kwargs["timeout"], o.num_ctx) == ("http://127.0.0.1:9", "qwen", 4.0, 4096)


def test_prompts_name_their_variables():
    from prompts import ANSWER, CONDENSE, REFUSAL, Prompt

    assert set(ANSWER.template().input_variables) == {"context", "question"}
    assert set(CONDENSE.template().input_variables) == {"history", "question"}
    assert REFUSAL in ANSWER.system and "[1]" in ANSWER.system
    broken = Prompt("broken", "Trả lời từ các đoạn trích.", "Câu hỏi: {question}", required=("context", "question"))
    with pytest.raises(ConfigError, match=r"prompt 'broken' uses variables \['question'\], but requires \['context', 'question'\]"):
        broken.template()
    messages = ANSWER.template().format_messages(context="[1] (NQ)\nabc", question="q?")
    assert [m.type for m in messages] == ["system", "human"] and "[1] (NQ)\nabc" in messages[1].content
