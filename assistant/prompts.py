"""Load prompts and text templates from the top-level ``prompts/`` directory (files, not inline strings)."""

from __future__ import annotations

import os
import string
from functools import lru_cache
from pathlib import Path

from .errors import AssistantError

PROMPTS_DIR = Path(os.environ.get("ASSISTANT_PROMPTS_DIR", Path(__file__).resolve().parent.parent / "prompts"))


@lru_cache(maxsize=512)
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>`` ("questions/t3_received.txt" or without ".txt")."""
    path = PROMPTS_DIR / (name if Path(name).suffix else f"{name}.txt")
    try:
        return path.read_text(encoding="utf-8").rstrip("\n")
    except FileNotFoundError:
        raise AssistantError(f"缺少模板文件 prompts/{path.relative_to(PROMPTS_DIR)}，安装可能不完整") from None


def prompt_exists(name: str) -> bool:
    return (PROMPTS_DIR / (name if Path(name).suffix else f"{name}.txt")).exists()


def render_prompt(name: str, **values: object) -> str:
    """Fill ``$name`` placeholders (string.Template); a missing value is an error, not a blank."""
    try:
        return string.Template(load_prompt(name)).substitute({k: str(v) for k, v in values.items()})
    except KeyError as e:
        raise AssistantError(f"模板 prompts/{name} 缺少变量 {e}") from None


def prompt_variants(prefix: str) -> list[str]:
    """Names of all templates ``prompts/<prefix>*.txt`` in order (variants of one section or question)."""
    base = PROMPTS_DIR / Path(prefix).parent
    stem = Path(prefix).name
    if not base.exists():
        return []
    return [str(Path(prefix).parent / p.stem) for p in sorted(base.glob(f"{stem}*.txt"))]
