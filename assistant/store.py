"""Persistence of drafts behind a small interface: a :class:`Store` protocol and :class:`SQLiteStore`.

What is kept (append-only except the draft's current state):

- ``drafts``: id (unguessable), owner, title, timestamps, the current :class:`ConversationState` as JSON and a
  version counter. A write carrying a stale version raises :class:`VersionConflict` — never a lost update.
- ``messages``: every chat message, written *before* it is processed, with a ``processed`` flag, so a crash
  mid-turn leaves a visible, re-runnable message.
- ``fact_events``: every cell change with before/after and provenance.
- ``section_versions``: every text of a narrative section (author role, instruction, origin, locked flag).

Every method takes the owner and only ever touches that owner's drafts.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from .conversation import ConversationState
from .errors import StoreError
from .facts import CellFact, Change
from .textclean import clean_text, clean_title

DB_FILENAME = "assistant.sqlite3"
SCHEMA_VERSION = 1
MAX_TITLE = 120

_TOUCH = "seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM drafts)"  # most recently touched first, no clock ties
_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    state_json TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS drafts_owner ON drafts(owner, seq);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    uid TEXT,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0,
    reply_to INTEGER,
    meta_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS messages_draft ON messages(draft_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS messages_uid ON messages(draft_id, uid) WHERE uid IS NOT NULL;
CREATE TABLE IF NOT EXISTS fact_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    message_id INTEGER,
    cell TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    source TEXT NOT NULL,
    author_role TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fact_events_draft ON fact_events(draft_id, cell, id);
CREATE TABLE IF NOT EXISTS section_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    version_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    author_role TEXT NOT NULL,
    instruction TEXT,
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0,
    UNIQUE (draft_id, section_id, version_no)
);
"""


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


# ---- SQLite implementation ---------------------------------------------------------------------------


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_draft_id() -> str:
    """An unguessable id (also the link to the draft)."""
    return secrets.token_urlsafe(18)


def default_data_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_DATA_DIR") or "data")


_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock_for(path: Path) -> threading.RLock:
    """One write lock per database file per process (shared by every store object on that file)."""
    key = str(path.resolve())
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())


class SQLiteStore:
    """The default store: one SQLite file in WAL mode, one connection per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"无法创建数据目录“{self.path.parent}”：{e.strerror or e}") from None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._write_lock = _write_lock_for(self.path)
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._init_schema()

    # -- connections ----------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("数据存储已关闭")
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            try:
                con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
                con.row_factory = sqlite3.Row
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA synchronous=FULL")  # a committed message survives a power cut too
                con.execute("PRAGMA foreign_keys=ON")
                con.execute("PRAGMA busy_timeout=30000")
            except sqlite3.Error as e:
                raise StoreError(f"无法打开数据文件“{self.path}”：{e}") from None
            self._local.con = con
            with self._lock:
                self._connections.append(con)
        return con

    def _init_schema(self) -> None:
        con = self._connect()
        try:
            con.executescript(_SCHEMA)
            con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as e:
            raise StoreError(f"数据文件“{self.path}”无法初始化：{e}") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE: one writer at a time, no upgrade deadlocks).

        Writers of this process queue on a lock first, so many sessions never race for SQLite's busy timeout;
        the busy timeout then only arbitrates between processes."""
        con = self._connect()
        with self._write_lock:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                raise StoreError(f"数据文件暂时被占用，请稍后重试（{e}）") from None
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            else:
                try:
                    con.execute("COMMIT")
                except sqlite3.Error as e:
                    con.execute("ROLLBACK")
                    raise StoreError(f"保存失败：{e}") from None

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._connect().execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as e:
            raise StoreError(f"读取数据失败：{e}") from None

    def journal_mode(self) -> str:
        return str(self._read("PRAGMA journal_mode")[0][0])

    def close(self) -> None:
        with self._lock:
            for con in self._connections:
                try:
                    con.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
            self._closed = True
        self._local = threading.local()

    # -- access checks --------------------------------------------------------------------------------
    def _owned_row(self, con: sqlite3.Connection | None, owner: str, draft_id: str) -> sqlite3.Row:
        sql = "SELECT * FROM drafts WHERE id = ? AND owner = ?"
        rows = con.execute(sql, (draft_id, owner)).fetchall() if con is not None else self._read(sql, (draft_id, owner))
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
        with self._write() as con:
            con.execute(
                "INSERT INTO drafts (id, owner, title, created_at, updated_at, version, state_json, seq)"
                " VALUES (?,?,?,?,?,?,?,(SELECT COALESCE(MAX(seq), 0) + 1 FROM drafts))",
                (draft_id, owner, _clean_title(title), ts, ts, 1, state.model_dump_json()),
            )
            for sv in section_versions:
                self._insert_section_version(con, draft_id, sv, ts)
            for m in messages:
                self._insert_message(con, draft_id, m, ts)
        return self.get_draft(owner, draft_id)

    def list_drafts(self, owner: str) -> list[DraftSummary]:
        rows = self._read(
            "SELECT id, owner, title, created_at, updated_at, version FROM drafts WHERE owner = ? ORDER BY seq DESC",
            (owner,),
        )
        return [DraftSummary(**dict(r)) for r in rows]

    def get_draft(self, owner: str, draft_id: str) -> Draft:
        row = self._owned_row(None, owner, draft_id)
        return _draft_from_row(row)

    def rename_draft(self, owner: str, draft_id: str, title: str) -> None:
        with self._write() as con:
            self._owned_row(con, owner, draft_id)
            con.execute(
                f"UPDATE drafts SET title = ?, updated_at = ?, {_TOUCH} WHERE id = ?",
                (_clean_title(title), now_iso(), draft_id),
            )

    def delete_draft(self, owner: str, draft_id: str) -> None:
        with self._write() as con:
            self._owned_row(con, owner, draft_id)
            for table in ("messages", "fact_events", "section_versions"):
                con.execute(f"DELETE FROM {table} WHERE draft_id = ?", (draft_id,))
            con.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

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
        with self._write() as con:
            row = self._owned_row(con, owner, draft_id)
            if row["version"] != expected_version:
                raise VersionConflict(draft_id, expected_version, row["version"])
            for sv in section_versions:
                self._insert_section_version(con, draft_id, sv, ts)
            for ch in changes:
                con.execute(
                    "INSERT INTO fact_events (draft_id, message_id, cell, before_json, after_json, source, author_role,"
                    " created_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        draft_id,
                        message_id,
                        ch.cell,
                        ch.before.model_dump_json(),
                        ch.after.model_dump_json(),
                        (ch.after.provenance.source if ch.after.provenance else change_source),
                        author_role,
                        ts,
                    ),
                )
            if processed_message_id is not None:
                con.execute(
                    "UPDATE messages SET processed = 1 WHERE id = ? AND draft_id = ?", (processed_message_id, draft_id)
                )
            for m in messages:
                self._insert_message(con, draft_id, m, ts)
            con.execute(
                f"UPDATE drafts SET state_json = ?, version = version + 1, updated_at = ?, title = ?, {_TOUCH} WHERE id = ?",
                (state.model_dump_json(), ts, _clean_title(title) if title else row["title"], draft_id),
            )
        return self.get_draft(owner, draft_id)

    # -- messages -------------------------------------------------------------------------------------
    @staticmethod
    def _insert_message(con: sqlite3.Connection, draft_id: str, m: NewMessage, ts: str) -> None:
        con.execute(
            "INSERT INTO messages (draft_id, role, content, created_at, processed, reply_to, meta_json)"
            " VALUES (?,?,?,?,1,?,?)",
            (draft_id, m.role, clean_text(m.content), ts, m.reply_to, json.dumps(m.meta, ensure_ascii=False, default=str)),
        )

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
        """Append a message (before it is processed). The same ``uid`` twice returns the first record."""
        with self._write() as con:
            self._owned_row(con, owner, draft_id)
            if uid is not None:
                existing = con.execute(
                    "SELECT * FROM messages WHERE draft_id = ? AND uid = ?", (draft_id, uid)
                ).fetchone()
                if existing is not None:
                    return _message_from_row(existing)
            cur = con.execute(
                "INSERT INTO messages (draft_id, uid, role, content, created_at, processed, meta_json) VALUES (?,?,?,?,?,?,?)",
                (draft_id, uid, role, clean_text(content), now_iso(), int(processed), json.dumps(meta or {}, ensure_ascii=False)),
            )
            con.execute(f"UPDATE drafts SET updated_at = ?, {_TOUCH} WHERE id = ?", (now_iso(), draft_id))
            new = con.execute("SELECT * FROM messages WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _message_from_row(new)

    def mark_processed(self, owner: str, draft_id: str, message_id: int) -> None:
        with self._write() as con:
            self._owned_row(con, owner, draft_id)
            con.execute("UPDATE messages SET processed = 1 WHERE id = ? AND draft_id = ?", (message_id, draft_id))

    def list_messages(self, owner: str, draft_id: str) -> list[MessageRecord]:
        self._owned_row(None, owner, draft_id)
        rows = self._read("SELECT * FROM messages WHERE draft_id = ? ORDER BY id", (draft_id,))
        return [_message_from_row(r) for r in rows]

    def unprocessed_messages(self, owner: str, draft_id: str) -> list[MessageRecord]:
        return [m for m in self.list_messages(owner, draft_id) if m.role == "user" and not m.processed]

    # -- fact events ----------------------------------------------------------------------------------
    def list_fact_events(self, owner: str, draft_id: str, cell: str | None = None) -> list[FactEvent]:
        self._owned_row(None, owner, draft_id)
        if cell is None:
            rows = self._read("SELECT * FROM fact_events WHERE draft_id = ? ORDER BY id", (draft_id,))
        else:
            rows = self._read("SELECT * FROM fact_events WHERE draft_id = ? AND cell = ? ORDER BY id", (draft_id, cell))
        return [
            FactEvent(
                id=r["id"],
                draft_id=r["draft_id"],
                message_id=r["message_id"],
                cell=r["cell"],
                before=CellFact.model_validate_json(r["before_json"]),
                after=CellFact.model_validate_json(r["after_json"]),
                source=r["source"],
                author_role=r["author_role"],
                created_at=r["created_at"],
            )
            for r in rows
        ]

    # -- section versions -----------------------------------------------------------------------------
    def _insert_section_version(self, con: sqlite3.Connection, draft_id: str, sv: NewSectionVersion, ts: str) -> int:
        last = con.execute(
            "SELECT version_no, locked FROM section_versions WHERE draft_id = ? AND section_id = ? "
            "ORDER BY version_no DESC LIMIT 1",
            (draft_id, sv.section_id),
        ).fetchone()
        if last is not None and last["locked"]:
            raise SectionLocked(sv.section_id)
        number = (last["version_no"] if last else 0) + 1
        con.execute(
            "INSERT INTO section_versions (draft_id, section_id, version_no, text, author_role, instruction, origin,"
            " created_at, locked) VALUES (?,?,?,?,?,?,?,?,0)",
            (draft_id, sv.section_id, number, sv.text, sv.author_role, sv.instruction, sv.origin, ts),
        )
        return number

    def list_section_versions(self, owner: str, draft_id: str, section_id: str | None = None) -> list[SectionVersion]:
        self._owned_row(None, owner, draft_id)
        sql = "SELECT * FROM section_versions WHERE draft_id = ?"
        params: list[Any] = [draft_id]
        if section_id is not None:
            sql += " AND section_id = ?"
            params.append(section_id)
        rows = self._read(sql + " ORDER BY section_id, version_no", params)
        return [
            SectionVersion(
                id=r["id"],
                draft_id=r["draft_id"],
                section_id=r["section_id"],
                version_no=r["version_no"],
                text=r["text"],
                author_role=r["author_role"],
                instruction=r["instruction"],
                origin=r["origin"],
                created_at=r["created_at"],
                locked=bool(r["locked"]),
            )
            for r in rows
        ]

    def set_section_lock(self, owner: str, draft_id: str, section_id: str, locked: bool) -> SectionVersion:
        """Lock (approve) or unlock the latest version of a section."""
        with self._write() as con:
            self._owned_row(con, owner, draft_id)
            last = con.execute(
                "SELECT id FROM section_versions WHERE draft_id = ? AND section_id = ? ORDER BY version_no DESC LIMIT 1",
                (draft_id, section_id),
            ).fetchone()
            if last is None:
                raise StoreError("该部分还没有任何版本，无法锁定")
            con.execute("UPDATE section_versions SET locked = ? WHERE id = ?", (int(locked), last["id"]))
            con.execute(f"UPDATE drafts SET updated_at = ?, {_TOUCH} WHERE id = ?", (now_iso(), draft_id))
        return self.list_section_versions(owner, draft_id, section_id)[-1]

    def is_section_locked(self, owner: str, draft_id: str, section_id: str) -> bool:
        versions = self.list_section_versions(owner, draft_id, section_id)
        return bool(versions) and versions[-1].locked


# ---- helpers -----------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    t = clean_title(str(title or ""))[:MAX_TITLE]
    return t or "未命名草稿"


def _draft_from_row(row: sqlite3.Row) -> Draft:
    try:
        state = ConversationState.model_validate_json(row["state_json"])
    except ValueError as e:
        raise StoreError(f"草稿“{row['title']}”的数据已损坏，无法读取：{str(e)[:200]}") from None
    return Draft(
        id=row["id"],
        owner=row["owner"],
        title=row["title"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        state=state,
    )


def _message_from_row(row: sqlite3.Row) -> MessageRecord:
    try:
        meta = json.loads(row["meta_json"] or "{}")
    except ValueError:
        meta = {}
    return MessageRecord(
        id=row["id"],
        draft_id=row["draft_id"],
        role=row["role"],
        content=row["content"],
        created_at=row["created_at"],
        processed=bool(row["processed"]),
        uid=row["uid"],
        reply_to=row["reply_to"],
        meta=meta,
    )


def open_store(data_dir: str | Path | None = None) -> SQLiteStore:
    """The SQLite store in ``data_dir`` (default: env ``ASSISTANT_DATA_DIR``, else ``./data``)."""
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    return SQLiteStore(base / DB_FILENAME)
