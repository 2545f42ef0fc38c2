"""Several app instances behind a load balancer share one Chroma server: they answer alike, need
no sticky session for the API, and see a document another process added, changed or removed at
their next question (each keeps its own derived indexes, rebuilt from the server when it changed)."""

from __future__ import annotations

import httpx

from answering.chain import Assistant
from ingest.pipeline import ingest_paths
from settings import Settings
from tests.answering.test_per_document import LANG_SON, LANG_SON_TEXT
from tests.conftest import CORPUS, running_app

QUESTIONS = ["chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?", "ai ký nghị quyết", "ty le ho ngheo nam 2024",
             "tỷ lệ che phủ rừng của Lạng Sơn năm 2024 đạt bao nhiêu?", "Kế hoạch 41 có mấy chỉ tiêu?"]


def _ask(url: str, question: str) -> dict:
    r = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()


def test_two_instances_on_one_chroma_server_answer_alike_and_see_each_write(chroma_server, tmp_path):
    server = {"chroma_host": "127.0.0.1", "chroma_port": chroma_server, "collection": "instances"}
    writer = Assistant(Settings.from_env(index_dir=tmp_path / "writer", **server))
    folder = tmp_path / "docs"
    folder.mkdir()
    plan = folder / LANG_SON
    plan.write_text(LANG_SON_TEXT, encoding="utf-8")
    ingest_paths([CORPUS, folder], writer.store, writer.settings)
    env = {"NQ_CHROMA_HOST": "127.0.0.1", "NQ_CHROMA_PORT": str(chroma_server), "NQ_COLLECTION": "instances"}
    with running_app(tmp_path / "a", log_path=tmp_path / "a.log", NQ_CACHE_DIR=str(tmp_path / "cache-a"), **env) as a, \
            running_app(tmp_path / "b", log_path=tmp_path / "b.log", NQ_CACHE_DIR=str(tmp_path / "cache-b"), **env) as b:
        # round robin, as a load balancer without sticky sessions sends them
        for i, q in enumerate(QUESTIONS * 2):
            first, second = (a, b) if i % 2 else (b, a)
            assert _ask(first, q)["answer"] == _ask(second, q)["answer"]
        assert "63,2%" in _ask(a, QUESTIONS[3])["answer"]

        plan.write_text(LANG_SON_TEXT.replace("63,2%", "63,9%"), encoding="utf-8")
        ingest_paths([folder], writer.store, writer.settings)  # another process changes a document
        for url in (a, b):
            answer = _ask(url, QUESTIONS[3])["answer"]
            assert "63,9%" in answer and "63,2%" not in answer

        writer.store.delete_document(LANG_SON)  # and removes it
        for url in (a, b):
            answer = _ask(url, QUESTIONS[3])
            assert "63,9%" not in answer["answer"]
            assert all(c["doc_id"] != LANG_SON for c in answer["citations"])
