"""``check FILE [--json] [--last-year FILE]``: run the consistency checks; exit 1 when there is an error.

Exit codes: 0 no error, 1 at least one error (irregular input included: it is reported, not refused), 2 only
when the file cannot be read at all (raised as AssistantError, turned into a Chinese message by the dispatcher).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..checks import SEVERITY_ORDER, Finding, has_errors, run_checks
from ..errors import AssistantError, InputError
from ..facts import CellStatus, Report
from ..interchange import is_draft_json, last_year_from_report, read_label_json, report_from_json
from ..prompts import render_prompt
from . import source_json

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "uncertain": "暂无法核对", "missing": "未填"}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "check",
        help="检查年报的勾稽关系、跨年度衔接和正文数字",
        description="读取草稿 JSON 或按标签填写的数据 JSON，检查表格勾稽关系、与上年报告的衔接、正文数字与表格是否一致。"
        "有错误时退出码为1，文件无法读取时为2。",
    )
    p.add_argument("file", metavar="FILE", help="草稿 JSON 或按标签填写的数据 JSON")
    p.add_argument("--json", action="store_true", help="以 JSON 列表输出检查结果")
    p.add_argument(
        "--last-year", metavar="FILE", default=None, help="上一年度的报告（草稿 JSON 或数据 JSON），用于跨年度核对"
    )
    p.set_defaults(func=run)


def load_checked(path: str, what: str = "") -> tuple[Report, list[Finding]]:
    """Load a report tolerantly: every irregularity (unknown labels, cells that are not numbers, extra sections,
    cells not in the format, a draft cell without a value) becomes a finding and the rest is still checked.
    Only a file that cannot be read at all raises (exit 2). The format is the one the report is printed in;
    whether it fits the year is the F-1 finding of the checks."""
    data = source_json(path)
    prefix = f"{what}" if what else ""
    try:
        if is_draft_json(data):
            report, found = report_from_json(data, source_ref=Path(path).name), []
        else:
            read = read_label_json(data, source_ref=Path(path).name)
            report, found = read.report, read.findings
    except AssistantError as e:
        raise InputError(prefix + str(e)) from None
    specs = report.fmt.cells()
    for key, fact in report.cells.items():
        if key in specs and fact.status == CellStatus.VALUE and fact.value is None:
            found.append(
                Finding(
                    rule="R-2",
                    severity="error",
                    cells=[key],
                    message=render_prompt("checks/r_value", where=specs[key].display_label, value="（空）"),
                )
            )
    if prefix:
        found = [f.model_copy(update={"message": prefix + f.message}) for f in found]
    return report, found


def format_human(report: Report, findings: list[Finding]) -> str:
    """Findings grouped by severity, in Chinese, with a summary line."""
    fmt = report.fmt
    lines = [
        render_prompt(
            "checks/cli_header",
            agency=report.agency or "（未填写机关名称）",
            year=report.report_year or "（未填写）",
            format_name=fmt.name,
            citation=fmt.citation,
        )
    ]
    counts = {sev: sum(1 for f in findings if f.severity == sev) for sev in SEVERITY_ORDER}
    if not counts["error"] and not counts["warning"]:
        lines.append(render_prompt("checks/cli_ok"))
    for sev in SEVERITY_ORDER:
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        lines.append("")
        lines.append(f"{SEVERITY_NAMES[sev]}（{len(group)}）")
        for i, f in enumerate(group, 1):
            lines.append(f"  {i}. [{f.rule}] {f.message}")
    lines.append("")
    lines.append(
        render_prompt(
            "checks/cli_summary",
            errors=counts["error"],
            warnings=counts["warning"],
            uncertain=counts["uncertain"],
            missing=counts["missing"],
        )
    )
    return "\n".join(lines) + "\n"


def findings_json(findings: list[Finding]) -> str:
    return (
        json.dumps(
            [{"rule": f.rule, "severity": f.severity, "cells": f.cells, "message": f.message} for f in findings],
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def run(args: argparse.Namespace) -> int:
    report, found = load_checked(args.file)
    if args.last_year:
        last, last_found = load_checked(args.last_year, "上年报告：")
        report = report.model_copy(update={"last_year": last_year_from_report(last)})
        found += [f.model_copy(update={"severity": "warning"}) for f in last_found if f.severity == "error"]
        found += [f for f in last_found if f.severity != "error"]
    findings = sorted(found + run_checks(report), key=lambda f: SEVERITY_ORDER[f.severity])
    out = findings_json(findings) if args.json else format_human(report, findings)
    sys.stdout.write(out)
    sys.stdout.flush()
    return 1 if has_errors(findings) else 0
