"""What the store keeps and the errors it raises (shared by the one SQL implementation and its callers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..conversation import ConversationState
from ..errors import StoreError
from ..facts import CellFact, Change

# ---- errors ------------------------------------------------------------------------------------------


class DraftNotFound(StoreError):
    """No draft with this id for this owner (deleted, mistyped link, or someone else's)."""

    def __init__(self, draft_id: str = "") -> None:
        super().__init__("找不到这份草稿（可能已被删除，或链接不正确）")
        self.draft_id = draft_id


class VersionConflict(StoreError):
    """The draft changed since it was read (another tab or a second turn wrote first)."""

    def __init__(self, draft_id: str, expected: int, current: int) -> None:
        super().__init__(f"草稿已在别处被修改（您看到的是第{expected}版，当前为第{current}版），请刷新后重试")
        self.draft_id = draft_id
        self.expected = expected
        self.current = current


class SectionLocked(StoreError):
    """A locked (approved) section cannot get a new version until it is unlocked."""

    def __init__(self, section_id: str) -> None:
        super().__init__("该部分已由审核人锁定（定稿），如需修改请先解除锁定")
        self.section_id = section_id


# ---- records -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftSummary:
    id: str
    owner: str
    title: str
    created_at: str
    updated_at: str
    version: int


@dataclass(frozen=True)
class Draft(DraftSummary):
    state: ConversationState = field(default_factory=ConversationState)
    locked_sections: frozenset[str] = frozenset()  # sections whose latest version a reviewer locked


@dataclass(frozen=True)
class MessageRecord:
    id: int
    draft_id: str
    role: str  # "user" | "assistant"
    content: str
    created_at: str
    processed: bool
    uid: str | None = None
    reply_to: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FactEvent:
    id: int
    draft_id: str
    message_id: int | None
    cell: str
    before: CellFact
    after: CellFact
    source: str
    author_role: str | None
    created_at: str


@dataclass(frozen=True)
class SectionVersion:
    id: int
    draft_id: str
    section_id: str
    version_no: int
    text: str
    author_role: str
    instruction: str | None
    origin: str  # "offline" | "model" | "manual" | "restore" | "import" | "engine"
    created_at: str
    locked: bool


@dataclass(frozen=True)
class NewSectionVersion:
    """A section version to write together with a state change."""

    section_id: str
    text: str
    author_role: str
    origin: str
    instruction: str | None = None


@dataclass(frozen=True)
class NewMessage:
    """A message (usually the assistant's reply) to write together with a state change."""

    role: str
    content: str
    reply_to: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


# ---- interface ---------------------------------------------------------------------------------------


class Store(Protocol):
    """What the app needs from persistence."""

    def create_draft(
        self,
        owner: str,
        title: str,
        state: ConversationState,
        *,
        messages: Sequence[NewMessage] = (),
        section_versions: Sequence[NewSectionVersion] = (),
    ) -> Draft: ...
    def list_drafts(self, owner: str) -> list[DraftSummary]: ...
    def list_all_drafts(self) -> list[DraftSummary]: ...
    def get_draft(self, owner: str, draft_id: str) -> Draft: ...
    def rename_draft(self, owner: str, draft_id: str, title: str) -> None: ...
    def delete_draft(self, owner: str, draft_id: str) -> None: ...
    def save_state(
        self,
        owner: str,
        draft_id: str,
        state: ConversationState,
        *,
        expected_version: int,
        changes: Sequence[Change] = (),
        change_source: str = "message",
        author_role: str | None = None,
        message_id: int | None = None,
        section_versions: Sequence[NewSectionVersion] = (),
        processed_message_id: int | None = None,
        messages: Sequence[NewMessage] = (),
        title: str | None = None,
    ) -> Draft: ...
    def add_message(
        self,
        owner: str,
        draft_id: str,
        role: str,
        content: str,
        *,
        uid: str | None = None,
        processed: bool = False,
        meta: dict[str, Any] | None = None,
    ) -> MessageRecord: ...
    def mark_processed(self, owner: str, draft_id: str, message_id: int) -> None: ...
    def list_messages(self, owner: str, draft_id: str) -> list[MessageRecord]: ...
    def unprocessed_messages(self, owner: str, draft_id: str) -> list[MessageRecord]: ...
    def list_fact_events(self, owner: str, draft_id: str, cell: str | None = None) -> list[FactEvent]: ...
    def list_section_versions(
        self, owner: str, draft_id: str, section_id: str | None = None
    ) -> list[SectionVersion]: ...
    def set_section_lock(self, owner: str, draft_id: str, section_id: str, locked: bool) -> SectionVersion: ...
    def is_section_locked(self, owner: str, draft_id: str, section_id: str) -> bool: ...
    def close(self) -> None: ...


