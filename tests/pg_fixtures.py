"""PostgreSQL for the store tests: a throwaway cluster on a local port, one fresh database per test.

``db_url`` is parametrised over both backends, so every test that takes it runs on SQLite and on PostgreSQL.
The cluster (``assistant.bench.pgcluster``) uses Debian's ``postgresql`` binaries and listens on 127.0.0.1
only. Without PostgreSQL the PostgreSQL cases skip with the reason — except in CI (``CI=true``), where they
fail: there they must run. ``ASSISTANT_TEST_DATABASE_URL`` points the tests at an existing server instead
(its user must be allowed to create databases).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from assistant.bench.pgcluster import ClusterUnavailable, create_database, start_cluster

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A URL of a PostgreSQL server whose user may create databases (no database part)."""
    given = os.environ.get("ASSISTANT_TEST_DATABASE_URL")
    if given:
        yield given.rsplit("/", 1)[0]
        return
    try:
        cluster = start_cluster()
    except ClusterUnavailable as e:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL tests must run in CI: {e}")
        pytest.skip(f"PostgreSQL not available: {e}")
    try:
        yield cluster.server
    finally:
        cluster.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh database URL on each backend (SQLite file in tmp_path, or a new PostgreSQL database)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'assistant.sqlite3'}"
    return create_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh PostgreSQL database (for tests that only make sense there, e.g. two app servers)."""
    return create_database(pg_server)
