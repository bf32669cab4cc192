"""``render FILE --to md|txt|txt-lines|html|html-paste|docx -o OUT [--allow-draft]``: print or save the report.

A draft (unknown cells, 【待补充】 marks, sections not drafted, error findings) is still written, marked
「征求意见稿（草稿）」, with the reasons on stderr; the exit code is then 1 unless ``--allow-draft`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..prompts import load_prompt
from ..render import draft_reasons, normalize_target, render
from . import load_source

_EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "txt", ".html": "html", ".htm": "html", ".docx": "docx"}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "render",
        help="把报告输出为 Markdown、纯文本、HTML 或 Word",
        description="读取草稿 JSON 或按标签填写的数据 JSON，输出为 md / txt / html / docx。",
    )
    p.add_argument("file", metavar="FILE", help="草稿 JSON 或按标签填写的数据 JSON")
    p.add_argument(
        "--to",
        dest="to",
        default=None,
        help="输出格式：md、txt、txt-lines（表格逐行写成文字）、html、html-paste（粘贴到网站）、docx"
        "（默认按 -o 的扩展名，否则 md）",
    )
    p.add_argument("-o", "--output", default=None, help="输出文件；省略或为 - 时输出到屏幕（docx 必须指定文件）")
    p.add_argument(
        "--allow-draft",
        action="store_true",
        help="草稿（有未填单元格、待补充标记、未起草部分或勾稽错误）也以退出码 0 结束（文件仍标注征求意见稿）",
    )
    p.set_defaults(func=run)


def _target(args: argparse.Namespace) -> str:
    if args.to:
        return normalize_target(args.to)
    if args.output and args.output != "-":
        suffix = Path(args.output).suffix.lower()
        if suffix in _EXTENSIONS:
            return _EXTENSIONS[suffix]
    return "md"


def write_output(data: str | bytes, output: str | None) -> None:
    """Write text or bytes to a file, or text to stdout; Chinese errors on failure."""
    if output in (None, "-"):
        if isinstance(data, bytes):
            raise InputError("Word（docx）是二进制文件，不能输出到屏幕，请用 -o 指定输出文件，例如 -o 年报.docx")
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    path = Path(output)  # type: ignore[arg-type]
    if path.is_dir():
        raise InputError(f"“{path}”是一个文件夹，请给出输出文件名")
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as e:
        raise InputError(f"无法写入文件“{path}”：{e.strerror or e}") from None


def run(args: argparse.Namespace) -> int:
    target = _target(args)
    report = load_source(args.file)
    write_output(render(report, target), args.output)
    if args.output not in (None, "-"):
        print(f"已输出：{args.output}", file=sys.stderr)
    reasons = draft_reasons(report)
    if not reasons:
        return 0
    lines = [load_prompt("render/draft_stderr_head")] + [f"  - {r}" for r in reasons]
    if not args.allow_draft:
        lines.append(load_prompt("render/draft_stderr_tail"))
    print("\n".join(lines), file=sys.stderr)
    return 0 if args.allow_draft else 1
