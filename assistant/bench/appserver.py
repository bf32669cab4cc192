"""Start the Streamlit app on 127.0.0.1 as a subprocess, for the benchmark and the real-browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
# Debian chromium as root, with no background traffic to outside hosts (recipes.md §4).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_MODEL_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_MODEL", "ASSISTANT_TRUST_PROXY_HEADER")


class AppDidNotStart(RuntimeError):
    """The server exited or did not answer its health check in time."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return bool(r.read().strip() == b"ok")
    except OSError:
        return False


@contextmanager
def running_app(data_dir: str | Path, *, log: IO[bytes] | int = subprocess.DEVNULL, timeout: float = 90,
                database_url: str | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` offline (no model variables) on a free port; yield its base URL.
    With ``database_url`` the app keeps its drafts in that database (e.g. PostgreSQL) instead of ``data_dir``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in (*_MODEL_VARS, "ASSISTANT_DATABASE_URL")}
    env["ASSISTANT_DATA_DIR"] = str(data_dir)
    if database_url:
        env["ASSISTANT_DATABASE_URL"] = database_url
    args = ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", *args],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AppDidNotStart(f"streamlit did not start on {base}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
