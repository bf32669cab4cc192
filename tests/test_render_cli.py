"""The ``render`` and ``export`` commands: outputs, stdout, Chinese errors with exit code 2."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import docx

from assistant.cli import main
from assistant.facts import Report
from assistant.interchange import from_label_json, load_report, to_label_json

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
COUNTY = SAMPLES / "county_bureau_2024.json"


def test_render_markdown_to_stdout(capsys):
    assert main(["render", str(COUNTY), "--to", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 清溪县自然资源和规划局2024年政府信息公开工作年度报告")
    assert "| 行政事业性收费 | 12.35 |" in out


def test_render_text_dash_means_stdout(capsys):
    assert main(["render", str(COUNTY), "--to", "txt", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert "一、本年新收政府信息公开申请数量\t\t\t12\t2\t0\t0\t1\t0\t15" in out


def test_render_docx_and_html_files(tmp_path, capsys):
    out = tmp_path / "年报.docx"
    assert main(["render", str(COUNTY), "--to", "docx", "-o", str(out)]) == 0
    d = docx.Document(BytesIO(out.read_bytes()))
    assert len(d.tables) in (3, 4) and d.tables[1].cell(3, 3).text == "12"  # 表三 may continue as a 2nd table
    page = tmp_path / "年报.html"
    assert main(["render", str(COUNTY), "-o", str(page)]) == 0  # format from the extension
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'data-cell="t3.received.total">15<' in html


def test_render_docx_to_stdout_is_refused(capsys):
    assert main(["render", str(COUNTY), "--to", "docx"]) == 2
    assert "请用 -o 指定输出文件" in capsys.readouterr().err


def test_render_errors_are_chinese(tmp_path, capsys):
    assert main(["render", str(tmp_path / "nope.json"), "--to", "md"]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["render", str(COUNTY), "--to", "pdf"]) == 2
    assert "不支持的输出格式" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"report_year": 2023, "table3": {"不存在的行": {"自然人": 1}}}', encoding="utf-8")
    assert main(["render", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "无法识别的行" in err and "Traceback" not in err
    assert main(["render", str(COUNTY), "-o", str(tmp_path)]) == 2
    assert "文件夹" in capsys.readouterr().err


def test_export_labels_from_a_draft(tmp_path, capsys):
    draft = tmp_path / "draft.json"
    draft.write_text(load_report(COUNTY).model_dump_json(indent=2), encoding="utf-8")
    out = tmp_path / "facts.json"
    assert main(["export", str(draft), "--labels", "-o", str(out)]) == 0
    raw = out.read_text(encoding="utf-8")
    assert "自然人" in raw and "\\u" not in raw  # ensure_ascii=False
    data = json.loads(raw)
    assert data == to_label_json(load_report(COUNTY))
    assert data["table3"]["一、本年新收政府信息公开申请数量"]["总计"] == 15
    assert from_label_json(data).value("t2.admin_fee.fee_amount") == load_report(COUNTY).value(
        "t2.admin_fee.fee_amount"
    )


def test_export_draft_roundtrip(tmp_path, capsys):
    out = tmp_path / "draft.json"
    assert main(["export", str(COUNTY), "--draft", "-o", str(out)]) == 0
    again = Report.model_validate_json(out.read_text(encoding="utf-8"))
    original = load_report(COUNTY)
    assert again.cells == original.cells and again.sections == original.sections
    assert main(["export", str(COUNTY)]) == 0  # default: label JSON to stdout
    assert json.loads(capsys.readouterr().out)["agency"] == "清溪县自然资源和规划局"
