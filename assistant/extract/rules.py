"""The offline, rule-based extractor: clerk message → proposed cell updates, meta, narrative, yes/no.

Pipeline: normalise → drop suspected prompt injection → read pasted tables → meta (agency/level/year/format) →
yes/no → read the rest sentence by sentence, clause by clause → bare answers to the pending question →
arithmetic closure (a stated total whose parts already add up confirms the other parts as 0).

Inside a clause each number attaches to the row/column words written since the previous number, or, when
none precede it, to those right after it ("10件是个人的"); a column named right after a row total ("属于国家
秘密2件，自然人") says which applicants that total came from. A number with no words at all belongs to the row
named earlier in the same sentence ("收到申请，共12件"). Scope words (没有/都是/其余均为0) confirm zeros for
the group of cells they name; an inferred zero never overwrites what the clerk stated in the same message and
never contradicts a stated row total. Everything that could not be placed goes to ``not_understood``.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal

from ..facts import FactUpdate, Report
from ..formats import FormatError, ReportFormat, format_for_year, get_format
from ..numbers import NumberMention
from ..textnorm import normalize_text
from .answers import AnswerRules
from .base import ExtractionContext, ExtractionResult, MetaUpdate, PendingQuestion
from .clauses import ClauseReader, sentences_with_ends
from .closure import ClosureRules
from .corrections import CorrectionRules
from .injection import screen_into
from .lexicon import fix_typos
from .markers import MarkerRules
from .messages import msg
from .meta import county_level_city, explicit_level, find_agency, find_format, find_level, find_report_year
from .pairing import NumberPairing
from .recording import Recorder
from .scope import ScopeRules
from .state import RunState
from .table2 import Table2Rules
from .table3 import Table3Rules
from .table4 import Table4Rules
from .tables import blank_rules_removed, parse_tables
from .vocabulary import Token

MAX_CHARS = 60_000
INTERNAL_ERROR = "离线解析这条消息时出错，未记录任何数字，请换一种说法或分段发送"

log = logging.getLogger(__name__)


def _resolve_format(report: Report, year: int | None, format_id: str | None) -> ReportFormat:
    """The format to read this message with: the report's, else one named or implied in the message."""
    try:
        if report.format_id:
            return report.fmt
        if format_id:
            return get_format(format_id)
        if report.report_year:
            return report.fmt
        if year:
            return format_for_year(year)
    except FormatError:
        pass
    return get_format("2021")


class _Run(
    ClauseReader,
    NumberPairing,
    Table3Rules,
    Table4Rules,
    Table2Rules,
    MarkerRules,
    ScopeRules,
    AnswerRules,
    CorrectionRules,
    ClosureRules,
    Recorder,
):
    """One extraction: holds the message, the context and everything found so far."""

    def __init__(self, message: str, context: ExtractionContext, max_chars: int) -> None:
        self.context = context
        self.report = context.report
        self.pending = list(context.pending)
        self.res = ExtractionResult()
        self.max_chars = max_chars
        self.message = message or ""
        self.updates: dict[str, FactUpdate] = {}
        self.stated: set[str] = set()  # cells the clerk gave a number for in prose (not inferred)
        self.from_table: set[str] = set()  # cells read from a pasted table (blank cells there stay unknown)
        self.clause_span: tuple[int, int] | None = None  # the clause being read, in the normalised message
        self.unread: set[str] = set()  # cells named in words that gave no number (see ExtractionResult.unread_cells)
        self.state = RunState()
        self.correction = False
        self.copy_rows: list[tuple[str, Decimal, str]] = []
        self._last_toks: list[Token] = []
        self.amending = False
        self.markers_seen = False
        self.orphans: list[tuple[NumberMention, str]] = []
        self.bare_neg_clauses: list[str] = []
        self.fmt: ReportFormat = _resolve_format(self.report, None, None)
        self.cells = self.fmt.cells()
        self.amount_unit_known = any("万元" in q.text for q in self.pending)

    def run(self) -> ExtractionResult:
        text = self.message
        if len(text) > self.max_chars:
            self.res.notes.append(msg("truncated", length=len(text), limit=self.max_chars))
            text = text[: self.max_chars]
        norm = fix_typos(normalize_text(text))
        self.res.normalized_text = norm
        clean = screen_into(norm, self.res, self.pending)  # injections, bulk instructions, headings: see injection.py
        self._meta(clean)
        self.fmt = _resolve_format(self.report, self.res.meta.report_year, self.res.meta.format_id)
        self.cells = self.fmt.cells()
        self.amount_unit_known = self.amount_unit_known or "万元" in clean
        narrative_q = self._pending_of("narrative")
        if narrative_q and narrative_q.narrative_key and clean.strip():
            self.res.narrative[narrative_q.narrative_key] = clean.strip()
        free = clean
        if "\t" in clean or "|" in clean or "\n" in clean.strip():
            tables = parse_tables(clean, self.fmt, blank_zero=self.context.conventions.get("blank") == "zero")
            for up in tables.updates:
                self.updates[up.cell] = up
                self.from_table.add(up.cell)
            self.res.notes.extend(tables.notes)
            self.res.not_understood.extend(tables.not_understood)
            if tables.tables:
                self.state.last_table = tables.tables[-1]
            if tables.consumed:
                lines = clean.split("\n")
                free = "\n".join(" " * len(ln) if i in tables.consumed else ln for i, ln in enumerate(lines))
                free = blank_rules_removed(free)  # "空白的格子就是0" was a rule for the table, not a number
        self._answer(free)
        for sentence, ends, start in sentences_with_ends(free):
            if sentence.strip():
                self._sentence(sentence, start)
            if ends:  # "。": the statement ends, and with it its applicant heading and its list
                self.state.col_scope = None
                self.state.list_kind = None
        self.clause_span = None
        self._bare()
        self._follow_single_column()
        self._closure()
        for rid, total, ev in self.copy_rows:
            self._copy_received_columns(rid, total, ev)
        self._closure_results()
        self._finish()
        return self.res

    def _pending_of(self, *kinds: str) -> PendingQuestion | None:
        return next((q for q in self.pending if q.kind in kinds), None)

    def _meta(self, text: str) -> None:
        meta = MetaUpdate()
        q = self._pending_of("meta")
        asked = q.meta_field if q else None
        head = text[:600]
        found = find_agency(head, anywhere=asked == "agency")
        if found:
            meta.agency, meta.level = found
        elif asked == "agency":
            short = head.strip().strip("。.!！")
            short = re.sub(r"^(?:我们?是|我们单位是|单位是|本单位是|我在)", "", short)
            short = re.sub(r"的$", "", short)
            if 2 <= len(short) <= 30 and not re.search(r"\d|[，,。；;]", short):
                meta.agency = short
        level = find_level(head)
        if level and (asked == "level" or not meta.level):
            meta.level = level
        meta.level = explicit_level(head) or county_level_city(meta.level, head)
        if (
            self.report.report_year is None
            or asked == "report_year"
            or re.search(r"(?:报告年度|年度)(?:应该|应|改|更正)|(?:改成|改为|应该是|更正为|不是)\s*\d{4}\s*年", head)
        ):
            meta.report_year = find_report_year(head, asked=asked == "report_year")
        fmt_id = find_format(head)
        if fmt_id is None and asked == "format":
            if "2019" in head or "试行" in head:
                fmt_id = "2019"
            elif "2021" in head or "新" in head or "现行" in head:
                fmt_id = "2021"
        meta.format_id = fmt_id
        self.res.meta = meta


class RuleExtractor:
    """Offline extractor: understands numbers, synonyms, scope words, corrections, pasted tables and bare answers."""

    name = "rules"

    def __init__(self, max_chars: int = MAX_CHARS) -> None:
        self.max_chars = max_chars

    def extract(self, message: str, context: ExtractionContext) -> ExtractionResult:
        try:
            return _Run(message, context, self.max_chars).run()
        except Exception:  # noqa: BLE001 - the dialogue must never see a traceback; nothing is recorded
            log.exception("rule extraction failed")
            return ExtractionResult(warnings=[INTERNAL_ERROR], normalized_text=(message or "")[:2000])


def extract(
    message: str, report: Report | None = None, pending: list[PendingQuestion] | None = None
) -> ExtractionResult:
    """Convenience wrapper: ``extract("收到申请3件", report)``."""
    ctx = ExtractionContext(report=report or Report(), pending=pending or [])
    return RuleExtractor().extract(message, ctx)
