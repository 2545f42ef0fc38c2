"""A conversation in the browser (issue 13): follow-ups answered on their own or understood, every
answer keeping its citations, errors that leave the conversation as it was. Screenshots at 1366 px and
390 px go to tests/artifacts/.

The app is shared with test_browser.py (`ui_server`), which may have indexed two small documents
first: answers may then open with a line naming their document.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.ui.conftest import ARTIFACTS, MOBILE

WIDE = {"width": 1366, "height": 768}
FOREST_Q = "chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu"
FOREST = "(25) Duy trì tỷ lệ che phủ rừng trên 52%"


def toast(page):
    return page.get_by_test_id("toast-body").last


def test_follow_ups_citations_kept_with_each_answer_and_links_to_them(open_page):
    chat_page = open_page(WIDE)
    page = chat_page.page
    # Gradio's front end sets lang="en" as it starts; the page's load script sets it back: wait for it
    page.wait_for_function("document.documentElement.lang === 'vi'", timeout=10_000)
    expect(chat_page.ask(FOREST_Q)).to_contain_text("52%")
    # a complete question after an unrelated one is answered on its own
    grdp = chat_page.ask("GRDP năm 2025 tăng bao nhiêu?")
    expect(grdp).to_contain_text("7%")
    expect(grdp).not_to_contain_text("52%")
    expect(grdp).not_to_contain_text("Hiểu là")
    # a bare year carries the previous topic, and the chat says how it was understood
    chat_page.ask("Tỷ lệ hộ nghèo năm 2025 phấn đấu giảm bao nhiêu?")
    year = chat_page.ask("năm 2024?")
    expect(year).to_contain_text("Hiểu là: Tỷ lệ hộ nghèo năm 2024 phấn đấu giảm bao nhiêu?")
    expect(year).to_contain_text("2,41%")

    # every answer keeps its own citations, under its question, the latest first
    panel = page.locator("#citations")
    expect(panel.locator(".cite-group")).to_have_count(4)
    expect(panel.locator(".cite-group .asked").first).to_contain_text("Câu hỏi 4: năm 2024?")
    forest = page.locator("#cite-0-1")
    expect(forest.locator("mark").first).to_have_text(FOREST)
    expect(page.locator("#cite-1-1")).to_contain_text("Tốc độ tăng trưởng kinh tế GRDP đạt trên 7%")
    # named by the document's title and the section path: no file name, no character offsets
    expect(forest).to_contain_text("Nghị quyết của ban chấp hành đảng bộ tỉnh")
    expect(forest).to_contain_text("Về môi trường")
    assert ".txt" not in forest.inner_text() and "ký tự" not in panel.inner_text()

    # "[1]" of the first answer is a link to that answer's citation 1
    link = chat_page.bot_messages.first.locator("a.cite-ref", has_text="[1]")
    expect(link).to_have_attribute("href", "#cite-0-1")
    link.click()
    expect(forest).to_be_in_viewport()
    expect(forest).to_have_class("cite flash")
    chat_page.screenshot("10-conversation-1366")

    # the chat's own trash icon clears the citations and the transcript too
    page.locator("#chat").get_by_role("button", name="Xóa hội thoại").click()
    expect(chat_page.bot_messages).to_have_count(0)
    expect(panel.locator(".cite")).to_have_count(0)
    chat_page.tab("Tài liệu")
    page.locator("#transcript-build").click()
    expect(toast(page)).to_contain_text("Chưa có câu hỏi nào trong cuộc trò chuyện.")
    expect(toast(page).locator(".toast-title")).to_have_text(re.compile(r"^\s*Lỗi\s*$"))


def test_bad_input_gives_a_vietnamese_toast_and_leaves_the_conversation_as_it_was(open_page, tmp_path):
    chat_page = open_page(WIDE)
    page = chat_page.page
    expect(chat_page.ask(FOREST_Q)).to_contain_text("52%")
    chat_before = page.locator("#chat").inner_text()
    cites_before = page.locator("#citations").inner_html()

    for question, message in (("   ", "Vui lòng nhập câu hỏi."), ("x" * 20_000, "Câu hỏi quá dài (20000 ký tự)")):
        chat_page.ask(question, wait=False)
        expect(toast(page)).to_contain_text(message)
        expect(toast(page).locator(".toast-title")).to_have_text(re.compile(r"^\s*Lỗi\s*$"))
        expect(chat_page.busy).not_to_contain_text("Đang xử lý")
        # nothing covered, nothing changed: no "Lỗi" badge over the chat or the citations
        expect(chat_page.bot_messages).to_have_count(1)
        expect(chat_page.bot_messages.first).to_be_visible()
        assert page.locator("#chat").inner_text() == chat_before
        assert page.locator("#citations").inner_html() == cites_before
        expect(page.locator("#chat, #citations").get_by_text("Lỗi", exact=True)).to_have_count(0)
        page.get_by_test_id("toast-close").last.click()
    chat_page.screenshot("11-error-keeps-conversation-1366")

    # an upload of another type: a toast, and the documents table as it was
    chat_page.tab("Văn bản")
    table = page.locator("#documents")
    expect(table).to_contain_text("nghi-quyet-tinh-uy-ha-tinh-2025.txt")
    table_before = table.inner_text()
    exe = tmp_path / "cai-dat.exe"
    exe.write_bytes(b"MZ\x90\x00")
    chat_page.upload(exe)
    page.get_by_role("button", name="Nạp vào chỉ mục").click()
    expect(toast(page)).to_contain_text("Định dạng tệp không được hỗ trợ: cai-dat.exe")
    expect(toast(page).locator(".toast-title")).to_have_text(re.compile(r"^\s*Lỗi\s*$"))
    assert table.inner_text() == table_before
    expect(table.get_by_text("Lỗi", exact=True)).to_have_count(0)
    chat_page.screenshot("11-upload-error-1366")
    # the server logged each rejection on one line, with no traceback
    log = (ARTIFACTS / "browser-app.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log


def test_phone_citations_follow_the_answer_and_errors_keep_it(open_page):
    chat_page = open_page(MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = chat_page.page
    expect(chat_page.ask("ty le ho ngheo nam 2024")).to_contain_text("2,41%")
    cite = page.locator("#cite-0-1")
    expect(cite).to_contain_text("2,41%")
    # right under the chat and the question box, above the example questions
    examples_top = page.get_by_text("Câu hỏi mẫu").first.bounding_box()["y"]
    assert cite.bounding_box()["y"] < examples_top
    assert chat_page.horizontal_overflow() <= 0
    chat_page.screenshot("12-phone-conversation-390")
    chat_page.ask("", wait=False)
    expect(toast(page)).to_contain_text("Vui lòng nhập câu hỏi.")
    expect(cite).to_contain_text("2,41%")
    chat_page.screenshot("12-phone-error-390")


def test_api_docs_page_works_offline(browser, ui_server):
    context = browser.new_context(viewport=WIDE, locale="vi-VN")
    outside = []

    def only_local(route):
        if route.request.url.startswith(ui_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.goto(ui_server + "/api/docs")
    expect(page.get_by_role("heading", name="POST /api/ask")).to_be_visible()
    assert outside == []
    page.screenshot(path=str(ARTIFACTS / "13-api-docs-1366.png"))
    context.close()
