"""Candidates read from the structure: header lines, clauses, cells with their row and column,
a list with its lead, a column summed up, and the item a sub-item continues."""

from __future__ import annotations

from answering.candidates import CandidateReader
from answering.question import parse
from core.types import Passage
from ingest.clean import clean_text
from ingest.chunker import build_chunks

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LẠNG GIANG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số:
77/KH-UBND
Lạng Giang, ngày 02 tháng 02 năm 2026

KẾ HOẠCH

Phát triển thư viện xã năm 2026

I. NHIỆM VỤ

1. Xây dựng tủ sách cộng đồng

- Nâng cấp tủ sách tại các thôn:

+ Thời gian hoàn thành: trước ngày 30 tháng 6 năm 2026.

+ Đơn vị chủ trì: Sở Văn hóa, Thể thao và Du lịch.

2. Các hình thức khen thưởng gồm:

a) Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh;

b) Giấy khen của Giám đốc Sở Văn hóa, Thể thao và Du lịch;

c) Giấy khen của Chủ tịch Ủy ban nhân dân xã.

II. KINH PHÍ

Xã | Số đầu sách | Kinh phí (triệu đồng)
Xã Tân Dĩnh | 1.200 | 150
Xã Yên Mỹ | 3.400 | 420
Xã Hương Lạc | 900 | 95
"""


def _reader():
    chunks = build_chunks("ke-hoach-77.txt", clean_text(PLAN))
    return chunks, CandidateReader(lambda doc: chunks)


def _passages(chunks, *needles):
    return [Passage(c, 1.0) for c in chunks if any(n in c.text for n in needles)]


def test_the_number_line_reads_with_its_number():
    chunks, reader = _reader()
    lines = {c.text for c in reader.read(parse("số hiệu"), [Passage(c, 1.0) for c in chunks if c.kind == "title"])}
    assert any(t.startswith("Số:") and "77/KH-UBND" in t for t in lines)


def test_a_sub_item_reads_with_the_item_it_continues():
    chunks, reader = _reader()
    cands = reader.read(parse("thời gian hoàn thành"), _passages(chunks, "Thời gian hoàn thành"))
    span = next(c for c in cands if c.text.startswith("+ Thời gian hoàn thành"))
    assert span.lead.startswith("- Nâng cấp tủ sách")


def test_a_list_reads_with_its_lead():
    chunks, reader = _reader()
    cands = reader.read(parse("Các hình thức khen thưởng gồm những gì?"), _passages(chunks, "Bằng khen"))
    lists = [c for c in cands if c.kind == "list"]
    assert lists
    rendered = lists[0].render()
    assert rendered.startswith("2. Các hình thức khen thưởng gồm:")
    assert "Bằng khen" in rendered and "Giấy khen của Chủ tịch" in rendered
    assert len(lists[0].members) == 3


def test_a_line_ending_with_a_colon_leads_the_items_after_it():
    chunks, reader = _reader()
    cands = reader.read(parse("nâng cấp tủ sách"), _passages(chunks, "Nâng cấp tủ sách"))
    after = [c for c in cands if c.kind == "list" and c.label.startswith("- Nâng cấp")]
    assert after and [m.text[:9] for m in after[0].members] == ["+ Thời gi", "+ Đơn vị "]


def test_cells_and_a_column_summed_up():
    chunks, reader = _reader()
    rows = _passages(chunks, "Yên Mỹ")
    cells = {c.render() for c in reader.read(parse("bao nhiêu"), rows) if c.kind == "cell"}
    assert "Xã Yên Mỹ – Kinh phí (triệu đồng): 420" in cells
    largest = [c.render() for c in reader.read(parse("Xã nào có kinh phí lớn nhất?"), rows) if c.kind == "aggregate"]
    assert "Lớn nhất (Kinh phí (triệu đồng)): Xã Yên Mỹ: 420" in largest
    total = [c.render() for c in reader.read(parse("Tổng kinh phí là bao nhiêu?"), rows) if c.kind == "aggregate"]
    assert "Tổng (Kinh phí (triệu đồng)): 665" in total
