"""The benchmark runs in --quick mode and produces a well-formed table and JSON (no timing assertions)."""

from __future__ import annotations

import json

import pytest

from assistant.bench.measure import prompt_tokens
from assistant.bench.report import BenchReport
from assistant.bench.scenarios import long_conversation, sample_dialogues
from assistant.bench.timing import percentile, summarize
from assistant.cli import main


def test_percentile_and_summary():
    assert percentile([], 0.5) == 0.0
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([5.0], 0.95) == 5.0
    s = summarize([10.0, 20.0, 30.0])
    assert s["n"] == 3 and s["p50"] == 20.0 and s["max"] == 30.0


def test_scenarios():
    dialogues = sample_dialogues()
    assert len(dialogues) >= 12 and all(d.messages for d in dialogues)
    long = long_conversation(50)
    assert len(long) == 50 and len(set(long)) > 20  # repeated with changed numbers, not 50 copies
    assert any("更正" in m for m in long)


def test_prompt_tokens_compare_compact_and_naive():
    out = prompt_tokens((2, 6))
    rows = out["turns"]
    assert [r["turn"] for r in rows] == [2, 6]
    for r in rows:
        assert 0 < r["system_tokens"] < r["compact_tokens"]
        assert 0 <= r["compact_stable_prefix"] <= 1
    # the naive prompt carries the whole history, so it grows faster than the compact one
    assert rows[1]["naive_tokens"] - rows[0]["naive_tokens"] > rows[1]["compact_tokens"] - rows[0]["compact_tokens"]


@pytest.mark.slow
def test_bench_quick_prints_a_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--quick", "--json-out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("| 分组 | 指标 |")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["mode"] == "quick"
    groups = {r["group"] for r in data["rows"]}
    assert {"离线回合", "提问", "模型提示词", "渲染", "并发", "应用"} <= groups
    assert "错误" not in groups, [r for r in data["rows"] if r["group"] == "错误"]
    for row in data["rows"]:
        assert set(row) == {"group", "metric", "value", "target", "verdict", "note"}
        assert row["verdict"] in ("达标", "未达标", "—", "跳过")
        assert row["metric"] in printed
    assert data["raw"]["concurrency"]["lost_messages"] == 0
    assert data["raw"]["turn_latency"]["n"] > 0


def test_json_out_to_a_directory_is_a_clear_error(tmp_path, capsys):
    assert main(["bench", "--quick", "--json-out", str(tmp_path)]) == 2
    assert "文件夹" in capsys.readouterr().err


def test_report_table_escapes_pipes():
    r = BenchReport(mode="quick")
    r.add("g", "a|b", "1")
    assert "a/b" in r.table() and json.loads(r.dumps())["rows"][0]["metric"] == "a|b"
