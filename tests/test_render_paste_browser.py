"""The 「粘贴到网站」 HTML in real chromium: the copy button puts it on the clipboard, it is pasted into a
contenteditable "portal editor" that strips ``<style>`` blocks and classes (as CMS editors do), and every table
cell still has its borders. At phone width (390 px) the page does not scroll sideways; the tables scroll in their
own box. Saves test-artifacts/pasted-html-390.png and pasted-html-1000.png. Skipped without chromium."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_browser_e2e import _require_browser  # the one check of chromium + playwright (fails in CI, else skips)

from assistant.bench.appserver import CHROMIUM_ARGS
from assistant.interchange import load_report
from assistant.render import build_document
from assistant.render.html import document_html, document_html_paste
from assistant.render.text import document_text
from assistant.ui.copybutton import CopyItem, copy_bar_html

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
COUNTY = ROOT / "samples" / "county_bureau_2024.json"

pytestmark = pytest.mark.browser

# A minimal portal editor: on paste it takes the clipboard's text/html, drops what CMS sanitizers drop
# (<style>, <script>, <link>, class attributes) and inserts the rest into the contenteditable body.
EDITOR = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>编辑器</title></head>
<body style="margin:8px;font-family:sans-serif">
<div id="editor" contenteditable="true" style="min-height:200px;border:1px dashed #999"></div>
<script>
document.getElementById("editor").addEventListener("paste", function(e){
  var html = e.clipboardData.getData("text/html");
  if (!html) { return; }
  e.preventDefault();
  var tpl = document.createElement("template"); tpl.innerHTML = html;
  tpl.content.querySelectorAll("style,script,link,meta,title").forEach(function(n){ n.remove(); });
  tpl.content.querySelectorAll("[class]").forEach(function(n){ n.removeAttribute("class"); });
  var ed = document.getElementById("editor"); ed.innerHTML = ""; ed.appendChild(tpl.content);
  window.pasted = true;
});
</script></body></html>"""

CELL_BORDERS = """() => Array.from(document.querySelectorAll('#editor td, #editor th')).map(function(c){
  var s = getComputedStyle(c);
  return [s.borderTopStyle, parseFloat(s.borderTopWidth), s.borderLeftStyle, parseFloat(s.borderLeftWidth)];
})"""


@pytest.fixture
def site(tmp_path):
    """A local web server (127.0.0.1 is a secure context: the clipboard API works) for the two pages."""
    doc = build_document(load_report(COUNTY))
    paste = document_html_paste(doc)
    bar = copy_bar_html(
        [
            CopyItem("复制网页版（粘贴到网站）", document_text(doc), html=paste),
            CopyItem("复制旧版网页（带样式表）", document_text(doc), html=document_html(doc)),
        ],
        key="paste",
    )
    (tmp_path / "copy.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{bar}</body></html>', encoding="utf-8"
    )
    (tmp_path / "editor.html").write_text(EDITOR, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def _copy_and_paste(ctx, base: str, button: int, width: int):
    page = ctx.new_page()
    page.goto(f"{base}/copy.html")
    page.locator("button").nth(button).click()
    page.locator("text=已复制到剪贴板").wait_for(timeout=5000)
    editor = ctx.new_page()
    editor.set_viewport_size({"width": width, "height": 900})
    editor.goto(f"{base}/editor.html")
    editor.locator("#editor").click()
    editor.keyboard.press("Control+V")
    editor.wait_for_function("window.pasted === true", timeout=5000)
    return editor


def test_pasted_tables_keep_their_borders_and_fit_a_phone(site):
    chromium = _require_browser()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(locale="zh-CN", permissions=["clipboard-read", "clipboard-write"])
            editor = _copy_and_paste(ctx, site, 0, 390)
            borders = editor.evaluate(CELL_BORDERS)
            # 表二 (2021: 4 blocks of caption, header and data rows) + 表三 + 表四: every cell is bordered
            assert len(borders) > 150
            assert all(b[0] == "solid" and b[1] >= 1 and b[2] == "solid" and b[3] >= 1 for b in borders), borders[:5]
            assert editor.evaluate("document.querySelectorAll('#editor thead').length") == 2  # 表三, 表四
            assert editor.evaluate("document.querySelectorAll('#editor table').length") == 3
            # the page never scrolls sideways at 390 px; the wide tables scroll inside their own box
            assert editor.evaluate("document.documentElement.scrollWidth") <= 390
            boxes = editor.evaluate(
                "Array.from(document.querySelectorAll('#editor table')).map(t => "
                "[t.parentElement.scrollWidth > t.parentElement.clientWidth, getComputedStyle(t.parentElement).overflowX])"
            )
            assert boxes[1] == [True, "auto"] and boxes[2] == [True, "auto"], boxes
            text = editor.inner_text("#editor")
            assert "申请人情况" in text and "清溪县自然资源和规划局" in text
            editor.screenshot(path=str(ARTIFACTS / "pasted-html-390.png"), full_page=True)
            wide = _copy_and_paste(ctx, site, 0, 1000)
            wide.screenshot(path=str(ARTIFACTS / "pasted-html-1000.png"), full_page=True)

            # the preview HTML, which relies on a <style> block, loses its borders in the same editor
            old = _copy_and_paste(ctx, site, 1, 1000)
            old_borders = old.evaluate(CELL_BORDERS)
            assert old_borders and not any(b[0] == "solid" for b in old_borders)
        finally:
            browser.close()
