"""The first schema: drafts, messages, fact events, section versions (as the SQLite store of v0.1 had it).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state_json", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False, server_default=sa.text("0")),
    )
    op.create_index("drafts_owner", "drafts", ["owner", "seq"])
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(64), sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("uid", sa.Text),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("processed", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("reply_to", sa.Integer),
        sa.Column("meta_json", sa.Text, nullable=False, server_default=sa.text("'{}'")),
        sqlite_autoincrement=True,
    )
    op.create_index("messages_draft", "messages", ["draft_id", "id"])
    op.create_index("messages_uid", "messages", ["draft_id", "uid"], unique=True,
                    sqlite_where=sa.text("uid IS NOT NULL"), postgresql_where=sa.text("uid IS NOT NULL"))
    op.create_table(
        "fact_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(64), sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("message_id", sa.Integer),
        sa.Column("cell", sa.String(80), nullable=False),
        sa.Column("before_json", sa.Text, nullable=False),
        sa.Column("after_json", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("author_role", sa.String(20)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("fact_events_draft", "fact_events", ["draft_id", "cell", "id"])
    op.create_table(
        "section_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(64), sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("section_id", sa.String(20), nullable=False),
        sa.Column("version_no", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_role", sa.String(20), nullable=False),
        sa.Column("instruction", sa.Text),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("locked", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.UniqueConstraint("draft_id", "section_id", "version_no"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    for table in ("section_versions", "fact_events", "messages", "drafts"):
        op.drop_table(table)
