"""The learned ranking model: which candidate answers, or none.

A conditional logit over a question's candidates plus one "no answer" option:

    score(candidate) = (w + w[group of the kind asked]) · features(candidate)
    score(none)      = b + v[kind asked]
    P(option) = softmax over the candidates and "none"

The answer is the best candidate when its score beats "none"; otherwise the question is refused.
The weights are fitted on the gold set by ``python -m eval fit`` (eval/fit.py), which writes them
to ``answering/ranker.json``; nothing here is set by hand. A document's questions can be answered
with weights fitted without them (``python -m eval run --cv document``): ``Ranker.from_dict``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from answering.facts import KIND_GROUPS
from answering.features import FEATURES, GROUPS
from core.lexicon import ASK_TYPES

WEIGHTS_FILE = Path(__file__).with_name("ranker.json")
NULL_KINDS: tuple[str, ...] = ASK_TYPES + ("text",)


def expand(X: np.ndarray, kind: str) -> np.ndarray:
    """The features shared by every question, then the same features again in the block of the asked
    kind's group (zeros in the other groups' blocks): each group of kinds weighs them its own way."""
    out = np.zeros((len(X), X.shape[1] * (1 + len(GROUPS))), dtype=np.float32)
    out[:, :X.shape[1]] = X
    g = 1 + GROUPS.index(KIND_GROUPS.get(kind, "other"))
    out[:, g * X.shape[1]:(g + 1) * X.shape[1]] = X
    return out


def weight_names() -> list[str]:
    return list(FEATURES) + [f"{g}:{name}" for g in GROUPS for name in FEATURES]


@dataclass
class Ranker:
    weights: np.ndarray  # one per weight_names(): shared, then per group of kinds
    null_bias: float
    null_by_kind: dict[str, float] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)  # how it was fitted (for the README and reports)

    def scores(self, X: np.ndarray, kind: str) -> np.ndarray:
        return expand(X, kind) @ self.weights if len(X) else np.zeros(0, dtype=np.float32)

    def null_score(self, main_kind: str) -> float:
        return self.null_bias + self.null_by_kind.get(main_kind, 0.0)

    def to_dict(self) -> dict:
        return {"features": weight_names(), "weights": [round(float(w), 6) for w in self.weights],
                "null_bias": round(float(self.null_bias), 6),
                "null_by_kind": {k: round(float(v), 6) for k, v in self.null_by_kind.items()}, "meta": self.meta}

    @classmethod
    def from_dict(cls, d: dict) -> "Ranker":
        by_name = dict(zip(d["features"], d["weights"]))
        # a feature the file does not know weighs nothing (a file fitted before it was added)
        w = np.asarray([by_name.get(name, 0.0) for name in weight_names()], dtype=np.float32)
        return cls(w, float(d["null_bias"]), {k: float(v) for k, v in d.get("null_by_kind", {}).items()},
                   dict(d.get("meta", {})))

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load(path: Path = WEIGHTS_FILE) -> Ranker:
    """The fitted model; a neutral one (lexical coverage and type fit only) before any fit."""
    if not path.exists():
        w = np.zeros(len(weight_names()), dtype=np.float32)
        for name, value in (("cov_ctx", 4.0), ("rank_inv", 0.5)):
            w[FEATURES.index(name)] = value
        return Ranker(w, 2.5, {}, {"fitted": False})
    return Ranker.from_dict(json.loads(path.read_text(encoding="utf-8")))
