"""``python -m assistant chat``: scripted and interactive conversations, outputs, errors."""

import json

import pytest

from assistant import cli
from assistant.interchange import load_report

SCRIPT = "我是马屿镇党政办的，写2023年度年报\n---\n今年没有收到依申请公开，也没有复议诉讼\n---\n对，其余都是0\n"


@pytest.fixture
def script(tmp_path):
    p = tmp_path / "dialogue.txt"
    p.write_text(SCRIPT, encoding="utf-8")
    return p


def test_script_prints_every_message_and_reply_and_writes_outputs(script, tmp_path, capsys):
    json_out, report_out = tmp_path / "facts.json", tmp_path / "report.md"
    code = cli.main(["chat", "--offline", "--script", str(script), "--json-out", str(json_out),
                     "--report-out", str(report_out)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "使用离线引擎"
    assert out.count("承办人：") == 3 and out.count("助手：") == 4  # greeting + one reply per message
    assert "今年没有收到依申请公开，也没有复议诉讼" in out and "三张统计表已全部填写" in out
    facts = json.loads(json_out.read_text(encoding="utf-8"))
    assert facts["report_year"] == 2023 and facts["format"] == "2021"
    assert facts["table3"]["一、本年新收政府信息公开申请数量"]["总计"] == 0
    md = report_out.read_text(encoding="utf-8")
    assert "2023" in md and "三、收到和处理政府信息公开申请情况" in md


def test_without_model_configuration_says_offline_engine(script, capsys):
    assert cli.main(["chat", "--script", str(script)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "使用离线引擎（未配置模型）"


def test_draft_in_continues_an_existing_draft(script, tmp_path, capsys):
    facts = tmp_path / "facts.json"
    cli.main(["chat", "--offline", "--script", str(script), "--json-out", str(facts)])
    capsys.readouterr()
    more = tmp_path / "more.txt"
    more.write_text("更正：行政许可是12件", encoding="utf-8")
    out_json = tmp_path / "out.json"
    assert cli.main(["chat", "--offline", "--draft-in", str(facts), "--script", str(more),
                     "--json-out", str(out_json)]) == 0
    report = load_report(out_json)
    assert report.value("t2.licensing.decisions") == 12
    assert report.value("t3.received.total") == 0  # nothing recorded earlier was lost


def test_missing_script_is_a_chinese_error(tmp_path, capsys):
    code = cli.main(["chat", "--offline", "--script", str(tmp_path / "nope.txt")])
    err = capsys.readouterr().err
    assert code == 2 and "找不到对话脚本" in err and "Traceback" not in err


def test_interactive_chat_until_quit(monkeypatch, capsys):
    lines = iter(["我是马屿镇党政办的，写2023年度年报", "退出", "never read"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert cli.main(["chat", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "是“马屿镇人民政府”吗？" in out
    assert "never read" not in out


def test_interactive_chat_ends_at_end_of_input(monkeypatch, capsys):
    def eof(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", eof)
    assert cli.main(["chat", "--offline"]) == 0
    assert "您好" in capsys.readouterr().out
