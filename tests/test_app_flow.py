"""AppTest flows of app.py: a clerk's whole session, a reviewer's work, and a server restart.

Runs the real app script with the real engine, checks, drafting and renderers against a temporary data dir.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.checks import run_checks
from assistant.exporting import build_export
from assistant.facts import AgencyLevel, CellStatus
from assistant.interchange import report_from_json
from assistant.service import ROLE_CLERK, DraftService
from assistant.store import SectionLocked, open_store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
AGENCY = "测试镇人民政府"
MSG_RECEIVED = "本年新收政府信息公开申请15件，其中自然人12件，商业企业3件，其他类型都没有；上年结转0件。"
MSG_RESULTS = "予以公开：自然人10件，商业企业3件。结转下年度0件，其余办理结果都是0。"
MSG_FIX = "更正：予以公开的自然人是12件，商业企业是3件。"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ASSISTANT_TRUST_PROXY_HEADER", raising=False)
    yield tmp_path / "data"
    _restart_store()


def _restart_store() -> None:
    """Close the cached store and forget it, as a server restart would."""
    from assistant.ui.context import _store_for

    try:
        from assistant.ui.context import get_store

        get_store().close()
    except Exception:  # noqa: BLE001 - nothing cached yet
        pass
    _store_for.clear()


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if "意外错误" in e.value], "the page script failed (see the log)"


def _create_draft(at: AppTest, agency: str = AGENCY, year: int = 2024) -> str:
    at.text_input(key="new_agency").set_value(agency)
    at.selectbox(key="new_level").set_value(AgencyLevel.TOWNSHIP)
    at.number_input(key="new_year").set_value(year)
    next(b for b in at.button if b.label == "创建草稿").click()
    at.run()
    _no_exception(at)
    return at.query_params["draft"]


def _say(at: AppTest, text: str) -> str:
    at.chat_input(key="chat_input").set_value(text).run()
    _no_exception(at)
    return "\n".join(m.value for m in at.chat_message[-1].markdown)


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.html)


def _cell(at: AppTest, key: str) -> tuple[str, str]:
    """(classes, text) of a value cell in the preview."""
    m = re.search(rf'<td class="([^"]*)" data-cell="{re.escape(key)}"[^>]*>([^<]*)</td>', _html(at))
    assert m, f"cell {key} not in preview"
    return m.group(1), m.group(2)


def _service(data_dir) -> tuple[DraftService, object]:
    store = open_store(data_dir)
    return DraftService(store, "local", role=ROLE_CLERK), store


def test_empty_start_shows_welcome(data_dir):
    at = _app().run()
    _no_exception(at)
    assert "还没有打开草稿" in _html(at)
    assert any("欢迎使用年报助手" in m.value for m in at.markdown)


def test_clerk_and_reviewer_session_end_to_end(data_dir):
    at = _app().run()
    draft_id = _create_draft(at)
    assert len(draft_id) >= 24
    assert [m.name for m in at.chat_message] == ["assistant"]  # the greeting

    # facts through the chat → preview shows them
    reply = _say(at, MSG_RECEIVED)
    assert "已记录" in reply and "自然人12件" in reply
    assert _cell(at, "t3.received.natural_person")[1] == "12"
    assert _cell(at, "t3.received.business")[1] == "3"
    assert "cell-unknown" in _cell(at, "t3.disclosed.natural_person")[0]

    # a contradiction is reported, quoted with numbers, and highlighted
    reply = _say(at, MSG_RESULTS)
    assert "差" in reply and "请核对" in reply
    svc, store = _service(data_dir)
    errors = [f for f in run_checks(svc.open(draft_id).state.report) if f.severity == "error"]
    assert errors and errors[0].message in reply  # the reply quotes the finding
    flagged = [c for c in errors[0].cells if "cell-flagged" in _cell(at, c)[0]]
    assert "t3.received.natural_person" in flagged
    assert re.search(r"表三.{0,40}处不一致", _html(at))
    assert any("不一致" in h.proto.body and "T3" in h.proto.body for h in at.html)  # review checklist

    # corrected → consistent again
    reply = _say(at, MSG_FIX)
    assert "已更正" in reply
    assert _cell(at, "t3.disclosed.natural_person")[1] == "12"
    assert "cell-flagged" not in _cell(at, "t3.received.natural_person")[0]
    assert not [f for f in run_checks(svc.open(draft_id).state.report) if f.severity == "error"]

    # regenerate section 一 with an instruction
    before = len(svc.section_versions(draft_id, "s1"))
    at.text_input(key="instr_s1").set_value("压缩到300字")
    at.button(key="regen_s1").click().run()
    _no_exception(at)
    versions = svc.section_versions(draft_id, "s1")
    assert len(versions) == before + 1
    assert versions[-1].instruction == "压缩到300字" and versions[-1].origin == "offline"
    text = svc.open(draft_id).state.report.sections["s1"]
    assert text == versions[-1].text
    assert any("已生成新版本" in e.value for e in [*at.success, *at.toast])  # flashed as a toast
    if len(re.sub(r"\s", "", text)) > 300:  # facts too many to fit: the drafter says so instead of dropping them
        assert any("300" in i.value for i in at.info)

    # lock as reviewer: the button is disabled and the function refuses too
    at.segmented_control(key="role").set_value("reviewer").run()
    at.button(key="lock_s1").click().run()
    _no_exception(at)
    assert store.is_section_locked("local", draft_id, "s1")
    assert at.button(key="regen_s1").disabled
    with pytest.raises(SectionLocked):
        svc.regenerate_offline(draft_id, "s1", instruction="再改一次")
    assert len(svc.section_versions(draft_id, "s1")) == before + 1

    # exports built by the export functions are valid
    report = svc.open(draft_id).state.report
    import docx

    document = docx.Document(io.BytesIO(build_export(report, "docx").data))
    assert len(document.tables) in (3, 4)  # 表三 may continue on the next page as a second table
    back = report_from_json(json.loads(build_export(report, "json").data))
    assert back.value("t3.received.natural_person") == 12
    assert back.value("t3.disclosed.natural_person") == 12
    assert back.cell("t4.review.upheld").status in (CellStatus.UNKNOWN, CellStatus.CONFIRMED_ZERO, CellStatus.VALUE)
    labels = [d.label for d in at.get("download_button")]
    assert any("Word" in lab for lab in labels) and any("JSON" in lab for lab in labels)
    store.close()

    # restart: a new app on the same data dir with the draft id in the URL finds everything
    _restart_store()
    again = _app()
    again.query_params["draft"] = draft_id
    again.run()
    _no_exception(again)
    user_texts = [m.markdown[0].value for m in again.chat_message if m.name == "user"]
    assert len(user_texts) == 3 and "15件" in user_texts[0]
    assert _cell(again, "t3.disclosed.natural_person")[1] == "12"
    assert AGENCY in _html(again)


def test_unknown_draft_link_gives_message_not_traceback(data_dir):
    at = _app()
    at.query_params["draft"] = "no-such-draft"
    at.run()
    _no_exception(at)
    assert any("找不到这份草稿" in e.value for e in at.error)


def test_markup_in_agency_and_message_renders_as_text(data_dir):
    evil = '<img src=x onerror="alert(1)">**镇**[链接](http://evil.example)'
    at = _app().run()
    _create_draft(at, agency=evil)
    _say(at, "<script>alert('x')</script> 本年新收申请![img](http://evil.example/a.png)")
    html = _html(at)
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "&lt;img src=x" in html  # the header shows the name as text
    user_md = [m.markdown[0].value for m in at.chat_message if m.name == "user"][0]
    assert "\\<script\\>" in user_md and "\\!\\[img\\]" in user_md
    for m in at.markdown:
        assert "](http://evil.example" not in m.value.replace("\\]", "")


def test_grid_edit_is_validated_and_marked_manual(data_dir):
    at = _app().run()
    draft_id = _create_draft(at)
    svc, store = _service(data_dir)
    draft = svc.open(draft_id)
    editor_key = f"grid_table3_{draft_id}_{draft.version}"
    at.session_state[editor_key] = {
        "edited_rows": {0: {"自然人": "7", "商业企业": "abc"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="grid_save_table3").click().run()
    _no_exception(at)
    report = svc.open(draft_id).state.report
    assert report.value("t3.received.natural_person") == 7
    assert report.cell("t3.received.natural_person").provenance.source == "manual"
    assert report.cell("t3.received.business").status == CellStatus.UNKNOWN
    warnings = [w.value for w in at.warning]
    assert any("商业企业" in w and "不是数字" in w for w in warnings)
    assert _cell(at, "t3.received.natural_person")[1] == "7"
    events = store.list_fact_events("local", draft_id, "t3.received.natural_person")
    assert events[-1].source == "manual"

    # a negative number is refused with a Chinese message and nothing changes
    draft = svc.open(draft_id)
    at.session_state[f"grid_table3_{draft_id}_{draft.version}"] = {
        "edited_rows": {0: {"自然人": "-2"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="grid_save_table3").click().run()
    assert any("不能为负数" in e.value for e in at.error)
    assert svc.open(draft_id).state.report.value("t3.received.natural_person") == 7
    store.close()


def test_proxy_header_required_shows_message_and_no_drafts(data_dir, monkeypatch):
    at = _app().run()
    _create_draft(at)
    monkeypatch.setenv("ASSISTANT_TRUST_PROXY_HEADER", "X-Remote-User")
    other = _app().run()
    _no_exception(other)
    assert any("缺少" in e.value and "Remote" in e.value for e in other.error)
    assert AGENCY not in _html(other)
    assert not other.chat_message


def test_delete_needs_confirmation(data_dir):
    at = _app().run()
    draft_id = _create_draft(at)
    at.button(key="delete_btn").click().run()
    assert any("无法恢复" in w.value for w in at.warning)
    svc, store = _service(data_dir)
    assert [d.id for d in svc.list_drafts()] == [draft_id]
    at.button(key="delete_yes").click().run()
    _no_exception(at)
    assert svc.list_drafts() == []
    assert "draft" not in at.query_params
    store.close()


def test_duplicate_as_next_year_and_import_pasted_json(data_dir):
    at = _app().run()
    draft_id = _create_draft(at, year=2023)
    _say(at, MSG_RECEIVED)
    at.button(key="dup_btn").click().run()
    _no_exception(at)
    new_id = at.query_params["draft"]
    assert new_id != draft_id
    svc, store = _service(data_dir)
    new = svc.open(new_id).state.report
    assert new.report_year == 2024 and new.last_year and new.last_year.report_year == 2023
    assert new.cell("t3.received.natural_person").status == CellStatus.UNKNOWN

    # import the facts JSON exported from the first draft as a new draft of the same year
    exported = build_export(svc.open(draft_id).state.report, "json").data.decode("utf-8")
    at.text_area(key="import_paste").set_value(exported)
    at.button(key="import_parse").click().run()
    _no_exception(at)
    at.button(key="import_as_new").click().run()
    _no_exception(at)
    imported = svc.open(at.query_params["draft"]).state.report
    assert imported.value("t3.received.natural_person") == 12
    assert imported.cell("t3.received.natural_person").provenance.source == "import"
    assert len(svc.list_drafts()) == 3
    store.close()


def test_unreadable_import_is_refused_and_nothing_saved(data_dir):
    at = _app().run()
    _create_draft(at)
    svc, store = _service(data_dir)
    n = len(svc.list_drafts())
    at.text_area(key="import_paste").set_value("这不是年报，只是一句话。")
    at.button(key="import_parse").click().run()
    _no_exception(at)
    assert at.error and "无法导入" in at.error[0].value
    assert len(svc.list_drafts()) == n
    store.close()


def _upload_page(name: str, size: int, content: bytes) -> None:
    """A one-widget page that feeds a fake uploaded file to the sidebar's import reader."""
    import streamlit as st

    from assistant.ui.sidebar import _parse_import

    class Upload:
        def __init__(self) -> None:
            self.name = name

        def getvalue(self) -> bytes:
            return content if size <= len(content) else content + b" " * (size - len(content))

    _parse_import(Upload(), "", None)
    held = st.session_state.get("import_result")
    st.write("read" if held else "nothing")


@pytest.mark.parametrize(
    ("name", "size", "content", "expected"),
    [
        ("big.txt", -1, "一、总体情况".encode(), "超过{limit}MB"),  # -1: one MB over the server's limit
        ("report.docx", 0, b"this is not a zip file at all", "docx"),
        ("report.exe", 0, b"MZ", "不支持这种文件类型"),
    ],
)
def test_bad_uploads_give_clear_messages_and_save_nothing(data_dir, name, size, content, expected):
    from assistant.ui.context import upload_limit_mb

    if size == -1:
        size = (upload_limit_mb() + 1) * 1024 * 1024
        expected = expected.format(limit=upload_limit_mb())
    at = AppTest.from_function(_upload_page, args=(name, size, content), default_timeout=30).run()
    assert not at.exception
    assert at.error, "expected an error message"
    assert expected in at.error[0].value or expected.lower() in at.error[0].value.lower()
    assert "Traceback" not in at.error[0].value
    assert [m.value for m in at.markdown] == ["nothing"]


def test_interrupted_message_is_shown_and_can_be_rerun(data_dir):
    at = _app().run()
    draft_id = _create_draft(at)
    svc, store = _service(data_dir)
    store.add_message("local", draft_id, "user", MSG_RECEIVED)  # saved, then the server died mid-turn
    at.run()
    _no_exception(at)
    assert any("尚未处理" in i.value for i in at.info)
    reprocess = next(b for b in at.button if b.key and b.key.startswith("reprocess_"))
    reprocess.click().run()
    _no_exception(at)
    assert svc.unprocessed(draft_id) == []
    assert svc.open(draft_id).state.report.value("t3.received.natural_person") == 12
    assert "已记录" in at.chat_message[-1].markdown[0].value
    store.close()


def test_reviewer_compares_and_restores_versions(data_dir):
    at = _app().run()
    draft_id = _create_draft(at)
    at.segmented_control(key="role").set_value("reviewer").run()
    at.button(key="regen_s5").click().run()
    at.text_input(key="instr_s5").set_value("语气更正式")
    at.button(key="regen_s5").click().run()
    _no_exception(at)
    svc, store = _service(data_dir)
    versions = svc.section_versions(draft_id, "s5")
    assert len(versions) >= 2
    diff = [h.proto.body for h in at.html if 'class="nb-diff"' in h.proto.body]
    assert diff and f"第{versions[-2].version_no}版" in diff[0]
    at.button(key="restore_s5").click().run()
    _no_exception(at)
    after = svc.section_versions(draft_id, "s5")
    assert after[-1].origin == "restore" and after[-1].text == versions[-2].text
    assert svc.open(draft_id).state.report.sections["s5"] == versions[-2].text
    store.close()


def test_import_last_years_report_starts_this_years_draft(data_dir):
    pasted = (Path(__file__).parent / "fixtures" / "import" / "paste_2021_one_per_line.txt").read_text("utf-8")
    at = _app().run()
    at.text_area(key="import_paste").set_value(pasted)
    at.button(key="import_parse").click().run()
    _no_exception(at)
    assert any("2023年度" in s.value for s in at.success)
    at.button(key="import_as_next").click().run()
    _no_exception(at)
    svc, store = _service(data_dir)
    report = svc.open(at.query_params["draft"]).state.report
    assert report.report_year == 2024 and report.last_year is not None and report.last_year.report_year == 2023
    assert report.cell("t3.received.natural_person").status == CellStatus.UNKNOWN  # nothing invented
    first = [m.markdown[0].value for m in at.chat_message]
    assert "2023年度" in first[0]  # the note says where the draft came from
    assert any("去年" in t for t in first[1:])  # the engine proposes last year's baselines
    store.close()
