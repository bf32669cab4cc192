"""Fault suite, bounded imports: compression bombs and element floods are refused with a Chinese message that
names the limit, in a child process whose peak memory (RSS) stays under 300 MB.

Measured figures are printed by ``scripts/bench_import_limits.py``; the one time bound here only catches a hang.
"""

import io
import zipfile

import pytest
from bombs import docx_bomb, import_in_child, many_entries_zip, xlsx_bomb

from assistant.errors import ImportFailed
from assistant.importing import import_report
from assistant.importing.limits import DOCX_LIMITS, HTML_MAX_ELEMENTS, MB, Deadline, _scan_xml

PEAK_LIMIT_MB = 300
HANG_SECONDS = 60
PARAGRAPH = "<w:p><w:r><w:t>本年度共收到政府信息公开申请</w:t></w:r></w:p>"


def _assert_refused(run, *words):
    assert not run.ok, run
    for w in words:
        assert w in run.message, run.message
    assert run.peak_mb < PEAK_LIMIT_MB, f"peak RSS {run.peak_mb:.0f} MB"
    assert run.seconds < HANG_SECONDS


def test_docx_that_inflates_to_200mb_of_paragraphs_is_refused_cheaply(tmp_path):
    # the file: a 0.7 MB .docx whose document.xml inflates to over 200 MB
    path = docx_bomb(tmp_path / "bomb.docx", paragraph=PARAGRAPH, count=3_000_000)
    assert path.stat().st_size < 2 * MB
    _assert_refused(import_in_child(path), "解压后", "100MB", "上限")


def test_docx_flood_of_empty_paragraphs_under_the_size_limit_is_refused(tmp_path):
    path = docx_bomb(tmp_path / "flood.docx", paragraph="<w:p/>", count=3_500_000)  # 21 MB inflated
    _assert_refused(import_in_child(path), "段落", "2万个")


def test_docx_with_one_oversized_part_is_refused(tmp_path):
    text = "本年度共收到政府信息公开申请" * 300
    path = docx_bomb(tmp_path / "long.docx", paragraph=f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>", count=2600)
    _assert_refused(import_in_child(path), "word/document.xml", "25MB")


def test_xlsx_padded_sheet_is_refused_before_the_openpyxl_fallback(tmp_path):
    path = xlsx_bomb(tmp_path / "pad.xlsx", sheet_bytes=600 * MB)
    _assert_refused(import_in_child(path), "Excel文件", "200MB")


def test_xlsx_shared_string_flood_is_refused(tmp_path):
    path = xlsx_bomb(tmp_path / "sst.xlsx", shared_strings=4_000_000)  # 68 MB, 8 million elements
    _assert_refused(import_in_child(path), "Excel文件", "600万")


def test_zip_with_a_huge_directory_is_refused_before_it_is_listed(tmp_path):
    path = many_entries_zip(tmp_path / "entries.docx", 60_000)
    _assert_refused(import_in_child(path), "2000")


def test_html_tag_flood_is_refused(tmp_path):
    path = tmp_path / "flood.html"
    path.write_text("<html><body>" + "<p>1" * (HTML_MAX_ELEMENTS + 10), encoding="utf-8")
    _assert_refused(import_in_child(path), "网页文件", "标签")


def test_a_docx_within_the_limits_is_read(tmp_path):
    body = "".join(
        f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"
        for line in ["某某镇人民政府2023年政府信息公开工作年度报告", "一、总体情况", "本年度共收到申请5件。"]
    )
    path = docx_bomb(tmp_path / "ok.docx", paragraph=body, count=1)
    run = import_in_child(path)
    assert run.ok, run.message
    assert run.peak_mb < PEAK_LIMIT_MB


def test_refusal_in_process_is_import_failed():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + "<w:p/>" * (DOCX_LIMITS.max_blocks + 1) + "</w:document>")
    with pytest.raises(ImportFailed, match="段落"):
        import_report(buf.getvalue(), filename="x.docx")


@pytest.mark.parametrize("chunk", [1, 3, 7, 64])
def test_tag_counting_is_exact_across_chunk_boundaries(monkeypatch, chunk):
    import assistant.importing.limits as limits

    monkeypatch.setattr(limits, "_CHUNK", chunk)
    xml = b'<?xml version="1.0"?><!-- c --><w:body><w:p/><w:p><w:r/></w:p><w:p a="1"></w:p></w:body>'
    elements, blocks = _scan_xml(io.BytesIO(xml), Deadline(10, "x"), DOCX_LIMITS.block_tags)
    assert (elements, blocks) == (5, 3)  # w:body, three w:p, w:r


def test_deadline_names_its_limit():
    with pytest.raises(ImportFailed, match="0秒"):
        _spent()


def _spent():
    d = Deadline(0.0, "Word文件")
    d.until -= 1
    d.check()
