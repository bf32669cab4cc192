"""Two app servers on one PostgreSQL database, driven in Debian chromium like a clerk behind a load balancer.

The clerk types on server A, reloads the draft through server B and finds everything; continues on B; goes
back to A and finds B's turn too. Skipped locally without chromium or PostgreSQL; fails in CI without them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from test_browser_e2e import _require_browser

from assistant.bench.appserver import CHROMIUM_ARGS, running_app
from assistant.conversation import ConversationState
from assistant.facts import Report
from assistant.store import SQLStore
from assistant.ui.identity import LOCAL_OWNER

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FIRST = "今年共收到政府信息公开申请15件，其中自然人12件，商业企业3件。"
SECOND = "行政处罚347件"


def test_a_draft_continued_through_a_second_server_is_whole(pg_url, tmp_path):
    chromium = _require_browser()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=45_000)  # a second server's first page is a cold start

    store = SQLStore(pg_url)
    draft = store.create_draft(LOCAL_OWNER, "双服务器测试镇人民政府 2024年度",
                               ConversationState(report=Report(agency="双服务器测试镇人民政府", report_year=2024)))
    store.close()
    with contextlib.ExitStack() as stack:
        logs = [stack.enter_context(open(tmp_path / f"server{i}.log", "wb")) for i in (1, 2)]
        a = stack.enter_context(running_app(tmp_path / "a", log=logs[0], database_url=pg_url))
        b = stack.enter_context(running_app(tmp_path / "b", log=logs[1], database_url=pg_url))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="zh-CN").new_page()
            page.set_default_timeout(30_000)
            users = page.get_by_role("group", name="Chat message from user")
            replies = page.get_by_role("group", name="Chat message from assistant")

            page.goto(f"{a}/?draft={draft.id}")  # server A
            box = page.get_by_test_id("stChatInputTextArea")
            box.fill(FIRST)
            box.press("Enter")
            expect(replies.last).to_contain_text("已记录", timeout=30_000)
            expect(page.locator('td[data-cell="t3.received.natural_person"]')).to_have_text("12")

            page.goto(f"{b}/?draft={draft.id}")  # the load balancer sends the reload to server B
            page.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
            expect(users.filter(has_text=FIRST)).to_have_count(1)
            expect(page.locator('td[data-cell="t3.received.natural_person"]')).to_have_text("12")
            box = page.get_by_test_id("stChatInputTextArea")
            box.fill(SECOND)
            box.press("Enter")
            expect(users.filter(has_text=SECOND)).to_have_count(1)
            expect(replies.last).to_contain_text("347", timeout=30_000)

            page.goto(f"{a}/?draft={draft.id}")  # and back to A: B's turn is there too
            expect(users.filter(has_text=FIRST)).to_have_count(1)
            expect(users.filter(has_text=SECOND)).to_have_count(1)
            expect(page.locator('td[data-cell="t2.penalty.decisions"]')).to_have_text("347")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "two-servers.png"), full_page=True)
            browser.close()
    store = SQLStore(pg_url)
    stored = [m.content for m in store.list_messages(LOCAL_OWNER, draft.id) if m.role == "user"]
    assert stored == [FIRST, SECOND]
    assert store.get_draft(LOCAL_OWNER, draft.id).state.report.value("t2.penalty.decisions") == 347
    store.close()
