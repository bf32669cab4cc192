"""One module per CLI command; each exposes ``register(subparsers)`` and sets ``func``.

Commands that read a report (``check``, ``render``, ``export``) accept a file or the id of a draft in the store;
:func:`load_source` (a Report) and :func:`source_json` (the JSON, for commands that read it themselves) are the
one place that decides which.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..facts import Report
from ..interchange import load_report, read_json_file

SOURCE_HELP = "草稿 JSON、按标签填写的数据 JSON，或数据目录中草稿的编号（见 drafts 命令）"
_DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def looks_like_draft_id(ref: str) -> bool:
    """A draft id is a bare url-safe token: no folder, no file extension."""
    return bool(_DRAFT_ID.match(ref))


def load_source(ref: str) -> Report:
    """The report in a file, or else in the stored draft with this id (a file of that name wins)."""
    if Path(ref).exists() or not looks_like_draft_id(ref):
        return load_report(ref)
    from .drafts import stored_report

    return stored_report(ref)


def source_json(ref: str) -> Any:
    """The JSON of a file, or a stored draft as draft JSON: for commands that read the JSON themselves."""
    if Path(ref).exists() or not looks_like_draft_id(ref):
        return read_json_file(ref)
    from .drafts import stored_report

    return json.loads(stored_report(ref).model_dump_json())
