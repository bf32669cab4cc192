"""``export DRAFT --labels|--draft -o OUT.json``: write the label-keyed facts JSON or the draft JSON.

DRAFT is a draft JSON, a label-keyed facts JSON, or the id of a draft in the store (``drafts`` lists them).
"""

from __future__ import annotations

import argparse
import json
import sys

from ..interchange import to_label_json
from . import SOURCE_HELP, load_source
from .render import write_output


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "export",
        help="导出按标签填写的数据 JSON（供明年导入）或草稿 JSON",
        description="读取草稿 JSON、按标签填写的数据 JSON 或数据目录中的草稿（按编号），导出为按表格标签组织的数据 JSON 或草稿 JSON。",
    )
    p.add_argument("file", metavar="DRAFT", help=SOURCE_HELP)
    kind = p.add_mutually_exclusive_group()
    kind.add_argument(
        "--labels", dest="kind", action="store_const", const="labels", help="按表格标签组织的数据 JSON（默认）"
    )
    kind.add_argument(
        "--draft", dest="kind", action="store_const", const="draft", help="草稿 JSON（含每个单元格的状态和来源）"
    )
    p.add_argument("-o", "--output", default=None, help="输出文件；省略或为 - 时输出到屏幕")
    p.set_defaults(func=run, kind="labels")


def run(args: argparse.Namespace) -> int:
    report = load_source(args.file)
    if args.kind == "draft":
        text = report.model_dump_json(indent=2) + "\n"
    else:
        text = json.dumps(to_label_json(report), ensure_ascii=False, indent=2) + "\n"
    write_output(text, args.output)
    if args.output not in (None, "-"):
        print(f"已导出：{args.output}", file=sys.stderr)
    return 0
