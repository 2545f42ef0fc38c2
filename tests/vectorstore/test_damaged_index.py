"""A damaged or empty embedded index, a Rust panic of Chroma, a full disk (issue 23, hardening).

A real index is built by `python app.py ingest` from a small invented plan, then damaged four ways:
(a) pages in the middle of chroma.sqlite3 overwritten with random bytes, (b) its first page
overwritten, (c) a 0-byte file, (d) a file that is not sqlite. Opening it reports the damage with the
fix; `python app.py ingest --rebuild` exits 0, moves the folder aside and builds it again. The hash
embedder (NQ_EMBEDDINGS=hash) keeps the subprocesses fast and offline.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from errors import DiskFull, IndexCorrupt, StoreUnavailable
from ingest.pipeline import ingest_paths
from retrieval.embeddings import HashEmbeddings
from settings import Settings
from tests.conftest import ROOT
from vectorstore import chroma_store
from vectorstore.chroma_store import ChunkStore
from vectorstore.guard import (
    Guarded,
    check_index,
    forget_embedded,
    is_panic,
    store_error,
    translated,
)

# An invented plan of an invented commune: no text of a real document.
PLAN = ("ỦY BAN NHÂN DÂN\nXÃ SƠN LÂM THƯỢNG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 17/KH-UBND\nSơn Lâm Thượng, ngày 12 tháng 4 năm 2026\n\n"
        "KẾ HOẠCH\n\nPHỦ XANH ĐỒI TRỌC VÀ GIỮ NGUỒN NƯỚC GIAI ĐOẠN 2026-2028\n\n"
        "I. KẾT QUẢ NĂM 2025\n\nNăm 2025 xã trồng được 4.800 cây keo và 1.200 cây lim trên các sườn đồi phía bắc.\n\n"
        "Ba giếng làng được nạo vét; tỷ lệ hộ dùng nước sạch đạt 86%.\n\n"
        "II. CHỈ TIÊU ĐẾN NĂM 2028\n\nVề rừng: (1) Trồng mới 9.500 cây gỗ bản địa; (2) Tỷ lệ che phủ đồi đạt 47%.\n\n"
        "Về nước: (3) Tỷ lệ hộ dùng nước sạch đạt 95%; (4) Xây thêm 3 bể chứa nước mưa cho điểm trường.\n\n"
        "III. NHIỆM VỤ\n\n1. Hội Nông dân xã ươm 20.000 cây giống mỗi năm tại vườn ươm thôn Khe Mây.\n\n"
        "2. Đoàn Thanh niên tổ chức ngày chủ nhật xanh vào tuần đầu mỗi quý.\n\n"
        "IV. TỔ CHỨC THỰC HIỆN\n\nCông chức địa chính theo dõi, tổng hợp và báo cáo Ủy ban nhân dân xã trước ngày 20 tháng 12 hằng năm.\n\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nHà Thị Lam\n")
QUESTION = "tỷ lệ che phủ đồi đến năm 2028 đạt bao nhiêu"
ENV = {"NQ_EMBEDDINGS": "hash", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
PAGE = 4096  # Chroma's sqlite page size


def run_cli(*args, timeout=180):
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **ENV}, check=False)


def _settings(idx: Path, data: Path | None = None) -> Settings:
    return Settings.from_env(index_dir=idx, **({"data_dir": data} if data else {}))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A pristine index of the plan, built by the CLI: (index folder, data folder, chunk count)."""
    root = tmp_path_factory.mktemp("damaged")
    data = root / "data"
    data.mkdir()
    (data / "ke-hoach-phu-xanh.txt").write_text(PLAN, encoding="utf-8")
    idx = root / "base"
    r = run_cli("--index-dir", str(idx), "ingest", str(data))
    assert r.returncode == 0 and "added: ke-hoach-phu-xanh.txt" in r.stdout, r.stderr
    store = ChunkStore(_settings(idx), HashEmbeddings())
    n = store.count()
    assert n >= 5 and store.documents()[0]["chunks"] == n
    forget_embedded(store.settings)
    return idx, data, n


def _copy(built, tmp_path: Path) -> Path:
    idx = tmp_path / "idx"
    shutil.copytree(built[0], idx)
    return idx


def damage(path: Path, case: str) -> None:
    rnd = random.Random(23)
    if case == "middle":  # (a) twelve pages in the middle, as in the report
        pages = path.stat().st_size // PAGE
        with open(path, "r+b") as f:
            for page in range(pages // 2 - 6, pages // 2 + 6):
                f.seek(page * PAGE)
                f.write(rnd.randbytes(PAGE))
    elif case == "first-page":  # (b)
        with open(path, "r+b") as f:
            f.write(rnd.randbytes(PAGE))
    elif case == "empty":  # (c)
        path.write_bytes(b"")
    elif case == "not-sqlite":  # (d)
        path.write_text("Đây không phải là cơ sở dữ liệu.\n" * 200, encoding="utf-8")


CASES = ["middle", "first-page", "empty", "not-sqlite"]


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_index_names_the_fix_and_rebuild_recovers_it(built, tmp_path, case):
    _, data, n = built
    idx = _copy(built, tmp_path)
    db = idx / "chroma.sqlite3"
    damage(db, case)
    damaged_sha = hashlib.sha256(db.read_bytes()).hexdigest()
    settings = _settings(idx, data)

    # opening reports the damage with the fix, in English and in Vietnamese, before Chroma reads it
    with pytest.raises(IndexCorrupt) as err:
        check_index(settings)
    assert "damaged" in str(err.value) and f"--index-dir {idx} ingest --rebuild {data}" in str(err.value)
    assert "ingest --rebuild" in err.value.message_vi and "hỏng" in err.value.message_vi
    with pytest.raises(IndexCorrupt):
        ChunkStore(settings, HashEmbeddings())

    # the CLI: one line, exit code 4, no traceback; never a new empty index in its place
    r = run_cli("--index-dir", str(idx), "documents")
    assert r.returncode == 4 and "Traceback" not in r.stderr, r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert "damaged" in line and "ingest --rebuild" in line
    assert hashlib.sha256(db.read_bytes()).hexdigest() == damaged_sha

    # `ingest --rebuild`, as a user runs it: the folder moved aside, the index built again
    r = run_cli("--index-dir", str(idx), "ingest", "--rebuild", str(data))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "added: ke-hoach-phu-xanh.txt" in r.stdout and f"{n} chunks in the index" in r.stdout, r.stdout
    (aside,) = tmp_path.glob("idx.broken-*")
    assert hashlib.sha256((aside / "chroma.sqlite3").read_bytes()).hexdigest() == damaged_sha
    check_index(settings)
    r = run_cli("--index-dir", str(idx), "documents", "--json")
    assert r.returncode == 0, r.stderr
    assert [(d["doc_id"], d["chunks"]) for d in json.loads(r.stdout)] == [("ke-hoach-phu-xanh.txt", n)]
    r = run_cli("--index-dir", str(idx), "ask", "--json", QUESTION)
    assert r.returncode == 0, r.stderr
    assert "47%" in json.loads(r.stdout)["answer"]


def test_serving_a_damaged_index_reports_it_without_a_traceback(built, tmp_path):
    idx = _copy(built, tmp_path)
    damage(idx / "chroma.sqlite3", "middle")
    r = run_cli("--index-dir", str(idx), "serve", timeout=120)
    assert r.returncode == 4 and "Traceback" not in r.stderr, r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert "damaged" in line and "ingest --rebuild" in line and "Chỉ mục bị hỏng" in line


def test_a_collection_without_its_metadata_is_damage(built, tmp_path):
    idx = _copy(built, tmp_path)
    with sqlite3.connect(idx / "chroma.sqlite3") as con:
        con.execute("DELETE FROM collection_metadata")
    with pytest.raises(IndexCorrupt, match="has no metadata"):
        check_index(_settings(idx))


def _first_panicking_page(db: Path, idx: Path) -> int | None:
    """The first page whose overwriting makes Chroma's Rust layer panic on open or read."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    pristine = db.read_bytes()
    for page in range(1, min(len(pristine) // PAGE, 16)):
        db.write_bytes(pristine[:page * PAGE] + random.Random(page).randbytes(PAGE) + pristine[(page + 1) * PAGE:])
        forget_embedded(_settings(idx))
        try:
            client = chromadb.PersistentClient(path=str(idx), settings=ChromaSettings(anonymized_telemetry=False))
            client.get_collection("nq_chunks").get(include=["metadatas"])
        except BaseException as exc:  # noqa: BLE001 - looking for the panic
            if is_panic(exc):
                return page
    return None


def test_a_rust_panic_of_chroma_is_caught_as_a_damaged_index(built, tmp_path):
    idx = _copy(built, tmp_path)
    settings = _settings(idx)
    page = _first_panicking_page(idx / "chroma.sqlite3", idx)
    assert page is not None, "no overwritten page made Chroma panic"
    import chromadb

    forget_embedded(settings)
    with pytest.raises(IndexCorrupt, match="ingest --rebuild"), translated(settings):
        chromadb.PersistentClient(path=str(idx)).get_collection("nq_chunks").get(include=["metadatas"])
    with pytest.raises(IndexCorrupt):  # and the check at open finds it first
        check_index(settings)


def test_the_guard_catches_a_panic_but_not_an_interrupt(tmp_path):
    panic = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})
    settings = _settings(tmp_path / "idx")

    class Collection:
        def get(self):
            raise panic("called `Result::unwrap()` on an `Err` value")

        def count(self):
            raise KeyboardInterrupt

    guarded = Guarded(Collection(), settings)
    with pytest.raises(IndexCorrupt, match="ingest --rebuild"):
        guarded.get()
    with pytest.raises(KeyboardInterrupt):
        guarded.count()


def test_store_error_says_disk_full():
    s = Settings.from_env(index_dir=Path("/srv/nq"))
    for exc in (OSError(errno.ENOSPC, "No space left on device"), sqlite3.OperationalError("database or disk is full")):
        err = store_error(exc, s)
        assert isinstance(err, DiskFull) and "disk full" in str(err) and "kết nối" not in err.message_vi
        assert err.message_vi.startswith("Hết dung lượng đĩa")
    assert type(store_error(ConnectionError("refused"), Settings.from_env(chroma_host="h"))) is StoreUnavailable


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(chroma_store, "BATCH", 2)  # so that the write fails midway, after a batch
    monkeypatch.setattr(chroma_store, "ABANDON_RETRIES", (0.0, 0.0))


def _disk_fills(monkeypatch, store: ChunkStore, after_adds: int, deletes_fail: bool) -> dict:
    """The chunk collection's writes raise ENOSPC once ``after_adds`` adds went through (its deletes
    too, when ``deletes_fail``) until ``state["full"]`` is set back to False."""
    cls = type(store.vs._collection)
    add, delete = cls.add, cls.delete
    state = {"adds": 0, "full": False}

    def full_add(self, *args, **kwargs):
        state["adds"] += 1
        if state["adds"] > after_adds:
            state["full"] = True
        if state["full"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return add(self, *args, **kwargs)

    def full_delete(self, *args, **kwargs):
        if deletes_fail and state["full"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return delete(self, *args, **kwargs)

    monkeypatch.setattr(cls, "add", full_add)
    monkeypatch.setattr(cls, "delete", full_delete)
    return state


def _stored(store: ChunkStore) -> list[tuple[str, str]]:
    got = store.vs._collection.get(include=["metadatas"])
    return sorted((m["doc_id"], m["doc_sha"]) for m in got["metadatas"])


def _ingest_plan(tmp_path: Path) -> tuple[ChunkStore, Path, int]:
    store = ChunkStore(_settings(tmp_path / "idx"), HashEmbeddings())
    doc = tmp_path / "ke-hoach-phu-xanh.txt"
    doc.write_text(PLAN, encoding="utf-8")
    report = ingest_paths([doc], store, store.settings)
    assert report.added == [doc.name]
    return store, doc, store.count()


def test_a_full_disk_says_so_and_leaves_no_orphan_chunks(tmp_path, monkeypatch, small_batches):
    store, doc, n = _ingest_plan(tmp_path)
    before = _stored(store)
    _disk_fills(monkeypatch, store, after_adds=1, deletes_fail=False)
    doc.write_text(PLAN.replace("47%", "52%"), encoding="utf-8")
    with pytest.raises(DiskFull) as err:
        ingest_paths([doc], store, store.settings)
    assert "disk full" in str(err.value) and err.value.message_vi.startswith("Hết dung lượng đĩa")
    assert _stored(store) == before and store.count() == n  # the batch written before the failure is gone
    assert store.document_records()[doc.name]["pending"] == ""
    assert any("47%" in c.text for c in store.all_chunks())


def test_orphans_of_a_full_disk_go_at_the_next_request_when_the_cleanup_failed_too(tmp_path, monkeypatch,
                                                                                  small_batches):
    store, doc, n = _ingest_plan(tmp_path)
    before = _stored(store)
    state = _disk_fills(monkeypatch, store, after_adds=1, deletes_fail=True)
    doc.write_text(PLAN.replace("47%", "52%"), encoding="utf-8")
    with pytest.raises(DiskFull):
        ingest_paths([doc], store, store.settings)
    assert len(_stored(store)) == n + 2  # the first batch could not be removed while the disk was full
    texts = [c.text for c in store.all_chunks()]  # readers see the old version only
    assert len(texts) == n and any("47%" in t for t in texts) and not any("52%" in t for t in texts)
    store.refresh()  # the next request, the disk still full: nothing removed, nothing raised
    assert len(_stored(store)) == n + 2
    state["full"] = False  # room again
    store.refresh()  # the next request sweeps them, without a restart
    assert _stored(store) == before and store.count() == n
    assert store.document_records()[doc.name]["pending"] == ""


def test_a_full_disk_after_the_flip_keeps_the_new_version_and_sweeps_the_old_one_later(tmp_path, monkeypatch):
    store, doc, n = _ingest_plan(tmp_path)
    cls = type(store.vs._collection)
    delete = cls.delete
    state = {"full": True}

    def full_delete(self, *args, **kwargs):
        if state["full"]:
            raise sqlite3.OperationalError("database or disk is full")
        return delete(self, *args, **kwargs)

    monkeypatch.setattr(cls, "delete", full_delete)
    doc.write_text(PLAN.replace("47%", "52%"), encoding="utf-8")
    report = ingest_paths([doc], store, store.settings)  # the new version is live: the write succeeded
    assert report.updated == [doc.name] and report.chunks_deleted == 0
    texts = [c.text for c in store.all_chunks()]
    assert len(texts) == n and any("52%" in t for t in texts) and not any("47%" in t for t in texts)
    assert store.count() == 2 * n  # the old version's chunks, invisible, until there is room
    state["full"] = False
    store.refresh()
    assert store.count() == n and len({sha for _, sha in _stored(store)}) == 1


def test_an_upload_job_on_a_full_disk_says_so_in_vietnamese_and_in_the_log(tmp_path, monkeypatch, small_batches,
                                                                           caplog):
    import time

    from ui.jobs import IngestJobs

    store, doc, n = _ingest_plan(tmp_path)
    before = _stored(store)
    _disk_fills(monkeypatch, store, after_adds=1, deletes_fail=False)
    other = tmp_path / "ke-hoach-khac.txt"
    other.write_text(PLAN.replace("Sơn Lâm Thượng", "Đồng Cỏ Lau"), encoding="utf-8")

    def run(paths, replace, report, progress, cancel):
        ingest_paths(paths, store, store.settings, uploaded=True, report=report, cancel=cancel)

    caplog.set_level("INFO", logger="ui.jobs")
    jobs = IngestJobs(run)
    jobs.start([other], False)
    deadline = time.time() + 30
    while jobs.running and time.time() < deadline:
        time.sleep(0.02)
    end = jobs.status()
    assert end["state"] == "failed" and "Hết dung lượng đĩa" in end["error"], end
    assert "Không kết nối" not in end["error"]
    assert any("disk full" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert _stored(store) == before and store.count() == n  # the new document's chunks are gone
    assert set(store.document_records()) == {doc.name}


def test_a_missing_sqlite_file_beside_vector_segments_is_damage(built, tmp_path):
    idx = _copy(built, tmp_path)
    (idx / "chroma.sqlite3").unlink()
    with pytest.raises(IndexCorrupt, match="chroma.sqlite3 is missing"):
        check_index(_settings(idx))
    check_index(_settings(tmp_path / "new"))  # a folder not created yet is a new index
