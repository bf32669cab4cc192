"""The store's one implementation: SQLAlchemy Core over SQLite (default) or PostgreSQL.

Concurrency comes from the database: every state write is ``UPDATE drafts … WHERE version = :expected``, which
PostgreSQL row-locks and SQLite serialises with ``BEGIN IMMEDIATE``; a stale version raises
:class:`VersionConflict` in any process on any server. Within one process SQLite writers also queue on a lock,
so many sessions never race for SQLite's busy timeout.

A turn costs: one statement to save the clerk's message before processing; then, in one transaction, the state
update (version check included), one batched insert of the *stated* facts' events (cells the engine derived are
state, kept in the draft's JSON, not events), and the reply. A message is processed once its reply is stored
in the same transaction as the state, or once it is explicitly marked.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from ..conversation import ConversationState
from ..dialogue import DERIVED_NOTE
from ..errors import StoreError
from ..facts import CellFact, Change
from .connect import WRITE_OPTION, build_engine, normalise_url, sqlite_url
from .migrate import DatabaseTooNew, upgrade
from .records import (
    Draft,
    DraftNotFound,
    DraftSummary,
    FactEvent,
    MessageRecord,
    NewMessage,
    NewSectionVersion,
    SectionLocked,
    SectionVersion,
    VersionConflict,
)
from .schema import drafts, fact_events, messages, section_versions

MAX_TITLE = 120
_SUMMARY = (drafts.c.id, drafts.c.owner, drafts.c.title, drafts.c.created_at, drafts.c.updated_at, drafts.c.version)
_SAVED = (*_SUMMARY, drafts.c.locked_sections)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_draft_id() -> str:
    """An unguessable id (also the link to the draft)."""
    return secrets.token_urlsafe(18)


def _next_seq() -> Any:
    """Most recently touched first, without clock ties."""
    return select(func.coalesce(func.max(drafts.c.seq), 0) + 1).scalar_subquery()


def is_stated_change(change: Change) -> bool:
    """A change worth an event: anything but a cell the engine derived (re-derivable state, not a fact)."""
    def derived(fact: CellFact) -> bool:
        p = fact.provenance
        return bool(p and p.note and p.note.startswith(DERIVED_NOTE))

    return not (derived(change.after) and (derived(change.before) or not change.before.known))


_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _process_write_lock(key: str) -> threading.RLock:
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())


class SQLStore:
    """Drafts, messages, fact events and section versions in one SQL database (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = build_engine(self.url)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            try:
                Path(self.engine.url.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"无法创建数据目录：{e.strerror or e}") from None
        self.dialect = self.engine.dialect.name
        self._closed = False
        self._write_lock: threading.RLock | None = None
        if self.dialect == "sqlite":
            self._write_lock = _process_write_lock(str(self.engine.url.database and Path(self.engine.url.database).resolve()))
        try:
            self.schema_revision = upgrade(self.engine)
        except DatabaseTooNew:
            self.engine.dispose()
            raise
        except OperationalError as e:
            self.engine.dispose()
            raise StoreError(f"无法连接或初始化数据库：{_reason(e)}") from None
        except SQLAlchemyError as e:
            self.engine.dispose()
            raise StoreError(f"数据库无法初始化：{_reason(e)}") from None

    # -- transactions ---------------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; commits when the block ends, rolls back on any exception."""
        self._check_open()
        lock: AbstractContextManager[Any] = self._write_lock if self._write_lock is not None else nullcontext()
        with lock:
            try:
                with self.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
                    yield conn
            except StoreError:
                raise
            except OperationalError as e:
                raise StoreError(f"数据库暂时被占用或不可用，请稍后重试（{_reason(e)}）") from None
            except IntegrityError:
                raise
            except SQLAlchemyError as e:
                raise StoreError(f"保存失败：{_reason(e)}") from None

    def _read(self, stmt: Any) -> list[Row[Any]]:
        self._check_open()
        try:
            with self.engine.connect() as conn:
                return list(conn.execute(stmt).fetchall())
        except SQLAlchemyError as e:
            raise StoreError(f"读取数据失败：{_reason(e)}") from None

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("数据存储已关闭")

    def close(self) -> None:
        self._closed = True
        self.engine.dispose()

    # -- access checks --------------------------------------------------------------------------------
    def _owned(self, con: Connection | None, owner: str, draft_id: str, *, for_update: bool = False) -> Row[Any]:
        stmt = select(drafts).where(drafts.c.id == draft_id, drafts.c.owner == owner)
        if for_update:
            stmt = stmt.with_for_update()  # PostgreSQL: lock the row for this transaction (SQLite ignores it)
        rows = list(con.execute(stmt).fetchall()) if con is not None else self._read(stmt)
        if not rows or not owner:
            raise DraftNotFound(draft_id)
        return rows[0]

    # -- drafts ---------------------------------------------------------------------------------------
    def create_draft(
        self,
        owner: str,
        title: str,
        state: ConversationState,
        *,
        messages: Sequence[NewMessage] = (),
        section_versions: Sequence[NewSectionVersion] = (),
    ) -> Draft:
        """A new draft with its first messages and section versions, in one transaction."""
        if not owner:
            raise StoreError("没有确定当前用户，无法保存草稿")
        ts = now_iso()
        draft_id = new_draft_id()
        clean = _clean_title(title)
        with self._write() as con:
            con.execute(insert(drafts).values(id=draft_id, owner=owner, title=clean, created_at=ts, updated_at=ts,
                                              version=1, state_json=state.model_dump_json(), seq=_next_seq()))
            for sv in section_versions:
                self._insert_section_version(con, draft_id, sv, ts)
            self._insert_messages(con, draft_id, messages, ts)
        return Draft(id=draft_id, owner=owner, title=clean, created_at=ts, updated_at=ts, version=1,
                     state=ConversationState.model_validate_json(state.model_dump_json()))

    def list_drafts(self, owner: str) -> list[DraftSummary]:
        rows = self._read(select(*_SUMMARY).where(drafts.c.owner == owner).order_by(drafts.c.seq.desc()))
        return [DraftSummary(**r._mapping) for r in rows]

    def list_all_drafts(self) -> list[DraftSummary]:
        """Every owner's drafts, most recent first: for the operator's command line, never for the app."""
        rows = self._read(select(*_SUMMARY).order_by(drafts.c.seq.desc()))
        return [DraftSummary(**r._mapping) for r in rows]

    def get_draft(self, owner: str, draft_id: str) -> Draft:
        return _draft_from_row(self._owned(None, owner, draft_id))

    def rename_draft(self, owner: str, draft_id: str, title: str) -> None:
        with self._write() as con:
            self._owned(con, owner, draft_id, for_update=True)
            con.execute(update(drafts).where(drafts.c.id == draft_id)
                        .values(title=_clean_title(title), updated_at=now_iso(), seq=_next_seq()))

    def delete_draft(self, owner: str, draft_id: str) -> None:
        with self._write() as con:
            self._owned(con, owner, draft_id, for_update=True)
            for table in (messages, fact_events, section_versions):
                con.execute(delete(table).where(table.c.draft_id == draft_id))
            con.execute(delete(drafts).where(drafts.c.id == draft_id))

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
    ) -> Draft:
        """Write a new state and everything that came with it in one transaction, or nothing.

        Raises :class:`VersionConflict` when the draft is no longer at ``expected_version`` and
        :class:`SectionLocked` when a new version targets a locked section.
        """
        ts = now_iso()
        values: dict[str, Any] = {"state_json": state.model_dump_json(), "version": drafts.c.version + 1,
                                  "updated_at": ts, "seq": _next_seq()}
        if title:
            values["title"] = _clean_title(title)
        with self._write() as con:
            row = con.execute(
                update(drafts)
                .where(drafts.c.id == draft_id, drafts.c.owner == owner, drafts.c.version == expected_version)
                .values(**values)
                .returning(*_SAVED)
            ).first()
            if row is None or not owner:
                current = con.execute(select(drafts.c.version).where(drafts.c.id == draft_id,
                                                                     drafts.c.owner == owner)).first()
                if current is None or not owner:
                    raise DraftNotFound(draft_id)
                raise VersionConflict(draft_id, expected_version, current.version)
            for sv in section_versions:
                self._insert_section_version(con, draft_id, sv, ts)
            events = [
                {"draft_id": draft_id, "message_id": message_id, "cell": ch.cell,
                 "before_json": ch.before.model_dump_json(), "after_json": ch.after.model_dump_json(),
                 "source": ch.after.provenance.source if ch.after.provenance else change_source,
                 "author_role": author_role, "created_at": ts}
                for ch in changes if is_stated_change(ch)
            ]
            if events:
                con.execute(insert(fact_events), events)
            replied = {m.reply_to for m in messages}
            if processed_message_id is not None and processed_message_id not in replied:
                con.execute(update(messages_t).where(messages_t.c.id == processed_message_id,
                                                     messages_t.c.draft_id == draft_id).values(processed=1))
            self._insert_messages(con, draft_id, messages, ts)
        return Draft(**{k: v for k, v in row._mapping.items() if k != "locked_sections"}, state=state,
                     locked_sections=_locked(row.locked_sections))

    # -- messages -------------------------------------------------------------------------------------
    @staticmethod
    def _insert_messages(con: Connection, draft_id: str, new: Sequence[NewMessage], ts: str) -> None:
        if not new:
            return
        con.execute(insert(messages_t), [
            {"draft_id": draft_id, "uid": None, "role": m.role, "content": m.content, "created_at": ts,
             "processed": 1, "reply_to": m.reply_to,
             "meta_json": json.dumps(m.meta, ensure_ascii=False, default=str)}
            for m in new
        ])

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
    ) -> MessageRecord:
        """Append a message (before it is processed): one statement. The same ``uid`` twice returns the first."""
        ts = now_iso()
        meta_json = json.dumps(meta or {}, ensure_ascii=False)
        owned = select(
            literal(draft_id), literal(uid), literal(role), literal(content), literal(ts), literal(int(processed)),
            literal(meta_json),
        ).where(exists().where(and_(drafts.c.id == draft_id, drafts.c.owner == owner)))
        stmt = insert(messages_t).from_select(
            ["draft_id", "uid", "role", "content", "created_at", "processed", "meta_json"], owned
        ).returning(messages_t.c.id)
        try:
            with self._write() as con:
                row = con.execute(stmt).first()
        except IntegrityError:
            if uid is None:
                raise StoreError("保存消息失败（数据冲突），请重试") from None
            existing = self._read(select(messages_t).where(messages_t.c.draft_id == draft_id, messages_t.c.uid == uid))
            if not existing or not owner:
                raise DraftNotFound(draft_id) from None
            return _message_from_row(existing[0], set())
        if row is None or not owner:
            raise DraftNotFound(draft_id)
        return MessageRecord(id=row.id, draft_id=draft_id, role=role, content=content, created_at=ts,
                             processed=processed, uid=uid, meta=dict(meta or {}))

    def mark_processed(self, owner: str, draft_id: str, message_id: int) -> None:
        with self._write() as con:
            self._owned(con, owner, draft_id)
            con.execute(update(messages_t).where(messages_t.c.id == message_id, messages_t.c.draft_id == draft_id)
                        .values(processed=1))

    def list_messages(self, owner: str, draft_id: str) -> list[MessageRecord]:
        self._owned(None, owner, draft_id)
        rows = self._read(select(messages_t).where(messages_t.c.draft_id == draft_id).order_by(messages_t.c.id))
        replied = {r.reply_to for r in rows if r.reply_to is not None}
        return [_message_from_row(r, replied) for r in rows]

    def unprocessed_messages(self, owner: str, draft_id: str) -> list[MessageRecord]:
        return [m for m in self.list_messages(owner, draft_id) if m.role == "user" and not m.processed]

    # -- fact events ----------------------------------------------------------------------------------
    def list_fact_events(self, owner: str, draft_id: str, cell: str | None = None) -> list[FactEvent]:
        self._owned(None, owner, draft_id)
        stmt = select(fact_events).where(fact_events.c.draft_id == draft_id)
        if cell is not None:
            stmt = stmt.where(fact_events.c.cell == cell)
        return [
            FactEvent(id=r.id, draft_id=r.draft_id, message_id=r.message_id, cell=r.cell,
                      before=CellFact.model_validate_json(r.before_json),
                      after=CellFact.model_validate_json(r.after_json),
                      source=r.source, author_role=r.author_role, created_at=r.created_at)
            for r in self._read(stmt.order_by(fact_events.c.id))
        ]

    # -- section versions -----------------------------------------------------------------------------
    @staticmethod
    def _insert_section_version(con: Connection, draft_id: str, sv: NewSectionVersion, ts: str) -> int:
        sv_t = section_versions
        last = con.execute(
            select(sv_t.c.version_no, sv_t.c.locked)
            .where(sv_t.c.draft_id == draft_id, sv_t.c.section_id == sv.section_id)
            .order_by(sv_t.c.version_no.desc()).limit(1)
        ).first()
        if last is not None and last.locked:
            raise SectionLocked(sv.section_id)
        number = (last.version_no if last else 0) + 1
        con.execute(insert(sv_t).values(draft_id=draft_id, section_id=sv.section_id, version_no=number, text=sv.text,
                                        author_role=sv.author_role, instruction=sv.instruction, origin=sv.origin,
                                        created_at=ts, locked=0))
        return number

    def list_section_versions(self, owner: str, draft_id: str, section_id: str | None = None) -> list[SectionVersion]:
        self._owned(None, owner, draft_id)
        sv_t = section_versions
        stmt = select(sv_t).where(sv_t.c.draft_id == draft_id)
        if section_id is not None:
            stmt = stmt.where(sv_t.c.section_id == section_id)
        return [
            SectionVersion(id=r.id, draft_id=r.draft_id, section_id=r.section_id, version_no=r.version_no,
                           text=r.text, author_role=r.author_role, instruction=r.instruction, origin=r.origin,
                           created_at=r.created_at, locked=bool(r.locked))
            for r in self._read(stmt.order_by(sv_t.c.section_id, sv_t.c.version_no))
        ]

    def set_section_lock(self, owner: str, draft_id: str, section_id: str, locked: bool) -> SectionVersion:
        """Lock (approve) or unlock the latest version of a section."""
        sv_t = section_versions
        with self._write() as con:
            row = self._owned(con, owner, draft_id, for_update=True)
            last = con.execute(
                select(sv_t.c.id).where(sv_t.c.draft_id == draft_id, sv_t.c.section_id == section_id)
                .order_by(sv_t.c.version_no.desc()).limit(1)
            ).first()
            if last is None:
                raise StoreError("该部分还没有任何版本，无法锁定")
            con.execute(update(sv_t).where(sv_t.c.id == last.id).values(locked=int(locked)))
            ids = (_locked(row.locked_sections) | {section_id}) if locked else (_locked(row.locked_sections) - {section_id})
            con.execute(update(drafts).where(drafts.c.id == draft_id).values(
                updated_at=now_iso(), seq=_next_seq(), locked_sections=",".join(sorted(ids))))
        return self.list_section_versions(owner, draft_id, section_id)[-1]

    def is_section_locked(self, owner: str, draft_id: str, section_id: str) -> bool:
        return section_id in self.get_draft(owner, draft_id).locked_sections


messages_t = messages  # the table; ``messages`` is also a parameter name in the methods above


class SQLiteStore(SQLStore):
    """The default, zero-setup store: one SQLite file (WAL) at ``path``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"无法创建数据目录“{self.path.parent}”：{e.strerror or e}") from None
        super().__init__(sqlite_url(self.path))

    def journal_mode(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())


# ---- helpers -----------------------------------------------------------------------------------------


def _reason(e: SQLAlchemyError) -> str:
    return str(getattr(e, "orig", None) or e).strip().splitlines()[0][:200]


def _clean_title(title: str) -> str:
    t = " ".join(str(title or "").split())[:MAX_TITLE]
    return t or "未命名草稿"


def _draft_from_row(row: Row[Any]) -> Draft:
    try:
        state = ConversationState.model_validate_json(row.state_json)
    except ValueError as e:
        raise StoreError(f"草稿“{row.title}”的数据已损坏，无法读取：{str(e)[:200]}") from None
    return Draft(id=row.id, owner=row.owner, title=row.title, created_at=row.created_at, updated_at=row.updated_at,
                 version=row.version, state=state, locked_sections=_locked(row.locked_sections))


def _locked(column: str | None) -> frozenset[str]:
    return frozenset(s for s in (column or "").split(",") if s)


def _message_from_row(row: Row[Any], replied: set[int]) -> MessageRecord:
    try:
        meta = json.loads(row.meta_json or "{}")
    except ValueError:
        meta = {}
    return MessageRecord(id=row.id, draft_id=row.draft_id, role=row.role, content=row.content,
                         created_at=row.created_at, processed=bool(row.processed) or row.id in replied, uid=row.uid,
                         reply_to=row.reply_to, meta=meta)
