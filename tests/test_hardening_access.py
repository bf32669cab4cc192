"""Access: drafts belong to their owner. Unguessable ids, no listing or touching another owner's drafts, and
the identity modes (OIDC via st.user, a trusted reverse-proxy header when configured, else local single-user)."""

from __future__ import annotations

import re

import pytest

from assistant.conversation import ConversationState
from assistant.facts import Report
from assistant.store import DraftNotFound, NewSectionVersion, new_draft_id, open_store
from assistant.ui.identity import LOCAL_OWNER, PROXY_ENV, resolve_owner

ALICE, BOB = "oidc:alice@example.gov.cn", "oidc:bob@example.gov.cn"


def _state(agency: str) -> ConversationState:
    return ConversationState(report=Report(agency=agency, report_year=2023))


def test_draft_ids_are_unguessable():
    ids = [new_draft_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for i in ids[:50]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{24,}", i)  # ≥ 144 random bits, URL-safe
    assert len({i[:4] for i in ids}) > 1000  # no common prefix or counter


def test_store_ids_are_random_not_sequential(db_url):
    store = open_store(url=db_url)
    a = store.create_draft(ALICE, "a", _state("甲"))
    b = store.create_draft(ALICE, "b", _state("乙"))
    assert a.id != b.id and not a.id.isdigit() and len(a.id) >= 24
    store.close()


def test_no_listing_reading_or_writing_of_another_owners_draft(db_url):
    """On both backends (SQLite and PostgreSQL)."""
    store = open_store(url=db_url)
    mine = store.create_draft(
        ALICE,
        "甲镇年报",
        _state("甲镇人民政府"),
        section_versions=[NewSectionVersion("s1", "甲镇正文", "clerk", "manual")],
    )
    store.add_message(ALICE, mine.id, "user", "甲镇的消息")
    other = store.create_draft(BOB, "乙局年报", _state("乙局"))
    assert [d.id for d in store.list_drafts(ALICE)] == [mine.id]
    assert [d.id for d in store.list_drafts(BOB)] == [other.id]
    assert store.list_drafts("") == [] and store.list_drafts("oidc:") == []

    attempts = [
        lambda: store.get_draft(BOB, mine.id),
        lambda: store.list_messages(BOB, mine.id),
        lambda: store.unprocessed_messages(BOB, mine.id),
        lambda: store.list_fact_events(BOB, mine.id),
        lambda: store.list_section_versions(BOB, mine.id),
        lambda: store.add_message(BOB, mine.id, "user", "越权写入"),
        lambda: store.save_state(BOB, mine.id, _state("篡改"), expected_version=mine.version),
        lambda: store.rename_draft(BOB, mine.id, "篡改"),
        lambda: store.set_section_lock(BOB, mine.id, "s1", True),
        lambda: store.is_section_locked(BOB, mine.id, "s1"),
        lambda: store.mark_processed(BOB, mine.id, 1),
        lambda: store.delete_draft(BOB, mine.id),
        lambda: store.get_draft("", mine.id),
        lambda: store.get_draft(ALICE.upper(), mine.id),
    ]
    for attempt in attempts:
        with pytest.raises(DraftNotFound) as e:
            attempt()
        assert "找不到" in str(e.value) and "乙" not in str(e.value)  # same answer as for a missing id
    with pytest.raises(DraftNotFound) as missing:
        store.get_draft(ALICE, new_draft_id())
    assert str(missing.value) == str(e.value)  # another owner's draft is indistinguishable from no draft

    after = store.get_draft(ALICE, mine.id)  # untouched by every attempt
    assert after.version == mine.version + 0 and after.title == "甲镇年报"
    assert [m.content for m in store.list_messages(ALICE, mine.id)] == ["甲镇的消息"]
    assert not store.is_section_locked(ALICE, mine.id, "s1")
    store.close()


# ---- identity modes -----------------------------------------------------------------------------------
def test_oidc_user_is_the_owner():
    o = resolve_owner({"is_logged_in": True, "email": "alice@example.gov.cn", "name": "张三"}, {}, {})
    assert (o.id, o.mode, o.display) == ("oidc:alice@example.gov.cn", "oidc", "张三")


def test_oidc_configured_but_not_logged_in_has_no_owner():
    o = resolve_owner({"is_logged_in": False}, {"X-Remote-User": "alice"}, {PROXY_ENV: "X-Remote-User"})
    assert o.id is None and o.problem == "login"  # OIDC wins; a header cannot stand in for a login


def test_oidc_user_without_any_identifier_has_no_owner():
    assert resolve_owner({"is_logged_in": True}, {}, {}).id is None


def test_trusted_proxy_header_when_configured():
    o = resolve_owner({}, {"X-Remote-User": "wangwu"}, {PROXY_ENV: "X-Remote-User"})
    assert (o.id, o.mode) == ("proxy:wangwu", "proxy")


@pytest.mark.parametrize("headers", [None, {}, {"X-Remote-User": ""}, {"X-Remote-User": "   "}, {"Other": "x"}])
def test_missing_proxy_header_never_falls_back_to_the_shared_local_owner(headers):
    o = resolve_owner({}, headers, {PROXY_ENV: "X-Remote-User"})
    assert o.id is None and o.problem == "header" and o.header == "X-Remote-User"


def test_a_header_is_ignored_unless_the_proxy_mode_is_configured():
    o = resolve_owner({}, {"X-Remote-User": "mallory"}, {})
    assert (o.id, o.mode) == (LOCAL_OWNER, "local")


def test_owner_namespaces_do_not_collide():
    spoof = resolve_owner({}, {"X-Remote-User": "oidc:alice@example.gov.cn"}, {PROXY_ENV: "X-Remote-User"})
    real = resolve_owner({"is_logged_in": True, "email": "alice@example.gov.cn"}, {}, {})
    assert spoof.id != real.id and spoof.id != LOCAL_OWNER


def test_overlong_header_values_are_cut():
    o = resolve_owner({}, {"X-Remote-User": "a" * 10_000}, {PROXY_ENV: "X-Remote-User"})
    assert o.id is not None and len(o.id) <= 300


# ---- the app ------------------------------------------------------------------------------------------
def _app(tmp_path, monkeypatch, **env):  # noqa: ANN001, ANN003, ANN202
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)


def test_app_with_proxy_mode_and_no_header_shows_nothing(tmp_path, monkeypatch):
    store = open_store(tmp_path)
    secret = store.create_draft(LOCAL_OWNER, "本机草稿", _state("甲镇人民政府"))
    store.close()
    at = _app(tmp_path, monkeypatch, **{PROXY_ENV: "X-Remote-User"})
    at.query_params["draft"] = secret.id
    at.run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "无法确认您的身份" in shown and "Remote" in shown
    page = " ".join(str(m.value) for m in at.markdown) + " ".join(str(s.options) for s in at.selectbox)
    assert "甲镇" not in page and "本机草稿" not in page


def test_app_does_not_open_another_owners_draft_by_link(tmp_path, monkeypatch):
    store = open_store(tmp_path)
    theirs = store.create_draft("proxy:bob", "乙局年报", _state("乙局"))
    store.close()
    at = _app(tmp_path, monkeypatch)  # local mode: owner "local"
    at.query_params["draft"] = theirs.id
    at.run()
    assert not at.exception
    assert any("找不到" in e.value for e in at.error)
    page = " ".join(str(m.value) for m in at.markdown) + " ".join(str(s.options) for s in at.selectbox)
    assert "乙局" not in page
