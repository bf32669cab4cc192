"""Shared test setup: no test may reach a real model provider."""

import pytest

pytest_plugins = ["llm_fixtures", "pg_fixtures"]  # fixtures of the model-layer tests (fake OpenAI server, settings)


@pytest.fixture(autouse=True)
def _no_real_provider(monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_MODEL", "ASSISTANT_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)


_LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost", "0.0.0.0"}


def _is_loopback(address) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX paths and the like
        return True
    host = str(address[0])
    return host in _LOOPBACK_HOSTS or host.startswith("127.") or host.startswith("::ffff:127.")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Refuse any non-loopback connection (real model providers, downloads); the fake server is on 127.0.0.1."""
    import socket

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(self, address):
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"tests may not connect to {address!r} (network blocked by conftest)")
        return real_connect(self, address)

    def guarded_connect_ex(self, address):
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"tests may not connect to {address!r} (network blocked by conftest)")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
