"""Model drafting and regeneration of the narrative sections 一/五/六, streamed, guarded, with an offline fallback.

After the stream the text goes through the guard: the number guard (:func:`assistant.drafting.check_prose_numbers`),
no sentence copied verbatim from last year's section, and the right statistical period and format citation. On
failure the section is regenerated once (problems fed back); if that fails too, or the model is unavailable,
the offline :func:`assistant.drafting.draft_section_result` is used and a notice says so. Only the requested
section is produced: nothing here touches other sections or any table.

Streaming UI: ``stream = drafter.stream_section(report, "s1")``; ``st.write_stream(stream)``; then show
``stream.result.text`` (it differs from what was streamed when the guard rejected the first attempt).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..drafting import NARRATIVE_FACTS, check_prose_numbers, draft_section_result, repeated_sentences
from ..errors import InputError
from ..facts import Report, format_number
from ..formats import NARRATIVE_SECTION_IDS
from ..prompts import render_prompt
from ..tokens import TokenUsage, truncate_to_tokens
from .client import LLMClient, LLMError, StreamState
from .prompting import neutralize

log = logging.getLogger("assistant.llm")

DraftSource = Literal["llm", "llm_retry", "offline"]
MATERIAL_TOKENS = 1500
LAST_YEAR_TOKENS = 800
_PERIOD = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:至|到|—|-|～|~)\s*(?:(\d{4})\s*年\s*)?12\s*月\s*31\s*日")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_CITATION = re.compile(r"国办公开办函\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,4})\s*号")


@dataclass
class DraftResult:
    """The final text of one section and how it was obtained."""

    section_id: str
    text: str
    source: DraftSource
    notices: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what the guard found in rejected attempts
    usage: TokenUsage = field(default_factory=TokenUsage)

    def tokens_line(self, settings_price: tuple[float | None, float | None] = (None, None)) -> str:
        return self.usage.describe(*settings_price)


class DraftStream:
    """An iterator of text chunks (for ``st.write_stream``); ``result`` is set when it is exhausted."""

    def __init__(self, generator: Iterator[str]) -> None:
        self._gen = generator
        self.result: DraftResult | None = None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._gen)

    def finish(self) -> DraftResult:
        """Consume the rest and return the result."""
        for _ in self:
            pass
        assert self.result is not None
        return self.result


# ---- the guard -----------------------------------------------------------------------------------
def check_period_and_citation(report: Report, text: str) -> list[str]:
    """Problems with the statistical period (must be the report year) and the format citation."""
    problems = []
    year = report.report_year
    for m in _PERIOD.finditer(text):
        years = {int(m.group(1))} | ({int(m.group(2))} if m.group(2) else set())
        if year and years != {year}:
            problems.append(f"统计期限“{m.group(0)}”与报告年度{year}年不符")
    expected = report.fmt.citation
    for m in _CITATION.finditer(text):
        y, n = int(m.group(1)), int(m.group(2))
        if (y, n) in ((2019, 60), (2021, 30)) and f"〔{y}〕{n}号" not in expected:
            problems.append(f"引用的格式文号“{m.group(0)}”与本报告格式（{expected}）不符")
    return problems


def copied_sentences(report: Report, section_id: str, text: str) -> list[str]:
    """Sentences of ``text`` that repeat last year's same section (verbatim after normalisation)."""
    last = report.last_year.sections.get(section_id, "") if report.last_year else ""
    if not last.strip():
        return []
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    return [p for p in parts if repeated_sentences(p, last) >= 1.0]


def guard_problems(report: Report, section_id: str, text: str) -> list[str]:
    """Everything wrong with a model-written section, in Chinese; empty when it may be used."""
    if not text.strip():
        return ["模型没有写出任何内容"]
    problems = list(check_prose_numbers(report, text))
    problems += check_period_and_citation(report, text)
    for s in copied_sentences(report, section_id, text):
        problems.append(f"“{s[:30]}…”照抄了上年度报告")
    return problems


# ---- the prompt ----------------------------------------------------------------------------------
def _numbers(report: Report, section_id: str) -> str:
    """The table numbers a section may cite, as "label=value" lines (unknown ones say so)."""
    fmt = report.fmt
    keys: list[tuple[str, str]] = []
    if section_id == "s1":
        for spec in fmt.table_cells("table2"):
            keys.append((spec.key, f"表二 {spec.row_label}{spec.col_label}"))
        for row in ("received", "carried_in", "result_total", "carried_out"):
            label = next(r.label for r in fmt.table3_rows if r.id == row)
            label = f"{fmt.table3_result_group}{label}（即办结数）" if row == "result_total" else f"{label}（总计）"
            keys.append((f"t3.{row}.total", f"表三 {label}"))
        keys.append(("t3.received.natural_person", "表三 本年新收（自然人）"))
        for row in ("disclosed", "partly_disclosed"):
            label = next(r.label for r in fmt.table3_rows if r.id == row).split("（区分", 1)[0]
            keys.append((f"t3.{row}.total", f"表三 {label}（总计）"))
        for g in fmt.table4_groups:
            keys.append((f"t4.{g.id}.total", f"表四 {g.label}（总计）"))
    elif section_id == "s6":
        for spec in fmt.table_cells("table2"):
            if spec.row_id == "admin_fee":
                keys.append((spec.key, f"表二 {spec.row_label}{spec.col_label}"))
        for row in fmt.table3_rows:
            if row.id == "other_handling_2":
                keys.append(("t3.other_handling_2.total", "表三 逾期未缴纳信息处理费而不再处理的申请（总计）"))
    lines = []
    for key, label in keys:
        v = report.value(key)
        lines.append(f"{label}={format_number(v)}" if v is not None else f"{label}=未填（不要写具体数字）")
    lines.append(f"报告年度={report.report_year or '未定'}")
    return "\n".join(lines) if lines else "（无）"


def build_draft_messages(report: Report, section_id: str, *, instruction: str | None = None) -> list[dict[str, str]]:
    """System rules + the section's facts, the clerk's material and, for regeneration, the instruction."""
    fmt = report.fmt
    section = fmt.section(section_id)
    year = report.report_year
    system = render_prompt(
        "llm/draft_system",
        period=f"{year}年1月1日至{year}年12月31日" if year else "报告年度的1月1日至12月31日",
        format_name=fmt.name,
        citation=fmt.citation,
    )
    material_lines = [
        f"{f.label}：{report.narrative_facts[f.key].strip()}"
        for f in NARRATIVE_FACTS
        if f.section == section_id and report.narrative_facts.get(f.key, "").strip()
    ]
    material = truncate_to_tokens(neutralize("\n".join(material_lines)), MATERIAL_TOKENS) or "（承办人未提供）"
    last_year = ""
    if report.last_year and report.last_year.sections.get(section_id, "").strip():
        last_year = render_prompt(
            "llm/draft_last_year",
            text=truncate_to_tokens(neutralize(report.last_year.sections[section_id]), LAST_YEAR_TOKENS),
        )
    structure = render_prompt(f"llm/draft_structure_{section_id}", subparts="、".join(section.subparts))
    user = render_prompt(
        "llm/draft_user",
        agency=report.agency or "本机关",
        year=year or "",
        format_name=fmt.name,
        heading=section.heading,
        structure=structure,
        numbers=_numbers(report, section_id),
        material=material,
        last_year=last_year,
    )
    if instruction and instruction.strip():
        user += "\n" + render_prompt("llm/regenerate", instruction=neutralize(instruction.strip()[:500]))
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


# ---- the drafter ---------------------------------------------------------------------------------
def _first(problems: list[str]) -> str:
    p = problems[0] if problems else "未知问题"
    return p if len(problems) == 1 else f"{p}等{len(problems)}处"


class LLMDrafter:
    """Streams a section from the model; guards it; regenerates once; falls back to the offline drafter."""

    name = "llm"

    def __init__(self, client: LLMClient, *, max_tokens: int = 1200) -> None:
        self.client = client
        self.max_tokens = max_tokens

    def stream_section(self, report: Report, section_id: str, *, instruction: str | None = None) -> DraftStream:
        """A generator of text chunks for ``st.write_stream``; the final text is in ``.result`` afterwards."""
        if section_id not in NARRATIVE_SECTION_IDS:
            raise InputError(f"“{section_id}”不是叙述性章节，只能生成一、五、六部分（s1、s5、s6）")
        stream = DraftStream(iter(()))
        stream._gen = self._run(report, section_id, instruction, stream)
        return stream

    def __call__(self, report: Report, section_id: str, *, instruction: str | None = None, **_: object) -> str:
        """The engine's drafter interface: ``(report, section_id) -> text`` (guarded, falls back offline)."""
        return self.draft_section(report, section_id, instruction=instruction).text

    def draft_section(self, report: Report, section_id: str, *, instruction: str | None = None) -> DraftResult:
        """Non-streaming: the guarded final text with notices and token usage."""
        return self.stream_section(report, section_id, instruction=instruction).finish()

    def _run(self, report: Report, section_id: str, instruction: str | None, out: DraftStream) -> Iterator[str]:
        messages = build_draft_messages(report, section_id, instruction=instruction)
        state = StreamState()
        usage = TokenUsage()
        try:
            yield from self.client.stream(messages, state=state, max_tokens=self.max_tokens)
            usage = usage + state.usage
        except LLMError as e:
            log.info("drafting stream failed: %s (%s)", e, e.kind)
            out.result = self._offline(
                report, section_id, instruction, render_prompt("llm/notice_draft_unavailable", reason=str(e)), usage
            )
            return
        text = state.text.strip()
        problems = guard_problems(report, section_id, text)
        if not problems:
            out.result = DraftResult(section_id, text, "llm", usage=usage)
            return
        retry = [
            *messages,
            {"role": "assistant", "content": text[:4000]},
            {
                "role": "user",
                "content": render_prompt("llm/draft_retry", problems="\n".join(f"- {p}" for p in problems[:8])),
            },
        ]
        try:
            completion = self.client.complete(retry, max_tokens=self.max_tokens, temperature=0.2)
        except LLMError as e:
            log.info("drafting retry failed: %s (%s)", e, e.kind)
            out.result = self._offline(
                report,
                section_id,
                instruction,
                render_prompt("llm/notice_draft_offline", problem=_first(problems)),
                usage,
                problems,
            )
            return
        usage = usage + completion.usage
        second = completion.text.strip()
        problems2 = guard_problems(report, section_id, second)
        if not problems2:
            notice = render_prompt("llm/notice_draft_retried", problem=_first(problems))
            out.result = DraftResult(section_id, second, "llm_retry", [notice], problems, usage)
            return
        notice = render_prompt("llm/notice_draft_offline", problem=_first(problems2))
        out.result = self._offline(report, section_id, instruction, notice, usage, problems + problems2)

    @staticmethod
    def _offline(
        report: Report,
        section_id: str,
        instruction: str | None,
        notice: str,
        usage: TokenUsage,
        problems: list[str] | None = None,
    ) -> DraftResult:
        draft = draft_section_result(report, section_id, instruction=instruction)
        return DraftResult(section_id, draft.text, "offline", [notice, *draft.notes], problems or [], usage)


def stream_section(
    report: Report, section_id: str, *, instruction: str | None = None, drafter: LLMDrafter | None = None
) -> DraftStream:
    """Module-level convenience: stream with the configured model (or the offline drafter when none is set)."""
    if drafter is None:
        from . import build_drafter

        built = build_drafter()
        if built is None:
            return _offline_stream(report, section_id, instruction)
        drafter = built
    return drafter.stream_section(report, section_id, instruction=instruction)


def draft_section_llm(
    report: Report, section_id: str, *, instruction: str | None = None, drafter: LLMDrafter | None = None
) -> DraftResult:
    """Non-streaming variant of :func:`stream_section`."""
    return stream_section(report, section_id, instruction=instruction, drafter=drafter).finish()


def _offline_stream(report: Report, section_id: str, instruction: str | None) -> DraftStream:
    if section_id not in NARRATIVE_SECTION_IDS:
        raise InputError(f"“{section_id}”不是叙述性章节，只能生成一、五、六部分（s1、s5、s6）")
    out = DraftStream(iter(()))

    def gen() -> Iterator[str]:
        draft = draft_section_result(report, section_id, instruction=instruction)
        out.result = DraftResult(section_id, draft.text, "offline", list(draft.notes))
        yield draft.text

    out._gen = gen()
    return out
