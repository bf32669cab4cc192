"""Persistence of drafts: the records, the :class:`Store` interface and :func:`open_store`.

One implementation (:class:`~assistant.storage.sql.SQLStore`, SQLAlchemy Core) serves both databases:

- SQLite in ``ASSISTANT_DATA_DIR`` (default ``./data``): the zero-setup default, one file in WAL mode;
- PostgreSQL when ``ASSISTANT_DATABASE_URL=postgresql://user@host:port/db`` is set: several app servers on
  one database (see ``docs/deployment.md``).

What is kept (append-only except the draft's current state):

- ``drafts``: id (unguessable), owner, title, timestamps, the current :class:`ConversationState` as JSON and a
  version counter. A write carrying a stale version raises :class:`VersionConflict` — never a lost update.
- ``messages``: every chat message, written *before* it is processed, so a crash mid-turn leaves a visible,
  re-runnable message.
- ``fact_events``: every change of a cell the clerk, an import or an edit stated, with before/after and
  provenance (cells the engine derives are part of the state, not events).
- ``section_versions``: every text of a narrative section (author role, instruction, origin, locked flag).

The schema is migrated with Alembic (``assistant/migrations``) at start-up; a database migrated by a newer
program is refused with a Chinese message. Every method takes the owner and only touches that owner's drafts.
"""

from __future__ import annotations

import os
from pathlib import Path

from .storage.migrate import DatabaseTooNew, head_revision
from .storage.records import (
    Draft,
    DraftNotFound,
    DraftSummary,
    FactEvent,
    MessageRecord,
    NewMessage,
    NewSectionVersion,
    SectionLocked,
    SectionVersion,
    Store,
    VersionConflict,
)
from .storage.sql import MAX_TITLE, SQLiteStore, SQLStore, is_stated_change, new_draft_id, now_iso

DB_FILENAME = "assistant.sqlite3"
DATABASE_URL_ENV = "ASSISTANT_DATABASE_URL"

__all__ = [
    "DB_FILENAME", "DATABASE_URL_ENV", "MAX_TITLE", "DatabaseTooNew", "Draft", "DraftNotFound", "DraftSummary",
    "FactEvent", "MessageRecord", "NewMessage", "NewSectionVersion", "SQLStore", "SQLiteStore", "SectionLocked",
    "SectionVersion", "Store", "VersionConflict", "default_data_dir", "head_revision", "is_stated_change",
    "new_draft_id", "now_iso", "open_store", "store_location",
]


def default_data_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_DATA_DIR") or "data")


def store_location(data_dir: str | Path | None = None, url: str | None = None) -> str:
    """Where drafts live: the database URL when one is configured, else the SQLite file in the data directory."""
    url = url or os.environ.get(DATABASE_URL_ENV, "").strip() or None
    if url and data_dir is None:
        return url
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    return str((base / DB_FILENAME).resolve())


def open_store(data_dir: str | Path | None = None, *, url: str | None = None) -> SQLStore:
    """The configured store: ``url`` or env ``ASSISTANT_DATABASE_URL`` (PostgreSQL), else SQLite in ``data_dir``
    (default: env ``ASSISTANT_DATA_DIR``, else ``./data``). An explicit ``data_dir`` always means SQLite."""
    url = url or (os.environ.get(DATABASE_URL_ENV, "").strip() or None if data_dir is None else None)
    if url:
        return SQLStore(url)
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    return SQLiteStore(base / DB_FILENAME)
