"""Helpers shared by the tests of the model layer (constants and request/answer builders)."""

from __future__ import annotations

from assistant.llm.settings import Settings

KEY = "sk-test-SECRET-0123456789abcdef"


def make_settings(url: str, **kw) -> Settings:  # noqa: ANN003
    values = dict(
        api_key=KEY, base_url=url, model="fake-model", backoff_base=0.0, backoff_max=0.0, timeout=5.0, max_retries=1
    )
    values.update(kw)
    return Settings(**values)


def proposal(cell: str, value, evidence: str, *, status: str = "value", correction: bool = False) -> dict:  # noqa: ANN001
    return {"cell": cell, "status": status, "value": value, "evidence": evidence, "is_correction": correction}


def answer(*updates: dict, agency=None, level=None, year=None, narrative=()) -> dict:  # noqa: ANN001
    return {
        "updates": list(updates),
        "meta": {"agency": agency, "level": level, "report_year": year},
        "narrative": [{"key": k, "text": t} for k, t in narrative],
    }
