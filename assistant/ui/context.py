"""Per-run wiring for the Streamlit app: the shared store, the current owner, flash messages.

Only the store (a connection factory) is cached across sessions; the conversation engine is built per run
(it is cheap) and per-user data always comes from the store, filtered by owner.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

from ..store import SQLStore, open_store, store_location
from .identity import Owner, resolve_owner
from .textsafe import escape_markdown

FLASH_KEY = "_flash"


@st.cache_resource(show_spinner=False)
def _store_for(location: str) -> SQLStore:
    if "://" in location:
        return open_store(url=location)
    return open_store(Path(location).parent)


def get_store() -> SQLStore:
    """The configured store (PostgreSQL URL or SQLite file), one per location per process."""
    return _store_for(store_location())


def upload_limit_mb() -> int:
    """The upload limit in MB: the server's ``server.maxUploadSize`` (.streamlit/config.toml), the one number
    both Streamlit's uploader and our own check and help text use."""
    try:
        return int(st.get_option("server.maxUploadSize"))
    except (TypeError, ValueError, RuntimeError):
        return 200  # Streamlit's own default


def current_owner() -> Owner:
    try:
        user = st.user.to_dict()
    except Exception:  # noqa: BLE001 - no auth configured / not available in this runtime
        user = {}
    try:
        headers = st.context.headers
    except Exception:  # noqa: BLE001
        headers = None
    return resolve_owner(user, headers, os.environ)


def flash(kind: str, text: str) -> None:
    """Show a message after the next rerun ("success" | "info" | "warning" | "error")."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flashes() -> None:
    """Successes pass as toasts (they take no room above the chat box); warnings and errors stay on the page."""
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        if kind == "success":
            st.toast(escape_markdown(text), icon=":material/check_circle:")
            continue
        getattr(st, kind if kind in ("info", "warning", "error") else "info")(escape_markdown(text))


USAGE_KEY = "_token_usage"


def add_usage(usage: Any) -> None:
    """Add a model call's token usage to this browser session's meter."""
    if usage is None or not getattr(usage, "total_tokens", 0):
        return
    current = st.session_state.get(USAGE_KEY)
    st.session_state[USAGE_KEY] = usage if current is None else current + usage


def session_usage() -> Any:
    return st.session_state.get(USAGE_KEY)
