"""The extraction package (and the numeral reader and text normaliser it uses) type-checks with mypy."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_extract_package_passes_mypy():
    from mypy import api

    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--follow-imports=silent",  # other packages have their own type tests
            str(ROOT / "assistant" / "extract"),
            str(ROOT / "assistant" / "numbers.py"),
            str(ROOT / "assistant" / "textnorm.py"),
        ]
    )
    assert status == 0, stdout + stderr
