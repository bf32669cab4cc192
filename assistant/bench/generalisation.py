"""Generated conversations scored per phrasing family (right / wrong / missing cells) for the benchmark.

The generator lives in ``tests/convgen`` (it is test code: truths and phrasings written without the engine);
this module imports it when the benchmark runs from a checkout and reports that it is absent otherwise.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any


def _convgen() -> Any:
    root = Path(__file__).resolve().parents[2]
    if (root / "tests" / "convgen").is_dir() and str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module("tests.convgen.evaluate"), importlib.import_module("tests.convgen.families")


def per_family(n: int = 40, seed: int = 0) -> dict[str, dict[str, Any]]:
    """``n`` conversations per family → {family: {cells, right, wrong, missing, …}}; held-out marked."""
    evaluate, families = _convgen()
    out: dict[str, dict[str, Any]] = {}
    for fam in families.ALL:
        row = evaluate.run_family(fam, n, seed).row()
        row["heldout"] = fam in families.HELDOUT
        out[fam] = row
    return out
