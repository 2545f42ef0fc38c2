"""The background ingest job (ui/jobs.py) on its own: progress and time left, one job at a time, the
result and the errors it reports. The real app runs it in tests/test_app.py."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from errors import DocumentError, InputError, StoreUnavailable
from ui.jobs import IngestJobs, vn_duration, vn_number


def test_vietnamese_numbers_and_durations():
    assert vn_number(12345) == "12.345" and vn_number(7) == "7"
    assert [vn_duration(s) for s in (0.2, 45, 60, 200, 7500)] == [
        "dưới 1 giây", "45 giây", "1 phút", "3 phút 20 giây", "2 giờ 5 phút"]


def _wait(jobs: IngestJobs) -> dict:
    deadline = time.time() + 10
    while jobs.running and time.time() < deadline:
        time.sleep(0.01)
    return jobs.status()


def test_a_job_reports_progress_refuses_a_second_one_and_ends_with_its_result():
    gate, ticked = threading.Event(), threading.Event()

    def run(paths, replace, report, progress, cancel):
        report.documents_total = 2
        report.unchanged.append("a.txt")
        progress(0, 100, "b.txt")
        time.sleep(0.05)
        progress(40, 100, "b.txt")
        ticked.set()
        gate.wait(10)
        progress(100, 100, "b.txt")
        report.added.append("b.txt")
        report.failed.append(("c.pdf", DocumentError("broken", "Tệp 'c.pdf' bị hỏng.")))
        report.chunks_embedded = 100

    jobs = IngestJobs(run)
    assert jobs.status() == {"state": "idle", "status": "", "job": 0}
    jobs.start([Path("a.txt"), Path("b.txt"), Path("c.pdf")], False)
    assert ticked.wait(10)
    st = jobs.status()
    assert st["state"] == "running" and (st["documents_done"], st["documents_total"]) == (1, 2)
    assert (st["chunks_done"], st["chunks_total"]) == (40, 100) and st["eta_s"] is not None and st["eta_s"] > 0
    assert "Đoạn: 40/100 đã lập chỉ mục" in st["status"] and "còn khoảng" in st["status"]
    assert "Đang xử lý: b.txt" in st["status"]
    with pytest.raises(InputError) as refused:
        jobs.start([Path("d.txt")], False)
    assert refused.value.message_vi.startswith("Đang có một lượt nạp văn bản chạy (1/2 văn bản xong)")
    gate.set()
    end = _wait(jobs)
    assert end["state"] == "done" and end["error"] == ""
    assert "✅ Đã nạp: b.txt" in end["status"] and "= Không thay đổi: a.txt" in end["status"]
    assert "❌ c.pdf: Tệp 'c.pdf' bị hỏng." in end["status"] and "100 đoạn mới" in end["status"]
    jobs.start([Path("d.txt")], False)  # the next one may start once it ended
    assert _wait(jobs)["state"] == "done"


def test_a_store_failure_during_the_job_is_its_status_and_a_bug_is_logged_with_its_traceback(caplog):
    def down(paths, replace, report, progress, cancel):
        report.added.append("a.txt")
        raise StoreUnavailable("the Chroma server at x:1 failed (ConnectionError)")

    jobs = IngestJobs(down)
    jobs.start([Path("a.txt"), Path("b.txt")], False)
    end = _wait(jobs)
    assert end["state"] == "failed" and "✅ Đã nạp: a.txt" in end["status"]
    assert "Chưa nạp được tệp: Không kết nối được kho dữ liệu vector." in end["error"]
    assert "Dừng sau" in end["status"]

    def bug(paths, replace, report, progress, cancel):
        raise KeyError("x")

    caplog.set_level("INFO", logger="ui.jobs")
    jobs = IngestJobs(bug)
    jobs.start([Path("a.txt")], False)
    end = _wait(jobs)
    assert end["state"] == "failed" and "lỗi không mong đợi (KeyError)" in end["error"]
    assert any(r.exc_info for r in caplog.records if r.levelname == "ERROR")


def test_the_administrator_cancels_the_running_job_and_the_cancel_is_audited(caplog):
    from errors import IngestCancelled

    started = threading.Event()

    def run(paths, replace, report, progress, cancel):
        report.documents_total = 3
        report.added.append("a.txt")
        started.set()
        assert cancel.wait(10)
        report.failed += [(n, IngestCancelled("cancelled", "Chưa được nạp: quản trị viên đã dừng lượt nạp."))
                          for n in ("b.txt", "c.txt")]
        report.stopped, report.over_budget = "cancelled", "a.txt"

    caplog.set_level("INFO", logger="nq.audit")
    jobs = IngestJobs(run)
    assert jobs.cancel("10.0.0.7") == "Không có lượt nạp văn bản nào đang chạy để dừng."
    job = jobs.start([Path("a.txt"), Path("b.txt"), Path("c.txt")], False, client="10.0.0.5")
    assert started.wait(10)
    assert jobs.cancel("10.0.0.7").startswith("Đã yêu cầu dừng lượt nạp")
    end = _wait(jobs)
    assert end["state"] == "cancelled" and job.cancelled_by == "10.0.0.7"
    assert "Đã dừng lượt nạp theo yêu cầu" in end["status"] and "✅ Đã nạp: a.txt" in end["status"]
    assert "❌ c.txt: Chưa được nạp: quản trị viên đã dừng lượt nạp." in end["status"]
    [line] = [r.getMessage() for r in caplog.records if r.name == "nq.audit" and "cancelled" in r.getMessage()]
    assert f"job={job.seq} client=10.0.0.7 at=" in line
    assert jobs.cancel("10.0.0.7") == "Không có lượt nạp văn bản nào đang chạy để dừng."
