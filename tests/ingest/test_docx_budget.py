"""A .docx inside every limit is read within bounded memory (issue 23, hardening): a 425 KB file of
40,000 paragraphs (150 MB of XML) took 2.75 GB in the loader, python-docx's tree of the whole body.
The body is now streamed, and its text is refused as soon as it passes the text budget."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from errors import FileTooLarge
from ingest.loaders import load_bytes

ROOT = Path(__file__).resolve().parents[2]
_WORDS = "thôn xóm bờ mương cánh đồng lúa ngô khoai sắn cầu tre đường làng trường lớp".split()
# A run as Word writes it: fonts, size, colour and language on every run make the XML ~25x the text.
_RUN = ('<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
        '<w:b/><w:i/><w:color w:val="1F3864"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr>'
        '<w:t xml:space="preserve">{word} </w:t></w:r>')
PARAGRAPHS = 40_000
TABLE_ROWS = 4_000
RUNS = 3  # per paragraph: ~30 MB of XML, enough to tell a stream from a tree, quick to write and read
# The loader's peak, Python and its imports included. Measured: ~75 MB streamed (40,000 paragraphs of
# 12 runs, 120 MB of XML); python-docx's tree needs ~18 bytes per byte of XML (500+ MB for this file).
MAX_RSS_MB = 300


def _package(body: str) -> bytes:
    """A package written by python-docx with ``body`` (XML) as the content of its body."""
    import docx

    base = io.BytesIO()
    docx.Document().save(base)
    with zipfile.ZipFile(base) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    head, tail = xml.split("<w:body>")[0] + "<w:body>", "<w:sectPr" + xml.split("<w:sectPr", 1)[1]
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            blob = (head + body + tail).encode("utf-8") if item.filename == "word/document.xml" else src.read(item)
            dst.writestr(item, blob)
    return out.getvalue()


def _paragraph(i: int, runs: int) -> str:
    return ("<w:p>" + "".join(_RUN.format(word=_WORDS[(i + j) % len(_WORDS)]) for j in range(runs))
            + f"<w:r><w:t>số {i}.</w:t></w:r></w:p>")


def bloated_docx(paragraphs: int, runs: int) -> bytes:
    """``paragraphs`` paragraphs of ``runs`` formatted runs."""
    return _package("".join(_paragraph(i, runs) for i in range(paragraphs)))


def bloated_table_docx(rows: int, cols: int, runs: int) -> bytes:
    """One table of ``rows`` x ``cols`` cells, each a paragraph of ``runs`` formatted runs."""
    return _package("<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc>{_paragraph(r * cols + c, runs)}</w:tc>"
                                                           for c in range(cols)) + "</w:tr>"
                                        for r in range(rows)) + "</w:tbl>")


@pytest.fixture(scope="module")
def flood(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "nhieu-doan.docx"
    path.write_bytes(bloated_docx(PARAGRAPHS, RUNS))
    return path


@pytest.fixture(scope="module")
def table_flood(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "bang-lon.docx"
    path.write_bytes(bloated_table_docx(TABLE_ROWS, 4, 2 * RUNS))  # one table: kept until it ends, as text only
    return path


_MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from ingest.loaders import load_bytes
data = open(sys.argv[2], "rb").read()
began = time.perf_counter()
raw = load_bytes(data, "nhieu-doan.docx")
# The peak of this process since exec (ru_maxrss would count the forking test process's size too).
status = open("/proc/self/status").read() if sys.platform == "linux" else ""
hwm = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
peak_kb = hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"chars": len(raw.text), "paragraphs": raw.text.count("\\n\\n") + 1,
                  "seconds": time.perf_counter() - began, "rss_mb": peak_kb / 1024}))
"""


def _measure(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(ROOT), str(path)], capture_output=True, text=True,
                         timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_docx_of_40000_formatted_paragraphs_is_read_within_bounded_memory(flood):
    with zipfile.ZipFile(flood) as z:
        xml_bytes = z.getinfo("word/document.xml").file_size
    assert xml_bytes > 25_000_000 and flood.stat().st_size < 1_000_000
    got = _measure(flood)
    assert got["paragraphs"] == PARAGRAPHS
    assert got["rss_mb"] < MAX_RSS_MB, got


def test_a_docx_table_of_formatted_cells_is_read_within_bounded_memory(table_flood):
    with zipfile.ZipFile(table_flood) as z:
        assert z.getinfo("word/document.xml").file_size > 20_000_000
    got = _measure(table_flood)
    assert got["paragraphs"] == 1 and got["chars"] > 10 * TABLE_ROWS
    assert got["rss_mb"] < MAX_RSS_MB, got


def test_a_docx_over_the_text_budget_is_refused_early_with_a_clear_message():
    import docx

    d = docx.Document()
    for i in range(2_000):
        d.add_paragraph(f"Đoạn {i}: " + " ".join(_WORDS * 6) + ".")  # ~500 characters each, ~1 M in all
    out = io.BytesIO()
    d.save(out)
    data = out.getvalue()
    limit = 400_000  # the file (~60 KB, ~2 MB unpacked) is inside every other limit; its text is not
    assert len(data) < limit
    began = time.perf_counter()
    with pytest.raises(FileTooLarge, match=f"more than {limit:,} characters of text") as err:
        load_bytes(data, "nhieu-chu.docx", max_bytes=limit)
    assert time.perf_counter() - began < 5
    assert "nhieu-chu.docx" in str(err.value) and "quá nhiều nội dung" in err.value.message_vi
    assert load_bytes(data, "nhieu-chu.docx", max_bytes=5 * limit).text.count("\n\n") == 1_999


def test_the_paragraph_limit_still_counts_paragraphs_in_tables():
    import docx

    class Limits:
        max_docx_paragraphs = 20

    d = docx.Document()
    d.add_paragraph("Bảng chỉ tiêu:")
    table = d.add_table(rows=5, cols=5)
    for i, cell in enumerate(c for row in table.rows for c in row.cells):
        cell.text = f"ô {i}"
    out = io.BytesIO()
    d.save(out)
    with pytest.raises(FileTooLarge, match="more than 20 paragraphs"):
        load_bytes(out.getvalue(), "bang.docx", limits=Limits)
