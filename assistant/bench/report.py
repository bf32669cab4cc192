"""The benchmark's result: rows (metric, measured, target, verdict) printed as a table and written as JSON."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

PASS, MISS, INFO, SKIP = "达标", "未达标", "—", "跳过"


@dataclass
class Row:
    """One line of the table."""

    group: str
    metric: str
    value: str
    target: str = ""
    verdict: str = INFO
    note: str = ""


@dataclass
class BenchReport:
    """Everything measured: the table rows plus the raw numbers behind them."""

    mode: str
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def add(self, group: str, metric: str, value: str, target: str = "", verdict: str = INFO, note: str = "") -> None:
        self.rows.append(Row(group, metric, value, target, verdict, note))

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "started_at": self.started_at,
            "machine": self.machine,
            "rows": [asdict(r) for r in self.rows],
            "raw": self.raw,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2, default=str)

    def table(self) -> str:
        """A Markdown table (readable in a terminal, pasteable into the README)."""
        head = ["分组", "指标", "测得", "目标", "结论", "说明"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            cells = [r.group, r.metric, r.value, r.target, r.verdict, r.note]
            lines.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |")
        return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }
