"""Who may change the library: asking is open to everyone; uploading, replacing and removing
documents need the administrator's password (NQ_ADMIN_PASSWORD), typed in the "Văn bản" tab or
sent as ``Authorization: Bearer <password>`` to the API. With no password set, management is open
only to whoever reaches a loopback address, and ``serve`` refuses any other interface.

Uploads: only files Gradio received through its upload route (its upload folder) are ingested,
never a path a caller names."""

from __future__ import annotations

import hmac
import ipaddress
from pathlib import Path

from errors import ConfigError, Forbidden, InputError
from settings import Settings


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


def authorize(settings: Settings, password: str | None) -> None:
    """Raise Forbidden unless ``password`` is the administrator's (or none is set: loopback only)."""
    if settings.management_open:
        return
    given = (password or "").encode("utf-8")
    if not hmac.compare_digest(given, settings.admin_password.encode("utf-8")):
        raise Forbidden("changing the library needs the administrator's password (NQ_ADMIN_PASSWORD)")


def bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header ("" when absent)."""
    scheme, _, token = (header or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


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
