"""The "Chỉ tiêu" tab is readable: at 1366 px every column, values included, is on screen without
scrolling, in the page's proportional font with one-line headers; on a 390 px phone the table keeps
number, indicator and value. One row per figure, as in the downloads. Screenshots in tests/artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.ui.conftest import MOBILE
from tests.ui.test_conversation import WIDE


def _open_targets(chat_page):
    chat_page.tab("Chỉ tiêu")
    table = chat_page.page.locator("#targets-table")
    expect(table).to_contain_text("(1)")
    return table


def _visible_headers(table) -> list[str]:
    return [h.strip() for h in table.locator("th").filter(visible=True).all_inner_texts() if h.strip()]


def test_targets_table_fits_1366_px(open_page):
    chat_page = open_page(WIDE)
    page = chat_page.page
    table = _open_targets(chat_page)
    page.get_by_label("Tìm kiếm").fill("thu ngan sach")
    # target (7) has three figures: three rows, as in the export
    expect(page.get_by_test_id("cell-2-2")).to_contain_text("thu xuất nhập khẩu")
    expect(page.get_by_test_id("cell-2-3")).to_contain_text("trên 9.000 tỷ đồng")
    for col in range(5):
        box = page.get_by_test_id(f"cell-0-{col}").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"], (col, box)
    assert chat_page.horizontal_overflow() <= 0
    header = table.locator("th").first.bounding_box()
    assert header["height"] < 60, header  # one line, not a tall block
    font = page.get_by_test_id("cell-0-2").evaluate("el => getComputedStyle(el).fontFamily")
    assert "mono" not in font.lower(), font
    assert _visible_headers(table) == ["Số", "Nhóm / năm", "Chỉ tiêu", "Giá trị", "Văn bản"]
    chat_page.screenshot("14-targets-1366")


def test_targets_table_on_a_390_px_phone_keeps_number_indicator_value(open_page):
    chat_page = open_page(MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = chat_page.page
    table = _open_targets(chat_page)
    page.get_by_label("Tìm kiếm").fill("che phu rung")
    expect(page.get_by_test_id("cell-0-3")).to_contain_text("duy trì trên 52%")
    assert _visible_headers(table) == ["Số", "Chỉ tiêu", "Giá trị"]
    for col, shown in enumerate((True, False, True, True, False)):
        cell = page.get_by_test_id(f"cell-0-{col}")
        expect(cell).to_be_visible() if shown else expect(cell).to_be_hidden()
    number = page.get_by_test_id("cell-0-0").bounding_box()
    assert number["height"] < 60, number  # "(25)" on one line
    box = page.get_by_test_id("cell-0-3").bounding_box()
    assert box["x"] + box["width"] <= MOBILE["width"] + 1, box
    assert chat_page.horizontal_overflow() <= 0
    chat_page.screenshot("14-targets-390")
