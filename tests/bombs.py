"""Hostile import files (compression bombs, element floods) written by streaming to disk, and a child process
that imports one and reports its peak memory (RSS high-water mark, VmHWM) and elapsed time: the parent's memory
is not measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def _write_repeated(zf: zipfile.ZipFile, name: str, head: bytes, unit: bytes, count: int, tail: bytes) -> None:
    """One entry made of ``head + unit * count + tail``, streamed in pieces (never whole in memory)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zf.compression
    with zf.open(info, "w", force_zip64=True) as f:
        f.write(head)
        block = unit * max(1, (1 << 20) // len(unit))
        per_block = (1 << 20) // len(unit) or 1
        left = count
        while left >= per_block:
            f.write(block)
            left -= per_block
        f.write(unit * left)
        f.write(tail)


def docx_bomb(path: Path, *, paragraph: str, count: int) -> Path:
    """A .docx whose document.xml repeats ``paragraph`` (a w:p element) ``count`` times."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
        _write_repeated(zf, "word/document.xml", head, paragraph.encode(), count, b"</w:body></w:document>")
    return path


def xlsx_bomb(path: Path, *, shared_strings: int = 0, sheet_bytes: int = 0) -> Path:
    """An .xlsx flooded with shared strings or with a sheet of ``sheet_bytes`` of padding."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT.replace("word/document.xml", "xl/workbook.xml"))
        zf.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="登记" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        _write_repeated(zf, "xl/sharedStrings.xml", b"<sst>", b"<si><t>a</t></si>", shared_strings, b"</sst>")
        _write_repeated(
            zf,
            "xl/worksheets/sheet1.xml",
            b"<worksheet><sheetData>",
            b" ",
            sheet_bytes,
            b"</sheetData></worksheet>",
        )
    return path


def many_entries_zip(path: Path, entries: int) -> Path:
    """A zip with ``entries`` tiny members besides word/document.xml (each costs memory to list)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body/></w:document>')
        for i in range(entries):
            zf.writestr(f"x/{i}", b"")
    return path


@dataclass
class ChildRun:
    ok: bool  # the import returned a result
    message: str  # the ImportFailed message, or a summary
    peak_mb: float  # the child's peak resident memory
    baseline_mb: float  # its peak right before the import (interpreter + imports + the file's bytes)
    seconds: float  # elapsed time of import_report alone


_CHILD = r"""
import json, resource, sys, time
from pathlib import Path


def peak_mb():
    # VmHWM belongs to this process image: ru_maxrss keeps the parent's RSS across fork+exec, so a child of a
    # big pytest process would report the parent's size
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


from assistant.errors import AssistantError
from assistant.importing import import_report
path = Path(sys.argv[1])
data = path.read_bytes() if path.suffix != ".html" else path.read_text(encoding="utf-8")
base = peak_mb()
t = time.monotonic()
try:
    r = import_report(data, filename=path.name)
    out = {"ok": True, "message": f"{r.kind}: {len(r.report.cells)} cells"}
except AssistantError as e:
    out = {"ok": False, "message": str(e)}
out["seconds"] = time.monotonic() - t
out["peak_mb"] = peak_mb()
out["baseline_mb"] = base
print(json.dumps(out, ensure_ascii=False))
"""


def import_in_child(path: Path, timeout: float = 600) -> ChildRun:
    """Import ``path`` in a fresh interpreter and report its own peak RSS (VmHWM) and the import's time."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return ChildRun(**json.loads(proc.stdout.strip().splitlines()[-1]))
