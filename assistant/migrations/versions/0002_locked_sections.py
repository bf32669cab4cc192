"""drafts.locked_sections: the ids of the draft's locked sections, read with the draft (no extra query a turn).

Kept in the same transaction as every lock change; backfilled from each section's latest version.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN on both dialects (no table copy: on SQLite a copy would cascade-delete child rows)
    op.add_column("drafts", sa.Column("locked_sections", sa.Text, nullable=False, server_default=sa.text("''")))
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT sv.draft_id, sv.section_id FROM section_versions sv WHERE sv.locked = 1 AND sv.version_no = "
        "(SELECT MAX(v.version_no) FROM section_versions v WHERE v.draft_id = sv.draft_id AND v.section_id = sv.section_id)"
    )).fetchall()
    locked: dict[str, set[str]] = {}
    for draft_id, section_id in rows:
        locked.setdefault(draft_id, set()).add(section_id)
    for draft_id, ids in locked.items():
        conn.execute(sa.text("UPDATE drafts SET locked_sections = :s WHERE id = :d"),
                     {"s": ",".join(sorted(ids)), "d": draft_id})


def downgrade() -> None:
    op.drop_column("drafts", "locked_sections")
