"""Markup and script payloads in every text field (agency, messages, section text, narrative facts, imported
file) stay text: in ``render_html`` (the preview), the copy bar, the Markdown the chat shows, and — one test — in
the real app in Debian chromium (payloads set ``window.__xss=1``; it must stay undefined and no dialog may open).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_browser_e2e import server  # noqa: F401 - H's streamlit server fixture, reused

from assistant.engine import ConversationEngine
from assistant.facts import Report
from assistant.importing import import_report
from assistant.render import render_html, render_markdown
from assistant.render.html import render_html_document
from assistant.ui.copybutton import CopyItem, copy_bar_html
from assistant.ui.textsafe import escape_markdown, safe_reply_markdown

PAYLOADS = json.loads((Path(__file__).parent / "corpora" / "markup.json").read_text(encoding="utf-8"))["payloads"]
DANGEROUS_TAGS = {"script", "img", "svg", "iframe", "a", "details", "math", "object", "embed", "link", "u"}


def _assert_inert_html(html: str, payload: str, *, allowed_scripts: int = 0) -> None:
    soup = BeautifulSoup(html, "html.parser")
    found = [t.name for t in soup.find_all(True) if t.name in DANGEROUS_TAGS]
    assert len(soup.find_all("body")) <= 1 and len(soup.find_all("style")) <= 1
    assert len([n for n in found if n == "script"]) <= allowed_scripts and not [n for n in found if n != "script"], (
        found
    )
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), (tag.name, attr)
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "javascript:" not in text.lower(), (tag.name, attr, text)
    if allowed_scripts:
        for s in soup.find_all("script"):  # only generated ids may enter the script
            code = s.get_text()
            m = re.search(r"var ids = (\[.*?\]);", code)
            ids = json.loads(m.group(1)) if m else []
            assert m and all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
            for i in ids:
                code = code.replace(i, "")
            assert "__xss" not in code


def test_corpus_size():
    assert len(PAYLOADS) >= 15


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_report_field_renders_as_text(payload):
    report = Report(
        agency=payload,
        report_year=2023,
        sections={"s1": payload, "s5": f"问题：{payload}", "s6": payload},
        narrative_facts={"other_matters": payload},
    )
    html = render_html(report)
    _assert_inert_html(html, payload)
    assert payload.strip("<>")[:4] in BeautifulSoup(html, "html.parser").get_text()  # visible as text
    _assert_inert_html(render_html_document(report), payload)
    md = render_markdown(report)
    assert "<script" not in md.lower() or "&lt;script" in md.lower() or "\\<script" in md.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_messages_stays_text_in_replies_and_preview(payload):
    engine = ConversationEngine()
    state = engine.start().state
    state = engine.turn(state, f"我是{payload}镇人民政府的，写2023年度年报", message_id="m1").state
    result = engine.turn(state, f"行政处罚3件。{payload}", message_id="m2")
    _assert_inert_html(render_html(result.state.report), payload)
    shown = safe_reply_markdown(result.reply)  # what the chat displays for the reply
    for raw in ("<script", "<img", "<svg", "<iframe", "](javascript"):
        assert raw not in shown.lower().replace("\\<", "").replace("\\[", "").replace("\\]", "")
    typed = escape_markdown(payload)  # what the chat displays for the clerk's own message
    assert "<" not in typed.replace("\\<", "") and "](" not in typed.replace("\\]\\(", "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_an_imported_file(payload):
    text = (
        f"{payload}2022年政府信息公开工作年度报告\n一、总体情况\n{payload}\n"
        "五、存在的主要问题及改进情况\n" + payload + "\n六、其他需要报告的事项\n无。\n"
    )
    html_page = f"<html><body><h1>{payload}</h1><p>一、总体情况</p><p>{payload}</p></body></html>"
    for source, name in ((text, "report.txt"), (html_page, "report.html")):
        try:
            result = import_report(source, filename=name, report_year=2022)
        except Exception as e:  # noqa: BLE001 - a refusal is fine, if it is a clear AssistantError
            from assistant.errors import AssistantError

            assert isinstance(e, AssistantError), repr(e)
            continue
        _assert_inert_html(render_html(result.report), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_copy_bar_keeps_user_text_out_of_the_script(payload):
    html = copy_bar_html(
        [CopyItem("复制全文", f"{payload}\n正文", primary=True), CopyItem("复制一", payload)], key=payload
    )
    _assert_inert_html(html, payload, allowed_scripts=1)
    soup = BeautifulSoup(html, "html.parser")
    assert all(payload in t.get_text() for t in soup.find_all("textarea"))


# ---- the real browser -----------------------------------------------------------------------------------
@pytest.mark.browser
def test_payloads_do_not_run_in_the_app(server, tmp_path):  # noqa: F811 - `server` is H's fixture
    from test_browser_e2e import CHROMIUM_ARGS, _require_browser

    chromium = _require_browser()
    from playwright.sync_api import sync_playwright

    from assistant.service import DraftService
    from assistant.store import open_store
    from assistant.ui.identity import LOCAL_OWNER

    xss = [p for p in PAYLOADS if "__xss" in p or "alert" in p]
    store = open_store(tmp_path / "data")  # the data directory the fixture gave the server
    service = DraftService(store, LOCAL_OWNER, engine=ConversationEngine())
    draft = service.create(agency=xss[0] + "镇人民政府", report_year=2023)
    for i, p in enumerate(xss):
        service.send(draft.id, f"行政处罚{i + 1}件。{p}", uid=f"x{i}")
    for sid, p in zip(("s1", "s5", "s6"), xss[1:4], strict=True):
        service.save_section(draft.id, sid, f"正文{p}结束", origin="manual")
    imported = import_report(
        "一、总体情况\n" + "\n".join(xss) + "\n六、其他需要报告的事项\n无。", filename="x.txt", report_year=2023
    ).report
    service.merge_import(draft.id, imported, ref="<img src=x onerror=window.__xss=1>.txt")
    store.close()

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="zh-CN").new_page()
        page.set_default_timeout(30_000)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{server}/?draft={draft.id}")
        page.get_by_test_id("stChatInputTextArea").wait_for()
        page.get_by_text("行政处罚1件", exact=False).first.wait_for()
        box = page.get_by_test_id("stChatInputTextArea")  # and one typed live
        box.fill("<img src=x onerror=window.__xss=1>行政强制2件")
        box.press("Enter")
        page.get_by_role("group", name="Chat message from assistant").last.wait_for()
        page.wait_for_timeout(1500)
        for tab in ("预览", "导出"):
            tabs = page.get_by_role("tab", name=tab)
            if tabs.count():
                tabs.first.click()
                page.wait_for_timeout(500)
        states = [f.evaluate("typeof window.__xss") for f in page.frames]
        js_links = page.locator('a[href^="javascript"]').count()
        injected = page.locator("img[src='x'], svg[onload], details[ontoggle], iframe[src^='javascript']").count()
        body = page.locator("body").inner_text()
        artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "xss.png"), full_page=True)
        browser.close()
    assert states and all(s == "undefined" for s in states), states
    assert dialogs == [] and js_links == 0 and injected == 0
    assert "onerror" in body  # the payloads are visible as text
