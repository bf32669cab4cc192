"""``bench [--quick] [--json-out F] [--no-browser]``: measure latency, questions, prompt tokens, rendering, concurrency."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "bench",
        help="性能基准：离线回合延迟、提问次数、模型提示词 tokens、渲染、并发会话",
        description="运行性能基准并打印表格；--json-out 把全部结果写成 JSON。",
    )
    p.add_argument("--quick", action="store_true", help="快速模式：更少的重复和会话，不启动浏览器")
    p.add_argument("--no-browser", action="store_true", help="不测浏览器冷启动和 AppTest 重跑")
    p.add_argument("--json-out", metavar="FILE", help="把结果写入此 JSON 文件")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..bench import run_bench

    out = Path(args.json_out) if args.json_out else None
    if out is not None and out.is_dir():
        raise InputError(f"“{out}”是一个文件夹，请给出 JSON 文件名")
    report = run_bench(
        quick=args.quick, browser=not args.no_browser, progress=lambda s: print(s, file=sys.stderr, flush=True)
    )
    print(report.table())
    if out is not None:
        try:
            out.write_text(report.dumps(), encoding="utf-8")
        except OSError as e:
            raise InputError(f"无法写入“{out}”：{e.strerror or e}") from None
        print(f"已写入 {out}")
    return 0
