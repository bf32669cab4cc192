"""Offline drafting of the narrative sections 一 (总体情况), 五 and 六, and the number guard for any prose.

Public API (used by the dialogue engine, the LLM layer and the app): :func:`draft_section`,
:func:`draft_section_result`, :func:`draft_all`, :func:`missing_narrative_facts`, :func:`numbers_in_prose`,
:func:`check_prose_numbers`, :func:`repeated_sentences`. Numbers come only from the ledger, sums the templates
state, or the clerk's narrative facts; wording lives in ``prompts/sections/`` (see :mod:`assistant.drafting.composition`
for the template syntax, :mod:`assistant.drafting.sections` for the builders).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import AssistantError
from ..facts import Report
from ..formats import NARRATIVE_SECTION_IDS
from .composition import (
    REPETITION_THRESHOLD,
    Composition,
    Instruction,
    ItemList,
    choose,
    compose,
    drop_optional,
    emphasise,
    fill,
    parse_instruction,
    repeated_sentences,
    shorten,
    text_length,
    topic_matches,
)
from .findings import narrative_findings, placeholders
from .intake import merge_narrative, restatement
from .prose_numbers import ProseNumber, check_numbers_with, check_prose_numbers, numbers_in_prose
from .sections import (
    S1_SUBPART_FACTS,
    DraftContext,
    build_s1,
    build_s5,
    build_s6,
    has_fact,
    make_context,
    missing_supervision_elements,
    rectification_items,
)
from .slots import NARRATIVE_BY_KEY, NARRATIVE_FACTS, NarrativeFact
from .talk import is_talk, strip_talk

__all__ = [
    "NARRATIVE_BY_KEY",
    "NARRATIVE_FACTS",
    "NarrativeFact",
    "is_talk",
    "merge_narrative",
    "narrative_findings",
    "placeholders",
    "restatement",
    "strip_talk",
    "REPETITION_THRESHOLD",
    "ProseNumber",
    "SectionDraft",
    "check_prose_numbers",
    "draft_all",
    "draft_section",
    "draft_section_result",
    "incomplete_narrative_keys",
    "missing_narrative_facts",
    "missing_supervision_elements",
    "numbers_in_prose",
    "repeated_sentences",
    "text_length",
]

VARIANTS = 3  # wording variants per part (prompts/sections/*_v1…v3.txt)

# Where "补充…" may take sentences from: the section's own facts (s1 also 其他事项, e.g. innovations).
SUPPLEMENT_SOURCES: dict[str, tuple[str, ...]] = {
    "s1": (*S1_SUBPART_FACTS, "other_matters"),
    "s5": ("problems", "measures"),
    "s6": ("fee", "other_matters"),
}


@dataclass
class SectionDraft:
    """One drafted section with notes for the reviewer (Chinese) and the length outcome."""

    section_id: str
    text: str
    notes: list[str] = field(default_factory=list)
    length: int = 0
    limit: int | None = None
    limit_reached: bool | None = None


# ---- instructions ------------------------------------------------------------------------------------


def _supplement(ctx: DraftContext, comp: Composition, ends: dict[int, int], section_id: str, topic: str) -> None:
    """Append the clerk's sentences about ``topic`` (from SUPPLEMENT_SOURCES) the draft does not contain yet;
    otherwise leave the text unchanged and say why in a note."""
    current = re.sub(r"\s", "", comp.render())
    ordered = [NARRATIVE_BY_KEY[k] for k in SUPPLEMENT_SOURCES[section_id]]
    found_any = False
    new_items: list[str] = []
    target: NarrativeFact | None = None
    for fact in ordered:
        if not has_fact(ctx.report, fact.key):
            continue
        items = ctx.items(fact.key)
        label_hit = topic_matches(topic, fact.label)
        hits = [i for i in items if label_hit or topic_matches(topic, i)]
        if not hits:
            continue
        found_any = True
        fresh = [i for i in hits if re.sub(r"\s", "", i) not in current and i not in new_items]
        if fresh:
            new_items.extend(fresh)
            target = target or fact
    if not found_any:
        ctx.notes.append(fill("sections/notes/supplement_not_found", topic=topic))
        return
    if not new_items:
        ctx.notes.append(fill("sections/notes/supplement_present", topic=topic))
        return
    parts = compose(choose("sections/supplement_v", ctx.variant), {"items": ItemList(new_items, ctx.style)})
    for p in parts:
        for line in p.lines:
            line.priority = 0  # asked for explicitly: kept when shortening
    at = len(comp.parts)
    if section_id == "s1" and target is not None and target.section == "s1" and target.subpart is not None:
        at = ends[target.subpart]
    before = comp.parts[at - 1] if at > 0 else None
    if before is not None and before.heading is None:
        before.lines.extend(line for p in parts for line in p.lines)  # continue the paragraph
    else:
        comp.parts[at:at] = parts
    ctx.notes.append(fill("sections/notes/supplement_done", topic=topic, n=str(len(new_items))))


def _compose(report: Report, section_id: str, variant: int, instr: Instruction) -> tuple[Composition, DraftContext]:
    """Build one variant of a section and apply the instruction's 补充 and 突出 parts to it."""
    ctx = make_context(report, variant)
    ends: dict[int, int] = {}
    if section_id == "s1":
        comp, ends = build_s1(ctx)
    elif section_id == "s5":
        comp = build_s5(ctx)
    else:
        comp = build_s6(ctx)
    if instr.supplement:
        _supplement(ctx, comp, ends, section_id, instr.supplement)
    if instr.emphasis:
        note = "emphasis_done" if emphasise(comp, instr.emphasis) else "emphasis_not_found"
        ctx.notes.append(fill(f"sections/notes/{note}", topic=instr.emphasis))
    if instr.concise:
        drop_optional(comp)
    return comp, ctx


def draft_section_result(
    report: Report, section_id: str, *, variant: int = 0, instruction: str | None = None
) -> SectionDraft:
    """Draft one narrative section ("s1", "s5", "s6") with notes for the reviewer.

    更简洁 / 压缩到N字 try every wording variant and keep the shortest text (within N characters when one is
    given); 突出X puts the clerk's items about X first; 更正式 is the formal lexicon, always applied; any other
    part of the instruction is named in a note as not followed.
    """
    if section_id not in NARRATIVE_SECTION_IDS:
        raise AssistantError(f"“{section_id}”不是叙述性章节，只能生成一、五、六部分（s1、s5、s6）")
    instr = parse_instruction(instruction)
    tries = range(variant, variant + VARIANTS) if (instr.concise or instr.limit) else range(variant, variant + 1)
    best: tuple[tuple[bool, int], Composition, DraftContext, bool | None] | None = None
    for v in tries:
        comp, ctx = _compose(report, section_id, v, instr)
        reached = shorten(comp, instr.limit) if instr.limit else None
        rank = (reached is False, text_length(comp.render()) if (instr.concise or instr.limit) else 0)
        if best is None or rank < best[0]:
            best = (rank, comp, ctx, reached)
    assert best is not None
    _, comp, ctx, reached = best
    if instr.unsupported:
        ctx.notes.append(fill("sections/notes/instruction_unsupported", text=instr.unsupported))
    if instr.limit and not reached:
        ctx.notes.append(
            fill("sections/notes/limit_floor", limit=str(instr.limit), length=str(text_length(comp.render())))
        )
    text = comp.render()
    problems = check_numbers_with(ctx.allowed, report, text)
    if problems:  # a template bug, never the clerk's fault: say so instead of shipping it silently
        ctx.notes.extend(problems)
    return SectionDraft(section_id, text, ctx.notes, text_length(text), instr.limit, reached)


def draft_section(report: Report, section_id: str, *, variant: int = 0, instruction: str | None = None) -> str:
    """The body text of a narrative section (without its heading); ``variant`` picks other wording."""
    return draft_section_result(report, section_id, variant=variant, instruction=instruction).text


def draft_all(report: Report, *, variant: int = 0) -> dict[str, str]:
    """Drafts of 一、五、六 keyed "s1", "s5", "s6"."""
    return {sid: draft_section(report, sid, variant=variant) for sid in NARRATIVE_SECTION_IDS}


def incomplete_narrative_keys(report: Report) -> list[str]:
    """Slots the clerk answered whose draft would still carry a 【待补充】 mark (a question to ask again):
    监督保障 without 工作考核/社会评议/责任追究 (各级人民政府), 改进措施 without last year's rectification."""
    out: list[str] = []
    if has_fact(report, "supervision") and missing_supervision_elements(report):
        out.append("supervision")
    last = (report.last_year.sections.get("s5") if report.last_year else None) or ""
    if last.strip() and has_fact(report, "measures") and not rectification_items(report):
        out.append("measures")
    return out


def missing_narrative_facts(report: Report) -> list[NarrativeFact]:
    """Narrative facts still needed for a good draft, in question order.

    - 依申请公开 only when there were (or may have been) applications: the timeliness statement needs the clerk;
    - 监督保障 also when a 各级人民政府 (incl. 乡镇) has not yet covered 工作考核、社会评议、责任追究;
    - 信息处理费 only for the 2021 format; 其他事项 is optional ("无其他需要报告的事项。").
    """
    out: list[NarrativeFact] = []
    received, carried_in = report.value("t3.received.total"), report.value("t3.carried_in.total")
    no_applications = received is not None and carried_in is not None and received + carried_in == 0
    for fact in NARRATIVE_FACTS:
        given = has_fact(report, fact.key)
        if fact.key == "applications":
            needed = not given and not no_applications
        elif fact.key == "supervision":
            needed = not given or bool(missing_supervision_elements(report))
        elif fact.key == "fee":
            needed = not given and report.fmt.id != "2019"
        elif fact.key == "other_matters":
            needed = False
        else:
            needed = not given
        if needed:
            out.append(fact)
    return out
