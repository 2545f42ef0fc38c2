"""One document written for the tests, indexed alone: the assistant the answering tests ask."""

from __future__ import annotations

from answering.chain import Assistant
from ingest.pipeline import ingest_upload
from settings import Settings


def assistant_with(tmp_path_factory, name: str, text: str) -> Assistant:
    """An assistant over its own fresh index holding only ``text``, filed as ``name``."""
    settings = Settings.from_env(index_dir=tmp_path_factory.mktemp(name.rsplit(".", 1)[0] + "-index"))
    assistant = Assistant(settings)
    assert ingest_upload(text.encode("utf-8"), name, assistant.store, settings).added == [name]
    return assistant
