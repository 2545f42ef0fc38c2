"""End-to-end: the real app (subprocess, own index) in headless Chromium, as a user uses it.

Each step saves a screenshot in tests/artifacts/ (git-ignored). Steps are independent tests
sharing one app (`ui_server`) and a fresh browser context each (`open_page`); add new steps as
new tests with `ChatPage` methods.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import running_app
from tests.ui.conftest import ARTIFACTS, MOBILE

FOREST = "(25) Duy trì tỷ lệ che phủ rừng trên 52%"


def test_ask_shows_processing_answer_and_highlighted_citation(chat_page):
    page = chat_page.page
    question = "Chỉ tiêu tỷ lệ che phủ rừng năm 2025 là bao nhiêu?"
    # Hold the question's request so the "processing" state can be seen (answers take ~30 ms).
    held = []
    page.route("**/gradio_api/queue/join*",
               lambda route: held.append(route) if question in (route.request.post_data or "")
               else route.continue_())
    chat_page.ask(question, wait=False)
    expect(chat_page.busy).to_contain_text("Đang xử lý")
    chat_page.screenshot("01-processing")
    # still responsive while the answer is pending: the other tab opens and comes back
    chat_page.tab("Tài liệu")
    chat_page.tab("Hỏi đáp")
    for _ in range(200):  # the route callback runs while Playwright waits: poll up to ~10 s
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "the question's request was not sent"
    held[0].continue_()
    page.unroute("**/gradio_api/queue/join*")

    answer = chat_page.bot_messages.last
    expect(answer).to_contain_text("52%")
    expect(chat_page.busy).not_to_contain_text("Đang xử lý")
    first = chat_page.citations.first
    expect(first.locator("mark").first).to_have_text(FOREST)
    expect(first).to_contain_text("Về môi trường")
    expect(first).to_contain_text("[1]")
    chat_page.screenshot("01-ask-answer-citation")
    # the answer's copy button (Gradio's per-message copy, labelled in Vietnamese) copies it
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Sao chép câu trả lời").last.click()  # the last message is the answer
    expect(page.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert "52%" in page.evaluate("navigator.clipboard.readText()")


def test_ask_without_diacritics_and_expand_passage(chat_page):
    answer = chat_page.ask("ty le ho ngheo nam 2024")
    expect(answer).to_contain_text("2,41%")
    first = chat_page.citations.first
    expect(first.locator(".quote mark")).to_contain_text("tỷ lệ hộ nghèo giảm còn 2,41%")
    passage = first.locator("details .passage")
    expect(passage).to_be_hidden()
    first.get_by_text("Xem toàn văn đoạn trích").click()
    expect(passage).to_be_visible()
    expect(passage.locator("mark")).to_contain_text("2,41%")
    # the whole passage is longer than the highlighted span
    assert len(passage.inner_text()) > len(passage.locator("mark").inner_text())
    chat_page.screenshot("02-ask-without-diacritics")


def test_upload_docx_then_ask_about_it(chat_page, tmp_path):
    docx = pytest.importorskip("docx")
    path = tmp_path / "nghi-quyet-quan-trac.docx"
    d = docx.Document()
    d.add_paragraph("NGHỊ QUYẾT VỀ MẠNG LƯỚI QUAN TRẮC")
    d.add_paragraph("II. CHỈ TIÊU NĂM 2025")
    # HTML in a document is text: shown as written, never rendered, its image never fetched
    d.add_paragraph('Về khí tượng: (1) Lắp đặt mới 128 trạm đo mưa tự động <img src="/anh-do-mua.png"> <b>đợt 1</b>.')
    d.save(path)
    fetched = []
    chat_page.page.on("request", lambda r: fetched.append(r.url) if "anh-do-mua" in r.url else None)

    chat_page.tab("Văn bản")
    chat_page.upload(path)
    chat_page.page.get_by_role("button", name="Nạp vào chỉ mục").click()
    expect(chat_page.page.locator("#ingest-status")).to_contain_text(f"Đã nạp: {path.name}")
    # the documents table lists it
    expect(chat_page.page.locator("#documents").get_by_text(path.name).first).to_be_visible()
    chat_page.screenshot("03-upload-docx")

    chat_page.tab("Hỏi đáp")
    answer = chat_page.ask("lắp đặt mới bao nhiêu trạm đo mưa tự động?")
    expect(answer).to_contain_text("128 trạm đo mưa")
    expect(answer).to_contain_text('<img src="/anh-do-mua.png">')
    assert answer.locator("img").count() == 0 and answer.locator("b").count() == 0 and not fetched
    # the citation names the document by its title (the file name is the tooltip)
    expect(chat_page.citations.first).to_contain_text("Nghị quyết về mạng lưới quan trắc")
    chat_page.screenshot("03-ask-uploaded-document")


def test_mobile_chat_is_usable(open_page):
    chat_page = open_page(MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    expect(chat_page.question_box).to_be_visible()
    expect(chat_page.send_button).to_be_visible()
    assert chat_page.horizontal_overflow() <= 0

    answer = chat_page.ask("ty le che phu rung nam 2025")
    expect(answer).to_contain_text("52%")
    expect(chat_page.citations.first.locator("mark").first).to_have_text(FOREST)
    # the citations column is stacked under the chat, not squeezed beside it
    chat_box = chat_page.page.get_by_test_id("bot").last.bounding_box()
    cite_box = chat_page.citations.first.bounding_box()
    assert cite_box["y"] > chat_box["y"] and cite_box["width"] > MOBILE["width"] * 0.7
    assert chat_page.horizontal_overflow() <= 0
    chat_page.screenshot("04-mobile-chat")

    # every other tab fits the screen too (wide tables scroll inside themselves)
    tabs = [t.strip() for t in chat_page.page.get_by_role("tab").filter(visible=True).all_inner_texts()]
    assert {"Chỉ tiêu", "Tài liệu", "Văn bản"} <= set(tabs)
    for i, name in enumerate(t for t in tabs if t != "Hỏi đáp"):
        chat_page.tab(name)
        chat_page.screenshot(f"04-mobile-tab-{i + 1}")  # also gives the tab's content time to render
        assert chat_page.horizontal_overflow() <= 0, name


def test_empty_question_gets_a_vietnamese_error_and_the_ui_recovers(chat_page):
    chat_page.ask("   ", wait=False)
    expect(chat_page.page.get_by_text("Vui lòng nhập câu hỏi").first).to_be_visible()
    expect(chat_page.busy).not_to_contain_text("Đang xử lý")  # cleared after the error too
    chat_page.screenshot("05-empty-question")
    expect(chat_page.ask("Tăng trưởng kinh tế năm 2024 ước đạt bao nhiêu?")).to_contain_text("7,3%")


@pytest.fixture(scope="module")
def llm_ui_server(browser, index_dir, assistant):
    """The app in LLM mode (NQ_LLM=openai) on the session index, answered by the scripted server
    of tests/llm, which streams its reply a word every 0.25 s."""
    from tests.llm.fake_llm import Reply, ScriptedLLM, passages

    def script(messages):
        n = next(n for n, t in passages(messages).items() if t.startswith("(25)"))
        return Reply(f"Theo nghị quyết, tỷ lệ che phủ rừng được duy trì trên 52% [{n}].", chunk_delay=0.25)

    with ScriptedLLM(script) as llm, running_app(
            index_dir, log_path=ARTIFACTS / "browser-llm-app.log", NQ_LLM="openai", NQ_LLM_MODEL="fake-model",
            NQ_LLM_BASE_URL=llm.openai_url, NQ_LLM_TIMEOUT="10") as url:
        yield url


def test_llm_answer_streams_under_the_processing_text(open_page, llm_ui_server):
    chat_page = open_page(url=llm_ui_server)
    chat_page.ask("chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu", wait=False)
    # while the draft streams: the processing text, a partial bubble, citations not yet shown
    expect(chat_page.busy).to_contain_text("Đang xử lý")
    expect(chat_page.bot_messages.last).to_contain_text("Theo nghị quyết")
    expect(chat_page.page.locator("#citations")).to_contain_text("Đang soạn câu trả lời")
    chat_page.screenshot("06-llm-streaming")
    # then the verified answer with its highlighted citation, and the processing text is gone
    # (an upload test may have put a second document in the session index: the answer then names its
    # document on a first line)
    expect(chat_page.bot_messages.last).to_have_text(
        re.compile(r"^\s*(Theo [^\n]*:\s*)?Theo nghị quyết, tỷ lệ che phủ rừng được duy trì trên 52% \[1\]\.\s*$"))
    expect(chat_page.busy).not_to_contain_text("Đang xử lý")
    expect(chat_page.citations.first.locator("mark").first).to_have_text(FOREST)
    chat_page.screenshot("06-llm-answer")


def test_targets_tab_filter_select_and_download(chat_page):
    page = chat_page.page
    chat_page.tab("Chỉ tiêu")
    table = page.locator("#targets-table")
    expect(table).to_contain_text("(1)")  # filled when the page loads
    page.get_by_label("Tìm kiếm").fill("che phu rung")  # no diacritics
    row = page.get_by_test_id("cell-0-2").get_by_text("tỷ lệ che phủ rừng")
    expect(row).to_be_visible()
    expect(page.get_by_test_id("cell-0-3")).to_contain_text("duy trì trên 52%")
    expect(table).not_to_contain_text("(24)")
    chat_page.screenshot("07-targets-filtered")
    row.click()
    source = page.locator("#target-source")
    expect(source.locator("mark")).to_have_text("Duy trì tỷ lệ che phủ rừng trên 52%")
    expect(source).to_contain_text("Về môi trường")
    chat_page.screenshot("07-targets-source")
    csv_path = chat_page.download("Tải CSV")
    assert csv_path.name == "chi-tieu-che-phu-rung.csv"
    assert "(25),Về môi trường,tỷ lệ che phủ rừng,duy trì trên,52,%,Không," in csv_path.read_text(encoding="utf-8-sig")
    xlsx_path = chat_page.download("Tải Excel (.xlsx)")
    from openpyxl import load_workbook

    assert list(load_workbook(xlsx_path).active.values)[1][2] == "tỷ lệ che phủ rừng"


def test_briefing_built_and_downloaded(chat_page):
    import docx

    page = chat_page.page
    chat_page.ask("ty le ho ngheo nam 2024")  # a turn for the transcript
    chat_page.tab("Tài liệu")
    page.locator("#brief-build").click()
    preview = page.locator("#brief-preview")
    expect(preview).to_contain_text("Tài liệu sinh hoạt: Môi trường")
    expect(preview).to_contain_text("Duy trì tỷ lệ che phủ rừng trên 52%")
    chat_page.screenshot("08-briefing-preview")
    path = chat_page.download("Tải Word (.docx)")
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "(25)" in cells and "duy trì trên 52%" in cells
    page.locator("#transcript-build").click()
    with page.expect_download() as info:
        page.locator("#transcript-md").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert "Hỏi: ty le ho ngheo nam 2024" in text and "2,41%" in text and "## Ghi chú" in text
    chat_page.screenshot("08-transcript")


# A plan written for this test (no numbered targets, so the targets tab of the shared app is unchanged).
MARKET_PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\n-------\nSố: 47/KH-UBND\nLạng Sơn, ngày 02 tháng 4 năm 2026\n\n"
               "KẾ HOẠCH\nBảo tồn chợ phiên vùng cao\n\nI. MỤC TIÊU\n\n"
               "1. Duy trì 14 chợ phiên truyền thống ở các xã vùng cao.\n\n"
               "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nHoàng Thị Mơ\n")


def test_document_selector_lists_an_upload_and_scopes_the_answer(chat_page, tmp_path):
    """Last in this file: it adds a document to the shared app."""
    page = chat_page.page
    path = tmp_path / "ke-hoach-cho-phien.txt"
    path.write_text(MARKET_PLAN, encoding="utf-8")
    chat_page.tab("Văn bản")
    chat_page.upload(path)
    page.get_by_role("button", name="Nạp vào chỉ mục").click()
    expect(page.locator("#ingest-status")).to_contain_text(f"Đã nạp: {path.name}")

    chat_page.tab("Hỏi đáp")
    page.locator("#doc-select input").click()
    option = page.get_by_role("option", name="Kế hoạch 47/KH-UBND – UBND tỉnh Lạng Sơn")
    expect(option).to_be_visible()  # the selector was refreshed by the upload
    option.click()
    page.locator("#doc-select input").press("Escape")
    chat_page.screenshot("08-document-selector")
    expect(chat_page.ask("Ai ký văn bản?")).to_contain_text("Hoàng Thị Mơ")
    expect(chat_page.citations.first).to_contain_text("Kế hoạch 47/KH-UBND")
    # unselected again: the bundled resolution answers its own question
    page.locator("#doc-select").get_by_role("button", name="Gỡ bỏ").first.click()
    expect(chat_page.ask("ty le che phu rung nam 2025")).to_contain_text("52%")
