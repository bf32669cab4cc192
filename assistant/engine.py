"""The conversation engine: one clerk message in, the updated state and a Markdown reply out.

Pure and deterministic (no I/O, no clock): normalise → extract (with the pending questions as context) → meta
(agency/level/year/format) → narrative facts → ledger (:func:`assistant.facts.apply_updates`) → derivations →
checks → drafting of empty narrative sections → reply (:mod:`assistant.dialogue`). The UI, the CLI and the sample
conversation tests all drive this same class.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from .checks import Finding, run_checks
from .checks.confirm import confirm_flagged
from .clerk_answers import answer_questions
from .conversation import ConversationState, TurnResult
from .dialogue import (
    ASKED,
    DECLINED,
    DEFERRED,
    DERIVED_NOTE,
    MAX_QUESTIONS,
    SHOWN,
    SKIPPED,
    ambiguity_questions,
    describe_cells,
    describe_changes,
    error_findings,
    next_questions,
    question_key,
    row_short,
    section_facts_ready,
    tables_complete,
)
from .drafting import NARRATIVE_BY_KEY, merge_narrative, restatement
from .errors import AssistantError
from .extract.acts import read_acts
from .extract.base import Ambiguity, ExtractionContext, ExtractionResult, Extractor, MetaUpdate, PendingQuestion
from .extract.meta import find_full_name, find_report_year, official_name
from .facts import (
    AgencyLevel,
    CellFact,
    CellStatus,
    Change,
    FactUpdate,
    Provenance,
    Rejection,
    Report,
    apply_updates,
    format_number,
)
from .formats import check_format_matches_year, format_for_year, get_format
from .prompts import render_prompt
from .textnorm import normalize_text
from .turn_acts import apply_blank_convention, clear_cells, guard_updates, has_pasted_table, mark_pending

MAX_MESSAGE_CHARS = 20_000
NARRATIVE_SECTIONS = ("s1", "s5", "s6")
SECTION_NAMES = {"s1": "第一部分（总体情况）", "s5": "第五部分（存在的主要问题及改进情况）", "s6": "第六部分（其他需要报告的事项）"}

Drafter = Callable[..., str]

# A bare answer to the pending questions: every clause is made only of these words.
_CLAUSE_SPLIT = re.compile(r"[，,。.！!；;、\s~～…]+")
_YES_WORDS = r"对|是|是的|对的|嗯|没错|正确|确认|确实"
_ZERO_WORDS = r"没有|没|无|零|0|均无|都无|一件都没有|一个都没有|也没有"
_FILLER = r"其余|其他|剩下的?|别的|都|均|全|全部|也|就|为|了|的|啊|呀|吧|呢|那|这些|这几项|件|项"
_BARE_CLAUSE = re.compile(rf"^(?:{_YES_WORDS}|{_ZERO_WORDS}|{_FILLER})+$")
_HAS_ZERO = re.compile(rf"(?:{_ZERO_WORDS})")
_HAS_ANSWER = re.compile(rf"(?:{_YES_WORDS}|{_ZERO_WORDS})")
_NEGATIVE = re.compile(r"^(?:(?:不是的?|不对|不全是|不完全是|并非如此|并非|否|不|有|有的|有啊|有呢)$|有[\d一二两三四五六七八九十])")
_SKIP = re.compile(r"^(?:跳过|先跳过|以后再说|暂时跳过|暂不填写|先不写|不清楚|不知道)[。！!.]?$")
_CONFIRM_YES = re.compile(r"^\s*(?:是|对|好|行|可以|嗯|改|要|确认|没错|正确|ok|OK|yes)")
_CONFIRM_NO = re.compile(r"不|没|否|别|错")
PROPOSED = "proposed:"  # asked_keys marker: an identity value proposed once
_BARE_YEAR = re.compile(r"^(?:写的?是?)?(20\d\d)\s*年?度?(?:的|年报)?[。.]?$")


_CORRECTION = re.compile(r"更正|说错|写错|搞错|填错|记错|改为|改成|应该是|应为")
_AGENCY_WORD = re.compile(r"镇|乡|街道|办事处|县|区|市|省|旗|州|盟|局|委|办|厅|院|中心|政府|所|队|署|会|站|部")
_NOT_A_NAME = re.compile(r"\d|没有|结转|申请|复议|诉讼|件|年度|[，,。；;？?！!]")
_SELF_INTRO = re.compile(r"^(?:你好|您好)?[，,！!。\s]*(?:我是|我们是|我们单位是|本单位是|我单位是|这里是|单位是)")
_META_CLAUSES = re.compile(r"[，,。；;！!？?\n]+")
_META_SUBJECT = re.compile(r"单位|名称|全称|机关|年度|年报|报告|格式|层级|级别|\d{4}\s*年|[一二三四五六七八九十〇零]{4}年")
_META_CHANGE = re.compile(r"更正|改为|改成|应该是|应为|搞错|说错|写错|不对|不是.{0,12}是|单位名称|全称")


def _guard_meta(report: Report, meta: MetaUpdate, text: str, pending: list[PendingQuestion]) -> MetaUpdate:
    """Identity already recorded changes only when the clerk says so (a name or year inside a narrative answer
    such as "通过镇政府网站公开" or "去年（2022年）" must not silently switch the agency or the format)."""
    asked = {q.meta_field for q in pending if q.kind == "meta"}
    # a correction word counts only in a clause about the identity ("处罚应该是3件" does not rename the agency)
    explicit = any(_META_CHANGE.search(c) and (_META_SUBJECT.search(c) or (meta.agency and meta.agency in c))
                   for c in _META_CLAUSES.split(text))
    out = meta.model_copy()
    if out.agency and (not _AGENCY_WORD.search(out.agency) or _NOT_A_NAME.search(out.agency)):
        out.agency = None  # "你好", "结转下年度继续办理没有" are not agencies
    if out.agency and _SELF_INTRO.search(text):
        explicit = True
    if report.agency and out.agency and out.agency != report.agency and "agency" not in asked and not explicit:
        out.agency = None
    if report.level and out.level and out.level != report.level and "level" not in asked and not explicit:
        out.level = None
    if (report.report_year and out.report_year and out.report_year != report.report_year
            and "report_year" not in asked and not explicit):
        out.report_year = None
    if report.format_id and out.format_id and out.format_id != report.format_id and not explicit:
        out.format_id = None
    return out


def _default_extractor() -> Extractor:
    from .extract.rules import RuleExtractor

    return RuleExtractor()


def _default_drafter() -> Drafter | None:
    try:
        from .drafting import draft_section
    except ImportError:
        return None
    return draft_section


_LEVEL_PATTERNS: tuple[tuple[re.Pattern[str], AgencyLevel], ...] = (
    (re.compile(r"(镇|乡|街道|街道办事处)$"), AgencyLevel.TOWNSHIP),
    (re.compile(r"(县|区|旗)人民政府$"), AgencyLevel.COUNTY_GOV),
    (re.compile(r"(县|区|旗).+(局|委员会|委|办|中心|院|署|队|所)$"), AgencyLevel.COUNTY_DEPT),
    (re.compile(r"省人民政府$"), AgencyLevel.PROVINCE_GOV),
    (re.compile(r"省.+(厅|局|委员会|委|办|中心|院)$"), AgencyLevel.PROVINCE_DEPT),
    (re.compile(r"市人民政府$"), AgencyLevel.CITY_GOV),
    (re.compile(r"市.+(局|委员会|委|办|中心|院|署|队)$"), AgencyLevel.CITY_DEPT),
)


def infer_level(agency: str) -> AgencyLevel | None:
    """The level an agency name suggests (the clerk is told and may correct it); None when unclear."""
    name = re.sub(r"(党政综合办公室|党政办公室|党政办|政务公开科|办公室)$", "", agency.strip())
    name = re.sub(r"人民政府(办公室|办公厅)$", "人民政府", name)
    bare = name.removesuffix("人民政府")
    if _LEVEL_PATTERNS[0][0].search(bare):
        return AgencyLevel.TOWNSHIP
    for pattern, level in _LEVEL_PATTERNS[1:]:
        if pattern.search(name):
            return level
    return None


class ConversationEngine:
    """Drives one conversation. ``extractor`` defaults to the offline rules; ``drafter`` to offline drafting."""

    def __init__(self, extractor: Extractor | None = None, drafter: Drafter | None = None) -> None:
        self.extractor = extractor or _default_extractor()
        self.drafter = drafter if drafter is not None else _default_drafter()
        self._fallback: Extractor | None = None

    # ---- public API ---------------------------------------------------------------------------------
    def start(self, report: Report | None = None) -> TurnResult:
        """The greeting and the first questions (for a new or an imported draft)."""
        state = ConversationState(report=report or Report())
        findings = run_checks(state.report)
        lines = [render_prompt("replies/greeting")]
        return self._finish(state, lines, findings, changes=[], rejected=[], notices=[])

    def turn(self, state: ConversationState, message: str, message_id: str | None = None) -> TurnResult:
        """Process one clerk message."""
        state = state.model_copy(deep=True)
        state.turn += 1
        if len(message) > MAX_MESSAGE_CHARS:
            reply = render_prompt("replies/too_long", length=len(message), limit=MAX_MESSAGE_CHARS)
            return self._repeat_pending(state, reply)
        if not message.strip():
            return self._repeat_pending(state, render_prompt("replies/empty"))

        before = state.report
        notices: list[str] = []
        acts = read_acts(message, before.fmt, state.pending)
        conventions = {**state.conventions, **acts.conventions}  # stated now or earlier: apply to this message
        result = self._extract(message, ExtractionContext(report=before, pending=state.pending,
                                                          message_id=message_id, conventions=conventions), notices)
        restated = restatement(message)  # "主动公开重新说一下：…" replaces that slot; not read as table figures
        if restated:
            result = ExtractionResult(normalized_text=normalize_text(message), narrative=dict([restated]))
        if any(q.kind == "narrative" for q in state.pending) and _CORRECTION.search(message) and not result.updates:
            # "行政处罚刚才说错了，是18件" while a narrative question is open: a correction of the tables
            as_table = self._extract(message, ExtractionContext(report=before, pending=[], message_id=message_id,
                                                                conventions=conventions), notices)
            if as_table.updates:
                result = as_table
        acts.copy_into(result)
        notices += [n for n in (getattr(result, "notices", None) or []) if n not in notices]  # e.g. model fell back
        text = result.normalized_text or normalize_text(message).strip()
        lines: list[str] = []
        protected = set(state.unread) | set(result.unread_cells)
        result.updates = guard_updates(result.updates, result, before, protected, text)
        only_question = bool(result.clerk_questions) and not result.updates and _only_questions(
            text, result.clerk_questions)
        if only_question:  # a question is answered, never recorded as a narrative fact or a bare "是"
            result.narrative = {}
            result.answer = None
        new_conventions = {k: v for k, v in result.conventions.items() if state.conventions.get(k) != v}
        state.conventions.update(result.conventions)
        result.updates += _chosen_reading(text, state.pending)

        if not result.meta.report_year and any(q.meta_field == "report_year" for q in state.pending):
            m = _BARE_YEAR.match(text)
            if m:
                result.meta.report_year = int(m.group(1))
        self._identity_from_chat(state, result, text)
        report, meta_lines = self._apply_meta(before, _guard_meta(before, result.meta, text, state.pending))
        proposed_before = dict(state.proposed)
        self._propose_identity(state, before, report, text, result)
        lines += meta_lines

        answers = (self._answers_to_pending(state, result, text, report) if not only_question
                   else {"updates": [], "narrative": {}, "markers": [], "lines": [], "declined": []})
        narrative = dict(result.narrative)
        narrative.update({k: v for k, v in answers["narrative"].items() if k not in narrative})
        report, narrative_lines = self._apply_narrative(report, narrative, replace=[restated[0]] if restated else [])

        protect = getattr(self.extractor, "name", "rules") != "rules"
        model_cells = set(getattr(result, "model_only", None) or [])  # the LLM extractor marks its own readings
        applied = apply_updates(report, [u for u in result.updates if u.cell not in model_cells], source="message",
                                ref=message_id, protect_stated=protect)
        by_model = apply_updates(applied.report, [u for u in result.updates if u.cell in model_cells],
                                 source="model", ref=message_id, protect_stated=True)
        applied.report = by_model.report
        applied.changes += by_model.changes
        applied.rejected += by_model.rejected
        applied.conflicts += by_model.conflicts
        report = applied.report
        guarded = protected | {k for k, f in report.cells.items() if f.pending} | set(result.pending_cells)
        confirm = [u for u in answers["updates"] if not report.cell(u.cell).known and u.cell not in guarded]
        confirmed = apply_updates(report, confirm, source="confirmation", ref=message_id)
        report = confirmed.report
        report, checked_lines = confirm_flagged(report, text)  # 「核对过了」 keeps an unusual value (checks P-1)
        clerk_changes = applied.changes + confirmed.changes

        # the clerk's acts: 先空着 → pending (a number given now wins), 清空 → unknown, 空白就是0 → a pasted table's
        # blank cells in the rows it filled
        valued = {c.cell for c in clerk_changes if c.after.status == CellStatus.VALUE}
        report, pending_changes = mark_pending(report, result.pending_cells, evidence=text, ref=message_id,
                                               skip=valued)
        report, cleared_changes = clear_cells(report, result.cleared_cells)
        if conventions.get("blank") == "zero" and has_pasted_table(message):
            report, blank_changes = apply_blank_convention(report, [u.cell for u in result.updates], guarded,
                                                           message_id)
            clerk_changes += blank_changes
            if blank_changes:
                lines.append(render_prompt("replies/blank_zero_applied",
                                           items="；".join(describe_cells(report, [c.cell for c in blank_changes]))))
        if pending_changes:
            lines.append(render_prompt("replies/pending_marked", items="、".join(_cell_names(report, pending_changes))))
        if cleared_changes:
            lines.append(render_prompt("replies/cleared", items="、".join(_cell_names(report, cleared_changes))))
        if acts.pending_unnamed and not pending_changes and not clerk_changes and not any(
                q.kind == "narrative" for q in state.pending):
            lines.append(render_prompt("replies/pending_which"))

        # a correction of a part: the derived cells beside it keep their values (never re-derived over the
        # clerk's words), and a total stated earlier is asked about again
        corrected = [c.cell for c in clerk_changes if c.before.known and c.after.known
                     and (c.before.status, c.before.value) != (c.after.status, c.after.value)]
        freeze = _derived_siblings(report, corrected)
        report, derived_changes, derived_lines = derive(report, ref=message_id, freeze=freeze)
        changed_now = {c.cell for c in clerk_changes}
        state.recheck = [k for k in dict.fromkeys(state.recheck + _stated_totals_of(report, corrected, changed_now))
                         if k not in changed_now and report.cell(k).known
                         and not (result.answer == "yes" and any(q.template == "total_recheck" and k in q.cells
                                                                  for q in state.pending))]
        state.unread = [k for k in dict.fromkeys(state.unread + result.unread_cells)
                        if k in report.fmt.cells() and not report.cell(k).known and not report.cell(k).pending]
        state.deferred = [k for k in state.deferred if not report.cell(k).known]
        state.report = report
        state.asked_keys += answers["markers"]
        # "不是" declines a fast path only when it came without the numbers themselves ("不是，有1件…" does not)
        state.asked_keys += [f"{DECLINED}{template}" for template, cells in answers["declined"]
                             if all(report.cell(c) == before.cell(c) for c in cells)]

        echo = describe_changes(before, report, _net_changes(clerk_changes))
        for kind in ("recorded", "corrected", "zeroed"):
            if echo[kind]:
                lines.append(render_prompt(f"replies/{kind}", items="；".join(echo[kind])))
        if derived_lines:
            lines.append(render_prompt("replies/derived", items="；".join(derived_lines)))
        lines += narrative_lines + checked_lines
        lines += [render_prompt("replies/note", message=n) for n in result.notes]
        rejected = applied.rejected + confirmed.rejected
        lines += [render_prompt("replies/rejected", reason=r.reason) for r in rejected]
        lines += [render_prompt("replies/conflict", reason=r.reason) for r in applied.conflicts]
        if result.not_understood:
            items = "；".join(s if "“" in s else render_prompt("replies/not_understood_fragment", fragment=s)
                             for s in result.not_understood[:5])
            lines.append(render_prompt("replies/not_understood", items=items))
        lines += [render_prompt("replies/warning", message=w) for w in result.warnings]
        lines += answers["lines"]
        if new_conventions:
            lines.append(render_prompt("replies/convention_noted",
                                       items="；".join(_convention_text(k, v) for k, v in new_conventions.items())))
        answered = answer_questions(result.clerk_questions, report)
        lines += answered
        understood = (clerk_changes or derived_changes or checked_lines or meta_lines or narrative_lines
                      or answers["markers"] or answers["declined"] or pending_changes or cleared_changes or answered or new_conventions
                      or result.ambiguities or state.proposed != proposed_before
                      or rejected or applied.conflicts or result.not_understood)
        if not understood:
            lines.append(render_prompt("replies/nothing_recorded"))

        findings = run_checks(report)
        return self._finish(state, lines, findings,
                            changes=_net_changes(clerk_changes + pending_changes + cleared_changes) + derived_changes,
                            rejected=rejected + applied.conflicts, notices=notices, count_asks=not only_question,
                            progress=bool(clerk_changes or derived_changes or pending_changes or cleared_changes
                                          or meta_lines or narrative_lines or answers["markers"]
                                          or answers["declined"]),
                            ambiguities=result.ambiguities)

    # ---- steps --------------------------------------------------------------------------------------
    def _extract(self, message: str, context: ExtractionContext, notices: list[str]) -> ExtractionResult:
        try:
            return self.extractor.extract(message, context)
        except Exception:  # noqa: BLE001 - any model failure falls back to the offline rules
            if getattr(self.extractor, "name", "rules") == "rules":
                notices.append("这条消息未能自动识别，表格没有改动")
                return ExtractionResult(normalized_text=normalize_text(message))
            if self._fallback is None:
                self._fallback = _default_extractor()
            notices.append(render_prompt("replies/model_fallback"))
            return self._fallback.extract(message, context)

    @staticmethod
    def _identity_from_chat(state: ConversationState, result: ExtractionResult, text: str) -> None:
        """A full name the clerk gives is kept verbatim; a "是" to a name or year we proposed applies it."""
        full = find_full_name(text)
        if full:
            result.meta.agency = full
        for q in state.pending:
            if q.kind != "meta" or not q.choices or not q.meta_field:
                continue
            state.proposed.pop(q.meta_field, None)  # asked once: whatever the answer, not asked again
            if not _CONFIRM_YES.match(text) or _CONFIRM_NO.search(text):
                continue
            if q.meta_field == "agency" and not full:
                result.meta.agency = q.choices[0]
            elif q.meta_field == "report_year":
                result.meta.report_year = int(q.choices[0])

    @staticmethod
    def _propose_identity(state: ConversationState, before: Report, after: Report, text: str,
                          result: ExtractionResult) -> None:
        """Ask once about a place or office given for the agency (七里坪镇 → 七里坪镇人民政府), and about a year stated
        in chat that differs from the draft's year (never silently ignored)."""
        if after.agency and after.agency != before.agency and not find_full_name(text):
            full = official_name(after.agency)
            if full and f"{PROPOSED}agency:{after.agency}" not in state.asked_keys:
                state.proposed["agency"] = full
                state.asked_keys.append(f"{PROPOSED}agency:{after.agency}")
        if before.report_year and after.report_year == before.report_year:
            year = find_report_year(text[:600])
            if year and year != before.report_year and f"{PROPOSED}report_year:{year}" not in state.asked_keys:
                state.proposed["report_year"] = str(year)
                state.asked_keys.append(f"{PROPOSED}report_year:{year}")

    def _apply_meta(self, report: Report, meta: MetaUpdate) -> tuple[Report, list[str]]:
        """Agency, level, year and format; a format change keeps the cells both formats share."""
        items: list[str] = []
        lines: list[str] = []
        update: dict[str, Any] = {}
        if meta.agency and meta.agency.strip() != report.agency:
            update["agency"] = meta.agency.strip()
            items.append(f"单位 {update['agency']}")
        if meta.level and meta.level != report.level:
            update["level"] = meta.level
            items.append(f"层级 {meta.level.value}")
        elif report.level is None and not meta.level and update.get("agency"):
            level = infer_level(update["agency"])
            if level:
                update["level"] = level
                lines.append(render_prompt("replies/level_inferred", level=level.value))
        year = meta.report_year if meta.report_year and meta.report_year != report.report_year else None
        fmt_id = meta.format_id if meta.format_id and meta.format_id != report.format_id else None
        if year is not None or fmt_id is not None:
            try:
                new_year = year if year is not None else report.report_year
                if new_year is not None and not 2019 <= new_year <= 2100:
                    format_for_year(new_year)  # raises with the reason for early years
                    raise AssistantError(f"报告年度{new_year}不合理，请核对")
                if fmt_id is not None:
                    get_format(fmt_id)
                    if new_year is not None and (msg := check_format_matches_year(fmt_id, new_year)):
                        raise AssistantError(msg)
                target = fmt_id or (format_for_year(new_year).id if new_year is not None else report.effective_format_id)
                if fmt_id is None and report.format_id and new_year is not None and \
                        not check_format_matches_year(report.format_id, new_year):
                    target = report.format_id  # a variant chosen earlier that still fits the year
            except AssistantError as e:
                lines.append(render_prompt("replies/meta_rejected", reason=str(e)))
            else:
                old_fmt = report.fmt
                if year is not None:
                    update["report_year"] = year
                    items.append(f"报告年度 {year}年度")
                update["format_id"] = target
                if target != old_fmt.id:
                    new_fmt = get_format(target)
                    kept = {k: v for k, v in report.cells.items() if k in new_fmt.cells()}
                    dropped = [k for k, v in report.cells.items()
                               if k not in new_fmt.cells() and v.known and not _is_derived_fact(v)]
                    update["cells"] = kept
                    if year is not None and report.report_year is not None:
                        lines.append(render_prompt("replies/year_changed", year=year, format=_format_name(target)))
                    elif year is None:
                        lines.append(render_prompt("replies/format_changed", format=_format_name(target)))
                    if dropped:
                        rows = describe_cells(report, dropped)
                        more = f"等{len(rows)}行" if len(rows) > 8 else ""
                        lines.append(render_prompt("replies/format_dropped", items="；".join(rows[:8]) + more))
                if year is not None and report.report_year is None:
                    items[-1] += f"（使用{_format_name(target)}）"
        if update:
            report = report.model_copy(update=update)
        if items:
            lines.insert(0, render_prompt("replies/meta_recorded", items="；".join(items)))
        return report, lines

    def _apply_narrative(self, report: Report, narrative: dict[str, str],
                         replace: list[str] | None = None) -> tuple[Report, list[str]]:
        """Add the clerk's words to the narrative slots (talk dropped, topics split, a restated slot replaced)."""
        facts, keys = merge_narrative(report.narrative_facts, narrative, replace=replace or [])
        if not keys:
            return report, []
        names = [NARRATIVE_BY_KEY[k].label.split("（")[0] for k in dict.fromkeys(keys)]
        return (report.model_copy(update={"narrative_facts": facts}),
                [render_prompt("replies/narrative_recorded", items="、".join(names))])

    def _answers_to_pending(self, state: ConversationState, result: ExtractionResult, text: str,
                            report: Report) -> dict[str, Any]:
        """Apply a bare answer ("对", "没有", "其余都是0", "跳过", a narrative paragraph) to the questions asked.

        The extractor reads bare answers first; this only fills in what it left, and only for a message that is
        nothing but an answer (no numbers, no other content), so a clause about one thing never confirms another.
        """
        out: dict[str, Any] = {"updates": [], "narrative": {}, "markers": [], "lines": [], "declined": []}
        pending = state.pending
        if not pending:
            return out
        clauses = [c for c in _CLAUSE_SPLIT.split(text) if c]
        bare = (bool(clauses) and len(text) <= 40 and all(_BARE_CLAUSE.match(c) for c in clauses)
                and bool(_HAS_ANSWER.search(text)))
        zero_words = bare and bool(_HAS_ZERO.search(text))
        yes = bare or (result.answer == "yes" and not result.updates)
        first = clauses[0] if clauses else ""
        negative = bool(_NEGATIVE.match(first)) or (result.answer == "no" and not zero_words)
        touched = {u.cell for u in result.updates}
        evidence = text[:200]
        for q in pending:
            untouched = q.cells and not any(c in touched for c in q.cells)
            unknown = [c for c in q.cells if not report.cell(c).known]
            if q.kind == "confirm_zero" and q.cells:
                if negative and not yes:
                    out["declined"].append((q.template, q.cells))
                elif yes and untouched:
                    out["updates"] += [FactUpdate(cell=c, status=CellStatus.CONFIRMED_ZERO, evidence=evidence)
                                       for c in unknown]
            elif q.kind == "confirm_value" and q.proposed:
                if negative and not yes:
                    out["declined"].append((q.template, q.cells))
                elif yes and untouched:
                    out["updates"] += [FactUpdate(cell=c, value=v, evidence=evidence)
                                       for c, v in q.proposed.items() if c in unknown]
            elif q.kind == "cells" and zero_words and untouched:
                out["updates"] += [FactUpdate(cell=c, status=CellStatus.CONFIRMED_ZERO, evidence=evidence)
                                   for c in unknown]
            elif q.kind == "narrative" and q.narrative_key and len(pending) == 1:
                key = q.narrative_key
                if _SKIP.match(text):
                    out["markers"].append(f"{SKIPPED}{key}")
                    label = NARRATIVE_BY_KEY[key].label.split("（")[0]
                    out["lines"].append(render_prompt("replies/skipped", item=label))
                elif not result.narrative and not result.updates and not (bare and not zero_words):
                    out["narrative"][key] = text
        allowed = set(zero_allowed(report, [u.cell for u in out["updates"] if u.status == CellStatus.CONFIRMED_ZERO]))
        out["updates"] = [u for u in out["updates"] if u.status != CellStatus.CONFIRMED_ZERO or u.cell in allowed]
        return out

    # ---- reply ----------------------------------------------------------------------------------------
    def _finish(self, state: ConversationState, lines: list[str], findings: list[Finding], *,
                changes: list[Change], rejected: list[Rejection], notices: list[str], count_asks: bool = True,
                progress: bool = True, ambiguities: list[Ambiguity] | None = None) -> TurnResult:
        report = state.report
        complete = tables_complete(report, findings)
        if complete:
            report, drafted, redrafted = self._draft(state, report)
            state.report = report
            if drafted:
                lines.append(render_prompt("replies/drafted", sections="、".join(SECTION_NAMES[s] for s in drafted)))
            if redrafted:
                lines.append(render_prompt("replies/drafted_again",
                                           sections="、".join(SECTION_NAMES[s] for s in redrafted)))
            if drafted or redrafted:
                findings = run_checks(report)
                complete = tables_complete(report, findings)
        for f in findings:
            marker = f"{SHOWN}{f.rule}:{','.join(f.cells)}"
            if f.severity == "warning" and marker not in state.asked_keys:
                lines.append(render_prompt("replies/warning", message=f.message))
                state.asked_keys.append(marker)
        if complete and not state.tables_complete_announced:
            lines.append(render_prompt("replies/tables_complete"))
            state.tables_complete_announced = True
        elif not complete:
            state.tables_complete_announced = False
            if not report.unknown_input_cells() and error_findings(findings) and report.report_year:
                lines.append(render_prompt("replies/tables_pending_errors"))
        questions = ambiguity_questions(report, ambiguities or [])
        if progress:  # the clerk got somewhere: repeats are counted afresh (only a loop of empty turns defers)
            state.asked_keys = [k for k in state.asked_keys if not k.startswith(ASKED)]
        questions += self._questions_not_asked_thrice(state, report, findings, lines, count_asks)
        questions = questions[:MAX_QUESTIONS]
        if not questions and complete:
            lines.append(render_prompt("replies/all_done"))
        if questions:
            block = [render_prompt("replies/questions_header")]
            block += [f"{i}. {q.text}" for i, q in enumerate(questions, 1)]
            lines.append("\n".join(block))
        state.pending = questions
        state.questions_asked += len(questions)
        state.asked_keys += [q.narrative_key or q.template or q.kind for q in questions]
        if count_asks:  # a repeat counts only after turns that got nowhere (the clerk's own order is fine)
            state.asked_keys += [f"{ASKED}{question_key(q)}" for q in questions if q.kind != "meta"]
        reply = "\n\n".join(notice_line for notice_line in
                            [render_prompt("replies/notice", message=n) for n in notices] + lines)
        return TurnResult(state=state, reply=reply, changes=changes, rejected=rejected, findings=findings,
                          questions=questions, notices=notices, tables_complete=complete)

    def _questions_not_asked_thrice(self, state: ConversationState, report: Report, findings: list[Finding],
                                    lines: list[str], count_asks: bool) -> list[PendingQuestion]:
        """The next questions, except one already asked twice: that one points to 表格编辑 and the dialogue moves on
        (its cells are held; a narrative fact is skipped)."""
        asked = Counter(state.asked_keys)
        findings = [f for f in findings if f"{DEFERRED}contradiction:{','.join(sorted(f.cells))}"
                    not in state.asked_keys]
        for _ in range(MAX_QUESTIONS + 2):
            questions = next_questions(report, findings, state.asked_keys, hold=state.deferred, unread=state.unread,
                                       recheck=state.recheck, proposed=state.proposed)
            stale = [q for q in questions if q.kind != "meta" and asked[f"{ASKED}{question_key(q)}"] >= 2]
            if not stale or not count_asks:
                return questions
            lines.append(render_prompt("replies/asked_twice", questions="；".join(
                re.split(r"(?<=[？?])", q.text, maxsplit=1)[0].rstrip("。") for q in stale)))
            for q in stale:
                state.deferred += [c for c in q.cells if c not in state.deferred]
                if q.narrative_key:
                    state.asked_keys.append(f"{SKIPPED}{q.narrative_key}")
                if q.kind == "contradiction" or not q.cells:
                    state.asked_keys.append(f"{DEFERRED}{question_key(q)}")
            findings = [f for f in findings if f"{DEFERRED}contradiction:{','.join(sorted(f.cells))}"
                        not in state.asked_keys]
        return []

    def _repeat_pending(self, state: ConversationState, reply: str) -> TurnResult:
        """Nothing applied: say why and show the pending questions again."""
        if state.pending:
            block = [render_prompt("replies/questions_header")]
            block += [f"{i}. {q.text}" for i, q in enumerate(state.pending, 1)]
            reply = reply + "\n\n" + "\n".join(block)
        findings = run_checks(state.report)
        return TurnResult(state=state, reply=reply, findings=findings, questions=list(state.pending),
                          tables_complete=tables_complete(state.report, findings))

    def _draft(self, state: ConversationState, report: Report) -> tuple[Report, list[str], list[str]]:
        """Draft each narrative section whose facts are ready and whose text is empty or still our own draft."""
        if self.drafter is None:
            return report, [], []
        drafted: list[str] = []
        redrafted: list[str] = []
        sections = dict(report.sections)
        for sid in NARRATIVE_SECTIONS:
            if not section_facts_ready(report, sid, state.asked_keys):
                continue
            existing = sections.get(sid, "")
            ours = existing.strip() and state.drafted.get(sid) == existing
            if existing.strip() and not ours:
                continue  # written by the clerk or a reviewer: never overwritten
            try:
                text = self.drafter(report.model_copy(update={"sections": sections}), sid)
            except Exception:  # noqa: BLE001 - drafting is optional; the tables are what matter
                continue
            if not text or text == existing:
                continue
            sections[sid] = text
            state.drafted[sid] = text
            (redrafted if ours else drafted).append(sid)
        if drafted or redrafted:
            report = report.model_copy(update={"sections": sections})
        return report, drafted, redrafted


# ---- derivations -------------------------------------------------------------------------------------------


def zero_allowed(report: Report, cells: list[str]) -> list[str]:
    """The cells a bare "没有" may set to 0: not the last unknown parts of a total the clerk stated and the known
    parts do not reach yet ("部分公开1件" keeps its parts open, whatever "其余都是0" says)."""
    fmt = report.fmt
    wanted = set(cells)
    blocked: set[str] = set()
    totals = {t for c in cells if c in fmt.cells() for t in _totals_of(fmt, c)}
    for total_key in totals:
        fact = report.cell(total_key)
        if not fact.known or not fact.numeric or _is_derived_fact(fact):
            continue
        parts = fmt.parts_of(total_key)
        if any(fmt.cell(p).derived for p in parts):
            continue
        unknown = {p for p in parts if not report.cell(p).known}
        known_sum = sum((report.value(p) or Decimal(0)) for p in parts if p not in unknown)
        if unknown and unknown <= wanted and known_sum < fact.numeric:
            blocked |= unknown
    return [c for c in cells if c not in blocked]


def _totals_of(fmt: Any, key: str) -> list[str]:
    spec = fmt.cell(key)
    if spec.derived:
        return []
    if spec.table == "table3":
        out = [f"t3.{spec.row_id}.total"]
        if any(r.id == spec.row_id for r in fmt.table3_result_rows):
            out.append(f"t3.result_total.{spec.col_id}")
        return out
    if spec.table == "table4":
        return [f"t4.{spec.row_id}.total"]
    return []


def _is_derived_fact(fact: CellFact) -> bool:
    return bool(fact.provenance and fact.provenance.note and fact.provenance.note.startswith(DERIVED_NOTE))


def derive(report: Report, *, ref: str | None = None,
           freeze: Iterable[str] = ()) -> tuple[Report, list[Change], list[str]]:
    """Fill what the clerk's facts imply, and nothing else; re-derive earlier derivations from scratch.

    - a column of table 三 whose 本年新收 + 上年结转 is 0 has 0 in every result row and in 结转下年度;
    - a total the clerk stated as 0 makes its unknown parts 0;
    - a total the clerk stated with all parts known but one gives that part (when not negative) — e.g. all
      applicants are 自然人, so a result-row total fills the 自然人 column.
    """
    fmt = report.fmt
    frozen = set(freeze)  # derived cells beside a corrected one: kept as they are, never re-derived
    base = {k: v for k, v in report.cells.items() if not _is_derived_fact(v) or k in frozen}
    work = report.model_copy(update={"cells": dict(base)})
    notes: dict[str, str] = {}

    def put(key: str, status: CellStatus, value: Decimal | None, note: str) -> None:
        work.cells[key] = CellFact(status=status, value=value,
                                   provenance=Provenance(source="message", ref=ref, note=f"{DERIVED_NOTE}：{note}"))
        notes[key] = note

    result_rows = [r.id for r in fmt.table3_result_rows] + ["carried_out"]
    for _ in range(6):
        changed = False
        for col in fmt.applicant_part_columns:
            a, b = work.value(f"t3.received.{col.id}"), work.value(f"t3.carried_in.{col.id}")
            if a is None or b is None or a + b != 0:
                continue
            for rid in result_rows:
                key = f"t3.{rid}.{col.id}"
                if not work.cell(key).known:
                    put(key, CellStatus.CONFIRMED_ZERO, None, f"本年新收和上年结转中没有{col.label}的申请")
                    changed = True
        for spec in fmt.cells().values():
            if not spec.derived:
                continue
            stated = work.cell(spec.key)
            if not stated.known or _is_derived_fact(stated):
                continue
            parts = fmt.parts_of(spec.key)
            if any(fmt.cell(p).derived for p in parts):
                continue
            unknown = [p for p in parts if not work.cell(p).known]
            if not unknown:
                continue
            total = stated.numeric or Decimal(0)
            if total == 0:
                for p in unknown:
                    put(p, CellStatus.CONFIRMED_ZERO, None, f"{row_short(spec)}合计为0")
                changed = True
            elif len(unknown) == 1:
                known_sum = sum((work.value(p) or Decimal(0)) for p in parts if p not in unknown)
                rest = total - known_sum
                if rest >= 0:
                    put(unknown[0], CellStatus.VALUE if rest else CellStatus.CONFIRMED_ZERO, rest if rest else None,
                        f"由{row_short(spec)}合计{format_number(total)}{spec.unit}推出")
                    changed = True
        if not changed:
            break

    # diff against the ledger as it was, keeping the original provenance where nothing changed
    cells = dict(report.cells)
    changes: list[Change] = []
    for key, before in report.cells.items():
        if _is_derived_fact(before) and key not in notes and key not in frozen:
            cells.pop(key)
            changes.append(Change(cell=key, before=before, after=CellFact()))
    for key in notes:
        before = report.cell(key)
        after = work.cells[key]
        if before.status == after.status and before.value == after.value:
            continue
        cells[key] = after
        changes.append(Change(cell=key, before=before, after=after))
    if not changes:
        return report, [], []
    new_report = report.model_copy(update={"cells": cells})
    return new_report, changes, _derived_lines(new_report, changes)


def _derived_lines(report: Report, changes: list[Change]) -> list[str]:
    """Chinese explanation of this turn's derivations ("因申请人均为自然人，予以公开8件记入自然人列")."""
    fmt = report.fmt
    lines: list[str] = []
    new = [c for c in changes if c.after.known]
    reset = [c for c in changes if not c.after.known]
    cols = fmt.applicant_part_columns
    sums = [(c, report.value(f"t3.received.{c.id}"), report.value(f"t3.carried_in.{c.id}")) for c in cols]
    active = None if any(a is None or b is None for _, a, b in sums) else [
        c for c, a, b in sums if (a or Decimal(0)) + (b or Decimal(0)) > 0]

    def note(c: Change) -> str:
        return (c.after.provenance.note if c.after.provenance and c.after.provenance.note else "").split("：", 1)[-1]

    zero_cols = [col for col in cols if any(c.cell.startswith("t3.") and c.cell.endswith(f".{col.id}")
                                            and "本年新收和上年结转中没有" in note(c) for c in new)]
    if zero_cols:
        if active == []:
            lines.append(render_prompt("replies/derived_all_zero"))
        elif active is not None and len(active) == 1:
            lines.append(render_prompt("replies/derived_zero_others", column=active[0].label))
        else:
            lines.append(render_prompt("replies/derived_zero_columns", columns="、".join(c.label for c in zero_cols)))
    fills = [c for c in new if note(c).endswith("推出")]
    single = [c for c in fills if active is not None and len(active) == 1 and c.cell.startswith("t3.")
              and c.cell.endswith(f".{active[0].id}")]
    if single and active:
        items = "、".join(f"{row_short(fmt.cell(c.cell))}{c.after.describe()}件" for c in single)
        lines.append(render_prompt("replies/derived_single_column", column=active[0].label, items=items))
    for c in fills:
        if c not in single:
            spec = fmt.cell(c.cell)
            lines.append(render_prompt("replies/derived_fill", cell=f"{row_short(spec)} {spec.col_label}",
                                       value=f"{c.after.describe()}{spec.unit}", reason=note(c)))
    zero_totals = sorted({row_short(fmt.cell(c.cell)) for c in new if note(c).endswith("合计为0")})
    if zero_totals:
        lines.append(render_prompt("replies/derived_zero_total", rows="、".join(zero_totals)))
    if reset:
        cols_reset = {fmt.cell(c.cell).col_label for c in reset}
        if len(cols_reset) == 1 and all(c.cell.startswith("t3.") for c in reset) and len(reset) > 2:
            items = render_prompt("replies/derived_reset_column", column=cols_reset.pop(), count=len(reset))
        else:
            items = "、".join(f"{row_short(fmt.cell(c.cell))} {fmt.cell(c.cell).col_label}" for c in reset[:6])
            items += f"等{len(reset)}项" if len(reset) > 6 else ""
        lines.append(render_prompt("replies/derived_reset", items=items))
    return lines


def _derived_siblings(report: Report, corrected: list[str]) -> set[str]:
    """Derived cells that share a total with a corrected cell (they must not silently absorb the correction)."""
    fmt = report.fmt
    out: set[str] = set()
    for key in corrected:
        if key not in fmt.cells():
            continue
        for total in _totals_of(fmt, key):
            out |= {p for p in fmt.parts_of(total) if p != key and _is_derived_fact(report.cell(p))}
    return out


def _stated_totals_of(report: Report, corrected: list[str], changed_now: set[str]) -> list[str]:
    """Totals the clerk stated earlier over the corrected cells (not restated in this message)."""
    fmt = report.fmt
    out = []
    for key in corrected:
        if key not in fmt.cells():
            continue
        for total in _totals_of(fmt, key):
            fact = report.cell(total)
            if fact.status == CellStatus.VALUE and not _is_derived_fact(fact) and total not in changed_now:
                out.append(total)
    return out


_CHOICE = re.compile(r"^\s*(?:选|按|用|是|就)?(?:第)?(?P<n>[一二三四1-4])(?:种|个)(?:理解|读法|说法)?(?:吧|对|是对的)?"
                     r"[。.!！]?\s*$|^\s*(?P<w>前者|后者|前一种|后一种)[。.!！]?\s*$")


_BARE_VALUE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:件|个|项|起|万元)?\s*[。.]?\s*$")


def _chosen_reading(text: str, pending: list[PendingQuestion]) -> list[FactUpdate]:
    """「第一种」「后者」 to the one question that offered readings: that reading, as the clerk's own answer."""
    offered = [q for q in pending if q.readings]
    if len(offered) != 1:
        return []
    m = _CHOICE.match(text)
    bare = _BARE_VALUE.match(text)
    if bare and not m:  # "1件": the one reading that says so
        value = Decimal(bare.group(1))
        same = [r for r in offered[0].readings if list(r.values()) == [value]]
        return [FactUpdate(cell=c, value=v, status=CellStatus.VALUE if v else CellStatus.CONFIRMED_ZERO,
                           evidence=text[:60], is_correction=True) for c, v in same[0].items()] if len(same) == 1 else []
    if not m:
        return []
    word = m.group("w")
    index = ("一二三四".index(m.group("n")) if m.group("n") in "一二三四" else int(m.group("n")) - 1) if not word \
        else (0 if word.startswith("前") else len(offered[0].readings) - 1)
    if index >= len(offered[0].readings):
        return []
    return [FactUpdate(cell=c, status=CellStatus.VALUE if v else CellStatus.CONFIRMED_ZERO, value=v if v else None,
                       evidence=text[:60], is_correction=True, note="您选择的理解")
            for c, v in offered[0].readings[index].items()]


def _only_questions(text: str, questions: list[str]) -> bool:
    """The message is nothing but the clerk's questions (no facts besides)."""
    rest = text
    for q in questions:
        rest = rest.replace(q, "")
    return not re.sub(r"[\s，,。.！!？?；;、~…]+", "", rest)


def _cell_names(report: Report, changes: list[Change]) -> list[str]:
    """Row names of changed cells, compactly (a whole row once)."""
    from .dialogue import row_short

    fmt = report.fmt
    names: list[str] = []
    keys = [c.cell for c in changes if c.cell in fmt.cells()]
    for key in keys:
        spec = fmt.cell(key)
        row_keys = [s.key for s in fmt.input_cells() if s.table == spec.table and s.row_id == spec.row_id]
        name = row_short(spec) if set(row_keys) <= set(keys) else f"{row_short(spec)} {spec.col_label}"
        if name not in names:
            names.append(name)
    return names


def _convention_text(key: str, value: str) -> str:
    return render_prompt(f"replies/convention_{key}", value=value)


def _net_changes(changes: list[Change]) -> list[Change]:
    """One change per cell (first before, last after); cells changed and changed back drop out."""
    first: dict[str, Change] = {}
    for c in changes:
        if c.cell in first:
            first[c.cell] = Change(cell=c.cell, before=first[c.cell].before, after=c.after)
        else:
            first[c.cell] = c
    return [c for c in first.values() if (c.before.status, c.before.value) != (c.after.status, c.after.value)]


def _format_name(format_id: str) -> str:
    fmt = get_format(format_id)
    return f"{fmt.citation}格式" + ("（试行）" if fmt.id == "2019" else "")
