"""Gradio's page template says lang="en"; the UI is Vietnamese: ``VietnamesePage`` says lang="vi".

A plain ASGI middleware, not Starlette's ``@app.middleware("http")``: that one wraps every request's
``receive`` in a task group that a zero-time check cannot pass through, so
``Request.is_disconnected()`` never saw a client that had hung up (/api/ask drops such a question
before answering it, ui.fairness).
"""

from __future__ import annotations


class VietnamesePage:
    """Rewrites the first ``lang="en"`` of a GET's HTML page to ``lang="vi"``; everything else passes."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        start: dict | None = None
        chunks: list[bytes] = []

        async def rewriting_send(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    return await send(message)
                start = message  # held until the whole page is here
                return None
            if start is None or message["type"] != "http.response.body":
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return None
            body = b"".join(chunks).replace(b'lang="en"', b'lang="vi"', 1)
            headers = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewriting_send)
