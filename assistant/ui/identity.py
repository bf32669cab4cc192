"""Who owns the drafts in this browser session: an OIDC user, a trusted reverse-proxy header, or local mode.

Decided from plain mappings so it can be tested without Streamlit. Never falls back to the shared local
owner when a proxy header is required but missing: that would show one user's drafts to another.

The proxy header is refused, never repaired, when it could name the wrong person: sent more than once or
holding a comma (a gateway that appends instead of overwriting lets the client choose the first value), longer
than :data:`MAX_OWNER_LEN` (cutting would merge two long names into one owner), or not decodable. Names are
decoded as RFC 8187 ``UTF-8''%E5%BC%A0%E4%B8%89`` or as raw UTF-8 bytes (which the HTTP server hands over
read as Latin-1); see docs/deployment.md.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from ..prompts import render_prompt

LOCAL_OWNER = "local"
PROXY_ENV = "ASSISTANT_TRUST_PROXY_HEADER"
MAX_OWNER_LEN = 200


@dataclass(frozen=True)
class Owner:
    id: str | None  # None: not identified (login needed or header missing)
    display: str
    mode: Literal["oidc", "proxy", "local"]
    problem: str | None = None  # "login" | "header" | "header_multiple" | "header_too_long" | "header_encoding"
    header: str | None = None


class _Refused(Exception):
    def __init__(self, problem: str) -> None:
        self.problem = problem


_RFC8187 = re.compile(r"(?i)utf-8'[a-z0-9-]*'(.*)")


def _text(value: Any) -> str:
    """A trimmed identity value; _Refused("header_too_long") over the limit (never cut)."""
    text = str(value).strip() if value not in (None, "") else ""
    if len(text) > MAX_OWNER_LEN:
        raise _Refused("header_too_long")
    return text


def decode_header_value(raw: str) -> str:
    """A header value as the name it carries: RFC 8187 ``UTF-8''…`` or raw UTF-8 read as Latin-1."""
    value = raw.strip()
    m = _RFC8187.fullmatch(value)
    try:
        if m:
            value = unquote(m.group(1), encoding="utf-8", errors="strict")
        elif any(ord(ch) > 0x7F for ch in value):
            try:
                latin = value.encode("latin-1")
            except UnicodeEncodeError:
                latin = None  # already decoded text (a test, or a server that decodes UTF-8 itself)
            if latin is not None:
                value = latin.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused("header_encoding") from None
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise _Refused("header_encoding")
    return value


def _header_values(headers: Mapping[str, str], name: str) -> list[str]:
    get_all = getattr(headers, "get_all", None)
    if callable(get_all):
        return [str(v) for v in get_all(name)]
    value = headers.get(name)
    return [] if value in (None, "") else [str(value)]


def _proxy_owner(headers: Mapping[str, str] | None, header: str) -> Owner:
    try:
        values = _header_values(headers, header) if headers is not None else []
    except Exception:  # a header object that refuses the key: treat as missing
        values = []
    values = [v for v in values if v.strip()]
    if not values:
        return Owner(None, "", "proxy", problem="header", header=header)
    try:
        if len(values) > 1 or "," in values[0]:
            raise _Refused("header_multiple")
        if len(values[0]) > MAX_OWNER_LEN * 9:  # even percent-encoded, no name within the limit is this long
            raise _Refused("header_too_long")
        value = _text(decode_header_value(values[0]))
    except _Refused as e:
        return Owner(None, "", "proxy", problem=e.problem, header=header)
    if not value:
        return Owner(None, "", "proxy", problem="header", header=header)
    return Owner(f"proxy:{value}", value, "proxy", header=header)


def owner_problem_text(owner: Owner) -> str:
    """The Chinese message for an owner that could not be identified (not a login prompt)."""
    name = "ui/owner_missing" if owner.problem in (None, "header") else f"ui/owner_{owner.problem}"
    return render_prompt(name, header=owner.header or "", limit=MAX_OWNER_LEN)


def resolve_owner(
    user: Mapping[str, Any] | None, headers: Mapping[str, str] | None, env: Mapping[str, str] | None = None
) -> Owner:
    """The owner for this session (see module docstring for the order)."""
    env = os.environ if env is None else env
    user = user or {}
    if "is_logged_in" in user:  # authentication is configured in secrets.toml
        if not user.get("is_logged_in"):
            return Owner(None, "", "oidc", problem="login")
        try:
            ident = _text(user.get("email")) or _text(user.get("sub")) or _text(user.get("preferred_username"))
            display = _text(user.get("name"))
        except _Refused:
            return Owner(None, "", "oidc", problem="login")
        if not ident:
            return Owner(None, "", "oidc", problem="login")
        return Owner(f"oidc:{ident}", display or ident, "oidc")
    header = str(env.get(PROXY_ENV, "")).strip()
    if header:
        return _proxy_owner(headers, header)
    return Owner(LOCAL_OWNER, "本机用户", "local")
