"""``python -m assistant check``: human and JSON output, exit codes 0 / 1 / 2, no tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main

FIX = Path(__file__).parent / "fixtures" / "checks"
CONSISTENT = FIX / "consistent_2023.json"
LAST_YEAR = FIX / "last_year_2022.json"


def fixture_data(name: str = "consistent_2023.json") -> dict:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def write(tmp_path: Path, data, name: str = "report.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_consistent_report_exits_0(capsys):
    assert main(["check", str(CONSISTENT)]) == 0
    out = capsys.readouterr().out
    assert "示例镇人民政府 2023年度" in out and "国办公开办函〔2021〕30号" in out
    assert "未发现错误" in out
    assert "小结：0个错误，0个警告，0项暂无法核对，0项未填。" in out


def test_planted_error_exits_1_with_grouped_human_output(tmp_path, capsys):
    data = fixture_data()
    data["table3"]["一、本年新收政府信息公开申请数量"]["总计"] = 16
    data["table2"]["第二十条第（八）项 / 行政事业性收费"]["本年收费金额（单位：万元）"] = 30000
    data["table3"]["一、本年新收政府信息公开申请数量"]["科研机构"] = None
    assert main(["check", write(tmp_path, data)]) == 1
    out = capsys.readouterr().out
    assert out.index("错误（") < out.index("警告（") < out.index("暂无法核对（") < out.index("未填（")
    # 科研机构 unknown: the row total 16 cannot be checked against its parts (uncertain) but breaks the balance
    assert "[T3-3] 表三总计列：新收16件+上年结转1件=17件" in out
    assert "[T3-1] 【表三每一行：总计等于各类申请人之和】暂无法核对" in out
    assert "[T2-6]" in out
    assert out.rstrip().splitlines()[-1].startswith("小结：")
    assert "Traceback" not in out


def test_json_output(tmp_path, capsys):
    data = fixture_data()
    data["table4"]["行政复议"]["总计"] = 3
    assert main(["check", write(tmp_path, data), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert isinstance(findings, list) and findings
    assert all(set(f) == {"rule", "severity", "cells", "message"} for f in findings)
    t41 = [f for f in findings if f["rule"] == "T4-1"]
    assert t41[0]["severity"] == "error" and t41[0]["cells"][0] == "t4.review.total"
    assert "表四「行政复议」" in t41[0]["message"]  # ensure_ascii=False: readable Chinese


def test_json_output_clean_report_is_empty_list(capsys):
    assert main(["check", str(CONSISTENT), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_last_year_file_enables_cross_year_checks(tmp_path, capsys):
    last = fixture_data("last_year_2022.json")
    last["table3"]["四、结转下年度继续办理"]["自然人"] = 2
    last["table3"]["一、本年新收政府信息公开申请数量"]["自然人"] = 6
    last["table3"]["一、本年新收政府信息公开申请数量"]["总计"] = 6
    for row in ("四、结转下年度继续办理",):
        last["table3"][row]["总计"] = 2
    last["sections"]["一、总体情况"] = ""
    assert main(["check", str(CONSISTENT), "--last-year", write(tmp_path, last, "last.json"), "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in findings if f["severity"] == "warning"] == ["X-1"]
    assert main(["check", str(CONSISTENT), "--last-year", str(LAST_YEAR)]) == 0


def test_draft_json_is_accepted(tmp_path, capsys):
    from assistant.interchange import load_report

    draft = load_report(CONSISTENT).model_dump_json()
    assert main(["check", write(tmp_path, draft, "draft.json")]) == 0
    assert "小结：0个错误" in capsys.readouterr().out


def _bad_inputs() -> dict[str, object]:
    unknown_label = fixture_data()
    unknown_label["table3"]["一、本年新收的申请书数目合计"] = {"自然人": 1}
    text_value = fixture_data()
    text_value["table3"]["二、上年结转政府信息公开申请数量"]["自然人"] = "一些"
    negative = fixture_data()
    negative["table4"]["行政复议"]["结果维持"] = -1
    wrong_format = fixture_data()
    wrong_format["format"] = "2019"
    return {
        "malformed": '{"report_year": 2023, "table3": {',
        "unknown_label": unknown_label,
        "text_value": text_value,
        "negative": negative,
        "wrong_format": wrong_format,
        "not_an_object": "[1, 2, 3]",
    }


@pytest.mark.parametrize(
    "case,expected",
    [
        ("malformed", "不是有效的 JSON"),
        ("not_an_object", "JSON 对象"),
    ],
)
def test_unreadable_input_exits_2_with_chinese_message(tmp_path, capsys, case, expected):
    assert main(["check", write(tmp_path, _bad_inputs()[case])]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("错误：") and expected in captured.err
    assert "Traceback" not in captured.err + captured.out


def _findings(capsys) -> list[dict]:
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "case,rule,severity,expected,code",
    [
        ("unknown_label", "R-1", "warning", "一、本年新收的申请书数目合计", 0),
        ("text_value", "R-2", "error", "“一些”，不是数字", 1),
        ("negative", "T4-2", "error", "不能为负数", 1),
        ("wrong_format", "F-1", "error", "2023年度的年报应使用国办公开办函〔2021〕30号", 1),
    ],
)
def test_irregular_input_is_a_finding_and_the_rest_is_still_checked(tmp_path, capsys, case, rule, severity, expected,
                                                                    code):
    assert main(["check", "--json", write(tmp_path, _bad_inputs()[case])]) == code
    findings = _findings(capsys)
    hit = [f for f in findings if f["rule"] == rule]
    assert hit and hit[0]["severity"] == severity and expected in hit[0]["message"]
    # a planted arithmetic error next to the irregularity is still found
    data = _bad_inputs()[case]
    data["table3"]["四、结转下年度继续办理"]["自然人"] = 3
    data["table3"]["四、结转下年度继续办理"]["总计"] = 3
    assert main(["check", "--json", write(tmp_path, data, "planted.json")]) == 1
    assert any(f["rule"] == "T3-3" for f in _findings(capsys))


def test_missing_file_and_bad_last_year_file_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.json")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["check", str(CONSISTENT), "--last-year", write(tmp_path, "{oops", "last.json")]) == 2
    assert "不是有效的 JSON" in capsys.readouterr().err


def test_draft_json_with_bad_cells_is_checked_with_findings(tmp_path, capsys):
    from assistant.interchange import load_report

    draft = json.loads(load_report(CONSISTENT).model_dump_json())
    draft["cells"]["t3.received.research"]["value"] = -2
    draft["cells"]["t9.nothing.here"] = {"status": "value", "value": 1}
    assert main(["check", "--json", write(tmp_path, draft, "draft.json")]) == 1
    findings = _findings(capsys)
    assert any(f["rule"] == "T3-4" and "不能为负数" in f["message"] for f in findings)
    assert any(f["rule"] == "F-2" and "t9.nothing.here" in f["message"] for f in findings)
    draft = json.loads(load_report(CONSISTENT).model_dump_json())
    draft["format_id"] = "2019"
    assert main(["check", "--json", write(tmp_path, draft, "draft2.json")]) == 1
    assert any(f["rule"] == "F-1" and "国办公开办函〔2021〕30号" in f["message"] for f in _findings(capsys))


def test_module_entry_point_end_to_end(tmp_path):
    data = fixture_data()
    data["table3"]["四、结转下年度继续办理"]["自然人"] = 3
    data["table3"]["四、结转下年度继续办理"]["总计"] = 3
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "check", write(tmp_path, data)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 1
    assert "[T3-3]" in proc.stdout and "表三自然人列：新收10件+上年结转1件=11件" in proc.stdout
    assert "Traceback" not in proc.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "assistant", "check", write(tmp_path, "{", "bad.json")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert bad.returncode == 2 and "错误：" in bad.stderr and "Traceback" not in bad.stderr
