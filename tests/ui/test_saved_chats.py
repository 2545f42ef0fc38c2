"""Saved conversations in the browser (issue 24): listed beside the chat under their first question,
kept across a reload in this browser only, reopened with their answers and citations, a new one started,
one deleted; a tampered stored value leaves a working chat. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import base64
import hashlib
import json
import os

from playwright.sync_api import expect

from tests.ui.conftest import MOBILE
from ui.saved_chats import STORAGE_KEY, STORAGE_SECRET

WIDE = {"width": 1366, "height": 768}
FOREST_Q = "chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu"
GRDP_Q = "GRDP năm 2025 tăng bao nhiêu?"
POOR_Q = "ty le ho ngheo nam 2024"


def titles(chat_page) -> list[str]:
    return [t.strip() for t in chat_page.saved_titles.all_inner_texts()]


def test_conversations_survive_a_reload_reopen_with_citations_and_can_be_deleted(open_page):
    chat_page = open_page(WIDE)
    page = chat_page.page
    expect(chat_page.ask(FOREST_Q)).to_contain_text("52%")
    expect(chat_page.ask(GRDP_Q)).to_contain_text("7%")
    expect(chat_page.saved_titles).to_have_text([FOREST_Q])
    chat_before = page.locator("#chat").inner_text()
    cites_before = page.locator("#citations .prose").inner_html()  # the panel's content
    assert page.locator("#citations .cite-group").count() == 2

    page.reload()
    expect(chat_page.question_box).to_be_visible()
    expect(chat_page.saved_titles).to_have_text([FOREST_Q])
    expect(chat_page.bot_messages).to_have_count(0)
    chat_page.open_saved(FOREST_Q)
    expect(chat_page.bot_messages).to_have_count(2)
    expect(chat_page.bot_messages.last).to_contain_text("7%")
    assert page.locator("#chat").inner_text() == chat_before
    assert page.locator("#citations .prose").inner_html() == cites_before
    # its "[1]" still finds its citation
    expect(chat_page.bot_messages.first.locator("a.cite-ref", has_text="[1]")).to_have_attribute("href", "#cite-0-1")
    chat_page.screenshot("30-saved-conversation-reopened-1366")

    # the "Tài liệu" tab exports the reopened conversation
    chat_page.tab("Tài liệu")
    page.locator("#transcript-build").click()
    with page.expect_download() as info:
        page.locator("#transcript-md").click()
    text = info.value.path().read_text(encoding="utf-8")
    assert f"Hỏi: {FOREST_Q}" in text and f"Hỏi: {GRDP_Q}" in text
    chat_page.tab("Hỏi đáp")

    # a follow-up in the reopened conversation stays in it
    chat_page.ask(POOR_Q)
    expect(chat_page.saved_titles).to_have_text([FOREST_Q])

    # a new conversation: an empty chat; once asked, listed first, the earlier one kept
    chat_page.new_conversation()
    expect(chat_page.bot_messages).to_have_count(0)
    expect(page.locator("#citations .cite")).to_have_count(0)
    expect(chat_page.ask("Ai ký nghị quyết?")).to_contain_text("Hoàng Trung Dũng")
    expect(chat_page.saved_titles).to_have_text(["Ai ký nghị quyết?", FOREST_Q])
    # the earlier one has its three answers, and the new one is back on a click
    chat_page.open_saved(FOREST_Q)
    expect(chat_page.bot_messages).to_have_count(3)
    expect(page.locator("#citations .cite-group")).to_have_count(3)
    chat_page.open_saved("Ai ký nghị quyết?")
    expect(chat_page.bot_messages).to_have_count(1)
    expect(chat_page.bot_messages.first).to_contain_text("Hoàng Trung Dũng")

    # deleting the open one: gone from the list (after a reload too), the chat emptied
    chat_page.delete_conversation()
    expect(chat_page.saved_titles).to_have_text([FOREST_Q])
    expect(chat_page.bot_messages).to_have_count(0)
    page.reload()
    expect(chat_page.question_box).to_be_visible()
    expect(chat_page.saved_titles).to_have_text([FOREST_Q])
    # in the browser only, and no password or session there
    stored = page.evaluate("Object.entries(localStorage)")
    assert [k for k, _ in stored] == [STORAGE_KEY]
    assert FOREST_Q not in stored[0][1]  # what Gradio writes is encrypted text

    # another browser sees none of them
    other = open_page(WIDE)
    expect(other.question_box).to_be_visible()
    expect(other.saved_titles).to_have_count(0)


def test_phone_keeps_the_chat_at_the_top(open_page):
    chat_page = open_page(MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = chat_page.page
    expect(chat_page.ask(POOR_Q)).to_contain_text("2,41%")
    expect(chat_page.saved_titles).to_have_text([POOR_Q])
    # the chat and the question box on screen, the list after the citations
    expect(chat_page.question_box).to_be_in_viewport()
    assert page.locator("#chat").bounding_box()["y"] < MOBILE["height"] / 2
    assert page.locator("#saved-chats").bounding_box()["y"] > page.locator("#citations").bounding_box()["y"]
    assert chat_page.horizontal_overflow() <= 0
    chat_page.screenshot("31-saved-conversations-390")
    # clearing the chat keeps the saved one, and the next question starts another
    page.get_by_role("button", name="Xóa hội thoại", exact=True).filter(has_text="Xóa hội thoại").click()
    expect(chat_page.bot_messages).to_have_count(0)
    expect(chat_page.ask("Ai ký nghị quyết?")).to_contain_text("Hoàng Trung Dũng")
    expect(chat_page.saved_titles).to_have_text(["Ai ký nghị quyết?", POOR_Q])


def _encrypted(value) -> str:
    """``value`` as Gradio's gr.BrowserState stores it (CryptoJS AES with a passphrase: an OpenSSL
    "Salted__" record whose key and iv come from MD5), the AES step done by the browser's WebCrypto."""
    passphrase = hashlib.sha256(STORAGE_SECRET.encode()).hexdigest().encode()
    salt = os.urandom(8)
    derived, block = b"", b""
    while len(derived) < 48:
        block = hashlib.md5(block + passphrase + salt).digest()
        derived += block
    return json.dumps({"key": list(derived[:32]), "iv": list(derived[32:48]), "salt": list(salt),
                       "text": json.dumps(value, ensure_ascii=False),
                       "prefix": base64.b64encode(os.urandom(16)).decode()})


ENCRYPT_JS = """async (a) => {
  const key = await crypto.subtle.importKey("raw", new Uint8Array(a.key), "AES-CBC", false, ["encrypt"]);
  const ct = new Uint8Array(await crypto.subtle.encrypt({name: "AES-CBC", iv: new Uint8Array(a.iv)}, key,
                                                          new TextEncoder().encode(a.text)));
  const all = [...new TextEncoder().encode("Salted__"), ...a.salt, ...ct];
  return a.prefix + ":" + btoa(String.fromCharCode(...all));
}"""


def test_tampered_stored_values_leave_a_working_chat(open_page):
    chat_page = open_page(WIDE)
    page = chat_page.page
    expect(chat_page.ask(POOR_Q)).to_contain_text("2,41%")
    expect(chat_page.saved_titles).to_have_text([POOR_Q])
    good = page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})")

    # garbage that is not Gradio's encryption: nothing listed, the chat answers, and is saved again
    for garbage in ("garbage", "a:b", "{\"x\": 1}", "::::"):
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, garbage])
        page.reload()
        expect(chat_page.question_box).to_be_visible()
        expect(chat_page.saved_titles).to_have_count(0)
    expect(chat_page.ask(POOR_Q)).to_contain_text("2,41%")
    expect(chat_page.saved_titles).to_have_text([POOR_Q])

    # a value encrypted as Gradio does but tampered with: the well-formed entry is listed, the rest ignored
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, good])
    page.reload()
    expect(chat_page.saved_titles).to_have_text([POOR_Q])
    chat_page.open_saved(POOR_Q)
    expect(chat_page.bot_messages.first).to_contain_text("2,41%")
    bad_answer = {"question": "<img src=x onerror=alert(1)>", "answer": 5, "found": True}
    fake = [
        {"id": "0123456789abcdef", "updated": 2e9, "answers": [{"question": "Câu hỏi giả mạo", "answer": "x",
                                                                  "found": True, "citations": [{"n": "1"}]}]},
        {"id": "../../etc", "updated": 1, "answers": [{"question": "id xấu", "answer": "", "found": False}]},
        {"id": "fedcba9876543210", "updated": 1e9, "answers": [bad_answer]},
        {"id": "aaaaaaaaaaaaaaaa", "updated": 1.5e9, "answers": [{"question": "Hợp lệ", "answer": "Trả lời.",
                                                                   "found": False, "citations": []}]},
        "rác", None, 42, [], {"id": "bbbbbbbbbbbbbbbb"},
    ]
    value = page.evaluate(ENCRYPT_JS, json.loads(_encrypted(fake)))
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, value])
    page.reload()
    expect(chat_page.question_box).to_be_visible()
    expect(chat_page.saved_titles).to_have_text(["Hợp lệ"])
    chat_page.open_saved("Hợp lệ")
    expect(chat_page.bot_messages).to_have_text(["Trả lời."])
    # not a list at all
    value = page.evaluate(ENCRYPT_JS, json.loads(_encrypted({"id": "x", "answers": "y"})))
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, value])
    page.reload()
    expect(chat_page.question_box).to_be_visible()
    expect(chat_page.saved_titles).to_have_count(0)
    expect(chat_page.ask(POOR_Q)).to_contain_text("2,41%")
    expect(page.locator("#citations .cite").first).to_contain_text("2,41%")
    expect(chat_page.saved_titles).to_have_text([POOR_Q])
