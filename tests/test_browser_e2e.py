"""The one real-browser test: `streamlit run app.py` + Debian chromium driven by Playwright.

A clerk creates a draft, chats numbers in, sees the preview update, copies the report (clipboard API and the
plain-HTTP fallback), downloads the .docx, reloads the page and finds the conversation and the draft intact.
Saves a full-page screenshot to test-artifacts/e2e.png. Skipped locally without chromium; fails in CI.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant.bench.appserver import CHROMIUM_ARGS, AppDidNotStart, running_app

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AGENCY = "测试镇人民政府"
FIRST = "今年共收到政府信息公开申请15件，其中自然人12件，商业企业3件。"

pytestmark = pytest.mark.browser


def _require_browser() -> str:
    chromium = shutil.which("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        chromium = None
    if chromium is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Debian chromium / playwright is missing (apt-get install chromium)")
        pytest.skip("chromium or playwright not installed")
    return chromium


@pytest.fixture
def server(tmp_path):
    with open(tmp_path / "streamlit.log", "wb") as log:
        try:
            with running_app(tmp_path / "data", log=log) as base:
                yield base
        except AppDidNotStart:
            log.flush()
            pytest.fail("streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text(errors="replace")[-3000:])


def test_chat_preview_copy_download_reload(server, tmp_path):
    chromium = _require_browser()
    from playwright.sync_api import expect, sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        ctx = browser.new_context(
            viewport={"width": 1500, "height": 1000},
            locale="zh-CN",
            permissions=["clipboard-read", "clipboard-write"],
            accept_downloads=True,
        )
        page = ctx.new_page()
        page.set_default_timeout(30_000)

        def track(request) -> None:  # no request may leave this machine
            url = urlparse(request.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in ("127.0.0.1", "localhost"):
                outside.append(request.url)

        page.on("request", track)
        page.goto(server)

        # a new draft from the sidebar form
        page.locator(".st-key-new_agency input").fill(AGENCY)
        page.get_by_role("button", name="创建草稿").click()
        page.wait_for_url("**/?draft=*")
        draft_url = page.url
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for()

        # a short conversation
        box.fill(FIRST)
        box.press("Enter")
        user_messages = page.get_by_role("group", name="Chat message from user")
        replies = page.get_by_role("group", name="Chat message from assistant")
        expect(user_messages.filter(has_text=FIRST)).to_have_count(1)
        expect(replies.last).to_contain_text("已记录", timeout=30_000)
        expect(replies.last).to_contain_text("自然人12件")
        cell = page.locator('td[data-cell="t3.received.natural_person"]')
        expect(cell).to_have_text("12")
        expect(page.locator('td[data-cell="t3.received.business"]')).to_have_text("3")
        expect(page.locator(".nb-progress .chip[data-section='s3']")).to_contain_text(re.compile(r"已填 [1-9]\d*/175"))

        # copy the whole report (secure context: clipboard API) and read it back
        page.get_by_role("button", name="复制全文").click()
        expect(page.locator(".nb-copybar .msg").first).to_have_text("已复制到剪贴板")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert AGENCY in copied and "一、总体情况" in copied and "\t12\t" in copied

        # the plain-HTTP intranet case: no secure context → execCommand fallback, pasted into a textarea
        page.evaluate("Object.defineProperty(window, 'isSecureContext', {value: false, configurable: true})")
        page.get_by_role("button", name="复制三").click()
        expect(page.locator(".nb-copybar .msg").first).to_have_text("已复制到剪贴板")
        page.get_by_text("导入去年年报或数据").click()
        paste = page.locator(".st-key-import_paste textarea")
        paste.click()
        page.keyboard.press("Control+V")
        pasted = paste.input_value()
        assert pasted.startswith("三、收到和处理政府信息公开申请情况") and "\t12\t" in pasted
        paste.fill("")

        # download the .docx
        page.get_by_role("tab", name="导出").click()
        with page.expect_download() as dl:
            page.locator(".st-key-download_docx button").click()
        target = tmp_path / dl.value.suggested_filename
        dl.value.save_as(target)
        assert target.suffix == ".docx" and AGENCY in target.name
        import docx

        document = docx.Document(io.BytesIO(target.read_bytes()))
        assert len(document.tables) in (3, 4)  # 表三 may continue on the next page as a second table

        # reload: the conversation and the draft are still there
        page.reload()
        page.get_by_test_id("stChatInputTextArea").wait_for()
        assert page.url == draft_url
        expect(user_messages.filter(has_text=FIRST)).to_have_count(1)
        expect(replies.filter(has_text="已记录")).to_have_count(1)
        expect(page.locator('td[data-cell="t3.received.natural_person"]')).to_have_text("12")
        page.get_by_role("tab", name="预览").click()

        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("#s3").evaluate("el => el.scrollIntoView({block: 'start'})")  # table 三 in the preview
        page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollTo(0, 0)")
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "e2e.png"), full_page=True)
        browser.close()
    assert outside == [], f"requests to outside hosts: {outside[:5]}"
