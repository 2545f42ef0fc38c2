"""The text of a .docx, read as a stream with a budget.

python-docx builds the whole body as one lxml tree: about 18 bytes of memory per byte of XML
(measured: a 425 KB file of 40,000 paragraphs unpacks to 150 MB of XML, 2.75 GB in the loader).
Here the body is parsed with a pull parser that hands over each top-level paragraph or table once
it is complete; its text is read with python-docx's own classes (same text as before), then the
element is dropped. Memory follows the text kept, not the XML, and the budget is checked as the
text grows:

* the package's unpacked size (its zip header, then the bytes actually read): zip bombs;
* the number of paragraphs (table cells' included): NQ_MAX_DOCX_PARAGRAPHS;
* the characters of text, table separators included: at most what a .txt file under
  NQ_MAX_FILE_MB may hold, so a .docx never yields more text than the limit allows a .txt.

Any of them is refused as soon as it is passed, with a message naming the file and the limit.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.oxml.parser import element_class_lookup
from docx.oxml.text.paragraph import CT_P
from docx.table import Table
from lxml import etree

from errors import CorruptDocument, FileTooLarge

BODY_PART = "word/document.xml"
READ_BYTES = 1 << 20  # the body is fed to the parser this many bytes at a time
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_SEP = "\n\n"

# A .docx being streamed for an ingest job checks the job's bounds (memory ceiling, cancel) this often:
# ~20 µs a check, a few ms of reading between two
CHECK_PARAGRAPHS = 500


def table_text(table: Table) -> str:
    """One line per row, cells joined by " | "."""
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; keep it once.
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def _corrupt(name: str, exc: BaseException) -> CorruptDocument:
    return CorruptDocument(
        f"file '{name}' is not a readable .docx document ({type(exc).__name__}: {exc}); "
        "open and re-save it in Word, or export it to PDF",
        f"Tệp '{name}' không phải tài liệu .docx hợp lệ hoặc đã bị hỏng.")


def _too_much_text(name: str, max_chars: int) -> FileTooLarge:
    return FileTooLarge(
        f"file '{name}' holds more than {max_chars:,} characters of text, the most a file under "
        f"NQ_MAX_FILE_MB may hold; split the document",
        f"Tệp '{name}' có quá nhiều nội dung văn bản (hơn {f'{max_chars:,}'.replace(',', '.')} ký tự); "
        "hãy tách thành nhiều tệp.")


def _too_many_paragraphs(name: str, max_paragraphs: int) -> FileTooLarge:
    return FileTooLarge(
        f"file '{name}' has more than {max_paragraphs} paragraphs (NQ_MAX_DOCX_PARAGRAPHS); split the document",
        f"Tệp '{name}' có quá nhiều đoạn văn (hơn {max_paragraphs}).")


def _unpacks_over(name: str, what: str, max_unpacked: int, expansion: int) -> FileTooLarge:
    return FileTooLarge(
        f"file '{name}' unpacks to {what}, over the {max_unpacked / 1e6:.0f} MB limit ({expansion} x NQ_MAX_FILE_MB)",
        f"Tệp '{name}' khi giải nén vượt quá dung lượng cho phép.")


class _Budget:
    def __init__(self, name: str, max_paragraphs: int, max_chars: int, checkpoint=None) -> None:
        self.name, self.max_paragraphs, self.max_chars = name, max_paragraphs, max_chars
        self.checkpoint = checkpoint  # the ingest job's bounds (memory, cancel), every CHECK_PARAGRAPHS
        self.paragraphs = 0
        self.chars = 0

    def paragraph(self) -> None:
        self.paragraphs += 1
        if self.paragraphs > self.max_paragraphs:
            raise _too_many_paragraphs(self.name, self.max_paragraphs)
        if self.checkpoint is not None and self.paragraphs % CHECK_PARAGRAPHS == 0:
            self.checkpoint()

    def text(self, block: str) -> None:
        self.chars += len(block) + len(_TEXT_SEP)
        if self.chars > self.max_chars:
            raise _too_much_text(self.name, self.max_chars)


def _top(elem):
    """The element's ancestor (or itself) that is a child of the body, or None."""
    while (parent := elem.getparent()) is not None and parent.tag != _W + "body":
        elem = parent
    return elem if parent is not None else None


_RUN = _W + "r"
_HYPERLINK = _W + "hyperlink"
# What python-docx reads as a run's text (CT_R.text), each child by its own str()
_RUN_TEXT_TAGS = frozenset(_W + t for t in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def paragraph_text(paragraph) -> str:
    """python-docx's Paragraph.text (runs and hyperlinks), read by walking the children: its XPath
    costs ~70 µs a run on a large tree."""
    parts = []
    for child in paragraph:
        if child.tag == _RUN:
            parts.extend(str(e) for e in child if e.tag in _RUN_TEXT_TAGS)
        elif child.tag == _HYPERLINK:
            parts.append(child.text)
    return "".join(parts)


def _keep_text_only(paragraph, keep: bool) -> None:
    """A paragraph inside a body element: in a table, only its text is kept until the table is read (a
    table of formatted cells weighs no more than its text); elsewhere (a content control, which
    python-docx does not read either) nothing is."""
    text = paragraph_text(paragraph) if keep else ""
    paragraph.clear()
    if text:
        etree.SubElement(etree.SubElement(paragraph, _W + "r"), _W + "t").text = text


def _blocks(z: zipfile.ZipFile, budget: _Budget, max_unpacked: int, expansion: int):
    """The text of each top-level paragraph or table of the body, in document order."""
    parser = etree.XMLPullParser(events=("end",), tag=(_W + "p", _W + "tbl"), resolve_entities=False,
                                 remove_blank_text=True, no_network=True)
    parser.set_element_class_lookup(element_class_lookup)
    read = 0
    with z.open(BODY_PART) as body:
        while chunk := body.read(READ_BYTES):
            read += len(chunk)
            if read > max_unpacked:
                raise _unpacks_over(budget.name, f"more than {max_unpacked / 1e6:.0f} MB", max_unpacked, expansion)
            parser.feed(chunk)
            for _, elem in parser.read_events():
                if elem.tag == _W + "p":
                    budget.paragraph()
                top = _top(elem)
                if top is None or top is not elem:
                    if top is not None and elem.tag == _W + "p":
                        _keep_text_only(elem, top.tag == _W + "tbl")
                    continue
                # a paragraph or a table of the body, as python-docx's iter_inner_content reads it
                text = paragraph_text(elem) if isinstance(elem, CT_P) else table_text(Table(elem, None))
                while elem.getprevious() is not None:  # the body keeps nothing once read, whatever it was
                    del elem.getparent()[0]
                elem.clear()
                if text.strip():
                    budget.text(text.strip())
                    yield text
        parser.close()


def docx_text(data: bytes, name: str, max_unpacked: int, max_paragraphs: int, max_chars: int,
              expansion: int, checkpoint=None) -> str:
    """Paragraphs and tables of the body in document order, separated by blank lines. ``checkpoint()``
    is called every CHECK_PARAGRAPHS paragraphs (the ingest job's bounds; it raises to stop)."""
    budget = _Budget(name, max_paragraphs, max_chars, checkpoint)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            declared = sum(i.file_size for i in z.infolist())
            if declared > max_unpacked:
                raise _unpacks_over(name, f"{declared / 1e6:.0f} MB", max_unpacked, expansion)
            if BODY_PART not in z.namelist():
                return _whole_document_text(data, name, budget)  # laid out otherwise: python-docx finds its body
            blocks = list(_blocks(z, budget, max_unpacked, expansion))
    except FileTooLarge:
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, zlib.error, etree.LxmlError) as exc:
        raise _corrupt(name, exc) from exc
    return _TEXT_SEP.join(block.strip() for block in blocks if block.strip())


def _whole_document_text(data: bytes, name: str, budget: _Budget) -> str:
    """python-docx's reading of the whole package (for a body not at word/document.xml)."""
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = [table_text(item) if isinstance(item, Table) else item.text
                  for item in document.iter_inner_content()]
    except Exception as exc:  # python-docx, zipfile and lxml raise many unrelated types
        raise _corrupt(name, exc) from exc
    for block in blocks:
        if block.strip():
            budget.text(block.strip())
    return _TEXT_SEP.join(block.strip() for block in blocks if block.strip())
