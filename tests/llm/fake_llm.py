"""A scripted LLM server on 127.0.0.1 for the tests: real HTTP, two protocols.

- OpenAI chat completions: ``POST /v1/chat/completions``, a JSON reply, or with
  ``"stream": true`` server-sent events ``data: {chunk}`` ending with ``data: [DONE]``;
- Ollama: ``POST /api/chat``, one JSON object, or NDJSON lines when streaming (its default).

What it answers is a script: a fixed text, a ``Reply`` (status, delay before answering,
delay between streamed chunks), or a function of the request's messages returning either.
Every request body is recorded in ``requests``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Union


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before the response starts (longer than the client timeout = a timeout)
    chunk_delay: float = 0.0  # seconds between streamed chunks
    error: str = ""  # the error message of a failure status (default: "scripted failure <status>")


Script = Union[str, Reply, Callable[[list], Union[str, Reply]]]


def pieces(text: str) -> list[str]:
    """How the server cuts a reply into streamed chunks: a word and its trailing space each."""
    return re.findall(r"\S+\s*|\s+", text) or [""]


# -- reading the project's prompts (what a scripted reply may depend on) --------------------

def last_user(messages: list) -> str:
    return next((m.get("content", "") for m in reversed(messages) if m.get("role") in ("user", "human")), "")


def is_condense(messages: list) -> bool:
    return "Câu hỏi độc lập:" in last_user(messages)


def asked(messages: list) -> str:
    """The question of an answer prompt, or the follow-up of a condense prompt."""
    m = re.search(r"(?:Câu hỏi tiếp theo|Câu hỏi): (.*)", last_user(messages))
    return m.group(1).strip() if m else ""


def passages(messages: list) -> dict[int, str]:
    """The numbered passages of an answer prompt: n -> text (without its "[n] (source)" heading)."""
    body = last_user(messages).split("Các đoạn trích:\n", 1)[-1].split("\n\nCâu hỏi: ", 1)[0]
    out = {}
    for block in re.split(r"\n\n(?=\[\d+\] \()", body):
        m = re.match(r"\[(\d+)\] \([^\n]*\)\n(.*)", block, re.S)
        if m:
            out[int(m.group(1))] = m.group(2)
    return out


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/api/tags"):
            self._json(200, {"models": [{"name": "fake", "model": "fake"}]})
        elif self.path.startswith("/api/version"):
            self._json(200, {"version": "0.9.0"})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        owner = self.server.owner
        owner.requests.append({"path": self.path, "body": body})
        reply = owner.reply_for(body.get("messages") or [])
        try:
            if reply.delay:
                time.sleep(reply.delay)
            if self.path.endswith("/chat/completions"):
                self._openai(body, reply)
            elif self.path == "/api/chat":
                self._ollama(body, reply)
            else:
                self._json(404, {"error": f"no route {self.path}"})
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

    def _json(self, status: int, obj) -> None:
        data = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _start_stream(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("cache-control", "no-cache")
        self.end_headers()

    def _openai(self, body: dict, reply: Reply) -> None:
        if reply.status != 200:
            self._json(reply.status, {"error": {"message": reply.error or f"scripted failure {reply.status}",
                                                "type": "server_error", "code": None}})
            return
        base = {"id": "chatcmpl-fake", "created": 1700000000, "model": body.get("model", "fake")}
        if not body.get("stream"):
            self._json(200, {**base, "object": "chat.completion",
                             "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                                          "finish_reason": "stop"}],
                             "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})
            return
        self._start_stream("text/event-stream")

        def send(delta: dict, finish=None) -> None:
            chunk = {**base, "object": "chat.completion.chunk",
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()

        send({"role": "assistant", "content": ""})
        for piece in pieces(reply.text):
            send({"content": piece})
            time.sleep(reply.chunk_delay)
        send({}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _ollama(self, body: dict, reply: Reply) -> None:
        if reply.status != 200:
            self._json(reply.status, {"error": f"scripted failure {reply.status}"})
            return
        base = {"model": body.get("model", "fake"), "created_at": "2026-01-01T00:00:00Z"}
        done = {"done": True, "done_reason": "stop", "total_duration": 1, "load_duration": 1,
                "prompt_eval_count": 10, "prompt_eval_duration": 1, "eval_count": 5, "eval_duration": 1}
        if body.get("stream") is False:
            self._json(200, {**base, "message": {"role": "assistant", "content": reply.text}, **done})
            return
        self._start_stream("application/x-ndjson")
        for piece in pieces(reply.text):
            line = {**base, "message": {"role": "assistant", "content": piece}, "done": False}
            self.wfile.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
            self.wfile.flush()
            time.sleep(reply.chunk_delay)
        self.wfile.write((json.dumps({**base, "message": {"role": "assistant", "content": ""}, **done}) + "\n").encode())
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: "ScriptedLLM"


class ScriptedLLM:
    """``with ScriptedLLM("Tỷ lệ … 52% [1]") as llm:`` -> ``llm.openai_url`` / ``llm.url`` (Ollama)."""

    def __init__(self, script: Script = "") -> None:
        self.script = script
        self.requests: list[dict] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def openai_url(self) -> str:
        return self.url + "/v1"

    def reply_for(self, messages: list) -> Reply:
        script = self.script(messages) if callable(self.script) else self.script
        return script if isinstance(script, Reply) else Reply(text=str(script))

    def __enter__(self) -> "ScriptedLLM":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
