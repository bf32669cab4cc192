"""Prompt tokens per extraction request, turn by turn: the compact state vs. a naive whole-history prompt.

Usage: ``python scripts/bench_llm_tokens.py [--turns 24] [--dialogue samples/dialogues/county_gov_2021.txt]``

The conversation is a real sample dialogue followed by narrative answers and corrections, driven through the
offline engine (the same state the LLM path sees). For each turn N the request is built exactly as
``LLMExtractor`` builds it (``build_extraction_messages``); the naive baseline sends every earlier clerk message
and assistant reply plus the whole ledger. Tokens are o200k_base counts (offline tiktoken), incl. chat framing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.commands.chat import read_script  # noqa: E402
from assistant.engine import ConversationEngine  # noqa: E402
from assistant.llm.prompting import (  # noqa: E402
    RECENT_MESSAGES,
    build_extraction_messages,
    naive_extraction_messages,
    prompt_tokens,
    system_prompt,
)
from assistant.tokens import count_tokens  # noqa: E402

EXTRA = [
    "主动公开方面，我们通过政府门户网站、政务新媒体和公开栏发布信息，重点公开了财政预决算、重大建设项目和民生实事，并对重要政策做了图文解读。",
    "政府信息管理方面，严格执行公文公开属性源头认定和保密审查，开展了规范性文件清理。",
    "平台建设方面，完善了网站政府信息公开专栏，在政务服务中心设置了政务公开专区。",
    "监督保障方面，成立了政务公开工作领导小组，组织了两次业务培训，政务公开纳入年度绩效考核，没有发生责任追究。",
    "存在的问题：一是专栏信息更新不够及时；二是政策解读形式比较单一。",
    "改进措施：建立专栏更新台账，每月检查；增加视频、图解等解读形式。上年度提出的问题已经整改到位。",
    "今年没有收取信息处理费。",
    "其他需要报告的事项：认真落实了政务公开工作要点，人大代表建议和政协提案办理结果均已公开。",
    "更正：行政处罚是1625件。",
    "更正一下，结转下年度的自然人是3件，商业企业1件。",
    "行政强制刚才说错了，是46件。",
    "好的，没有其他要补充的了。",
    "再确认一下，规章我们没有制定权。",
    "行政许可数字没问题。",
    "好的。",
    "谢谢。",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=24)
    parser.add_argument("--dialogue", default=str(ROOT / "samples" / "dialogues" / "county_gov_2021.txt"))
    args = parser.parse_args(argv)

    messages = (read_script(args.dialogue) + EXTRA)[: args.turns]
    engine = ConversationEngine()
    result = engine.start()
    state = result.state
    history: list[tuple[str, str]] = [("assistant", result.reply)]
    recent: list[str] = []
    rows = []
    for n, message in enumerate(messages, 1):
        compact = build_extraction_messages(state.report, message, state.pending, recent[-RECENT_MESSAGES:])
        naive = naive_extraction_messages(state.report, history, message, state.pending)
        rows.append((n, prompt_tokens(compact), prompt_tokens(naive), count_tokens(message)))
        result = engine.turn(state, message, message_id=f"m{n}")
        state = result.state
        history += [("clerk", message), ("assistant", result.reply)]
        recent.append(message)

    prefix = count_tokens(system_prompt(state.report.effective_format_id))
    print(f"stable prefix (system prompt + cell list, cacheable): {prefix} tokens")
    print(f"{'turn':>4} | {'compact':>7} | {'naive':>7} | {'ratio':>5} | {'message':>7}")
    print("-----+---------+---------+-------+--------")
    for n, c, v, m in rows:
        mark = "  <--" if n in (2, 20) else ""
        print(f"{n:>4} | {c:>7} | {v:>7} | {v / c:>5.1f} | {m:>7}{mark}")
    total_c = sum(r[1] for r in rows)
    total_v = sum(r[2] for r in rows)
    print(f"sum  | {total_c:>7} | {total_v:>7} | {total_v / total_c:>5.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
