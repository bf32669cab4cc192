"""Import refuses text far larger than any report with a clear message instead of working for minutes."""

import pytest

from assistant.errors import ImportFailed
from assistant.importing import import_report
from assistant.importing.api import MAX_REPORT_TEXT_CHARS


def test_megabytes_of_pasted_text_are_refused_quickly():
    text = "一、总体情况\n" + "本年度共收到申请\t1\t2\t3\n" * (MAX_REPORT_TEXT_CHARS // 10)
    with pytest.raises(ImportFailed, match="万字"):
        import_report(text)
