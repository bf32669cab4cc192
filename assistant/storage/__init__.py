"""The store's one implementation over SQLAlchemy Core: SQLite (default, zero setup) or PostgreSQL.

``schema`` declares the tables, ``connect`` builds an engine per database URL (SQLite pragmas, PostgreSQL
pool), ``migrate`` runs the Alembic migrations in ``assistant/migrations`` and checks the schema version at
start-up, and ``sql`` holds :class:`SQLStore`, which ``assistant.store`` exports.
"""
