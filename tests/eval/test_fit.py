"""Fitting the answer ranker: labels from the gold facts and passage, a conditional logit with a
"no answer" option, each document weighing about the same."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from answering.features import FEATURES
from eval.fit import Record, doc_weights, fit, positives
from eval.metrics import fingerprint


@dataclass
class _Chunk:
    text: str


@dataclass
class _Cand:
    chunk: _Chunk
    text: str
    rendered: str = ""
    members: list = field(default_factory=list)

    def render(self) -> str:
        return self.rendered or self.text


PASSAGE = "2. Trong thời hạn 15 ngày làm việc, Sở Nông nghiệp và Môi trường thẩm định hồ sơ."


def test_right_candidates_state_every_fact_and_cite_the_gold_passage():
    item = {"expect": ["15 ngày làm việc"], "source": fingerprint(PASSAGE)}
    gold = _Chunk(PASSAGE)
    elsewhere = _Chunk("Phụ lục: thời hạn 15 ngày làm việc (tóm tắt).")
    cands = [_Cand(gold, "Trong thời hạn 15 ngày làm việc, Sở Nông nghiệp và Môi trường thẩm định hồ sơ."),
             _Cand(elsewhere, "thời hạn 15 ngày làm việc (tóm tắt)."),
             _Cand(gold, "Sở Nông nghiệp và Môi trường thẩm định hồ sơ.")]
    assert positives(item, cands).tolist() == [True, False, False]
    # when no candidate cites the gold passage, those stating the facts are right
    assert positives(item, cands[1:]).tolist() == [True, False]


def test_long_candidates_are_right_only_when_nothing_short_is():
    item = {"expect": ["15 ngày"], "source": fingerprint(PASSAGE)}
    gold = _Chunk(PASSAGE)
    long = _Cand(gold, PASSAGE, rendered=PASSAGE + " " + "x" * 700)
    short = _Cand(gold, "Trong thời hạn 15 ngày làm việc, Sở Nông nghiệp và Môi trường thẩm định hồ sơ.")
    assert positives(item, [long, short]).tolist() == [False, True]
    assert positives({**item, "list": True}, [long, short]).tolist() == [True, True]


def _record(doc: str, answerable: bool, good: float, rng) -> Record:
    """Three candidates; on an answerable question the first is right and scores ``good`` on cov_ctx."""
    X = rng.uniform(0, 0.3, size=(3, len(FEATURES))).astype(np.float32)
    if answerable:
        X[0, FEATURES.index("cov_ctx")] = good
    return Record({"id": f"{doc}-{answerable}"}, doc, "amount", X, np.asarray([answerable, False, False]), answerable)


def test_fit_learns_to_rank_and_to_refuse():
    rng = np.random.default_rng(0)
    records = [_record(f"d{i % 5}", i % 4 != 0, 0.9, rng) for i in range(200)]
    ranker = fit(records)
    assert ranker.weights[FEATURES.index("cov_ctx")] > 1.0
    right = [r for r in records if r.answerable]
    scores = [ranker.scores(r.X, r.kind) for r in right]
    assert all(int(np.argmax(s)) == 0 for s in scores)
    assert all(s.max() > ranker.null_score("amount") for s in scores)
    refused = [ranker.scores(r.X, r.kind).max() <= ranker.null_score("amount") for r in records if not r.answerable]
    assert sum(refused) >= 0.9 * len(refused)


def test_each_document_weighs_about_the_same():
    rng = np.random.default_rng(1)
    records = [_record("big", True, 0.9, rng) for _ in range(100)] + [_record("small", True, 0.9, rng) for _ in range(4)]
    doc_weights(records)
    big = sum(r.weight for r in records if r.doc == "big")
    small = sum(r.weight for r in records if r.doc == "small")
    assert abs(np.mean([r.weight for r in records]) - 1.0) < 1e-6
    assert big / small == pytest.approx((100 / 10) / (4 / 2))  # a question weighs 1/sqrt(its document's questions)


def test_a_documents_family_is_its_type_as_its_file_name_says():
    from eval.cv import family

    assert family("ubnd-tinh-kh-45-2026-thu-vien.txt") == "Kế hoạch"
    assert family("chinhphu-nd-12-2026-x.txt") == "Nghị định"
    assert family("ubnd-tinh-qd-1999-2026-x.txt") == "Quyết định"  # a serial that reads as a year
    assert family("nghi-quyet-tinh-uy-2026.txt") == "Nghị quyết"
    assert family("ghi-chu.txt") == "Khác"
