"""Gradio Blocks: chat with cited answers, example questions, and a documents panel."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

from answering.chain import Assistant
from core.types import Answer
from errors import NQError
from ui.admin import UPLOAD_KEEP_S, UPLOAD_SWEEP_S
from ui.alerts import refuse_wrong_inputs, ui_error
from ui.briefing_tab import build_briefing_tab
from ui.citations import bubble_text, conversation_citations_html, message_text

# the document listings are the "Văn bản" tab's; imported here too, where they were first defined
from ui.documents_tab import (  # noqa: F401
    DOCUMENT_HEADERS,
    build_documents_tab,
    document_choices,
    documents_table,
    short_issuer,
    vn_date,
)
from ui.fairness import Busy, ClientShare
from ui.page_assets import BUSY_TEXT, NO_CITATIONS
from ui.safe_text import as_text, checked_chatbot, plain_text
from ui.saved_chats import SavedChats
from ui.sessions import AdminGate, client_of
from ui.targets_tab import build_targets_tab

log = logging.getLogger(__name__)

EXAMPLES = [
    "Đến năm 2025 độ che phủ rừng phải đạt mức nào?",
    "Năm 2024 kinh tế của tỉnh ước tăng trưởng bao nhiêu?",
    "ty le ho ngheo cuoi nam 2024",
    "Nhóm chỉ tiêu môi trường có những chỉ tiêu nào?",
    "Ba hành lang kinh tế gồm những gì?",
    "Ai ký nghị quyết?",
]

# Chat questions answered at once (Gradio answers one at a time per event by default): answering needs
# no lock, and with `serve --workers N` N processes answer; more in flight than this only queues inside.
ANSWERS_PER_WORKER = 4


def answers_at_once(settings) -> int:
    return ANSWERS_PER_WORKER * max(1, settings.workers)


def chosen_docs(docs):
    """The selector's value as the assistant takes it: None when none is chosen; a value that is not a
    list (a call's, never the page's) is passed on, for the assistant to refuse in Vietnamese."""
    if not docs:
        return None
    return list(docs) if isinstance(docs, (list, tuple)) else docs


def unexpected(exc: Exception):
    """An error the chat did not expect: one log line (its type, message and where it was raised) and a
    Vietnamese toast, never the English exception."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else "?"
    log.error("chat failed unexpectedly at %s: %s: %s", where, type(exc).__name__, " ".join(str(exc).split())[:200])
    return ui_error("Không trả lời được câu hỏi này do lỗi máy chủ; vui lòng thử lại.")


def build_ui(assistant: Assistant, gate: AdminGate | None = None):
    """The app's Blocks; ``gate`` decides who may change the library (one per app: its sessions
    and its throttle are shared with the API's routes)."""
    gate = gate or AdminGate(assistant.settings)
    import gradio as gr

    def check(message: str, docs: list | None = None) -> None:
        """Bad input stops here, before any output is touched: a Vietnamese toast, and the chat, the
        citations and the question box stay as they were (one log line, no traceback)."""
        from answering.bounds import validate_question

        try:
            validate_question(message, assistant.settings.max_question_chars, assistant.settings.max_question_words)
            assistant._scope(chosen_docs(docs))
        except NQError as exc:
            log.info("question rejected: %s", exc)
            raise ui_error(exc.message_vi) from exc
        except Exception as exc:  # never Gradio's raw English message, nor a traceback per request
            raise unexpected(exc) from exc

    share = ClientShare(assistant.settings.max_client_concurrency)

    def respond(message: str, history: list, answers: list | None = None, docs: list | None = None,
                request: gr.Request = None):
        """A generator: in LLM mode the bubble fills as the model writes; the citations appear once
        the answer is verified, and a draft that fails verification is replaced by the extractive
        answer with a note saying why. In extractive mode it yields once. ``docs``: the documents
        chosen in the selector (ids; none chosen: all documents). The citations panel holds every
        answer's citations, so an earlier answer keeps its own."""
        history = list(history or [])
        # earlier turns, answers included: the LLM condenses a follow-up with them (the latest
        # NQ_MAX_HISTORY_TURNS; the assistant refuses a history over NQ_MAX_HISTORY_CHARS)
        turns = [{"role": m.get("role"), "content": plain_text(message_text(m.get("content")))}
                 for m in history if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
        # the answers of the conversation shown (one per answer bubble): a cleared chat starts afresh
        shown = sum(1 for t in turns if t["role"] == "assistant")
        answers = list(answers or [])[-shown:] if shown else []
        turns = turns[len(turns) - assistant.settings.max_history_turns:] if assistant.settings.max_history_turns else []
        while turns and sum(len(t["content"]) for t in turns) > assistant.settings.max_history_chars:
            turns = turns[1:]  # the oldest turns go first: a long conversation goes on
        try:
            with share.slot(client_of(request)):  # over its client's share: refused at once (ui.fairness)
                yield from answer_turn(message, history, turns, answers, docs)
        except Busy as exc:
            log.info("chat question refused: %s is over its share (NQ_MAX_CLIENT_CONCURRENCY)", exc)
            raise ui_error(Busy.message_vi) from exc

    respond.__annotations__["request"] = gr.Request

    def answer_turn(message: str, history: list, turns: list, answers: list, docs: list | None):
        try:
            events = assistant.ask_stream(message, turns, docs=chosen_docs(docs))
            first = next(events)
        except NQError as exc:
            log.info("question rejected: %s", exc)
            raise ui_error(exc.message_vi) from exc
        except Exception as exc:
            raise unexpected(exc) from exc
        pending = "<p><i>Đang soạn câu trả lời và kiểm tra trích dẫn…</i></p>"
        earlier = conversation_citations_html(answers) if answers else ""
        for event in itertools.chain([first], events):
            if isinstance(event, str):  # the draft so far
                yield history + [{"role": "user", "content": as_text(message)},
                                 {"role": "assistant", "content": as_text(event)}], pending + earlier, "", answers
                continue
            answer: Answer = event
            # the session's answers, citations included: the citations panel and the transcript export
            answers = answers + [{**answer.to_dict(), "notes_vi": list(answer.notes_vi)}]
            yield history + [{"role": "user", "content": as_text(message)},
                             {"role": "assistant", "content": bubble_text(answer)}], \
                conversation_citations_html(answers), "", answers

    with gr.Blocks(title="Hỏi đáp Nghị quyết", delete_cache=(UPLOAD_SWEEP_S, UPLOAD_KEEP_S)) as demo:
        answers = gr.State([])  # this session's answers (dicts), for the transcript export
        saved = SavedChats(assistant.settings)  # the browser's past conversations (ui.saved_chats)
        gr.Markdown("## Hỏi đáp Nghị quyết\nĐặt câu hỏi bằng tiếng Việt (có dấu hoặc không dấu). "
                    "Mỗi câu trả lời kèm trích dẫn nguyên văn và vị trí trong văn bản.")
        with gr.Tab("Hỏi đáp"):
            with gr.Row(elem_id="qa-row"):
                saved.panel()  # beside the chat; on a phone after the chat and its citations (CSS)
                with gr.Column(scale=3, min_width=300):
                    chat = checked_chatbot(label="Trò chuyện", height=420, buttons=["copy"], elem_id="chat",
                                      placeholder="Hãy đặt câu hỏi về nghị quyết, hoặc chọn một câu hỏi mẫu bên dưới.")
                    busy = gr.Markdown(elem_id="busy", show_label=False)
                    box = gr.Textbox(label="Câu hỏi", placeholder="Ví dụ: tỷ lệ che phủ rừng phải giữ ở mức nào?",
                                     lines=1, max_lines=4)
                    with gr.Row():
                        send = gr.Button("Gửi", variant="primary", min_width=120)
                        clear = gr.Button("Xóa hội thoại", min_width=120)
                    # allow_custom_value: Gradio checks a value against the choices this page was built
                    # with, which an upload in another session outdates; the assistant checks the ids
                    # instead ("Không tìm thấy văn bản: …")
                    doc_select = gr.Dropdown(choices=document_choices(assistant), value=[], multiselect=True,
                                             allow_custom_value=True, label="Văn bản cần hỏi", elem_id="doc-select",
                                             info="Để trống: hỏi trên tất cả văn bản đã lập chỉ mục.")
                with gr.Column(scale=2, min_width=300):
                    gr.Markdown("### Trích dẫn")
                    cites = gr.HTML(NO_CITATIONS, elem_id="citations")
            # below the chat and its citations: on a phone the citations come right after the answer
            gr.Examples(EXAMPLES, inputs=box, label="Câu hỏi mẫu")
            # The busy text is set in the browser (no round trip) before the question is sent, and
            # cleared after the answer or the error (Gradio 6 runs no .then() after an error, hence
            # .success + .failure); `ask` itself keeps its API signature.
            # Bad input fails in `check`, which has no outputs: Gradio then marks no component as failed,
            # so the conversation stays visible under the toast.
            answered_events = []
            for trigger, api_name in ((send.click, "ask"), (box.submit, False)):
                checked = (trigger(None, None, busy, js=f"() => {BUSY_TEXT!r}", queue=False, api_name=False)
                           .then(check, [box, doc_select], None, api_name=False, show_progress="hidden"))
                answered = checked.success(respond, [box, chat, answers, doc_select], [chat, cites, box, answers],
                                           api_name=api_name, show_progress="minimal",
                                           concurrency_limit=answers_at_once(assistant.settings))
                answered_events.append(answered)
                for after in (checked.failure, answered.success, answered.failure):
                    after(lambda: "", None, busy, queue=False, api_name=False, show_progress="hidden")
            clear.click(lambda: ([], NO_CITATIONS, "", "", []), None, [chat, cites, box, busy, answers],
                        api_name=False)
            # the chat's own trash icon clears the citations and the transcript too
            chat.clear(lambda: (NO_CITATIONS, "", []), None, [cites, busy, answers], api_name=False)
            # each answer saves the conversation in the browser; a cleared chat starts a new one
            saved.wire(demo, chat, cites, box, busy, answers, answered_events, [clear.click, chat.clear])
        with gr.Tab("Chỉ tiêu") as targets_tab:
            build_targets_tab(assistant, demo, targets_tab)
        with gr.Tab("Tài liệu"):
            build_briefing_tab(assistant, answers)
        with gr.Tab("Văn bản"):
            build_documents_tab(assistant, gate, doc_select, demo)
    refuse_wrong_inputs(demo)
    return demo
