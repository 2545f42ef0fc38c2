"""One ingest job's time budget (NQ_MAX_INGEST_SECONDS), and which file used it up.

A job reads, cuts and writes its files one after another; the budget is checked between two files
(never inside one: a document being written is made live whole or not at all). When it has run out,
the file that was being processed when it did is named (with the time it took), and every file not
yet done is reported as not ingested, naming that file. Documents already written stay: running the
job again skips them and goes on with the rest.
"""

from __future__ import annotations

import logging
import time

from errors import TimeBudgetExceeded

log = logging.getLogger(__name__)


class JobBudget:
    """``seconds``: the job's budget; 0 means none."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()
        self.current = ""  # the file being processed
        self.current_since = self.started
        self.spent: dict[str, float] = {}  # seconds spent on each file, all stages together
        self.culprit = ""  # the file being processed when the budget ran out

    def start(self, name: str) -> None:
        """``name`` is processed from now on (the previous file is done)."""
        self._close()
        self.current, self.current_since = name, time.monotonic()

    def _close(self) -> None:
        if self.current:
            self.spent[self.current] = self.spent.get(self.current, 0.0) + time.monotonic() - self.current_since
            self.current = ""

    def over(self) -> bool:
        """Has the budget run out? The first time it has, the file processed last is its culprit."""
        if self.culprit:
            return True
        if not self.seconds or time.monotonic() - self.started <= self.seconds:
            return False
        last = self.current
        self._close()
        self.culprit = last or "?"
        log.warning("ingest time budget of %g s (NQ_MAX_INGEST_SECONDS) ran out while %s was processed (%.1f s on it)",
                    self.seconds, self.culprit, self.spent.get(self.culprit, 0.0))
        return True

    def refusal(self) -> TimeBudgetExceeded:
        """The error reported for a file the job did not get to."""
        took = self.spent.get(self.culprit, 0.0)
        return TimeBudgetExceeded(
            f"not ingested: the job's time budget of {self.seconds:g} s (NQ_MAX_INGEST_SECONDS) ran out while "
            f"'{self.culprit}' was processed ({took:.1f} s on it); run the ingest again to continue",
            f"Chưa được nạp: lượt nạp đã hết thời gian cho phép ({self.seconds:g} giây) khi đang xử lý tệp "
            f"'{self.culprit}' (mất {took:.0f} giây); hãy nạp lại để tiếp tục.")
