"""Download files built from the ledger: .docx, Markdown, plain text, the 「粘贴到网站」 web page and the
label-keyed facts JSON.

Exports never block. A draft (see :mod:`assistant.render.status`) is exported with the 「征求意见稿（草稿）」
marker, and the panel lists the same reasons the CLI prints on stderr; warnings are counted next to them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .checks import Finding, run_checks
from .facts import Report
from .interchange import to_label_json
from .prompts import load_prompt, render_prompt
from .render import draft_reasons, render_docx, render_html_paste_document, render_markdown, render_text, report_title

EXPORT_KINDS = ("docx", "md", "txt", "html", "json")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}
LABELS = {
    "docx": "Word 文档（.docx）",
    "md": "Markdown（.md）",
    "txt": "纯文本（.txt）",
    "html": "网页（粘贴到网站，.html）",
    "json": "数据 JSON（供明年导入）",
}


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
    elif kind == "html":
        data = render_html_paste_document(report).encode("utf-8")
        name = f"{stem}.html"
    elif kind == "json":
        data = (json.dumps(to_label_json(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        name = f"{stem}_数据.json"
    else:
        raise ValueError(f"unknown export kind {kind!r}")
    return ExportFile(kind=kind, filename=name, mime=MIME[kind], data=data, label=LABELS[kind])


def export_problems(report: Report, findings: list[Finding] | None = None) -> list[str]:
    """What is still open, in Chinese: the reasons the export is a draft, then the count of warnings."""
    if findings is None:
        findings = run_checks(report)
    out = draft_reasons(report, findings)
    warnings = [f for f in findings if f.severity == "warning"]
    if warnings:
        out.append(f"有{len(warnings)}处需要核对的提示")
    return out


def draft_export_notice(report: Report, findings: list[Finding] | None = None) -> list[str]:
    """The export panel's draft warning: the head line, then one line per reason (empty when publishable)."""
    reasons = draft_reasons(report, findings)
    return [load_prompt("render/draft_export_head"), *reasons] if reasons else []


def export_warning_text(report: Report, findings: list[Finding] | None = None) -> str | None:
    """One warning sentence for the export panel, or None when everything is complete and consistent."""
    problems = export_problems(report, findings)
    if not problems:
        return None
    return render_prompt("ui/export_warning", details="；".join(problems))
