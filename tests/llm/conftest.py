"""LLM-mode fixtures: assistants sharing the session index, pointed at a scripted model or server."""

from __future__ import annotations

import dataclasses

import pytest

FOREST_Q = "chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu"
FOREST_QUOTE = "(25) Duy trì tỷ lệ che phủ rừng trên 52%"


@pytest.fixture
def llm_assistant(assistant, settings):
    """make(model=None, **settings) -> an Assistant in LLM mode on the session's index.

    With ``model`` (a LangChain fake chat model) that model answers; without, NQ_LLM=openai|ollama
    in the overrides builds the real client."""
    from answering.chain import Assistant

    def make(model=None, **overrides):
        s = dataclasses.replace(settings, **overrides).validated()
        a = Assistant(s, store=assistant.store, llm_model=model)
        a.retriever = assistant.retriever  # the BM25 index is already built
        return a

    return make


def openai_settings(server, **extra) -> dict:
    return {"llm": "openai", "llm_model": "fake-model", "llm_base_url": server.openai_url, "llm_timeout": 5.0, **extra}
