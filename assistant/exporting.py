"""Download files built from the ledger: .docx, Markdown, plain text and the label-keyed facts JSON.

Exports never block: unknown cells and failed checks produce warnings shown next to the download buttons.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .checks import Finding, run_checks
from .facts import Report
from .formats import NARRATIVE_SECTION_IDS
from .interchange import to_label_json
from .prompts import render_prompt
from .render import render_docx, render_markdown, render_text, report_title
from .textclean import clean_report

EXPORT_KINDS = ("docx", "md", "txt", "json")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
}
LABELS = {
    "docx": "Word 文档（.docx）",
    "md": "Markdown（.md）",
    "txt": "纯文本（.txt）",
    "json": "数据 JSON（供明年导入）",
}
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


@dataclass(frozen=True)
class ExportFile:
    kind: str
    filename: str
    mime: str
    data: bytes
    label: str


def file_stem(report: Report) -> str:
    """The report title without characters that are unsafe in file names."""
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "", report_title(report))[:80] or "年度报告"


def build_export(report: Report, kind: str) -> ExportFile:
    """The bytes of one download."""
    report = clean_report(report)
    stem = file_stem(report)
    if kind == "docx":
        data = render_docx(report)
        name = f"{stem}.docx"
    elif kind == "md":
        data = render_markdown(report).encode("utf-8")
        name = f"{stem}.md"
    elif kind == "txt":
        data = render_text(report).encode("utf-8")
        name = f"{stem}.txt"
    elif kind == "json":
        data = (json.dumps(to_label_json(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        name = f"{stem}_数据.json"
    else:
        raise ValueError(f"unknown export kind {kind!r}")
    return ExportFile(kind=kind, filename=name, mime=MIME[kind], data=data, label=LABELS[kind])


def export_problems(report: Report, findings: list[Finding] | None = None) -> list[str]:
    """What is still open, in Chinese: unknown cells per table, failed checks, undrafted sections."""
    if findings is None:
        findings = run_checks(report)
    out: list[str] = []
    unknown = report.unknown_input_cells()
    if unknown:
        per_table: dict[str, int] = {}
        for spec in unknown:
            per_table[spec.table] = per_table.get(spec.table, 0) + 1
        parts = "、".join(f"{TABLE_NAMES[t]}{n}格" for t, n in sorted(per_table.items()))
        out.append(f"还有{len(unknown)}个单元格未填（{parts}），导出文件中显示为“未填”")
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    if errors:
        out.append(f"有{len(errors)}处勾稽关系不一致")
    if warnings:
        out.append(f"有{len(warnings)}处需要核对的提示")
    empty = [
        s.heading
        for s in report.fmt.sections
        if s.id in NARRATIVE_SECTION_IDS and not (report.sections.get(s.id) or "").strip()
    ]
    if empty:
        out.append("尚未起草：" + "、".join(empty))
    if not report.agency.strip():
        out.append("单位名称未填")
    return out


def export_warning_text(report: Report, findings: list[Finding] | None = None) -> str | None:
    """One warning sentence for the export panel, or None when everything is complete and consistent."""
    problems = export_problems(report, findings)
    if not problems:
        return None
    return render_prompt("ui/export_warning", details="；".join(problems))
