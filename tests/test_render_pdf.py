"""The .docx as LibreOffice prints it (skipped when ``soffice`` is not installed; ``.ci/run`` installs it):
page count, 表二 on page 2, no half-empty pages before the last one. Page images of one sample per report
format go to ``test-artifacts/`` (git-ignored) for people to look at."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.facts import CellFact, CellStatus, Report
from assistant.formats import FORMAT_2021
from assistant.interchange import load_report
from assistant.render import render_docx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("pdftotext")),
        reason="LibreOffice (soffice) or poppler-utils not installed: .ci/run installs libreoffice-writer-nogui",
    ),
]

# Hand-counted from the rendered pages (A4, 公文 margins, 仿宋 三号 on a 28 pt pitch): the county report is
# 5 pages (section 一 fills page 1 and half of page 2, 表二 follows on page 2, 表三 breaks from page 3 to
# page 4); the 2019-format city report is 4 pages; the township report (2021 format, long section 一) is 5.
CASES = [
    ("county_bureau_2024", 5, 2),  # 2021 format
    ("city_2019format_2020", 4, 2),  # 2019 format
    ("township_2023_none", 5, 2),  # 2021 format, every table 0
]


def _pdf(sample: str | Report, tmp_path: Path, name: str = "report") -> Path:
    """The sample (or report) as a PDF printed by LibreOffice."""
    if isinstance(sample, str):
        name, sample = sample, load_report(SAMPLES / f"{sample}.json")
    src = tmp_path / f"{name}.docx"
    src.write_bytes(render_docx(sample))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},  # a private LibreOffice profile
    )
    return tmp_path / f"{name}.pdf"


def _pages_text(pdf: Path, mode: str = "-layout") -> list[str]:
    """The text of each page, whitespace removed (``-raw`` keeps a narrow merged cell's lines together)."""
    text = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


def _fill(png: Path) -> float:
    """How far down the text area the page's content reaches (0–1), the page number footer left out."""
    from PIL import Image

    img = Image.open(png).convert("L")
    w, h = img.size
    top, bottom = round(h * 37 / 297), round(h * (297 - 35) / 297)  # the 公文 text area
    pixels = img.load()
    last = top
    for y in range(top, bottom):
        if any(pixels[x, y] < 160 for x in range(0, w, 2)):
            last = y
    return (last - top) / (bottom - top)


@pytest.mark.parametrize(("sample", "pages", "table2_page"), CASES)
def test_docx_pages_in_libreoffice(sample, pages, table2_page, tmp_path):
    pdf = _pdf(sample, tmp_path)
    texts = _pages_text(pdf)
    assert len(texts) == pages
    first_t2 = next(i for i, t in enumerate(texts, 1) if "第二十条第（一）项" in t)
    assert first_t2 == table2_page
    assert "二、主动公开政府信息情况" in texts[table2_page - 1]
    assert "申请人情况" in "".join(texts) and "未经复议直接起诉" in "".join(texts)
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / f"docx-{sample}"
    for old in ARTIFACTS.glob(f"docx-{sample}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(stem)], check=True, capture_output=True)
    images = sorted(ARTIFACTS.glob(f"docx-{sample}-*.png"))
    assert len(images) == pages
    fills = [_fill(p) for p in images]
    # every page but the last is used to (near) its bottom: no page left half empty by a table that jumped
    assert all(f > 0.85 for f in fills[:-1]), fills


def test_split_table3_shows_its_group_label_on_both_pages(tmp_path):
    pdf = _pdf("county_bureau_2024", tmp_path)
    texts = _pages_text(pdf, "-raw")
    with_t3 = [i for i, t in enumerate(texts) if "申请人情况" in t]
    assert len(with_t3) == 2  # 表三 breaks across two pages, its header repeated
    # the break falls inside （六）其他处理: both pages print that group label and 三、本年度办理结果
    for i in with_t3:
        assert "三、本年度办理结果" in texts[i] and "（六）其他处理" in texts[i], i


def test_draft_prints_its_marker_and_missing_cells(tmp_path):
    cells = {c.key: CellFact(status=CellStatus.CONFIRMED_ZERO) for c in FORMAT_2021.input_cells()}
    del cells["t3.received.business"]
    report = Report(agency="示例镇人民政府", report_year=2023, format_id="2021", cells=cells)
    texts = _pages_text(_pdf(report, tmp_path))
    assert texts[0].startswith("征求意见稿（草稿）")  # the page header, then the first line
    assert all("征求意见稿（草稿）" in t for t in texts)
    assert "未填" in "".join(texts)
