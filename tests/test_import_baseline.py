"""Starting this year's draft from last year's report: baselines are proposals for the clerk, never facts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.importing import import_report, start_from_last_year
from assistant.interchange import load_report

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_new_draft_from_imported_report_proposes_carry_over():
    last = import_report((FIXTURES / "paste_2021_one_per_line.txt").read_bytes()).report  # 2023, 结转 自然人1件
    new, questions = start_from_last_year(last, 2024)
    assert new.report_year == 2024 and new.format_id == "2021" and new.agency == "青山镇"
    assert new.cells == {} and new.sections == {}  # nothing filled silently
    assert new.last_year is not None and new.last_year.report_year == 2023
    assert new.last_year.value("t3.carried_out.total") == 1
    assert new.last_year.value("t2.normative.in_force") == 15  # for the table 二 roll-forward check
    assert new.last_year.sections["s5"].startswith("一是公开内容不够全面")

    carry = next(q for q in questions if q.kind == "confirm_value")
    assert carry.proposed == {
        f"t3.carried_in.{c}": Decimal(1 if c == "natural_person" else 0)
        for c in ("natural_person", "business", "research", "public_interest", "legal_service", "other")
    }
    assert "结转下年度继续办理" in carry.text and "自然人1件" in carry.text and "总计1件" in carry.text

    in_force = next(q for q in questions if q.template == "import/in_force")
    assert "行政规范性文件15件" in in_force.text and "t2.normative.in_force" in in_force.cells

    problems = next(q for q in questions if q.kind == "narrative")
    assert problems.narrative_key == "measures" and "一是公开内容不够全面" in problems.text


def test_across_the_2020_to_2021_format_change():
    last = load_report(SAMPLES / "city_2019format_2020.json")
    new, questions = start_from_last_year(last, 2021, agency="东江市人民政府办公室")
    assert new.format_id == "2021" and new.agency == "东江市人民政府办公室"
    kinds = [q.template for q in questions]
    assert "import/carried_in" in kinds
    assert "import/in_force" not in kinds  # 对外公开总数量 is not 现行有效件数


def test_unknown_carry_over_gives_no_proposal_and_gap_years():
    last = import_report((FIXTURES / "page_2022_table_images.html").read_bytes()).report  # tables were images
    new, questions = start_from_last_year(last, 2023)
    assert [q.kind for q in questions] == ["narrative"]
    _, questions = start_from_last_year(
        import_report((FIXTURES / "paste_2021_one_per_line.txt").read_bytes()).report, 2025
    )
    assert [q.kind for q in questions] == ["narrative"]  # 2023 → 2025: no carry-over link
    with pytest.raises(InputError):
        start_from_last_year(last, 2022)
