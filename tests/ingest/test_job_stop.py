"""Stopping an ingest job (issue 23, bounded ingest): the administrator's cancel and the memory ceiling
(NQ_MAX_INGEST_MEMORY_MB), checked between files and between embedding batches, on the real pipeline
and an embedded Chroma store. Documents already written stay; the one being written when the job stops
is never made live and leaves no chunk; the files not done are reported as not ingested."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from errors import IngestCancelled, MemoryCeilingExceeded
from ingest.pipeline import IngestReport, ingest_paths
from retrieval.embeddings import HashEmbeddings
from settings import Settings
from vectorstore.chroma_store import BATCH, ChunkStore

# Invented texts, Vietnamese-style: no real document's wording.
SHORT = ("KẾ HOẠCH\nVề việc tu sửa đường làng thôn {name}\n\nI. MỤC TIÊU\n\n"
         "1. Đến hết năm 2025, thôn {name} bê tông hóa {km} km đường làng và trồng {trees} cây xanh.\n\n"
         "2. Mỗi hộ góp {days} ngày công cho công trình chung của thôn.\n")
FIELDS = ("nhà văn hóa", "sân bóng", "giếng nước", "cầu tre", "mương tưới", "điểm trường", "chợ phiên")


def long_plan(n: int) -> str:
    """A plan of ``n`` numbered items, one chunk each: several embedding batches."""
    body = "\n\n".join(
        f"({i}) Đến hết năm 2025, thôn số {i} làm mới {2 + i % 5} {FIELDS[i % len(FIELDS)]}, bố trí {40 + 3 * i} "
        f"triệu đồng từ quỹ của xã và huy động thêm ngày công của bà con cho hạng mục số {i}."
        for i in range(1, n + 1))
    return f"KẾ HOẠCH\nVề xây dựng công trình thôn xóm\n\nII. CHỈ TIÊU NĂM 2025\n\nVề công trình:\n\n{body}\n"


def _library(folder: Path, names: tuple[str, ...]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        (folder / f"{name}.txt").write_text(SHORT.format(name=name, km=3 + i, trees=120 + 7 * i, days=2 + i),
                                            encoding="utf-8")
    return folder


def _store(tmp_path: Path, **overrides) -> tuple[Settings, ChunkStore]:
    settings = Settings.from_env(index_dir=tmp_path / "idx", embeddings="hash", **overrides)
    return settings, ChunkStore(settings, HashEmbeddings())


def _visible(store: ChunkStore) -> list[str]:
    return [d["doc_id"] for d in store.documents()]


def _no_partial_write(store: ChunkStore) -> None:
    """Every stored chunk is of a live version, and no record holds a write in progress."""
    records = store.document_records()
    assert not any(rec.get("pending") for rec in records.values()), records
    live = {d: set(str(rec.get("live") or "").split(",")) for d, rec in records.items()}
    got = store.collection.get(include=["metadatas"])
    stray = [m["doc_id"] for m in got["metadatas"] if m["doc_sha"] not in live.get(m["doc_id"], set())]
    assert not stray, stray


def test_a_cancel_after_the_first_file_keeps_it_and_reports_the_rest_in_vietnamese(tmp_path, caplog):
    folder = _library(tmp_path / "lib", ("thon-an", "thon-binh", "thon-cau"))
    settings, store = _store(tmp_path)
    cancel, report = threading.Event(), IngestReport()

    def progress(done: int, total: int, label: str) -> None:
        if report.added:  # the first file is written and live: the administrator stops the job now
            cancel.set()

    caplog.set_level("WARNING", logger="ingest")
    ingest_paths([folder], store, settings, progress=progress, report=report, cancel=cancel)
    assert report.added == ["thon-an.txt"] and report.stopped == "cancelled"
    assert [name for name, _ in report.failed] == ["thon-binh.txt", "thon-cau.txt"]
    for _, err in report.failed:
        assert isinstance(err, IngestCancelled)
        assert err.message_vi == "Chưa được nạp: quản trị viên đã dừng lượt nạp."
        assert "cancelled" in str(err)
    assert any("cancelled by the administrator" in r.getMessage() for r in caplog.records)
    assert _visible(store) == ["thon-an.txt"]
    _no_partial_write(store)
    # run again: the document written is unchanged, the rest is ingested
    again = ingest_paths([folder], store, settings)
    assert again.unchanged == ["thon-an.txt"] and again.added == ["thon-binh.txt", "thon-cau.txt"]


def test_a_cancel_between_embedding_batches_leaves_the_old_version_live_and_no_chunk_of_the_new(tmp_path):
    folder = _library(tmp_path / "lib", ("thon-an", "thon-dong"))
    plan = folder / "ke-hoach.txt"
    plan.write_text(SHORT.format(name="Kế", km=1, trees=10, days=1), encoding="utf-8")
    settings, store = _store(tmp_path)
    assert ingest_paths([folder], store, settings).added == ["ke-hoach.txt", "thon-an.txt", "thon-dong.txt"]
    old = {c.id for c in store.document_chunks("ke-hoach.txt")}
    plan.write_text(long_plan(3 * BATCH), encoding="utf-8")  # a new version: three batches and more to embed
    (folder / "thon-an.txt").write_text(SHORT.format(name="An", km=9, trees=9, days=9), encoding="utf-8")
    cancel, ticks = threading.Event(), []

    def progress(done: int, total: int, label: str) -> None:
        if label == "ke-hoach.txt" and done:
            ticks.append(done)
            cancel.set()  # the first batch is written: stop before the second

    report = ingest_paths([folder], store, settings, progress=progress, cancel=cancel)
    assert len(ticks) == 1, "the job went on after the cancel"
    assert report.stopped == "cancelled" and report.over_budget == "ke-hoach.txt"
    assert [name for name, _ in report.failed] == ["ke-hoach.txt", "thon-an.txt"]
    assert all(isinstance(err, IngestCancelled) for _, err in report.failed)
    assert report.unchanged == ["thon-dong.txt"] and not report.added and not report.updated
    # the version being written is not live and its written batch is gone; the old version still answers
    assert {c.id for c in store.document_chunks("ke-hoach.txt")} == old
    _no_partial_write(store)
    assert sorted(_visible(store)) == ["ke-hoach.txt", "thon-an.txt", "thon-dong.txt"]


@pytest.mark.parametrize("ceiling", [32, 0])
def test_the_memory_ceiling_fails_the_file_it_was_passed_on_and_stops_the_job(tmp_path, ceiling):
    folder = _library(tmp_path / "lib", ("thon-an", "thon-dong"))
    (folder / "ke-hoach.txt").write_text(long_plan(2 * BATCH), encoding="utf-8")
    settings, store = _store(tmp_path, max_ingest_memory_mb=ceiling)
    ingest_paths([_library(tmp_path / "warm", ("thon-mo",))], store, settings)  # the store's first write allocates
    hog: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        if label == "ke-hoach.txt" and done and not hog:
            hog.append("x" * (128 << 20))  # 128 MB resident, written: the resident set grows by that much

    report = ingest_paths([folder], store, settings, progress=progress)
    hog.clear()
    if not ceiling:  # 0: no ceiling
        assert report.added == ["ke-hoach.txt", "thon-an.txt", "thon-dong.txt"] and not report.failed
        return
    assert report.stopped == "memory" and report.over_budget == "ke-hoach.txt"
    [(name, err), *rest] = report.failed
    assert name == "ke-hoach.txt" and isinstance(err, MemoryCeilingExceeded)
    assert err.message_vi == "Chưa được nạp: lượt nạp vượt giới hạn bộ nhớ 32 MB khi nạp tệp 'ke-hoach.txt'."
    assert "NQ_MAX_INGEST_MEMORY_MB" in str(err) and "'ke-hoach.txt'" in str(err)
    assert [n for n, _ in rest] == ["thon-an.txt", "thon-dong.txt"]
    for _, e in rest:  # the files not reached name the file the ceiling was passed on
        assert isinstance(e, MemoryCeilingExceeded) and "'ke-hoach.txt'" in e.message_vi
        assert "hãy nạp lại để tiếp tục" in e.message_vi
    assert _visible(store) == ["thon-mo.txt"]
    _no_partial_write(store)


def test_a_docx_being_read_checks_the_job_and_stops_with_its_error():
    import io

    import docx

    from ingest.docx_text import CHECK_PARAGRAPHS
    from ingest.loaders import load_bytes

    document = docx.Document()
    for i in range(3 * CHECK_PARAGRAPHS):
        document.add_paragraph(f"({i}) Thôn số {i} trồng {i + 10} cây xanh ven đường làng.")
    buf = io.BytesIO()
    document.save(buf)
    calls = []

    def checkpoint() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise IngestCancelled("cancelled", "Chưa được nạp: quản trị viên đã dừng lượt nạp.")

    with pytest.raises(IngestCancelled):  # its own error, not "corrupt file"
        load_bytes(buf.getvalue(), "thon-xom.docx", checkpoint=checkpoint)
    assert len(calls) == 2
    calls.clear()
    assert "Thôn số 1499" in load_bytes(buf.getvalue(), "thon-xom.docx", checkpoint=lambda: calls.append(1)).text
    assert len(calls) == 3
