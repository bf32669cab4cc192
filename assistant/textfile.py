"""Read text files as clerks save them: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (WPS/Excel)."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError


def decode_text(data: bytes) -> str | None:
    """The text of these bytes in the first encoding that fits, or None for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def read_text_file(path: str | Path, *, max_bytes: int, what: str = "文件") -> str:
    """A text file's content; InputError (Chinese) when missing, a folder, too large or not text."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到{what}“{p}”")
    if p.is_dir():
        raise InputError(f"“{p}”是一个文件夹，请给出文件")
    if p.stat().st_size > max_bytes:
        raise InputError(f"{what}“{p.name}”超过{max_bytes // 1024 // 1024}MB，无法读取")
    text = decode_text(p.read_bytes())
    if text is None:
        raise InputError(f"{what}“{p.name}”不是文本文件")
    return text
