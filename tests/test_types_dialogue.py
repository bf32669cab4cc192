"""The engine, the dialogue policy and their helpers type-check with mypy (issue 10: mypy clean in CI)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "assistant/engine.py",
    "assistant/dialogue.py",
    "assistant/conversation.py",
    "assistant/clerk_answers.py",
    "assistant/turn_acts.py",
    "assistant/extract/acts.py",
    "assistant/extract/meta.py",
    "assistant/llm/extractor.py",
]


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_engine_and_dialogue_pass_mypy():
    from mypy import api

    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--follow-imports=silent"]  # other packages: own tests
        + [str(ROOT / m) for m in MODULES]
    )
    assert status == 0, stdout + stderr
