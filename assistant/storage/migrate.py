"""Schema migrations (Alembic, scripts in ``assistant/migrations``) and the start-up version check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from ..errors import StoreError
from .connect import WRITE_OPTION

SCRIPTS = Path(__file__).resolve().parent.parent / "migrations"
BASELINE = "0001"  # the schema the pre-Alembic SQLite store created
_PG_LOCK = 727_431_009  # advisory lock id: one migrating server at a time


class DatabaseTooNew(StoreError):
    """The database was migrated by a newer version of the program."""


def _config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(SCRIPTS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the schema to the code's head; refuse a database that is newer than the code. Returns the head."""
    script = ScriptDirectory(str(SCRIPTS))
    head = head_revision()
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
        if conn.dialect.name == "sqlite":
            # a migration that copies a table must not cascade-delete its children (pragma only works outside BEGIN)
            _driver_pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            return _upgrade_in_transaction(conn, script, head)
        finally:
            if conn.dialect.name == "sqlite":
                _driver_pragma(conn, "PRAGMA foreign_keys=ON")


def _driver_pragma(conn: Connection, pragma: str) -> None:
    """A pragma on the raw SQLite connection, outside any transaction (SQLAlchemy would begin one first)."""
    conn.connection.driver_connection.execute(pragma)  # type: ignore[union-attr]


def _upgrade_in_transaction(conn: Connection, script: ScriptDirectory, head: str) -> str:
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None:
            try:
                script.get_revision(current)
            except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown revision
                raise DatabaseTooNew(
                    f"数据库的结构版本（{current}）比当前程序（{head}）新：它已被更新版本的年报助手升级过。"
                    "请把本程序升级到最新版本后再启动，不要降级数据库。"
                ) from None
        elif inspect(conn).has_table("drafts"):
            command.stamp(_config(conn), BASELINE)  # a database from before migrations: it is the baseline
        command.upgrade(_config(conn), "head")
    return head
