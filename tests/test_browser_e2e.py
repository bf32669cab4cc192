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
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = dict(os.environ)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_MODEL", "ASSISTANT_TRUST_PROXY_HEADER"):
        env.pop(var, None)
    env["ASSISTANT_DATA_DIR"] = str(tmp_path / "data")
    log = open(tmp_path / "streamlit.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail("streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text(errors="replace")[-3000:])
        time.sleep(0.3)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
        assert len(document.tables) == 3

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
