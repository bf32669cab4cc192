"""The extraction interface shared by the rule-based and the LLM extractor.

An extractor reads one clerk message (with the current report and the questions just asked) and returns
*proposals*; the ledger (:func:`assistant.facts.apply_updates`) decides what is recorded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from ..facts import AgencyLevel, FactUpdate, Report

QuestionKind = Literal["cells", "confirm_zero", "confirm_value", "meta", "narrative", "contradiction"]


class PendingQuestion(BaseModel):
    """A question the assistant asked; a bare answer ("3件", "没有", "对") applies to it."""

    kind: QuestionKind
    text: str  # the question as shown to the clerk
    cells: list[str] = Field(default_factory=list)  # cells it is about (a bare number fills these)
    proposed: dict[str, Decimal] = Field(default_factory=dict)  # confirm_value: cell → proposed value
    meta_field: Literal["agency", "level", "report_year", "format"] | None = None
    narrative_key: str | None = None  # narrative fact key (see assistant.drafting.slots)
    template: str | None = None  # prompts/questions/<template>.txt it was worded from
    readings: list[dict[str, Decimal]] = Field(default_factory=list)  # choices offered (ambiguity): cell → value
    choices: list[str] = Field(default_factory=list)  # a proposed answer per choice (e.g. the agency's full name)


class ExtractionContext(BaseModel):
    report: Report
    pending: list[PendingQuestion] = Field(default_factory=list)
    message_id: str | None = None
    conventions: dict[str, str] = Field(default_factory=dict)  # conventions the clerk stated earlier (空白就是0, 单位是元)


class MetaUpdate(BaseModel):
    agency: str | None = None
    level: AgencyLevel | None = None
    report_year: int | None = None
    format_id: str | None = None

    def is_empty(self) -> bool:
        return not any((self.agency, self.level, self.report_year, self.format_id))


class Ambiguity(BaseModel):
    """A stated number with two or more plausible readings: asked about, never recorded."""

    evidence: str  # the clerk's words, verbatim
    readings: list[dict[str, Decimal]] = Field(default_factory=list)  # each reading: cell key → value
    question: str = ""  # Chinese, offers the readings as choices


class ExtractionResult(BaseModel):
    updates: list[FactUpdate] = Field(default_factory=list)
    meta: MetaUpdate = Field(default_factory=MetaUpdate)
    narrative: dict[str, str] = Field(default_factory=dict)  # narrative fact key → clerk's text
    answer: Literal["yes", "no"] | None = None  # a bare yes/no to the pending question
    not_understood: list[str] = Field(default_factory=list)  # Chinese: fragments with numbers matched to no cell
    notes: list[str] = Field(default_factory=list)  # Chinese: e.g. "3000元已换算为0.3万元"
    warnings: list[str] = Field(default_factory=list)  # Chinese: e.g. suspected prompt injection ignored
    normalized_text: str = ""
    # Interface for the dialogue policy (issue 10):
    unread_cells: list[str] = Field(default_factory=list)  # cells named in words that produced no number: never
    #   covered by a bulk "其余均为0" question or a closing "剩下的都是0"
    ambiguities: list[Ambiguity] = Field(default_factory=list)  # asked about; nothing recorded for them
    pending_cells: list[str] = Field(default_factory=list)  # 先空着/待核实/还没回: explicitly pending, never 0
    cleared_cells: list[str] = Field(default_factory=list)  # 「收费那一项清空」: back to unknown
    clerk_questions: list[str] = Field(default_factory=list)  # questions the clerk asked us (answered, not parsed)
    conventions: dict[str, str] = Field(default_factory=dict)  # stated conventions, e.g. {"blank": "zero", "unit": "元"}


class Extractor(Protocol):
    """Anything that turns a clerk message into proposals."""

    name: str

    def extract(self, message: str, context: ExtractionContext) -> ExtractionResult: ...
