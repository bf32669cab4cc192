"""What an import returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..facts import Report

ImportKind = Literal["report", "register", "facts_json"]


class ImportResult(BaseModel):
    """The imported draft plus, in Chinese, what could not be read and what the clerk should know."""

    report: Report
    kind: ImportKind
    source: str = ""  # "text" | "html" | "docx" | "json" | "csv" | "xlsx"
    unread: list[str] = Field(default_factory=list)  # cells/tables/rows that could not be read
    warnings: list[str] = Field(default_factory=list)
    stats: dict[str, int] = Field(default_factory=dict)  # e.g. register: rows read, applications counted
    # subtotal rows found in table 三 ("（三）不予公开 合计"): group label → {column id: value}; not cells, but
    # ``assistant.checks.run_checks(report, subtotals=…)`` checks them (T3-5)
    subtotals: dict[str, dict[str, int | float]] = Field(default_factory=dict)
