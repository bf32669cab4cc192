"""Every scripted conversation in samples/dialogues/ ends with exactly the expected tables (offline engine)."""

import json
from pathlib import Path

import pytest

from assistant.checks import run_checks
from assistant.commands.chat import read_script, run_conversation
from assistant.dialogue import missing_narrative
from assistant.engine import ConversationEngine
from assistant.interchange import to_label_json

DIALOGUES = Path(__file__).resolve().parent.parent / "samples" / "dialogues"
SAMPLES = sorted(p for p in DIALOGUES.glob("*.txt"))
TABLES = ("table2", "table3", "table4")


def expected_for(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def cell_mismatches(actual: dict, expected: dict) -> list[str]:
    out = []
    for table in TABLES:
        for row, cols in expected[table].items():
            for col, want in cols.items():
                got = actual[table].get(row, {}).get(col)
                if got != want:
                    out.append(f"{table}「{row}」{col}: 期望 {want}，实际 {got}")
    return out


def test_there_are_at_least_twelve_samples_each_with_full_expected_tables():
    assert len(SAMPLES) >= 12
    for path in SAMPLES:
        exp = expected_for(path)
        for table in TABLES:
            assert exp[table], f"{path.name}: {table} not specified"
            assert all(v is not None for cols in exp[table].values() for v in cols.values())


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_dialogue_reaches_the_expected_tables(path):
    messages = read_script(str(path))
    expected = expected_for(path)
    replies: list[str] = []
    report = run_conversation(ConversationEngine(), messages, out=replies.append)
    transcript = "\n".join(replies)
    actual = to_label_json(report)
    mismatches = cell_mismatches(actual, expected)
    assert not mismatches, "\n".join(mismatches[:20]) + "\n\n" + transcript[-3000:]
    assert report.unknown_input_cells() == [], transcript[-2000:]
    errors = [f for f in run_checks(report) if f.severity == "error"]
    assert errors == [], errors
    assert report.report_year == expected["report_year"]
    assert report.fmt.id == expected["format"]
    assert report.level is not None and report.level.value == expected["level"]
    assert expected["agency"] in report.agency or report.agency in expected["agency"], report.agency
    if not missing_narrative(report, []):  # the clerk also gave the narrative facts: 一/五/六 are drafted
        assert all(report.sections.get(s, "").strip() for s in ("s1", "s5", "s6")), transcript[-2000:]


def test_some_sample_goes_all_the_way_to_drafted_sections():
    report = run_conversation(ConversationEngine(), read_script(str(DIALOGUES / "all_natural_persons.txt")),
                              out=lambda s: None)
    assert not missing_narrative(report, [])
    assert "86条" in report.sections["s1"] and "5件" in report.sections["s1"]


def test_township_with_nothing_to_report_needs_at_most_five_messages():
    messages = read_script(str(DIALOGUES / "township_nothing.txt"))
    assert len(messages) <= 5
