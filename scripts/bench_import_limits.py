"""Peak memory (RSS) and time of hostile and near-limit imports, each in a fresh child process.

Run: ``PYTHONPATH=. python scripts/bench_import_limits.py`` (about a minute on 2 cores). Prints a table:
file size, inflated size, outcome, the child's peak RSS before/at the end of the import, and elapsed time.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bombs import docx_bomb, import_in_child, many_entries_zip, xlsx_bomb  # noqa: E402

from assistant.importing.limits import DOCX_LIMITS, HTML_MAX_ELEMENTS, MB  # noqa: E402

PARA = "<w:p><w:r><w:t>本年度共收到政府信息公开申请</w:t></w:r></w:p>"
RUN = (
    '<w:r><w:rPr><w:rFonts w:ascii="a"/><w:sz w:val="28"/><w:b/><w:i/><w:color w:val="000000"/></w:rPr>'
    "<w:t>本年度</w:t></w:r>"
)


def _cases(d: Path) -> list[tuple[str, Path]]:
    html = d / "tags.html"
    html.write_text("<html><body>" + "<p>1" * (HTML_MAX_ELEMENTS + 10), encoding="utf-8")
    near_html = d / "near.html"
    near_html.write_text("<html><body>" + "<p>1" * (HTML_MAX_ELEMENTS - 100), encoding="utf-8")
    return [
        ("docx 200 MB of paragraphs (the issue's bomb)", docx_bomb(d / "a.docx", paragraph=PARA, count=3_000_000)),
        ("docx 3.5M empty paragraphs (21 MB)", docx_bomb(d / "b.docx", paragraph="<w:p/>", count=3_500_000)),
        (
            "docx one 31 MB part",
            docx_bomb(d / "c.docx", paragraph=f"<w:p><w:r><w:t>{'申' * 3600}</w:t></w:r></w:p>", count=2600),
        ),
        ("xlsx 600 MB padded sheet", xlsx_bomb(d / "d.xlsx", sheet_bytes=600 * MB)),
        ("xlsx 4M shared strings", xlsx_bomb(d / "e.xlsx", shared_strings=4_000_000)),
        ("zip with 60,000 entries", many_entries_zip(d / "f.docx", 60_000)),
        (f"html {HTML_MAX_ELEMENTS + 10:,} tags", html),
        (
            "near limit: docx 19,900 paragraphs",
            docx_bomb(d / "g.docx", paragraph=PARA, count=DOCX_LIMITS.max_blocks - 100),
        ),
        (
            "near limit: docx 5,500 formatted paragraphs",
            docx_bomb(d / "h.docx", paragraph="<w:p>" + RUN * 6 + "</w:p>", count=5500),
        ),
        (f"near limit: html {HTML_MAX_ELEMENTS - 100:,} tags", near_html),
    ]


def _inflated(path: Path) -> str:
    if path.suffix == ".html":
        return f"{path.stat().st_size / MB:.1f} MB"
    with zipfile.ZipFile(path) as zf:
        return f"{sum(i.file_size for i in zf.infolist()) / MB:.1f} MB"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for name, path in _cases(Path(tmp)):
            run = import_in_child(path)
            outcome = "imported" if run.ok else "refused: " + run.message[:38]
            rows.append(
                (
                    name,
                    f"{path.stat().st_size / 1024:.0f} KB",
                    _inflated(path),
                    outcome,
                    run,
                )
            )
        print("| case | file | inflated | outcome | RSS before | peak RSS | seconds |")
        print("|---|---|---|---|---|---|---|")
        for name, size, inflated, outcome, run in rows:
            print(
                f"| {name} | {size} | {inflated} | {outcome} | {run.baseline_mb:.0f} MB | {run.peak_mb:.0f} MB | {run.seconds:.2f} |"
            )


if __name__ == "__main__":
    main()
