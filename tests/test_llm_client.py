"""The client wrapper and the structured-output ladder, against the fake server with the real openai client."""

from __future__ import annotations

import json

import pytest
from fake_openai import FakeOpenAI
from llm_support import KEY, make_settings
from pydantic import BaseModel

from assistant.llm.client import LLMClient, LLMError, StreamState, redact
from assistant.llm.ladder import RUNG_CACHE, RungCache, StructuredCaller, StructuredOutputFailed, repair_json
from assistant.llm.schema import SCHEMA_NAME, ModelExtraction, extraction_schema

MSGS = [{"role": "system", "content": "只输出 JSON"}, {"role": "user", "content": "自然人5件"}]
GOOD = {
    "updates": [
        {
            "cell": "t3.received.natural_person",
            "status": "value",
            "value": 5,
            "evidence": "自然人5件",
            "is_correction": False,
        }
    ],
    "meta": {"agency": None, "level": None, "report_year": None},
    "narrative": [],
}


def call(client, **kw):  # noqa: ANN001, ANN003
    return StructuredCaller(client, **kw).call(MSGS, ModelExtraction, extraction_schema(), SCHEMA_NAME)


# ---- plain calls and retries --------------------------------------------------------------------------
def test_complete_reports_server_usage(fake, client):
    fake.push({"content": "好", "usage": {"prompt_tokens": 7, "completion_tokens": 1, "total_tokens": 8}})
    c = client.complete(MSGS)
    assert c.text == "好" and (c.usage.prompt_tokens, c.usage.completion_tokens) == (7, 1)
    assert fake.requests[-1]["headers"]["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_transient_status_is_retried_with_backoff(fake, settings, status):
    delays: list[float] = []
    c = LLMClient(settings.model_copy(update={"backoff_base": 0.01, "backoff_max": 0.05}), sleep=delays.append)
    fake.push({"status": status}, {"content": "恢复了"})
    assert c.complete(MSGS).text == "恢复了"
    assert len(delays) == 1 and 0 <= delays[0] <= 0.05
    assert len(fake.chat_requests()) == 2


def test_retry_after_header_is_honoured_but_capped(fake, settings):
    delays: list[float] = []
    c = LLMClient(settings.model_copy(update={"backoff_max": 0.5}), sleep=delays.append)
    fake.push({"status": 429, "retry_after": 30}, {"content": "ok"})
    c.complete(MSGS)
    assert delays == [0.5]


def test_retries_are_bounded(fake, settings):
    c = LLMClient(settings.model_copy(update={"max_retries": 2}), sleep=lambda s: None)
    fake.push({"status": 500}, {"status": 500}, {"status": 500}, {"content": "too late"})
    with pytest.raises(LLMError) as e:
        c.complete(MSGS)
    assert e.value.kind == "transient" and e.value.status == 500
    assert len(fake.chat_requests()) == 3


def test_400_is_not_retried(fake, client):
    fake.push({"status": 400, "error": "bad"})
    with pytest.raises(LLMError) as e:
        client.complete(MSGS)
    assert e.value.kind == "rejected" and len(fake.chat_requests()) == 1


def test_timeout_is_a_transient_error(fake):
    c = LLMClient(make_settings(fake.url, timeout=0.3, max_retries=0), sleep=lambda s: None)
    fake.push({"delay": 1.5, "content": "slow"})
    with pytest.raises(LLMError) as e:
        c.complete(MSGS)
    assert e.value.kind == "transient" and "超时" in str(e.value)


def test_connection_refused_is_a_transient_error():
    with FakeOpenAI() as server:
        url = server.url
    c = LLMClient(make_settings(url, max_retries=1), sleep=lambda s: None)
    with pytest.raises(LLMError) as e:
        c.complete(MSGS)
    assert e.value.kind == "transient" and "无法连接" in str(e.value)


def test_auth_error_message_never_contains_the_key(fake, client):
    fake.push({"status": 401, "error": f"Incorrect API key provided: {KEY}"})
    with pytest.raises(LLMError) as e:
        client.complete(MSGS)
    assert e.value.kind == "auth"
    for text in (str(e.value), repr(e.value), e.value.detail):
        assert KEY not in text and KEY[:12] not in text


def test_redact_removes_key_like_strings():
    assert "abcdef" not in redact("key sk-abcdef123456 leaked", "")
    assert redact(f"x {KEY} y", KEY) == "x *** y"


# ---- streaming ----------------------------------------------------------------------------------------
def test_stream_yields_chunks_and_usage(fake, client):
    fake.push({"stream": ["本机关", "认真", "落实。"]})
    state = StreamState()
    assert list(client.stream(MSGS, state=state)) == ["本机关", "认真", "落实。"]
    assert state.completed and state.text == "本机关认真落实。" and state.usage.prompt_tokens == 100
    body = fake.chat_requests()[-1]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_stream_that_breaks_halfway(fake, client):
    fake.push({"stream": ["第一段", "第二段", "第三段"], "break_after": 1})
    state = StreamState()
    got = []
    with pytest.raises(LLMError) as e:
        for piece in client.stream(MSGS, state=state):
            got.append(piece)
    assert e.value.kind == "stream_broken"
    assert got == ["第一段"] and not state.completed


def test_stream_open_is_retried(fake, client):
    fake.push({"status": 503}, {"stream": ["好"]})
    assert list(client.stream(MSGS)) == ["好"]


# ---- the ladder -----------------------------------------------------------------------------------------
def test_rung1_strict_json_schema(fake, client):
    fake.push({"json": GOOD})
    r = call(client)
    assert r.rung == 1 and r.value.updates[0].value == 5
    fmt = fake.chat_requests()[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"] == extraction_schema()
    assert "tool_choice" not in fake.chat_requests()[0] and "tools" not in fake.chat_requests()[0]
    assert RUNG_CACHE.get(client.settings.endpoint_id) == 1


def test_rejected_json_schema_falls_to_json_object_and_is_remembered(fake, client):
    fake.reject_formats = {"json_schema"}
    fake.push({"json": GOOD}, {"json": GOOD})
    r = call(client)
    assert r.rung == 2
    kinds = [(b.get("response_format") or {}).get("type") for b in fake.chat_requests()]
    assert kinds == ["json_schema", "json_object"]
    second = fake.chat_requests()[1]["messages"][0]["content"]
    assert "JSON Schema" in second and '"updates"' in second  # the schema travels in the prompt
    call(client)  # next turn starts at the remembered rung: no second rejection
    kinds = [(b.get("response_format") or {}).get("type") for b in fake.chat_requests()]
    assert kinds == ["json_schema", "json_object", "json_object"]


def test_rejecting_both_formats_falls_to_free_text(fake, client):
    fake.reject_formats = {"json_schema", "json_object"}
    fake.push({"content": "好的，结果如下：\n```json\n" + json.dumps(GOOD, ensure_ascii=False)[:-1] + ",}\n```"})
    r = call(client)
    assert r.rung == 3 and r.value.updates[0].cell == "t3.received.natural_person"
    assert "response_format" not in fake.chat_requests()[-1]
    assert RUNG_CACHE.get(client.settings.endpoint_id) == 3


def test_empty_answer_is_retried_once(fake, client):
    fake.push({"empty": True}, {"json": GOOD})
    assert call(client).attempts == 2
    fake.push({"empty": True}, {"empty": True}, {"json": GOOD})
    with pytest.raises(StructuredOutputFailed):
        call(client)


def test_validation_error_is_fed_back_then_bounded(fake, client):
    bad = {"updates": [{"cell": "t3.received.natural_person", "value": "五", "evidence": "x"}]}
    fake.push({"json": bad}, {"json": GOOD})
    r = call(client)
    assert r.attempts == 2
    feedback = fake.chat_requests()[1]["messages"][-1]["content"]
    assert "updates.0.value" in feedback and "阿拉伯数字" in feedback
    assert "JSON Schema" in feedback  # rung 1: the schema was only in response_format, so it is shown now
    fake.push({"malformed": True}, {"malformed": True}, {"json": GOOD})
    with pytest.raises(StructuredOutputFailed) as e:
        call(client)
    assert e.value.kind == "bad_output"


def test_llamacpp_style_500_for_unsupported_format_moves_down(fake, client):
    fake.push(
        {"status": 500, "error": "response_format type json_schema not supported"},
        {"status": 500, "error": "response_format type json_schema not supported"},
        {"json": GOOD},
    )
    assert call(client).rung == 2


def test_rung_cache_dump_and_load():
    c = RungCache()
    c.load({"a#m": 2, "b#m": 9})
    assert c.dump() == {"a#m": 2}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', 1),
        ('```json\n{"a": 1}\n```', 1),
        ('<think>先想想 {"a": 2}</think>{"a": 1}', 1),
        ('结果：{"a": 1,}', 1),
        ('{"a": [1, 2,],}', [1, 2]),
        ('prefix {"a": 1} suffix {"b": 2}', 1),
        ('{"a": "含}括号{的字符串"}', "含}括号{的字符串"),
    ],
)
def test_repair_json(text, expected):
    assert repair_json(text)["a"] == expected


@pytest.mark.parametrize("text", ["", "   ", "没有JSON", "{'a': 1"])
def test_repair_json_gives_up_with_a_reason(text):
    with pytest.raises(ValueError):
        repair_json(text)


def test_extraction_schema_is_strict_everywhere():
    def walk(node):  # noqa: ANN001
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False
                assert set(node["required"]) == set(node["properties"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(extraction_schema())


def test_lenient_model_accepts_sloppy_rung3_answers():
    m = ModelExtraction.model_validate(
        {"updates": [{"cell": "t3.received.total", "value": "1,200", "extra": 1}], "meta": None}
    )
    assert m.updates[0].value == 1200 and m.updates[0].evidence == "" and m.narrative == []


class _Tiny(BaseModel):
    ok: bool


def test_fake_server_runs_as_a_process(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "script.json"
    script.write_text(
        json.dumps({"reject_formats": ["json_schema"], "responses": [{"content": "第一条"}, {"stream": ["流", "式"]}]}),
        encoding="utf-8",
    )
    server = Path(__file__).with_name("fake_openai.py")
    proc = subprocess.Popen(
        [sys.executable, str(server), "--port", "0", "--script", str(script)], stdout=subprocess.PIPE, text=True
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        c = LLMClient(make_settings(url, max_retries=0), sleep=lambda s: None)
        assert c.complete(MSGS).text == "第一条"
        assert "".join(c.stream(MSGS)) == "流式"
        with pytest.raises(LLMError) as e:
            c.complete(MSGS, response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {}}})
        assert e.value.kind == "rejected"
        assert json.loads(c.complete(MSGS).text) == {
            "updates": [],
            "meta": {"agency": None, "level": None, "report_year": None},
            "narrative": [],
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)
