"""The project's own exception types.

Every error carries an English message (``str(err)``, for logs and the CLI) and a
Vietnamese one (``err.message_vi``) that the UI shows. Only entry points (UI, CLI,
HTTP API) turn these into user-facing messages.
"""

from __future__ import annotations

import re

# What an error message of an LLM server may echo of a credential: an OpenAI-style key
# ("sk-…"), a masked one ("sk-LEAKT***abcd", "abcd****wxyz"), a bearer token, "key=…".
_SECRET_RE = re.compile(
    r"\bsk-[A-Za-z0-9_\-*]{3,}"
    r"|[A-Za-z0-9_\-]*\*{3,}[A-Za-z0-9_\-]*"
    r"|(?i:\bbearer\s+)[A-Za-z0-9_\-.~+/=*]+"
    r"|(?i:\b(?:api[_-]?key|access[_-]?token|token|password|secret)\s*[:=]\s*)['\"]?[^\s'\",;)]+")


def redact(text: str) -> str:
    """``text`` without anything that looks like a credential or a fragment of one."""
    return _SECRET_RE.sub("[redacted]", text)


# An absolute server path ("/srv/nq/storage", "C:/data/x.txt"); a URL's path is left alone.
_PATH_RE = re.compile(r"(?<![\w.:/~-])(?:~|[A-Za-z]:)?/(?:[^\s/'\"`(),;:]+/)+([^\s/'\"`(),;:]*)")


def without_paths(text: str) -> str:
    """``text`` for a response body: each absolute server path replaced by its last name
    ("/srv/nq/storage" -> "storage"), so a client learns no folder of the server."""
    return _PATH_RE.sub(lambda m: m.group(1) or "…", text)


class NQError(Exception):
    """Base class of every error this project raises on purpose."""

    message_vi: str = "Đã xảy ra lỗi."

    def __init__(self, message: str, message_vi: str | None = None):
        super().__init__(message)
        if message_vi is not None:
            self.message_vi = message_vi

    def __reduce__(self):
        """Both messages cross a process boundary (an answer worker's error reaches the server whole)."""
        return (type(self), (str(self), self.message_vi))


class ConfigError(NQError):
    """A setting has a bad value; the message names the value and the fix."""

    message_vi = "Cấu hình không hợp lệ."


class InputError(NQError):
    """A question or a request the product cannot take as it is."""

    message_vi = "Câu hỏi không hợp lệ."


class DocumentError(NQError):
    """A file that cannot be ingested (base of the file errors below)."""

    message_vi = "Không đọc được tệp."


class UnsupportedFileType(DocumentError):
    message_vi = "Định dạng tệp không được hỗ trợ (chỉ nhận .txt, .md, .docx, .pdf)."


class EmptyDocument(DocumentError):
    message_vi = "Tệp rỗng hoặc không có nội dung văn bản."


class DecodeFailure(DocumentError):
    message_vi = "Không nhận dạng được bảng mã của tệp văn bản."


class CorruptDocument(DocumentError):
    message_vi = "Tệp bị hỏng hoặc không đúng định dạng."


class FileTooLarge(DocumentError):
    message_vi = "Tệp vượt quá dung lượng cho phép."


class IndexMismatch(NQError):
    """The collection was built with another embedding model."""

    message_vi = "Chỉ mục được xây dựng bằng mô hình nhúng khác; cần xây dựng lại chỉ mục."


class StoreUnavailable(NQError):
    """The vector store (embedded or server) cannot be reached."""

    message_vi = "Không kết nối được kho dữ liệu vector."


class LLMError(NQError):
    """The LLM server failed, timed out or answered something unusable. The assistant catches
    it and falls back to the extractive answer; it never reaches the user as an error. Its
    message (shown in ``warnings`` and logs) never carries a credential (``redact``)."""

    message_vi = "Mô hình ngôn ngữ không phản hồi được."

    def __init__(self, message: str, message_vi: str | None = None):
        super().__init__(redact(message), message_vi)


class LLMTimeout(LLMError):
    message_vi = "Mô hình ngôn ngữ phản hồi quá thời gian cho phép."


class Forbidden(NQError):
    """A change to the library (upload, replace, remove) without the administrator's password."""

    message_vi = "Cần mật khẩu quản trị để thay đổi thư viện văn bản."


class RequestTooLarge(InputError):
    """A request body, or a history, over its limit; refused before any work."""

    message_vi = "Yêu cầu quá lớn."


class IndexCorrupt(StoreUnavailable):
    """The index files cannot be read (a damaged or unreadable store); the message names the fix."""

    message_vi = ("Chỉ mục bị hỏng hoặc không đọc được. Quản trị viên cần chạy: "
                  "python app.py ingest --rebuild data/")


class DiskFull(StoreUnavailable):
    """A write to the vector store found no room on its disk (ENOSPC, sqlite's "database or disk is
    full"); what the failed write left is removed."""

    message_vi = ("Hết dung lượng đĩa: không ghi được vào kho dữ liệu vector. Quản trị viên cần giải phóng "
                  "dung lượng ổ đĩa rồi thử lại; văn bản đang có không thay đổi.")


class WorkerFailure(NQError):
    """An answer worker process stopped (serve --workers): the question it held is not answered;
    the workers are started again."""

    message_vi = "Máy chủ đang khởi động lại bộ trả lời; vui lòng hỏi lại sau giây lát."


class IngestStopped(DocumentError):
    """A file not ingested because its ingest job stopped (ingest.job_budget): time, memory or the
    administrator's cancel; the message says why and names the file the job was on."""

    message_vi = "Lượt nạp văn bản đã dừng; tệp này chưa được nạp."


class TimeBudgetExceeded(IngestStopped):
    """A file not ingested because the ingest job's time budget (NQ_MAX_INGEST_SECONDS) ran out; the
    message names the file that was being processed when it did."""

    message_vi = "Hết thời gian cho phép của lượt nạp văn bản; tệp này chưa được nạp."


class MemoryCeilingExceeded(IngestStopped):
    """A file not ingested because the ingest job's resident memory grew over its ceiling
    (NQ_MAX_INGEST_MEMORY_MB); the message names the file that was being processed when it did."""

    message_vi = "Lượt nạp văn bản vượt giới hạn bộ nhớ; tệp này chưa được nạp."


class IngestCancelled(IngestStopped):
    """A file not ingested because the administrator stopped the ingest job."""

    message_vi = "Chưa được nạp: quản trị viên đã dừng lượt nạp."
