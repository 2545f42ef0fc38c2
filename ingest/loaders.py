"""Turn an uploaded or bundled file into clean Unicode text.

Supported inputs are plain text (.txt, .md), Word (.docx) and PDF (.pdf).
Whatever the source, the text handed on to chunking is normalised the same way
(NFC, "\\n" newlines, no BOM, no control or zero-width characters) so that the
same sentence always produces the same tokens and embeddings.

Vietnamese files still turn up in legacy encodings: Windows-1258 in particular
stores tone marks as separate combining characters, so text decoded from it
only matches UTF-8 text after NFC normalisation. Bytes that do not decode to
plausible text are rejected rather than ingested as garbage.

Every failure is a ``DocumentError`` subclass whose message names the file.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import pypdf

from errors import (
    CorruptDocument,
    DecodeFailure,
    EmptyDocument,
    FileTooLarge,
    UnsupportedFileType,
)
from ingest.docx_text import docx_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
UPLOAD_PREFIX = "upload:"  # the source of a file given as bytes: "upload:<file name>"
DEFAULT_MAX_BYTES = 20_000_000

# UTF-32 comes first because its little-endian BOM starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Preference order when the text does not settle it: Vietnamese first.
_LEGACY_ENCODINGS = ("cp1258", "cp1252")

# Characters that real text almost never contains but binary data does.
_SUSPECT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# Letters only Vietnamese uses: đ ư ơ and the precomposed tone-marked vowels.
_VIETNAMESE = re.compile(r"[đĐưƯơƠ\u1ea0-\u1ef9]")

# \v and \f separate lines or pages; dropping them would glue words together.
_CHAR_MAP = {
    **dict.fromkeys([*range(0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]),
    **dict.fromkeys([0x200B, 0x200C, 0x200D, 0xFEFF]),
    ord("\r"): "\n",
    0x0B: "\n",
    0x0C: "\n",
    0xA0: " ",
}


@dataclass(frozen=True)
class RawDocument:
    """The text of one file, before chunking."""

    doc_id: str  # the file name, e.g. "nghi-quyet-tinh-uy-ha-tinh-2025.txt" (the index may give another id
    # when a document of that name from another source is indexed: ingest.pipeline.assign_id)
    text: str  # normalised text; PDF pages and .docx paragraphs joined by "\n\n"
    kind: str  # "txt" | "md" | "docx" | "pdf"
    encoding: str | None  # detected encoding for txt/md, else None
    source: str = ""  # the resolved path of the file, or "upload:<file name>" for bytes (an upload)


DEFAULT_MAX_PAGES = 300  # NQ_MAX_PAGES
DEFAULT_MAX_DOCX_PARAGRAPHS = 50_000  # NQ_MAX_DOCX_PARAGRAPHS
DOCX_EXPANSION = 8  # a .docx may unpack to at most this many times NQ_MAX_FILE_MB (zip bombs)


def load_file(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES, limits=None) -> RawDocument:
    """Read a file from disk and load it (see ``load_bytes``)."""
    path = Path(path)
    return load_bytes(read_file(path, max_bytes), path.name, max_bytes, source=str(path.resolve()), limits=limits)


def read_file(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A supported file's bytes, unparsed (ingest hashes them to skip an unchanged file before it is
    parsed). Raises UnsupportedFileType, FileTooLarge or OSError."""
    path = Path(path)
    _kind_of(path.name)
    # stat first so an oversized file is refused without reading it into memory.
    _check_size(path.stat().st_size, path.name, max_bytes)
    with path.open("rb") as fh:
        # Read one byte past the limit: a file that grew since stat is still caught.
        return fh.read(max_bytes + 1)


def load_bytes(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES,
               source: str | None = None, limits=None, checkpoint=None) -> RawDocument:
    """Extract and normalise the text of a file given as bytes.

    ``filename`` picks the parser by its suffix and becomes ``doc_id``; ``source`` defaults to
    "upload:<file name>" (re-uploading a file of that name is a new version of the same upload).
    Raises UnsupportedFileType, FileTooLarge, EmptyDocument, DecodeFailure or
    CorruptDocument. ``limits`` (Settings) gives ``max_pages`` for a PDF and
    ``max_docx_paragraphs`` for a .docx. ``checkpoint()``: called as a .docx is streamed (the ingest
    job's bounds, ingest.job_budget: it raises to stop reading).
    """
    name = Path(filename).name
    _check_name(name)
    kind = _kind_of(name)
    _check_size(len(data), name, max_bytes)
    if not data:
        raise EmptyDocument(f"file '{name}' is empty (0 bytes)", f"Tệp '{name}' rỗng (0 byte).")

    encoding = None
    if kind in ("txt", "md"):
        text, encoding = decode_text(data, filename=name)
    elif kind == "docx":
        text = docx_text(data, name, max_bytes * DOCX_EXPANSION,
                         getattr(limits, "max_docx_paragraphs", DEFAULT_MAX_DOCX_PARAGRAPHS),
                         max_chars=max_bytes, expansion=DOCX_EXPANSION, checkpoint=checkpoint)
    else:
        text = _pdf_text(data, name, getattr(limits, "max_pages", DEFAULT_MAX_PAGES))

    text = normalize_text(text)
    if not text.strip():
        raise _no_text(name, kind)
    return RawDocument(doc_id=name, text=text, kind=kind, encoding=encoding,
                       source=source or f"{UPLOAD_PREFIX}{name}")


def decode_text(data: bytes, *, filename: str = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding name)``.

    Tries, in order: a byte-order mark, strict UTF-8, BOM-less UTF-16 (when the
    NUL bytes say so), then Windows-1258/1252. The text is decoded only, not
    normalised; ``load_bytes`` applies ``normalize_text``.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # A BOM is a declaration: if it lies, guessing another codec would only produce junk.
            text = _decode_or_none(data[len(bom):], encoding)
            if text is None or not _is_plausible(text):
                raise DecodeFailure(
                    f"file '{filename}' starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} text; re-save it as UTF-8",
                    f"Tệp '{filename}' có dấu BOM {encoding} nhưng nội dung không hợp lệ; "
                    "hãy lưu lại tệp với bảng mã UTF-8.",
                )
            return text, encoding

    for encoding in ("utf-8", _utf16_from_nuls(data)):
        text = _decode_or_none(data, encoding) if encoding else None
        if text is not None and _is_plausible(text):
            return text, encoding

    legacy = _decode_legacy(data)
    if legacy is None:
        raise DecodeFailure(
            f"file '{filename}' is not readable text (unknown encoding or binary data); "
            "save it as UTF-8 text, or upload the original .docx/.pdf",
            f"Tệp '{filename}' không phải văn bản đọc được (bảng mã không xác định hoặc dữ liệu "
            "nhị phân); hãy lưu lại với bảng mã UTF-8.",
        )
    return legacy


def normalize_text(text: str) -> str:
    """NFC, "\\n" newlines, no control/zero-width characters, NBSP as a space."""
    # Strip before composing: a zero-width char between a letter and its tone mark
    # would otherwise keep NFC from combining them.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_CHAR_MAP))


def _no_text(name: str, kind: str) -> EmptyDocument:
    if kind == "pdf":
        return EmptyDocument(
            f"file '{name}' has no extractable text (probably a scanned PDF); "
            "OCR is not supported, upload a PDF with a text layer or a .docx/.txt",
            f"Tệp '{name}' không có lớp văn bản (có thể là bản quét); chưa hỗ trợ nhận dạng OCR.",
        )
    return EmptyDocument(
        f"file '{name}' contains no text (only whitespace)",
        f"Tệp '{name}' không có nội dung văn bản.",
    )


def _kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"type '{suffix}'" if suffix else "no file extension"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise UnsupportedFileType(
            f"file '{name}' has unsupported {shown}; supported: {supported}",
            f"Tệp '{name}' có định dạng không được hỗ trợ; chỉ nhận {supported}.",
        )
    return suffix[1:]


def _check_name(name: str) -> None:
    """A file name with control characters (a NUL, a newline, an escape) is refused: it would
    reach logs, tables and ids as is."""
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        shown = name.encode("unicode_escape").decode("ascii")
        raise UnsupportedFileType(f"file name {shown!r} contains control characters; rename the file",
                                  "Tên tệp chứa ký tự điều khiển; hãy đổi tên tệp.")


def _check_size(size: int, name: str, max_bytes: int) -> None:
    if size > max_bytes:
        # MB as NQ_MAX_FILE_MB counts them (1 MB = 1024 × 1024 bytes), so the limit reads as configured
        size_mb, limit_mb = size / 1_048_576, max_bytes / 1_048_576
        size_vi, limit_vi = f"{size_mb:.1f}".replace(".", ","), f"{limit_mb:g}".replace(".", ",")
        raise FileTooLarge(
            f"file '{name}' is {size_mb:.1f} MB ({size} bytes), over the {limit_mb:g} MB "
            f"limit; split the file or raise NQ_MAX_FILE_MB",
            f"Tệp '{name}' có dung lượng {size_vi} MB, vượt giới hạn {limit_vi} MB.",
        )


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_plausible(text: str) -> bool:
    # A few stray control characters are tolerated (normalize_text drops them);
    # more than 1% means binary data or a wrong codec.
    return len(_SUSPECT.findall(text)) <= max(3, len(text) // 100)


def _utf16_from_nuls(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from NUL bytes clustering on one side of each pair."""
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    # ASCII-heavy text (Vietnamese included: spaces, digits, plain letters) puts a
    # NUL in the high byte of most code units; the low byte is almost never NUL.
    if odd > 0.2 and even < 0.02:
        return "utf-16-le"
    if even > 0.2 and odd < 0.02:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    """Choose between the single-byte Vietnamese and Western codecs."""
    texts = {
        encoding: text
        for encoding in _LEGACY_ENCODINGS
        if (text := _decode_or_none(data, encoding)) is not None and _is_plausible(text)
    }
    if not texts:
        return None
    vietnamese = texts.get("cp1258")
    if vietnamese is not None and _looks_vietnamese(vietnamese):
        return vietnamese, "cp1258"
    # Not clearly Vietnamese: let charset-normalizer judge which reading is less
    # chaotic (e.g. Portuguese "não" is "năo" in cp1258); it may abstain on short input.
    best = charset_normalizer.from_bytes(data, cp_isolation=list(texts)).best()
    encoding = best.encoding if best is not None and best.encoding in texts else None
    encoding = encoding or ("cp1252" if "cp1252" in texts else "cp1258")
    return texts[encoding], encoding


def _looks_vietnamese(text: str) -> bool:
    # Composing is what turns cp1258's separate tone marks into Vietnamese letters.
    text = unicodedata.normalize("NFC", text)
    letters = sum(ch.isalpha() for ch in text)
    # Vietnamese prose has ~20% such letters; a Western text misread as cp1258 has a few at most.
    return letters > 0 and len(_VIETNAMESE.findall(text)) / letters >= 0.05


def _pdf_text(data: bytes, name: str, max_pages: int = DEFAULT_MAX_PAGES) -> str:
    """Text of each page, pages joined by a blank line; a PDF of more than ``max_pages`` pages is
    refused before any page is read."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # Many PDFs are "encrypted" with an empty user password only to restrict editing.
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorruptDocument(
                f"file '{name}' is a password-protected PDF; "
                "remove the password and upload it again",
                f"Tệp PDF '{name}' được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
            )
        if len(reader.pages) > max_pages:
            raise FileTooLarge(
                f"file '{name}' has {len(reader.pages)} pages, over the {max_pages}-page limit (NQ_MAX_PAGES); "
                f"split the PDF",
                f"Tệp PDF '{name}' có {len(reader.pages)} trang, vượt giới hạn {max_pages} trang.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (CorruptDocument, FileTooLarge):
        raise
    except Exception as exc:  # pypdf raises PdfReadError but also plain ValueError/KeyError etc.
        raise CorruptDocument(
            f"file '{name}' is not a readable PDF ({type(exc).__name__}: {exc}); "
            "re-export it from the source application",
            f"Tệp PDF '{name}' bị hỏng hoặc không đọc được.",
        ) from exc
    return "\n\n".join(page.strip() for page in pages if page.strip())
