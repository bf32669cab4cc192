"""``doctor``: test the model connection (reachability, model, streaming, structured-output rung)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "doctor",
        help="测试模型连接（可达性、模型、流式输出、结构化输出档位）",
        description="按 OPENAI_API_KEY、OPENAI_BASE_URL、ASSISTANT_MODEL（或 .streamlit/secrets.toml）测试模型服务。未配置时说明正在使用离线引擎。",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..llm.doctor import run_doctor

    report = run_doctor()
    print(report.text())
    return 0 if report.ok else 2
