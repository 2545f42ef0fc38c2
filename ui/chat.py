"""Gradio Blocks: chat with cited answers, example questions, and a documents panel."""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from pathlib import Path

from answering.chain import Assistant
from core.text import fold
from core.types import Answer
from core.vn import ISSUERS
from errors import InputError, NQError
from ui.admin import UPLOAD_KEEP_S, UPLOAD_SWEEP_S, upload_box
from ui.alerts import refuse_wrong_inputs, ui_error
from ui.briefing_tab import build_briefing_tab
from ui.citations import bubble_text, conversation_citations_html, message_text
from ui.fairness import Busy, ClientShare
from ui.jobs import IngestJobs
from ui.page_assets import BUSY_TEXT, NO_CITATIONS
from ui.safe_text import as_text, checked_chatbot, plain_text
from ui.sessions import AdminGate, LockedOut, client_of, login_js, logout_js
from ui.targets_tab import build_targets_tab

log = logging.getLogger(__name__)

# How often the "Văn bản" tab asks for an ingest job's progress while one runs: an embedding batch
# (64 chunks) takes 2.5-5 s here, so a 1 s tick shows every step without a flood of requests.
JOB_POLL_S = 1.0

EXAMPLES = [
    "Đến năm 2025 độ che phủ rừng phải đạt mức nào?",
    "Năm 2024 kinh tế của tỉnh ước tăng trưởng bao nhiêu?",
    "ty le ho ngheo cuoi nam 2024",
    "Nhóm chỉ tiêu môi trường có những chỉ tiêu nào?",
    "Ba hành lang kinh tế gồm những gì?",
    "Ai ký nghị quyết?",
]

DOCUMENT_HEADERS = ["Tệp", "Số hiệu", "Tiêu đề", "Cơ quan ban hành", "Ngày", "Số đoạn"]
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def vn_date(iso: str) -> str:
    """'2026-03-05' -> '05/03/2026' (as dates are written in Vietnamese documents); other text unchanged."""
    m = _ISO_DATE_RE.match(iso or "")
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else (iso or "")


def documents_table(assistant: Assistant) -> list[list]:
    """One row per indexed document, in DOCUMENT_HEADERS' order. The first column is the document's id
    (its file name, or "<folder>/<file name>" when two indexed files share a name): what a question is
    scoped by."""
    return [[d["doc_id"], d.get("number") or "", d.get("title") or "", d.get("issuer") or "",
             vn_date(d.get("date") or ""), d["chunks"]] for d in assistant.documents()]


def short_issuer(issuer: str) -> str:
    """'Ủy ban nhân dân tỉnh Tuyên Quang' -> 'UBND tỉnh Tuyên Quang': the issuer's body as officials shorten
    it (core.vn.ISSUERS), the place kept as written."""
    folded = fold(issuer)
    for prefix, short in ISSUERS:
        if folded.startswith(prefix) and len(folded) == len(issuer):
            return short + issuer[len(prefix):]
    return issuer


def document_choices(assistant: Assistant) -> list[tuple[str, str]]:
    """The chat's document selector: (label, doc_id) per indexed document. The label is the
    document's short name ("Kế hoạch 182/KH-UBND – UBND tỉnh Đồng Nai"; its title when it states
    no number), with the id added when two documents would read the same."""
    rows = assistant.documents()
    labels = []
    for d in rows:
        head = " ".join(p for p in (d.get("type"), d.get("number")) if p) if d.get("number") else ""
        issuer = short_issuer(d.get("issuer") or "")
        labels.append(f"{head} – {issuer}" if head and issuer else head or d.get("title") or d["doc_id"])
    seen = Counter(labels)
    return [(f"{label} ({d['doc_id']})" if seen[label] > 1 else label, d["doc_id"])
            for label, d in zip(labels, rows)]


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

    def check_upload(files) -> None:
        """No file, or a file type that cannot be indexed: a toast, and the documents table stays as it was."""
        from ingest.loaders import SUPPORTED_SUFFIXES

        if not files:
            raise ui_error("Vui lòng chọn tệp để nạp.")
        names = [Path(f if isinstance(f, str) else f.name).name for f in files]
        bad = [n for n in names if Path(n).suffix.lower() not in SUPPORTED_SUFFIXES]
        if bad:
            log.info("upload rejected: unsupported file type: %s", ", ".join(bad))
            raise ui_error(f"Định dạng tệp không được hỗ trợ: {', '.join(bad)}. "
                           f"Chỉ nhận {', '.join(sorted(SUPPORTED_SUFFIXES))}.")

    def run_ingest(paths, replace, report, progress, cancel):
        from gradio.utils import get_upload_folder

        from ingest.pipeline import ingest_paths
        from ui.admin import discard_uploads

        # Gradio saves uploads under temporary folders: the source is the upload's name, so uploading
        # a file of the same name again is a new version of that document
        try:
            ingest_paths(paths, assistant.store, assistant.settings, progress=progress, uploaded=True,
                         replace=bool(replace), report=report, cancel=cancel)
        finally:
            discard_uploads(paths, get_upload_folder())  # never kept, nor served back by their path
        assistant.derive_library()  # the job, not the next question, builds the new state's indexes

    jobs = IngestJobs(run_ingest)

    def ingest(files, replace: bool = False, request: gr.Request = None):
        """Start indexing uploaded files (an administrator's action: a session or a Bearer password,
        ui.sessions) in a background job and return at once; the tab then polls the job
        (``poll_job``). Only files Gradio received in its upload folder; a known name with other text
        is a new document unless ``replace``."""
        from gradio.utils import get_upload_folder

        from ui.admin import uploaded_path

        try:
            gate.authorize(request, "upload")
        except NQError as exc:
            raise ui_error(exc.message_vi) from exc
        if not files:
            raise ui_error("Vui lòng chọn tệp để nạp.")
        try:
            paths = [uploaded_path(f if isinstance(f, str) else f.name, get_upload_folder()) for f in files]
        except NQError as exc:
            log.warning("upload refused: %s", exc)
            raise ui_error(exc.message_vi) from exc
        try:
            assistant.store.document_records()  # a store that is down is said now, not in the job's result
            job = jobs.start(paths, bool(replace), client_of(request))
        except InputError as exc:  # a job is running
            log.info("upload refused: %s", exc)
            raise ui_error(exc.message_vi) from exc
        except NQError as exc:  # the store failed: nothing was written
            log.error("upload failed: %s", exc)
            raise ui_error(f"Chưa nạp được tệp: {exc.message_vi} Văn bản đang có không thay đổi.") from exc
        return job.status_markdown(), gr.update()

    def cancel_ingest(request: gr.Request = None) -> str:
        """Stop the running ingest job ("Dừng lượt nạp"): an administrator's action, guarded as ``ingest``."""
        try:
            gate.authorize(request, "ingest cancel")
        except NQError as exc:
            raise ui_error(exc.message_vi) from exc
        return jobs.cancel(client_of(request))

    # Gradio passes the request (the client's address, for the audit log) to a parameter typed
    # gr.Request; the annotation is set as a class here, as gradio is imported in this function only
    ingest.__annotations__["request"] = gr.Request

    def poll_job(seen: int, chosen: list | None = None, request: gr.Request = None):
        """The timer's tick: the job's status (its files and errors for an administrator only); when it
        has ended (and this page has not yet shown that), the documents table and the chat's selector
        refreshed, and the timer stopped."""
        job = jobs.latest
        hidden = gr.update(visible=False)  # "Dừng lượt nạp": an administrator's, while a job runs
        if job is None:
            return gr.update(), gr.update(), gr.update(), gr.Timer(active=False), seen, hidden
        admin = gate.is_admin(request)
        text = job.status_markdown() if admin else ("⏳ Đang nạp văn bản vào chỉ mục…" if job.running else "")
        if job.running:
            return text, gr.update(), gr.update(), gr.Timer(active=True), seen, gr.update(visible=admin)
        if seen == job.seq:
            return gr.update(), gr.update(), gr.update(), gr.Timer(active=False), seen, hidden
        return text, documents_table(assistant), refresh_choices(chosen), gr.Timer(active=False), job.seq, hidden

    def job_status(request: gr.Request = None) -> dict:
        """The latest ingest job, for an administrator (as for ``ingest``): {"state": "idle"
        | "running" | "done" | "failed", "status": the tab's text, "documents_done", "documents_total",
        "chunks_done", "chunks_total", "eta_s", "error"}."""
        try:
            gate.authorize(request, "ingest status")
        except NQError as exc:
            raise ui_error(exc.message_vi if isinstance(exc, LockedOut)
                           else "Cần mật khẩu quản trị để xem tiến độ nạp văn bản.") from exc
        return jobs.status()

    for fn in (poll_job, job_status, cancel_ingest):
        fn.__annotations__["request"] = gr.Request

    def refresh_choices(chosen: list | None = None):
        """The selector after an upload: every indexed document, the choice kept where still indexed."""
        choices = document_choices(assistant)
        ids = {doc_id for _, doc_id in choices}
        return gr.update(choices=choices, value=[d for d in (chosen or []) if d in ids])

    with gr.Blocks(title="Hỏi đáp Nghị quyết", delete_cache=(UPLOAD_SWEEP_S, UPLOAD_KEEP_S)) as demo:
        answers = gr.State([])  # this session's answers (dicts), for the transcript export
        gr.Markdown("## Hỏi đáp Nghị quyết\nĐặt câu hỏi bằng tiếng Việt (có dấu hoặc không dấu). "
                    "Mỗi câu trả lời kèm trích dẫn nguyên văn và vị trí trong văn bản.")
        with gr.Tab("Hỏi đáp"):
            with gr.Row(elem_id="qa-row"):
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
            for trigger, api_name in ((send.click, "ask"), (box.submit, False)):
                checked = (trigger(None, None, busy, js=f"() => {BUSY_TEXT!r}", queue=False, api_name=False)
                           .then(check, [box, doc_select], None, api_name=False, show_progress="hidden"))
                answered = checked.success(respond, [box, chat, answers, doc_select], [chat, cites, box, answers],
                                           api_name=api_name, show_progress="minimal",
                                           concurrency_limit=answers_at_once(assistant.settings))
                for after in (checked.failure, answered.success, answered.failure):
                    after(lambda: "", None, busy, queue=False, api_name=False, show_progress="hidden")
            clear.click(lambda: ([], NO_CITATIONS, "", "", []), None, [chat, cites, box, busy, answers],
                        api_name=False)
            # the chat's own trash icon clears the citations and the transcript too
            chat.clear(lambda: (NO_CITATIONS, "", []), None, [cites, busy, answers], api_name=False)
        with gr.Tab("Chỉ tiêu") as targets_tab:
            build_targets_tab(assistant, demo, targets_tab)
        with gr.Tab("Tài liệu"):
            build_briefing_tab(assistant, answers)
        with gr.Tab("Văn bản"):
            docs = gr.Dataframe(headers=DOCUMENT_HEADERS, value=lambda: documents_table(assistant),
                                label="Văn bản đã lập chỉ mục", interactive=False, elem_id="documents")
            # no file_types: Gradio would reject another type itself, in English, marking the table as failed;
            # check_upload says it in Vietnamese and leaves the table as it was
            upload = upload_box(label="Tải lên (.txt, .md, .docx, .pdf)", file_count="multiple", elem_id="upload")
            replace = gr.Checkbox(False, label="Thay thế văn bản cùng tên",
                                  info="Không chọn: tệp trùng tên nhưng khác nội dung được nạp thành văn bản mới.")
            # the password goes to /api/admin/session from the browser (no Gradio event: never in an
            # event's data), which answers with an httpOnly session cookie; the field is cleared
            with gr.Row(visible=not assistant.settings.management_open):
                password = gr.Textbox("", label="Mật khẩu quản trị", type="password", elem_id="admin-password",
                                      info="Đăng nhập để tải lên, thay thế hoặc gỡ văn bản.", scale=3)
                login = gr.Button("Đăng nhập", elem_id="admin-login", scale=1)
                logout = gr.Button("Đăng xuất", elem_id="admin-logout", scale=1)
            login_status = gr.Markdown(elem_id="admin-status")
            login.click(None, [password], [password, login_status], js=login_js(), api_name=False, queue=False)
            password.submit(None, [password], [password, login_status], js=login_js(), api_name=False, queue=False)
            logout.click(None, None, login_status, js=logout_js(), api_name=False, queue=False)
            with gr.Row():
                go = gr.Button("Nạp vào chỉ mục", variant="primary")
                stop = gr.Button("Dừng lượt nạp", variant="stop", visible=False, elem_id="ingest-cancel")
            status = gr.Markdown(elem_id="ingest-status")
            # the upload returns at once; this polls the background job while it runs (JOB_POLL_S)
            timer = gr.Timer(JOB_POLL_S, active=False)
            seen = gr.State(0)  # the job whose end this page has shown (and refreshed the table for)
            (go.click(check_upload, [upload], None, api_name=False, show_progress="hidden")
             .success(ingest, [upload, replace], [status, docs], api_name="ingest")
             .success(lambda: (gr.Timer(active=True), gr.update(visible=True)), None, [timer, stop], api_name=False,
                      show_progress="hidden"))
            timer.tick(poll_job, [seen, doc_select], [status, docs, doc_select, timer, seen, stop], api_name=False,
                       show_progress="hidden", queue=False)
            stop.click(cancel_ingest, None, status, api_name="ingest_cancel", show_progress="hidden", queue=False)
            gr.api(job_status, api_name="ingest_status")
        # another process may have indexed documents since the page was built; a job may be running
        demo.load(refresh_choices, [doc_select], doc_select, api_name=False, show_progress="hidden")
        demo.load(lambda: gr.Timer(active=jobs.running), None, timer, api_name=False, show_progress="hidden")
    refuse_wrong_inputs(demo)
    return demo
