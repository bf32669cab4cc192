"""Recognise what a file is from its content (not its extension) and decode text."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import ImportFailed
from ..prompts import render_prompt
from ..textfile import decode_text
from .limits import check_office_zip
from .register import looks_like_register_text

MAX_IMPORT_BYTES = 50 * 1024 * 1024
_HTML = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|table|p|div|meta|span|h[1-6])\b", re.I)
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Sniffed:
    """What the content is: "docx" | "xlsx" (``data``), or "json" | "html" | "register" | "text" (``text``)."""

    kind: str
    data: bytes = b""
    text: str = ""
    note: str = ""  # e.g. the extension did not match the content


def _ext(filename: str | None) -> str:
    return PurePath(filename).suffix.lower() if filename else ""


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    ctrl = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ord(ch) == 0x7F)
    return ctrl > max(2, len(sample) // 200)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFailed("文件是损坏的压缩包（Word/Excel文件），无法打开，请重新保存后再导入") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise ImportFailed("文件是压缩包，但不是Word（.docx）或Excel（.xlsx）文件，无法导入")


def classify_text(text: str) -> str:
    """ "json" | "html" | "register" | "text" for decoded text."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "json"
    if _HTML.search(head[:4000]):
        return "html"
    if looks_like_register_text(head[:20000]):
        return "register"
    return "text"


def sniff(source: bytes | str, filename: str | None = None) -> Sniffed:
    """Decide how to read ``source``; raise ImportFailed with a Chinese message for what cannot be read."""
    ext = _ext(filename)
    if isinstance(source, str):
        if not source.strip():
            raise ImportFailed("没有可导入的内容（文字为空）")
        if len(source) > MAX_IMPORT_BYTES:
            raise ImportFailed(render_prompt("import/too_large", limit=MAX_IMPORT_BYTES // 1024 // 1024))
        return Sniffed(classify_text(source), text=source)
    data = bytes(source)
    if not data.strip():
        raise ImportFailed("文件是空的，没有可导入的内容")
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed(render_prompt("import/too_large", limit=MAX_IMPORT_BYTES // 1024 // 1024))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        check_office_zip(data)  # before zipfile lists every entry
        return Sniffed(_zip_kind(data), data=data)
    if data.startswith(b"%PDF"):
        if b"/Font" not in data:
            raise ImportFailed(render_prompt("import/pdf_no_text"))
        raise ImportFailed(render_prompt("import/pdf_unsupported"))
    for magic, name in _IMAGE_MAGIC:
        if data.startswith(magic) and (name != "BMP" or data[6:10] == b"\0\0\0\0"):
            raise ImportFailed(render_prompt("import/image", kind=name))
    if data.startswith(_OLE):
        raise ImportFailed("这是旧版Word（.doc）或Excel（.xls）文件，请在Word/WPS/Excel中“另存为”.docx或.xlsx后再导入")
    text = decode_text(data)
    if text is None or _looks_binary(text):
        if ext in (".docx", ".xlsx"):
            raise ImportFailed(
                f"文件扩展名是{ext}，但内容不是{'Word' if ext == '.docx' else 'Excel'}文件"
                "（这类文件应是zip压缩格式），可能已损坏或改过扩展名，无法导入"
            )
        raise ImportFailed("文件内容无法识别（不是文字、网页、Word、Excel或JSON文件），无法导入")
    kind = classify_text(text)
    note = ""
    if ext in (".docx", ".xlsx"):
        if kind == "text":
            raise ImportFailed(
                f"文件扩展名是{ext}，但内容不是{'Word' if ext == '.docx' else 'Excel'}文件"
                "（这类文件应是zip压缩格式），可能已损坏或改过扩展名，无法导入"
            )
        note = f"文件扩展名是{ext}，但内容是{ {'json': 'JSON', 'html': '网页', 'register': 'CSV登记表'}[kind] }，已按实际内容导入"
    return Sniffed(kind, text=text, note=note)
