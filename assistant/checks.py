"""Consistency checks (format_spec.md §8) → findings with rule id, severity, cells and a Chinese message.

STUB: the rule implementations are being written (issue 2 §4). The types and the entry point are final.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .facts import Report

Severity = Literal["error", "warning", "uncertain", "missing"]


class Finding(BaseModel):
    rule: str  # "T3-1", "T3-3", "N-1", "X-1", …
    severity: Severity
    cells: list[str] = Field(default_factory=list)  # cell keys involved ("t3.received.total", …)
    message: str  # Chinese, quotes the numbers and says what to do


def run_checks(report: Report) -> list[Finding]:
    """Every check on the report (cross-year ones when report.last_year is set)."""
    return []
