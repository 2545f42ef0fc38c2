"""How an answer and its citations are shown in the chat: the bubble's text, each citation's label
(document › section path) and passage with the answering span highlighted, and the citation panel
of a whole conversation."""

from __future__ import annotations

import html
import re

from core.types import Answer, Citation
from ui.page_assets import NO_CITATIONS
from ui.safe_text import as_text

_FOOTNOTE_LEAD_RE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*", re.MULTILINE)


def bubble_text(answer: Answer) -> str:
    """The answer as the chat shows it: how a carried-over follow-up was understood, then the answer
    (a footnote's own marker, "² Ba hành lang …", dropped from the start of a line)."""
    text = as_text(_FOOTNOTE_LEAD_RE.sub("", answer.answer))
    if answer.understood:
        text = f"*Hiểu là: {as_text(answer.understood)}*\n\n{text}"
    return text


def _highlight(text: str, quote: str) -> str:
    """``text`` escaped, with the first occurrence of ``quote`` wrapped in <mark>."""
    i = text.find(quote) if quote else -1
    if i < 0:
        return html.escape(text)
    return (html.escape(text[:i]) + "<mark>" + html.escape(quote) + "</mark>"
            + html.escape(text[i + len(quote):]))


def citation_label(c: Citation) -> str:
    """The visible name of a citation, as HTML: the document by its short name (type, number,
    issuer: "Kế hoạch 45/KH-UBND của Ủy ban nhân dân tỉnh Tuyên Quang", or its title; the file name
    only when neither is known) › the section path. The file name is the tooltip; the character
    offsets stay in the answer JSON, out of the label."""
    name = c.doc_title or c.doc
    doc = f'<span class="doc" title="{html.escape(c.doc, quote=True)}">{html.escape(name)}</span>' if name else ""
    section = f'<span class="section">{html.escape(c.section)}</span>' if c.section else ""
    return " › ".join(p for p in (doc, section) if p)


def citations_html(answer: Answer, turn: int | None = None) -> str:
    """One block per citation: number, document › section path, the answering span highlighted,
    and (when the passage is longer than the span) a <details> that expands to the whole passage
    with the span highlighted in place. With ``turn`` (the answer's place in the conversation, from 0)
    each block has the id "cite-<turn>-<n>" that the answer's "[n]" links to."""
    if not answer.citations:
        return "<p><i>Không có trích dẫn: văn bản không có thông tin để trả lời câu hỏi này.</i></p>"
    parts = []
    for c in answer.citations:
        quote = c.quote.strip()
        anchor = f' id="cite-{turn}-{c.n}"' if turn is not None else ""
        head = f'<b>[{c.n}]</b> {citation_label(c)}'
        body = f'<div class="quote"><mark>{html.escape(c.quote)}</mark></div>' if quote else ""
        if c.text.strip() != quote:
            body += ('<details><summary>Xem toàn văn đoạn trích</summary>'
                     f'<div class="passage">{_highlight(c.text, c.quote)}</div></details>')
        parts.append(f'<div class="cite"{anchor}>{head}{body}</div>')
    return "\n".join(parts)


def conversation_citations_html(answers: list[dict]) -> str:
    """The citations of every answer of the conversation, each group under its question, the latest
    first: an earlier answer keeps its sources, and its "[n]" still finds them."""
    if not answers:
        return NO_CITATIONS
    groups = []
    for turn, a in reversed(list(enumerate(answers))):
        answer = Answer.from_dict(a)
        cites = citations_html(answer, turn)
        if a.get("notes_vi"):
            notes = "; ".join(html.escape(n) for n in a["notes_vi"])
            cites = (f'<p class="llm-note">⚠️ Câu trả lời do mô hình ngôn ngữ soạn không được dùng ({notes}); '
                     f"đây là câu trả lời trích nguyên văn từ văn bản.</p>\n" + cites)
        groups.append(f'<div class="cite-group" id="answer-{turn}"><div class="asked">Câu hỏi {turn + 1}: '
                      f'{html.escape(answer.question)}</div>{cites}</div>')
    return "\n".join(groups)


def message_text(content) -> str:
    """Gradio 6 gives message content as a string or as a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""
