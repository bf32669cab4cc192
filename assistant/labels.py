"""Match printed labels, in the variants real reports use, to the cells of a format.

Tolerates full/half-width brackets and digits, curly or straight quotes, spaces, missing numbering and small
typos (a published report prints "2.其他法律行政止公开").
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from .formats import ReportFormat
from .textnorm import label_key

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[.:]|\([一二三四五六七八九十\d]+\)|\d+[.:)]?)")
_MIN_RATIO = 0.78


def strip_numbering(key: str) -> str:
    """Remove a leading "一、" / "（三）" / "1." from a normalised label key."""
    prev = None
    while prev != key:
        prev, key = key, _NUMBERING.sub("", key, count=1)
    return key


def _variants(*labels: str) -> set[str]:
    out: set[str] = set()
    for lab in labels:
        k = label_key(lab)
        if k:
            out.add(k)
            out.add(strip_numbering(k))
    return {v for v in out if v}


@lru_cache(maxsize=16)
def _row_index(fmt: ReportFormat, table: str) -> dict[str, list[str]]:
    """normalised variant → row json keys (several when ambiguous)."""
    index: dict[str, list[str]] = {}
    seen: set[str] = set()
    for spec in fmt.table_cells(table):
        if spec.row_json_key in seen:
            continue
        seen.add(spec.row_json_key)
        labels = [spec.row_json_key, spec.row_json_key.replace(" / ", ""), spec.row_label]
        if spec.group and table == "table3":
            labels.append(f"{spec.group}{spec.row_label}")
        if table == "table2" and spec.block_id:
            labels.append(spec.row_label)
            if spec.row_id == "normative":  # each format's label is printed in the other's table too
                labels += ["规范性文件", "行政规范性文件"]
        if table == "table4":
            labels += [spec.row_label, spec.row_json_key.replace("-", "")]
        for v in _variants(*labels):
            index.setdefault(v, [])
            if spec.row_json_key not in index[v]:
                index[v].append(spec.row_json_key)
    return index


@lru_cache(maxsize=16)
def _col_index(fmt: ReportFormat, table: str) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for spec in fmt.table_cells(table):
        labels = [spec.col_json_key]
        if spec.col_id == "fee_amount":
            labels += ["本年收费金额", "本年收费金额(万元)", "收费金额"]
        for v in _variants(*labels):
            index.setdefault(v, [])
            if spec.col_json_key not in index[v]:
                index[v].append(spec.col_json_key)
    return index


def _lookup(index: dict[str, list[str]], text: str, fuzzy: bool = True) -> str | None:
    return _lookup_how(index, text, fuzzy)[0]


def _lookup_how(index: dict[str, list[str]], text: str, fuzzy: bool = True) -> tuple[str | None, str]:
    """(json key or None, how it matched: "exact" | "prefix" | "fuzzy" (a typo) | "none")."""
    k = label_key(text)
    for cand in (k, strip_numbering(k)):
        hits = index.get(cand)
        if hits and len(hits) == 1:
            return hits[0], "exact"
    if not fuzzy or not k:
        return None, "none"
    target = strip_numbering(k)
    if len(target) >= 4:  # a label cut short: "（二）部分公开" for the long printed label
        pref = {index[v][0] for v in index if len(index[v]) == 1 and v.startswith(target)}
        if len(pref) == 1:
            return pref.pop(), "prefix"
    scored = sorted(
        ((difflib.SequenceMatcher(None, target, v).ratio(), v) for v in index if len(index[v]) == 1),
        reverse=True,
    )
    if scored and scored[0][0] >= _MIN_RATIO and (len(scored) == 1 or scored[0][0] - scored[1][0] > 0.02):
        return index[scored[0][1]][0], "fuzzy"
    return None, "none"


def match_row_how(fmt: ReportFormat, table: str, text: str) -> tuple[str | None, str]:
    """Like :func:`match_row`, also saying how it matched ("fuzzy" means the printed label has a typo)."""
    return _lookup_how(_row_index(fmt, table), text)


def match_column_how(fmt: ReportFormat, table: str, text: str) -> tuple[str | None, str]:
    """Like :func:`match_column`, also saying how it matched."""
    return _lookup_how(_col_index(fmt, table), text)


def match_row(fmt: ReportFormat, table: str, text: str, *, fuzzy: bool = True) -> str | None:
    """The row json key (e.g. "（三）不予公开 / 1.属于国家秘密") for a printed row label, or None."""
    return _lookup(_row_index(fmt, table), text, fuzzy)


def match_column(fmt: ReportFormat, table: str, text: str, *, fuzzy: bool = True) -> str | None:
    """The column json key (e.g. "自然人") for a printed column label, or None."""
    return _lookup(_col_index(fmt, table), text, fuzzy)


def cell_key_for(fmt: ReportFormat, table: str, row_json_key: str, col_json_key: str) -> str | None:
    """The cell key for a (row, column) pair of json keys."""
    for spec in fmt.table_cells(table):
        if spec.row_json_key == row_json_key and spec.col_json_key == col_json_key:
            return spec.key
    return None


@lru_cache(maxsize=1)
def _section_index() -> dict[str, str]:
    from .formats import SECTIONS

    index: dict[str, str] = {}
    for s in SECTIONS:
        for v in _variants(s.heading):
            index[v] = s.id
    index[strip_numbering(label_key("政府信息公开工作存在的主要问题及改进情况"))] = "s5"
    index[strip_numbering(label_key("因政府信息公开工作被申请行政复议、提起行政诉讼情况"))] = "s4"
    index[strip_numbering(label_key("主动公开政府信息的情况"))] = "s2"
    index[strip_numbering(label_key("存在的主要问题和改进情况"))] = "s5"
    return index


def match_section(text: str, *, fuzzy: bool = True) -> str | None:
    """Section id ("s1".."s6") for a heading as printed, tolerating small wording differences."""
    return match_section_how(text, fuzzy=fuzzy)[0]


def match_section_how(text: str, *, fuzzy: bool = True) -> tuple[str | None, str]:
    """(section id or None, "exact" | "fuzzy" (wording differs, e.g. a typo) | "none")."""
    index = _section_index()
    k = label_key(text)
    for cand in (k, strip_numbering(k)):
        if cand in index:
            return index[cand], "exact"
    if not fuzzy:
        return None, "none"
    target = strip_numbering(k)
    best = max(((difflib.SequenceMatcher(None, target, v).ratio(), v) for v in index), default=(0.0, ""))
    return (index[best[1]], "fuzzy") if best[0] >= 0.8 else (None, "none")
