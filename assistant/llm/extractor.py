"""The LLM extractor: the model's proposals, checked against the clerk's words and merged with the rule extractor.

- Evidence check: a model value is kept only if its evidence quote occurs in the clerk's message (both normalised),
  the quote contains that number in some written form, and, read in the whole message, that number is a table
  value (not a date, a time limit, 人次). Numbers are never invented.
- Naming check: the quote's sentence must name the cell's row (or group) and the quote its column, unless the
  message answers a question about that very cell ("3件").
- Merge: agreeing proposals confirm each other; words the rules attributed to another cell are not evidence; a
  real disagreement between rules and model records neither reading: it becomes an :class:`Ambiguity` that the
  dialogue asks about, offering both readings as choices (a wrong number is worse than a missing one); rule-only
  proposals
  pass through; model-only proposals pass only with evidence, never over a cell the clerk already stated unless
  the message is a correction, and never from a message with instruction-like text.
- Any model failure → exactly the rule extractor's result plus a notice. Nothing is half-applied.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..drafting import NARRATIVE_BY_KEY
from ..extract.base import Ambiguity, ExtractionContext, ExtractionResult, Extractor, MetaUpdate
from ..extract.injection import find_injections
from ..facts import AgencyLevel, CellStatus, FactUpdate, apply_updates, format_number
from ..formats import CellSpec, ValueKind
from ..prompts import load_prompt, render_prompt
from ..textnorm import normalize_text
from ..tokens import TokenUsage
from .client import LLMClient, LLMError
from .ladder import RUNG_NAMES, StructuredCaller
from .prompting import DEFAULT_BUDGET, build_extraction_messages
from .schema import SCHEMA_NAME, ModelExtraction, ProposedCell, extraction_schema

log = logging.getLogger("assistant.llm")

_CORRECTION = re.compile(
    r"更正|纠正|改为|改成|改一下|应为|应该是|应是|写错|搞错|弄错|说错|有误|修改|不是.{0,12}(?:而)?是|重新填|调整为"
)
_QUOTE_TRIM = "“”\"'‘’。，,；;：:"
_ZERO_WORDS = re.compile(r"无|没有|没|未|零|0|均为|都是0|皆为|空")
_NA_WORDS = re.compile(r"不适用|不涉及|无此项|没有此项|不存在")
_INJECTION = re.compile(
    r"忽略(?:之前|以上|上面|前面|所有)?的?(?:指令|提示|规则|要求)|ignore (?:all |the )?(?:previous|above) instructions|"
    r"system\s*prompt|系统提示|\[?system\]?\s*[:：]|你现在是|扮演|所有数字(?:都)?改为|developer mode",
    re.IGNORECASE,
)
_LEVEL_WORDS: dict[AgencyLevel, tuple[str, ...]] = {
    AgencyLevel.TOWNSHIP: ("乡镇", "街道", "镇人民政府", "乡人民政府", "镇政府", "乡政府", "街道办"),
    AgencyLevel.COUNTY_GOV: ("县人民政府", "区人民政府", "县政府", "区政府", "县级人民政府"),
    AgencyLevel.CITY_GOV: ("市人民政府", "市政府", "市级人民政府"),
    AgencyLevel.PROVINCE_GOV: ("省人民政府", "省政府", "省级人民政府", "自治区人民政府"),
    AgencyLevel.COUNTY_DEPT: ("县级部门", "县直", "区直"),
    AgencyLevel.CITY_DEPT: ("市级部门", "市直"),
    AgencyLevel.PROVINCE_DEPT: ("省级部门", "省直"),
}


class DroppedProposal(BaseModel):
    """A model proposal that was not passed on, and why (for tests, logs and the dialogue)."""

    cell: str
    value: str
    evidence: str
    reason: Literal[
        "unknown_cell",
        "no_evidence",
        "number_not_in_evidence",
        "invalid",
        "protected",
        "disagreement",
        "evidence_used",
        "duplicate",
        "injection",
        "no_cell_mention",
    ]
    message: str = ""


class LLMExtractionResult(ExtractionResult):
    """An ExtractionResult plus what the LLM path did (the engine may ignore the extra fields)."""

    engine: Literal["llm", "rules"] = "rules"
    notices: list[str] = Field(default_factory=list)
    dropped: list[DroppedProposal] = Field(default_factory=list)
    agreed: list[str] = Field(default_factory=list)  # cells where rules and model agreed
    model_only: list[str] = Field(default_factory=list)  # cells proposed only by the model, evidence checked
    rung: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_estimated: bool = False


def offline_notice() -> str:
    """ "模型暂不可用，本轮已使用离线引擎"."""
    return load_prompt("llm/notice_offline_turn")


def looks_like_correction(text: str) -> bool:
    return bool(_CORRECTION.search(normalize_text(text)))


def looks_like_injection(text: str) -> bool:
    norm = normalize_text(text)
    return bool(_INJECTION.search(norm) or find_injections(norm))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text))


def quote_in_message(quote: str, message: str) -> bool:
    """The evidence quote occurs in the message (after normalisation; whitespace ignored)."""
    q = _squash(quote).strip(_QUOTE_TRIM)
    return len(q) >= 1 and q in _squash(message)


def _same(a: FactUpdate, b: FactUpdate) -> bool:
    if a.status != b.status:
        return False
    if a.status != CellStatus.VALUE:
        return True
    return a.value is not None and b.value is not None and Decimal(a.value) == Decimal(b.value)


def _reading_value(u: FactUpdate) -> Decimal:
    """A proposal as the number one reading offers (0 for confirmed 0 and 不适用)."""
    return Decimal(u.value) if u.status == CellStatus.VALUE and u.value is not None else Decimal(0)


def _describe(u: FactUpdate) -> str:
    if u.status == CellStatus.VALUE:
        return format_number(u.value)
    return "0" if u.status == CellStatus.CONFIRMED_ZERO else "不适用"


def check_evidence(p: ProposedCell, spec: CellSpec | None, message: str) -> tuple[str, str] | None:
    """Why a model proposal fails the evidence check, as (reason, Chinese message); None when it passes."""
    from ..extract.numbers import number_in_text

    if spec is None:
        return "unknown_cell", f"本格式中没有单元格“{p.cell}”"
    if not p.evidence.strip() or not quote_in_message(p.evidence, message):
        return "no_evidence", f"{spec.display_label}：模型给出的依据不在您的消息中"
    quote = normalize_text(p.evidence)
    if p.status == "value":
        if p.value is None:
            return "invalid", f"{spec.display_label}：没有给出数值"
        amount = spec.kind == ValueKind.AMOUNT
        if not number_in_text(p.value, quote, allow_unit_conversion=amount):
            return (
                "number_not_in_evidence",
                f"{spec.display_label}：数字{format_number(p.value)}不在依据“{p.evidence[:30]}”中",
            )
        if not cell_value_in_context(p.value, p.evidence, message, amount=amount):
            return (
                "number_not_in_evidence",
                f"{spec.display_label}：依据“{p.evidence[:30]}”中的{format_number(p.value)}在原话里不是表格数值（如日期、时限、人次）",
            )
    elif p.status == "confirmed_zero":
        if not (_ZERO_WORDS.search(quote) or number_in_text(0, quote)):
            return "number_not_in_evidence", f"{spec.display_label}：依据中没有“无/0”的说法"
    elif not _NA_WORDS.search(quote):
        return "number_not_in_evidence", f"{spec.display_label}：依据中没有“不适用”的说法"
    return None


_TABLE_TERM_KINDS = {"t3row", "t3group", "t3col", "t3weak", "t4group", "t4col", "t2row", "t2col", "table", "fee"}


_SENTENCE_BREAK = re.compile(r"[。；;！!？?\n]")


def _markers(text: str) -> set[tuple[str, str]]:
    """(kind, id) of the rule extractor's vocabulary terms in a text."""
    try:
        from ..extract.vocabulary import tokenize
    except ImportError:  # pragma: no cover - vocabulary missing: be conservative
        return set()
    return {(t.kind, t.id) for t in tokenize(text) if t.kind in _TABLE_TERM_KINDS}


def mentions_table_terms(text: str) -> bool:
    """Does the text name a row, column or table of the report (in the rule extractor's vocabulary)?"""
    return bool(_markers(normalize_text(text)))


def _sentence_around(quote: str, message: str) -> str:
    norm = normalize_text(message)
    q = normalize_text(quote).strip().strip(_QUOTE_TRIM)
    i = norm.find(q) if q else -1
    if i < 0:
        return q
    start = max((m.end() for m in _SENTENCE_BREAK.finditer(norm, 0, i)), default=0)
    m = _SENTENCE_BREAK.search(norm, i + len(q))
    return norm[start : m.start() if m else len(norm)]


def _row_named(spec: CellSpec, marks: set[tuple[str, str]]) -> bool:
    row = spec.row_id
    if spec.table == "table3":
        ids = {i for k, i in marks if k == "t3row"}
        if row in ids or ("received" in {i for k, i in marks if k == "t3weak"} and row == "received"):
            return True
        if row.startswith("other_handling") and any(
            i.startswith("oh_") and (row == "other_handling" or row.endswith(i[3:])) for i in ids
        ):
            return True
        # a group alone ("不予公开1件") does not say which of its sub-rows: only a specific row name does
        return False
    if spec.table == "table4":
        groups = {i for k, i in marks if k == "t4group"}
        return row in groups or "both" in groups or (row.startswith("suit") and "suit" in groups)
    return ("t2row", row) in marks


def _column_named(spec: CellSpec, marks: set[tuple[str, str]], fmt_block_columns: int) -> bool:
    col = spec.col_id
    if col == "total":
        return True
    if spec.table == "table3":
        return ("t3col", col) in marks
    if spec.table == "table4":
        return ("t4col", col) in marks
    return fmt_block_columns <= 1 or ("t2col", col) in marks or (col == "fee_amount" and ("fee", "fee") in marks)


_REST_WORDS = re.compile(r"其余|其他各项|其它各项|剩下的|剩余的|别的")
_SUBROW_NUMBER = re.compile(r"^\d+\.")


def _sub_row_named(spec: CellSpec, sentence: str, quote: str, marks: set[tuple[str, str]]) -> bool:
    """A sub-row named by its own short label under its group's heading ("其他处理：…其他自然人1件" → （六）3.其他)."""
    if spec.table != "table3" or not spec.group:
        return False
    group_id = spec.row_id.rsplit("_", 1)[0]
    label = _SUBROW_NUMBER.sub("", spec.row_label)
    return ("t3group", group_id) in marks and len(label) <= 4 and normalize_text(quote).lstrip("，,：: ").startswith(label)


def names_cell(spec: CellSpec, quote: str, message: str, block_columns: int = 1, *, zero: bool = False) -> bool:
    """Is the quote about this cell: its sentence names the cell's row (or group) and the quote its column?

    With ``zero`` (a confirmed 0), a quote that closes its row with 其余/剩下的 ("复议后起诉的：结果维持3件，尚未审结1件，
    其余为0") names every column of that row it does not name itself."""
    quote_marks = _markers(normalize_text(quote))
    sentence = _sentence_around(quote, message)
    sentence_marks = _markers(sentence) | quote_marks
    row = _row_named(spec, sentence_marks) or _sub_row_named(spec, sentence, quote, sentence_marks)
    if not row:
        return False
    if _column_named(spec, quote_marks, block_columns):
        return True
    if zero and _REST_WORDS.search(normalize_text(quote)) and spec.table in ("table3", "table4"):
        kind = "t3col" if spec.table == "table3" else "t4col"
        return (kind, spec.col_id) not in quote_marks
    return False


def _occurrences(quote: str, text: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while quote and i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def cell_value_in_context(value: Decimal, evidence: str, message: str, *, amount: bool = False) -> bool:
    """Read in the whole message, does the quoted stretch contain this number as a table value (an exact count or
    amount, not a date, a time limit, 人次, an approximate number)? Guards against quotes cut out of context."""
    from ..extract.numbers import amount_in_wanyuan, find_numbers

    target = abs(Decimal(value))
    norm = normalize_text(message)
    quote = normalize_text(evidence).strip().strip(_QUOTE_TRIM)
    for text, q in ((norm, quote), (_squash(norm), _squash(quote))):
        spans = _occurrences(q, text)
        if not spans:
            continue
        mentions = [m for m in find_numbers(text) if m.is_cell_value]
        for s, e in spans:
            for m in mentions:
                if m.start < s or m.end > e:
                    continue
                if abs(m.value) == target:
                    return True
                if amount:
                    w = amount_in_wanyuan(m)
                    if w is not None and abs(w) == target:
                        return True
        return False
    return False


_SEGMENT_BREAK = re.compile(r"[，,。；;、（）()【】\[\]“”\"'：:\s]+")


def _evidence_span(evidence: str, message: str) -> tuple[int, int] | None:
    """Where the evidence sits in the (squashed) message; an evidence the rules re-worded ("不予公开1件，是…"
    for "不予公开1件（是…）") is located by its pieces and spans from the first to the last piece found."""
    q = _squash(evidence).strip(_QUOTE_TRIM)
    m = _squash(message)
    i = m.find(q) if q else -1
    if i >= 0:
        return (i, i + len(q))
    found = [(j, j + len(p)) for p in _SEGMENT_BREAK.split(q) if len(p) >= 2 for j in [m.find(p)] if j >= 0]
    if not found:
        return None
    return (min(a for a, _ in found), max(b for _, b in found))


class LLMExtractor:
    """Implements the Extractor protocol: rules first, then the model, checked and merged."""

    name = "llm"

    def __init__(
        self,
        client: LLMClient,
        *,
        rules: Extractor | None = None,
        caller: StructuredCaller | None = None,
        budget: int = DEFAULT_BUDGET,
        recent_size: int = 2,
    ) -> None:
        if rules is None:
            from ..extract.rules import RuleExtractor

            rules = RuleExtractor()
        self.client = client
        self.rules = rules
        self.caller = caller or StructuredCaller(client)
        self.budget = budget
        self._recent: deque[str] = deque(maxlen=recent_size)
        self.last_messages: list[dict[str, Any]] = []  # the last request, for the benchmark and tests
        self.last_usage = TokenUsage()  # the last turn's model usage (zero when the model was not used)
        self.total_usage = TokenUsage()  # this extractor's whole session

    @property
    def description(self) -> str:
        """"deepseek-chat @ https://api.deepseek.com/v1" (for status lines; never the key)."""
        s = self.client.settings
        return f"{s.effective_model} @ {s.effective_base_url}"

    def usage_line(self, usage: TokenUsage | None = None) -> str:
        """Chinese one-liner of a turn's tokens, with an estimated cost when a price is configured."""
        s = self.client.settings
        return (usage or self.last_usage).describe(s.price_input_per_1k, s.price_output_per_1k)

    # ---- the interface -----------------------------------------------------------------------------
    def extract(self, message: str, context: ExtractionContext) -> LLMExtractionResult:
        rule_result = self.rules.extract(message, context)
        self.last_usage = TokenUsage()
        try:
            messages = build_extraction_messages(
                context.report, message, context.pending, list(self._recent), budget=self.budget
            )
            self.last_messages = messages
            answer = self.caller.call(messages, ModelExtraction, extraction_schema(), SCHEMA_NAME)
        except LLMError as e:
            log.info("LLM extraction failed, using rules only: %s (%s)", e, getattr(e, "kind", ""))
            return self._fallback(rule_result, message, context.report)
        except Exception:  # noqa: BLE001 - a bug here must not lose the clerk's turn
            log.exception("LLM extraction crashed, using rules only")
            return self._fallback(rule_result, message, context.report)
        finally:
            self._recent.append(message)
        self.last_usage = answer.usage
        self.total_usage = self.total_usage + answer.usage
        try:
            merged = self.merge(rule_result, answer.value, message, context)
        except Exception:  # noqa: BLE001
            log.exception("merging model proposals failed, using rules only")
            return self._fallback(rule_result, message, context.report)
        merged.rung = RUNG_NAMES.get(answer.rung)
        merged.prompt_tokens = answer.usage.prompt_tokens
        merged.completion_tokens = answer.usage.completion_tokens
        merged.tokens_estimated = answer.usage.estimated
        return merged

    def _fallback(self, rule_result: ExtractionResult, message: str, report: Any = None) -> LLMExtractionResult:
        result = LLMExtractionResult(**rule_result.model_dump(), engine="rules")
        if report is not None:  # same semantics as the offline engine (see merge, step 2)
            result.updates = [
                u.model_copy(update={"is_correction": True}) if report.cell(u.cell).known and not u.is_correction else u
                for u in result.updates
            ]
        result.notices.append(offline_notice())
        self._add_injection_warning(result, message)
        return result

    # ---- merge -------------------------------------------------------------------------------------
    def merge(
        self, rule_result: ExtractionResult, model: ModelExtraction, message: str, context: ExtractionContext
    ) -> LLMExtractionResult:
        """Combine the rule extractor's result with the model's checked proposals."""
        report = context.report
        specs = report.fmt.cells()
        result = LLMExtractionResult(**rule_result.model_dump(), engine="llm")
        correction = looks_like_correction(message)

        # 1. evidence check
        model_updates: dict[str, FactUpdate] = {}
        for p in model.updates:
            value_text = format_number(p.value) if p.value is not None else p.status
            failure = check_evidence(p, specs.get(p.cell), message)
            if failure:
                result.dropped.append(
                    DroppedProposal(
                        cell=p.cell, value=value_text, evidence=p.evidence[:120],
                        reason=failure[0],  # type: ignore[arg-type]
                        message=failure[1],
                    )
                )
                continue
            fu = FactUpdate(
                cell=p.cell,
                status=CellStatus(p.status),
                value=p.value if p.status == "value" else None,
                evidence=p.evidence[:500],
                is_correction=bool(p.is_correction and correction),
                note="模型识别，依据已核对",
            )
            if p.cell in model_updates:
                if not _same(model_updates[p.cell], fu):
                    result.dropped.append(
                        DroppedProposal(
                            cell=p.cell,
                            value=value_text,
                            evidence=p.evidence[:120],
                            reason="duplicate",
                            message="模型对同一单元格给出了两个数",
                        )
                    )
                continue
            model_updates[p.cell] = fu

        # 2. compare with the rules. Words the rules attributed to another cell are not evidence for this one
        #    ("evidence_used"); otherwise the rules' reading of this cell is compared: agreement confirms; a
        #    disagreement whose quote names the cell becomes a question (the rules' reading stays recorded).
        rule_last: dict[str, FactUpdate] = {}
        for u in rule_result.updates:
            rule_last[u.cell] = u
        rule_spans = [(u, _evidence_span(u.evidence, message)) for u in rule_result.updates if u.evidence]
        model_only: list[FactUpdate] = []
        disputed: set[str] = set()
        for cell, fu in model_updates.items():
            span = _evidence_span(fu.evidence, message)
            overlapping = [u for u, sp in rule_spans if sp and span and sp[0] < span[1] and span[0] < sp[1]]
            same_cell = [u for u in overlapping if u.cell == cell]
            other = [u for u in overlapping if u.cell != cell]
            # "其余为0" closes the cells of its row the quote does not name: the words are shared, not reused
            closure = (fu.status == CellStatus.CONFIRMED_ZERO and not same_cell
                       and bool(_REST_WORDS.search(normalize_text(fu.evidence)))
                       and all(specs[u.cell].table == specs[cell].table and specs[u.cell].row_id == specs[cell].row_id
                               for u in other))
            if other and not closure and (not same_cell or any(_same(u, fu) for u in other)):
                result.dropped.append(
                    DroppedProposal(
                        cell=cell,
                        value=_describe(fu),
                        evidence=fu.evidence[:120],
                        reason="evidence_used",
                        message=f"“{fu.evidence[:30]}”已记入{specs[other[0].cell].display_label}",
                    )
                )
                continue
            ru = same_cell[-1] if same_cell else rule_last.get(cell)
            if ru is None:
                model_only.append(fu)
            elif _same(ru, fu):
                result.agreed.append(cell)
            elif not self._names_cell(fu, report, message, context):
                result.dropped.append(
                    DroppedProposal(
                        cell=cell, value=_describe(fu), evidence=fu.evidence[:120], reason="no_cell_mention"
                    )
                )
            else:
                # A real second reading of the clerk's words: record neither, ask with both readings as choices.
                disputed.add(cell)
                result.ambiguities.append(Ambiguity(
                    evidence=_sentence_around(fu.evidence, message) or fu.evidence,
                    readings=[{cell: _reading_value(ru)}, {cell: _reading_value(fu)}],
                ))
                result.dropped.append(
                    DroppedProposal(cell=cell, value=_describe(fu), evidence=fu.evidence[:120], reason="disagreement")
                )
        if disputed:
            result.updates = [u for u in result.updates if u.cell not in disputed]
        # Rule proposals are the clerk's own words read deterministically: they keep the offline engine's
        # semantics (they may change a recorded cell) even when the engine protects stated cells for this
        # extractor. Protection applies to model-only proposals (step 3).
        result.updates = [
            u.model_copy(update={"is_correction": True}) if report.cell(u.cell).known and not u.is_correction else u
            for u in result.updates
        ]

        # 3. model-only: none from a message with instruction-like text (its numbers may be the injection's);
        #    never over a cell the clerk already stated unless the message is a correction
        if model_only and looks_like_injection(message):
            for fu in model_only:
                result.dropped.append(
                    DroppedProposal(cell=fu.cell, value=_describe(fu), evidence=fu.evidence[:120], reason="injection")
                )
            model_only = []
        kept = []
        for fu in model_only:
            if self._names_cell(fu, report, message, context):
                kept.append(fu)
            else:
                result.dropped.append(
                    DroppedProposal(
                        cell=fu.cell, value=_describe(fu), evidence=fu.evidence[:120], reason="no_cell_mention"
                    )
                )
        if kept:
            dry = apply_updates(report, kept, source="model", ref=context.message_id, protect_stated=True)
            blocked = {c.cell for c in dry.conflicts} | {r.cell for r in dry.rejected}
            for c in dry.conflicts:
                result.warnings.append(render_prompt("llm/protected", reason=c.reason))
                result.dropped.append(
                    DroppedProposal(cell=c.cell, value=c.value, evidence="", reason="protected", message=c.reason)
                )
            for r in dry.rejected:
                result.dropped.append(
                    DroppedProposal(cell=r.cell, value=r.value, evidence="", reason="invalid", message=r.reason)
                )
            for fu in kept:
                if fu.cell not in blocked:
                    result.updates.append(fu)
                    result.model_only.append(fu.cell)

        # 4. fragments the rules could not place but the model did (with evidence) are understood now
        if result.model_only:
            used = [_squash(u.evidence) for u in result.updates if u.cell in result.model_only]
            result.not_understood = [
                f for f in result.not_understood if not any(q and (q in _squash(f) or _squash(f) in q) for q in used)
            ]

        self._merge_meta(result, rule_result.meta, model, message, report)
        self._merge_narrative(result, model, message)
        self._add_injection_warning(result, message)
        return result

    @staticmethod
    def _names_cell(fu: FactUpdate, report: Any, message: str, context: ExtractionContext) -> bool:
        """A bare answer ("3件") to a question about this cell, or a quote whose sentence names the cell."""
        from ..extract.numbers import is_bare_number

        if is_bare_number(normalize_text(message)) and any(fu.cell in q.cells for q in context.pending):
            return True
        spec = report.fmt.cells()[fu.cell]
        columns = 1
        if spec.table == "table2":
            columns = len(next(b.columns for b in report.fmt.table2_blocks if b.id == spec.block_id))
        return names_cell(spec, fu.evidence, message, columns, zero=fu.status == CellStatus.CONFIRMED_ZERO)

    @staticmethod
    def _merge_meta(
        result: LLMExtractionResult, rule_meta: MetaUpdate, model: ModelExtraction, message: str, report: Any
    ) -> None:
        """Model meta only fills what neither the rules nor the report have, and only with words from the message."""
        norm = _squash(message)
        meta = rule_meta.model_copy()
        m = model.meta
        if m.agency and not meta.agency and not report.agency:
            agency = normalize_text(m.agency).strip()
            if len(agency) >= 2 and _squash(agency) in norm:
                meta.agency = agency
        if m.report_year and not meta.report_year and not report.report_year:
            if 2019 <= m.report_year <= 2100 and str(m.report_year) in norm:
                meta.report_year = m.report_year
        if m.level and not meta.level and not report.level:
            try:
                level = AgencyLevel(m.level)
            except ValueError:
                level = None
            if level is not None and any(w in norm for w in _LEVEL_WORDS.get(level, (level.value,))):
                meta.level = level
        result.meta = meta

    @staticmethod
    def _merge_narrative(result: LLMExtractionResult, model: ModelExtraction, message: str) -> None:
        norm = _squash(message)
        for n in model.narrative:
            if n.key not in NARRATIVE_BY_KEY or n.key in result.narrative:
                continue
            text = normalize_text(n.text).strip()
            if len(_squash(text)) >= 4 and _squash(text) in norm:
                result.narrative[n.key] = text

    @staticmethod
    def _add_injection_warning(result: ExtractionResult, message: str) -> None:
        if not looks_like_injection(message):
            return
        if any("指令" in w for w in result.warnings):
            return
        result.warnings.append(load_prompt("llm/injection_warning"))
