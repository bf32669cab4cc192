"""The input limits the clerk can meet, as one set of numbers shared by our checks and Streamlit's settings.

Streamlit's own limits answer in English or not at all: a chat input or text input with ``max_chars`` silently
ignores a longer paste (the box stays empty), and an upload over ``server.maxUploadSize`` gets "File must be
…MB or smaller". So text widgets carry no ``max_chars`` (our check says in Chinese what was too long, and the
text is kept), and the upload limit equals ``server.maxUploadSize`` with our sentence shown next to the widget.
"""

from __future__ import annotations

from ..importing.api import MAX_REPORT_TEXT_CHARS
from ..prompts import render_prompt
from ..service import MAX_MESSAGE_CHARS
from ..store import MAX_TITLE

MAX_UPLOAD_MB = 20  # = server.maxUploadSize in .streamlit/config.toml (a test keeps them equal)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_AGENCY_CHARS = 100
MAX_TITLE_CHARS = MAX_TITLE
MAX_PASTE_CHARS = MAX_REPORT_TEXT_CHARS

__all__ = [
    "MAX_AGENCY_CHARS",
    "MAX_MESSAGE_CHARS",
    "MAX_PASTE_CHARS",
    "MAX_TITLE_CHARS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_MB",
    "field_too_long",
    "upload_limit_note",
]


def field_too_long(what: str, text: str, limit: int) -> str | None:
    """Our Chinese message when ``text`` is over ``limit`` characters, else None."""
    n = len(text.strip())
    return render_prompt("ui/field_too_long", what=what, length=n, limit=limit) if n > limit else None


def upload_limit_note() -> str:
    """Shown next to the uploader: Streamlit refuses larger files itself, in English."""
    return render_prompt("ui/upload_limit", limit=MAX_UPLOAD_MB)


def message_too_long_note(length: int) -> str:
    return render_prompt("ui/message_too_long", length=length, limit=MAX_MESSAGE_CHARS)
