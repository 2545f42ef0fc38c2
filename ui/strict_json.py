"""Gradio's own JSON routes (``/gradio_api/call/…``, ``/gradio_api/queue/join``, ``/gradio_api/run/…``)
held to the API's rule (issue 23, "Errors"): a malformed request is one HTTP 400 ``{"error",
"message"}`` and one log line, never Gradio's 500 or its English 422.

``StrictJson`` is an ASGI middleware. A JSON body sent to one of those routes is read whole (the
BodyLimit middleware outside it bounds it) and parsed by ``ui.bodies.parse_json``: bytes that are not
UTF-8, JSON the parser rejects, nesting too deep or a lone surrogate (which Gradio's own parser lets
through, to fail later with a 500) get the 400 before Gradio sees them; a body that parses is passed on
byte for byte. A request Gradio then refuses with its 422 (a field missing or of the wrong type) is
answered 400 in the same form instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ui.bodies import BadBody, parse_json, shorten

GRADIO_PREFIX = "/gradio_api/"
MESSAGE_VI = "Yêu cầu không hợp lệ."


class StrictJson:
    def __init__(self, app, refuse: Callable, skip: tuple[str, ...] = ()) -> None:
        """``refuse(error, message)``: the 400 response (it logs the line); ``skip``: path prefixes
        left alone (the upload route's multipart body)."""
        self.app = app
        self.refuse = refuse
        self.skip = skip

    async def __call__(self, scope, receive, send):
        if (scope["type"] != "http" or not scope["path"].startswith(GRADIO_PREFIX)
                or scope["path"].startswith(self.skip)):
            return await self.app(scope, receive, send)
        if scope["method"] == "POST" and _content_type(scope) == "application/json":
            chunks, more = [], True
            while more:
                message = await receive()
                if message["type"] != "http.request":  # the client left: nothing to answer
                    return
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
            raw = b"".join(chunks)
            try:
                parse_json(raw)
            except BadBody as exc:
                return await self.refuse(str(exc), exc.message)(scope, receive, send)
            receive = _replay(raw, receive)
        await self.app(scope, receive, self._no_422(scope, receive, send))

    def _no_422(self, scope, receive, send):
        """``send`` with a 422 response of Gradio's (its validation of the fields) turned into our 400."""
        held: dict = {}

        async def wrapped(message):
            if message["type"] == "http.response.start" and message["status"] == 422:
                held["start"], held["body"] = message, b""
                return
            if "start" in held and message["type"] == "http.response.body":
                held["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                try:
                    detail = json.loads(held["body"]).get("detail", "")
                except (ValueError, AttributeError):
                    detail = held["body"][:200].decode("utf-8", "replace")
                return await self.refuse(f"invalid request: {shorten(detail)}", MESSAGE_VI)(scope, receive, send)
            await send(message)

        return wrapped


def _content_type(scope) -> str:
    value = dict(scope.get("headers") or []).get(b"content-type", b"")
    return value.decode("latin-1").split(";")[0].strip().lower()


def _replay(raw: bytes, receive):
    """A ``receive`` that gives the body read once more, then waits on the client as before."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replayed
