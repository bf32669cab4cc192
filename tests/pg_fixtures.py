"""PostgreSQL for the store tests: a throwaway cluster on a local port, one fresh database per test.

``db_url`` is parametrised over both backends, so every test that takes it runs on SQLite and on PostgreSQL.
The cluster is started from Debian's ``postgresql`` binaries (as the ``postgres`` user when run as root) and
listens on 127.0.0.1 only. Without PostgreSQL the PostgreSQL cases skip with the reason — except in CI
(``CI=true``), where they fail: there they must run. ``ASSISTANT_TEST_DATABASE_URL`` points the tests at an
existing server instead (its user must be allowed to create databases).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

BACKENDS = ["sqlite", "postgresql"]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A URL of a PostgreSQL server whose user may create databases (no database part)."""
    given = os.environ.get("ASSISTANT_TEST_DATABASE_URL")
    if given:
        yield given.rsplit("/", 1)[0]
        return
    bindir = _pg_bin()
    if bindir is None:
        _unavailable("initdb not found (apt-get install postgresql)")
    assert bindir is not None
    root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
                                     "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                                           "-c max_connections=200", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        out = getattr(e, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"could not start a throwaway cluster: {e} {out.decode(errors='replace')[-300:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def fresh_pg_database(server: str) -> str:
    """A new, empty database on ``server``; returns its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh database URL on each backend (SQLite file in tmp_path, or a new PostgreSQL database)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'assistant.sqlite3'}"
    return fresh_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh PostgreSQL database (for tests that only make sense there, e.g. two app servers)."""
    return fresh_pg_database(pg_server)
