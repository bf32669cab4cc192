"""Fault suite, drafts addressed by id: two drafts with the same title, created in the same minute, never swap
under the clerk (Streamlit maps a selectbox label back to the first option with that label)."""

from __future__ import annotations

from test_app_flow import _app, _create_draft, _no_exception, _say, data_dir  # noqa: F401 - fixture

from assistant.store import DraftSummary, open_store
from assistant.ui.sidebar import draft_labels

TITLE_AGENCY = "同名测试镇人民政府"


def _summary(i: str, title: str, updated: str) -> DraftSummary:
    return DraftSummary(id=i, owner="local", title=title, created_at=updated, updated_at=updated, version=1)


def test_labels_are_unique_when_titles_and_minutes_clash():
    drafts = [
        _summary("aaaaaa111111", "同名", "2025-01-20T03:04:05+00:00"),
        _summary("bbbbbb222222", "同名", "2025-01-20T03:04:05+00:00"),
        _summary("cccccc333333", "另一份", "2025-01-20T03:04:05+00:00"),
    ]
    labels = draft_labels(drafts)
    assert len(set(labels.values())) == 3
    assert "aaaaaa" in labels["aaaaaa111111"] and "bbbbbb" in labels["bbbbbb222222"]
    assert "cccccc" not in labels["cccccc333333"]  # a unique title keeps the short label


def test_two_same_titled_drafts_in_two_tabs_keep_their_own_messages(data_dir):  # noqa: F811
    tab1 = _app().run()
    first = _create_draft(tab1, TITLE_AGENCY)
    tab2 = _app().run()
    second = _create_draft(tab2, TITLE_AGENCY)
    assert first != second

    _say(tab2, "本年新收政府信息公开申请7件")
    assert tab2.query_params["draft"] == second
    _say(tab1, "本年新收政府信息公开申请5件")
    assert tab1.query_params["draft"] == first
    _say(tab1, "其中自然人5件")
    _say(tab2, "其中自然人7件")
    assert tab1.query_params["draft"] == first and tab2.query_params["draft"] == second
    _no_exception(tab1)
    _no_exception(tab2)

    store = open_store(data_dir)
    texts = {d: [m.content for m in store.list_messages("local", d) if m.role == "user"] for d in (first, second)}
    assert texts[first] == ["本年新收政府信息公开申请5件", "其中自然人5件"]
    assert texts[second] == ["本年新收政府信息公开申请7件", "其中自然人7件"]
    assert store.get_draft("local", first).state.report.cell("t3.received.natural_person").value == 5
    assert store.get_draft("local", second).state.report.cell("t3.received.natural_person").value == 7
