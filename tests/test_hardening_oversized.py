"""Oversized inputs: a 100,000-character message and a 50 MB upload finish with a clear Chinese message, in
bounded memory (tracemalloc; generous bounds, no timing assertions)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tracemalloc

import pytest

from assistant.engine import MAX_MESSAGE_CHARS, ConversationEngine
from assistant.errors import ImportFailed
from assistant.importing import MAX_IMPORT_BYTES, import_report
from assistant.service import DraftService
from assistant.store import open_store

LIMIT_MB = 500
SENTENCE = "今年收到政府信息公开申请6件，自然人5件。"


def _peak_mb(fn):  # noqa: ANN001, ANN202
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_100k_message_is_refused_with_a_chinese_message_and_nothing_changes():
    engine = ConversationEngine()
    state = engine.turn(engine.start().state, "我是城关镇人民政府的，写2023年度年报", message_id="m1").state
    big = (SENTENCE * 6000)[:100_000]
    result, peak = _peak_mb(lambda: engine.turn(state, big, message_id="m2"))
    assert peak < LIMIT_MB
    assert "100000" in result.reply and str(MAX_MESSAGE_CHARS) in result.reply and "上限" in result.reply
    assert result.state.report.cells == state.report.cells and not result.changes
    assert result.questions  # the pending questions are repeated


def test_a_message_just_under_the_limit_is_processed():
    engine = ConversationEngine()
    state = engine.start(None).state
    result, peak = _peak_mb(lambda: engine.turn(state, (SENTENCE * 2000)[: MAX_MESSAGE_CHARS - 1], message_id="m"))
    assert peak < LIMIT_MB and result.reply


def test_the_app_service_refuses_100k_before_saving(tmp_path):
    store = open_store(tmp_path)
    service = DraftService(store, "u", engine=ConversationEngine())
    draft = service.create(agency="城关镇人民政府", report_year=2023)
    out = service.send(draft.id, "行" * 100_000)
    assert out.errors and "过长" in out.errors[0]
    assert [m for m in service.messages(draft.id) if m.role == "user"] == []
    store.close()


def test_model_prompt_for_a_huge_message_stays_inside_the_budget():
    from assistant.facts import Report
    from assistant.llm.prompting import DEFAULT_BUDGET, build_extraction_messages, prompt_tokens

    messages, peak = _peak_mb(lambda: build_extraction_messages(Report(report_year=2023), SENTENCE * 1000))
    assert prompt_tokens(messages) <= DEFAULT_BUDGET and peak < LIMIT_MB


def test_upload_over_50mb_is_refused_in_chinese_without_reading_it():
    data = b"\xe4\xb8\x89" * ((MAX_IMPORT_BYTES + 3) // 3)  # 50 MB + a few bytes of "三"
    assert len(data) > MAX_IMPORT_BYTES

    def run():  # noqa: ANN202
        with pytest.raises(ImportFailed) as e:
            import_report(data, filename="big.txt")
        return str(e.value)

    message, peak = _peak_mb(run)
    assert "50MB" in message and peak < LIMIT_MB


@pytest.mark.parametrize("payload", [b"\x89PNG\r\n\x1a\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04", b"\x00"])
def test_50mb_binary_upload_is_refused_quickly_in_chinese(payload):
    data = payload + b"\x00\x07" * ((MAX_IMPORT_BYTES - len(payload)) // 2)

    def run():  # noqa: ANN202
        with pytest.raises(ImportFailed) as e:
            import_report(data, filename="big.docx")
        return str(e.value)

    message, peak = _peak_mb(run)
    assert message and not message.isascii() and peak < LIMIT_MB


# A text upload must finish too. Guarded by a subprocess and a generous wall-clock cap so a hang cannot stall CI.
_TEXT_IMPORT = textwrap.dedent(
    """
    import sys, tracemalloc
    from assistant.errors import AssistantError
    from assistant.importing import import_report
    line = "三、收到和处理政府信息公开申请情况 自然人 12 予以公开 3\\n"
    data = (line * (int(sys.argv[1]) // len(line.encode()) + 1)).encode()[: int(sys.argv[1])].decode("utf-8", "ignore")
    tracemalloc.start()  # (ru_maxrss would include the parent's peak: Linux keeps it across fork+exec)
    try:
        import_report(data, filename="big.txt")
        print("OK")
    except AssistantError as e:
        print("MSG", e)
    print("PEAK_MB", tracemalloc.get_traced_memory()[1] // 2**20)
    """
)


# Known gap (not asserted here): text import costs ~25-30 s per MB of table-like lines on the 2-core machine
# (assistant/importing/tables.py match_suffix runs ~100 difflib matchers per line), so a 50 MB *text* upload is
# accepted by the size check but does not finish in practical time. 128 KB (larger than any published report's text)
# is the size guarded here, with a hang cap far above its normal few seconds.
@pytest.mark.slow
def test_large_text_upload_finishes_in_bounded_time_and_memory():
    try:
        out = subprocess.run(
            [sys.executable, "-c", _TEXT_IMPORT, str(128 * 1024)], capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a 128 KB text import did not finish within 120 s")
    assert out.returncode == 0, out.stderr[-2000:]
    peak = int(out.stdout.split("PEAK_MB")[1].strip())
    assert peak < LIMIT_MB
    assert out.stdout.startswith(("OK", "MSG 没有", "MSG 文件")), out.stdout  # a result or a clear Chinese message
