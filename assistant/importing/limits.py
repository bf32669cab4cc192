"""Bounds on what one import may cost (inflated size, element count, time), checked by streaming before any
parser builds a tree, so that one upload stays well inside the service's memory limit (2 GB).

Declared sizes in a zip's directory are binding: Python's zipfile never returns more bytes than an entry
declares (it raises on a mismatch), so they can be checked before anything is inflated. Elements are
counted as start tags in a streamed scan of every XML part (``<`` not followed by ``/``), never by parsing.
Each refusal is an :class:`ImportFailed` whose Chinese message names the limit.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
from dataclasses import dataclass
from typing import IO

from ..errors import ImportFailed
from ..prompts import render_prompt

MB = 1024 * 1024
_CHUNK = 1 * MB
_EOCD = b"PK\x05\x06"
_ZIP64_EOCD = b"PK\x06\x06"


@dataclass(frozen=True)
class ImportLimits:
    """The most one file may inflate to, hold in elements, and take to scan."""

    what: str  # for messages: "Word文件"
    max_entries: int
    max_inflated_bytes: int  # all entries together, as declared
    max_part_bytes: int  # one XML part (the parsers hold a part in memory)
    max_elements: int  # start tags over all XML parts
    max_seconds: float
    element_unit: str
    block_tags: tuple[bytes, ...]  # what costs the readers time: paragraphs, rows
    max_blocks: int
    block_unit: str


# A real annual report .docx is under 5 MB inflated with fewer than 100,000 elements; a 100,000-row register
# .xlsx is about 60 MB of sheet XML with about 2 million elements. Peak memory at these limits, measured by
# tests/test_hardening_limits.py and scripts/bench_import_limits.py, stays far below the 2 GB service limit.
DOCX_LIMITS = ImportLimits(
    "Word文件", 2000, 100 * MB, 25 * MB, 300_000, 30.0, "格式元素", (b"<w:p>", b"<w:p ", b"<w:p/>"), 20_000, "段落"
)
XLSX_LIMITS = ImportLimits(
    "Excel文件",
    2000,
    200 * MB,
    120 * MB,
    6_000_000,
    30.0,
    "单元格和格式元素",
    (b"<row>", b"<row ", b"<row/>"),
    300_000,
    "行",
)
HTML_MAX_ELEMENTS = 50_000
HTML_WHAT = "网页文件"


class Deadline:
    """A time budget for one import step; ``check`` raises ImportFailed naming the limit once it is spent."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self.until = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise ImportFailed(render_prompt("import/limit_time", what=self.what, limit=_num(self.seconds)))


def _num(x: float) -> str:
    return f"{x:g}"


def _mb(n: int) -> str:
    return f"{n / MB:.0f}" if n >= 10 * MB else f"{n / MB:.1f}"


def zip_entry_count(data: bytes) -> int | None:
    """The entry count a zip's end record declares (before zipfile builds an object per entry), or None."""
    at = data.rfind(_EOCD, max(0, len(data) - 65557))
    if at < 0 or at + 22 > len(data):
        return None
    total, cd_size = struct.unpack_from("<HI", data, at + 10)
    if total == 0xFFFF or cd_size == 0xFFFFFFFF:
        z64 = data.rfind(_ZIP64_EOCD, max(0, at - 4096), at)
        if z64 >= 0 and z64 + 40 <= len(data):
            return int(struct.unpack_from("<Q", data, z64 + 32)[0])
    return int(total)


def check_zip_directory(data: bytes, limits: ImportLimits) -> None:
    """Refuse a zip that declares more entries than any Word/Excel file has (each costs memory to list)."""
    count = zip_entry_count(data)
    if count is not None and count > limits.max_entries:
        raise ImportFailed(render_prompt("import/limit_entries", what=limits.what, limit=limits.max_entries))


def _looks_xml(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") or head[:2] in (b"\xff\xfe", b"\xfe\xff")


_KEEP = 8  # bytes carried between chunks: longer than any pattern counted below


def _count(buf: bytes, patterns: tuple[bytes, ...]) -> int:
    return sum(buf.count(p) for p in patterns)


def _scan_xml(stream: IO[bytes], deadline: Deadline, blocks: tuple[bytes, ...]) -> tuple[int, int]:
    """(start tags, block tags) in an XML stream read chunk by chunk, checking the deadline per chunk."""
    elements = count_blocks = 0
    buf = b""
    while True:
        chunk = stream.read(_CHUNK)
        buf += chunk
        # count matches that start before ``cut``; the rest is carried so no tag is split or counted twice
        cut = len(buf) - _KEEP if chunk else len(buf)
        if cut > 0:
            elements += buf[:cut].count(b"<") - _count(buf[: cut + 1], (b"</", b"<?", b"<!"))
            count_blocks += _count(buf[: cut + _KEEP], blocks) - _count(buf[cut : cut + _KEEP], blocks)
            buf = buf[cut:]
        if not chunk:
            return elements, count_blocks
        deadline.check()


def check_archive(data: bytes, limits: ImportLimits) -> None:
    """Check an Office zip against ``limits`` (entries, inflated size, part size, elements, time)."""
    check_zip_directory(data, limits)
    deadline = Deadline(limits.max_seconds, limits.what)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader reports a damaged file in its own words
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise ImportFailed(render_prompt("import/limit_entries", what=limits.what, limit=limits.max_entries))
        total = sum(i.file_size for i in infos)
        if total > limits.max_inflated_bytes:
            raise ImportFailed(
                render_prompt(
                    "import/limit_inflated", what=limits.what, size=_mb(total), limit=_mb(limits.max_inflated_bytes)
                )
            )
        elements = blocks = 0
        for info in infos:
            if info.is_dir() or info.file_size == 0:
                continue
            try:
                with zf.open(info) as f:
                    if not _looks_xml(f.read(64)):
                        continue
                if info.file_size > limits.max_part_bytes:
                    raise ImportFailed(
                        render_prompt(
                            "import/limit_part",
                            what=limits.what,
                            part=info.filename[-60:],
                            size=_mb(info.file_size),
                            limit=_mb(limits.max_part_bytes),
                        )
                    )
                with zf.open(info) as f:
                    found, found_blocks = _scan_xml(f, deadline, limits.block_tags)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
                return  # damaged or encrypted: the reader says so
            elements += found
            blocks += found_blocks
            if blocks > limits.max_blocks:
                raise _too_many(limits.what, limits.block_unit, limits.max_blocks)
            if elements > limits.max_elements:
                raise _too_many(limits.what, limits.element_unit, limits.max_elements)


def _too_many(what: str, unit: str, limit: int) -> ImportFailed:
    return ImportFailed(render_prompt("import/limit_elements", what=what, unit=unit, limit=_num(limit / 10000)))


def check_office_zip(data: bytes) -> None:
    """Entry count of any Office zip, checked before the file type is even known."""
    check_zip_directory(data, max(DOCX_LIMITS, XLSX_LIMITS, key=lambda lim: lim.max_entries))


def check_docx(data: bytes) -> None:
    """Bounds for a .docx before python-docx reads every part into memory."""
    check_archive(data, DOCX_LIMITS)


def check_xlsx(data: bytes) -> None:
    """Bounds for an .xlsx before its sheets and shared strings are read."""
    check_archive(data, XLSX_LIMITS)


def check_html(html: str) -> None:
    """Bounds for a saved web page before BeautifulSoup builds an object per tag."""
    tags = html.count("<") - html.count("</") - html.count("<!")
    if tags > HTML_MAX_ELEMENTS:
        raise _too_many(HTML_WHAT, "标签", HTML_MAX_ELEMENTS)
