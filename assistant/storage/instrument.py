"""Counting the SQL statements a piece of work sends (for the benchmark and the statements-per-turn test)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")


@dataclass
class StatementLog:
    statements: list[str] = field(default_factory=list)

    @property
    def data(self) -> list[str]:
        """Statements that read or write data (transaction control and pragmas left out)."""
        return [s for s in self.statements if s.split(None, 1)[0].upper() not in _CONTROL]

    @property
    def fact_events(self) -> int:
        return sum(1 for s in self.data if s.lstrip().upper().startswith("INSERT INTO FACT_EVENTS"))

    @property
    def beyond_fact_events(self) -> int:
        return len(self.data) - self.fact_events


@contextmanager
def count_statements(engine: Engine) -> Iterator[StatementLog]:
    """Every statement sent through ``engine`` inside the block (an executemany counts once)."""
    log = StatementLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)
