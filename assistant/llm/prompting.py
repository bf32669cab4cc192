"""Build the messages of one extraction request from the conversation state, inside a token budget.

The stable prefix (rules + the format's compact cell list) is the whole system message and comes first, so
provider prompt caching can reuse it across turns. The user message carries only a compact state: the relevant
part of the ledger, the pending questions, the last few clerk messages and the new message (delimited; it is
data, never instructions). :func:`naive_extraction_messages` is the whole-history baseline for the benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..drafting import NARRATIVE_FACTS
from ..extract.base import PendingQuestion
from ..facts import AgencyLevel, Report
from ..formats import ReportFormat, get_format
from ..prompts import render_prompt
from ..textnorm import normalize_text
from ..tokens import count_message_tokens, count_tokens, truncate_to_tokens

Message = dict[str, Any]

DEFAULT_BUDGET = 6000  # prompt tokens per extraction request
MAX_LEDGER_LINES = 40
RECENT_MESSAGES = 2
RECENT_TOKENS = 200  # per recent message
_TAG = re.compile(r"</?\s*(clerk_message|clerk_material|reviewer_instruction)\s*>", re.IGNORECASE)


def neutralize(text: str) -> str:
    """Clerk text with our delimiter tags defanged, so it cannot close its own envelope."""
    return _TAG.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


# ---- the stable prefix ---------------------------------------------------------------------------
def _short(label: str) -> str:
    return label.split("（", 1)[0] if not label.startswith("（") else label


@lru_cache(maxsize=8)
def cell_list(format_id: str) -> str:
    """The format's cells, compactly: table 二 cell by cell, tables 三/四 as row × column grammar."""
    fmt: ReportFormat = get_format(format_id)
    lines = ["表二（键 t2.行.列）："]
    for block in fmt.table2_blocks:
        for row in block.rows:
            for col in block.columns:
                lines.append(f"t2.{row.id}.{col.id}={block.caption}/{row.label}/{col.label}")
    rows = []
    for row in fmt.table3_rows:
        label = f"{row.group}/{row.label}" if row.group and row.group != row.label else row.label
        rows.append(f"{row.id}={_short(label) if len(label) > 24 else label}")
    cols = [f"{c.id}={c.label}" for c in fmt.table3_columns]
    lines.append("表三（键 t3.行.列，如 t3.received.natural_person）：")
    lines.append("行：" + "；".join(rows))
    lines.append(f"列：{'；'.join(cols)}（商业企业至其他属于“{fmt.table3_org_group}”）")
    groups = [f"{g.id}={(g.parent + '/') if g.parent else ''}{g.label}" for g in fmt.table4_groups]
    lines.append("表四（键 t4.组.列）：")
    lines.append("组：" + "；".join(groups))
    lines.append("列：" + "；".join(f"{c.id}={c.label}" for c in fmt.table4_columns))
    return "\n".join(lines)


@lru_cache(maxsize=8)
def system_prompt(format_id: str) -> str:
    fmt = get_format(format_id)
    return render_prompt(
        "llm/extract_system",
        format_name=fmt.name,
        citation=fmt.citation,
        cells=cell_list(format_id),
        levels="、".join(lv.value for lv in AgencyLevel),
        narrative_keys="\n".join(f"{f.key}={f.label}" for f in NARRATIVE_FACTS),
    )


# ---- the compact state ---------------------------------------------------------------------------
def _row_keywords(fmt: ReportFormat) -> dict[str, tuple[str, list[str]]]:
    """table/row id → words that show a message is about that row."""
    out: dict[str, tuple[str, list[str]]] = {}
    for row in fmt.table3_rows:
        core = re.sub(r"^[一二三四五六七八九十]+、|^（[一二三四五六七]）|^\d+\.", "", row.label)
        core = core.split("（", 1)[0]
        words = [core[:4]] if core else []
        if row.id in ("received",):
            words += ["新收", "收到"]
        if row.id == "carried_in":
            words += ["上年结转"]
        if row.id == "carried_out":
            words += ["结转下年", "结转"]
        if row.id == "result_total":
            words += ["办结", "总计", "合计"]
        out[f"t3.{row.id}"] = ("table3", [w for w in words if len(w) >= 2])
    for g in fmt.table4_groups:
        out[f"t4.{g.id}"] = ("table4", [g.label[:4], "复议" if g.id == "review" else "诉讼"])
    for block in fmt.table2_blocks:
        for row in block.rows:
            out[f"t2.{row.id}"] = ("table2", [row.label[:4]])
    return out


def relevant_cells(report: Report, message: str, pending: Sequence[PendingQuestion]) -> list[str]:
    """Known cells the model may need: those of pending questions and of rows the message talks about."""
    fmt = report.fmt
    text = normalize_text(message)
    wanted: list[str] = []
    for q in pending:
        wanted.extend(q.cells)
    prefixes = [p for p, (_, words) in _row_keywords(fmt).items() if any(w in text for w in words)]
    for key in fmt.cells():
        if any(key.startswith(p + ".") for p in prefixes):
            wanted.append(key)
    seen: set[str] = set()
    out = []
    for key in wanted:
        if key in seen or key not in fmt.cells():
            continue
        seen.add(key)
        if report.cell(key).known:
            out.append(key)
    return out[:MAX_LEDGER_LINES]


def ledger_lines(report: Report, keys: Sequence[str]) -> str:
    if not keys:
        return "（无）"
    return "\n".join(f"{k}={report.cell(k).describe()}" for k in keys)


def pending_lines(pending: Sequence[PendingQuestion]) -> str:
    if not pending:
        return "（无）"
    lines = []
    for i, q in enumerate(pending, 1):
        about = f"（单元格：{'、'.join(q.cells[:12])}{'…' if len(q.cells) > 12 else ''}）" if q.cells else ""
        if q.narrative_key:
            about = f"（叙述键：{q.narrative_key}）"
        if q.meta_field:
            about = f"（报告信息：{q.meta_field}）"
        lines.append(f"{i}. {q.text.strip()}{about}")
    return "\n".join(lines)


def recent_lines(recent: Sequence[str]) -> str:
    items = [truncate_to_tokens(neutralize(normalize_text(m)), RECENT_TOKENS) for m in recent[-RECENT_MESSAGES:]]
    return "\n".join(f"承办人：{m}" for m in items) if items else "（无）"


def header_line(report: Report) -> str:
    year = f"{report.report_year}年度" if report.report_year else "年度未定"
    level = report.level.value if report.level else "层级未定"
    known = sum(1 for c in report.fmt.input_cells() if report.cell(c.key).known)
    total = len(report.fmt.input_cells())
    return f"{report.agency or '机关未定'}｜{level}｜{year}｜格式{report.effective_format_id}｜已填{known}/{total}格"


def build_extraction_messages(
    report: Report,
    message: str,
    pending: Sequence[PendingQuestion] = (),
    recent: Sequence[str] = (),
    *,
    budget: int = DEFAULT_BUDGET,
) -> list[Message]:
    """The request for one turn: stable system prefix, then the compact state and the delimited message."""
    system = system_prompt(report.effective_format_id)
    keys = relevant_cells(report, message, pending)
    body = neutralize(normalize_text(message))

    def render(keys: Sequence[str], recent: Sequence[str], body: str) -> list[Message]:
        user = render_prompt(
            "llm/extract_user",
            header=header_line(report),
            ledger=ledger_lines(report, keys),
            pending=pending_lines(pending),
            recent=recent_lines(recent),
            message=body,
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    messages = render(keys, recent, body)
    if count_message_tokens(messages) > budget:  # drop context before cutting the clerk's words
        messages = render(keys[:10], (), body)
    if count_message_tokens(messages) > budget:
        room = budget - count_message_tokens(render(keys[:10], (), ""))
        messages = render(keys[:10], (), truncate_to_tokens(body, max(200, room)))
    return messages


def naive_extraction_messages(
    report: Report, history: Sequence[tuple[str, str]], message: str, pending: Sequence[PendingQuestion] = ()
) -> list[Message]:
    """Baseline for the benchmark: the whole history as chat turns and the whole ledger, every turn."""
    msgs: list[Message] = [{"role": "system", "content": system_prompt(report.effective_format_id)}]
    for role, text in history:
        msgs.append({"role": "user" if role == "clerk" else "assistant", "content": text})
    known = [k for k in report.fmt.cells() if report.cell(k).known]
    user = render_prompt(
        "llm/extract_user",
        header=header_line(report),
        ledger=ledger_lines(report, known),
        pending=pending_lines(pending),
        recent="（见上文）",
        message=message,
    )
    msgs.append({"role": "user", "content": user})
    return msgs


def prompt_tokens(messages: Sequence[Message]) -> int:
    return count_message_tokens(messages)


__all__ = [
    "build_extraction_messages",
    "cell_list",
    "count_tokens",
    "naive_extraction_messages",
    "neutralize",
    "prompt_tokens",
    "relevant_cells",
    "system_prompt",
]
