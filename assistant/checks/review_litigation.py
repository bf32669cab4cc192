"""Table 四 (行政复议、行政诉讼): T4-1, T4-3 (T4-2 is :func:`core.check_integers`)."""

from __future__ import annotations

from .core import Checker, num, sum_check, t3_all_zero


def check_group_totals(c: Checker) -> None:
    """T4-1: each group's stated 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    for group in c.fmt.table4_groups:
        key = f"t4.{group.id}.total"
        sum_check(
            c,
            "T4-1",
            key,
            c.fmt.parts_of(key),
            where=f"表四「{group.json_key}」总计",
            parts_name="结果维持、结果纠正、其他结果、尚未审结",
        )


def check_cases_without_applications(c: Checker) -> None:
    """T4-3: no applications this year and last year, yet 复议/诉讼 cases."""
    ly = c.report.last_year
    if ly is None or not t3_all_zero(c.value) or not t3_all_zero(ly.value):
        return
    cases = [(g, v) for g in c.fmt.table4_groups if (v := c.value(f"t4.{g.id}.total"))]
    if not cases:
        return
    c.emit(
        "T4-3",
        "warning",
        "t4_3",
        [f"t4.{g.id}.total" for g, _ in cases],
        year=c.report.report_year or "本",
        cases="、".join(f"{g.json_key}{num(v)}件" for g, v in cases),
    )
