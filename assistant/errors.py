"""The exception tree. Every message is Chinese and says what to do; the CLI/UI shows it without a traceback."""

from __future__ import annotations


class AssistantError(Exception):
    """Base: a problem the user can fix, with a Chinese message."""

    exit_code = 2


class InputError(AssistantError):
    """Unreadable or malformed input (JSON, files, labels, values)."""


class FormatError(InputError):
    """Unknown format id, or a format that does not fit the report year."""


class ValueRejected(InputError):
    """A value that cannot go into a cell (negative count, absurd size, text in a numeric cell)."""

    def __init__(self, message: str, cell: str | None = None) -> None:
        super().__init__(message)
        self.cell = cell


class ImportFailed(InputError):
    """A file that could not be imported (wrong type, damaged, too large)."""


class ModelUnavailable(AssistantError):
    """The language model endpoint failed; callers fall back to the offline engine."""


class StoreError(AssistantError):
    """Persistence failed (disk full, locked database, conflict)."""
