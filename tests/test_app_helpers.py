"""UI helpers without Streamlit: escaping, owner resolution, grid edits, diff, copy button, progress, exports."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest

from assistant.checks import Finding
from assistant.exporting import EXPORT_KINDS, build_export, export_problems, export_warning_text
from assistant.facts import CellStatus, FactUpdate, Report, apply_updates
from assistant.interchange import report_from_json
from assistant.ui.copybutton import CopyItem, copy_bar_html
from assistant.ui.diffview import diff_html, diff_stats
from assistant.ui.grid import GridError, apply_edit_state, build_grid, grid_updates, parse_grid_value
from assistant.ui.identity import LOCAL_OWNER, resolve_owner
from assistant.ui.progress import report_progress
from assistant.ui.textsafe import escape_markdown, safe_reply_markdown

EVIL = "<script>alert(1)</script> **粗体** [链接](http://evil.example/x) ![图](http://evil.example/i.png) $x$ :red[红]"


def _report(**cells) -> Report:
    r = Report(agency="测试镇人民政府", report_year=2024)
    ups = [FactUpdate(cell=k, value=v, evidence="x") for k, v in cells.items()]
    return apply_updates(r, ups).report


# ---- escaping ---------------------------------------------------------------------------------------


def test_escape_markdown_neutralises_every_markup():
    out = escape_markdown(EVIL)
    for raw in ("<script>", "**粗体**", "[链接]", "![图]", "$x$", ":red["):
        assert raw not in out
    assert "\\<script\\>" in out and "\\*\\*粗体\\*\\*" in out and "\\!\\[图\\]" in out


def test_escape_markdown_keeps_line_breaks():
    assert escape_markdown("第一行\n第二行") == "第一行  \n第二行"


def test_safe_reply_keeps_emphasis_but_disarms_html_links_images_math():
    out = safe_reply_markdown("已记录：**自然人12件**\n" + EVIL)
    assert "**自然人12件**" in out
    assert all(out[i - 1] == "\\" for i, ch in enumerate(out) if ch == "<")  # no raw HTML tag can open
    assert "\\[链接\\]" in out and "!\\[图\\]" in out and "\\$x\\$" in out and ":red\\[" in out


# ---- owner ------------------------------------------------------------------------------------------


def test_local_mode_when_nothing_configured():
    o = resolve_owner({}, {}, {})
    assert o.id == LOCAL_OWNER and o.mode == "local"


def test_oidc_user_owner_and_login_required():
    assert resolve_owner({"is_logged_in": True, "email": "a@b.gov.cn", "name": "张三"}, {}, {}).id == "oidc:a@b.gov.cn"
    missing = resolve_owner({"is_logged_in": False}, {}, {})
    assert missing.id is None and missing.problem == "login"


def test_proxy_header_required_and_never_falls_back_to_local():
    env = {"ASSISTANT_TRUST_PROXY_HEADER": "X-Remote-User"}
    assert resolve_owner({}, {"X-Remote-User": "zhangsan"}, env).id == "proxy:zhangsan"
    o = resolve_owner({}, {}, env)
    assert o.id is None and o.problem == "header" and o.header == "X-Remote-User"
    assert resolve_owner({}, {"X-Remote-User": "  "}, env).id is None


# ---- grid -------------------------------------------------------------------------------------------


def test_grid_shows_only_input_cells_and_unknown_as_blank():
    r = _report(**{"t3.received.natural_person": 12})
    g = build_grid(r, "table3")
    assert "总计" not in g.frame.columns
    assert not any("（七）总计" in x for x in g.frame["项目"])
    row = list(g.frame["项目"]).index("一、本年新收政府信息公开申请数量")
    assert g.frame.iloc[row]["自然人"] == "12"
    assert g.frame.iloc[row]["商业企业"] == ""
    assert len(g.keys) == len([c for c in r.fmt.table_cells("table3") if not c.derived])
    assert len(build_grid(r, "table2").frame) == len(r.fmt.table_cells("table2"))


def test_grid_edits_become_manual_updates_with_validation():
    r = _report(**{"t3.received.natural_person": 12})
    g = build_grid(r, "table3")
    row = list(g.frame["项目"]).index("一、本年新收政府信息公开申请数量")
    state = {"edited_rows": {row: {"自然人": "１３", "商业企业": "不适用", "科研机构": "0", "其他": "abc"}}}
    edited = apply_edit_state(g, state)
    updates, errors = grid_updates(r, g, edited)
    by_cell = {u.cell: u for u in updates}
    assert by_cell["t3.received.natural_person"].value == Decimal(13)
    assert by_cell["t3.received.business"].status == CellStatus.NOT_APPLICABLE
    assert by_cell["t3.received.research"].status == CellStatus.CONFIRMED_ZERO
    assert [e.cell for e in errors] == ["t3.received.other"]
    assert "不是数字" in errors[0].message and "表三" in errors[0].message
    res = apply_updates(r, updates, source="manual")
    assert res.report.cell("t3.received.natural_person").provenance.source == "manual"


def test_grid_negative_and_fraction_rejected_by_the_ledger():
    r = _report()
    spec = r.fmt.cell("t3.received.natural_person")
    ups = [parse_grid_value(spec, "-3"), parse_grid_value(spec, "2.5")]
    assert not any(isinstance(u, GridError) for u in ups)
    res = apply_updates(r, ups, source="manual")  # type: ignore[arg-type]
    assert not res.changes and len(res.rejected) == 2
    assert "负数" in res.rejected[0].reason and "整数" in res.rejected[1].reason


def test_grid_clear_sets_unknown_and_unchanged_cells_are_ignored():
    r = _report(**{"t4.review.upheld": 1})
    g = build_grid(r, "table4")
    assert grid_updates(r, g, g.frame)[0] == []
    edited = apply_edit_state(g, {"edited_rows": {0: {"结果维持": ""}}})
    updates, errors = grid_updates(r, g, edited)
    assert [(u.cell, u.status) for u in updates] == [("t4.review.upheld", CellStatus.UNKNOWN)] and not errors


# ---- diff / copy ------------------------------------------------------------------------------------


def test_diff_is_escaped_and_marks_changes():
    html = diff_html("本机关<b>依法</b>公开。", "本机关依法主动公开。", old_title="第1版", new_title="第2版<i>")
    assert "<b>" not in html and "&lt;b&gt;" in html and "<i>" not in html
    assert re.search(r"<ins>[^<]*主动[^<]*</ins>", html) and "<del>&lt;b&gt;" in html
    s = diff_stats("abc", "abxc")
    assert s.inserted == 1 and s.deleted == 0


def test_copy_bar_escapes_text_and_has_fallback():
    html = copy_bar_html([CopyItem("复制全文", "</textarea><script>alert(1)</script>")], key="k")
    assert "</textarea><script>alert(1)" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html
    assert "execCommand" in html and "isSecureContext" in html


# ---- progress ---------------------------------------------------------------------------------------


def test_progress_label_counts_cells_and_problems():
    r = _report(**{"t3.received.natural_person": 12, "t3.received.business": 3})
    findings = [
        Finding(rule="T3-1", severity="error", cells=["t3.received.total"], message="差1件"),
        Finding(rule="T3-2", severity="warning", cells=["t3.disclosed.total"], message="核对"),
    ]
    prog = {p.section_id: p for p in report_progress(r, findings)}
    t3 = prog["s3"]
    assert t3.total == 25 * 7
    assert t3.filled == 2  # the two cells; the total row is not computable yet
    assert t3.label() == "表三：已填 2/175，2 处不一致"
    assert prog["s1"].label() == "一、总体情况：未起草"


# ---- exports ----------------------------------------------------------------------------------------


def test_exports_are_valid_files():
    r = _report(**{"t3.received.natural_person": 12})
    files = {k: build_export(r, k) for k in EXPORT_KINDS}
    import docx

    doc = docx.Document(io.BytesIO(files["docx"].data))
    assert len(doc.tables) in (3, 4)  # 表三 may continue on the next page as a second table
    assert any("测试镇人民政府" in p.text for p in doc.paragraphs)
    back = report_from_json(json.loads(files["json"].data.decode("utf-8")))
    assert back.value("t3.received.natural_person") == 12
    assert back.cell("t3.received.business").status == CellStatus.UNKNOWN  # unknown stays unknown
    assert "测试镇人民政府" in files["md"].data.decode("utf-8")
    assert files["txt"].filename.endswith(".txt") and "\t" in files["txt"].data.decode("utf-8")


def test_export_warns_about_unknown_cells_and_failed_checks():
    r = _report(**{"t3.received.natural_person": 12})
    problems = export_problems(r, [Finding(rule="T3-1", severity="error", message="x")])
    assert any("未填" in p for p in problems) and any("不一致" in p for p in problems)
    text = export_warning_text(r, [])
    assert text and "仍可导出" in text


@pytest.mark.parametrize("agency", ["<img src=x onerror=alert(1)>镇", 'a/b:c*?"<>|镇'])
def test_export_file_names_are_safe(agency):
    r = Report(agency=agency, report_year=2024)
    name = build_export(r, "md").filename
    assert not any(ch in name for ch in '/\\:*?"<>|')


def test_streamed_model_text_is_escaped_chunk_by_chunk():
    from assistant.ui.textsafe import escape_stream

    chunks = ["![图](http://evil.", "example/i.png)<scr", "ipt>\n下一行"]
    out = "".join(escape_stream(chunks))
    assert "![" not in out and "](" not in out
    assert all(out[i - 1] == "\\" for i, ch in enumerate(out) if ch in "<[]()!")
    assert out.replace("\\", "").replace("  \n", "\n") == "".join(chunks)
