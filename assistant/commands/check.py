"""``check FILE [--json] [--last-year FILE]``: run the consistency checks; exit 1 when there is an error.

Exit codes: 0 no error, 1 at least one error, 2 unreadable input (raised as AssistantError, turned into a Chinese
message by the dispatcher).
"""

from __future__ import annotations

import argparse
import json
import sys

from ..checks import SEVERITY_ORDER, Finding, has_errors, run_checks
from ..errors import FormatError, InputError, ValueRejected
from ..facts import CellStatus, Report, validate_value
from ..formats import check_format_matches_year
from ..interchange import last_year_from_report
from ..prompts import render_prompt
from . import load_source

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


def load_checked(path: str, what: str = "") -> Report:
    """Load a report and reject what makes checking meaningless: wrong format for the year, cells that do not
    exist in the format, values a cell cannot hold (a draft JSON bypasses the ledger's validation)."""
    report = load_source(path)
    prefix = f"{what}" if what else ""
    if report.report_year:
        msg = check_format_matches_year(report.effective_format_id, report.report_year)
        if msg:
            raise FormatError(prefix + msg)
    specs = report.fmt.cells()
    problems: list[str] = []
    for key, fact in report.cells.items():
        spec = specs.get(key)
        if spec is None:
            problems.append(f"本格式（{report.fmt.id}）中没有单元格“{key}”")
            continue
        if fact.status == CellStatus.VALUE:
            if fact.value is None:
                problems.append(f"{spec.display_label}：没有给出数值")
                continue
            try:
                validate_value(spec, fact.value)
            except ValueRejected as e:
                problems.append(str(e))
    if problems:
        shown = "；".join(problems[:8]) + ("；……" if len(problems) > 8 else "")
        raise InputError(f"{prefix}文件中有{len(problems)}处问题：{shown}")
    return report


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
    report = load_checked(args.file)
    if args.last_year:
        last = load_checked(args.last_year, "上年报告：")
        report = report.model_copy(update={"last_year": last_year_from_report(last)})
    findings = run_checks(report)
    out = findings_json(findings) if args.json else format_human(report, findings)
    sys.stdout.write(out)
    sys.stdout.flush()
    return 1 if has_errors(findings) else 0
