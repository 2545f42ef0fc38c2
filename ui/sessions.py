"""The administrator's session: the password is exchanged once (``POST /api/admin/session``) for a
signed, expiring, httpOnly cookie, which management actions check; the browser never keeps the
password. Scripts may send ``Authorization: Bearer <password>`` on each call instead.

Every password attempt (a login or a Bearer header) goes through a per-client throttle: after
NQ_ADMIN_MAX_FAILURES failures in a row the client is locked out for NQ_ADMIN_LOCKOUT_S seconds,
doubled at each further failure (at most LOCKOUT_CAP_S); each failure is one log line naming the
client's address, never the password.

The signing key is drawn at start: a restart ends every session."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time

from errors import Forbidden
from settings import Settings
from ui.admin import printable

log = logging.getLogger(__name__)

COOKIE = "nq_admin"
LOCKOUT_CAP_S = 3600  # the longest lock-out, however many failures
MAX_TRACKED_CLIENTS = 10_000  # clients whose failures are remembered; the oldest are dropped beyond


class LockedOut(Forbidden):
    """Too many wrong passwords from one client: refused, whatever it sends, until the lock ends."""

    def __init__(self, seconds: float):
        wait = max(1, int(seconds + 0.999))
        super().__init__(f"too many wrong administrator passwords; locked out for {wait} s",
                         f"Nhập sai mật khẩu quản trị quá nhiều lần. Vui lòng thử lại sau {wait} giây.")
        self.retry_after = wait


class Throttle:
    """Failed password attempts per client address, with exponential back-off."""

    def __init__(self, max_failures: int, lockout_s: float, clock=time.monotonic) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # client -> (failures in a row, locked until)

    def check(self, client: str) -> None:
        """Raise LockedOut while ``client`` is locked out."""
        with self._lock:
            _, until = self._failures.get(client, (0, 0.0))
        left = until - self._clock()
        if left > 0:
            raise LockedOut(left)

    def failed(self, client: str, action: str = "login") -> int:
        """Count a wrong password from ``client`` (one log line: ``action``, the client, its failures in
        a row, the lock-out it earned; never the password); returns its failures in a row."""
        with self._lock:
            n = self._failures.pop(client, (0, 0.0))[0] + 1
            until = 0.0
            if n >= self.max_failures:
                until = self._clock() + min(self.lockout_s * 2 ** (n - self.max_failures), LOCKOUT_CAP_S)
            self._failures[client] = (n, until)
            while len(self._failures) > MAX_TRACKED_CLIENTS:
                self._failures.pop(next(iter(self._failures)))
        log.warning("administrator password refused: %s client=%s failures=%d%s", printable(action), client, n,
                    f" locked_for={int(until - self._clock() + 0.999)}s" if until else "")
        return n

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


class AdminGate:
    """Who may change the library: checks a session cookie or a password, issues sessions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.session_s = settings.admin_session_minutes * 60
        self.throttle = Throttle(settings.admin_max_failures, settings.admin_lockout_s)
        self._key = secrets.token_bytes(32)
        self._ended: dict[str, float] = {}  # nonces of sessions logged out -> their expiry

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).hexdigest()

    def check_password(self, password: str, client: str, action: str = "login") -> None:
        """Raise LockedOut or Forbidden unless ``password`` is the administrator's; throttled per client."""
        try:
            self.throttle.check(client)
        except LockedOut:
            log.warning("administrator password refused: %s client=%s locked out", printable(action), client)
            raise
        given = (password or "").encode("utf-8")
        if not hmac.compare_digest(given, self.settings.admin_password.encode("utf-8")):
            n = self.throttle.failed(client, action)
            if n >= self.throttle.max_failures:
                self.throttle.check(client)  # this failure locked the client out: say so
            raise Forbidden("wrong administrator password (NQ_ADMIN_PASSWORD)",
                            "Sai mật khẩu quản trị: vui lòng kiểm tra và nhập lại.")
        self.throttle.succeeded(client)

    def login(self, password: str, client: str) -> str:
        """A new session token for the administrator's ``password`` (else LockedOut or Forbidden)."""
        self.check_password(password, client)
        payload = f"{int(time.time() + self.session_s)}.{secrets.token_hex(16)}"
        log.info("administrator session opened: client=%s", client)
        return f"{payload}.{self._sign(payload)}"

    def valid(self, token: str | None) -> bool:
        """Is ``token`` a session this process issued, not expired nor ended?"""
        expires, _, rest = (token or "").partition(".")
        nonce, _, signature = rest.partition(".")
        if not (expires.isdigit() and nonce and signature):
            return False
        if not hmac.compare_digest(signature, self._sign(f"{expires}.{nonce}")):
            return False
        return int(expires) > time.time() and nonce not in self._ended

    def logout(self, token: str | None) -> None:
        if self.valid(token):
            expires, nonce = token.split(".")[:2]
            now = time.time()
            self._ended = {n: e for n, e in self._ended.items() if e > now}
            self._ended[nonce] = float(expires)

    def authorize(self, request, action: str = "change", quiet: bool = False) -> None:
        """Raise Forbidden (LockedOut) unless ``request`` (a Starlette or Gradio request) comes from
        the administrator: a valid session cookie, or ``Authorization: Bearer <password>``. Open
        without NQ_ADMIN_PASSWORD (loopback only, ui.admin.check_serving). A refusal is one log line
        naming ``action`` and the client (none when ``quiet`` and no password was given)."""
        if self.settings.management_open:
            return
        if self.valid((getattr(request, "cookies", None) or {}).get(COOKIE)):
            return
        client = client_of(request)
        scheme, _, token = ((getattr(request, "headers", None) or {}).get("authorization") or "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            self.check_password(token.strip(), client, action)
            return
        if not quiet:
            log.warning("%s refused: not an administrator (client %s)", printable(action), client)
        self.throttle.check(client)  # a locked-out client is told how long it waits
        raise Forbidden("changing the library needs an administrator session (POST /api/admin/session) "
                        "or Authorization: Bearer <NQ_ADMIN_PASSWORD>")

    def is_admin(self, request) -> bool:
        """``authorize`` as a yes or no (a status poll: its own refusal, no toast)."""
        try:
            self.authorize(request, quiet=True)
            return True
        except Forbidden:
            return False

    def cookie_options(self, secure: bool) -> dict:
        return {"key": COOKIE, "max_age": self.session_s, "httponly": True, "samesite": "strict",
                "secure": secure, "path": "/"}


SESSION_PATH = "/api/admin/session"


def login_js() -> str:
    """The "Đăng nhập" button, in the browser: the password is sent to SESSION_PATH (not through a
    Gradio event), the field is cleared and the server's Vietnamese answer shown."""
    return ("async (password) => { const r = await fetch(%r, {method: 'POST', credentials: 'same-origin', "
            "headers: {'content-type': 'application/json'}, body: JSON.stringify({password: password || ''})}); "
            "let m = ''; try { m = (await r.json()).message || ''; } catch (e) {} "
            "return ['', (r.ok ? '✅ ' : '❌ ') + (m || r.status)]; }" % SESSION_PATH.lstrip("/"))


def logout_js() -> str:
    return ("async () => { const r = await fetch(%r, {method: 'DELETE', credentials: 'same-origin'}); "
            "let m = ''; try { m = (await r.json()).message || ''; } catch (e) {} return m; }"
            % SESSION_PATH.lstrip("/"))


def client_of(request) -> str:
    """The client's address of a Starlette or Gradio request."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"
