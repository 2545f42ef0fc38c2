"""One ingest job's bounds, and which file it stopped on: its time budget (NQ_MAX_INGEST_SECONDS), its
memory ceiling (NQ_MAX_INGEST_MEMORY_MB) and the administrator's cancel.

A job reads, cuts and writes its files one after another. Between two files ``over`` says whether the
job must stop (time, memory or a cancel); inside a file (between embedding batches, every
``ingest.docx_text.CHECK_PARAGRAPHS`` paragraphs of a .docx) ``check`` raises for the memory ceiling and a cancel only,
so a document being written is abandoned before its flip (``ChunkStore.replace_document``: the live
version stays, the partial chunks are deleted). The time budget is checked between files alone, as
before: a document is made live whole or not at all. When the job stops, the file being processed (or
processed last) is named, and every file not yet done is reported as not ingested, naming that file.
Documents already written stay: running the job again skips them and goes on with the rest.

Memory is the growth of the process's resident set (RSS, /proc/self/statm) over its value when the
job started; in the server, questions answered meanwhile count too (they hold little memory each).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from errors import (
    IngestCancelled,
    IngestStopped,
    MemoryCeilingExceeded,
    TimeBudgetExceeded,
)

log = logging.getLogger(__name__)

MB = 1 << 20

TIME, MEMORY, CANCELLED = "time", "memory", "cancelled"


def rss_bytes() -> int:
    """The process's resident memory now (Linux: /proc/self/statm; elsewhere the peak, from ``resource``)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        try:
            import resource
        except ImportError:  # no way to read it: no ceiling can be checked
            return 0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if os.uname().sysname == "Darwin" else peak * 1024


class JobBudget:
    """``seconds``: the job's time budget, ``memory_mb``: its memory ceiling (0: none); ``cancel``: set
    by another thread to stop the job (the administrator's "Dừng lượt nạp")."""

    def __init__(self, seconds: float = 0, memory_mb: float = 0, cancel: threading.Event | None = None) -> None:
        self.seconds = seconds
        self.memory_mb = memory_mb
        self.cancel = cancel or threading.Event()
        self.started = time.monotonic()
        self.rss_start = rss_bytes() if memory_mb else 0
        self.current = ""  # the file being processed
        self.last = ""  # the file processed last
        self.current_since = self.started
        self.spent: dict[str, float] = {}  # seconds spent on each file, all stages together
        self.reason = ""  # why the job stopped: TIME, MEMORY or CANCELLED ("" while it goes on)
        self.culprit = ""  # the file being processed (or processed last) when it did
        self.grown_mb = 0.0  # the memory growth seen when the ceiling was passed

    def start(self, name: str) -> None:
        """``name`` is processed from now on (the previous file is done)."""
        self._close()
        self.current, self.current_since = name, time.monotonic()
        if name:
            self.last = name

    def _close(self) -> None:
        if self.current:
            self.spent[self.current] = self.spent.get(self.current, 0.0) + time.monotonic() - self.current_since
            self.current = ""

    def grown(self) -> float:
        """MB the process's resident memory has grown since the job started."""
        return (rss_bytes() - self.rss_start) / MB

    def _why(self, within: bool) -> str:
        if self.cancel.is_set():
            return CANCELLED
        if self.memory_mb:
            grown = self.grown()
            if grown > self.memory_mb:
                self.grown_mb = grown
                return MEMORY
        if not within and self.seconds and time.monotonic() - self.started > self.seconds:
            return TIME
        return ""

    def _stop(self, reason: str) -> None:
        self.reason, self.culprit = reason, self.current or self.last or "?"
        self._close()
        if reason == TIME:
            log.warning("ingest time budget of %g s (NQ_MAX_INGEST_SECONDS) ran out while %s was processed "
                        "(%.1f s on it)", self.seconds, self.culprit, self.spent.get(self.culprit, 0.0))
        elif reason == MEMORY:
            log.warning("ingest stopped: resident memory grew by %.0f MB, over the %g MB ceiling "
                        "(NQ_MAX_INGEST_MEMORY_MB), while %s was processed", self.grown_mb, self.memory_mb,
                        self.culprit)
        else:
            log.warning("ingest cancelled by the administrator while %s was processed", self.culprit)

    def over(self) -> bool:
        """Must the job stop (between two files)? The first time it must, the file being processed (or
        processed last) is its culprit."""
        if self.reason:
            return True
        reason = self._why(within=False)
        if reason:
            self._stop(reason)
        return bool(reason)

    def check(self) -> None:
        """Inside a file: raise the culprit's error when the job was cancelled or passed its memory
        ceiling (the time budget waits for the end of the file)."""
        if not self.reason:
            reason = self._why(within=True)
            if not reason:
                return
            self._stop(reason)
        raise self.refusal(self.culprit)

    def refusal(self, name: str = "") -> IngestStopped:
        """The error reported for ``name``, a file the job did not finish (the culprit, or one it did not
        get to)."""
        culprit = self.culprit
        if self.reason == CANCELLED:
            return IngestCancelled(
                f"not ingested: the administrator cancelled the ingest job (while '{culprit}' was processed)",
                "Chưa được nạp: quản trị viên đã dừng lượt nạp.")
        if self.reason == MEMORY:
            mb = f"{self.memory_mb:g}"
            if name == culprit:
                return MemoryCeilingExceeded(
                    f"not ingested: the job's resident memory grew by {self.grown_mb:.0f} MB, over the {mb} MB "
                    f"ceiling (NQ_MAX_INGEST_MEMORY_MB), while '{culprit}' was processed",
                    f"Chưa được nạp: lượt nạp vượt giới hạn bộ nhớ {mb} MB khi nạp tệp '{culprit}'.")
            return MemoryCeilingExceeded(
                f"not ingested: the job stopped when its resident memory grew over the {mb} MB ceiling "
                f"(NQ_MAX_INGEST_MEMORY_MB) while '{culprit}' was processed; run the ingest again to continue",
                f"Chưa được nạp: lượt nạp đã dừng vì vượt giới hạn bộ nhớ {mb} MB khi nạp tệp '{culprit}'; "
                f"hãy nạp lại để tiếp tục.")
        took = self.spent.get(culprit, 0.0)
        return TimeBudgetExceeded(
            f"not ingested: the job's time budget of {self.seconds:g} s (NQ_MAX_INGEST_SECONDS) ran out while "
            f"'{culprit}' was processed ({took:.1f} s on it); run the ingest again to continue",
            f"Chưa được nạp: lượt nạp đã hết thời gian cho phép ({self.seconds:g} giây) khi đang xử lý tệp "
            f"'{culprit}' (mất {took:.0f} giây); hãy nạp lại để tiếp tục.")
