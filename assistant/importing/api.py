"""Entry point: any supported source → :class:`ImportResult`."""

from __future__ import annotations

import json

from ..errors import ImportFailed, InputError
from ..interchange import is_draft_json, read_label_json, report_from_json
from ..prompts import render_prompt
from .assemble import build_import
from .detect import sniff
from .docx import read_docx
from .html import read_html
from .register import ProgressCallback, import_register_text, import_register_xlsx
from .result import ImportResult
from .text import read_text

MAX_REPORT_TEXT_CHARS = 1_000_000


def import_report(
    source: bytes | str,
    *,
    filename: str | None = None,
    report_year: int | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import pasted text, a saved web page, a .docx, a facts/draft JSON or an application register.

    ``report_year`` is used when the document does not state its year, and is the year a register is
    counted for. Raises :class:`ImportFailed` (Chinese message) for what cannot be read at all.
    """
    if report_year is not None and not 2019 <= report_year <= 2100:
        raise InputError(f"报告年度{report_year}年不在本工具支持的范围内（2019年度及以后）")
    sniffed = sniff(source, filename)
    ref = filename
    if sniffed.kind in ("html", "text") and len(sniffed.text) > MAX_REPORT_TEXT_CHARS:
        # a published report is tens of thousands of characters; matching labels in megabytes of text would
        # keep the clerk waiting for minutes
        raise ImportFailed(render_prompt("import/text_too_long", limit=MAX_REPORT_TEXT_CHARS // 10000))
    if sniffed.kind == "docx":
        result = build_import(read_docx(sniffed.data), report_year=report_year, ref=ref)
    elif sniffed.kind == "xlsx":
        result = import_register_xlsx(sniffed.data, year=report_year, progress=progress, ref=ref)
    elif sniffed.kind == "register":
        result = import_register_text(sniffed.text, year=report_year, progress=progress, ref=ref)
    elif sniffed.kind == "json":
        result = _import_json(sniffed.text, ref)
    elif sniffed.kind == "html":
        result = build_import(read_html(sniffed.text), report_year=report_year, ref=ref)
    else:
        result = build_import(read_text(sniffed.text), report_year=report_year, ref=ref)
    if sniffed.note:
        result.warnings.insert(0, sniffed.note)
    if result.kind == "report" and not result.report.cells and not result.report.sections:
        raise ImportFailed(
            "没有在内容中找到年报的章节或表格（如“一、总体情况”“三、收到和处理政府信息公开申请情况”），无法导入"
        )
    return result


def _import_json(text: str, ref: str | None) -> ImportResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportFailed(f"JSON内容有误（第{e.lineno}行第{e.colno}列附近），无法导入") from None
    if is_draft_json(data):
        return ImportResult(report=report_from_json(data, source_ref=ref), kind="facts_json", source="json")
    read = read_label_json(data, source_ref=ref)  # irregular labels and cells are listed, the rest is imported
    unread = [f.message for f in read.findings if f.rule in ("R-1", "R-2")]
    warnings = [f.message for f in read.findings if f.rule not in ("R-1", "R-2")]
    return ImportResult(report=read.report, kind="facts_json", source="json", unread=unread, warnings=warnings)
