"""Command line: ``python -m assistant <command> …``. Each command lives in ``assistant/commands/<name>.py``
and exposes ``register(subparsers)``; this module only discovers them and turns errors into Chinese messages."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback

from . import commands
from .errors import AssistantError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="年报助手：政府信息公开工作年度报告起草与检查")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def _configure_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def main(argv: list[str] | None = None) -> int:
    _configure_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except AssistantError as e:
        print(f"错误：{e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - last line of defence: no traceback for users
        if os.environ.get("ASSISTANT_DEBUG"):
            traceback.print_exc()
        print("错误：程序内部出现问题，输入未被修改。设置环境变量 ASSISTANT_DEBUG=1 可查看详细信息。", file=sys.stderr)
        return 3
