"""The chat model of LLM mode: ChatOpenAI (any OpenAI-compatible server) or ChatOllama.

Calls go only to the configured base URL, with the configured timeout and no retries
(a slow server must fall back to the extractive answer quickly, not be asked again).
"""

from __future__ import annotations

from settings import Settings

# Local OpenAI-compatible servers (vLLM, llama.cpp) accept any key, but the client needs one.
_PLACEHOLDER_KEY = "not-needed"


def chat_model(settings: Settings):
    """A LangChain chat model for ``settings.llm`` ('openai' or 'ollama'), deterministic (temperature 0).

    ``streaming`` is left unset on purpose: ``invoke`` then makes one plain request and ``stream``
    an SSE one (setting ``streaming=False`` would turn streaming off for ``stream`` too)."""
    if settings.llm == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:  # pragma: no cover - install problem
            raise ImportError("NQ_LLM=openai needs langchain-openai: pip install -r requirements.txt") from exc
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_url,
            api_key=settings.llm_api_key or _PLACEHOLDER_KEY,
            timeout=settings.llm_timeout,
            max_retries=0,
            temperature=0,
            max_tokens=settings.llm_answer_tokens,
        )
    if settings.llm == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:  # pragma: no cover - install problem
            raise ImportError("NQ_LLM=ollama needs langchain-ollama: pip install -r requirements.txt") from exc
        headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_url,
            temperature=0,
            num_ctx=settings.llm_context_tokens,
            num_predict=settings.llm_answer_tokens,
            client_kwargs={"timeout": settings.llm_timeout, "headers": headers},
        )
    raise ValueError(f"no chat model for NQ_LLM={settings.llm!r}")
