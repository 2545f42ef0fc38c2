"""One process serves the Gradio chat at / and the JSON API at /api/ask.

``POST /api/ask`` takes ``{"question", "history"?, "docs"?: [doc ids]}``; bad input (an empty
question, ``docs`` not a list of strings, an unknown document, a history over its limits) is HTTP
400 ``{"error", "message"}``; a store that fails (Chroma down, a damaged index) is HTTP 503 with
the same shape. ``GET /api/documents`` lists the documents; ``DELETE /api/documents/{id}`` removes
one and needs ``Authorization: Bearer <NQ_ADMIN_PASSWORD>`` (ui.admin). Every request body is
limited before any work (NQ_MAX_REQUEST_KB; an upload: NQ_MAX_FILE_MB per file): HTTP 413.
"""

from __future__ import annotations

import logging
from typing import Any

import json

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from errors import Forbidden, InputError, NQError
from answering.chain import Assistant
from settings import Settings

log = logging.getLogger(__name__)


class AskRequest(BaseModel):
    question: str | None = None
    history: Any = None  # checked by the assistant (a list within NQ_MAX_HISTORY_*), a 400 otherwise
    docs: Any = None  # checked by the assistant, so a bad value is a 400 with a Vietnamese message


UPLOAD_PATH = "/gradio_api/upload"
UPLOAD_FILES = 10  # files one upload request may carry, each up to NQ_MAX_FILE_MB


class BodyLimit:
    """ASGI middleware: a request body over its limit is refused with 413 ``{"error", "message"}``
    before the app reads it: by its Content-Length, or, for a chunked body, as soon as the bytes
    received pass the limit."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.limit = settings.max_request_kb * 1024
        self.upload_limit = settings.max_file_bytes * UPLOAD_FILES + 64 * 1024

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.upload_limit if scope["path"].startswith(UPLOAD_PATH) else self.limit
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await self._refuse(send, limit)
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send, limit: int) -> None:
        body = json.dumps({"error": f"request body over {limit // 1024} KB (NQ_MAX_REQUEST_KB / NQ_MAX_FILE_MB)",
                           "message": "Yêu cầu quá lớn."}, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def _error(status: int, exc: NQError) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": str(exc), "message": exc.message_vi})


def create_app(assistant: Assistant) -> FastAPI:
    import gradio as gr

    from ui.admin import authorize, bearer
    from ui.chat import CSS, GRADIO_STRINGS_VI, build_ui

    api = FastAPI(title="Hỏi đáp Nghị quyết", docs_url="/api/docs", openapi_url="/api/openapi.json")
    api.add_middleware(BodyLimit, settings=assistant.settings)

    @api.exception_handler(NQError)
    async def nq_error(request: Request, exc: NQError):  # a store failure anywhere: no bare 500
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
        return _error(400 if isinstance(exc, InputError) else 503, exc)

    @api.get("/api/documents")
    def list_documents():
        return assistant.store.documents()

    @api.delete("/api/documents/{doc_id:path}")
    def remove_document(doc_id: str, request: Request):
        try:
            authorize(assistant.settings, bearer(request.headers.get("authorization")))
        except Forbidden as exc:
            return _error(403, exc)
        n = assistant.store.delete_document(doc_id)
        if not n:
            return JSONResponse(status_code=404, content={"error": f"{doc_id} is not in the index",
                                                          "message": f"Không tìm thấy văn bản: {doc_id}."})
        log.info("removed %s (%d chunks) through the API", doc_id, n)
        return {"removed": doc_id, "chunks": n}

    @api.post("/api/ask")
    def api_ask(req: AskRequest):
        try:
            return assistant.ask(req.question or "", req.history, docs=req.docs).to_dict()
        except InputError as exc:
            log.info("rejected question: %s", exc)
            return JSONResponse(status_code=400, content={"error": str(exc), "message": exc.message_vi})
        except NQError as exc:
            log.error("ask failed: %s", exc)
            return _error(503, exc)

    @api.get("/api/health")
    def health():
        try:
            assistant.store.refresh()
            return {"status": "ok", "chunks": assistant.store.count(), "documents": len(assistant.store.live().versions)}
        except NQError as exc:
            log.error("health check failed: %s", exc)
            return JSONResponse(status_code=503, content={"status": "unavailable", "error": str(exc),
                                                          "message": exc.message_vi})

    i18n = gr.I18n(en=GRADIO_STRINGS_VI, vi=GRADIO_STRINGS_VI)
    demo = build_ui(assistant)
    app = gr.mount_gradio_app(api, demo, path="/", css=CSS, show_error=True, i18n=i18n,
                              max_file_size=assistant.settings.max_file_bytes)
    # Gradio checks that a file given to an event was uploaded through it (in its upload folder) only
    # once the Blocks "has launched", which mount_gradio_app never marks: without this, a call naming
    # any server path ({"path": "/home/…/x.md"}) gets that file copied in and indexed.
    demo.has_launched = True
    return app


def serve(assistant: Assistant) -> None:
    import uvicorn

    s = assistant.settings
    log.info("serving on http://%s:%s", s.host, s.port)
    uvicorn.run(create_app(assistant), host=s.host, port=s.port, log_level="warning")
