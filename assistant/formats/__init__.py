"""The official report formats as data. Use :func:`get_format` / :func:`format_for_year`."""

from __future__ import annotations

from ..errors import FormatError
from .definitions import FORMAT_2019, FORMAT_2021, FORMAT_2021_23, NARRATIVE_SECTION_IDS, SECTIONS
from .model import Block, CellSpec, Column, ReportFormat, Row, Section, Table4Group, ValueKind

FORMATS: dict[str, ReportFormat] = {f.id: f for f in (FORMAT_2019, FORMAT_2021, FORMAT_2021_23)}


def get_format(format_id: str) -> ReportFormat:
    """The format with this id ("2019", "2021", "2021-23")."""
    try:
        return FORMATS[str(format_id)]
    except KeyError:
        raise FormatError(f"未知的报告格式“{format_id}”，可选：2019（试行格式）、2021（现行格式）、2021-23（表三其他处理未细分）") from None


def format_for_year(year: int) -> ReportFormat:
    """The format that applies to a report year: ≤2020 → 2019 试行格式, ≥2021 → 2021 格式."""
    if year < 2019:
        raise FormatError(f"{year}年度早于现行条例（2019年修订）的年报格式，本工具支持2019年度及以后的年报")
    return FORMAT_2019 if year <= 2020 else FORMAT_2021


def check_format_matches_year(format_id: str, year: int) -> str | None:
    """A Chinese message when the format does not apply to the year, else None."""
    fmt = get_format(format_id)
    lo, hi = fmt.years
    if lo <= year <= hi:
        return None
    right = format_for_year(year)
    return (
        f"{year}年度的年报应使用{right.citation}印发的格式（{right.id}），"
        f"而不是{fmt.citation}的格式（{fmt.id}），请核对报告年度或格式"
    )


__all__ = [
    "FORMATS",
    "FORMAT_2019",
    "FORMAT_2021",
    "FORMAT_2021_23",
    "NARRATIVE_SECTION_IDS",
    "SECTIONS",
    "Block",
    "CellSpec",
    "Column",
    "ReportFormat",
    "Row",
    "Section",
    "Table4Group",
    "ValueKind",
    "check_format_matches_year",
    "format_for_year",
    "get_format",
]
