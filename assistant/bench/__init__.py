"""The benchmark behind ``python -m assistant bench``: scenarios, timing helpers, measurements, the report table.

Performance is measured here and printed, never asserted in tests (tests only check the output is well formed).
"""

from .report import BenchReport, Row
from .runner import run_bench

__all__ = ["BenchReport", "Row", "run_bench"]
