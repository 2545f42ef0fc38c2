"""The one core entry point: ``ask(question, history) -> Answer``.

Underneath is a LangChain Runnable chain. By default (NQ_LLM=none) it is
``question -> retriever -> extractive answerer``. In LLM mode (NQ_LLM=openai|ollama) it is
``question -> retriever -> prompt -> LLM -> parser``, and the generated text is verified
(``answering.verify``) before it becomes the answer; a draft that fails verification, and an
LLM that fails, times out or cannot be reached, give the extractive answer instead, with
``mode: "extractive"`` and a warning saying why. A follow-up is condensed into a standalone
question by the LLM (the extractive carry-over of the topic when that fails).

The UI, the CLI, the HTTP API, ``eval`` and the tests all go through ``Assistant.ask``
(``Assistant.ask_stream`` for the chat bubble that fills as the LLM writes).

``ask(..., docs=[doc ids])`` scopes a question to those documents: the chain's input carries
``docs``, the retriever searches only their chunks, and the answerer (its structural lookups,
IDF weights, the names it knows, the targets table) reads only their BM25 index. An unknown id
is an InputError ("Không tìm thấy văn bản: …").
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

from langchain_core.runnables import RunnableLambda

from errors import LLMError, LLMTimeout, NQError
from ingest.targets import TargetTable
from retrieval.embeddings import get_embeddings
from answering.answerer import NOT_FOUND, Answerer
from answering.extractive import ExtractiveAnswerer
from answering.bounds import bounded_question, say_trimmed, validate_history
from answering.history import history_turns
from answering.library import LibraryAnswerer, attributed, document_name
from retrieval.hybrid import SCOPED_INDEXES, HybridRetriever, from_document
from retrieval.query import PRONOUN_RE, SHIFT_RE, analyse
from retrieval.scope import DocumentScoper, QuestionScope
from answering.table_answers import TableAnswerer
from core.text import content_words, fold, words
from core.types import Answer, Chunk, Passage
from core.vn import ANY_YEAR_RE, all_place_names, is_year_token
from settings import Settings

log = logging.getLogger(__name__)

# Passages the extractive answerer reads. Swept over 8 / 12 / 16 on the whole gold set (bundled and
# the 14 dev documents): 12 and 16 tie on the bundled set (98.2%); on the dev set 12 gives 80.0%,
# 8 gives 78.8% and 16 gives 79.6% (a plan's task under its agency's heading ranks ~10th).
PASSAGES_TO_ANSWER = 12

def previous_question(history: list | None) -> str | None:
    """The last earlier question of the conversation, or None."""
    previous = [text for role, text in history_turns(history) if role == "user"]
    return previous[-1] if previous else None


# "… thì sao?", "… ra sao?": a question that only makes sense against the previous one
THEN_WHAT_RE = re.compile(r"\b(?:thì sao|thi sao|ra sao)\s*\??\s*$", re.I)
# the frame of an elliptical question around its year or place ("còn năm 2024 thì sao?", "năm 2030 đạt bao nhiêu?")
_FRAME_WORDS = frozenset(words("còn thế vậy thì sao ra năm tại ở của với như thế nào là gì đạt được bao nhiêu"))
_PLACES_RE = re.compile(r"(?<!\w)(?:" + "|".join(sorted((re.escape(fold(p)) for p in all_place_names()), key=len,
                                                         reverse=True)) + r")(?!\w)")


def is_bare(question: str) -> bool:
    """A question that names nothing but a year or a place ("năm 2024?", "còn Hà Tĩnh thì sao?")."""
    folded = fold(question)
    rest = _PLACES_RE.sub(" ", folded)
    content = [w for w in content_words(rest) if w not in _FRAME_WORDS and not is_year_token(w)]
    return not content and (rest != folded or any(is_year_token(w) for w in words(question)))


def is_elliptical(question: str) -> bool:
    """Whether the question, by its form, cannot stand on its own: it opens on "còn …"/"vậy"/"thế", points
    back with a pronoun ("ông ấy", "nó"), ends on "thì sao?", or names only a year or a place. Other
    questions are answered on their own first (Assistant._extractive): the answer decides."""
    return bool(SHIFT_RE.match(question) or PRONOUN_RE.search(question) or THEN_WHAT_RE.search(question)
                or is_bare(question))


def carried_over(question: str, previous: str) -> str:
    """The search text of a follow-up: this turn's question followed by the previous one (its year
    dropped when this turn names a year of its own)."""
    if ANY_YEAR_RE.search(question):  # the new year replaces the old one
        previous = ANY_YEAR_RE.sub(" ", previous)
    return " ".join(f"{question} {previous}".split())


def understood_as(question: str, previous: str) -> str:
    """How a carried-over follow-up was read, for the reader ("Hiểu là: …"): a question that changes
    only the year is the previous question with the new year; otherwise both questions, joined."""
    new_years = ANY_YEAR_RE.findall(question)
    old_years = ANY_YEAR_RE.findall(previous)
    if is_bare(question) and new_years and old_years:
        return ANY_YEAR_RE.sub(new_years[0], previous, count=1)
    return f"{question.rstrip(' ?')} (tiếp theo câu hỏi trước: “{previous.rstrip()}”)"


def contextualize(question: str, history: list | None) -> str:
    """Carry the previous topic into a question that cannot stand on its own ("còn năm 2024 thì sao?");
    other questions are returned unchanged."""
    previous = previous_question(history)
    if previous is None or not is_elliptical(question):
        return question
    return carried_over(question, previous)


def _adding(key: str, step) -> RunnableLambda:
    """A chain step that adds ``key: step(x)`` to its input dict (``step``: a function or a Runnable)."""
    run = step.invoke if hasattr(step, "invoke") else step
    return RunnableLambda(lambda x: {**x, key: run(x)}, name=f"add_{key}")


def _chunk_holding(index, c) -> "Chunk | None":
    """The chunk of ``index`` that holds a citation's span: a lookup of the citation's document,
    not a scan of the library."""
    sections = index.memo.get("chunks_by_doc")
    if sections is None:
        sections = {}
        for ch in index.chunks:
            sections.setdefault(ch.doc_id, []).append(ch)
        index.memo["chunks_by_doc"] = sections
    return next((ch for ch in sections.get(c.doc_id, ()) if ch.start <= c.start and c.end <= ch.end), None)


class Assistant:
    """Store + retriever + answerer, loaded once per process.

    ``llm_model`` replaces the chat model NQ_LLM would build (tests pass LangChain's fake chat
    models); giving one turns LLM mode on."""

    def __init__(self, settings: Settings | None = None, retriever_mode: str = "hybrid", store=None,
                 llm_model=None) -> None:
        from vectorstore.chroma_store import ChunkStore

        self.settings = settings or Settings.from_env()
        self.store = store or ChunkStore(self.settings, get_embeddings(self.settings.embeddings, self.settings.embeddings_device))
        self.retriever = HybridRetriever(store=self.store, mode=retriever_mode,
                                         k=max(self.settings.top_k, PASSAGES_TO_ANSWER), candidates=self.settings.candidates)
        # NQ_ANSWERER: the learned answerer (question -> candidates -> features -> rank -> compose,
        # answering/ranker.json) or the hand-written one it replaces once it measures better
        self.answerer = Answerer() if self.settings.answerer == "learned" else ExtractiveAnswerer()
        self.table_answerer = TableAnswerer(lambda: self.table, self._chunk)
        self._scoper: tuple[object, DocumentScoper] | None = None
        # Each step adds to the dict it is given (``RunnablePassthrough.assign`` would run every
        # step in a thread pool of its own: ~3 ms a question here for no parallelism).
        self.chain = (
            _adding("query", lambda x: analyse(x["search"], current=x["question"]))
            | _adding("retrieved", lambda x: self.retriever.invoke(x["search"], docs=x.get("docs")))
            | RunnableLambda(self._answer)
        )
        self.llm = None
        if self.settings.llm != "none" or llm_model is not None:
            from answering.generative import LLMAnswerer

            self.llm = LLMAnswerer(self.settings, model=llm_model)
            # question -> retriever -> (token budget) -> prompt -> LLM -> parser
            self.llm_context = _adding("retrieved", self._retrieve) | RunnableLambda(self._budget)
            self.llm_chain = self.llm_context | _adding("draft", self.llm.generate)

    def _retrieve(self, x: dict) -> list[Passage]:
        """The retriever's passages, with the extractive answer's evidence moved to the front: it
        reads the document's structure (the signature block, a target by its number, a whole group
        of targets, the targets table), which a ranking of passages alone can miss ("người ký giữ
        chức vụ gì"). Unscoped in a library, the evidence is read from the passages' documents."""
        scope = x.get("docs")
        passages = [from_document(d) for d in self.retriever.invoke(x["question"], docs=scope)]
        library = self.retriever.library
        if scope is None and len(library.doc_ids) > 1:
            scope = frozenset(p.chunk.doc_id for p in passages) or None
        evidence = self._answer_from(x["question"], analyse(x["question"]), passages, scope).citations
        index = self.retriever.index(scope)
        first: list[Passage] = []
        for c in evidence:
            chunk = _chunk_holding(index, c)
            if chunk is not None and all(p.chunk.id != chunk.id for p in first):
                ranked = next((p for p in passages if p.chunk.id == chunk.id), None)
                first.append(ranked or Passage(chunk, c.score))
        return first + [p for p in passages if all(p.chunk.id != f.chunk.id for f in first)]

    def _budget(self, x: dict) -> dict:
        context, passages = self.llm.budget(x["question"], x["retrieved"])
        return {"question": x["question"], "context": context, "passages": passages}

    def _answer(self, x: dict) -> Answer:
        """Each candidate document answers on its own, named when the library holds several
        (answering.library); a question across documents gets one table of them."""
        question, query, scope = x["question"], x["query"], x.get("docs")
        passages = [from_document(d) for d in x["retrieved"]]
        library_size = len(self.retriever.library.doc_ids)
        if library_size > 1 and (scope is None or len(scope) > 1):
            # "tỷ lệ che phủ rừng qua các năm", "so sánh … của A và B": one table across documents
            ranked = list(dict.fromkeys(p.chunk.doc_id for p in passages))
            across = self.table_answerer.across(question, query, ranked, scope)
            if across is not None:
                return across
        library = LibraryAnswerer(
            answer_in=lambda q, own, doc: self._answer_from(q, query, own, frozenset({doc})),
            retrieve=lambda q, doc: self.retriever.passages(x["search"], docs=[doc]))
        return (library.answer(question, passages, library_size, named=scope)
                or Answer(question=question, answer=NOT_FOUND, found=False))

    def _answer_from(self, question: str, query, passages: list[Passage],
                     scope: frozenset[str] | None = None) -> Answer:
        """The extractive answer: from the targets table when it answers, else from the passages.
        Both read only the scoped documents; the table reads one document (the passages' best-ranked
        one it fits), or several when the question asks across documents."""
        answerer = self.answerer.bound(self.retriever.index(scope))
        ranked = list(dict.fromkeys(p.chunk.doc_id for p in passages))
        from_table = self.table_answerer.answer(question, query, ranked, scope)
        if from_table is not None:
            return from_table
        return answerer.answer(question, passages, q=query)

    def _chunk(self, chunk_id: str):
        return self.retriever.library.by_id.get(chunk_id)

    @property
    def table(self) -> TargetTable:
        """Targets and results of the indexed documents (each document's table, derived once per
        version of it: ``retrieval.derived``)."""
        return self.retriever.library.table

    def derive_library(self) -> None:
        """After this process wrote to the store: read the new library state and build its derived
        indexes, so the app's processes (and the next CLI command) load them instead of building them."""
        self.store.refresh()
        self.retriever.library

    def documents(self) -> list[dict]:
        """What is indexed, one row per document (sorted by id), as ``ChunkStore.documents`` gives it,
        from the library index (each document's header, read at ingest) and the documents' records:
        no scan of the chunks, whatever the library's size."""
        self.store.refresh()
        library = self.retriever.library
        records = self.store.document_records()
        rows = []
        for d in sorted(library.doc_ids):
            rec = records.get(d) or {}
            rows.append(library.infos[d].listing(d, library.sizes[d], str(rec.get("file") or d),
                                                 str(rec.get("source") or "")))
        return rows

    def ensure_index(self, progress=None) -> int:
        """Ingest the bundled corpus when the index is empty; returns the chunk count."""
        if self.store.count() == 0:
            from ingest.pipeline import ingest_paths

            report = ingest_paths([self.settings.data_dir], self.store, self.settings, progress=progress)
            for name, err in report.failed:
                log.warning("could not ingest %s: %s", name, err)
        return self.store.count()

    def warm_up(self) -> None:
        """Load the embedding model, the library index, each document's own BM25 index (a library
        answers document by document; at most SCOPED_INDEXES of them) and the scoper before the
        first question."""
        self.store.embeddings.embed_query("khởi động")
        docs = sorted(self.retriever.library.doc_ids)
        for doc in docs[:SCOPED_INDEXES]:
            self.retriever.index(frozenset({doc}))
        self.scoper()

    def ask(self, question: str, history: list | None = None, qid: str | None = None,
            docs: Sequence[str] | None = None) -> Answer:
        """Answer one question; ``docs`` (document ids, i.e. file names) limits it to those documents."""
        t0 = time.perf_counter()
        s = self.settings
        question, trimmed = bounded_question(question, s.max_question_chars, s.max_question_words)
        history = validate_history(history, self.settings)
        scope = self._scope(docs)
        if self.llm is None:
            answer = self._extractive(question, history, scope)
        else:
            answer = None
            for answer in self._ask_llm(question, history, stream=False, scope=scope):
                pass
        if trimmed:
            say_trimmed(answer, s.max_question_words)
        answer.latency_ms = (time.perf_counter() - t0) * 1000
        answer.id = qid
        return answer

    def ask_stream(self, question: str, history: list | None = None,
                   docs: Sequence[str] | None = None) -> Iterator[str | Answer]:
        """Like ``ask``, for a chat bubble: in LLM mode it yields the text generated so far (a str)
        as it grows, then the final Answer (verified, or the extractive fallback). In extractive
        mode it yields the Answer alone. Bad input raises InputError before anything is yielded."""
        t0 = time.perf_counter()
        s = self.settings
        question, trimmed = bounded_question(question, s.max_question_chars, s.max_question_words)
        history = validate_history(history, self.settings)
        scope = self._scope(docs)
        if self.llm is None:
            events: Iterator[str | Answer] = iter([self._extractive(question, history, scope)])
        else:
            events = self._ask_llm(question, history, stream=True, scope=scope)
        for event in events:
            if isinstance(event, Answer):
                if trimmed:
                    say_trimmed(event, s.max_question_words)
                event.latency_ms = (time.perf_counter() - t0) * 1000
            yield event

    def _scope(self, docs: Sequence[str] | None) -> frozenset[str] | None:
        # each request reads the library's state from Chroma once: a document another process
        # added, replaced or removed is seen by this question (derived indexes rebuild)
        self.store.refresh()
        return self.retriever.scope(docs)

    def scoper(self) -> DocumentScoper:
        """Reads the documents a question names; built once per library state."""
        library = self.retriever.library
        held = self._scoper
        if held is None or held[0] is not library:
            held = (library, DocumentScoper(infos=library.infos, mentioned=library.mentions))
            self._scoper = held
        return held[1]

    def question_scope(self, question: str, scope: frozenset[str] | None) -> QuestionScope:
        """The explicit scope when given; else the documents the question names (a filter)."""
        if scope is not None:
            return QuestionScope(scope)
        return self.scoper().scope(question)

    @staticmethod
    def _missing(question: str, named: QuestionScope) -> Answer:
        what = ", ".join(dict.fromkeys(named.missing))
        return Answer(question=question, found=False,
                      answer=f"{NOT_FOUND} Thư viện chưa có văn bản được nêu trong câu hỏi ({what}).")

    def _extractive(self, question: str, history: list | None, scope: frozenset[str] | None = None) -> Answer:
        """A question that stands on its own is answered on its own. The previous question's topic is
        carried into a question that cannot be: one elliptical by its form (is_elliptical), or one the
        documents do not answer alone while they answer it read as a follow-up. A carried-over answer
        says how the question was understood (``Answer.understood``)."""
        previous = previous_question(history)
        if previous is None:
            return self._extractive_search(question, question, scope)
        carried = carried_over(question, previous)
        if not is_elliptical(question):
            alone = self._extractive_search(question, question, scope)
            if alone.found:
                return alone
            answer = self._extractive_search(question, carried, scope)
            if not answer.found:
                return alone
        else:
            answer = self._extractive_search(question, carried, scope)
        answer.understood = understood_as(question, previous)
        log.info("follow-up %r understood as %r", question, answer.understood)
        return answer

    def _extractive_search(self, question: str, search: str, scope: frozenset[str] | None) -> Answer:
        named = self.question_scope(search, scope)
        if named.docs is None and named.missing:
            return self._missing(question, named)
        return self.chain.invoke({"question": question, "search": search, "docs": named.docs})

    def _fallback(self, question: str, history: list | None, warnings: list[str], notes_vi: list[str],
                  scope: frozenset[str] | None = None) -> Answer:
        answer = self._extractive(question, history, scope)
        answer.mode = "extractive"
        answer.warnings = list(warnings)
        answer.notes_vi = list(notes_vi)
        return answer

    def _ask_llm(self, question: str, history: list | None, stream: bool,
                 scope: frozenset[str] | None = None) -> Iterator[str | Answer]:
        from answering.generative import Draft, llm_failure

        warnings: list[str] = []
        notes_vi: list[str] = []
        standalone = question
        if history_turns(history):
            try:
                standalone = self.llm.condense(question, history)
                log.info("follow-up condensed: %r -> %r", question, standalone)
            except LLMTimeout as exc:  # the server is not answering: asking it again would only wait twice
                log.info("condensing failed, extractive answer: %s", exc)
                yield self._fallback(question, history, [f"condensing the follow-up failed: {exc}"],
                                     [exc.message_vi], scope)
                return
            except LLMError as exc:
                log.info("condensing failed, topic carried over instead: %s", exc)
                warnings.append(f"condensing the follow-up failed ({exc}); the previous question's topic was "
                                f"carried over instead")
                standalone = " ".join(contextualize(question, history).split())
        # A question naming what the documents never mention ("Nghệ An", "CPI") is refused as the
        # extractive answerer refuses it: a model would answer from the nearest passages anyway,
        # and a wrong answer with no figure in it would pass the figure check.
        named = self.question_scope(standalone, scope)
        if named.docs is None and named.missing:
            yield self._missing(question, named)
            return
        scope = named.docs
        unknown = self.answerer.bound(self.retriever.index(scope)).unknown_name(standalone)
        if unknown:
            yield self._fallback(question, history, warnings, notes_vi, scope)
            return
        deadline = time.monotonic() + self.settings.llm_timeout
        try:
            if stream:
                # The same chain, its last step streamed: prompt -> LLM -> text, token by token.
                # Closing the generator on the deadline closes the HTTP response at once.
                state = self.llm_context.invoke({"question": standalone, "docs": scope})
                text = ""
                tokens = self.llm.stream_text(state)
                try:
                    for delta in tokens:
                        if delta:
                            text += delta
                            yield text
                        if time.monotonic() > deadline:
                            raise LLMTimeout(f"the LLM did not finish within NQ_LLM_TIMEOUT="
                                             f"{self.settings.llm_timeout:g} s")
                finally:
                    tokens.close()
                state["draft"] = text
            else:
                state = self.llm_chain.invoke({"question": standalone, "docs": scope})
        except NQError as exc:
            if not isinstance(exc, LLMError):  # the store, the input: not the LLM's doing
                raise
            log.info("LLM answer failed, extractive answer: %s", exc)
            yield self._fallback(question, history, warnings + [str(exc)], notes_vi + [exc.message_vi], scope)
            return
        except Exception as exc:  # any failure of the LLM side: the extractive answer is the safety net
            err = llm_failure(exc)
            log.info("LLM answer failed, extractive answer: %s", err)
            yield self._fallback(question, history, warnings + [str(err)], notes_vi + [err.message_vi], scope)
            return
        draft = Draft(question=standalone, passages=state.get("passages", []), text=state.get("draft", ""),
                      warnings=warnings)
        answer, check = self.llm.finish(question, draft)
        if answer is None:
            log.info("generated answer rejected, extractive answer: %s", "; ".join(check.problems))
            yield self._fallback(question, history, warnings + check.problems, notes_vi + check.problems_vi, scope)
            return
        if words(standalone) != words(question):  # the model read it as a follow-up: say how
            answer.understood = standalone
        yield self._named(answer, draft.passages)

    def _named(self, answer: Answer, passages: list[Passage]) -> Answer:
        """A generated answer names its documents once the library holds several: cited from one,
        on a first line ("Theo …:"); cited from several, a last line says which citation is from
        which document, so no answer blends documents without naming them."""
        docs = list(dict.fromkeys(c.doc_id or c.doc for c in answer.citations))
        if not answer.found or not docs or len(self.retriever.library.doc_ids) <= 1:
            return answer
        chunks = {p.chunk.doc_id: p.chunk for p in passages}
        names = {d: document_name(chunks[d].info, d) if d in chunks else d for d in docs}
        if len(docs) == 1:
            return attributed(answer, names[docs[0]])
        sources = "; ".join(f"[{c.n}] {names[c.doc_id or c.doc]}" for c in answer.citations)
        return replace(answer, answer=f"{answer.answer}\nNguồn: {sources}.")


_assistant: Assistant | None = None


def get_assistant(settings: Settings | None = None) -> Assistant:
    global _assistant
    if _assistant is None:
        _assistant = Assistant(settings)
    return _assistant


def ask(question: str, history: list | None = None) -> Answer:
    return get_assistant().ask(question, history)
