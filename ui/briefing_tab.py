"""The "Tài liệu" tab: build a trainer's briefing on a topic (or from questions), preview it, and
download it as Word or Markdown; download the current chat as a transcript."""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

from briefing.builder import BriefingBuilder
from briefing.export import to_docx, to_markdown, transcript
from answering.chain import Assistant
from core.types import Answer, Briefing
from ui.alerts import ui_error
from ui.safe_text import as_text

log = logging.getLogger(__name__)

TOPICS = ["môi trường", "chuyển đổi số", "an sinh xã hội", "kinh tế", "cải cách hành chính"]


def _slug(text: str) -> str:
    from core.text import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:40] or "tai-lieu"


def export_files(briefing: Briefing, stem: str) -> tuple[str, str]:
    folder = Path(tempfile.mkdtemp(prefix="nq-brief-"))
    md = folder / f"{stem}.md"
    md.write_text(to_markdown(briefing), encoding="utf-8")
    docx = to_docx(briefing, folder / f"{stem}.docx")
    return str(docx), str(md)


def document_choices(assistant: Assistant) -> list[tuple[str, str]]:
    """(short name, id) of every indexed document, in the index's order."""
    names: dict[str, str] = {}
    for c in assistant.retriever.bm25.chunks:
        names.setdefault(c.doc_id, c.info.short_name() or c.doc_title or c.doc_id)
    return [(name, doc) for doc, name in names.items()]


def build_briefing(assistant: Assistant, topic: str, questions: str,
                   docs: list[str] | None = None) -> tuple[Briefing, str]:
    """A briefing on ``topic`` (or the questions' answers) from ``docs`` (all documents when none
    is chosen); with several documents each point names its own."""
    builder = BriefingBuilder(assistant)
    docs = [d for d in (docs or []) if d] or None
    lines = [q for q in (questions or "").splitlines() if q.strip()]
    if lines:
        return builder.by_questions(lines, docs=docs), "hoi-dap"
    return builder.by_topic(topic, doc=docs), f"tai-lieu-{_slug(topic)}"


def build_briefing_tab(assistant: Assistant, answers_state) -> None:
    """Build the tab's components in the current context. ``answers_state`` is the chat's
    ``gr.State`` holding the answers (as dicts) of the conversation, for the transcript."""
    import gradio as gr

    from errors import NQError

    def make(topic: str, questions: str, docs: list[str] | None = None):
        topic = (topic or "").strip()
        if not topic and not (questions or "").strip():
            raise ui_error("Vui lòng nhập chủ đề hoặc danh sách câu hỏi.")
        known = {d for _, d in document_choices(assistant)}
        unknown = [d for d in docs or [] if d not in known]
        if unknown:  # removed meanwhile, or a stale page
            raise ui_error(f"Không tìm thấy văn bản: {', '.join(unknown)}")
        try:
            briefing, stem = build_briefing(assistant, topic, questions, docs)
        except NQError as exc:
            log.info("briefing rejected: %s", exc)
            raise ui_error(exc.message_vi) from exc
        docx, md = export_files(briefing, stem)
        # the preview renders Markdown: document text in it is shown as text, never as HTML, an image
        # or a link (ui.safe_text)
        preview = as_text(to_markdown(briefing))
        return preview, gr.update(value=docx, visible=True), gr.update(value=md, visible=True)

    def chat_transcript(answers: list[dict] | None):
        if not answers:
            raise ui_error("Chưa có câu hỏi nào trong cuộc trò chuyện.")
        from core.types import Citation

        turns = [Answer(question=a["question"], answer=a["answer"], found=a["found"],
                        citations=[Citation(**c) for c in a["citations"]]) for a in answers]
        docx, md = export_files(transcript(turns), "hoi-dap-tro-chuyen")
        return gr.update(value=docx, visible=True), gr.update(value=md, visible=True)

    gr.Markdown("### Soạn tài liệu sinh hoạt\nNhập một chủ đề (hoặc danh sách câu hỏi, mỗi dòng một câu). "
                "Tài liệu gồm các chỉ tiêu kèm giá trị, kết quả liên quan, nhiệm vụ, giải pháp; "
                "mỗi ý có trích dẫn và danh mục nguồn ở cuối.")
    with gr.Row():
        topic = gr.Dropdown(TOPICS, value=TOPICS[0], allow_custom_value=True, label="Chủ đề", scale=2,
                            elem_id="brief-topic")
        questions = gr.Textbox(label="Hoặc danh sách câu hỏi", lines=3, scale=3, elem_id="brief-questions",
                               placeholder="Mỗi dòng một câu hỏi")
    docs = gr.Dropdown(document_choices(assistant), value=[], multiselect=True, elem_id="brief-docs",
                       label="Văn bản (để trống: tất cả; chọn nhiều: mỗi ý ghi rõ văn bản)")
    # documents may be added meanwhile: the choices are read again whenever the list is opened
    docs.focus(lambda chosen: gr.update(choices=document_choices(assistant), value=chosen), [docs], [docs],
               api_name=False, show_progress="hidden")
    go = gr.Button("Soạn tài liệu", variant="primary", elem_id="brief-build")
    with gr.Row():
        docx_btn = gr.DownloadButton("Tải Word (.docx)", visible=False, elem_id="brief-docx")
        md_btn = gr.DownloadButton("Tải Markdown (.md)", visible=False, elem_id="brief-md")
    preview = gr.Markdown(elem_id="brief-preview")
    go.click(make, [topic, questions, docs], [preview, docx_btn, md_btn], api_name="brief")

    gr.Markdown("### Xuất nội dung hỏi đáp\nTải toàn bộ câu hỏi, câu trả lời và trích dẫn của cuộc trò chuyện hiện tại.")
    export = gr.Button("Xuất hội thoại", elem_id="transcript-build")
    with gr.Row():
        t_docx = gr.DownloadButton("Tải Word (.docx)", visible=False, elem_id="transcript-docx")
        t_md = gr.DownloadButton("Tải Markdown (.md)", visible=False, elem_id="transcript-md")
    export.click(chat_transcript, [answers_state], [t_docx, t_md], api_name="transcript")
