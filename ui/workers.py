"""Answer workers: ``python app.py serve --workers N`` answers questions in N processes.

Answering is CPU work that holds Python's GIL (the extractive answerer, BM25, the scoper; the
embedder releases it), so threads of one process use one core. With ``--workers N`` the server
process keeps the page, the API, the Gradio sessions and the uploads (Gradio keeps a session's state
in the process that opened it, so one process must serve a browser's calls), and hands every
question to one of N worker processes, each with its own ``Assistant`` on the same index: the
embedded index's folder (read by every worker; a write by any process is seen at the next question,
vectorstore.chroma_store) or one Chroma server. The derived indexes are built once for all of them
(retrieval.derived keeps them on disk under a file lock).

Each worker's embedder gets ``cores // N`` OpenMP threads (at least one), so N workers do not
oversubscribe the cores. When a worker dies the workers are started again and the questions in
flight are asked again; a question that brings a worker down twice gets a 503-class error
(``WorkerFailure``). In LLM mode the streamed chat answer is
written by the server process itself (the LLM call is I/O, not CPU); every other question goes to
the workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from core.types import Answer
from errors import WorkerFailure
from settings import Settings

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 600  # a worker loads the models and the library index before it answers (~2 s here)


_assistant = None  # the worker process's own Assistant


def _threads_per_worker(workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // workers)


def _exit_with_parent(parent: int) -> None:
    """A worker never outlives the server: on Linux the kernel signals it when the server dies
    (prctl PR_SET_PDEATHSIG); elsewhere, and as a net, a thread checks the parent every second."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _init_worker(settings: Settings, threads: int, parent: int) -> None:
    _exit_with_parent(parent)
    os.environ["OMP_NUM_THREADS"] = str(threads)  # read by the embedder's OpenMP runtime as it loads
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s[worker]: %(message)s")
    from answering.chain import Assistant

    global _assistant
    _assistant = Assistant(settings)
    _assistant.warm_up()


def _ready() -> int:
    time.sleep(0.05)  # long enough for the other workers to take the other probes
    return os.getpid()


def _ask(question: str, history: list | None, qid: str | None, docs: Sequence[str] | None) -> Answer:
    return _assistant.ask(question, history, qid=qid, docs=docs)


class AnswerPool:
    """N worker processes answering ``ask`` calls; replaced when one dies."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        self.workers = workers
        self._lock = threading.Lock()
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_worker,
                                       initargs=(self.settings, _threads_per_worker(self.workers), os.getpid()))
        # every worker started and warmed up before the first question
        deadline = time.monotonic() + READY_TIMEOUT_S
        pids: set[int] = set()
        try:
            while len(pids) < self.workers and time.monotonic() < deadline:
                futures = [executor.submit(_ready) for _ in range(self.workers)]
                pids |= {f.result(timeout=max(1.0, deadline - time.monotonic())) for f in futures}
        except Exception as exc:  # a worker that cannot load the index or the models
            _stop(executor)
            raise WorkerFailure(f"the answer workers could not start ({type(exc).__name__}: {exc}); "
                                f"see the log above for the worker's error") from exc
        log.info("%d answer workers ready (pids %s, %d OpenMP threads each)", len(pids), sorted(pids),
                 _threads_per_worker(self.workers))
        return executor

    def ask(self, question: str, history: list | None = None, qid: str | None = None,
            docs: Sequence[str] | None = None) -> Answer:
        """The answer of a worker. When a worker dies the pool is unusable for every question in it
        (concurrent.futures' rule), so it is started again and the question asked once more; a
        question that brings a worker down twice gets WorkerFailure."""
        args = (question, history, qid, list(docs) if docs is not None else None)
        for attempt in (1, 2):
            executor = self._executor
            try:
                return executor.submit(_ask, *args).result()
            except BrokenProcessPool as exc:
                self._restart(executor, exc)
                if attempt == 2:
                    raise WorkerFailure("an answer worker stopped twice while answering this question") from exc
        raise AssertionError("unreachable")

    def _restart(self, broken: ProcessPoolExecutor, exc: BaseException) -> None:
        with self._lock:
            if self._executor is broken:  # the first thread to see it starts the workers again
                log.error("an answer worker died (%s); starting the workers again", exc)
                _stop(broken)
                self._executor = self._start()

    def close(self) -> None:
        _stop(self._executor)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Shut a pool down and end its processes: a broken pool's survivors would otherwise wait for
    work that never comes."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()


class PooledAssistant:
    """The server process's Assistant, with questions answered by the workers. Everything else
    (the documents, the targets table, briefings, uploads, LLM streaming) is the server's own."""

    def __init__(self, assistant, pool: AnswerPool) -> None:
        self._assistant = assistant
        self.pool = pool

    def __getattr__(self, name):
        return getattr(self._assistant, name)

    def _checked(self, question, history):
        from answering.bounds import validate_history, validate_question

        # checked here too, before anything crosses to a worker; the worker bounds the question itself
        # again, and says so in its answer when it trims it
        s = self._assistant.settings
        validate_question(question, s.max_question_chars, s.max_question_words)
        return question, validate_history(history, s)

    def ask(self, question: str, history: list | None = None, qid: str | None = None,
            docs: Sequence[str] | None = None) -> Answer:
        question, history = self._checked(question, history)
        return self.pool.ask(question, history, qid, docs)

    def ask_stream(self, question: str, history: list | None = None,
                   docs: Sequence[str] | None = None) -> Iterator[str | Answer]:
        if self._assistant.llm is not None:
            yield from self._assistant.ask_stream(question, history, docs=docs)
            return
        yield self.ask(question, history, docs=docs)
