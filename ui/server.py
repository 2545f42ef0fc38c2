"""One process serves the Gradio chat at / and the JSON API at /api/ask.

``POST /api/ask`` takes ``{"question", "history"?, "docs"?: [doc ids]}``; bad input (an empty
question, ``docs`` not a list of strings, an unknown document) is HTTP 400 ``{"error", "message"}``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from errors import InputError, NQError
from answering.chain import Assistant

log = logging.getLogger(__name__)


class AskRequest(BaseModel):
    question: str | None = None
    history: list | None = None
    docs: Any = None  # checked by the assistant, so a bad value is a 400 with a Vietnamese message


def create_app(assistant: Assistant) -> FastAPI:
    import gradio as gr

    from ui.chat import CSS, GRADIO_STRINGS_VI, build_ui

    api = FastAPI(title="Hỏi đáp Nghị quyết", docs_url="/api/docs", openapi_url="/api/openapi.json")

    @api.post("/api/ask")
    def api_ask(req: AskRequest):
        try:
            return assistant.ask(req.question or "", req.history, docs=req.docs).to_dict()
        except InputError as exc:
            log.info("rejected question: %s", exc)
            return JSONResponse(status_code=400, content={"error": str(exc), "message": exc.message_vi})
        except NQError as exc:
            log.error("ask failed: %s", exc)
            return JSONResponse(status_code=503, content={"error": str(exc), "message": exc.message_vi})

    @api.get("/api/health")
    def health():
        return {"status": "ok", "chunks": assistant.store.count()}

    i18n = gr.I18n(en=GRADIO_STRINGS_VI, vi=GRADIO_STRINGS_VI)
    return gr.mount_gradio_app(api, build_ui(assistant), path="/", css=CSS, show_error=True, i18n=i18n)


def serve(assistant: Assistant) -> None:
    import uvicorn

    s = assistant.settings
    log.info("serving on http://%s:%s", s.host, s.port)
    uvicorn.run(create_app(assistant), host=s.host, port=s.port, log_level="warning")
