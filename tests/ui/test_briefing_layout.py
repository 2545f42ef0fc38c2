"""A briefing on a phone: the topic typed without diacritics is titled as the documents spell it, and
its targets table stays readable at 390 px (numbers and "Nguồn" on one line, the table scrolling inside
itself). The Word file is checked for A4, margins, title and author. Screenshot in tests/artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.ui.conftest import MOBILE


def _lines(cell) -> int:
    """How many lines the cell's text takes (one client rectangle per line box)."""
    return cell.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el); "
                         "return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }")


def test_briefing_on_a_phone(open_page):
    import docx

    chat_page = open_page(MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = chat_page.page
    chat_page.tab("Tài liệu")
    topic = page.locator("#brief-topic input")
    topic.fill("nuoc sach")
    topic.press("Enter")
    page.locator("#brief-build").click()
    preview = page.locator("#brief-preview")
    expect(preview).to_contain_text("Tài liệu sinh hoạt: Nước sạch")
    number = preview.locator("td", has_text="(26)").first
    expect(number).to_be_visible()
    assert _lines(number) == 1  # "(26)" on one line, not "(2 6)"
    assert _lines(preview.locator("th", has_text="Nguồn").first) == 1  # not a vertical "Nguồn"
    assert chat_page.horizontal_overflow() <= 0
    chat_page.screenshot("15-briefing-390")
    d = docx.Document(str(chat_page.download("Tải Word (.docx)")))
    assert d.core_properties.title == "Tài liệu sinh hoạt: Nước sạch"
    assert d.core_properties.author == "Hỏi đáp Nghị quyết"
    assert [round(x.mm) for x in (d.sections[0].page_width, d.sections[0].page_height)] == [210, 297]
