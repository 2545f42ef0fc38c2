"""Text the chat shows as text: what a document, a question or an answer says is displayed, never
rendered into something the browser fetches or follows.

The chat renders Markdown (bold, lists), which passes HTML through and turns ``![a](http://host/x.png)``
into an <img> the browser fetches on display (a tracking pixel, a request to any host the text names).
So HTML is escaped, and every Markdown image and link construct, reference definition and bare URL
is escaped with backslashes: the reader sees the same characters, as plain text.

Also here: the chat's Chatbot, whose malformed history (a Gradio call's, not the page's) is one log
line and a Vietnamese message instead of one English validation error per turn.
"""

from __future__ import annotations

import html
import logging
import re

from ui.alerts import ui_error

log = logging.getLogger(__name__)

# ![alt](target) and [text](target), [text][ref], and "[ref]: target" definitions
_LINK_RE = re.compile(r"(!?)\[([^\]\n]*)\]([(\[])")
_REF_DEF_RE = re.compile(r"^([ \t]{0,3})\[([^\]\n]+)\]:", re.MULTILINE)
# what GFM turns into a link on its own: "http://…", "www.…"
_URL_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,15}):(//)|\b(www)\.(?=\w)")
_ESCAPED_RE = re.compile(r"\\([!\[\]():.])")

HISTORY_REFUSED = "Lịch sử hội thoại không hợp lệ; hãy xóa hội thoại và hỏi lại."


def _link(m: re.Match) -> str:
    bang = "\\!" if m.group(1) else ""
    return f"{bang}\\[{m.group(2)}\\]\\{m.group(3)}"


def _url(m: re.Match) -> str:
    if m.group(3):
        return m.group(3) + "\\."
    return m.group(1) + "\\:" + m.group(2)


def as_text(text: str) -> str:
    """``text`` for a chat bubble (Markdown): HTML escaped ("<img …>" is shown, never rendered), and
    Markdown images, links and URLs escaped ("![a](http://host/x.png)" is shown, never fetched)."""
    text = html.escape(text, quote=False)
    text = _LINK_RE.sub(_link, text)
    text = _REF_DEF_RE.sub(lambda m: f"{m.group(1)}\\[{m.group(2)}\\]:", text)
    return _URL_RE.sub(_url, text)


def plain_text(shown: str) -> str:
    """The text a bubble was made from (``as_text`` undone), for reading earlier turns back."""
    return html.unescape(_ESCAPED_RE.sub(r"\1", shown))


def checked_chatbot(**kwargs):
    """A gr.Chatbot whose value, when a call sends one Gradio cannot read (5,000 turns of the wrong
    shape), is refused with one log line and a Vietnamese toast; Gradio's own check would print one
    English validation error per turn and show them all to the user. (Its data model is set on the
    instance: a subclass of gr.Chatbot would make Gradio write a .pyi file beside this module.)"""
    import gradio as gr
    from gradio.components.chatbot import ChatbotDataMessages
    from pydantic import ValidationError

    class CheckedMessages(ChatbotDataMessages):
        @classmethod
        def model_validate(cls, obj, *args, **kwargs):
            try:
                return super().model_validate(obj, *args, **kwargs)
            except ValidationError as exc:
                first = exc.errors()[0] if exc.error_count() else {}
                where = ".".join(str(p) for p in first.get("loc", ()))
                log.info("chat history rejected: %d validation errors (first at %s: %s)", exc.error_count(),
                         where[:80], str(first.get("msg", ""))[:120])
                raise ui_error(HISTORY_REFUSED) from None

    chat = gr.Chatbot(**kwargs)
    chat.data_model = CheckedMessages
    return chat
