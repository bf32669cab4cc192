"""The Chinese notes the rule extractor returns, worded in ``prompts/extract/*.txt``."""

from __future__ import annotations

from ..prompts import render_prompt

MAX_FRAGMENT = 40


def fragment(text: str, limit: int = MAX_FRAGMENT) -> str:
    """A clause shortened for quoting in a note."""
    text = " ".join(text.split()).strip("，,。；;：: ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def msg(name: str, **values: object) -> str:
    """Render ``prompts/extract/<name>.txt``."""
    return render_prompt(f"extract/{name}", **values)
