"""One process serves the Gradio chat at / and the JSON API at /api/ask.

``POST /api/ask`` takes a JSON object ``{"question", "history"?, "docs"?: [doc ids]}``; every bad
request (not JSON, invalid JSON, not an object, a question that is not a non-empty string, a history
that is not a list or over its limits, ``docs`` not a list of strings, an unknown document) is HTTP
400 ``{"error", "message"}``: ``error`` in English, ``message`` in Vietnamese; a store that fails
(Chroma down, a damaged index) is HTTP 503 with the same shape. ``/api/docs`` describes the API from
its OpenAPI schema in a page with no external assets (it works offline). ``GET /api/documents``
lists the documents; ``DELETE /api/documents/{id}`` removes one and needs ``Authorization: Bearer
<NQ_ADMIN_PASSWORD>`` (ui.admin). Every request body is limited before any work (NQ_MAX_REQUEST_KB;
an upload: NQ_MAX_FILE_MB per file): HTTP 413.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from errors import Forbidden, InputError, NQError, without_paths
from answering.chain import Assistant
from settings import Settings
from ui.bodies import BadBody, parse_json, shorten

log = logging.getLogger(__name__)


class AskRequest(BaseModel):
    """The request body, as documented in the OpenAPI schema (the handler checks it itself)."""

    question: str
    history: list | None = None
    docs: list[str] | None = None


def bad_request(error: str, message: str) -> JSONResponse:
    """HTTP 400 ``{"error", "message"}`` and one log line; the error is shortened (a rejected value
    may be long) and names no server path."""
    error = without_paths(shorten(error))
    log.info("rejected request: %s", error)
    return JSONResponse(status_code=400, content={"error": error, "message": message})


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_ask_request(request: Request) -> dict[str, Any] | JSONResponse:
    """The request's JSON object, or the 400 response that says what is wrong with it."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        return bad_request(f"content-type must be application/json, got {ctype or 'none'}",
                           "Yêu cầu phải gửi dữ liệu JSON (Content-Type: application/json).")
    try:
        body = parse_json(await request.body())
    except BadBody as exc:
        return bad_request(str(exc), exc.message)
    if not isinstance(body, dict):
        return bad_request("the body must be a JSON object", 'Dữ liệu gửi lên phải là một đối tượng JSON {"question": …}.')
    if not isinstance(body.get("question"), str):
        got = type(body.get("question")).__name__ if "question" in body else "nothing"
        return bad_request(f"question must be a string, got {got}", "Câu hỏi phải là một chuỗi văn bản.")
    if body.get("history") is not None and not isinstance(body["history"], list):
        return bad_request("history must be a list of earlier turns", "Lịch sử hội thoại phải là một danh sách.")
    return body


def docs_page(schema: dict) -> str:
    """The API's description from its OpenAPI schema, as one self-contained page (no CDN)."""
    rows = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            rows.append(f"<h2><code>{method.upper()} {html.escape(path)}</code></h2>"
                        f"<p>{html.escape(op.get('summary') or '')}</p>"
                        f"<pre>{html.escape(op.get('description') or '')}</pre>")
    components = json.dumps(schema.get("components", {}), ensure_ascii=False, indent=1)
    return ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>API – Hỏi đáp Nghị quyết</title>'
            "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "pre{background:#f1f5f9;padding:.75rem;overflow-x:auto;white-space:pre-wrap}</style></head><body>"
            "<h1>API – Hỏi đáp Nghị quyết</h1>"
            '<p>Lược đồ OpenAPI đầy đủ: <a href="/api/openapi.json">/api/openapi.json</a></p>'
            "<pre>curl -X POST localhost:7860/api/ask -H 'content-type: application/json' "
            "-d '{\"question\": \"ai ký nghị quyết\"}'</pre>"
            + "".join(rows) + f"<h2>Lược đồ dữ liệu</h2><pre>{html.escape(components)}</pre></body></html>")


# Gradio 6 records every public event's inputs (the administrator's password among them) in the
# browser's localStorage and shows them at /gradio_api/runs; off for the whole app: nothing is
# recorded, the page answers 404 and runs an earlier version saved are deleted from the browser.
RUN_HISTORY = False

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


FILE_PATH = "/gradio_api/file="


class UploadGate:
    """ASGI middleware: Gradio's upload route takes files for the administrator only (a session or a
    Bearer password, ui.sessions), checked before a byte of the body is read: 403 (429 when locked
    out) ``{"error", "message"}``. A file uploaded is served back (``/gradio_api/file=<path>``) to the
    administrator only; any other visitor gets 404, as for a file that is not there."""

    def __init__(self, app, gate, uploads) -> None:
        """``uploads()``: the paths Gradio saved from uploads (its Blocks' ``upload_file_set``)."""
        self.app = app
        self.gate = gate
        self.uploads = uploads

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith((UPLOAD_PATH, FILE_PATH)):
            return await self.app(scope, receive, send)
        from starlette.requests import Request as StarletteRequest

        request = StarletteRequest(scope)
        if scope["path"].startswith(FILE_PATH):
            if self._uploaded(scope["path"][len(FILE_PATH):]) and not self.gate.is_admin(request):
                return await JSONResponse(status_code=404, content={"detail": "Not Found"})(scope, receive, send)
            return await self.app(scope, receive, send)
        try:
            self.gate.authorize(request, "upload")
        except Forbidden as exc:
            return await refusal(exc)(scope, receive, send)
        return await self.app(scope, receive, send)

    def _uploaded(self, path: str) -> bool:
        from pathlib import Path
        from urllib.parse import unquote

        try:
            wanted = Path(unquote(path)).resolve()
            return any(Path(p).resolve() == wanted for p in list(self.uploads()))
        except (OSError, ValueError):
            return True  # a path that cannot be read is not served to a visitor


def refusal(exc: Forbidden) -> JSONResponse:
    """403 ``{"error", "message"}``, or 429 with Retry-After for a client locked out after too many
    wrong passwords (ui.sessions.LockedOut)."""
    wait = getattr(exc, "retry_after", None)
    response = _error(429 if wait else 403, exc)
    if wait:
        response.headers["retry-after"] = str(wait)
    return response


def _error(status: int, exc: NQError) -> JSONResponse:
    """``{"error", "message"}``; the English error names no server path (the log line does)."""
    return JSONResponse(status_code=status, content={"error": without_paths(shorten(str(exc), 500)),
                                                     "message": exc.message_vi})


def create_app(assistant: Assistant) -> FastAPI:
    import gradio as gr

    from ui.admin import audit_change
    from ui.chat import answers_at_once, build_ui
    from ui.page_assets import CITE_LINKS_JS, CSS, GRADIO_STRINGS_VI
    from ui.fairness import Busy, FairGate, Gone
    from ui.page_lang import VietnamesePage
    from ui.sessions import SESSION_PATH, AdminGate
    from ui.strict_json import StrictJson

    api = FastAPI(title="Hỏi đáp Nghị quyết", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    # inside BodyLimit (a middleware added later wraps those added before): the body it reads is bounded
    api.add_middleware(StrictJson, refuse=bad_request, skip=(UPLOAD_PATH,))
    api.add_middleware(BodyLimit, settings=assistant.settings)
    gate = AdminGate(assistant.settings)
    fair = FairGate(answers_at_once(assistant.settings), assistant.settings.max_client_concurrency)

    @api.post(SESSION_PATH, summary="Đăng nhập quản trị: đổi mật khẩu lấy phiên (cookie httpOnly)")
    async def open_session(request: Request):
        try:
            body = parse_json(await request.body())
        except BadBody as exc:
            return bad_request(str(exc), exc.message)
        password = body.get("password") if isinstance(body, dict) else None
        if not isinstance(password, str):
            return bad_request("the body must be {\"password\": \"…\"}", "Vui lòng nhập mật khẩu quản trị.")
        if not password:  # nothing typed: not a guess, said apart from a wrong password
            return bad_request("no password given", "Cần nhập mật khẩu quản trị để đăng nhập.")
        try:
            token = gate.login(password, client_address(request))
        except Forbidden as exc:
            return refusal(exc)
        minutes = assistant.settings.admin_session_minutes
        response = JSONResponse({"message": f"Đã đăng nhập quản trị (phiên có hiệu lực {minutes} phút)."})
        response.set_cookie(value=token, **gate.cookie_options(secure=request.url.scheme == "https"))
        return response

    @api.delete(SESSION_PATH, summary="Đăng xuất quản trị")
    def close_session(request: Request):
        options = gate.cookie_options(secure=request.url.scheme == "https")
        gate.logout(request.cookies.get(options["key"]))
        response = JSONResponse({"message": "Đã đăng xuất."})
        response.delete_cookie(options["key"], path=options["path"])
        return response

    @api.exception_handler(NQError)
    async def nq_error(request: Request, exc: NQError):  # a store failure anywhere: no bare 500
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
        return _error(400 if isinstance(exc, InputError) else 503, exc)

    @api.get("/api/documents", summary="Danh sách văn bản trong thư viện")
    def list_documents():
        # a document is named by its id and file name; where the server keeps it ("source") is not said
        return [{k: v for k, v in d.items() if k != "source"} for d in assistant.documents()]

    @api.delete("/api/documents/{doc_id:path}", summary="Gỡ một văn bản (cần quyền quản trị)")
    def remove_document(doc_id: str, request: Request):
        try:
            gate.authorize(request, f"removal of {shorten(doc_id, 120)}")
        except Forbidden as exc:
            return refusal(exc)
        n = assistant.store.delete_document(doc_id)
        if not n:
            return JSONResponse(status_code=404, content={"error": f"{doc_id} is not in the index",
                                                          "message": f"Không tìm thấy văn bản: {doc_id}."})
        audit_change("removed", doc_id, client_address(request), chunks=n)
        return {"removed": doc_id, "chunks": n}

    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return bad_request(f"invalid request: {jsonable_encoder(exc.errors())}", "Yêu cầu không hợp lệ.")
        return JSONResponse(status_code=422, content={"detail": jsonable_encoder(exc.errors())})

    @api.post("/api/ask", summary="Hỏi một câu, nhận câu trả lời kèm trích dẫn",
              description=("Thân yêu cầu: {\"question\": \"…\", \"history\": [các lượt trước]?, "
                           "\"docs\": [mã văn bản]?}. Trả về JSON câu trả lời (answer, found, citations, …). "
                           "Yêu cầu sai: HTTP 400 {\"error\", \"message\"}."),
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": AskRequest.model_json_schema()}}}})
    async def api_ask(request: Request):
        body = await read_ask_request(request)
        if isinstance(body, JSONResponse):
            return body
        client = client_address(request)
        try:
            async with fair.slot(client, request.is_disconnected):
                answer = await run_in_threadpool(assistant.ask, body["question"], body.get("history"),
                                                 docs=body.get("docs"))
            log.info("answered a question for %s", client)
            return answer.to_dict()
        except Busy as exc:
            log.info("refused a question from %s: over its share (NQ_MAX_CLIENT_CONCURRENCY)", client)
            return JSONResponse(status_code=429, headers={"retry-after": str(exc.retry_after)},
                                content={"error": "too many questions at once from this client "
                                                  "(NQ_MAX_CLIENT_CONCURRENCY)", "message": exc.message_vi})
        except Gone:
            log.info("dropped a question from %s: the client left before its turn", client)
            return JSONResponse(status_code=499, content={"error": "client closed the request",
                                                          "message": "Yêu cầu đã bị hủy."})
        except InputError as exc:
            return bad_request(str(exc), exc.message_vi)
        except NQError as exc:
            log.error("ask failed: %s", exc)
            return _error(503, exc)
        except Exception as exc:  # a bug: one line, and the shape every error has
            log.error("ask failed unexpectedly: %s: %s", type(exc).__name__, shorten(str(exc)))
            return JSONResponse(status_code=500, content={"error": "internal error",
                                                          "message": "Máy chủ gặp lỗi khi trả lời; vui lòng thử lại."})

    @api.get("/api/health", summary="Tình trạng: số đoạn đã lập chỉ mục")
    def health():
        try:
            assistant.store.refresh()
            return {"status": "ok", "chunks": assistant.store.count(), "documents": len(assistant.store.live().versions),
                    **fair.load()}
        except NQError as exc:
            log.error("health check failed: %s", exc)
            return JSONResponse(status_code=503, content={"status": "unavailable", "error": without_paths(str(exc)),
                                                          "message": exc.message_vi})

    @api.get("/api/docs", include_in_schema=False)
    def api_docs():
        return HTMLResponse(docs_page(api.openapi()))

    api.add_middleware(VietnamesePage)

    i18n = gr.I18n(en=GRADIO_STRINGS_VI, vi=GRADIO_STRINGS_VI)
    demo = build_ui(assistant, gate)
    api.add_middleware(UploadGate, gate=gate, uploads=lambda: demo.upload_file_set)
    app = gr.mount_gradio_app(api, demo, path="/", css=CSS, js=CITE_LINKS_JS, show_error=True, i18n=i18n,
                              max_file_size=assistant.settings.max_file_bytes, run_history=RUN_HISTORY)
    # Gradio checks that a file given to an event was uploaded through it (in its upload folder) only
    # once the Blocks "has launched", which mount_gradio_app never marks: without this, a call naming
    # any server path ({"path": "/home/…/x.md"}) gets that file copied in and indexed.
    demo.has_launched = True
    return app


# On SIGTERM the server stops taking requests and gives those running this long to finish (several
# answers' time: a long question takes ~0.1 s, an upload's job is a thread that stops with the process,
# its document never half-written); a client that keeps a connection open (a stream, keep-alive) no
# longer holds the stop for ever, as uvicorn's default (no limit) let it.
SHUTDOWN_GRACE_S = 5


def serve(assistant: Assistant) -> None:
    """Serve until stopped; prints "Sẵn sàng: http://…" once the server accepts questions (the index is
    built and the models are loaded before it starts)."""
    import uvicorn

    s = assistant.settings
    server = uvicorn.Server(uvicorn.Config(create_app(assistant), host=s.host, port=s.port, log_level="warning",
                                           timeout_graceful_shutdown=SHUTDOWN_GRACE_S))
    start = server.startup

    async def startup(sockets=None) -> None:
        await start(sockets=sockets)
        if server.started:
            print(f"Sẵn sàng: http://{s.host}:{s.port}", flush=True)

    server.startup = startup
    log.info("serving on http://%s:%s", s.host, s.port)
    server.run()
