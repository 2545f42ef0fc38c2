"""Fair shares of the answering work among the API's clients (issue 23, "Hardening").

A client is a socket address (the peer's IP; behind a reverse proxy every request comes from the
proxy's, so put the limit at the proxy too). ``FairGate`` admits at most ``total`` answers at once
(the answers the chat runs at once, ui.chat.answers_at_once) and at most ``per_client``
(NQ_MAX_CLIENT_CONCURRENCY) of them for one client. A request over its client's share waits in that
client's own queue, briefly (``CLIENT_WAIT_S``); a freed slot goes to the waiting clients in turn
(round robin), never to the client that already has the most, so a flood from one address costs
another client at most one answer's time. A client that already has ``per_client`` waiting, or whose
wait runs out, is refused (``Busy``: HTTP 429 with Retry-After).

Why a short queue and not an immediate 429: an honest page or script that sends three questions at
once gets three answers, a moment later; only a flood is refused, and what it costs the server is a
waiting coroutine, never an answer. A waiting request whose client has hung up is dropped before its
answer starts (``gone``: ``Request.is_disconnected``), so a flood of requests reset right after
sending costs no answer beyond the ``per_client`` already running.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager, contextmanager

log = logging.getLogger(__name__)

# How long a request over its client's share waits for a slot: a little over ten answers to 2,000
# characters (109 ms each, README "Security and reliability", bench/question_cost.py).
CLIENT_WAIT_S = 1.5
# How often a waiting request checks that its client is still there: a hung-up request is dropped
# within this, well inside one answer's time (~40 ms for a short question).
DISCONNECT_POLL_S = 0.05
# Retry-After of a refusal, in seconds (an integer, RFC 9110): one answer's time rounded up.
RETRY_AFTER_S = 1


class Busy(Exception):
    """A client over its share: the 429 response says so in Vietnamese and names Retry-After."""

    message_vi = "Bạn đang gửi quá nhiều câu hỏi cùng lúc; vui lòng chờ câu trả lời trước rồi hỏi tiếp."
    retry_after = RETRY_AFTER_S


class Gone(Exception):
    """The client hung up before its turn: nothing is answered."""


class FairGate:
    """Answer slots shared among clients: ``total`` at once, ``per_client`` for one client; one
    event loop's object (the server's), so no lock is needed."""

    def __init__(self, total: int, per_client: int, wait_s: float = CLIENT_WAIT_S) -> None:
        self.total = max(1, total)
        self.per_client = max(1, per_client)
        self.wait_s = wait_s
        self.running: Counter = Counter()
        self.waiting: dict[str, deque[asyncio.Future]] = {}
        self.busy = 0

    def load(self) -> dict[str, int]:
        """Answers running and questions waiting for a slot (shown by /api/health)."""
        return {"answers_running": self.busy, "questions_waiting": sum(len(q) for q in list(self.waiting.values()))}

    def _waiters(self, client: str) -> int:
        return len(self.waiting.get(client, ()))

    def _may_start(self, client: str) -> bool:
        return self.busy < self.total and self.running[client] < self.per_client

    def _grant(self, client: str) -> None:
        self.busy += 1
        self.running[client] += 1

    @asynccontextmanager
    async def slot(self, client: str, gone: Callable[[], Awaitable[bool]]):
        """Hold one of the client's slots for the block; Busy when over its share, Gone when the
        client hung up before its turn (checked before the block starts, too)."""
        if self._may_start(client) and not self._waiters(client):
            self._grant(client)
        else:
            await self._wait(client, gone)
        try:
            if await gone():
                raise Gone(client)
            yield
        finally:
            self._release(client)

    async def _wait(self, client: str, gone: Callable[[], Awaitable[bool]]) -> None:
        if self._waiters(client) >= self.per_client:
            raise Busy(client)
        turn: asyncio.Future = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(client, deque()).append(turn)
        deadline = time.monotonic() + self.wait_s
        try:
            while not turn.done():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Busy(client)
                await asyncio.wait([turn], timeout=min(DISCONNECT_POLL_S, left))
                if not turn.done() and await gone():
                    raise Gone(client)
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._release(client)  # granted just as it gave up: handed on
            else:
                turn.cancel()
                self._forget(client, turn)
            raise

    def _forget(self, client: str, turn: asyncio.Future) -> None:
        queue = self.waiting.get(client)
        if queue is not None:
            if turn in queue:
                queue.remove(turn)
            if not queue:
                del self.waiting[client]

    def _release(self, client: str) -> None:
        self.busy -= 1
        self.running[client] -= 1
        if self.running[client] <= 0:
            del self.running[client]
        self._dispatch()

    def _dispatch(self) -> None:
        """Free slots to the waiting clients, the one with the fewest answers running first (ties:
        the one that has waited longest, as dicts keep their order and a served client goes last)."""
        while self.busy < self.total:
            ready = [c for c, q in self.waiting.items() if q and self.running[c] < self.per_client]
            if not ready:
                return
            client = min(ready, key=lambda c: self.running[c])
            queue = self.waiting.pop(client)
            turn = queue.popleft()
            if queue:
                self.waiting[client] = queue  # to the back of the round
            self._grant(client)
            turn.set_result(True)


class ClientShare:
    """The chat's share per client: at most ``per_client`` answers running for one address. Gradio's
    queue serves events in order, whoever sent them; a chat event over its client's share is refused
    at once (Busy) instead of answered, so a flood of events from one address drains in the time of
    its refusals (milliseconds each) and the next client's question is reached soon. Called from
    Gradio's worker threads, hence the lock."""

    def __init__(self, per_client: int) -> None:
        self.per_client = max(1, per_client)
        self.running: Counter = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, client: str):
        with self._lock:
            if self.running[client] >= self.per_client:
                raise Busy(client)
            self.running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self.running[client] -= 1
                if self.running[client] <= 0:
                    del self.running[client]
