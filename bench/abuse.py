"""Abuse: one victim asks short questions on POST /api/ask while attackers flood the API with long ones;
prints the victim's latency (p50/p95) and errors, and what the attackers got. Loopback only, bounded.

  python bench/abuse.py                          # starts `python app.py` on 127.0.0.1 (NQ_INDEX_DIR)
  python bench/abuse.py --url http://127.0.0.1:7860

Clients are told apart by their address (ui.fairness), so each one here connects from its own
loopback address (Linux routes all of 127.0.0.0/8 to lo): the victim from 127.0.0.1, the attackers from
127.0.0.2 up. Three phases, each with ``--victim`` questions asked one after another:

  alone   the victim alone (the baseline);
  resets  one attacker sends ``--resets`` 2,000-character questions and resets each connection
          ``RESET_AFTER_S`` after sending it (issue 23: 100 such requests cost 0.5 s of the attacker's
          time and pushed another user's answer to 12.8-23 s);
  clients ``--clients`` attackers, each asking 2,000-character questions back to back (issue 23: 8
          chat clients pushed a normal answer to 10.3 s).

Figures, not assertions; the exit code is 1 when a victim's question failed.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import struct
import sys
import threading
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from load import APP_START_TIMEOUT_S, percentile, serving  # noqa: E402

VICTIM = "127.0.0.1"
RESET_AFTER_S = 0.005  # the tester's figure: each connection reset 5 ms after sending
# a question at the API's bound (NQ_MAX_QUESTION_CHARS' default), of words the index knows
LONG_QUESTION = ("tỷ lệ hộ nghèo năm 2025 giảm bao nhiêu phần trăm so với kế hoạch của tỉnh " * 40)[:2000]
SHORT_QUESTIONS = ("ai ký nghị quyết", "tỷ lệ hộ nghèo năm 2025", "tốc độ tăng trưởng kinh tế",
                   "tỷ lệ thu gom rác thải", "số xã đạt chuẩn nông thôn mới")


def attacker(i: int) -> str:
    """The loopback address of the i-th attacker (0-based): 127.0.0.2 onwards."""
    return f"127.0.0.{2 + i}"


def client_from(source: str, timeout: float = 60) -> httpx.Client:
    """An HTTP client whose connections come from ``source`` (a loopback address)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=timeout)


def ask_bytes(host: str, question: str) -> bytes:
    body = json.dumps({"question": question}).encode("utf-8")
    return (f"POST /api/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def send_and_reset(url: str, source: str, question: str, after_s: float = RESET_AFTER_S) -> None:
    """Send one question from ``source`` and reset the connection ``after_s`` later (RST, no FIN)."""
    parsed = urlparse(url)
    with socket.socket() as s:
        s.bind((source, 0))
        s.connect((parsed.hostname, parsed.port))
        s.sendall(ask_bytes(parsed.netloc, question))
        time.sleep(after_s)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def victim_run(url: str, n: int) -> dict:
    """``n`` short questions asked one after another from VICTIM: latency percentiles and errors."""
    latencies: list[float] = []
    errors: Counter = Counter()
    with client_from(VICTIM) as client:
        for i in range(n):
            t0 = time.perf_counter()
            try:
                r = client.post(f"{url}/api/ask", json={"question": SHORT_QUESTIONS[i % len(SHORT_QUESTIONS)]})
                kind = None if r.status_code == 200 and "answer" in r.json() else f"HTTP {r.status_code}"
            except (httpx.HTTPError, ValueError) as exc:
                kind = type(exc).__name__
            if kind is None:
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                errors[kind] += 1
    return {"ok": len(latencies), "errors": dict(errors), "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1), "max_ms": round(max(latencies, default=float("nan")), 1)}


def reset_flood(url: str, n: int, source: str, outcome: Counter) -> None:
    for _ in range(n):
        try:
            send_and_reset(url, source, LONG_QUESTION)
            outcome["sent and reset"] += 1
        except OSError as exc:
            outcome[type(exc).__name__] += 1


def long_asker(url: str, source: str, stop: threading.Event, outcome: Counter, lock: threading.Lock) -> None:
    with client_from(source) as client:
        while not stop.is_set():
            try:
                status = f"HTTP {client.post(f'{url}/api/ask', json={'question': LONG_QUESTION}).status_code}"
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            with lock:
                outcome[status] += 1
            if status == "HTTP 429":
                time.sleep(0.01)  # a flood does not honour Retry-After; a little pause keeps the CPU for the app


def phase(url: str, name: str, victim_n: int, resets: int = 0, clients: int = 0) -> dict:
    outcome: Counter = Counter()
    lock = threading.Lock()
    stop = threading.Event()
    threads = []
    if resets:
        threads.append(threading.Thread(target=reset_flood, args=(url, resets, attacker(0), outcome)))
    for i in range(clients):
        threads.append(threading.Thread(target=long_asker, args=(url, attacker(1 + i), stop, outcome, lock)))
    for t in threads:
        t.start()
    time.sleep(0.05 if threads else 0)  # the attack under way before the victim asks
    t0 = time.perf_counter()
    figures = victim_run(url, victim_n)
    stop.set()
    for t in threads:
        t.join()
    figures.update(phase=name, wall_s=round(time.perf_counter() - t0, 2), attackers=dict(outcome))
    return figures


def run(url: str, victim_n: int, resets: int, clients: int) -> list[dict]:
    victim_run(url, 3)  # warm-up, not counted
    return [phase(url, "alone", victim_n), phase(url, "resets", victim_n, resets=resets),
            phase(url, "clients", victim_n, clients=clients)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python bench/abuse.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a running app on loopback (default: start one on 127.0.0.1)")
    ap.add_argument("--victim", type=int, default=20, help="the victim's questions per phase (default 20)")
    ap.add_argument("--resets", type=int, default=100, help="questions sent and reset (default 100)")
    ap.add_argument("--clients", type=int, default=8, help="attackers asking long questions (default 8, at most 200)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if not 1 <= args.victim <= 1000 or not 0 <= args.resets <= 10_000 or not 0 <= args.clients <= 200:
        ap.error("--victim 1..1000, --resets 0..10000, --clients 0..200")
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        ap.error("--url must be on loopback (127.0.0.1): this benchmark attacks the server")
    if args.url:
        results = run(args.url.rstrip("/"), args.victim, args.resets, args.clients)
    else:
        with serving([], dict(os.environ), APP_START_TIMEOUT_S) as url:
            results = run(url, args.victim, args.resets, args.clients)
    if args.json:
        print(json.dumps(results))
    for r in results if not args.json else ():
        errors = ", ".join(f"{k}: {v}" for k, v in r["errors"].items()) or "none"
        got = ", ".join(f"{k}: {v}" for k, v in sorted(r["attackers"].items())) or "-"
        print(f"{r['phase']:>7}: victim {r['ok']} answers, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
              f"max {r['max_ms']} ms; errors: {errors}; attackers: {got} ({r['wall_s']} s)")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        sys.exit(main())
