"""Fault suite, text at the edges: terminal escapes, control characters and bidi overrides are cleaned where
text enters the ledger and the store, and no export fails on any Unicode string."""

from __future__ import annotations

import json
from io import BytesIO

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli import main
from assistant.conversation import ConversationState
from assistant.engine import ConversationEngine
from assistant.exporting import EXPORT_KINDS, build_export
from assistant.facts import AgencyLevel, CellFact, CellStatus, Report
from assistant.interchange import to_label_json
from assistant.render import FORMATS, render
from assistant.store import open_store
from assistant.textclean import clean_report, clean_text, clean_title

ENGINE = ConversationEngine()


def test_clean_text_removes_escapes_and_controls_keeps_tab_and_newline():
    assert clean_text("科研机构\x1b[31m2件\x1b[0m") == "科研机构2件"
    assert clean_text("第一页\x0c第二页\x0b行") == "第一页\n第二页\n行"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("铃\x07声\x00\x7f\x85\ud800\uffff") == "铃声\n"
    assert clean_text("表\t格\n") == "表\t格\n"
    assert clean_text("\x1b]0;title\x07正文") == "正文"


def test_clean_title_drops_bidi_overrides_and_line_breaks():
    assert clean_title("某镇\u202e府政民人\u202c 年报\n") == "某镇府政民人 年报"
    assert clean_title("\u2066同名\u2069\x0b测试") == "同名 测试"


def test_terminal_colour_code_is_removed_before_extraction():
    r = Report(agency="平阳县某局", level=AgencyLevel.COUNTY_DEPT, report_year=2023)
    state = ENGINE.start(r).state
    res = ENGINE.turn(state, "今年收到申请，其中科研机构\x1b[31m2件")
    fact = res.state.report.cell("t3.received.research")
    assert fact.status == CellStatus.VALUE and fact.value == 2


def test_ledger_and_store_receive_clean_text(tmp_path):
    report = Report(agency="某镇\x0b人民政府\u202e", report_year=2023, sections={"s1": "总体\x0c情况\x07"})
    assert report.agency == "某镇 人民政府" and report.sections["s1"] == "总体\n情况"
    store = open_store(str(tmp_path))
    draft = store.create_draft("u", "同名\u202e测试\x1b[1m", ConversationState(report=report))
    assert draft.title == "同名测试"
    msg = store.add_message("u", draft.id, "user", "自然人\x1b[31m5件\x0c")
    assert msg.content == "自然人5件\n"
    assert [m.content for m in store.list_messages("u", draft.id)][-1] == "自然人5件\n"


def _dirty_report(agency: str, section: str) -> Report:
    """A report whose text bypassed the ledger's validators (model_copy), as older stored drafts may."""
    base = Report(
        agency="某镇人民政府",
        level=AgencyLevel.TOWNSHIP,
        report_year=2023,
        cells={"t3.received.natural_person": CellFact(status=CellStatus.VALUE, value=3)},
    )
    return base.model_copy(update={"agency": agency, "sections": {"s1": section, "s5": section, "s6": section}})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agency=st.text(max_size=40), section=st.text(max_size=200))
def test_every_export_succeeds_on_any_unicode(agency, section):
    report = _dirty_report(agency, section)
    for to in FORMATS:
        out = render(report, to)
        data = out if isinstance(out, bytes) else out.encode("utf-8")
        assert data
        if to == "docx":
            docx.Document(BytesIO(data))  # Word can open it
    for kind in EXPORT_KINDS:
        assert build_export(report, kind).data


@settings(max_examples=30, deadline=None)
@given(agency=st.text(max_size=40), section=st.text(max_size=100))
def test_validated_reports_are_already_clean(agency, section):
    report = Report(agency=agency, sections={"s1": section})
    assert clean_report(report) is report


def test_render_docx_cli_never_exits_3_for_control_characters(tmp_path, capsys):
    report = _dirty_report("某镇\x0b人民\x07政府", "第一段\x0c第二段\x1b[31m")
    src = tmp_path / "facts.json"
    src.write_text(json.dumps(to_label_json(report), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "年报.docx"
    assert main(["render", str(src), "--to", "docx", "-o", str(out), "--allow-draft"]) == 0
    text = "\n".join(p.text for p in docx.Document(BytesIO(out.read_bytes())).paragraphs)
    assert "第一段\n第二段" in text or "第一段" in text and "第二段" in text
    assert "\x1b" not in text and "\x07" not in text
