"""The question is read once into a typed Question: what it asks, its unit, its qualifiers."""

from __future__ import annotations

import pytest

from answering.question import parse


@pytest.mark.parametrize("text, asks", [
    ("Quy chế này có hiệu lực từ ngày nào?", ("effective",)),
    ("Quyết định mới thay thế văn bản nào?", ("replaces",)),
    ("Ai ký quy chế phối hợp?", ("person",)),
    ("Kế hoạch về thư viện số có số hiệu là gì?", ("number",)),
    ("Chương trình được ban hành ngày nào?", ("issued",)),
    ("Báo cáo tổng kết gửi trước ngày nào?", ("deadline",)),
    ("Lễ phát động tổ chức vào ngày nào?", ("date",)),
    ("Đội tuần tra trực từ mấy giờ?", ("time",)),
    ("Tỷ lệ xã đạt chuẩn là bao nhiêu?", ("share",)),
    ("Chỉ tiêu che phủ cây xanh là bao nhiêu %?", ("share",)),
    ("Cơ quan nào chủ trì thẩm định hồ sơ?", ("agency",)),
    ("Những đơn vị nào phối hợp kiểm tra?", ("agency",)),
    ("Mỗi hộ được hỗ trợ bao nhiêu tiền?", ("amount",)),
    ("Hội đồng gồm những thành phần nào?", ("list",)),
    ("Thư viện số là gì?", ("definition",)),
    ("Sở nào chủ trì và phải hoàn thành trước ngày nào?", ("agency", "deadline")),
    ("Nhà máy nước xây ở đâu?", ("place",)),
])
def test_what_is_asked(text, asks):
    assert parse(text).asks == asks


def test_a_machine_is_not_a_question_word():
    # folded, "máy" (machine) reads like "mấy" (how many): only the written form tells them apart
    assert parse("Nhà máy điện đặt tại xã nào?").asks == ("place",)
    assert parse("Nhà máy có mấy tổ máy?").unit == "to"


def test_unit_after_how_many():
    assert parse("Huyện có bao nhiêu xã đạt chuẩn?").unit == "xa"
    assert parse("Thời hạn giải quyết là bao nhiêu ngày làm việc?").unit == "ngay"
    assert parse("Phí tham quan là bao nhiêu đồng?").unit == "dong"


def test_qualifiers_years_places():
    q = parse("Đợt 2 năm 2026 ở Quảng Ninh hỗ trợ cấp xã bao nhiêu?")
    assert ("dot", "2") in q.qualifiers and ("cap", "xa") in q.qualifiers
    assert q.years == ("2026",)
    assert q.places == ("quang ninh",)


def test_aggregates_and_bounds():
    assert parse("Xã nào có diện tích lớn nhất?").aggregate == "max"
    assert parse("Đơn vị nào nhận mức thấp nhất?").aggregate == "min"
    assert parse("Mỗi năm kiểm tra nhiều nhất mấy lần?").aggregate is None  # a bound, not a row
    assert parse("Tổng kinh phí của các dự án là bao nhiêu?").aggregate == "total"


def test_measured_thing():
    assert parse("Tỷ lệ hộ nghèo năm 2026 là bao nhiêu?").measured == (("ty le", ("ho", "ngheo")),)


def test_follow_up_search_carries_the_topic():
    q = parse("còn năm 2027?", search="còn năm 2027? Tỷ lệ trẻ đến trường năm 2026")
    assert q.text == "còn năm 2027?"
    assert "truong" in q.units and q.years == ("2027", "2026")


def test_no_diacritics():
    assert parse("ai ky quyet dinh nay").no_diacritics
    assert parse("ai ky quyet dinh nay").asks == ("person",)
    assert not parse("Ai ký quyết định này?").no_diacritics
