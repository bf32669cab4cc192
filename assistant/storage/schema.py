"""The tables, declared once for both dialects (the migrations create them; this is what the code reads)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, text

metadata = MetaData()

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("state_json", Text, nullable=False),
    Column("seq", Integer, nullable=False, server_default=text("0")),
    Column("locked_sections", Text, nullable=False, server_default=text("''")),  # "s1,s5": see migration 0002
    Index("drafts_owner", "owner", "seq"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", String(64), ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("uid", Text),
    Column("role", String(20), nullable=False),
    Column("content", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("processed", Integer, nullable=False, server_default=text("0")),
    Column("reply_to", Integer),
    Column("meta_json", Text, nullable=False, server_default=text("'{}'")),
    Index("messages_draft", "draft_id", "id"),
    Index("messages_uid", "draft_id", "uid", unique=True, sqlite_where=text("uid IS NOT NULL"),
          postgresql_where=text("uid IS NOT NULL")),
    sqlite_autoincrement=True,
)

fact_events = Table(
    "fact_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", String(64), ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", Integer),
    Column("cell", String(80), nullable=False),
    Column("before_json", Text, nullable=False),
    Column("after_json", Text, nullable=False),
    Column("source", String(20), nullable=False),
    Column("author_role", String(20)),
    Column("created_at", String(40), nullable=False),
    Index("fact_events_draft", "draft_id", "cell", "id"),
    sqlite_autoincrement=True,
)

section_versions = Table(
    "section_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", String(64), ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("section_id", String(20), nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("author_role", String(20), nullable=False),
    Column("instruction", Text),
    Column("origin", String(20), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("locked", Integer, nullable=False, server_default=text("0")),
    UniqueConstraint("draft_id", "section_id", "version_no"),
    sqlite_autoincrement=True,
)
