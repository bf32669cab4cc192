"""Starting a draft by chatting: what the clerk types before any draft exists.

The first screen has the chat box. A message is read by the conversation engine's own meta reading (agency,
level, report year, with its guards and bare-answer handling) on a transient state; nothing is recorded from it
yet. When the messages so far name the agency and the year, the caller creates the draft and sends every kept
message to it in order, so the numbers they contain are recorded like any other turn. Until then the assistant
asks for what is missing and keeps the messages: nothing typed is dropped.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..conversation import ConversationState
from ..extract.base import PendingQuestion
from ..facts import AgencyLevel, Report
from ..prompts import load_prompt

MetaField = Literal["agency", "report_year"]
_QUESTIONS: dict[tuple[MetaField, ...], str] = {
    ("agency", "report_year"): "questions/meta_identity",
    ("agency",): "questions/meta_agency",
    ("report_year",): "questions/meta_year",
}


class Intake(BaseModel):
    """The messages typed on the first screen (kept, in order) and the identity they state so far."""

    messages: list[str] = Field(default_factory=list)
    agency: str = ""
    level: AgencyLevel | None = None
    report_year: int | None = None
    notes: list[str] = Field(default_factory=list)  # why the last message's identity was not taken

    @property
    def missing(self) -> tuple[MetaField, ...]:
        """What a draft still needs before it can be created."""
        need: list[MetaField] = []
        if not self.agency.strip():
            need.append("agency")
        if not self.report_year:
            need.append("report_year")
        return tuple(need)

    @property
    def ready(self) -> bool:
        return not self.missing


def _pending(intake: Intake) -> list[PendingQuestion]:
    """The question the last reply asked, so that a bare answer ("2023", "萧江镇") is read as that field."""
    missing = intake.missing
    if not intake.messages or len(missing) != 1:
        return []
    field = missing[0]
    return [PendingQuestion(kind="meta", text=load_prompt(_QUESTIONS[(field,)]), meta_field=field,
                            template=_QUESTIONS[(field,)].split("/", 1)[1])]


def read_message(intake: Intake, text: str, engine: Any) -> Intake:
    """Keep the message and read the identity it states with the engine's meta reading (nothing else is kept).

    A value already read is changed only when the engine's guard lets it change (a correction, an answer)."""
    report = Report(agency=intake.agency, level=intake.level, report_year=intake.report_year)
    state = ConversationState(report=report, pending=_pending(intake))
    result = engine.turn(state, text)
    read = result.state.report
    refused = load_prompt("replies/meta_rejected").split("$reason", 1)[0]
    return Intake(
        messages=[*intake.messages, text],
        agency=read.agency or intake.agency,
        level=read.level or intake.level,
        report_year=read.report_year or intake.report_year,
        notes=[line for line in result.reply.splitlines() if refused and line.startswith(refused)],
    )


def question(intake: Intake) -> str:
    """The reply while the draft cannot be created yet: what is missing, and that the messages are kept."""
    ask = load_prompt(_QUESTIONS[intake.missing])
    known = []
    if intake.agency:
        known.append(f"单位 {intake.agency}")
    if intake.report_year:
        known.append(f"{intake.report_year}年度")
    head = load_prompt("ui/intake_kept")
    if known:
        head = f"{head}（已知：{'，'.join(known)}）"
    return "\n\n".join([*intake.notes, head, ask])
