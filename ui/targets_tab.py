"""The "Chỉ tiêu" tab: the targets table (or the reported results), filterable by group and text,
with the source passage of a selected row highlighted, and CSV / Excel downloads."""

from __future__ import annotations

import hashlib
import html
import logging
import re
import tempfile
from pathlib import Path

import gradio as gr  # at module level: the select handler's gr.SelectData hint must resolve

from ingest.targets import to_sheet_csv, to_xlsx
from answering.chain import Assistant
from core.types import TargetRecord

log = logging.getLogger(__name__)

ALL = "Tất cả"
KINDS = {"Chỉ tiêu": "targets", "Mục tiêu khác": "aims", "Kết quả": "results"}
# One row per figure, as in the downloads; the whole target is in "Đoạn văn gốc" when a row is selected.
# On a phone only "Số", "Chỉ tiêu" and "Giá trị" show (CSS in ui/chat.py).
HEADERS = ["Số", "Nhóm / năm", "Chỉ tiêu", "Giá trị", "Văn bản"]
PLACEHOLDER = "<p><i>Chọn một dòng của bảng để xem đoạn văn gốc.</i></p>"


def select_records(assistant: Assistant, kind: str, group: str | None, text: str | None,
                   doc: str | None = None) -> list[TargetRecord]:
    """The rows shown: of one kind, optionally one group, the words typed and one document (its id)."""
    group = None if not group or group == ALL else group
    doc = None if not doc or doc == ALL else doc
    return assistant.table.select(KINDS.get(kind, "targets"), doc=doc, group=group,
                                  text=(text or "").strip() or None)


def document_choices(assistant: Assistant) -> list[tuple[str, str]]:
    """(short name, id) of each document with targets or results, after "Tất cả"."""
    return [(ALL, ALL)] + [(name or doc, doc) for doc, name in assistant.table.documents().items()]


def figure_rows(records: list[TargetRecord]) -> list[tuple[TargetRecord, object]]:
    """(record, figure) per table row: one row per figure, a record with no figure on one row."""
    return [(r, m) for r in records for m in (r.values or (None,))]


def table_rows(records: list[TargetRecord]) -> list[list]:
    rows = []
    for r, m in figure_rows(records):
        value = m.display() if m else "(không có số liệu)"
        if r.uncertain:
            value += " (chưa chắc chắn: " + "; ".join(r.warnings) + ")"
        rows.append([f"({r.number})" if r.number is not None else "", r.group or f"Năm {r.year or ''}".strip(),
                     m.label if m else r.text, value, r.doc_title or r.doc])
    return rows


def source_html(assistant: Assistant, record: TargetRecord) -> str:
    """The passage holding the record, with the record (or each of its figures' clauses) marked."""
    chunk = assistant.retriever.bm25.by_id.get(record.chunk_id)
    text, base = (chunk.text, chunk.start) if chunk else (record.text, record.start)
    spans = [(m.start, m.end) for m in record.values] if record.kind == "target" and record.values \
        else [(record.start, record.end)]
    out, pos = [], 0
    for s, e in sorted(spans):
        s, e = max(s - base, pos), min(e - base, len(text))
        if s >= e:
            continue
        out.append(html.escape(text[pos:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    name = (chunk.info.short_name() or chunk.doc_title or record.doc) if chunk else record.doc
    return (f'<div class="cite"><span class="section" title="{html.escape(record.doc, quote=True)}">'
            f'{html.escape(name)} › {html.escape(record.section)}'
            f' (ký tự {record.start}–{record.end})</span><div class="passage">{"".join(out)}</div></div>')


_EXPORTS = Path(tempfile.mkdtemp(prefix="nq-targets-"))  # one folder per process


def _slug(text: str) -> str:
    from core.text import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:40]


def export_files(records: list[TargetRecord], kind: str, group: str | None = None, text: str | None = None,
                 doc: str | None = None) -> tuple[str, str]:
    """CSV and Excel files of the rows shown, named after the filter ("chi-tieu-ve-moi-truong.xlsx"), the
    sheet after what it holds ("Kết quả – Năm 2024"). The table refilters as the user types, so the same
    rows and names reuse the files already written."""
    kind = kind if kind in KINDS else "Chỉ tiêu"
    filters = [f for f in (group, doc and Path(doc).stem, text) if f and f != ALL]
    stem = "-".join(p for p in [_slug(kind)] + [_slug(f) for f in filters] if p)
    sheet = " – ".join([kind] + [f for f in (group,) if f and f != ALL])
    body = to_sheet_csv(records)
    folder = _EXPORTS / hashlib.sha256(f"{stem}\n{sheet}\n{body}".encode("utf-8")).hexdigest()[:16]
    csv_path, xlsx_path = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    if not xlsx_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        csv_path.write_text(body, encoding="utf-8-sig")  # the BOM lets Excel read UTF-8
        to_xlsx(records, xlsx_path, sheet=sheet)
    return str(csv_path), str(xlsx_path)


def build_targets_tab(assistant: Assistant, demo, tab) -> None:
    """Build the tab's components inside ``tab`` (the current context); the table is filled when the
    page loads and again whenever the tab is opened (documents may have been added meanwhile)."""

    def groups(doc: str | None = None) -> list[str]:
        return [ALL] + assistant.table.groups(None if not doc or doc == ALL else doc)

    def refresh(kind: str, group: str, text: str, doc: str = ALL):
        records = select_records(assistant, kind, group, text, doc)
        csv_path, xlsx_path = export_files(records, kind, group, text, doc)
        rows = table_rows(records)
        count = f"{len(records)} {'chỉ tiêu' if KINDS.get(kind) != 'results' else 'kết quả'}, {len(rows)} dòng" \
            + (f" · {sum(r.uncertain for r in records)} chưa chắc chắn" if any(r.uncertain for r in records) else "")
        return rows, count, csv_path, xlsx_path, PLACEHOLDER

    def show_source(kind: str, group: str, text: str, doc: str, evt: gr.SelectData):
        rows = figure_rows(select_records(assistant, kind, group, text, doc))
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if row is None or not 0 <= row < len(rows):
            return PLACEHOLDER
        return source_html(assistant, rows[row][0])

    with gr.Row():
        kind = gr.Radio(list(KINDS), value="Chỉ tiêu", label="Loại", scale=1)
        group = gr.Dropdown(groups(), value=ALL, label="Nhóm", scale=1)
        search = gr.Textbox(label="Tìm kiếm", placeholder="Ví dụ: rừng, ngân sách, bao hiem xa hoi", scale=2)
    doc = gr.Dropdown(document_choices(assistant), value=ALL, label="Văn bản", elem_id="targets-doc")
    count = gr.Markdown()
    table = gr.Dataframe(headers=HEADERS, value=None, interactive=False, wrap=True, label="Bảng chỉ tiêu",
                         elem_id="targets-table", column_widths=["8%", "18%", "34%", "22%", "18%"])
    with gr.Row():
        csv_btn = gr.DownloadButton("Tải CSV", size="sm")
        xlsx_btn = gr.DownloadButton("Tải Excel (.xlsx)", size="sm")
    gr.Markdown("### Đoạn văn gốc")
    source = gr.HTML(PLACEHOLDER, elem_id="target-source")

    inputs = [kind, group, search, doc]
    outputs = [table, count, csv_btn, xlsx_btn, source]
    for trigger in (kind.change, group.change, search.submit):
        trigger(refresh, inputs, outputs, api_name=False)
    search.change(refresh, inputs, outputs, api_name="targets", show_progress="hidden")
    table.select(show_source, inputs, source, api_name=False)

    def pick_document(kind_value: str, text: str, doc_value: str):
        """Another document: its own groups, and its rows."""
        return (gr.update(choices=groups(doc_value), value=ALL),) + refresh(kind_value, ALL, text, doc_value)

    doc.change(pick_document, [kind, search, doc], [group] + outputs, api_name=False)

    def reload(kind_value: str, text: str, doc_value: str):
        choices = document_choices(assistant)
        doc_value = doc_value if doc_value in {v for _, v in choices} else ALL
        return (gr.update(choices=choices, value=doc_value), gr.update(choices=groups(doc_value), value=ALL)) \
            + refresh(kind_value, ALL, text, doc_value)

    for trigger in (demo.load, tab.select):
        trigger(reload, [kind, search, doc], [doc, group] + outputs, api_name=False)
