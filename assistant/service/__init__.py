"""The application layer: what the app does with a draft (chat turns, table edits, section versions, import),
independent of Streamlit. The UI and the benchmark use it; it uses the domain modules and the store."""

from .drafts import (
    MAX_MESSAGE_CHARS,
    ROLE_CLERK,
    ROLE_LABELS,
    ROLE_REVIEWER,
    DraftService,
    Outcome,
    default_title,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "ROLE_CLERK",
    "ROLE_LABELS",
    "ROLE_REVIEWER",
    "DraftService",
    "Outcome",
    "default_title",
]
