"""A new user's first hour (AppTest): start by chatting on the first screen; the form is the other way in.

Runs the real app script with the real offline engine against an empty temporary data dir.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.facts import AgencyLevel
from assistant.store import open_store

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ASSISTANT_TRUST_PROXY_HEADER", raising=False)
    yield tmp_path / "data"
    from assistant.ui.context import _store_for, get_store

    try:
        get_store().close()
    except Exception:  # noqa: BLE001 - nothing cached
        pass
    _store_for.clear()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if "意外错误" in e.value]


def _say(at: AppTest, text: str) -> str:
    at.chat_input(key="chat_input").set_value(text).run()
    _ok(at)
    return "\n".join(m.value for m in at.chat_message[-1].markdown)


def _stored(data_dir: Path, draft_id: str):
    store = open_store(data_dir)
    try:
        return store.get_draft("local", draft_id), store.list_messages("local", draft_id)
    finally:
        store.close()


def test_first_screen_has_the_chat_box_and_no_draft(data_dir):
    at = AppTest.from_file(APP, default_timeout=60).run()
    _ok(at)
    assert len(at.chat_input) == 1 and at.chat_input[0].key == "chat_input"
    assert at.chat_message[0].name == "assistant" and "单位全称" in at.chat_message[0].markdown[0].value
    assert "draft" not in at.query_params
    assert not (data_dir / "assistant.sqlite3").exists() or not open_store(data_dir).list_drafts("local")


def test_first_message_with_agency_and_year_creates_the_draft(data_dir):
    at = AppTest.from_file(APP, default_timeout=60).run()
    first = "要起草2023年度的年报，单位全称是平阳县萧江镇人民政府。今年共收到申请15件，其中自然人12件，商业企业3件。"
    _say(at, first)
    draft_id = at.query_params["draft"]
    draft, messages = _stored(data_dir, draft_id)
    report = draft.state.report
    assert (report.agency, report.report_year, report.level) == ("平阳县萧江镇人民政府", 2023, AgencyLevel.TOWNSHIP)
    assert report.value("t3.received.natural_person") == 12
    assert [m.content for m in messages if m.role == "user"] == [first]
    assert all(m.processed for m in messages if m.role == "user")
    at.run()
    _ok(at)
    assert any("2023年度" in h.proto.body and "平阳县萧江镇人民政府" in h.proto.body for h in at.html)


def test_missing_year_is_asked_and_the_message_is_kept(data_dir):
    at = AppTest.from_file(APP, default_timeout=60).run()
    first = "我是萧江镇党政办的，今年共收到申请15件，其中自然人12件，商业企业3件。"
    reply = _say(at, first)
    assert "draft" not in at.query_params
    assert "哪一年度" in reply and "萧江镇" in reply
    assert [m.name for m in at.chat_message] == ["assistant", "user", "assistant"]
    at.run()  # an unrelated rerun keeps what was typed
    assert any(first in m.value for msg in at.chat_message for m in msg.markdown)
    _say(at, "2023年度")
    draft, messages = _stored(data_dir, at.query_params["draft"])
    report = draft.state.report
    assert (report.agency, report.report_year) == ("萧江镇", 2023)
    assert report.value("t3.received.total") == 15  # the kept first message was recorded
    assert [m.content for m in messages if m.role == "user"] == [first, "2023年度"]


def test_nothing_said_about_identity_asks_for_both(data_dir):
    at = AppTest.from_file(APP, default_timeout=60).run()
    reply = _say(at, "你好")
    assert "单位全称" in reply and "报告年度" in reply
    assert "draft" not in at.query_params


def test_form_has_no_default_year_so_the_year_said_in_chat_is_taken(data_dir):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.number_input(key="new_year").value is None
    at.text_input(key="new_agency").set_value("萧江镇人民政府")
    next(b for b in at.button if b.label == "创建草稿").click()
    at.run()
    _ok(at)
    draft_id = at.query_params["draft"]
    assert _stored(data_dir, draft_id)[0].state.report.report_year is None
    _say(at, "写2023年度的年报")
    assert _stored(data_dir, draft_id)[0].state.report.report_year == 2023


def test_a_message_that_cannot_be_read_is_kept_and_sent_later(data_dir, monkeypatch):
    import assistant.ui.firstscreen as firstscreen

    real = firstscreen.read_message
    calls = {"n": 0}

    def flaky(intake, text, engine):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("engine bug")
        return real(intake, text, engine)

    monkeypatch.setattr(firstscreen, "read_message", flaky)
    at = AppTest.from_file(APP, default_timeout=60).run()
    first = "今年共收到申请15件，其中自然人12件，商业企业3件。"
    reply = _say(at, first)
    assert "暂时没能读取" in reply and "draft" not in at.query_params
    _say(at, "我是萧江镇党政办的，写2023年度年报")
    draft, messages = _stored(data_dir, at.query_params["draft"])
    assert [m.content for m in messages if m.role == "user"] == [first, "我是萧江镇党政办的，写2023年度年报"]
    assert draft.state.report.value("t3.received.natural_person") == 12
