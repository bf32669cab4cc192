"""Progress per section for the progress view: "表三：已填 160/175，2 处不一致"."""

from __future__ import annotations

from dataclasses import dataclass

from ..checks import Finding
from ..drafting import placeholders
from ..drafting.findings import RULE_PLACEHOLDER as PLACEHOLDER_RULE
from ..facts import CellStatus, Report
from ..prompts import render_prompt

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
SECTION_SHORT = {"s1": "一、总体情况", "s5": "五、问题与改进", "s6": "六、其他事项"}
TABLE_OF_SECTION = {"s2": "table2", "s3": "table3", "s4": "table4"}
PROBLEM_SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class SectionProgress:
    section_id: str
    name: str
    filled: int  # tables: cells with a value / 0 / 不适用; narrative: 1 when drafted
    total: int
    problems: int  # findings (errors, warnings) touching this section
    locked: bool = False
    todo: int = 0  # 【待补充】 marks still in a narrative section (counted as missing)

    @property
    def done(self) -> bool:
        return self.filled >= self.total and not self.problems

    @property
    def fraction(self) -> float:
        return self.filled / self.total if self.total else 1.0

    def detail(self) -> str:
        """ "已填 160/175，2 处不一致" / "已起草"."""
        if self.section_id in TABLE_OF_SECTION:
            text = render_prompt("ui/progress_table", filled=self.filled, total=self.total)
        else:
            status = "已定稿" if self.locked else ("已起草" if self.filled else "未起草")
            if self.todo:
                status = render_prompt("ui/progress_todo", n=self.todo)
            text = render_prompt("ui/progress_narrative", status=status)
        if self.problems:
            text += render_prompt("ui/progress_problems", problems=self.problems)
        return text

    def label(self) -> str:
        """ "表三：已填 160/175，2 处不一致"."""
        return render_prompt("ui/progress_label", section=self.name, detail=self.detail())


def cell_is_filled(report: Report, key: str) -> bool:
    """A cell counts as filled when it has an effective number or is 不适用 (totals: when computable or stated)."""
    return report.value(key) is not None or report.cell(key).status == CellStatus.NOT_APPLICABLE


def section_of_finding(finding: Finding) -> set[str]:
    """The sections a finding touches (by its cells; narrative rules by rule id prefix)."""
    out = set()
    for key in finding.cells:
        prefix = key.split(".", 1)[0]
        out.add({"t2": "s2", "t3": "s3", "t4": "s4"}.get(prefix, ""))
    if not finding.cells and finding.rule.upper().startswith("N") and not finding.sections:
        out.add("s1")
    out.update(finding.sections)
    out.discard("")
    return out


def report_progress(report: Report, findings: list[Finding], locked: set[str] | None = None) -> list[SectionProgress]:
    """Progress of all six sections in order."""
    locked = locked or set()
    problems: dict[str, int] = {}
    for f in findings:
        if f.severity in PROBLEM_SEVERITIES and f.rule != PLACEHOLDER_RULE:  # placeholders are shown as todo
            for sid in section_of_finding(f):
                problems[sid] = problems.get(sid, 0) + 1
    out: list[SectionProgress] = []
    for section in report.fmt.sections:
        sid = section.id
        table = TABLE_OF_SECTION.get(sid)
        if table:
            keys = [c.key for c in report.fmt.table_cells(table)]
            filled = sum(1 for k in keys if cell_is_filled(report, k))
            out.append(SectionProgress(sid, TABLE_NAMES[table], filled, len(keys), problems.get(sid, 0)))
        else:
            text = report.sections.get(sid) or ""
            todo = len(placeholders(text))
            drafted = int(bool(text.strip()) and not todo)
            out.append(
                SectionProgress(
                    sid, SECTION_SHORT.get(sid, section.heading), drafted, 1, problems.get(sid, 0), sid in locked, todo
                )
            )
    return out


def overall_fraction(progress: list[SectionProgress]) -> float:
    """Share of cells and sections done (tables weigh by cells, each narrative section as much as one table)."""
    parts = [p.fraction for p in progress]
    return sum(parts) / len(parts) if parts else 0.0
