"""Pytest fixtures of the model-layer tests (loaded with ``pytest_plugins = ["llm_fixtures"]``)."""

from __future__ import annotations

import pytest
from fake_openai import FakeOpenAI
from llm_support import KEY, answer, make_settings, proposal  # noqa: F401 - re-exported for older imports

from assistant.llm.client import LLMClient
from assistant.llm.ladder import RUNG_CACHE
from assistant.llm.settings import Settings


@pytest.fixture(autouse=True)
def _fresh_rung_cache():
    RUNG_CACHE.clear()
    yield
    RUNG_CACHE.clear()


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def settings(fake) -> Settings:
    return make_settings(fake.url)


@pytest.fixture
def client(settings) -> LLMClient:
    return LLMClient(settings, sleep=lambda s: None)


__all__ = ["KEY", "answer", "client", "fake", "make_settings", "proposal", "settings"]
