"""The shared number reader :mod:`assistant.numbers` under its earlier name, re-exported unchanged.

Kept so ``from ..extract.numbers import …`` (the LLM layer, some tests) keeps working; there is no number parsing
here. New code imports :mod:`assistant.numbers`.
"""

from __future__ import annotations

from ..numbers import (
    AMOUNT_UNITS,
    COUNT_UNITS,
    DOCNO_PATTERN,
    NumberKind,
    NumberMention,
    amount_in_wanyuan,
    find_numbers,
    is_bare_number,
    number_in_text,
    parse_chinese_numeral,
    yuan_to_wanyuan,
)

__all__ = [
    "AMOUNT_UNITS",
    "COUNT_UNITS",
    "DOCNO_PATTERN",
    "NumberKind",
    "NumberMention",
    "amount_in_wanyuan",
    "find_numbers",
    "is_bare_number",
    "number_in_text",
    "parse_chinese_numeral",
    "yuan_to_wanyuan",
]
