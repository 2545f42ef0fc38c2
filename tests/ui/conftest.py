"""Browser fixtures: Debian's headless Chromium driven by Playwright against the real app.

Nothing is downloaded: Playwright's Python package drives the system Chromium
(`executable_path`); `.ci/run` installs it with apt. The tests skip, with the reason, only
when Chromium is not installed or cannot be launched.

`chat_page` / `open_page` give a `ChatPage`, a small page object over the Gradio UI; new
steps (another tab, a download) should add methods there rather than raw selectors in tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, copied_index, running_app

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
TIMEOUT_MS = 20_000  # generous: a shared 2-core CI machine


def chromium_executable() -> str | None:
    """NQ_CHROMIUM if set, else Debian's `chromium` on PATH."""
    candidates = [os.environ.get("NQ_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                  "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, expect, sync_playwright

    exe = chromium_executable()
    if exe is None:
        pytest.skip("Chromium is not installed (apt-get install chromium, as .ci/run does; or set NQ_CHROMIUM)")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
    except Error as exc:
        pw.stop()
        pytest.skip(f"Chromium at {exe} cannot be launched: {str(exc).splitlines()[0]}")
    expect.set_options(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture(scope="session")
def ui_server(browser, tmp_path_factory, index_dir, assistant) -> Iterator[str]:
    """The app with its own index (a copy of the session's), so uploads stay local."""
    idx = copied_index(index_dir, tmp_path_factory.mktemp("ui") / "index")
    with running_app(idx, log_path=ARTIFACTS / "browser-app.log") as url:
        yield url


class ChatPage:
    """The Gradio UI as a user sees it: Vietnamese labels, not Gradio's internal ids."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url

    def open(self) -> "ChatPage":
        from playwright.sync_api import expect

        self.page.goto(self.url + "/")
        expect(self.question_box).to_be_visible()
        return self

    # --- the "Hỏi đáp" tab
    @property
    def question_box(self):
        return self.page.get_by_role("textbox", name="Câu hỏi", exact=True)

    @property
    def send_button(self):
        return self.page.get_by_role("button", name="Gửi", exact=True)

    @property
    def bot_messages(self):
        return self.page.get_by_test_id("bot")

    @property
    def busy(self):
        return self.page.locator("#busy")

    @property
    def citations(self):
        return self.page.locator("#citations .cite")

    def ask(self, question: str, *, wait: bool = True):
        """Type and send ``question``; with ``wait``, return the new answer once it is shown."""
        from playwright.sync_api import expect

        before = self.bot_messages.count()
        self.question_box.fill(question)
        self.send_button.click()
        if not wait:
            return None
        expect(self.bot_messages).to_have_count(before + 1)
        # the whole answer is in (a streamed LLM answer fills the bubble first): the busy text is gone
        expect(self.busy).not_to_contain_text("Đang xử lý")
        expect(self.question_box).to_have_value("")
        return self.bot_messages.last

    # --- the saved conversations beside the chat (ui.saved_chats)
    @property
    def saved_titles(self):
        """The listed conversations' titles, newest first."""
        return self.page.locator("#saved-list label")

    def open_saved(self, title: str) -> None:
        self.page.locator("#saved-list").get_by_role("radio", name=title, exact=True).check()

    def new_conversation(self) -> None:
        self.page.get_by_role("button", name="Cuộc hội thoại mới", exact=True).click()

    def delete_conversation(self) -> None:
        """Delete the conversation that is open."""
        self.page.get_by_role("button", name="Xóa cuộc hội thoại đang mở", exact=True).click()

    # --- tabs and files
    def tab(self, name: str) -> None:
        from playwright.sync_api import expect

        tab = self.page.get_by_role("tab", name=name, exact=True)
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")

    def upload(self, *paths: Path) -> None:
        """Choose files in the "Văn bản" tab and wait until Gradio has uploaded them."""
        from playwright.sync_api import expect

        upload = self.page.locator("#upload")
        upload.locator("input[type=file]").set_input_files([str(p) for p in paths])
        for p in paths:  # Gradio shows a file's download link (its size) once the upload is done
            row = upload.locator("tr", has=self.page.locator(f'td[aria-label="{p.name}"]'))
            expect(row.get_by_test_id("download-link")).to_be_visible()

    def download(self, button_name: str) -> Path:
        """Click a download button (e.g. gr.DownloadButton "Tải CSV") and save the file in
        tests/artifacts/ under its suggested name."""
        with self.page.expect_download() as info:
            self.page.get_by_role("button", name=button_name, exact=True).click()
        path = ARTIFACTS / info.value.suggested_filename
        info.value.save_as(path)
        return path

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
        return self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def open_page(browser, request):
    """Factory: a fresh browser context (own cookies/storage) with a ChatPage on the app
    (`ui_server`, started on first use, or ``url``).
    A failing test leaves `FAILED-<test>-<n>.png` in tests/artifacts/."""
    contexts = []

    def make(viewport: dict = DESKTOP, url: str | None = None, **context_options) -> ChatPage:
        context = browser.new_context(viewport=viewport, locale="vi-VN", **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return ChatPage(context.new_page(), url or request.getfixturevalue("ui_server")).open()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, context in enumerate(contexts):
        if failed:
            for page in context.pages:
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}-{i}.png"), full_page=True)
        context.close()


@pytest.fixture
def chat_page(open_page) -> ChatPage:
    return open_page()
