"""Who owns the drafts in this browser session: an OIDC user, a trusted reverse-proxy header, or local mode.

Decided from plain mappings so it can be tested without Streamlit. Never falls back to the shared local
owner when a proxy header is required but missing: that would show one user's drafts to another.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

LOCAL_OWNER = "local"
PROXY_ENV = "ASSISTANT_TRUST_PROXY_HEADER"
MAX_OWNER_LEN = 200


@dataclass(frozen=True)
class Owner:
    id: str | None  # None: not identified (login needed or header missing)
    display: str
    mode: Literal["oidc", "proxy", "local"]
    problem: str | None = None  # "login" | "header"
    header: str | None = None


def _text(value: Any) -> str:
    return str(value).strip()[:MAX_OWNER_LEN] if value not in (None, "") else ""


def resolve_owner(
    user: Mapping[str, Any] | None, headers: Mapping[str, str] | None, env: Mapping[str, str] | None = None
) -> Owner:
    """The owner for this session (see module docstring for the order)."""
    env = os.environ if env is None else env
    user = user or {}
    if "is_logged_in" in user:  # authentication is configured in secrets.toml
        if not user.get("is_logged_in"):
            return Owner(None, "", "oidc", problem="login")
        ident = _text(user.get("email")) or _text(user.get("sub")) or _text(user.get("preferred_username"))
        if not ident:
            return Owner(None, "", "oidc", problem="login")
        return Owner(f"oidc:{ident}", _text(user.get("name")) or ident, "oidc")
    header = _text(env.get(PROXY_ENV, ""))
    if header:
        value = ""
        if headers is not None:
            try:
                value = _text(headers.get(header))
            except Exception:  # a header object that refuses the key: treat as missing
                value = ""
        if not value:
            return Owner(None, "", "proxy", problem="header", header=header)
        return Owner(f"proxy:{value}", value, "proxy", header=header)
    return Owner(LOCAL_OWNER, "本机用户", "local")
