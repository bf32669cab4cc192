"""Fault suite, limits in our own words: Streamlit's limits equal our checks, text widgets never drop a long
paste silently (no ``max_chars``), and the clerk reads our Chinese message, with the text kept."""

from __future__ import annotations

import tomllib
from pathlib import Path

from test_app_flow import _app, _create_draft, _no_exception, data_dir  # noqa: F401 - fixture

from assistant.store import open_store
from assistant.ui.inputlimits import (
    MAX_AGENCY_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_TITLE_CHARS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
)

ROOT = Path(__file__).resolve().parents[1]


def test_streamlit_upload_limit_equals_ours():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1024 * 1024


def test_uploader_has_our_note_next_to_streamlits_english_refusal(data_dir):  # noqa: F811
    at = _app().run()
    _no_exception(at)
    notes = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes
    assert f"不能超过{MAX_UPLOAD_MB}MB" in notes and f"File must be {MAX_UPLOAD_MB}.0MB or smaller" in notes


def test_overlong_chat_message_gets_our_message_and_is_kept_on_screen(data_dir):  # noqa: F811
    at = _app().run()
    draft_id = _create_draft(at)
    assert at.chat_input(key="chat_input").proto.max_chars == 0  # the browser never drops a paste
    text = "本年新收自然人申请5件。" * (MAX_MESSAGE_CHARS // 10)
    assert len(text) > MAX_MESSAGE_CHARS
    at.chat_input(key="chat_input").set_value(text).run()
    _no_exception(at)
    assert any(f"{len(text)}字" in w.value and f"{MAX_MESSAGE_CHARS}字" in w.value for w in at.warning)
    assert any(c.value == text for c in at.code)  # kept, to copy and send in parts
    store = open_store(data_dir)
    assert [m.content for m in store.list_messages("local", draft_id) if m.role == "user"] == []
    assert store.get_draft("local", draft_id).state.report.cell("t3.received.natural_person").value is None


def test_overlong_agency_name_gets_our_message_not_an_empty_field(data_dir):  # noqa: F811
    at = _app().run()
    field = at.text_input(key="new_agency")
    assert field.proto.max_chars == 0
    name = "某" * (MAX_AGENCY_CHARS + 1)
    field.set_value(name)
    next(b for b in at.button if b.label == "创建草稿").click()
    at.run()
    _no_exception(at)
    assert any(f"{MAX_AGENCY_CHARS + 1}字" in e.value and f"{MAX_AGENCY_CHARS}字" in e.value for e in at.error)
    assert "draft" not in at.query_params
    assert at.text_input(key="new_agency").value == name  # what the clerk typed stays in the field


def test_overlong_draft_title_is_refused_in_our_words_not_cut(data_dir):  # noqa: F811
    at = _app().run()
    draft_id = _create_draft(at)
    before = open_store(data_dir).get_draft("local", draft_id).title
    assert at.text_input(key=f"rename_title_{draft_id}").proto.max_chars == 0
    at.text_input(key=f"rename_title_{draft_id}").set_value("某" * (MAX_TITLE_CHARS + 1))
    at.button(key="rename_btn").click().run()
    _no_exception(at)
    assert any(f"{MAX_TITLE_CHARS + 1}字" in e.value for e in at.error)
    assert open_store(data_dir).get_draft("local", draft_id).title == before
    assert any(b.key == "dup_btn" for b in at.button)  # the other draft actions stay on screen
