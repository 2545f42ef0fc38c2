"""The "Văn bản" tab: the indexed documents, and their management for the administrator (upload in a
background job, stop it, remove a document after a confirmation, index a document again from its
source file). Every refusal of a management action (no session, a wrong password, a lock-out, a job
running) is a Vietnamese message in the tab's status area; the documents table stays as it was."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from answering.chain import Assistant
from core.text import fold
from core.vn import ISSUERS
from errors import InputError, NQError
from ui.admin import audit_change, printable, upload_box
from ui.alerts import ui_error
from ui.jobs import IngestJobs
from ui.sessions import AdminGate, LockedOut, client_of, login_js, logout_js

log = logging.getLogger(__name__)

# How often the tab asks for an ingest job's progress while one runs: an embedding batch (64 chunks)
# takes 2.5-5 s here, so a 1 s tick shows every step without a flood of requests.
JOB_POLL_S = 1.0

DOCUMENT_HEADERS = ["Tệp", "Số hiệu", "Tiêu đề", "Cơ quan ban hành", "Ngày", "Số đoạn"]
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
JOB_RUNNING = "Đang có một lượt nạp văn bản chạy: vui lòng đợi lượt này xong (hoặc dừng nó) rồi thử lại."


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


def refusal_text(exc: NQError) -> str:
    """A refused management action as the status area says it."""
    return f"❌ {exc.message_vi}"


def build_documents_tab(assistant: Assistant, gate: AdminGate, doc_select, demo) -> None:
    """The tab's components and events, inside ``with gr.Tab("Văn bản")``; ``doc_select``: the chat's
    document selector, refreshed after each change of the library."""
    import gradio as gr

    from ingest.loaders import UPLOAD_PREFIX

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

        if isinstance(replace, str):  # re-indexing document ``replace`` from its source file on the server
            ingest_paths(paths, assistant.store, assistant.settings, progress=progress, replace=replace,
                         report=report, cancel=cancel)
            assistant.derive_library()
            return
        # Gradio saves uploads under temporary folders: the source is the upload's name, so uploading
        # a file of the same name again is a new version of that document
        try:
            ingest_paths(paths, assistant.store, assistant.settings, progress=progress, uploaded=True,
                         replace=bool(replace), report=report, cancel=cancel)
        finally:
            discard_uploads(paths, get_upload_folder())  # never kept, nor served back by their path
        assistant.derive_library()  # the job, not the next question, builds the new state's indexes

    jobs = IngestJobs(run_ingest)

    def may_ingest(request, quiet: bool = False) -> None:
        """Raise NQError unless an upload may start now: the administrator, and no job running."""
        gate.authorize(request, "upload", quiet=quiet)
        if jobs.running:
            raise InputError("an ingest job is running", JOB_RUNNING)

    def check_admin(request: gr.Request = None) -> None:
        """The page's upload, before its files are read: no outputs, so a refusal (a toast; the
        status area says it too, ``say_refusal``) marks no component as failed."""
        try:
            may_ingest(request)
        except NQError as exc:
            raise ui_error(exc.message_vi) from exc

    def say_refusal(request: gr.Request = None):
        """Why ``check_admin`` refused, in the status area (asked again quietly: no second log line)."""
        try:
            may_ingest(request, quiet=True)
        except NQError as exc:
            return refusal_text(exc)
        return gr.update()

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

    def poll_job(seen: int, chosen: list | None = None, request: gr.Request = None):
        """The timer's tick: the job's status (its files and errors for an administrator only); when it
        has ended (and this page has not yet shown that), the documents table and the selectors
        refreshed, and the timer stopped."""
        job = jobs.latest
        hidden = gr.update(visible=False)  # "Dừng lượt nạp": an administrator's, while a job runs
        same = gr.update()
        if job is None:
            return same, same, same, same, gr.Timer(active=False), seen, hidden
        admin = gate.is_admin(request)
        text = job.status_markdown() if admin else ("⏳ Đang nạp văn bản vào chỉ mục…" if job.running else "")
        if job.running:
            return text, same, same, same, gr.Timer(active=True), seen, gr.update(visible=admin)
        if seen == job.seq:
            return same, same, same, same, gr.Timer(active=False), seen, hidden
        return (text, documents_table(assistant), refresh_choices(chosen), refresh_pick(), gr.Timer(active=False),
                job.seq, hidden)

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

    def refresh_choices(chosen: list | None = None):
        """The chat's selector after a change: every indexed document, the choice kept where still indexed."""
        choices = document_choices(assistant)
        ids = {doc_id for _, doc_id in choices}
        return gr.update(choices=choices, value=[d for d in (chosen or []) if d in ids])

    def refresh_pick(keep: str | None = None):
        """The management dropdown after a change: every indexed document; ``keep`` kept if still there."""
        choices = document_choices(assistant)
        return gr.update(choices=choices, value=keep if keep in {d for _, d in choices} else None)

    def label_of(doc_id: str) -> str | None:
        return next((label for label, d in document_choices(assistant) if d == doc_id), None)

    def managed(doc_id, action: str, request) -> str:
        """The checks every management action of a chosen document passes: the administrator, no job
        running, a document chosen and indexed. Raises NQError with the Vietnamese reason."""
        gate.authorize(request, f"{action} of {printable(str(doc_id))[:120]}")
        if jobs.running:
            log.info("%s of %s refused: an ingest job is running", action, printable(str(doc_id))[:120])
            raise InputError("an ingest job is running", JOB_RUNNING)
        if not doc_id or not isinstance(doc_id, str):
            raise InputError("no document chosen", "Vui lòng chọn một văn bản.")
        label = label_of(doc_id)
        if label is None:
            raise InputError(f"{doc_id!r} is not indexed", f"Không tìm thấy văn bản: {doc_id}.")
        return label

    def named(label: str, doc_id: str) -> str:
        """The document as a message names it: its short name, then its id (once)."""
        return f"{label}»" if label.endswith(f"({doc_id})") else f"{label}» ({doc_id})"

    hide_confirm = gr.update(visible=False)

    def ask_delete(doc_id: str | None, request: gr.Request = None):
        """"Xóa văn bản": the first step, nothing removed yet; the confirmation row asks."""
        try:
            label = managed(doc_id, "removal", request)
        except NQError as exc:
            return refusal_text(exc), hide_confirm, gr.update(), None
        question = f"**Xóa hẳn văn bản «{named(label, doc_id)} khỏi chỉ mục?** Thao tác này không hoàn tác được."
        return "", gr.update(visible=True), question, doc_id

    def confirm_delete(pending: str | None, doc_id: str | None, chosen: list | None = None,
                       request: gr.Request = None):
        """"Xác nhận xóa": removes the document asked about (still the one chosen), as
        ``DELETE /api/documents/{id}`` does (the same store call and audit line); refreshes the table and
        both selectors. A refusal leaves them as they were."""
        same = gr.update()
        try:
            label = managed(doc_id, "removal", request)
            if not pending or pending != doc_id:  # nothing is removed before its confirmation
                raise InputError("removal not asked for this document",
                                 "Vui lòng bấm \"Xóa văn bản\" rồi xác nhận lại.")
            n = assistant.store.delete_document(doc_id)
        except NQError as exc:
            if not isinstance(exc, InputError):
                log.warning("removal of %s refused or failed: %s", printable(str(doc_id))[:120], exc)
            return refusal_text(exc), same, same, same, hide_confirm, None
        if not n:
            return f"❌ Không tìm thấy văn bản: {doc_id}.", same, same, same, hide_confirm, None
        audit_change("removed", doc_id, client_of(request), chunks=n)
        return (f"🗑 Đã xóa văn bản «{named(label, doc_id)} ({n} đoạn) khỏi chỉ mục.", documents_table(assistant),
                refresh_choices(chosen), refresh_pick(), hide_confirm, None)

    def reindex(doc_id: str | None, request: gr.Request = None):
        """"Lập chỉ mục lại": the document read, cut and embedded again from its source file on the
        server, in a background job (progress and "Dừng lượt nạp" as for an upload; chunks whose text
        is unchanged keep their vectors, and a file unchanged since it was indexed is said so). An
        uploaded document's file is not kept: the message says to upload it again."""
        try:
            label = managed(doc_id, "reindex", request)
            rec = assistant.store.document_records().get(doc_id) or {}
            source = str(rec.get("source") or "")
            if not source or source.startswith(UPLOAD_PREFIX) or not Path(source).is_file():
                log.info("reindex of %s refused: its source file is not on the server", printable(doc_id)[:120])
                raise InputError("the document's source file is not available",
                                 f"Không lập chỉ mục lại được «{label}»: tệp gốc của văn bản không có trên máy chủ "
                                 "(tệp tải lên không được lưu lại sau khi nạp). Hãy tải lên lại tệp và chọn "
                                 "\"Thay thế văn bản cùng tên\".")
            job = jobs.start([Path(source)], doc_id, client_of(request))
        except NQError as exc:
            return refusal_text(exc), gr.update(), gr.update()
        return job.status_markdown(), gr.Timer(active=True), gr.update(visible=True)

    for fn in (check_admin, say_refusal, ingest, cancel_ingest, poll_job, job_status, ask_delete, confirm_delete,
               reindex):
        fn.__annotations__["request"] = gr.Request

    docs = gr.Dataframe(headers=DOCUMENT_HEADERS, value=lambda: documents_table(assistant),
                        label="Văn bản đã lập chỉ mục", interactive=False, wrap=True, elem_id="documents")
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
    with gr.Row(elem_id="docs-manage"):
        pick = gr.Dropdown(choices=document_choices(assistant), value=None, label="Văn bản cần xóa hoặc lập chỉ mục lại",
                           allow_custom_value=True, elem_id="manage-doc", scale=3)
        delete = gr.Button("Xóa văn bản", variant="stop", elem_id="docs-delete", scale=1)
        again = gr.Button("Lập chỉ mục lại", elem_id="docs-reindex", scale=1)
    with gr.Row(visible=False, elem_id="docs-confirm") as confirm_row:
        confirm_text = gr.Markdown()
        confirm = gr.Button("Xác nhận xóa", variant="stop", elem_id="docs-confirm-delete", scale=0)
        cancel = gr.Button("Hủy", elem_id="docs-confirm-cancel", scale=0)
    status = gr.Markdown(elem_id="ingest-status")
    pending = gr.State(None)  # the document whose removal waits for "Xác nhận xóa"
    # the upload returns at once; this polls the background job while it runs (JOB_POLL_S)
    timer = gr.Timer(JOB_POLL_S, active=False)
    seen = gr.State(0)  # the job whose end this page has shown (and refreshed the table for)
    admitted = (go.click(check_upload, [upload], None, api_name=False, show_progress="hidden")
                .success(check_admin, None, None, api_name=False, show_progress="hidden"))
    admitted.failure(say_refusal, None, status, api_name=False, show_progress="hidden", queue=False)
    (admitted.success(ingest, [upload, replace], [status, docs], api_name="ingest")
     .success(lambda: (gr.Timer(active=True), gr.update(visible=True)), None, [timer, stop], api_name=False,
              show_progress="hidden"))
    timer.tick(poll_job, [seen, doc_select], [status, docs, doc_select, pick, timer, seen, stop], api_name=False,
               show_progress="hidden", queue=False)
    stop.click(cancel_ingest, None, status, api_name="ingest_cancel", show_progress="hidden", queue=False)
    gr.api(job_status, api_name="ingest_status")
    delete.click(ask_delete, [pick], [status, confirm_row, confirm_text, pending], api_name="document_delete",
                 show_progress="hidden")
    confirm.click(confirm_delete, [pending, pick, doc_select], [status, docs, doc_select, pick, confirm_row, pending],
                  api_name="document_delete_confirm", show_progress="hidden")
    cancel.click(lambda: ("Đã hủy, không xóa văn bản nào.", hide_confirm, None), None, [status, confirm_row, pending],
                 api_name=False, show_progress="hidden", queue=False)
    pick.change(lambda: (hide_confirm, None), None, [confirm_row, pending], api_name=False, show_progress="hidden",
                queue=False)
    again.click(reindex, [pick], [status, timer, stop], api_name="document_reindex", show_progress="hidden")
    # another process may have indexed documents since the page was built; a job may be running
    demo.load(refresh_choices, [doc_select], doc_select, api_name=False, show_progress="hidden")
    demo.load(lambda: refresh_pick(), None, pick, api_name=False, show_progress="hidden")
    demo.load(lambda: gr.Timer(active=jobs.running), None, timer, api_name=False, show_progress="hidden")
