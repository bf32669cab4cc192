"""Engines per database URL: SQLite with WAL and immediate write transactions, PostgreSQL with a small pool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from ..errors import StoreError

WRITE_OPTION = "assistant_write"  # execution option: this connection opens a write transaction


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


def normalise_url(url: str) -> str:
    """``postgresql://`` → the psycopg 3 driver; anything else must name SQLite or PostgreSQL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError("数据库地址格式不正确（ASSISTANT_DATABASE_URL），应形如 postgresql://用户@主机:端口/库名") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise StoreError(f"不支持的数据库类型“{backend}”：请使用 PostgreSQL（postgresql://…）或不设置以使用默认的 SQLite")


def build_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings this store relies on."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool if ":memory:" not in url else None,
                               connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_settings(engine)
        return engine
    return create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True, pool_recycle=1800,
                         connect_args={"connect_timeout": 10, "application_name": "nianbao-assistant"})


def _sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own is broken for this)
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # a committed message survives a power cut too
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # writers take the database lock up front: no deadlock between two readers upgrading to writers
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")
