"""The one core entry point: ``ask(question, history) -> Answer``.

Underneath is a LangChain Runnable chain ``question -> retriever -> answerer``; the UI,
the CLI, the HTTP API, ``eval`` and the tests all go through ``Assistant.ask``.
"""

from __future__ import annotations

import logging
import re
import time
from threading import Lock
from typing import Any

from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from errors import InputError
from ingest.targets import TargetTable
from retrieval.embeddings import get_embeddings
from retrieval.extractive import ExtractiveAnswerer
from retrieval.hybrid import HybridRetriever, from_document
from retrieval.query import PRONOUN_RE, SHIFT_RE, analyse
from retrieval.table_answers import TableAnswerer
from retrieval.textnorm import content_words
from retrieval.types import Answer
from settings import Settings

log = logging.getLogger(__name__)

_YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")


def _turn_question(turn: Any) -> str:
    if isinstance(turn, str):
        return turn
    if isinstance(turn, dict):
        if turn.get("role") == "user":
            return str(turn.get("content", ""))
        return str(turn.get("question", ""))
    if isinstance(turn, (list, tuple)) and turn:
        return str(turn[0])
    return ""


def contextualize(question: str, history: list | None) -> str:
    """Carry the previous topic into an elliptical follow-up ("còn năm 2024 thì sao?")."""
    previous = [q for q in (_turn_question(t) for t in (history or [])) if q.strip()]
    if not previous:
        return question
    elliptical = (SHIFT_RE.match(question) or PRONOUN_RE.search(question)
                  or len(content_words(question)) <= 3)
    if not elliptical:
        return question
    prev = previous[-1]
    if _YEAR_RE.search(question):  # the new year replaces the old one
        prev = _YEAR_RE.sub(" ", prev)
    return f"{question} {prev}"


def validate_question(question: Any, max_chars: int) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InputError("question is empty", "Vui lòng nhập câu hỏi.")
    question = " ".join(question.split())
    if len(question) > max_chars:
        raise InputError(
            f"question is {len(question)} characters long; the limit is {max_chars} (NQ_MAX_QUESTION_CHARS)",
            f"Câu hỏi quá dài ({len(question)} ký tự); tối đa {max_chars} ký tự.",
        )
    return question


class Assistant:
    """Store + retriever + answerer, loaded once per process."""

    def __init__(self, settings: Settings | None = None, retriever_mode: str = "hybrid", store=None) -> None:
        from vectorstore.chroma_store import ChunkStore

        self.settings = settings or Settings.from_env()
        self.store = store or ChunkStore(self.settings, get_embeddings(self.settings.embeddings))
        self.retriever = HybridRetriever(store=self.store, mode=retriever_mode,
                                         k=max(self.settings.top_k, 8), candidates=self.settings.candidates)
        self.answerer = ExtractiveAnswerer()
        self.table_answerer = TableAnswerer(lambda: self.table, self._chunk)
        self._lock = Lock()
        self._table: TargetTable | None = None
        self._table_source: object | None = None
        self.chain = (
            RunnablePassthrough.assign(query=lambda x: analyse(x["search"], current=x["question"]))
            | RunnablePassthrough.assign(docs=lambda x: self.retriever.invoke(x["search"]))
            | RunnableLambda(self._answer)
        )

    def _answer(self, x: dict) -> Answer:
        self.answerer.bm25 = self.retriever.bm25
        passages = [from_document(d) for d in x["docs"]]
        doc = passages[0].chunk.doc_id if passages else None
        from_table = self.table_answerer.answer(x["question"], x["query"], doc)
        if from_table is not None:
            return from_table
        return self.answerer.answer(x["question"], passages, q=x["query"])

    def _chunk(self, chunk_id: str):
        return self.retriever.bm25.by_id.get(chunk_id)

    @property
    def table(self) -> TargetTable:
        """Targets and results of the indexed documents, rebuilt whenever the collection changed."""
        bm25 = self.retriever.bm25  # the same chunks, re-read whenever the collection changed
        if self._table is None or self._table_source is not bm25:
            self._table = TargetTable.from_chunks(bm25.chunks)
            self._table_source = bm25
        return self._table

    def ensure_index(self, progress=None) -> int:
        """Ingest the bundled corpus when the index is empty; returns the chunk count."""
        if self.store.count() == 0:
            from ingest.pipeline import ingest_paths

            report = ingest_paths([self.settings.data_dir], self.store, self.settings, progress=progress)
            for name, err in report.failed:
                log.warning("could not ingest %s: %s", name, err)
        return self.store.count()

    def warm_up(self) -> None:
        """Load the embedding model and the BM25 index before the first question."""
        self.store.embeddings.embed_query("khởi động")
        _ = self.retriever.bm25

    def ask(self, question: str, history: list | None = None, qid: str | None = None) -> Answer:
        t0 = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        search = contextualize(question, history)
        with self._lock:  # the C embedder and bm25s are not re-entrant
            answer: Answer = self.chain.invoke({"question": question, "search": search})
        answer.latency_ms = (time.perf_counter() - t0) * 1000
        answer.id = qid
        return answer


_assistant: Assistant | None = None


def get_assistant(settings: Settings | None = None) -> Assistant:
    global _assistant
    if _assistant is None:
        _assistant = Assistant(settings)
    return _assistant


def ask(question: str, history: list | None = None) -> Answer:
    return get_assistant().ask(question, history)
