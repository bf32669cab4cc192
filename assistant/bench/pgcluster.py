"""A throwaway PostgreSQL cluster on a free local port (Debian's binaries), for the benchmark and the tests.

Listens on 127.0.0.1 only, trusts local connections, lives in a temporary directory and is removed on stop.
When run as root the server runs as the ``postgres`` system user (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


class ClusterUnavailable(RuntimeError):
    """PostgreSQL is not installed here, or the cluster did not start."""


def pg_bindir() -> Path | None:
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


@dataclass
class Cluster:
    server: str  # postgresql://postgres@127.0.0.1:PORT (no database)
    root: Path
    bindir: Path

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        return create_database(self.server)

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate",
                                     "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def create_database(server: str) -> str:
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def start_cluster(max_connections: int = 200) -> Cluster:
    bindir = pg_bindir()
    if bindir is None:
        raise ClusterUnavailable("initdb not found (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    data = root / "data"
    try:
        subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
                                     "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
                                           f"-c max_connections={max_connections}", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        err = (getattr(e, "stderr", b"") or b"").decode(errors="replace")[-300:]
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterUnavailable(f"could not start a throwaway cluster: {e} {err}") from None
    return Cluster(server=f"postgresql://postgres@127.0.0.1:{port}", root=root, bindir=bindir)
