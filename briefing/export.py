"""Briefings and chat transcripts as Markdown and Word (.docx): every point carries numbered
citation markers; the notes at the end give each citation's document (its title and number),
section path, offsets and quote, and the sources list names each document by title."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from core.types import Answer, Briefing, BriefPoint, BriefSection, Citation

EMPTY = "(Văn bản không có nội dung liên quan.)"
_MARK_RE = re.compile(r"\[\d+\]")
_TARGET_NO_RE = re.compile(r"^\((\d{1,3})\)\s*")


def source_name(c: Citation) -> str:
    """How a citation names its document: the short name read from its header ("Kế hoạch
    45/KH-UBND của Ủy ban nhân dân tỉnh Tuyên Quang") or its title; the file name when neither is known."""
    return c.doc_title or c.doc


def documents_of(cites: list[Citation]) -> list[str]:
    """The cited documents in order of first citation, each as "short name (file name)"."""
    out: dict[str, str] = {}
    for c in cites:
        name = source_name(c)
        out.setdefault(c.doc, f"{name} ({c.doc})" if name != c.doc else c.doc)
    return list(out.values())


def number_citations(b: Briefing) -> Briefing:
    """Number the citations 1..n in reading order and rewrite each point's own markers (an
    answer's [1], [2]) to the new numbers. Citations are changed in place."""
    n = 0
    for section in b.sections:
        for point in section.points:
            mapping = {}
            for c in point.citations:
                n += 1
                mapping[c.n], c.n = n, n
            point.text = _MARK_RE.sub(lambda m, mp=mapping: f"[{mp.get(int(m.group()[1:-1]), m.group()[1:-1])}]",
                                      point.text)
    return b


def transcript(answers: list[Answer], title: str = "Nội dung hỏi đáp") -> Briefing:
    """A chat transcript (questions, answers, citations) in the briefing's shape, numbered 1..n."""
    points = [BriefPoint(text=f"Hỏi: {a.question}\nĐáp: {a.answer}", citations=[replace(c) for c in a.citations])
              for a in answers]  # copies: numbering must not change the caller's answers
    docs = documents_of([c for p in points for c in p.citations])
    return number_citations(Briefing(title=title, topic="", sections=[BriefSection("Hỏi đáp", points)],
                                     documents=docs))


def _marks(point: BriefPoint) -> str:
    """The point's citation markers, unless its text already carries them (an answer's "[1]")."""
    if _MARK_RE.search(point.text):
        return ""
    return " " + "".join(f"[{c.n}]" for c in point.citations)


def _named(point: BriefPoint) -> str:
    """The point's text, after its document's short name when the briefing names documents."""
    return f"{point.doc}: {point.text}" if point.doc else point.text


def _note(c: Citation) -> str:
    return f"{_where(c)} (ký tự {c.start}–{c.end}): «{c.quote}»"


def _where(c: Citation) -> str:
    """Document › section path (no empty parts)."""
    return " › ".join(p for p in (source_name(c), c.section) if p)


def _is_targets(section: BriefSection) -> bool:
    return bool(section.points) and all(p.values or _TARGET_NO_RE.match(p.text) for p in section.points) \
        and any(p.values for p in section.points)


def to_markdown(b: Briefing) -> str:
    out = [f"# {b.title}", ""]
    if b.documents:
        out += ["Văn bản: " + "; ".join(b.documents), ""]
    for i, section in enumerate(b.sections, 1):
        out += [f"## {i}. {section.heading}", ""]
        if not section.points:
            out += [EMPTY, ""]
            continue
        if _is_targets(section):
            named = any(p.doc for p in section.points)  # several documents: a document column
            heads = (["Văn bản"] if named else []) + ["Số", "Chỉ tiêu", "Giá trị", "Nguồn"]
            out += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
            for p in section.points:
                m = _TARGET_NO_RE.match(p.text)
                number, body = (f"({m.group(1)})", p.text[m.end():]) if m else ("", p.text)
                cells = ([p.doc] if named else []) + [number, body, p.values or "", _marks(p).strip()]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            out.append("")
            continue
        for p in section.points:
            lines = (_named(p) + _marks(p)).split("\n")
            out.append("- " + lines[0])
            out += [f"  {line}" for line in lines[1:]]
        out.append("")
    notes = b.numbered()
    if notes:
        out += ["## Ghi chú", ""] + [f"{c.n}. {_note(c)}" for c in notes] + [""]
        out += ["## Nguồn", ""]
        for where in dict.fromkeys(_where(c) for c in notes):
            out.append(f"- {where}")
        out.append("")
    return "\n".join(out)


def _add_marked(paragraph, text: str) -> None:
    """Text with its "[n]" markers set as superscript note references."""
    pos = 0
    for m in _MARK_RE.finditer(text):
        paragraph.add_run(text[pos:m.start()])
        paragraph.add_run(m.group()).font.superscript = True
        pos = m.end()
    paragraph.add_run(text[pos:])


AUTHOR = "Hỏi đáp Nghị quyết"


def _page_setup(doc, title: str) -> None:
    """A4 with the margins of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP: top and bottom
    20 mm, left 30 mm, right 15 mm), and the file's own title, author and language."""
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, AUTHOR, AUTHOR
    props.language, props.comments = "vi-VN", ""


def to_docx(b: Briefing, path: str | Path) -> Path:
    try:
        from docx import Document
        from docx.shared import Pt
    except ImportError as exc:  # pragma: no cover - install problem
        raise ImportError("python-docx is required: pip install -r requirements.txt") from exc

    doc = Document()
    _page_setup(doc, b.title)
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    doc.add_heading(b.title, level=1)
    if b.documents:
        doc.add_paragraph("Văn bản: " + "; ".join(b.documents)).italic = True
    for i, section in enumerate(b.sections, 1):
        doc.add_heading(f"{i}. {section.heading}", level=2)
        if not section.points:
            doc.add_paragraph(EMPTY)
            continue
        if _is_targets(section):
            named = any(p.doc for p in section.points)  # several documents: a document column
            heads = (["Văn bản"] if named else []) + ["Số", "Chỉ tiêu", "Giá trị", "Nguồn"]
            table = doc.add_table(rows=1, cols=len(heads))
            table.style = "Table Grid"
            for cell, head in zip(table.rows[0].cells, heads):
                cell.text = head
            for p in section.points:
                m = _TARGET_NO_RE.match(p.text)
                number, body = (f"({m.group(1)})", p.text[m.end():]) if m else ("", p.text)
                row = table.add_row().cells
                texts = ([p.doc] if named else []) + [number, body, p.values or ""]
                for cell, text in zip(row, texts):
                    cell.text = text
                _add_marked(row[len(texts)].paragraphs[0], _marks(p).strip())
            continue
        for p in section.points:
            lines = (_named(p) + _marks(p)).split("\n")
            para = doc.add_paragraph(style="List Bullet")
            _add_marked(para, lines[0])
            for line in lines[1:]:
                para.add_run().add_break()
                _add_marked(para, line)
    notes = b.numbered()
    if notes:
        doc.add_heading("Ghi chú", level=2)
        for c in notes:
            para = doc.add_paragraph()
            para.add_run(f"[{c.n}] ").font.superscript = True
            para.add_run(f"{_where(c)} (ký tự {c.start}–{c.end}): ")
            para.add_run(f"«{c.quote}»").italic = True
        doc.add_heading("Nguồn", level=2)
        for where in dict.fromkeys(_where(c) for c in notes):
            doc.add_paragraph(where, style="List Bullet")
    path = Path(path)
    doc.save(path)
    return path


def write(b: Briefing, path: str | Path) -> Path:
    """Write by the file's extension: .md (Markdown) or .docx (Word)."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        return to_docx(b, path)
    if path.suffix.lower() in (".md", ".markdown", ".txt"):
        path.write_text(to_markdown(b), encoding="utf-8")
        return path
    raise ValueError(f"unsupported briefing format {path.suffix!r}: use .md or .docx")
