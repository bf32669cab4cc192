"""Alembic environment: migrations run on the connection the store hands over (never a URL of their own)."""

from __future__ import annotations

from alembic import context

from assistant.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
