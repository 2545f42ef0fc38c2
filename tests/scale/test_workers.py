"""`serve --workers N`: questions answered in N processes on one index give the answers of one
process, concurrently; a worker that dies is replaced and the questions are still answered."""

from __future__ import annotations

import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psutil

from tests.conftest import ROOT, running_app

WORKERS = 2


def _questions(n: int = 30) -> list[str]:
    lines = (ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip() and "history" not in line][:n]


def _ask(url: str, question: str) -> httpx.Response:
    return httpx.post(f"{url}/api/ask", json={"question": question}, timeout=120)


def _key(d: dict) -> tuple:
    return d["answer"], d["found"], json.dumps(d["citations"], ensure_ascii=False, sort_keys=True)


def test_workers_answer_as_one_process_does_and_survive_a_dead_worker(index_dir, assistant, tmp_path):
    questions = _questions()
    expected = [_key(assistant.ask(q).to_dict()) for q in questions]
    procs: list = []
    # 8 questions at once from one address: as many clients' worth (NQ_MAX_CLIENT_CONCURRENCY, ui.fairness)
    with running_app(index_dir, log_path=tmp_path / "serve.log", procs=procs, NQ_WORKERS=str(WORKERS),
                     NQ_MAX_CLIENT_CONCURRENCY="8") as url:
        server = psutil.Process(procs[0].pid)
        workers = _workers(server)
        assert len(workers) == WORKERS, [p.cmdline() for p in server.children()]
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lambda q: _ask(url, q), questions))
        assert [r.status_code for r in got] == [200] * len(questions)
        assert [_key(r.json()) for r in got] == expected

        workers[0].send_signal(signal.SIGKILL)
        time.sleep(0.2)
        with ThreadPoolExecutor(4) as pool:
            after = list(pool.map(lambda q: _ask(url, q), questions[:8]))
        assert [r.status_code for r in after] == [200] * 8, (tmp_path / "serve.log").read_text()
        assert [_key(r.json()) for r in after] == expected[:8]
        assert "starting the workers again" in (tmp_path / "serve.log").read_text()
        now = _workers(server)
        assert len(now) == WORKERS and not set(now) & set(workers)  # the broken pool's survivor ended too
    # the server stopped: no worker outlives it
    deadline = time.time() + 10
    while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in now + workers) and time.time() < deadline:
        time.sleep(0.2)
    assert not [p.pid for p in now + workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def _workers(server: psutil.Process) -> list[psutil.Process]:
    deadline = time.time() + 30
    while True:
        found = [p for p in server.children() if "spawn_main" in " ".join(p.cmdline()) and p.is_running()]
        if len(found) == WORKERS or time.time() > deadline:
            return found
        time.sleep(0.2)
