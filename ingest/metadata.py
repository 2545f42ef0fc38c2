"""A document's own metadata, read from its header block and signature at ingest.

The header of a Vietnamese official document names the issuer ("ỦY BAN NHÂN DÂN / TỈNH TUYÊN
QUANG"), the number ("Số: 45/KH-UBND"), the place and date ("Tuyên Quang, ngày 9 tháng 4 năm
2021"), the type ("KẾ HOẠCH") and the title; the signature block names who signed and for whom
("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / <họ tên>"). Only these blocks are read: a date or number
quoted in the body belongs to another document. What the document does not state stays empty.
"""

from __future__ import annotations

import re

from core.text import fold, sentence_case
from core.types import DocumentInfo
from core.vn import (
    DATE_WORDS_RE, DOC_TYPES, ISSUERS, NATIONAL_ISSUERS, NUMBER_LINE_RE, all_place_names, covered_years, parse_date, parse_doc_number,
    issuer_short_name,
)
from ingest.clean import CleanDocument
from ingest.structure import Unit, document_title

_PLACE_DATE_RE = re.compile(rf"^(.{{2,60}}?),\s*{DATE_WORDS_RE.pattern}", re.M | re.I)
_MOTTO_RE = re.compile(r"CỘNG HÒA XÃ HỘI|Độc lập|ĐẢNG CỘNG SẢN|^-{2,}|^\*{2,}")
_PERSON_RE = re.compile(r"([A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})\s*$")
_TYPES_UPPER = {t.upper(): t for t in DOC_TYPES}
_PLACES = sorted(all_place_names().items(), key=lambda kv: -len(kv[0]))


def _issuer(header: str) -> str:
    """The issuing body: the upper-case lines before the national motto, as one name."""
    lines = []
    for ln in header.split("\n"):
        ln = ln.strip()
        if not ln:
            continue
        if _MOTTO_RE.search(ln) or ln.startswith("Số") or ln.upper() in _TYPES_UPPER:
            break
        if ln.isupper() or not any(c.islower() for c in ln):
            lines.append(ln)
    if not lines:
        return ""
    name = " ".join(lines)
    out = sentence_case(name)
    # Proper names keep their capitals: "Ủy ban nhân dân tỉnh Tuyên Quang".
    for written, _ in _PLACES:
        out = re.sub(rf"\b{re.escape(written.lower())}\b", written, out)
    for word in ("Chính phủ", "Quốc hội", "Trung ương", "Đảng"):
        out = re.sub(rf"\b{word.lower()}\b", word, out)
    return out


def _province(*texts: str) -> str:
    folded = [fold(t) for t in texts if t]
    for written, filed in _PLACES:
        key = fold(written)
        if any(re.search(rf"\b{re.escape(key)}\b", f) for f in folded):
            return filed
    return ""


def _signer(text: str) -> tuple[str, str]:
    """(name, title lines) of a signature block."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        return "", ""
    m = _PERSON_RE.search(lines[-1])
    if not m:
        return "", " ".join(lines)
    name = m.group(1)
    title = " ".join(lines[:-1] + [lines[-1][:m.start()].strip()]).strip()
    return name, title


def read_metadata(clean: CleanDocument, units: list[Unit]) -> DocumentInfo:
    title_unit = next((u for u in units if u.kind == "title"), None)
    header = clean.text[title_unit.start:title_unit.end] if title_unit else ""
    title = document_title(clean)
    number = ""
    m = NUMBER_LINE_RE.search(header)
    if m and m.group(1) and parse_doc_number(m.group(1)):
        number = m.group(1).rstrip(".,;")
    place, date = "", ""
    m = _PLACE_DATE_RE.search(header)
    if m:
        place = m.group(1).strip()
        d = parse_date(m.group(0))
        date = d.isoformat() if d else ""
    doc_type = next((t for up, t in _TYPES_UPPER.items() if re.search(rf"^{up}$", header, re.M)), "")
    m = re.search(r"^(?:NGHỊ QUYẾT|KẾT LUẬN|CHỈ THỊ|QUYẾT ĐỊNH)\s*\nCỦA\s+(.+)$", header, re.M)
    by_of = _issuer(m.group(1)) if m else ""  # "NGHỊ QUYẾT / CỦA <body>" names its issuer
    if not doc_type and title:
        doc_type = next((t for t in DOC_TYPES if fold(title).startswith(fold(t))), "")
    issuer = _issuer(header) or by_of
    if not issuer:  # "QUỐC HỘI" / "CHÍNH PHỦ" on its own line after the title (crawls without a header)
        for ln in header.split("\n"):
            ln = ln.strip()
            if ln.isupper() and len(ln) < 60 and any(fold(ln).startswith(k.strip()) for k, _ in ISSUERS[:9]):
                issuer = _issuer(ln)
                break
    sig = next((u for u in units if u.kind == "signature"), None)
    signer, signer_title = _signer(clean.text[sig.start:sig.end]) if sig else ("", "")
    # A central body's place line says where it signed, not what it governs.
    national = issuer_short_name(issuer) in NATIONAL_ISSUERS
    type_title = title[len(doc_type):].strip() if doc_type and title.lower().startswith(doc_type.lower()) else title
    return DocumentInfo(
        doc_type=doc_type[:1].upper() + doc_type[1:], number=number, issuer=issuer, province=_province(issuer) if national else _province(issuer, place),
        place=place, date=date, title=title, years=tuple(sorted(covered_years(type_title))),
        signer=signer, signer_title=signer_title,
    )
