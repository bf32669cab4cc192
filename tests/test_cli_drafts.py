"""The command line on the store: ``drafts`` lists what the app saved; ``export``/``render``/``check`` take an id."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.commands import load_source, looks_like_draft_id
from assistant.conversation import ConversationState
from assistant.facts import AgencyLevel, FactUpdate, Report, apply_updates
from assistant.store import open_store


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(d))
    return d


def _save(data_dir, owner: str, agency: str, year: int, received: int | None = None) -> str:
    report = Report(agency=agency, level=AgencyLevel.TOWNSHIP, report_year=year)
    if received is not None:
        report = apply_updates(report, [FactUpdate(cell="t3.received.natural_person", value=received,
                                                   evidence=f"自然人{received}件")], source="message").report
    store = open_store(data_dir)
    try:
        return store.create_draft(owner, f"{agency}{year}年度年报", ConversationState(report=report)).id
    finally:
        store.close()


def test_drafts_lists_every_owner_with_agency_and_year(data_dir, capsys):
    a = _save(data_dir, "local", "萧江镇人民政府", 2023)
    b = _save(data_dir, "proxy:zhang", "平阳县市场监督管理局", 2024)
    assert main(["drafts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["用户", "编号", "单位", "年度", "更新时间"]
    rows = {line.split()[1]: line.split() for line in lines[1:]}
    assert rows[a][:4] == ["local", a, "萧江镇人民政府", "2023"]
    assert rows[b][:4] == ["proxy:zhang", b, "平阳县市场监督管理局", "2024"]
    assert [line.split()[1] for line in lines[1:]] == [b, a]  # most recently changed first


def test_drafts_json_and_owner_filter(data_dir, capsys):
    _save(data_dir, "local", "萧江镇人民政府", 2023)
    b = _save(data_dir, "proxy:zhang", "平阳县市场监督管理局", 2024)
    assert main(["drafts", "--json", "--owner", "proxy:zhang"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["owner"], d["id"], d["agency"], d["year"]) for d in data] == [
        ("proxy:zhang", b, "平阳县市场监督管理局", 2024)
    ]
    assert data[0]["updated"]


def test_drafts_on_an_empty_data_dir_creates_nothing(data_dir, capsys):
    assert main(["drafts"]) == 0
    assert "还没有草稿" in capsys.readouterr().out
    assert not data_dir.exists()


def test_export_by_draft_id_writes_the_stored_facts(data_dir, tmp_path, capsys):
    draft_id = _save(data_dir, "local", "萧江镇人民政府", 2023, received=7)
    out = tmp_path / "facts.json"
    assert main(["export", draft_id, "-o", str(out)]) == 0
    facts = json.loads(out.read_text(encoding="utf-8"))
    assert facts["agency"] == "萧江镇人民政府" and facts["report_year"] == 2023
    assert facts["table3"]["一、本年新收政府信息公开申请数量"]["自然人"] == 7
    assert main(["export", draft_id, "--draft"]) == 0
    assert json.loads(capsys.readouterr().out)["cells"]["t3.received.natural_person"]["value"] in (7, "7")


def test_render_and_check_accept_a_draft_id(data_dir, capsys):
    draft_id = _save(data_dir, "local", "萧江镇人民政府", 2023, received=7)
    assert main(["render", draft_id, "--to", "md", "--allow-draft"]) == 0  # an unfinished draft, rendered as one
    assert "# 萧江镇人民政府2023年" in capsys.readouterr().out
    assert main(["check", draft_id]) in (0, 1)  # findings are the checks' business; reading by id is ours
    assert "萧江镇人民政府" in capsys.readouterr().out


def test_unknown_id_is_a_chinese_error(data_dir, capsys):
    _save(data_dir, "local", "萧江镇人民政府", 2023)
    assert main(["export", "NoSuchDraftId12345"]) == 2
    err = capsys.readouterr().err
    assert "找不到文件“NoSuchDraftId12345”" in err and "没有这个编号的草稿" in err


def test_a_file_wins_over_an_id_and_paths_are_never_ids(data_dir, tmp_path, monkeypatch):
    draft_id = _save(data_dir, "local", "萧江镇人民政府", 2023)
    monkeypatch.chdir(tmp_path)
    (tmp_path / draft_id).write_text(json.dumps({"agency": "文件里的单位", "report_year": 2024}), encoding="utf-8")
    assert load_source(draft_id).agency == "文件里的单位"
    assert not looks_like_draft_id("samples/county_bureau_2024.json")
    assert not looks_like_draft_id("facts.json")
