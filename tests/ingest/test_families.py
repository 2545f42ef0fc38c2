"""Structure and metadata of the document families officials hold, on fixtures written for the
project (a UBND plan with a header, decimal items, points, lists, a signature and an appendix
table; a Quốc hội resolution crawled without header or signature)."""

from __future__ import annotations

from ingest.chunker import build_chunks
from ingest.clean import clean_text
from ingest.metadata import read_metadata
from ingest.structure import parse_units

PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 215/KH-UBND
Bắc Ninh, ngày 05 tháng 3 năm 2026

KẾ HOẠCH

PHÁT TRIỂN THƯ VIỆN SỐ TRÊN ĐỊA BÀN TỈNH BẮC NINH GIAI ĐOẠN 2026 - 2030

Thực hiện Quyết định số 12/QĐ-TTg ngày 02/01/2025 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. MỤC TIÊU

1. Mục tiêu cụ thể

1.1. Đến năm 2028, 70% thư viện cấp xã được kết nối mạng.

1.2. Đến năm 2030, 100% thư viện cấp xã có tài liệu số.

2. Chỉ tiêu theo năm

a) Đến hết năm 2027

- Số hóa 40.000 đầu sách;

- Đào tạo 300 cán bộ thư viện.

b) Đến năm 2030

- Số hóa 90.000 đầu sách.

II. TỔ CHỨC THỰC HIỆN

1. Sở Văn hóa, Thể thao và Du lịch chủ trì triển khai Kế hoạch.

Nơi nhận:
- Bộ Văn hóa, Thể thao và Du lịch;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Minh

PHỤ LỤC

KINH PHÍ THỰC HIỆN

STT | Nội dung | Năm 2026 | Năm 2027
1 | Số hóa tài liệu | 1.200 | 1.500
2 | Đào tạo cán bộ | 300 | 350
"""

RESOLUTION = """NGHỊ QUYẾT

Về chủ trương đầu tư Dự án cầu vượt sông Hồng

QUỐC HỘI

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;

QUYẾT NGHỊ:

Điều 1

Quyết định chủ trương đầu tư Dự án cầu vượt sông Hồng.

Điều 2

1. Quy mô:

a) Chiều dài cầu khoảng 2,4 km;

b) Tổng mức đầu tư sơ bộ 9.800 tỷ đồng.

Nghị quyết này được Quốc hội khóa XV thông qua ngày 10 tháng 4 năm 2026.
"""


def _units(text):
    clean = clean_text(text)
    return clean, parse_units(clean)


def _find(clean, units, start_text):
    return next(u for u in units if clean.text[u.start:u.end].startswith(start_text))


def test_plan_outline_paths_and_periods():
    clean, units = _units(PLAN)
    item = _find(clean, units, "1.1. Đến năm 2028")
    assert item.path == ("I. Mục tiêu", "1. Mục tiêu cụ thể", "1.1")
    dash = _find(clean, units, "- Đào tạo 300")
    assert dash.path == ("I. Mục tiêu", "2. Chỉ tiêu theo năm", "a) Đến hết năm 2027")
    assert dash.years == (2027,)  # the period comes from the heading above the list
    later = _find(clean, units, "- Số hóa 90.000")
    assert later.years == (2030,)
    task = _find(clean, units, "1. Sở Văn hóa")
    assert task.path == ("II. Tổ chức thực hiện", "1")
    assert _find(clean, units, "Thực hiện Quyết định").path == ("Phần mở đầu",)


def test_signature_stands_alone_and_the_appendix_opens_a_new_root():
    clean, units = _units(PLAN)
    sig = next(u for u in units if u.kind == "signature")
    assert clean.text[sig.start:sig.end] == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Minh"
    rec = next(u for u in units if u.kind == "recipients")
    assert clean.text[rec.start:rec.end].endswith("- Lưu: VT.")
    rows = [u for u in units if u.kind == "row"]
    row = next(u for u in rows if clean.text[u.start:u.end].startswith("2 | Đào tạo"))
    # the capitalised line under "PHỤ LỤC" is the appendix's title, and names it in the path
    assert row.path == ("Phụ lục. Kinh phí thực hiện", "Đào tạo cán bộ")
    assert row.headers == "STT | Nội dung | Năm 2026 | Năm 2027"  # a row carries its column headers
    assert row.years == (2026, 2027)


def test_plan_metadata_from_header_and_signature():
    clean, units = _units(PLAN)
    info = read_metadata(clean, units)
    assert (info.doc_type, info.number, info.date) == ("Kế hoạch", "215/KH-UBND", "2026-03-05")
    assert info.issuer == "Ủy ban nhân dân tỉnh Bắc Ninh" and info.province == "Bắc Ninh"
    assert info.years == (2026, 2027, 2028, 2029, 2030)
    assert (info.signer, info.signer_title) == ("Trần Văn Minh", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH")
    assert info.title.startswith("Kế hoạch phát triển thư viện số trên địa bàn tỉnh Bắc Ninh")
    chunks = build_chunks("kh-215.txt", clean)
    assert all(c.info.number == "215/KH-UBND" for c in chunks)


def test_resolution_without_header_has_no_number_date_or_signer():
    clean, units = _units(RESOLUTION)
    info = read_metadata(clean, units)
    assert info.issuer == "Quốc hội" and info.doc_type == "Nghị quyết"
    assert (info.number, info.date, info.signer) == ("", "", "")  # never a date read from the body
    point = _find(clean, units, "b) Tổng mức đầu tư")
    assert point.path == ("Điều 2", "1. Quy mô", "b)")


def test_header_answers_come_from_the_header_or_are_refused():
    from answering.extractive import ExtractiveAnswerer
    from core.types import Passage
    from retrieval.bm25 import BM25Index

    def ask(text, name, question):
        chunks = build_chunks(name, clean_text(text))
        answerer = ExtractiveAnswerer(BM25Index(chunks))
        body = [Passage(c, 1.0) for c in chunks if c.kind in ("item", "paragraph")][:3]
        return answerer.answer(question, body)

    number = ask(PLAN, "kh-215.txt", "Kế hoạch phát triển thư viện số của Bắc Ninh có số hiệu là gì?")
    assert number.found and "215/KH-UBND" in number.answer and "12/QĐ-TTg" not in number.answer
    date = ask(PLAN, "kh-215.txt", "Kế hoạch thư viện số của tỉnh Bắc Ninh ban hành ngày nào?")
    assert "ngày 05 tháng 3 năm 2026" in date.answer and date.citations[0].section == "Ủy ban nhân dân"
    signer = ask(PLAN, "kh-215.txt", "Ai ký kế hoạch này?")
    assert "Trần Văn Minh" in signer.answer
    assert not ask(RESOLUTION, "nq.txt", "Nghị quyết về cầu vượt sông Hồng có số hiệu là gì?").found
    assert not ask(RESOLUTION, "nq.txt", "Ai ký nghị quyết về cầu vượt sông Hồng?").found
    adopted = ask(RESOLUTION, "nq.txt", "Nghị quyết về cầu vượt sông Hồng được thông qua ngày nào?")
    assert "10 tháng 4 năm 2026" in adopted.answer  # the document's own adoption sentence


def test_period_questions_are_answered_by_a_stated_period():
    from answering.extractive import ExtractiveAnswerer
    from core.types import Passage
    from retrieval.bm25 import BM25Index

    chunks = build_chunks("kh-215.txt", clean_text(PLAN))
    answerer = ExtractiveAnswerer(BM25Index(chunks))
    body = [Passage(c, 1.0) for c in chunks if c.kind in ("item", "paragraph")]
    # nothing in the body states the plan's period: the title does
    a = answerer.answer("Kế hoạch thư viện số của Bắc Ninh thực hiện trong giai đoạn nào?", body[:4])
    assert a.found and "2026 - 2030" in a.answer and a.citations[0].section == "Ủy ban nhân dân"
    # a list under "b) Đến năm 2030": the heading states the period and leads the answer
    b = answerer.answer("Số hóa 90.000 đầu sách đến năm nào?", [p for p in body if "90.000" in p.chunk.text])
    assert b.found and "2030" in b.answer


APPENDIX_TITLED = PLAN.replace("PHỤ LỤC\n\nKINH PHÍ THỰC HIỆN", "PHỤ LỤC 02\n\nDANH MỤC NHIỆM VỤ MẠNG 5G, IoT TỈNH BẮC NINH NĂM 2027\n\n(Kèm theo Kế hoạch số 215/KH-UBND)")


def test_the_appendix_title_names_the_appendix_and_states_its_period():
    clean, units = _units(APPENDIX_TITLED)
    note = _find(clean, units, "(Kèm theo")
    # codes and place names keep their spelling; the title's year is the appendix's period
    assert note.path == ("Phụ lục 02. Danh mục nhiệm vụ mạng 5G, IoT tỉnh Bắc Ninh năm 2027",)
    assert note.years == (2027,)
    row = _find(clean, units, "1 | Số hóa")
    assert row.path[0] == note.path[0] and row.years == (2026, 2027)  # a row: its columns' years


# An HĐND resolution whose article lists short "label: content" lines without closing punctuation,
# then a point ending in "…": each says something and must be a unit, not only a heading.
AREAS = """Điều 3. Xếp loại vùng để tính phí vệ sinh

1. Vùng trung tâm: Các hộ kinh doanh tại các phường

2. Vùng ven: Các hộ kinh doanh tại các xã ven biển

3. Vùng cao: Các hộ kinh doanh tại các xã vùng cao

(Danh sách các xã, phường theo Phụ lục)

Điều 4. Tổ chức thu

1. Trách nhiệm của đơn vị thu:

a) Bố trí điểm thu trực tiếp cho một số hộ đặc thù như: hộ neo đơn, hộ có người khuyết tật,…

Trên đây là quy định về phí vệ sinh.
"""


def test_headings_that_say_something_are_units():
    clean, units = _units(AREAS)
    second = _find(clean, units, "2. Vùng ven")
    assert clean.text[second.start:second.end] == "2. Vùng ven: Các hộ kinh doanh tại các xã ven biển"
    assert second.kind == "item" and second.path == ("Điều 3. Xếp loại vùng để tính phí vệ sinh", "2")
    first = _find(clean, units, "1. Vùng trung tâm")  # closed by the next item with nothing under it
    assert first.path == ("Điều 3. Xếp loại vùng để tính phí vệ sinh", "1")
    third = _find(clean, units, "3. Vùng cao")  # a label with content heads the note under it, and is a unit
    note = _find(clean, units, "(Danh sách")
    assert third.path[-1] == "3" and note.path[-1] == "3. Vùng cao: Các hộ kinh doanh tại các xã vùng cao"
    point = _find(clean, units, "a) Bố trí")  # "…" closes a sentence: a point, not a heading
    assert point.kind == "item" and point.path == ("Điều 4. Tổ chức thu", "1. Trách nhiệm của đơn vị thu", "a)")
    assert _find(clean, units, "Trên đây").path == ("Điều 4. Tổ chức thu", "1. Trách nhiệm của đơn vị thu")
    # every line but the headings with something under them is in a unit: nothing is lost
    covered = "".join(clean.text[u.start:u.end] for u in units)
    said = [ln for ln in AREAS.splitlines() if ln and not ln.startswith("Điều") and not ln.endswith(":")]
    assert all(ln in covered for ln in said)
