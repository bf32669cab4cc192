"""Types of a conversation: the state the dialogue engine carries between turns, and one turn's result.

Both are plain pydantic models so the store can persist them and the UI can render them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from .checks import Finding
from .extract.base import PendingQuestion
from .facts import Change, Rejection, Report


class ConversationState(BaseModel):
    report: Report = Field(default_factory=Report)
    pending: list[PendingQuestion] = Field(default_factory=list)  # questions asked in the last reply
    turn: int = 0  # clerk messages processed
    questions_asked: int = 0  # total questions asked so far
    asked_keys: list[str] = Field(default_factory=list)  # question templates/narrative keys already asked
    tables_complete_announced: bool = False
    drafted: dict[str, str] = Field(default_factory=dict)  # section id → text the engine drafted (re-draftable)
    unread: list[str] = Field(default_factory=list)  # cells named in words that gave no number: never bulk-zeroed
    conventions: dict[str, str] = Field(default_factory=dict)  # stated by the clerk (空白就是0, 单位是元)
    deferred: list[str] = Field(default_factory=list)  # cells asked about twice: pointed to 表格编辑, not asked again
    recheck: list[str] = Field(default_factory=list)  # stated totals a correction of their parts put in doubt
    proposed: dict[str, str] = Field(default_factory=dict)  # identity to confirm once: "agency"/"report_year" → value


class TurnResult(BaseModel):
    state: ConversationState
    reply: str  # Markdown, Chinese: what was recorded/changed, then at most three grouped questions
    changes: list[Change] = Field(default_factory=list)
    rejected: list[Rejection] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    questions: list[PendingQuestion] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)  # e.g. "模型暂不可用，本轮已使用离线引擎"
    tables_complete: bool = False
