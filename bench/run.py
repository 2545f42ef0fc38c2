"""Benchmark: prints ingest time for data/, cold start to first answer (existing index),
p50/p95 answer latency over the gold questions after warm-up, and peak RSS.

  python bench/run.py [--questions eval/gold.jsonl]
  python bench/run.py --library DIR   # DIR + data/ in one index (the library eval's, built if
                                      # needed), eval/gold_library.jsonl asked unscoped after warm-up

Figures, not assertions: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD = """
import time, sys
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from settings import Settings
from answering.chain import Assistant
from pathlib import Path
a = Assistant(Settings.from_env(index_dir=Path({idx!r})))
ans = a.ask("chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?")
assert ans.found
print((time.perf_counter() - t0) * 1000)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", default=str(ROOT / "eval" / "gold.jsonl"))
    parser.add_argument("--library", metavar="DIR", help="benchmark the library of DIR plus data/ instead")
    args = parser.parse_args()
    if args.library:
        return library(Path(args.library))

    from ingest.pipeline import ingest_paths
    from answering.chain import Assistant
    from settings import Settings

    idx = tempfile.mkdtemp(prefix="nq-bench-")
    settings = Settings.from_env(index_dir=Path(idx))
    t = time.perf_counter()
    assistant = Assistant(settings)
    report = ingest_paths([settings.data_dir], assistant.store, settings)
    ingest_s = time.perf_counter() - t

    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", COLD.format(root=str(ROOT), idx=idx)],
                          capture_output=True, text=True, check=True)
    cold_wall_ms = (time.perf_counter() - t) * 1000
    cold_in_process_ms = float(proc.stdout.strip().splitlines()[-1])

    questions = [json.loads(line) for line in open(args.questions, encoding="utf-8") if line.strip()]
    assistant.warm_up()
    lat = []
    for q in questions:
        t = time.perf_counter()
        assistant.ask(q["question"], q.get("history"))
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"ingest data/ ({report.chunks_written} chunks): {ingest_s:.2f} s")
    print(f"cold start to first answer (existing index): {cold_wall_ms / 1000:.2f} s wall "
          f"({cold_in_process_ms / 1000:.2f} s inside the process)")
    print(f"answer latency over {len(lat)} questions: p50 {statistics.median(lat):.1f} ms, "
          f"p95 {lat[int(0.95 * (len(lat) - 1))]:.1f} ms, max {lat[-1]:.1f} ms")
    print(f"peak RSS: {rss_mb:.0f} MB (benchmark process), {child_mb:.0f} MB (cold-start process)")


def library(data_dir: Path) -> None:
    """Answer latency on a library (DIR + data/ in one index), every library gold question asked
    unscoped, after warm-up: the figure of issue 12 (p50 <= 60 ms)."""
    from answering.chain import Assistant
    from eval.corpus import LIBRARY_GOLD, build_index, eval_settings, library_dirs

    settings = eval_settings(data_dir, library=True)
    assistant = Assistant(settings)
    t = time.perf_counter()
    build_index(assistant, library_dirs(data_dir))
    index_s = time.perf_counter() - t
    t = time.perf_counter()
    assistant.warm_up()
    warm_s = time.perf_counter() - t
    questions = [json.loads(line) for line in open(LIBRARY_GOLD, encoding="utf-8") if line.strip()]
    lat = []
    for q in questions:
        t = time.perf_counter()
        assistant.ask(q["question"])
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    docs = len(assistant.store.documents())
    print(f"library: {docs} documents, {assistant.store.count()} chunks (index ready in {index_s:.1f} s, "
          f"warm-up {warm_s:.2f} s)")
    print(f"answer latency over {len(lat)} unscoped library questions: p50 {statistics.median(lat):.1f} ms, "
          f"p95 {lat[int(0.95 * (len(lat) - 1))]:.1f} ms, max {lat[-1]:.1f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
