"""Bounded resources (issue 14, item 8): zip bombs and paragraph floods in .docx, page floods in
PDF, names with control characters, and the chunker's token budget after a runaway unit."""

from __future__ import annotations

import io
import zipfile

import pytest

from errors import FileTooLarge, UnsupportedFileType
from ingest.loaders import load_bytes


class Limits:
    max_pages = 3
    max_docx_paragraphs = 50


def _docx(paragraphs: int) -> bytes:
    import docx

    d = docx.Document()
    for i in range(paragraphs):
        d.add_paragraph(f"Đoạn {i}: nội dung nghị quyết.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_paragraph_flood_is_refused_before_parsing():
    assert "Đoạn 39" in load_bytes(_docx(40), "nq.docx", limits=Limits).text
    with pytest.raises(FileTooLarge, match="more than 50 paragraphs") as err:
        load_bytes(_docx(60), "nq.docx", limits=Limits)
    assert "quá nhiều đoạn" in err.value.message_vi


def test_docx_zip_bomb_is_refused_by_its_unpacked_size():
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx(3))) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/media/bomb.bin", b"\0" * 5_000_000)  # 5 MB of zeros packs into ~5 KB
    packed = data.getvalue()
    assert len(packed) < 100_000
    with pytest.raises(FileTooLarge, match="unpacks to") as err:
        load_bytes(packed, "bomb.docx", max_bytes=200_000)  # unpacked limit: 8 x 200 KB
    assert "giải nén" in err.value.message_vi


def test_pdf_page_limit():
    from pypdf import PdfWriter

    for pages, ok in ((3, True), (4, False)):
        w = PdfWriter()
        for _ in range(pages):
            w.add_blank_page(width=200, height=200)
        out = io.BytesIO()
        w.write(out)
        if ok:
            with pytest.raises(Exception, match="no extractable text"):  # blank pages: read, then no text
                load_bytes(out.getvalue(), "nq.pdf", limits=Limits)
        else:
            with pytest.raises(FileTooLarge, match="4 pages, over the 3-page limit"):
                load_bytes(out.getvalue(), "nq.pdf", limits=Limits)


@pytest.mark.parametrize("name", ["nq\x00.txt", "nq\n.txt", "nq\x1b[31m.txt", "a\u200b.txt"])
def test_names_with_control_characters_are_refused(name):
    with pytest.raises(UnsupportedFileType, match="control characters"):
        load_bytes("Nghị quyết".encode(), name)


@pytest.mark.parametrize("kind", ["signature", "target", "recipients", "footnote"])
def test_the_token_budget_holds_for_units_kept_whole(kind):
    """A signature block followed by lines of text without a heading (or a runaway target, list of
    recipients, footnote) was one unbounded chunk; units kept whole are bounded too now."""
    from ingest.chunker import WHOLE_BUDGETS, build_chunks, count_tokens
    from ingest.clean import clean_text

    body = " ".join(f"câu thứ {i} của phần văn bản, không có tiêu đề nào" for i in range(300))
    text = {
        "signature": "NGHỊ QUYẾT\n\nĐiều 1. Nội dung.\n\nTM. BAN CHẤP HÀNH\nBÍ THƯ\n"
                     + "\n".join(f"dòng {i} sau chữ ký không tiêu đề" for i in range(400)) + "\n",
        "target": f"NGHỊ QUYẾT\n\nII. CHỈ TIÊU NĂM 2025\n\nVề y tế: (1) Có 15 bác sĩ/1 vạn dân; {body}.\n",
        "recipients": f"NGHỊ QUYẾT\n\nĐiều 1. Nội dung.\n\nNơi nhận:\n- Như Điều 1;\n- {body}.\n",
        "footnote": f"NGHỊ QUYẾT\n\nĐiều 1. Nội dung¹.\n\n¹ {body}.\n",
    }[kind]
    chunks = build_chunks("nq.txt", clean_text(text), max_tokens=160)
    assert any(c.kind == kind for c in chunks)
    assert max(count_tokens(c.text) for c in chunks) <= WHOLE_BUDGETS * 160
