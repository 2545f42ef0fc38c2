"""Saved conversations (issue 24): the browser keeps its past conversations, and the "Hỏi đáp" tab lists
them beside the chat, newest first, each titled by its first question; one click reopens it, its
answers and its citation panel as they were.

They are kept in the browser only: a ``gr.BrowserState`` (localStorage, encrypted by Gradio's front end)
that the server reads when an event needs it and never keeps; another browser sees none of them. Only
the answers are stored (each the dict the chat's ``answers`` state holds, citations included): the chat
bubbles and the citation panel are rebuilt from them, as the chat itself builds them. No admin password
or session is ever stored (the admin's session is a cookie, see ui.sessions).

What comes back from the browser is untrusted (another script on the page, a hand-edited value):
``load_saved`` keeps only well-formed entries and drops the rest, so a tampered value leaves a working chat.

Several tabs of one browser share the stored list: the last one to save writes it (an earlier tab's
newest conversation may then be lost).
"""

from __future__ import annotations

import json
import math
import re
import time
import uuid
from typing import Any

from core.text import has_lone_surrogate
from core.types import Answer
from ui.citations import bubble_text, conversation_citations_html
from ui.page_assets import NO_CITATIONS
from ui.safe_text import as_text

# At most this many conversations are kept; the least recently used are dropped first. A list to scan
# by eye, and each event that saves sends the whole list to the server: 50 is plenty for one person.
MAX_SAVED_CONVERSATIONS = 50
# Each save sends the stored list in one request, which NQ_MAX_REQUEST_KB limits (ui.server.BodyLimit):
# the list is kept under this share of it (the rest: the event's other values and its JSON envelope),
# the least recently used conversations dropped first.
REQUEST_SHARE = 0.75
TITLE_CHARS = 60  # a title is the first question, shortened at a word boundary to this many characters
STORAGE_KEY = "nq-saved-conversations"
# Gradio encrypts the stored value with this key, which the page's config carries to the browser: it
# hides nothing from a script on the page. Fixed (Gradio's default is random per process) so that the
# list survives a restart of the server and reads the same in every `serve --workers N` process.
STORAGE_SECRET = "nq-hoi-dap-conversations-v1"

NEW_LABEL = "Cuộc hội thoại mới"
LIST_LABEL = "Cuộc hội thoại đã lưu"
DELETE_LABEL = "Xóa cuộc hội thoại đang mở"
NONE_SELECTED = "Chưa mở cuộc hội thoại đã lưu nào để xóa."

_ID_RE = re.compile(r"^[0-9a-f]{8,32}$")
_CITATION_FIELDS = {"n": int, "doc": str, "section": str, "text": str, "quote": str, "start": int, "end": int,
                    "score": (int, float), "doc_id": str, "doc_title": str}
_CITATION_REQUIRED = {"n", "doc", "section", "text", "quote", "start", "end", "score"}


def title_of(question: str, limit: int = TITLE_CHARS) -> str:
    """A conversation's title: its first question on one line, shortened to ``limit`` characters at a
    word boundary with "…" (a single word longer than the limit is the only one cut)."""
    text = " ".join(str(question).split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,;:.-–") + "…"


def _text(value: Any, optional: bool = False) -> bool:
    if optional and value is None:
        return True
    return isinstance(value, str) and not has_lone_surrogate(value)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _citation_ok(c: Any) -> bool:
    if not isinstance(c, dict) or not _CITATION_REQUIRED <= c.keys() or not c.keys() <= _CITATION_FIELDS.keys():
        return False
    for key, value in c.items():
        kind = _CITATION_FIELDS[key]
        if kind is str:
            if not _text(value):
                return False
        elif isinstance(value, bool) or not isinstance(value, kind) or (kind is not int and not _number(value)):
            return False
    return True


def answer_ok(a: Any) -> bool:
    """Whether ``a`` is an answer as the chat stores it (``Answer.to_dict`` and its notes), every field
    of the type the chat reads: anything else would break the bubble, the citations or the export."""
    if not isinstance(a, dict) or not isinstance(a.get("question"), str) or not a["question"].strip():
        return False
    return (_text(a["question"]) and _text(a.get("answer")) and isinstance(a.get("found"), bool)
            and isinstance(a.get("citations", []), list) and all(_citation_ok(c) for c in a.get("citations", []))
            and _text(a.get("mode", ""))
            and _number(a.get("latency_ms", 0.0))
            and all(isinstance(a.get(k, []), list) and all(_text(x) for x in a.get(k, []))
                    for k in ("warnings", "notes_vi"))
            and _text(a.get("understood"), optional=True) and _text(a.get("id"), optional=True))


def _entry(e: Any) -> dict | None:
    """A stored conversation as this module wrote it, or None."""
    if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not _ID_RE.match(e["id"]):
        return None
    answers = e.get("answers")
    if not _number(e.get("updated")) or not isinstance(answers, list) or not answers:
        return None
    if not all(answer_ok(a) for a in answers):
        return None
    return {"id": e["id"], "updated": float(e["updated"]), "answers": answers}


def _size(value: Any) -> int:
    """Bytes of ``value`` as the browser sends it (JSON, UTF-8)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def bounded(conversations: list[dict], budget: int, limit: int = MAX_SAVED_CONVERSATIONS) -> list[dict]:
    """The newest conversations (first in the list) that fit: at most ``limit`` and ``budget`` bytes of
    JSON; the older ones are dropped. The newest alone over the budget loses its oldest answers."""
    kept: list[dict] = []
    used = 2
    for conv in conversations[:limit]:
        size = _size(conv) + 1
        if used + size > budget:
            while not kept and len(conv["answers"]) > 1 and used + size > budget:
                conv = {**conv, "answers": conv["answers"][1:]}
                size = _size(conv) + 1
            if used + size > budget:
                break
        kept.append(conv)
        used += size
    return kept


def load_saved(value: Any, budget: int) -> list[dict]:
    """The stored list read back: well-formed entries only (a malformed value, or entry, is dropped),
    each id once, the most recently used first, bounded."""
    if not isinstance(value, list):
        return []
    seen: set[str] = set()
    good = []
    for e in value[: MAX_SAVED_CONVERSATIONS * 4]:  # a longer list was never written here: its tail is not read
        entry = _entry(e)
        if entry is not None and entry["id"] not in seen:
            seen.add(entry["id"])
            good.append(entry)
    good.sort(key=lambda e: e["updated"], reverse=True)
    return bounded(good, budget)


def saved_with(saved: list[dict], conv_id: str, answers: list[dict], budget: int,
               now: float | None = None) -> tuple[list[dict], str]:
    """``saved`` with the conversation ``conv_id`` holding ``answers``, first as the most recently used
    (a new conversation, "", gets an id): the new list and the conversation's id."""
    conv_id = conv_id if isinstance(conv_id, str) and _ID_RE.match(conv_id) else uuid.uuid4().hex[:16]
    answers = [a for a in (answers or []) if answer_ok(a)]
    rest = [e for e in saved if e["id"] != conv_id]
    if not answers:
        return rest, conv_id
    entry = {"id": conv_id, "updated": time.time() if now is None else now, "answers": answers}
    return bounded([entry] + rest, budget), conv_id


def choices_of(saved: list[dict]) -> list[tuple[str, str]]:
    return [(title_of(e["answers"][0]["question"]), e["id"]) for e in saved]


def chat_messages(answers: list[dict]) -> list[dict]:
    """The chat's bubbles of a conversation, as the chat showed them."""
    messages = []
    for a in answers:
        answer = Answer.from_dict(a)
        messages += [{"role": "user", "content": as_text(answer.question)},
                     {"role": "assistant", "content": bubble_text(answer)}]
    return messages


def request_budget(settings) -> int:
    return int(settings.max_request_kb * 1024 * REQUEST_SHARE)


class SavedChats:
    """The panel's components (``panel``, inside the tab's layout) and its events (``wire``, once the
    chat's components exist)."""

    def __init__(self, settings):
        import gradio as gr

        self.budget = request_budget(settings)
        self.stored = gr.BrowserState([], storage_key=STORAGE_KEY, secret=STORAGE_SECRET)
        self.current = gr.State("")  # the id of the conversation shown; "": a new one, not saved yet

    def panel(self) -> None:
        import gradio as gr

        with gr.Column(scale=1, min_width=220, elem_id="saved-chats"):
            self.new = gr.Button(NEW_LABEL, variant="secondary", elem_id="new-chat")
            self.listing = gr.Radio(choices=[], value=None, label=LIST_LABEL, elem_id="saved-list", interactive=True,
                                    info="Lưu trong trình duyệt này, mới nhất ở trên.")
            self.delete = gr.Button(DELETE_LABEL, size="sm", variant="stop", elem_id="delete-chat")

    def wire(self, demo, chat, cites, box, busy, answers, answered: list, clears: list) -> None:
        """``answered``: the chat's events that end with an answer (the conversation is then saved);
        ``clears``: its clear buttons' triggers (the next question then starts a new conversation)."""
        import gradio as gr

        budget = self.budget
        screen = [chat, cites, box, busy, answers]
        blank = ([], NO_CITATIONS, "", "", [])

        def listing(saved: list[dict], conv_id: str):
            return gr.Radio(choices=choices_of(saved), value=conv_id or None)

        def on_load(value):
            saved = load_saved(value, budget)
            return saved, "", listing(saved, "")

        def save(value, conv_id, shown):
            saved, conv_id = saved_with(load_saved(value, budget), conv_id, shown, budget)
            return saved, conv_id, listing(saved, conv_id)

        def reopen(value, evt: gr.SelectData = None):
            """The event's value (the id clicked) is taken from the event, not the Radio's input, which
            Gradio would check against the choices of this session's server (none after a restart)."""
            saved = load_saved(value, budget)
            chosen = next((e for e in saved if evt is not None and e["id"] == evt.value), None)
            if chosen is None:  # deleted meanwhile (another tab): the list as stored now
                return (saved, "", listing(saved, "")) + blank
            shown = chosen["answers"]
            return (saved, chosen["id"], listing(saved, chosen["id"]),
                    chat_messages(shown), conversation_citations_html(shown), "", "", shown)

        reopen.__annotations__["evt"] = gr.SelectData  # a string under `from __future__ import annotations`

        def start_new(value):
            saved = load_saved(value, budget)
            return (saved, "", listing(saved, "")) + blank

        def delete(value, conv_id):
            saved = load_saved(value, budget)
            if not conv_id:
                gr.Info(NONE_SELECTED)
                return (saved, "", listing(saved, "")) + (gr.skip(),) * len(screen)
            saved = [e for e in saved if e["id"] != conv_id]
            return (saved, "", listing(saved, "")) + blank

        head = [self.stored, self.current, self.listing]
        demo.load(on_load, [self.stored], head, api_name=False, show_progress="hidden")
        for event in answered:
            event.success(save, [self.stored, self.current, answers], head, api_name=False,
                          show_progress="hidden")
        self.listing.select(reopen, [self.stored], head + screen, api_name=False, show_progress="hidden")
        self.new.click(start_new, [self.stored], head + screen, api_name=False, show_progress="hidden")
        self.delete.click(delete, [self.stored, self.current], head + screen, api_name=False,
                          show_progress="hidden")
        for trigger in clears:
            trigger(lambda: ("", gr.Radio(value=None)), None, [self.current, self.listing], api_name=False,
                    show_progress="hidden")

