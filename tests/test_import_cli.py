"""`python -m assistant import`, detection by content, and inputs that cannot be imported."""

from __future__ import annotations

import io
import json
import os
import random
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli import main
from assistant.errors import AssistantError, ImportFailed
from assistant.importing import import_report
from assistant.interchange import load_report, to_label_json

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from register_gen import generate, to_csv, to_rows  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_cli_imports_a_pasted_report_and_check_can_read_it(tmp_path, capsys):
    out = tmp_path / "facts.json"
    src = tmp_path / "去年年报.txt"
    src.write_bytes((FIXTURES / "paste_2021_subtotal_spaces.txt").read_bytes())
    assert main(["import", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "已导入年报" in err and "以下内容无法读取" in err and "2.重复申请" in err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["report_year"] == 2023 and data["table3"]["（三）不予公开 / 4.保护第三方合法权益"]["商业企业"] == 1
    report = load_report(out)
    assert report.value("t3.received.total") == 8
    assert main(["check", str(out)]) in (0, 1)  # the checker reads it (exit 2 would mean unreadable)


def test_cli_register_with_year_prints_progress_and_json_to_stdout(tmp_path, capsys):
    apps = generate(6000, 2025, seed=2)
    header, body = to_rows(apps, seed=2)
    src = tmp_path / "register.dat"  # the extension says nothing: recognised by content
    src.write_bytes(to_csv(header, body).encode("gb18030"))
    assert main(["import", str(src), "--year", "2025"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["report_year"] == 2025 and data["format"] == "2021"
    assert "已处理 5000/6000 行" in captured.err and "申请登记表" in captured.err


def test_cli_json_and_html_by_content(tmp_path, capsys):
    sample = SAMPLES / "county_bureau_2024.json"
    src = tmp_path / "facts.txt"
    src.write_bytes(sample.read_bytes())
    assert main(["import", str(src), "-o", str(tmp_path / "o.json")]) == 0
    assert to_label_json(load_report(tmp_path / "o.json")) == to_label_json(load_report(sample))
    page = tmp_path / "page.docx"  # a saved web page with a wrong extension is still read
    page.write_bytes((FIXTURES / "page_2019_rowspan.html").read_bytes())
    assert main(["import", str(page), "-o", str(tmp_path / "p.json")]) == 0
    assert "扩展名是.docx" in capsys.readouterr().err


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, b in names.items():
            zf.writestr(n, b)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.docx", b"this is not a zip file at all\n\x00\x01\x02" * 10, "不是Word文件"),
        ("report.docx", "某镇年报草稿，一些文字".encode(), "不是Word文件"),
        ("junk.bin", random.Random(1).randbytes(4000), "无法识别"),
        ("empty.txt", b"", "空的"),
        ("blank.txt", b"   \n\n", "空的"),
        ("scan.pdf", b"%PDF-1.4\n1 0 obj<</Type/XObject/Subtype/Image>>stream\n\xff\xd8...", "没有文字层"),
        ("text.pdf", b"%PDF-1.4\n1 0 obj<</Type/Font/Subtype/Type1>>\n", "暂不支持从PDF提取"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "图片"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "另存为"),
        ("other.zip", _zip({"a.txt": b"x"}), "不是Word"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 50, "损坏"),
        ("fake.docx", _zip({"word/document.xml": b"<not-a-document"}), "损坏"),
        ("notes.txt", "这是一段与年报无关的文字。\n第二行。".encode(), "没有在内容中找到年报"),
        ("bad.json", b'{"report_year": 2024, "table3": ', "JSON"),
    ],
)
def test_unreadable_inputs_give_a_chinese_message_and_exit_2(tmp_path, capsys, name, data, message):
    with pytest.raises(ImportFailed, match=message):
        import_report(data, filename=name)
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["import", str(path), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


def test_size_limit(tmp_path, capsys, monkeypatch):
    from assistant.importing import MAX_IMPORT_BYTES, detect

    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:  # sparse: never read
        f.truncate(MAX_IMPORT_BYTES + 1)
    assert main(["import", str(big)]) == 2
    assert "超过" in capsys.readouterr().err
    monkeypatch.setattr(detect, "MAX_IMPORT_BYTES", 1000)
    with pytest.raises(ImportFailed, match="超过"):
        import_report("一、总体情况\n" + "好" * 2000)


def test_missing_file(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.txt")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["import", str(tmp_path)]) == 2


def test_facts_json_import_keeps_not_applicable():
    res = import_report((SAMPLES / "city_2019format_2020.json").read_bytes(), filename="x.json")
    assert res.kind == "facts_json" and res.report.report_year == 2020
    assert os.path.basename("x.json") == "x.json"


_PIECES = [
    "一、总体情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "（三）不予公开",
    "1.属于国家秘密",
    "自然人",
    "总计",
    "\t",
    "\n",
    " ",
    "0",
    "12",
    "/",
    "—",
    "<table>",
    "<tr>",
    "<td rowspan='99999'>",
    "</td>",
    "</table>",
    "|",
    "---",
    "2024年度政府信息公开工作年度报告",
    "申请日期,申请人类型,办理结果",
    ",",
    "合计",
    "-3",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=60))
def test_any_text_is_imported_or_refused_with_a_message(parts):
    text = "".join(parts)
    try:
        res = import_report(text)
    except AssistantError as e:
        assert str(e)
        return
    # whatever was read is valid for its format: never a cell outside the format, never an invalid value
    specs = res.report.fmt.cells()
    assert set(res.report.cells) <= set(specs)
    json.dumps(to_label_json(res.report), ensure_ascii=False)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_are_imported_or_refused_with_a_message(data):
    try:
        import_report(data, filename="x.docx")
    except AssistantError as e:
        assert str(e)
