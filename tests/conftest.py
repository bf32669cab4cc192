"""Shared test setup: no test may reach a real model provider."""

import pytest


@pytest.fixture(autouse=True)
def _no_real_provider(monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_MODEL"):
        monkeypatch.delenv(var, raising=False)
