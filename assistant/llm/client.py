"""A small wrapper around an ``openai.OpenAI`` client: backoff on transient failures, streaming, usage.

The caller may pass its own client (base URL, timeouts and transport are then the caller's choice, as in
instructor). Every failure leaves here as an :class:`LLMError` whose message is Chinese and key-free.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import openai

from ..errors import ModelUnavailable
from ..tokens import TokenUsage, count_message_tokens, count_tokens
from .settings import Settings

log = logging.getLogger("assistant.llm")

_KEY_PATTERN = re.compile(r"(sk|ak|key)[-_][A-Za-z0-9_\-*.]{6,}", re.IGNORECASE)
_RETRY_STATUS = {408, 409, 429, 500, 502, 503, 504}


class LLMError(ModelUnavailable):
    """The endpoint failed. ``kind``: transient | rejected | auth | not_found | bad_output | stream_broken | config."""

    def __init__(self, message: str, *, kind: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.detail = detail  # redacted provider message, for logs and the doctor

    def __repr__(self) -> str:
        return f"LLMError(kind={self.kind!r}, status={self.status!r}, message={str(self)!r})"


def redact(text: str, secret: str = "") -> str:
    """Remove the API key (and anything that looks like a key) from a text."""
    if secret:
        text = text.replace(secret, "***")
        if len(secret) > 8:
            text = text.replace(secret[:8], "***")
    return _KEY_PATTERN.sub("***", text)


def _provider_detail(err: BaseException, secret: str) -> str:
    body = getattr(err, "body", None)
    message = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            message = str(inner.get("message") or "")
        else:
            message = str(inner)
    if not message:
        message = getattr(err, "message", "") or str(err)
    return redact(message, secret)[:300]


def classify(err: BaseException, secret: str = "") -> LLMError:
    """An openai/httpx exception as an LLMError with a Chinese message (no key, no URL with credentials)."""
    if isinstance(err, LLMError):
        return err
    detail = _provider_detail(err, secret)
    if isinstance(err, openai.APITimeoutError):
        return LLMError("模型服务响应超时", kind="transient", detail=detail)
    if isinstance(err, openai.APIConnectionError):
        return LLMError("无法连接模型服务（网络或地址有误）", kind="transient", detail=detail)
    if isinstance(err, openai.APIStatusError):
        status = err.status_code
        if status in (401, 403):
            return LLMError(
                f"模型服务拒绝了密钥（HTTP {status}），请检查 OPENAI_API_KEY", kind="auth", status=status, detail=detail
            )
        if status == 404:
            return LLMError(
                "模型服务找不到该模型或地址（HTTP 404），请检查 ASSISTANT_MODEL 与 OPENAI_BASE_URL",
                kind="not_found",
                status=status,
                detail=detail,
            )
        if status == 429:
            return LLMError("模型服务请求过多或额度不足（HTTP 429）", kind="transient", status=status, detail=detail)
        if status in _RETRY_STATUS or status >= 500:
            return LLMError(f"模型服务暂时出错（HTTP {status}）", kind="transient", status=status, detail=detail)
        return LLMError(f"模型服务拒绝了请求（HTTP {status}）", kind="rejected", status=status, detail=detail)
    if isinstance(err, (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError)):
        return LLMError("模型输出被截断或被过滤", kind="bad_output", detail=detail)
    return LLMError(
        "调用模型时出现问题", kind="transient", detail=redact(type(err).__name__ + ": " + str(err), secret)[:300]
    )


@dataclass
class Completion:
    text: str
    usage: TokenUsage
    finish_reason: str | None = None


@dataclass
class StreamState:
    """Filled while a stream is consumed: the text so far, usage, and whether it completed."""

    chunks: list[str] = field(default_factory=list)
    usage: TokenUsage = field(default_factory=TokenUsage)
    completed: bool = False

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def _usage_from(obj: Any, messages: list[dict[str, Any]], text: str) -> TokenUsage:
    u = getattr(obj, "usage", None)
    if u is not None and getattr(u, "prompt_tokens", None) is not None:
        return TokenUsage(int(u.prompt_tokens or 0), int(u.completion_tokens or 0), 1)
    return TokenUsage(count_message_tokens(messages), count_tokens(text), 1, estimated=True)


class LLMClient:
    """Chat completions with bounded backoff; ``sleep`` is injectable so tests need not wait."""

    def __init__(
        self,
        settings: Settings,
        client: openai.OpenAI | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._client = client if client is not None else self._make_client(settings)

    @staticmethod
    def _make_client(settings: Settings) -> openai.OpenAI:
        try:
            return openai.OpenAI(
                api_key=settings.secret() or "not-needed",
                base_url=settings.effective_base_url,
                timeout=openai.Timeout(settings.timeout, connect=settings.connect_timeout),
                max_retries=0,  # backoff is ours: bounded, configurable, logged without the key
            )
        except Exception as e:  # noqa: BLE001
            raise LLMError(
                "模型客户端配置有误，请检查 OPENAI_BASE_URL", kind="config", detail=redact(str(e), settings.secret())
            ) from None

    @property
    def model(self) -> str:
        return self.settings.effective_model

    @property
    def openai_client(self) -> openai.OpenAI:
        return self._client

    # ---- retries -------------------------------------------------------------------------------
    def _delay(self, attempt: int, err: BaseException | None) -> float:
        s = self.settings
        retry_after = None
        response = getattr(err, "response", None)
        if response is not None:
            try:
                retry_after = float(response.headers.get("retry-after", ""))
            except (TypeError, ValueError):
                retry_after = None
        base = s.backoff_base * (2**attempt)
        delay = retry_after if retry_after is not None else base * (0.5 + random.random() / 2)
        return max(0.0, min(delay, s.backoff_max))

    def _with_retries(self, call: Callable[[], Any]) -> Any:
        secret = self.settings.secret()
        attempt = 0
        while True:
            try:
                return call()
            except Exception as e:  # noqa: BLE001 - classified below
                err = classify(e, secret)
                if err.kind != "transient" or attempt >= self.settings.max_retries:
                    log.info("model request failed: %s (%s) %s", err, err.kind, err.detail)
                    raise err from None
                delay = self._delay(attempt, e)
                log.info("model request failed (%s), retry %d in %.2fs", err, attempt + 1, delay)
                self._sleep(delay)
                attempt += 1

    # ---- calls ---------------------------------------------------------------------------------
    def complete(
        self,
        messages: list[dict[str, Any]],
        *,
        response_format: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        temperature: float | None = 0.0,
    ) -> Completion:
        """One non-streamed completion (retried on transient failures)."""
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages}
        if response_format is not None:
            kwargs["response_format"] = response_format
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        if temperature is not None:
            kwargs["temperature"] = temperature
        resp = self._with_retries(lambda: self._client.chat.completions.create(**kwargs))
        try:
            choice = resp.choices[0]
            text = choice.message.content or ""
            finish = choice.finish_reason
        except (AttributeError, IndexError, TypeError):
            raise LLMError("模型返回的内容无法识别", kind="bad_output") from None
        return Completion(text=text, usage=_usage_from(resp, messages, text), finish_reason=finish)

    def stream(
        self,
        messages: list[dict[str, Any]],
        *,
        state: StreamState | None = None,
        max_tokens: int | None = None,
        temperature: float | None = 0.3,
    ) -> Iterator[str]:
        """Yield text deltas. Opening the stream is retried; a stream that breaks after text arrived raises
        ``LLMError(kind="stream_broken")`` (the caller decides what to do with the partial text)."""
        state = state if state is not None else StreamState()
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "stream": True}
        kwargs["stream_options"] = {"include_usage": True}
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        if temperature is not None:
            kwargs["temperature"] = temperature
        secret = self.settings.secret()
        stream = self._with_retries(lambda: self._client.chat.completions.create(**kwargs))
        usage = None
        try:
            for chunk in stream:
                if getattr(chunk, "usage", None) is not None:
                    usage = chunk
                for choice in getattr(chunk, "choices", None) or []:
                    delta = getattr(choice, "delta", None)
                    piece = getattr(delta, "content", None) if delta is not None else None
                    if piece:
                        state.chunks.append(piece)
                        yield piece
        except GeneratorExit:
            stream.close()
            raise
        except Exception as e:  # noqa: BLE001
            err = classify(e, secret)
            raise LLMError("模型输出中途中断", kind="stream_broken", status=err.status, detail=err.detail) from None
        state.usage = _usage_from(usage, messages, state.text)
        state.completed = True

    def list_models(self) -> list[str]:
        """Model ids the endpoint offers (used by the doctor; not every server implements it)."""
        page = self._with_retries(lambda: self._client.models.list())
        return [m.id for m in getattr(page, "data", []) or []]
