"""The structured-output capability ladder.

Rung 1 asks for strict ``json_schema``; rung 2 for ``json_object`` with the schema in the prompt; rung 3 for JSON in
free text, repaired (code fences, ``<think>`` blocks, trailing commas) and validated with pydantic. A rung the
endpoint rejects (HTTP 400/422, or an error that names ``response_format``) is skipped; the rung that worked is
remembered per endpoint (base URL + model). An empty answer is retried once; a validation error is fed back to
the model a bounded number of times. ``tool_choice`` is never forced.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..prompts import render_prompt
from ..tokens import TokenUsage
from .client import LLMClient, LLMError
from .profiles import RUNG_JSON_OBJECT, RUNG_JSON_SCHEMA, RUNG_TEXT

T = TypeVar("T", bound=BaseModel)

RUNG_NAMES = {RUNG_JSON_SCHEMA: "json_schema", RUNG_JSON_OBJECT: "json_object", RUNG_TEXT: "text"}
RUNG_LABELS = {RUNG_JSON_SCHEMA: "严格 JSON Schema", RUNG_JSON_OBJECT: "JSON 模式", RUNG_TEXT: "自由文本中的 JSON"}
_UNSUPPORTED_HINTS = ("response_format", "json_schema", "json_object", "not supported", "unsupported", "schema")


class RungCache:
    """Which rung worked per endpoint (in-process; the app may persist ``dump()``/``load()``)."""

    def __init__(self) -> None:
        self._data: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, endpoint: str) -> int | None:
        with self._lock:
            return self._data.get(endpoint)

    def set(self, endpoint: str, rung: int) -> None:
        with self._lock:
            self._data[endpoint] = rung

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def dump(self) -> dict[str, int]:
        with self._lock:
            return dict(self._data)

    def load(self, data: dict[str, int]) -> None:
        with self._lock:
            self._data.update({k: int(v) for k, v in data.items() if int(v) in RUNG_NAMES})


RUNG_CACHE = RungCache()


class StructuredOutputFailed(LLMError):
    """The model gave no valid structured answer on any rung within the retry budget."""


@dataclass
class StructuredResult(Generic[T]):
    value: T
    rung: int
    usage: TokenUsage
    attempts: int
    raw: str


# ---- repair --------------------------------------------------------------------------------------
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _balanced_object(text: str) -> str | None:
    """The first balanced {...} in text (string-aware)."""
    start = text.find("{")
    while start != -1:
        depth, in_str, esc = 0, False, False
        for i in range(start, len(text)):
            ch = text[i]
            if in_str:
                if esc:
                    esc = False
                elif ch == "\\":
                    esc = True
                elif ch == '"':
                    in_str = False
            elif ch == '"':
                in_str = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    return text[start : i + 1]
        start = text.find("{", start + 1)
    return None


def repair_json(text: str) -> Any:
    """Parse JSON from a model's answer: strip think blocks and code fences, cut to the object, drop trailing
    commas. Raises ``ValueError`` with a short reason when nothing parseable remains."""
    text = _THINK.sub("", text or "").strip()
    if not text:
        raise ValueError("回答为空")
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    candidates = [text]
    obj = _balanced_object(text)
    if obj and obj != text:
        candidates.append(obj)
    last_error = "不是 JSON"
    for cand in candidates:
        for variant in (cand, _TRAILING_COMMA.sub(r"\1", cand)):
            try:
                return json.loads(variant)
            except json.JSONDecodeError as e:
                last_error = f"JSON 语法错误：{e.msg}（第{e.lineno}行第{e.colno}列）"
    raise ValueError(last_error)


def describe_validation_error(err: ValidationError, limit: int = 6) -> str:
    """A compact, model-readable list of what is wrong: "updates.0.value: Input should be a valid number"."""
    lines = []
    for e in err.errors()[:limit]:
        loc = ".".join(str(p) for p in e.get("loc", ()))
        lines.append(f"{loc or '(根)'}: {e.get('msg', '')}")
    more = len(err.errors()) - limit
    if more > 0:
        lines.append(f"……另有{more}处")
    return "；".join(lines)


def parse_structured(text: str, model: type[T]) -> T:
    """Repair and validate; raises ValueError (unparseable) or ValidationError (wrong shape)."""
    data = repair_json(text)
    return model.model_validate(data)


# ---- the ladder ----------------------------------------------------------------------------------
def response_format_for(rung: int, schema: dict[str, Any], name: str) -> dict[str, Any] | None:
    if rung == RUNG_JSON_SCHEMA:
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if rung == RUNG_JSON_OBJECT:
        return {"type": "json_object"}
    return None


def _format_rejected(err: LLMError) -> bool:
    if err.kind == "rejected":
        return True
    # some local servers answer an unsupported response_format with 500 (llama-cpp-python)
    return (
        err.kind == "transient" and err.status is not None and any(h in err.detail.lower() for h in _UNSUPPORTED_HINTS)
    )


class StructuredCaller:
    """Asks one question for a structured answer, walking down the ladder as needed."""

    def __init__(
        self,
        client: LLMClient,
        *,
        cache: RungCache = RUNG_CACHE,
        max_repairs: int = 1,
        max_empty_retries: int = 1,
        max_tokens: int | None = 1500,
    ) -> None:
        self.client = client
        self.cache = cache
        self.max_repairs = max_repairs
        self.max_empty_retries = max_empty_retries
        self.max_tokens = max_tokens

    @property
    def endpoint(self) -> str:
        return self.client.settings.endpoint_id

    def start_rung(self) -> int:
        return self.cache.get(self.endpoint) or self.client.settings.profile.start_rung

    def call(
        self, messages: list[dict[str, Any]], output_model: type[T], schema: dict[str, Any], name: str
    ) -> StructuredResult[T]:
        rung = self.start_rung()
        usage = TokenUsage()
        attempts = 0
        while rung <= RUNG_TEXT:
            request = self._messages_for(messages, rung, schema)
            fmt = response_format_for(rung, schema, name)
            empty_left, repairs_left = self.max_empty_retries, self.max_repairs
            while True:
                attempts += 1
                try:
                    completion = self.client.complete(request, response_format=fmt, max_tokens=self.max_tokens)
                except LLMError as e:
                    if rung < RUNG_TEXT and _format_rejected(e):
                        rung += 1
                        break  # next rung
                    raise
                usage = usage + completion.usage
                text = completion.text or ""
                if not text.strip():
                    if empty_left > 0:
                        empty_left -= 1
                        continue
                    raise StructuredOutputFailed("模型返回了空回答", kind="bad_output")
                try:
                    value = parse_structured(text, output_model)
                except (ValueError, ValidationError) as e:
                    problem = describe_validation_error(e) if isinstance(e, ValidationError) else str(e)
                    if repairs_left > 0:
                        repairs_left -= 1
                        feedback = render_prompt("llm/repair", problem=problem)
                        if rung == RUNG_JSON_SCHEMA:  # the schema was only in response_format: show it
                            feedback += "\n" + self._schema_note(schema)
                        request = [
                            *request,
                            {"role": "assistant", "content": text[:4000]},
                            {"role": "user", "content": feedback},
                        ]
                        continue
                    raise StructuredOutputFailed(
                        "模型返回的内容不符合要求的格式", kind="bad_output", detail=problem[:300]
                    ) from None
                self.cache.set(self.endpoint, rung)
                return StructuredResult(value=value, rung=rung, usage=usage, attempts=attempts, raw=text)
        raise StructuredOutputFailed(
            "模型不支持结构化输出", kind="bad_output"
        )  # pragma: no cover - rung 3 never rejects

    @staticmethod
    def _schema_note(schema: dict[str, Any]) -> str:
        return render_prompt("llm/schema_note", schema=json.dumps(schema, ensure_ascii=False, separators=(",", ":")))

    @staticmethod
    def _messages_for(messages: list[dict[str, Any]], rung: int, schema: dict[str, Any]) -> list[dict[str, Any]]:
        """Rungs 2 and 3 carry the schema in the prompt: appended to the (stable) system message."""
        if rung == RUNG_JSON_SCHEMA:
            return list(messages)
        note = StructuredCaller._schema_note(schema)
        out = [dict(m) for m in messages]
        if out and out[0].get("role") == "system":
            out[0]["content"] = f"{out[0]['content']}\n\n{note}"
        else:
            out.insert(0, {"role": "system", "content": note})
        return out
