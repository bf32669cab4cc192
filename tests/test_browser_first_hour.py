"""A new user's first hour in a real browser (Debian chromium + Playwright), from an empty store.

The first screen has the chat box; the first message names the agency and the year and creates the draft; at
1366×768 and 1920×1080 the chat box, its input and the latest reply are in view without scrolling; the import
box and the table editor's toolbar show no English. Screenshots: test-artifacts/first-hour-first-screen.png,
first-hour-1366x768.png and first-hour-1920x1080.png. Skipped locally without chromium; fails in CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_browser_e2e import _require_browser, server  # noqa: F401 - server: the app on an empty data dir

from assistant.bench.appserver import CHROMIUM_ARGS
from assistant.store import open_store

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
FIRST = "我是萧江镇党政办的，要写2023年度的年报。今年共收到政府信息公开申请15件，其中自然人12件，商业企业3件。"
# a word with a lower-case Latin letter is English prose; upper-case file types (DOCX, MB) are not
ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
# the visible text of an element, without Material icon ligatures (drawn as icons, not read as words)
VISIBLE_TEXT = """el => {
  const out = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const p = n.parentElement;
    if (!p || p.closest('[data-testid="stIconMaterial"]')) continue;
    const style = getComputedStyle(p);
    if (style.display === 'none' || style.visibility === 'hidden' || p.offsetParent === null) continue;
    if (n.nodeValue.trim()) out.push(n.nodeValue.trim());
  }
  return out;
}"""

pytestmark = pytest.mark.browser


def _in_view(page, locator, what: str) -> None:
    """The element is entirely inside the window and the page is not scrolled."""
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None, f"{what} is not rendered"
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 0.5, f"{what} is cut off: {box}, {size}"
    assert page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollTop || window.scrollY") == 0


def _latest_reply_in_view(page, replies) -> None:
    """The latest reply's last lines are visible inside the chat box (scrolled to the end)."""
    chat_box = page.locator(".st-key-chat_box").bounding_box()
    reply = replies.last.bounding_box()
    assert chat_box is not None and reply is not None
    bottom = reply["y"] + reply["height"]
    assert chat_box["y"] <= bottom <= chat_box["y"] + chat_box["height"] + 1, (reply, chat_box)


def test_first_hour_start_by_chatting_page_fits_and_chinese(server, tmp_path):  # noqa: F811
    chromium = _require_browser()
    from playwright.sync_api import expect, sync_playwright

    base, data_dir = server, tmp_path / "data"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(base)

        # the first screen: the chat box is there, in view, before any draft exists
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for()
        assert "draft=" not in page.url
        _in_view(page, page.get_by_test_id("stChatInput"), "the chat input on the first screen")
        _in_view(page, page.locator(".st-key-chat_box"), "the chat box on the first screen")
        page.screenshot(path=str(ARTIFACTS / "first-hour-first-screen.png"))

        # the first message names the agency and the year: it creates the draft
        box.fill(FIRST)
        box.press("Enter")
        page.wait_for_url("**/?draft=*")
        replies = page.get_by_role("group", name="Chat message from assistant")
        expect(replies.last).to_contain_text("已记录", timeout=60_000)
        expect(page.locator(".nb-head")).to_contain_text("萧江镇")
        expect(page.locator(".nb-head")).to_contain_text("2023年度")
        draft_id = page.url.split("draft=", 1)[1].split("&", 1)[0]
        store = open_store(data_dir)
        try:
            drafts = store.list_drafts("local")
            assert [d.id for d in drafts] == [draft_id]
            report = store.get_draft("local", draft_id).state.report
        finally:
            store.close()
        assert (report.agency, report.report_year) == ("萧江镇", 2023)
        assert report.value("t3.received.natural_person") == 12

        # a page that fits: chat box, input and the latest reply in view without scrolling
        page.wait_for_timeout(800)  # let the chat box finish scrolling to its end
        for width, height in ((1366, 768), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(800)
            _in_view(page, page.get_by_test_id("stChatInput"), f"the chat input at {width}×{height}")
            _in_view(page, page.locator(".st-key-chat_box"), f"the chat box at {width}×{height}")
            _latest_reply_in_view(page, replies)
            page.screenshot(path=str(ARTIFACTS / f"first-hour-{width}x{height}.png"))
        page.set_viewport_size({"width": 1366, "height": 768})

        # the import box: our Chinese text and the server's limit, no English
        page.get_by_text("导入去年年报或数据").click()
        uploader = page.get_by_test_id("stFileUploader")
        expect(uploader).to_contain_text("选择文件")
        expect(uploader).to_contain_text(re.compile(r"单个文件不超过\d+MB"))
        shown = uploader.evaluate(VISIBLE_TEXT)
        assert not [w for t in shown for w in ENGLISH_WORD.findall(t)], shown
        stated = re.search(r"不超过(\d+)MB", " ".join(shown))
        uploader.get_by_test_id("stTooltipHoverTarget").first.locator("button").hover()
        help_text = page.get_by_text(re.compile(rf"登记台账.*不超过{stated.group(1)}MB"))  # our help text
        expect(help_text).to_be_visible(timeout=30_000)
        page.mouse.move(0, 0)
        server_limit = page.evaluate("fetch('/_stcore/host-config').then(r => r.json()).then(j => j.maxUploadSize ?? null)")
        if server_limit is not None:  # older servers do not publish it; the number still comes from its config
            assert int(stated.group(1)) == int(server_limit)

        # the table editor's toolbar: Chinese labels and tooltips
        page.get_by_role("tab", name="表格编辑").click()
        grid = page.get_by_test_id("stDataFrame").first
        grid.wait_for()
        grid.hover()
        buttons = page.get_by_test_id("stElementToolbar").first.locator("button")
        expect(buttons.first).to_be_visible()
        labels = buttons.evaluate_all("els => els.map(e => e.getAttribute('aria-label') || '')")
        assert labels and not [w for t in labels for w in ENGLISH_WORD.findall(t)], labels
        buttons.first.hover()  # its tooltip is drawn on hover, from the same label
        expect(page.get_by_text(labels[0], exact=True)).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Show/hide columns")).to_have_count(0)
        browser.close()
