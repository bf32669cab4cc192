"""``chat [--offline] [--script FILE] [--json-out F] [--report-out F] [--draft-in F]``: talk to the engine.

With ``--script`` the clerk's messages are read from FILE (separated by lines containing only ``---``) and the
whole conversation is printed; without it, an interactive terminal chat ("退出" to quit).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from ..engine import ConversationEngine
from ..errors import AssistantError
from ..extract.base import Extractor
from ..facts import Report
from ..interchange import load_report, to_label_json
from ..textfile import read_text_file

QUIT_WORDS = {"退出", "exit", "quit", "q", "再见"}
_SEPARATOR = re.compile(r"^\s*---\s*$", re.MULTILINE)
MAX_SCRIPT_BYTES = 5 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "chat",
        help="与年报助手对话（交互式，或用 --script 读取对话脚本）",
        description="与年报助手对话，逐条记录表格数字并追问缺少的项目。用 --script 读取脚本文件（各条消息之间用单独一行 --- 分隔）。",
    )
    p.add_argument("--offline", action="store_true", help="只使用离线规则引擎，不调用模型")
    p.add_argument("--script", metavar="FILE", help="对话脚本：承办人的各条消息，用单独一行 --- 分隔")
    p.add_argument("--json-out", metavar="FILE", help="结束时把数据（按标签填写的 JSON）写入此文件")
    p.add_argument("--report-out", metavar="FILE", help="结束时把完整报告（Markdown）写入此文件")
    p.add_argument("--draft-in", metavar="FILE", help="从已有草稿或数据 JSON 继续")
    p.set_defaults(func=run)


def choose_extractor(offline: bool) -> tuple[Extractor | None, str]:
    """The model extractor when configured (helper module ``assistant.llm``), else the offline rules."""
    if not offline:
        try:
            from .. import llm

            build = getattr(llm, "build_extractor", None)
            extractor = build() if build is not None else None
        except (ImportError, AssistantError):
            extractor = None
        if extractor is not None:
            return extractor, f"使用模型：{getattr(extractor, 'description', None) or getattr(extractor, 'name', '模型')}"
        return None, "使用离线引擎（未配置模型）"
    return None, "使用离线引擎"


def read_script(path: str) -> list[str]:
    """Clerk messages from a script file; blank messages are skipped."""
    text = read_text_file(path, max_bytes=MAX_SCRIPT_BYTES, what="对话脚本")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [m.strip("\n") for m in _SEPARATOR.split(text) if m.strip()]


def run_conversation(engine: ConversationEngine, messages: Iterable[str], report: Report | None = None,
                     out: Callable[[str], None] = print) -> Report:
    """Feed messages to the engine, printing each message and reply; return the final report."""
    result = engine.start(report)
    out(f"助手：\n{result.reply}\n")
    state = result.state
    for i, message in enumerate(messages, 1):
        out(f"承办人：\n{message}\n")
        result = engine.turn(state, message, message_id=f"m{i}")
        state = result.state
        out(f"助手：\n{result.reply}\n")
    return state.report


def _interactive(engine: ConversationEngine, report: Report | None) -> Report:
    result = engine.start(report)
    print(f"助手：\n{result.reply}\n")
    state = result.state
    i = 0
    while True:
        try:
            message = input("承办人> ")
        except EOFError:
            break
        if message.strip().lower() in QUIT_WORDS:
            break
        lines = [message]
        while message.endswith("\\"):  # a trailing backslash continues the message on the next line
            lines[-1] = lines[-1][:-1]
            try:
                message = input("…> ")
            except EOFError:
                break
            lines.append(message)
        i += 1
        result = engine.turn(state, "\n".join(lines), message_id=f"m{i}")
        state = result.state
        print(f"\n助手：\n{result.reply}\n")
    return state.report


def write_outputs(report: Report, json_out: str | None, report_out: str | None) -> None:
    if json_out:
        Path(json_out).write_text(json.dumps(to_label_json(report), ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
        print(f"数据已写入 {json_out}")
    if report_out:
        Path(report_out).write_text(_markdown(report), encoding="utf-8")
        print(f"报告已写入 {report_out}")


def _markdown(report: Report) -> str:
    try:
        from ..render import render_markdown
    except ImportError:  # rendering not installed: the facts as readable JSON in a Markdown code block
        body = json.dumps(to_label_json(report), ensure_ascii=False, indent=2)
        return f"# {report.agency}{report.report_year or ''}年度政府信息公开工作年度报告（数据）\n\n```json\n{body}\n```\n"
    return render_markdown(report)


def run(args: argparse.Namespace) -> int:
    extractor, line = choose_extractor(args.offline)
    print(line)
    report = load_report(args.draft_in) if args.draft_in else None
    messages = read_script(args.script) if args.script else None
    engine = ConversationEngine(extractor=extractor)
    if messages is not None:
        report = run_conversation(engine, messages, report)
    else:
        if not sys.stdin.isatty():
            print("（从标准输入读取消息，每行一条；输入“退出”结束）")
        report = _interactive(engine, report)
    write_outputs(report, args.json_out, args.report_out)
    return 0
