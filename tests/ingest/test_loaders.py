"""Tests for ingest.loaders: encodings, .docx/.pdf extraction, normalisation, errors."""

from __future__ import annotations

import codecs
import io
import random
import unicodedata
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from errors import (
    CorruptDocument,
    DecodeFailure,
    DocumentError,
    EmptyDocument,
    FileTooLarge,
    UnsupportedFileType,
)
from ingest.loaders import RawDocument, decode_text, load_bytes, load_file

CORPUS = Path(__file__).parents[2] / "data" / "nghi-quyet-tinh-uy-ha-tinh-2025.txt"

VI = "Tỷ lệ che phủ rừng đạt trên 52%"
# Windows-1258 has no precomposed "ỷ", "ệ", ...: it stores a base letter (possibly
# "ê", "ư") plus a combining tone mark, which is how Vietnamese legacy files look.
VI_CP1258 = "Ty\u0309 lê\u0323 che phu\u0309 rư\u0300ng đa\u0323t trên 52%"
FR = "Café – naïve résumé"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def make_pdf(pages: list[str]) -> bytes:
    """A minimal PDF with one Helvetica text line per page, with exact xref offsets."""
    n = len(pages)
    page_ids = [4 + 2 * i for i in range(n)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % i for i in page_ids), n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for page_id, text in zip(page_ids, pages):
        stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("ascii")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))

    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("NGHỊ QUYẾT")
    document.add_paragraph("")  # empty paragraphs are dropped
    document.add_paragraph(VI + ".")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Chỉ tiêu", "Kết quả"), ("Tăng trưởng GRDP", "7,5%")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("Kết luận.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- text encodings -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (VI.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + VI.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + VI.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + VI.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + VI.encode("utf-32-le"), "utf-32-le"),
        (codecs.BOM_UTF32_BE + VI.encode("utf-32-be"), "utf-32-be"),
        (VI.encode("utf-16-le"), "utf-16-le"),  # no BOM: found from the NUL bytes
        (VI.encode("utf-16-be"), "utf-16-be"),
        (VI_CP1258.encode("cp1258"), "cp1258"),
        (FR.encode("cp1252"), "cp1252"),
    ],
)
def test_text_encodings_decode_to_exact_text(tmp_path, data, encoding):
    expected = FR if encoding == "cp1252" else VI
    doc = load_file(write(tmp_path, "a.txt", data))
    source = str((tmp_path / "a.txt").resolve())  # where it was read: what keeps its id on re-ingest
    assert doc == RawDocument(doc_id="a.txt", text=expected, kind="txt", encoding=encoding, source=source)


def test_cp1258_fixture_is_decomposed_vietnamese():
    # Guards the fixture itself: it must differ from VI only by composition.
    assert VI_CP1258 != VI and unicodedata.normalize("NFC", VI_CP1258) == VI


def test_cp1258_decodes_with_combining_marks_that_loading_composes():
    text, encoding = decode_text(VI_CP1258.encode("cp1258"))
    assert (text, encoding) == (VI_CP1258, "cp1258")
    assert load_bytes(VI_CP1258.encode("cp1258"), "a.txt").text == VI
    assert load_bytes(VI_CP1258.encode("cp1258"), "a.txt").source == "upload:a.txt"  # bytes are an upload


def test_western_text_that_cp1258_would_misread_stays_cp1252():
    data = "Relatório: São Paulo não está longe de Portugal.".encode("cp1252")
    assert decode_text(data) == ("Relatório: São Paulo não está longe de Portugal.", "cp1252")


def test_markdown_loads(tmp_path):
    doc = load_file(write(tmp_path, "Ghi-chu.MD", "# Tiêu đề\n\n- Mục một\n".encode()))
    assert doc == RawDocument("Ghi-chu.MD", "# Tiêu đề\n\n- Mục một\n", "md", "utf-8",
                              str((tmp_path / "Ghi-chu.MD").resolve()))


def test_text_is_normalised():
    raw = "a\r\nb\rc\u00a0d\u200be\x00f\tg\ufeffh\x0ci " + unicodedata.normalize("NFD", "Nghị")
    assert load_bytes(raw.encode("utf-8"), "n.txt").text == "a\nb\nc def\tgh\ni Nghị"


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        random.Random(0).randbytes(4096),
        bytes(range(128)) * 8,  # valid ASCII/UTF-8, but a quarter control bytes
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" * 50,
    ],
)
def test_binary_named_txt_is_rejected(data):
    with pytest.raises(DecodeFailure, match="'junk.txt'"):
        load_bytes(data, "junk.txt")


def test_lying_bom_is_rejected():
    with pytest.raises(DecodeFailure, match="utf-16-le"):
        load_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8", "bom.txt")  # lone surrogate


# --- .docx ----------------------------------------------------------------------


def test_docx_paragraphs_and_table(tmp_path):
    doc = load_file(write(tmp_path, "nq.docx", make_docx()))
    assert doc.kind == "docx" and doc.encoding is None
    assert doc.text == (
        "NGHỊ QUYẾT\n\n"
        "Tỷ lệ che phủ rừng đạt trên 52%.\n\n"
        "Chỉ tiêu | Kết quả\n"
        "Tăng trưởng GRDP | 7,5%\n\n"
        "Kết luận."
    )


def test_docx_merged_cell_is_not_repeated():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Tiêu đề"
    table.cell(1, 0).text, table.cell(1, 1).text = "A", "B"
    buffer = io.BytesIO()
    document.save(buffer)
    assert load_bytes(buffer.getvalue(), "m.docx").text == "Tiêu đề\nA | B"


def test_docx_without_text_is_empty():
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(EmptyDocument, match="'blank.docx'"):
        load_bytes(buffer.getvalue(), "blank.docx")


def zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [random.Random(1).randbytes(2048), zip_without_document(), make_docx()[:1500]],
)
def test_corrupt_docx(data):
    with pytest.raises(CorruptDocument, match="'bad.docx'"):
        load_bytes(data, "bad.docx")


# --- .pdf -----------------------------------------------------------------------


def test_pdf_one_page(tmp_path):
    doc = load_file(write(tmp_path, "nq.pdf", make_pdf(["Ty le che phu rung tren 52%"])))
    assert doc == RawDocument("nq.pdf", "Ty le che phu rung tren 52%", "pdf", None, str((tmp_path / "nq.pdf").resolve()))


def test_pdf_pages_joined_by_blank_line():
    text = load_bytes(make_pdf(["Trang mot", "Trang hai"]), "two.pdf").text
    assert text == "Trang mot\n\nTrang hai"


def test_pdf_without_text_is_empty_and_mentions_ocr():
    with pytest.raises(EmptyDocument, match="'scan.pdf'.*OCR"):
        load_bytes(make_pdf([""]), "scan.pdf")


def encrypted_pdf(user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(["Mat khau"]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_encrypted_with_empty_password_opens():
    assert load_bytes(encrypted_pdf(""), "open.pdf").text == "Mat khau"


def test_pdf_with_password_is_refused():
    with pytest.raises(CorruptDocument, match="'locked.pdf' is a password-protected PDF"):
        load_bytes(encrypted_pdf("secret"), "locked.pdf")


@pytest.mark.parametrize(
    "data",
    [make_pdf(["Ty le che phu rung"])[:120], random.Random(2).randbytes(2048), b"%PDF-1.4\n"],
)
def test_corrupt_pdf(data):
    with pytest.raises(CorruptDocument, match="'bad.pdf'"):
        load_bytes(data, "bad.pdf")


# --- refusals -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["setup.exe", "bang.xlsx", "README"])
def test_unsupported_type(tmp_path, name):
    with pytest.raises(UnsupportedFileType, match=f"'{name}'.*supported: .txt, .md, .docx, .pdf"):
        load_file(write(tmp_path, name, b"text"))


@pytest.mark.parametrize("name", ["empty.txt", "empty.docx", "empty.pdf"])
def test_zero_bytes_is_empty(tmp_path, name):
    with pytest.raises(EmptyDocument, match=f"'{name}'"):
        load_file(write(tmp_path, name, b""))


def test_whitespace_only_is_empty():
    with pytest.raises(EmptyDocument, match="'blank.txt'"):
        load_bytes(" \n\t\u00a0\u200b\r\n".encode(), "blank.txt")


def test_too_large(tmp_path):
    path = write(tmp_path, "big.txt", b"x" * 101)
    with pytest.raises(FileTooLarge, match="'big.txt'.*NQ_MAX_FILE_MB"):
        load_file(path, max_bytes=100)
    with pytest.raises(FileTooLarge, match="'big.txt'"):
        load_bytes(b"x" * 101, "big.txt", max_bytes=100)
    assert load_file(path, max_bytes=101).text == "x" * 101
    # the limit reads as configured (NQ_MAX_FILE_MB=20 counts 20 × 1024 × 1024 bytes), not "21.0 MB"
    with pytest.raises(FileTooLarge) as err:
        load_bytes(b"x" * (30 * 1024 * 1024), "lon.txt", max_bytes=20 * 1024 * 1024)
    assert err.value.message_vi == "Tệp 'lon.txt' có dung lượng 30,0 MB, vượt giới hạn 20 MB."


def test_suffix_is_checked_before_size():
    with pytest.raises(UnsupportedFileType):
        load_bytes(b"x" * 101, "big.exe", max_bytes=100)


def test_errors_carry_a_vietnamese_message():
    with pytest.raises(DocumentError) as info:
        load_bytes(b"", "rong.txt")
    assert "rong.txt" in str(info.value) and "rong.txt" in info.value.message_vi


# --- bundled corpus -------------------------------------------------------------


def test_bundled_corpus_loads():
    doc = load_file(CORPUS)
    assert (doc.doc_id, doc.kind, doc.encoding) == (CORPUS.name, "txt", "utf-8")
    assert doc.text.strip().startswith("NGHỊ QUYẾT")
    assert doc.text == unicodedata.normalize("NFC", doc.text) and "\r" not in doc.text
