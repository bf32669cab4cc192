"""What the app does with a draft, independent of Streamlit: chat turns, table edits, section versions, import.

Every write goes through the store with the version it was based on. On a version conflict (another tab wrote
first) the operation is re-run on the latest state — chat turns and imports are re-processed, table edits are
re-applied except for cells someone else changed meanwhile (those are reported, never overwritten).
A locked section is never regenerated or overwritten: checked here and again in the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..conversation import ConversationState, TurnResult
from ..drafting.findings import stale_lock_findings
from ..errors import AssistantError, StoreError
from ..facts import AgencyLevel, ApplyResult, CellFact, CellStatus, Change, FactUpdate, Rejection, Report, apply_updates
from ..formats import NARRATIVE_SECTION_IDS, format_for_year
from ..prompts import load_prompt, render_prompt
from ..store import (
    Draft,
    DraftSummary,
    MessageRecord,
    NewMessage,
    NewSectionVersion,
    SectionLocked,
    SectionVersion,
    Store,
    VersionConflict,
)
from . import integrations
from .replay import engine_for_one_message

log = logging.getLogger(__name__)

ROLE_CLERK = "clerk"
ROLE_REVIEWER = "reviewer"
ROLE_LABELS = {ROLE_CLERK: "承办人", ROLE_REVIEWER: "审核人"}
MAX_MESSAGE_CHARS = 20_000
MAX_RETRIES = 4


@dataclass
class Outcome:
    """The result of one operation, for the UI."""

    draft: Draft
    reply: str | None = None
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    conflict_resolved: bool = False


@dataclass
class _Write:
    """What one attempt wants to write."""

    state: ConversationState
    changes: list[Change] = field(default_factory=list)
    change_source: str = "message"
    message_id: int | None = None
    section_versions: list[NewSectionVersion] = field(default_factory=list)
    processed_message_id: int | None = None
    messages: list[NewMessage] = field(default_factory=list)
    title: str | None = None


def _hide_locked(state: ConversationState, locked: set[str]) -> ConversationState:
    """The state the engine sees: a locked section is not the engine's own draft, so it is never redrafted
    (and the reply never claims it was)."""
    if not locked or not any(k in locked for k in state.drafted):
        return state
    return state.model_copy(update={"drafted": {k: v for k, v in state.drafted.items() if k not in locked}})


def _new_stale_locks(before: Report, after: Report, locked: set[str]) -> list[str]:
    """Reviewer notices for locked sections whose numbers this turn's table changes contradicted."""
    if not locked:
        return []
    old = {f.message for f in stale_lock_findings(before, locked)}
    return [f.message for f in stale_lock_findings(after, locked) if f.message not in old]


def default_title(report: Report) -> str:
    agency = report.agency.strip() or "未命名单位"
    year = f"{report.report_year}年度" if report.report_year else ""
    return f"{agency}{year}年报"


class DraftService:
    """Operations on one owner's drafts."""

    def __init__(self, store: Store, owner: str, *, engine: Any = None, role: str = ROLE_CLERK) -> None:
        if not owner:
            raise StoreError("没有确定当前用户")
        self.store = store
        self.owner = owner
        self.role = role if role in ROLE_LABELS else ROLE_CLERK
        self._engine = engine

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = integrations.make_engine()
        return self._engine

    # ---- drafts ---------------------------------------------------------------------------------------
    def list_drafts(self) -> list[DraftSummary]:
        return self.store.list_drafts(self.owner)

    def open(self, draft_id: str) -> Draft:
        return self.store.get_draft(self.owner, draft_id)

    def create(
        self,
        *,
        agency: str = "",
        level: AgencyLevel | None = None,
        report_year: int | None = None,
        report: Report | None = None,
        title: str | None = None,
        origin_note: str | None = None,
    ) -> Draft:
        """A new draft: the engine's opening turn (greeting and first questions, which also propose last
        year's baselines when ``report.last_year`` is set) is its first assistant message."""
        if report is None:
            if report_year is not None:
                format_for_year(report_year)  # FormatError (Chinese) for years before the 2019 format
            report = Report(agency=" ".join(agency.split())[:100], level=level, report_year=report_year)
        start: TurnResult = self.engine.start(report)
        state = start.state
        reply = start.reply
        messages = []
        if origin_note:
            messages.append(NewMessage("assistant", origin_note, meta={"kind": "notice"}))
        if reply:
            messages.append(NewMessage("assistant", reply, meta={"notices": list(start.notices)}))
        versions = [
            NewSectionVersion(sid, text, self.role, "import")
            for sid, text in state.report.sections.items()
            if sid in NARRATIVE_SECTION_IDS and text.strip()
        ]
        return self.store.create_draft(
            self.owner, title or default_title(state.report), state, messages=messages, section_versions=versions
        )

    def rename(self, draft_id: str, title: str) -> None:
        self.store.rename_draft(self.owner, draft_id, title)

    def delete(self, draft_id: str) -> None:
        self.store.delete_draft(self.owner, draft_id)

    def duplicate_next_year(self, draft_id: str) -> Draft:
        """A new draft for the following year, seeded from this one as last year's report."""
        src = self.open(draft_id).state.report
        if not src.report_year:
            raise AssistantError("这份草稿没有报告年度，无法生成下一年度草稿")
        new_year = src.report_year + 1
        report = integrations.next_year_report(src, new_year)
        note = render_prompt("ui/next_year_note", year=src.report_year)
        return self.create(report=report, origin_note=note)

    # ---- messages ---------------------------------------------------------------------------------------
    def messages(self, draft_id: str) -> list[MessageRecord]:
        return self.store.list_messages(self.owner, draft_id)

    def unprocessed(self, draft_id: str) -> list[MessageRecord]:
        return self.store.unprocessed_messages(self.owner, draft_id)

    def send(self, draft_id: str, text: str, *, uid: str | None = None) -> Outcome:
        """Save the clerk's message first, then process it (a crash in between leaves it visibly unprocessed)."""
        text = str(text)
        if not text.strip():
            return Outcome(self.open(draft_id), errors=["消息为空"])
        if len(text) > MAX_MESSAGE_CHARS:
            return Outcome(
                self.open(draft_id),
                errors=[f"消息过长（{len(text)}字），请分成几条发送，每条不超过{MAX_MESSAGE_CHARS}字"],
            )
        msg = self.store.add_message(self.owner, draft_id, "user", text, uid=uid, meta={"role": self.role})
        if msg.processed:  # the same uid was already processed (double submit after a reconnect)
            return Outcome(self.open(draft_id))
        return self.process(draft_id, msg)

    def reprocess(self, draft_id: str, message_id: int) -> Outcome:
        msg = next((m for m in self.unprocessed(draft_id) if m.id == message_id), None)
        if msg is None:
            return Outcome(self.open(draft_id), errors=["这条消息已经处理过了"])
        return self.process(draft_id, msg)

    def dismiss(self, draft_id: str, message_id: int) -> None:
        """Mark an interrupted message as handled without processing it."""
        self.store.mark_processed(self.owner, draft_id, message_id)

    def process(self, draft_id: str, msg: MessageRecord) -> Outcome:
        """Run the engine on a saved message and write the result together with the reply.

        The message is extracted once: a retry after a version conflict re-applies that extraction to the fresh
        state (no second model call)."""
        holder: dict[str, TurnResult] = {}
        engine, _ = engine_for_one_message(self.engine)

        def attempt(draft: Draft) -> _Write:
            locked = set(draft.locked_sections)
            result: TurnResult = engine.turn(_hide_locked(draft.state, locked), msg.content, message_id=str(msg.id))
            result.state.drafted.update({k: v for k, v in draft.state.drafted.items() if k in locked})
            stale = _new_stale_locks(draft.state.report, result.state.report, locked)
            if stale:
                result.reply = "\n\n".join([result.reply, *stale])
                result.notices = [*result.notices, *stale]
            holder["result"] = result
            state, versions = self._sync_sections(draft, result.state, origin="engine")
            reply_meta = {
                "notices": list(result.notices),
                "rejected": [r.reason for r in result.rejected],
                "changes": len(result.changes),
            }
            return _Write(
                state=state,
                changes=list(result.changes),
                change_source="message",
                message_id=msg.id,
                section_versions=versions,
                processed_message_id=msg.id,
                messages=[NewMessage("assistant", result.reply, reply_to=msg.id, meta=reply_meta)],
            )

        try:
            draft, retried = self._write_with_retry(draft_id, attempt)
        except AssistantError:
            raise
        except Exception:  # noqa: BLE001 - the message stays saved and unprocessed; the UI offers a re-run
            log.exception("turn failed for draft %s message %s", draft_id, msg.id)
            return Outcome(self.open(draft_id), errors=[load_prompt("ui/crash_notice")])
        result = holder["result"]
        notices = list(result.notices)
        if retried:
            notices.append(load_prompt("ui/conflict_resolved"))
        return Outcome(
            draft,
            reply=result.reply,
            notices=notices,
            changes=list(result.changes),
            rejected=list(result.rejected),
            conflict_resolved=retried,
        )

    # ---- table edits -----------------------------------------------------------------------------------
    def apply_manual(self, draft_id: str, updates: list[FactUpdate], *, seen: dict[str, CellFact]) -> Outcome:
        """Apply grid edits (source "manual"). ``seen`` holds each edited cell as the editor showed it; a cell
        changed elsewhere since then is not overwritten but reported."""
        skipped: list[str] = []
        holder: dict[str, ApplyResult] = {}

        def attempt(draft: Draft) -> _Write | None:
            report = draft.state.report
            todo = []
            skipped.clear()
            for up in updates:
                now = report.cell(up.cell)
                before = seen.get(up.cell)
                if before is not None and (now.status, now.value) != (before.status, before.value):
                    label = report.fmt.cells()[up.cell].display_label if up.cell in report.fmt.cells() else up.cell
                    skipped.append(f"{label}已在别处改为{now.describe()}，本次修改未覆盖，请核对后再改")
                    continue
                todo.append(up)
            res = apply_updates(report, todo, source="manual", ref=f"grid:{self.role}")
            holder["result"] = res
            if not res.changes:
                return None
            state = draft.state.model_copy(update={"report": res.report})
            return _Write(state=state, changes=list(res.changes), change_source="manual")

        draft, retried = self._write_with_retry(draft_id, attempt)
        res = holder.get("result")
        notices = list(skipped)
        if retried:
            notices.append(load_prompt("ui/conflict_resolved"))
        return Outcome(
            draft,
            notices=notices,
            changes=list(res.changes) if res else [],
            rejected=list(res.rejected) if res else [],
            conflict_resolved=retried,
        )

    def merge_import(self, draft_id: str, imported: Report, *, ref: str) -> Outcome:
        """Put imported cells into the open draft; cells the clerk already stated are kept (reported)."""
        updates = [
            FactUpdate(cell=k, status=f.status, value=f.value, evidence=f"导入：{ref}")
            for k, f in imported.cells.items()
            if f.status != CellStatus.UNKNOWN
        ]
        holder: dict[str, ApplyResult] = {}

        def attempt(draft: Draft) -> _Write | None:
            report = draft.state.report
            if imported.report_year and report.report_year and imported.report_year != report.report_year:
                raise AssistantError(
                    f"导入的数据是{imported.report_year}年度的，当前草稿是{report.report_year}年度，未合并"
                )
            usable = [u for u in updates if u.cell in report.fmt.cells()]
            res = apply_updates(report, usable, source="import", ref=ref, protect_stated=True)
            holder["result"] = res
            if not res.changes:
                return None
            return _Write(
                state=draft.state.model_copy(update={"report": res.report}),
                changes=list(res.changes),
                change_source="import",
            )

        draft, retried = self._write_with_retry(draft_id, attempt)
        res = holder.get("result")
        notices = [c.reason + "，保留了原值" for c in (res.conflicts if res else [])]
        return Outcome(
            draft,
            notices=notices,
            changes=list(res.changes) if res else [],
            rejected=list(res.rejected) if res else [],
            conflict_resolved=retried,
        )

    # ---- sections -------------------------------------------------------------------------------------
    def section_versions(self, draft_id: str, section_id: str) -> list[SectionVersion]:
        return self.store.list_section_versions(self.owner, draft_id, section_id)

    def is_locked(self, draft_id: str, section_id: str) -> bool:
        return self.store.is_section_locked(self.owner, draft_id, section_id)

    def locked_sections(self, draft_id: str) -> set[str]:
        return set(self.open(draft_id).locked_sections)

    def ensure_regenerable(self, draft_id: str, section_id: str) -> None:
        """Raise SectionLocked / AssistantError before any text is generated for a section."""
        if section_id not in NARRATIVE_SECTION_IDS:
            raise AssistantError("表格部分不由模型或模板生成，请通过对话或表格编辑修改数字")
        if self.is_locked(draft_id, section_id):
            raise SectionLocked(section_id)

    def next_variant(self, draft_id: str, section_id: str) -> int:
        """The offline template variant to use next (cycles through variants by version count)."""
        return len([v for v in self.section_versions(draft_id, section_id) if v.origin in ("offline", "engine")])

    def regenerate_offline(self, draft_id: str, section_id: str, *, instruction: str | None = None) -> Outcome:
        """Draft a section again offline (next variant, optional instruction) and save it as a new version."""
        self.ensure_regenerable(draft_id, section_id)
        draft = self.open(draft_id)
        text, notes = integrations.draft_offline_with_notes(
            draft.state.report, section_id, variant=self.next_variant(draft_id, section_id), instruction=instruction
        )
        out = self.save_section(draft_id, section_id, text, origin="offline", instruction=instruction)
        out.notices.extend(notes)
        return out

    def save_section(
        self, draft_id: str, section_id: str, text: str, *, origin: str, instruction: str | None = None
    ) -> Outcome:
        """Make ``text`` the section's current text and record it as a new version (refused when locked)."""
        if section_id not in NARRATIVE_SECTION_IDS:
            raise AssistantError("只有第一、五、六部分是文字部分")
        text = str(text).strip()
        if not text:
            raise AssistantError("生成的文字为空，未保存")
        instr = (instruction or "").strip()[:200] or None

        def attempt(draft: Draft) -> _Write:
            if self.is_locked(draft_id, section_id):
                raise SectionLocked(section_id)
            report = draft.state.report
            sections = dict(report.sections)
            sections[section_id] = text
            state = draft.state.model_copy(update={"report": report.model_copy(update={"sections": sections})})
            return _Write(
                state=state,
                section_versions=[NewSectionVersion(section_id, text, self.role, origin, instr)],
            )

        draft, retried = self._write_with_retry(draft_id, attempt)
        return Outcome(draft, conflict_resolved=retried)

    def restore(self, draft_id: str, section_id: str, version_no: int) -> Outcome:
        """Make an earlier version current again (as a new version, so nothing is lost)."""
        old = next((v for v in self.section_versions(draft_id, section_id) if v.version_no == version_no), None)
        if old is None:
            raise AssistantError(f"找不到第{version_no}版")
        return self.save_section(draft_id, section_id, old.text, origin="restore", instruction=f"恢复第{version_no}版")

    def set_locked(self, draft_id: str, section_id: str, locked: bool) -> SectionVersion:
        """Lock (approve) or unlock a section: reviewers only."""
        if self.role != ROLE_REVIEWER:
            raise AssistantError("只有审核人可以锁定或解除锁定")
        versions = self.section_versions(draft_id, section_id)
        if not versions:
            text = (self.open(draft_id).state.report.sections.get(section_id) or "").strip()
            if not text:
                raise AssistantError("这一部分还没有文字，无法锁定")
            self.save_section(draft_id, section_id, text, origin="manual")
        return self.store.set_section_lock(self.owner, draft_id, section_id, locked)

    # ---- internals ------------------------------------------------------------------------------------
    def _sync_sections(
        self, draft: Draft, new_state: ConversationState, *, origin: str
    ) -> tuple[ConversationState, list[NewSectionVersion]]:
        """Section texts changed by the engine become versions; locked sections keep their text."""
        old_sections = draft.state.report.sections
        new_sections = dict(new_state.report.sections)
        locked = draft.locked_sections
        versions: list[NewSectionVersion] = []
        for sid in NARRATIVE_SECTION_IDS:
            old, new = old_sections.get(sid, ""), new_sections.get(sid, "")
            if old == new:
                continue
            if sid in locked:
                if old:
                    new_sections[sid] = old
                else:
                    new_sections.pop(sid, None)
                continue
            if new.strip():
                versions.append(NewSectionVersion(sid, new, self.role, origin))
        if new_sections != new_state.report.sections:
            new_state = new_state.model_copy(
                update={"report": new_state.report.model_copy(update={"sections": new_sections})}
            )
        return new_state, versions

    def _write_with_retry(self, draft_id: str, attempt: Callable[[Draft], _Write | None]) -> tuple[Draft, bool]:
        """Run ``attempt`` on the latest draft and save; on a version conflict, reload and run it again."""
        retried = False
        for _ in range(MAX_RETRIES):
            draft = self.open(draft_id)
            w = attempt(draft)
            if w is None:
                return draft, retried
            try:
                new = self.store.save_state(
                    self.owner,
                    draft_id,
                    w.state,
                    expected_version=draft.version,
                    changes=w.changes,
                    change_source=w.change_source,
                    author_role=self.role,
                    message_id=w.message_id,
                    section_versions=w.section_versions,
                    processed_message_id=w.processed_message_id,
                    messages=w.messages,
                    title=w.title,
                )
                return new, retried
            except VersionConflict:
                retried = True
                continue
        raise StoreError("这份草稿正在被频繁修改，本次操作未保存，请稍后重试")
