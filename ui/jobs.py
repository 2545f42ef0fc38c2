"""Long ingests off the request path: an upload starts a background job and returns at once; the
"Văn bản" tab polls the job (documents done / total, chunks embedded / to embed, time left) and
shows its result when it ends.

One job at a time per process: a second upload while one runs is refused with a Vietnamese message
(nothing is queued, so nothing runs later that its administrator no longer watches). The job is a
thread of the serving process: the work is the C embedder (its ctypes call releases the GIL; it
keeps no state between calls, so a question's embedding can run beside it) and Chroma writes, so
questions go on being answered by the request threads meanwhile. Each document becomes visible only
when its record flips to the new version (``ChunkStore.replace_document``): a question asked during
a job sees every document whole, or not at all.

The administrator may stop the running job ("Dừng lượt nạp", ``IngestJobs.cancel``): the job stops at its
next check (between files, between embedding batches: ingest.job_budget); the document being written then
is abandoned before it is made live, those already written stay, and the files not done are reported as
not ingested. Its state is then "cancelled".
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from errors import InputError, NQError
from ingest.pipeline import IngestReport
from ui.admin import audit_change, audit_job

log = logging.getLogger(__name__)

# The result of the last job stays on show this long for a page opened after it ended; the status
# endpoint says "idle" afterwards.
KEEP_RESULT_S = 3600
STOPPED_TEXT = "Đã dừng lượt nạp theo yêu cầu"  # the status of a job the administrator stopped


def vn_number(n: int) -> str:
    """12345 -> "12.345" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vn_duration(seconds: float) -> str:
    """A time left as Vietnamese officials write it: "45 giây", "3 phút 20 giây", "2 giờ 5 phút"."""
    s = max(0, round(seconds))
    if s < 1:
        return "dưới 1 giây"
    if s < 60:
        return f"{s} giây"
    if s < 3600:
        return f"{s // 60} phút {s % 60} giây" if s % 60 else f"{s // 60} phút"
    return f"{s // 3600} giờ {s % 3600 // 60} phút"


@dataclass
class IngestJob:
    """One upload being indexed. The worker thread writes; polling threads only read (ints and list
    lengths: each read is atomic, a status may be a step behind)."""

    seq: int
    files: list[str]
    report: IngestReport = field(default_factory=IngestReport)
    started: float = field(default_factory=time.monotonic)
    started_at: str = field(default_factory=lambda: time.strftime("%H:%M:%S"))
    embed_started: float | None = None  # the first progress tick: chunks start being embedded
    chunks_done: int = 0
    chunks_total: int = 0
    current: str = ""
    finished: float | None = None
    finished_at: str = ""
    error: str = ""  # Vietnamese: why the job stopped
    client: str = "unknown"  # the address of whoever started it (the audit log's "who")
    cancel: threading.Event = field(default_factory=threading.Event)  # set by the administrator's "Dừng lượt nạp"
    cancelled_by: str = ""  # the address of whoever stopped it

    @property
    def running(self) -> bool:
        return self.finished is None

    @property
    def documents_total(self) -> int:
        """The documents the job reads (its files, until ingest has counted them)."""
        return self.report.documents_total or len(self.files)

    def tick(self, done: int, total: int, label: str) -> None:
        if self.embed_started is None:
            self.embed_started = time.monotonic()
        self.chunks_done, self.chunks_total, self.current = done, total, label

    def eta_s(self) -> float | None:
        """Seconds left at the average rate since embedding began (None before a chunk is done)."""
        if self.embed_started is None or self.chunks_done <= 0:
            return None
        rate = self.chunks_done / max(time.monotonic() - self.embed_started, 1e-6)
        return max(self.chunks_total - self.chunks_done, 0) / rate

    @property
    def cancelled(self) -> bool:
        """Did the job stop on the administrator's request (not merely get it after its last file)?"""
        return self.report.stopped == "cancelled"

    def state(self) -> str:
        if self.running:
            return "running"
        return "failed" if self.error else "cancelled" if self.cancelled else "done"

    def result_lines(self) -> list[str]:
        report = self.report
        lines = []
        for doc in report.added:
            known = "/" in doc  # its file name was taken: a new document, nothing was replaced
            lines.append(f"✅ Đã nạp: {doc}" + (" (trùng tên với văn bản đã có nên được nạp thành văn bản mới; "
                                                 "chọn \"Thay thế văn bản cùng tên\" để thay thế)" if known else ""))
        for doc in report.updated:
            lines.append(f"🔄 Đã cập nhật: {doc}")
        for doc in report.unchanged:
            lines.append(f"= Không thay đổi: {doc}")
        for name, err in report.failed:
            lines.append(f"❌ {name}: {err.message_vi}")
        return lines

    def status_markdown(self) -> str:
        """What the "Văn bản" tab shows: progress while it runs, the result per file once it ended."""
        r = self.report
        if self.running:
            head = f"⏳ **Đang nạp {len(self.files)} tệp** (bắt đầu lúc {self.started_at})."
            if self.cancel.is_set():
                head += " Đang dừng lượt nạp theo yêu cầu…"
            docs = f"Văn bản: {r.documents_done}/{self.documents_total} xong"
            if self.embed_started is None:
                return f"{head}\n\n{docs} · đang đọc và phân đoạn tệp…"
            eta = self.eta_s()
            left = f" · còn khoảng {vn_duration(eta)}" if eta is not None else ""
            chunks = f"Đoạn: {vn_number(self.chunks_done)}/{vn_number(self.chunks_total)} đã lập chỉ mục"
            return f"{head}\n\n{docs} · {chunks}{left}\n\nĐang xử lý: {self.current}"
        took = vn_duration((self.finished or time.monotonic()) - self.started)
        lines = self.result_lines()
        if self.error:
            lines.append(f"❌ {self.error}")
        if self.error:
            done = f"Dừng sau {took}."
        elif self.cancelled:
            done = (f"⏹ {STOPPED_TEXT} lúc {self.finished_at} sau {took}: {vn_number(r.chunks_embedded)} đoạn mới"
                    f" được lập chỉ mục; văn bản đang nạp dở không xuất hiện trong chỉ mục.")
        else:
            done = (f"Đã nạp xong lúc {self.finished_at} sau {took}: {vn_number(r.chunks_embedded)} đoạn mới"
                    f" được lập chỉ mục.")
        return "\n\n".join(lines + [done])


class IngestJobs:
    """The process's ingest job: start one, read the latest."""

    def __init__(self, run) -> None:
        """``run(paths, replace, report, progress, cancel)`` does the work (ingest.pipeline.ingest_paths
        bound to the assistant's store and settings; ``cancel``: a threading.Event it checks)."""
        self._run = run
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self.latest: IngestJob | None = None

    @property
    def running(self) -> bool:
        job = self.latest
        return job is not None and job.running

    def start(self, paths: list[Path], replace: bool, client: str = "unknown") -> IngestJob:
        """Start indexing ``paths`` in a thread, or raise InputError while another job runs. ``client``:
        the address of who asked, for the audit log line of each document the job changes."""
        with self._lock:
            job = self.latest
            if job is not None and job.running:
                r = job.report
                raise InputError(
                    "another upload is being indexed; try again when it ends",
                    f"Đang có một lượt nạp văn bản chạy ({r.documents_done}/{job.documents_total} "
                    f"văn bản xong). Vui lòng đợi lượt này xong rồi nạp tiếp.")
            job = self.latest = IngestJob(next(self._seq), [p.name for p in paths], client=client)
        threading.Thread(target=self._work, args=(job, paths, replace), name=f"ingest-job-{job.seq}",
                         daemon=True).start()
        log.info("ingest job %d started: %d files", job.seq, len(paths))
        return job

    def _work(self, job: IngestJob, paths: list[Path], replace: bool) -> None:
        try:
            self._run(paths, replace, job.report, job.tick, job.cancel)
        except NQError as exc:  # the store failed: the document being written stays invisible
            log.error("ingest job %d failed: %s", job.seq, exc)
            job.error = (f"Chưa nạp được tệp: {getattr(exc, 'message_vi', str(exc))} Văn bản đang nạp dở không "
                         f"xuất hiện trong chỉ mục; các văn bản khác không thay đổi.")
        except Exception as exc:  # a bug: the traceback belongs in the log
            log.exception("ingest job %d failed", job.seq)
            job.error = f"Chưa nạp được tệp: lỗi không mong đợi ({type(exc).__name__}). Văn bản đang nạp dở không " \
                        f"xuất hiện trong chỉ mục."
        finally:
            for name, err in job.report.failed:
                log.warning("upload %s rejected: %s", name, err)
            job.finished_at = time.strftime("%H:%M:%S")
            job.finished = time.monotonic()
            r = job.report
            for action, docs in (("added", r.added), ("replaced", r.updated)):
                for doc in docs:
                    audit_change(action, doc, job.client, job=job.seq)
            log.info("ingest job %d ended: %d added, %d updated, %d unchanged, %d failed, %d chunks embedded%s",
                     job.seq, len(r.added), len(r.updated), len(r.unchanged), len(r.failed), r.chunks_embedded,
                     "; stopped by an error" if job.error else "; cancelled by the administrator" if job.cancelled
                     else "")

    def cancel(self, client: str = "unknown") -> str:
        """Ask the running job to stop (the administrator's "Dừng lượt nạp"; the caller checks who asks) and
        say so in Vietnamese; with no job running, say that (no error). ``client``: the address of who asked,
        for the audit log."""
        with self._lock:
            job = self.latest
            if job is None or not job.running:
                log.info("ingest cancel asked by %s: no job is running", client)
                return "Không có lượt nạp văn bản nào đang chạy để dừng."
            if job.cancel.is_set():
                return "Đã yêu cầu dừng lượt nạp này; đang chờ lượt nạp dừng lại."
            job.cancelled_by = client
            job.cancel.set()
        audit_job("cancelled", job.seq, client)
        log.warning("ingest job %d: cancel requested by %s", job.seq, client)
        return ("Đã yêu cầu dừng lượt nạp: lượt nạp dừng sau đợt đang xử lý; văn bản đang nạp dở không xuất hiện "
                "trong chỉ mục, các văn bản đã nạp xong được giữ lại.")

    def status(self) -> dict:
        """The latest job as JSON (the ``ingest_status`` endpoint): state ("idle", "running", "done",
        "failed", "cancelled"), the tab's status text, documents and chunks done and in all, seconds left."""
        job = self.latest
        if job is None or (not job.running and time.monotonic() - (job.finished or 0) > KEEP_RESULT_S):
            return {"state": "idle", "status": "", "job": 0}
        r = job.report
        eta = job.eta_s() if job.running else 0.0
        return {"state": job.state(), "status": job.status_markdown(), "job": job.seq, "files": list(job.files),
                "documents_done": r.documents_done, "documents_total": job.documents_total,
                "chunks_done": job.chunks_done, "chunks_total": job.chunks_total,
                "eta_s": None if eta is None else round(eta, 1), "error": job.error}
