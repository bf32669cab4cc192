"""Fault suite, edits never vanish: a grid save against a newer version applies what nobody else touched,
asks about cells both sides changed (showing both values), and never says 「表格没有改动」 after an edit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_app_flow import _app, _create_draft, _no_exception, data_dir  # noqa: F401 - fixture

from assistant.facts import CellFact, CellStatus, FactUpdate, Report
from assistant.service import ROLE_CLERK, DraftService
from assistant.store import open_store
from assistant.ui.grid import GridConflict, apply_edit_state, build_grid, plan_grid_save

NP = "t3.received.natural_person"
BIZ = "t3.received.business"


def _report(**cells: int) -> Report:
    return Report(
        agency="某镇人民政府",
        report_year=2023,
        cells={k.replace("__", "."): CellFact(status=CellStatus.VALUE, value=v) for k, v in cells.items()},
    )


def _edit(report: Report, **values: str):
    grid = build_grid(report, "table3")
    rows: dict = {}
    for (r, col), key in grid.keys.items():
        if key.replace(".", "__") in values:
            rows.setdefault(r, {})[col] = values[key.replace(".", "__")]
    return grid, apply_edit_state(grid, {"edited_rows": rows})


def test_untouched_cells_are_applied_and_a_cell_changed_on_both_sides_is_a_conflict():
    base = _report(t3__received__natural_person=3)
    latest = _report(t3__received__natural_person=5)  # another tab saved 5 meanwhile
    grid, edited = _edit(base, t3__received__natural_person="7", t3__received__business="2")
    plan = plan_grid_save(base, latest, grid, edited)
    assert [u.cell for u in plan.apply] == [BIZ]
    assert len(plan.conflicts) == 1
    c = plan.conflicts[0]
    assert (c.cell, c.mine, c.theirs) == (NP, "7", "5") and "自然人" in c.label


def test_a_value_already_saved_elsewhere_is_reported_not_called_unchanged():
    base = _report(t3__received__natural_person=3)
    latest = _report(t3__received__natural_person=7)
    grid, edited = _edit(base, t3__received__natural_person="7")
    plan = plan_grid_save(base, latest, grid, edited)
    assert not plan.apply and not plan.conflicts
    assert plan.edited and plan.already  # the clerk changed something: never 「没有改动」


def test_same_value_written_differently_counts_as_edited():
    base = _report(t3__received__natural_person=3)
    grid, edited = _edit(base, t3__received__natural_person="3件")
    plan = plan_grid_save(base, base, grid, edited)
    assert plan.edited and plan.already and not plan.apply


def test_no_edit_is_no_edit():
    base = _report(t3__received__natural_person=3)
    grid, edited = _edit(base)
    plan = plan_grid_save(base, base, grid, edited)
    assert not (plan.edited or plan.apply or plan.conflicts or plan.already or plan.errors)


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_conflict_panel_shows_both_values_and_keeps_the_chosen_one(data_dir, keep):  # noqa: F811
    at = _app().run()
    draft_id = _create_draft(at)
    svc = DraftService(open_store(data_dir), "local", role=ROLE_CLERK)
    seen = svc.open(draft_id).state.report.cell(NP)
    svc.apply_manual(draft_id, [FactUpdate(cell=NP, value=Decimal(5), evidence="另一窗口")], seen={NP: seen})
    mine = FactUpdate(cell=NP, value=Decimal(7), evidence="表格编辑", is_correction=True)
    at.session_state[f"grid_conflicts_{draft_id}"] = [GridConflict(NP, "本年新收 自然人", "7", "5", mine)]
    at.run()
    _no_exception(at)
    shown = " ".join(m.value for m in at.markdown)
    assert "您填的是 7" in shown and "已保存为 5" in shown
    at.button(key=f"grid_keep_{keep}_{draft_id}_{NP}").click().run()
    _no_exception(at)
    assert svc.open(draft_id).state.report.cell(NP).value == (7 if keep == "mine" else 5)
    assert not at.session_state[f"grid_conflicts_{draft_id}"]


def test_edit_made_while_another_tab_saved_is_not_lost(data_dir):  # noqa: F811
    at = _app().run()
    draft_id = _create_draft(at)
    svc = DraftService(open_store(data_dir), "local", role=ROLE_CLERK)
    drawn = svc.open(draft_id)
    # the clerk types into the grid drawn from this version …
    at.session_state[f"grid_table3_{draft_id}_{drawn.version}"] = {
        "edited_rows": {0: {"自然人": "7", "商业企业": "2"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    # … while another tab saves 自然人 = 5
    svc.apply_manual(draft_id, [FactUpdate(cell=NP, value=Decimal(5), evidence="另一窗口")], seen={NP: CellFact()})
    at.button(key="grid_save_table3").click().run()
    _no_exception(at)
    assert not [i.value for i in at.info if "表格没有改动" in i.value]
    report = svc.open(draft_id).state.report
    assert report.value(BIZ) == 2  # the edit nobody else touched is saved
    assert report.value(NP) == 5  # the other tab's value is not overwritten without asking
    shown = " ".join(m.value for m in at.markdown)
    assert "您填的是 7" in shown and "已保存为 5" in shown
    at.button(key=f"grid_keep_mine_{draft_id}_{NP}").click().run()
    _no_exception(at)
    assert svc.open(draft_id).state.report.value(NP) == 7
