"""The "Văn bản" tab in Chromium, against an app with an administrator's password (issue 24): a wrong
password is said as such and leaves the documents table; removing a document needs a session and a
confirmation; on a 390 px phone the documents table shows the title. Screenshots in tests/artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import copied_index, running_app
from tests.ui.conftest import ARTIFACTS, MOBILE

ADMIN = "mat-khau-van-ban"
DOC = "ke-hoach-xoa-thu.txt"
DOC_LABEL = "Kế hoạch 91/KH-UBND – UBND tỉnh Cao Bằng"
PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG\n\nSố: 91/KH-UBND\n\nCao Bằng, ngày 3 tháng 3 năm 2025\n\nKẾ HOẠCH\n"
        "Phát triển thư viện cộng đồng năm 2025\n\nI. CHỈ TIÊU\n\n1. Xây dựng 40 thư viện cộng đồng ở các xã.\n")


@pytest.fixture(scope="module")
def admin_server(browser, tmp_path_factory, index_dir, assistant):
    """The app with a password, on a copy of the session index plus a plan to remove."""
    from ingest.pipeline import ingest_paths
    from retrieval.embeddings import get_embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    base = tmp_path_factory.mktemp("documents-tab")
    idx = copied_index(index_dir, base / "index")
    doc = base / DOC
    doc.write_text(PLAN, encoding="utf-8")
    s = Settings.from_env(index_dir=idx)
    assert ingest_paths([doc], ChunkStore(s, get_embeddings(s.embeddings)), s).added == [DOC]
    with running_app(idx, log_path=ARTIFACTS / "documents-tab-app.log", NQ_ADMIN_PASSWORD=ADMIN) as url:
        yield url


def _documents_tab(chat_page):
    chat_page.tab("Văn bản")
    table = chat_page.page.locator("#documents")
    expect(table).to_contain_text("nghi-quyet-tinh-uy-ha-tinh-2025.txt")
    return table


def _login(page, password: str) -> None:
    page.locator("#admin-password input").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def _choose(page, label: str) -> None:
    page.locator("#manage-doc input").click()
    page.get_by_role("option", name=label).click()


def test_a_wrong_password_and_refused_actions_leave_the_table(open_page, admin_server, tmp_path):
    chat_page = open_page(url=admin_server)
    page = chat_page.page
    table = _documents_tab(chat_page)
    _login(page, "sai-mat-khau")
    expect(page.locator("#admin-status")).to_contain_text("Sai mật khẩu quản trị")
    _login(page, "")
    expect(page.locator("#admin-status")).to_contain_text("Cần nhập mật khẩu quản trị")
    # no session: "Xóa văn bản" is refused in the status line; nothing asks for a confirmation
    _choose(page, DOC_LABEL)
    page.get_by_role("button", name="Xóa văn bản", exact=True).click()
    expect(page.locator("#ingest-status")).to_contain_text("Cần mật khẩu quản trị")
    expect(page.locator("#docs-confirm")).to_be_hidden()
    page.get_by_role("button", name="Lập chỉ mục lại", exact=True).click()
    expect(page.locator("#ingest-status")).to_contain_text("Cần mật khẩu quản trị")
    expect(table).to_contain_text(DOC)
    expect(table).not_to_contain_text("Lỗi")
    # a file uploaded in a session that has ended since: "Nạp vào chỉ mục" is refused in the status line
    _login(page, ADMIN)
    expect(page.locator("#admin-status")).to_contain_text("Đã đăng nhập quản trị")
    extra = tmp_path / "ke-hoach-het-phien.txt"
    extra.write_text(PLAN.replace("91/KH", "92/KH"), encoding="utf-8")
    chat_page.upload(extra)
    page.get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(page.locator("#admin-status")).to_contain_text("Đã đăng xuất")
    page.get_by_role("button", name="Nạp vào chỉ mục", exact=True).click()
    expect(page.locator("#ingest-status")).to_contain_text("Cần mật khẩu quản trị")
    expect(table).to_contain_text(DOC)
    expect(table).not_to_contain_text(extra.name)
    expect(table).not_to_contain_text("Lỗi")
    expect(page.locator("#ingest-status")).not_to_contain_text("Lỗi")
    chat_page.screenshot("24-documents-refused")


def test_the_administrator_removes_a_document_after_confirming(open_page, admin_server):
    chat_page = open_page(url=admin_server)
    page = chat_page.page
    table = _documents_tab(chat_page)
    _login(page, ADMIN)
    expect(page.locator("#admin-status")).to_contain_text("Đã đăng nhập quản trị")
    _choose(page, DOC_LABEL)
    page.get_by_role("button", name="Xóa văn bản", exact=True).click()
    confirm = page.locator("#docs-confirm")
    expect(confirm).to_contain_text(f"Xóa hẳn văn bản «{DOC_LABEL}» ({DOC}) khỏi chỉ mục?")
    chat_page.screenshot("24-documents-confirm")
    page.get_by_role("button", name="Hủy", exact=True).click()  # not confirmed: nothing removed
    expect(confirm).to_be_hidden()
    expect(page.locator("#ingest-status")).to_contain_text("không xóa văn bản nào")
    expect(table).to_contain_text(DOC)
    page.get_by_role("button", name="Xóa văn bản", exact=True).click()
    page.get_by_role("button", name="Xác nhận xóa", exact=True).click()
    expect(page.locator("#ingest-status")).to_contain_text(f"Đã xóa văn bản «{DOC_LABEL}»")
    expect(confirm).to_be_hidden()
    expect(table).not_to_contain_text(DOC)
    expect(table).to_contain_text("nghi-quyet-tinh-uy-ha-tinh-2025.txt")
    chat_page.screenshot("24-documents-removed")
    # the chat's selector no longer offers it
    chat_page.tab("Hỏi đáp")
    page.locator("#doc-select input").click()
    expect(page.get_by_role("option").first).to_be_visible()
    expect(page.get_by_role("option", name=DOC_LABEL)).to_have_count(0)


def test_the_documents_table_shows_the_title_on_a_390_px_phone(open_page, admin_server):
    chat_page = open_page(MOBILE, url=admin_server, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = chat_page.page
    _documents_tab(chat_page)
    title = page.locator("#documents").get_by_test_id("cell-0-2")  # the first row's "Tiêu đề"
    expect(title).to_be_visible()
    expect(title).to_contain_text(re.compile("Kế hoạch|Nghị quyết"))
    box = title.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + 150 <= MOBILE["width"], box  # on screen without scrolling
    header = page.locator("#documents th").filter(has_text="Tiêu đề").first
    hbox = header.bounding_box()
    assert hbox and 0 <= hbox["x"] and hbox["x"] + 150 <= MOBILE["width"], hbox  # on screen without scrolling
    assert chat_page.horizontal_overflow() <= 0  # the table scrolls inside itself, not the page
    chat_page.screenshot("24-documents-390")
