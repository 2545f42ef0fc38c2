"""Who may change the library: asking is open to everyone; uploading, replacing and removing
documents need the administrator (NQ_ADMIN_PASSWORD; the session and the password checks are
ui.sessions). With no password set, management is open only to whoever reaches a loopback address,
and ``serve`` refuses any other interface.

Uploads: only files Gradio received through its upload route (its upload folder) are ingested,
never a path a caller names."""

from __future__ import annotations

import ipaddress
import logging
import time
import unicodedata
from pathlib import Path

from errors import ConfigError, InputError
from settings import Settings

# One line per change of the library (upload, replacement, removal): who, what, when. Written at
# INFO whatever the app's log level (``python app.py`` shows warnings only unless -v).
audit_log = logging.getLogger("nq.audit")
audit_log.setLevel(logging.INFO)


def printable(text: str) -> str:
    """``text`` safe on one log line: control characters (a newline in an id) shown as escapes."""
    return "".join(c if unicodedata.category(c)[0] != "C" else repr(c)[1:-1] for c in str(text))


def audit_change(action: str, doc_id: str, client: str, **details) -> None:
    """Log one library change: ``action`` ("added", "replaced", "removed") of document ``doc_id`` by
    ``client`` (its address), with the time in UTC."""
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    extra = "".join(f" {k}={printable(v)}" for k, v in details.items())
    audit_log.info("library change: %s document=%s client=%s at=%s%s", action, printable(doc_id)[:300],
                   printable(client), when, extra)


def local_user() -> str:
    """Who changes the library from the command line: "cli:<user>" (the account running it)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no name for the process's uid (a bare container)
        import os

        return f"cli:uid-{os.getuid()}"


def audit_job(action: str, job: int, client: str) -> None:
    """Log one administrator's action on an ingest job (``action``: "cancelled") by ``client`` (its
    address), with the time in UTC."""
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    audit_log.info("ingest job %s: job=%d client=%s at=%s", action, job, printable(client), when)


def is_loopback(host: str) -> bool:
    if host.strip().lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_serving(settings: Settings) -> None:
    """Refuse to serve document management to other machines without a password."""
    if settings.management_open and not is_loopback(settings.host):
        raise ConfigError(
            f"NQ_HOST={settings.host} is not a loopback address and NQ_ADMIN_PASSWORD is not set: anyone who "
            f"reaches the app could upload, replace and remove documents. Set NQ_ADMIN_PASSWORD, or serve on "
            f"127.0.0.1 (behind a reverse proxy)")


def uploaded_path(path: str | Path, upload_folder: str | Path) -> Path:
    """``path`` if it is a regular file Gradio saved in its upload folder (not a symlink, not
    reached through ``..``); anything else is refused: a caller naming a server path must not get
    it indexed."""
    p = Path(path)
    folder = Path(upload_folder).resolve()
    resolved = p.resolve()
    inside = resolved != folder and folder in resolved.parents
    if not inside or p.is_symlink() or not resolved.is_file():
        raise InputError(f"{p.name!r} is not a file uploaded to this app; refused",
                         f"Tệp '{p.name}' không phải tệp đã tải lên; không được nạp.")
    return resolved


# An upload nobody ingested is deleted after UPLOAD_KEEP_S (Gradio's delete_cache, checked every
# UPLOAD_SWEEP_S); an ingested one as soon as its job ends (discard_uploads).
UPLOAD_KEEP_S = 3600
UPLOAD_SWEEP_S = 600


def discard_uploads(paths: list[Path], upload_folder: str | Path) -> None:
    """Delete uploaded files once indexed (their text is in the index), and the folders Gradio made
    for them when left empty; nothing outside ``upload_folder`` is touched."""
    folder = Path(upload_folder).resolve()
    for p in paths:
        p = Path(p)
        if folder not in p.resolve().parents:
            continue
        try:
            p.unlink(missing_ok=True)
            if p.parent.resolve() != folder:
                p.parent.rmdir()  # only when empty
        except OSError:
            pass


def upload_box(**kwargs):
    """A gr.File for uploads. Gradio's preprocessing of a "filepath" file opens a NamedTemporaryFile
    in its cache for each file and never uses it: an empty file left behind by every ingest call.
    The instance's preprocessing of one file is replaced by what it returns (the path Gradio saved)."""
    import gradio as gr
    from gradio.utils import NamedString

    box = gr.File(**kwargs)
    box._process_single_file = lambda f: NamedString(f.path)
    return box
