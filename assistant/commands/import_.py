"""``python -m assistant import FILE [--year 2025] [-o OUT.json]``: import a published report, a saved web
page, a .docx, a facts JSON or an application register; write the label-keyed facts JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InputError
from ..importing import MAX_IMPORT_BYTES, import_report
from ..interchange import to_label_json

_KIND_NAMES = {"report": "年报", "register": "申请登记表", "facts_json": "数据JSON"}
_SOURCE_NAMES = {"text": "文字", "html": "网页", "docx": "Word文件", "json": "JSON", "csv": "CSV", "xlsx": "Excel"}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="导入去年的年报（文字/网页/Word/JSON）或申请登记表（CSV/Excel），输出数据JSON",
        description="按文件内容（而不是扩展名）识别年报、登记表或JSON，输出按表格标签组织的数据JSON；"
        "无法读取的内容打印到标准错误输出。",
    )
    p.add_argument("file", help="要导入的文件")
    p.add_argument("--year", type=int, default=None, help="报告年度（登记表按此年度统计；年报中没有年度时使用）")
    p.add_argument("-o", "--output", default=None, help="输出的JSON文件（默认打印到标准输出）")
    p.set_defaults(func=run)


def _progress(done: int, total: int | None) -> None:
    shown = f"{done}/{total}" if total else str(done)
    print(f"已处理 {shown} 行", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.exists():
        raise InputError(f"找不到文件“{path}”")
    if not path.is_file():
        raise InputError(f"“{path}”不是文件")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise InputError(f"文件“{path.name}”超过{MAX_IMPORT_BYTES // 1024 // 1024}MB，无法导入")
    data = path.read_bytes()
    result = import_report(data, filename=path.name, report_year=args.year, progress=_progress)
    text = json.dumps(to_label_json(result.report), ensure_ascii=False, indent=2)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    rep = result.report
    year = f"{rep.report_year}年度" if rep.report_year else "年度未知"
    summary = f"已导入{_KIND_NAMES[result.kind]}（{_SOURCE_NAMES.get(result.source, result.source)}）：{year}，格式 {rep.fmt.id}"
    if result.kind == "register":
        s = result.stats
        summary += f"；共{s.get('rows_read', 0)}行，计入表三{s.get('applications_counted', 0)}件"
    else:
        summary += f"；读取单元格{len(rep.cells)}个，章节{len(rep.sections)}个"
    if args.output:
        summary += f"，已写入 {args.output}"
    print(summary, file=sys.stderr)
    if result.unread:
        print("以下内容无法读取：", file=sys.stderr)
        for line in result.unread:
            print(f"  - {line}", file=sys.stderr)
    if result.warnings:
        print("请注意：", file=sys.stderr)
        for line in result.warnings:
            print(f"  - {line}", file=sys.stderr)
    return 0
