"""Table 二 (主动公开): T2-2…T2-6 and its cross-year links X-2, X-3 (T2-1 is :func:`core.check_integers`)."""

from __future__ import annotations

from decimal import Decimal

from ..formats import ReportFormat, ValueKind, get_format
from .core import Checker, last_year_comparable, level_name, level_scale, num


def _blocks_with(fmt: ReportFormat, *col_ids: str) -> list[tuple[str, str]]:
    """(row id, block caption) of table-二 rows whose block has all these columns."""
    out = []
    for block in fmt.table2_blocks:
        ids = {col.id for col in block.columns}
        if all(i in ids for i in col_ids):
            out += [(row.id, block.caption) for row in block.rows]
    return out


def check_in_force(c: Checker) -> None:
    """T2-2 / T2-3 / X-3 (2021 （一）): 现行有效件数 ≈ last year's + 本年制发 − 本年废止."""
    ly = c.report.last_year
    if not last_year_comparable(c) or ly is None:
        return
    ly_fmt = get_format(ly.format_id) if ly.format_id else None
    for row_id, _ in _blocks_with(c.fmt, "issued", "repealed", "in_force"):
        k_issued, k_rep, k_now = (f"t2.{row_id}.{col}" for col in ("issued", "repealed", "in_force"))
        if ly_fmt is None or k_now not in ly_fmt.cells():
            continue  # 2020 → 2021: 对外公开总数量 is not 现行有效件数, no link
        last = ly.value(k_now)
        issued, rep, now = c.value(k_issued), c.value(k_rep), c.value(k_now)
        row_label = c.spec(k_now).row_label
        if last is None:
            continue
        if issued is None or rep is None or now is None:
            c.uncertain("T2-2", f"「{row_label}」", [k for k in (k_issued, k_rep, k_now) if c.value(k) is None])
            continue
        if rep > last + issued:
            c.emit(
                "T2-3",
                "warning",
                "t2_3",
                [k_rep, k_issued],
                row=row_label,
                repealed=num(rep),
                last=num(last),
                issued=num(issued),
            )
            continue
        expected = last + issued - rep
        if now == expected:
            continue
        numbers = dict(
            row=row_label, now=num(now), last=num(last), issued=num(issued), repealed=num(rep), expected=num(expected)
        )
        if now == last and issued != rep:
            c.emit("X-3", "warning", "x_3", [k_now, k_issued, k_rep], **numbers)  # copied from last year
        else:
            c.emit("T2-2", "warning", "t2_2", [k_now, k_issued, k_rep], **numbers)


def check_published(c: Checker) -> None:
    """T2-4 (2019 （一）): 本年新公开数量 ≤ 对外公开总数量; 对外公开总数量 ≈ last year's + 本年新公开."""
    ly = c.report.last_year
    for row_id, _ in _blocks_with(c.fmt, "published", "public_total"):
        k_pub, k_tot = f"t2.{row_id}.published", f"t2.{row_id}.public_total"
        pub, tot = c.value(k_pub), c.value(k_tot)
        row_label = c.spec(k_tot).row_label
        if pub is not None and tot is not None and pub > tot:
            c.emit("T2-4", "warning", "t2_4", [k_pub, k_tot], row=row_label, published=num(pub), total=num(tot))
            continue
        if ly is None or not last_year_comparable(c) or pub is None or tot is None:
            continue
        last = ly.value(k_tot) if ly.format_id == c.fmt.id else None
        if last is not None and tot != last + pub:
            c.emit(
                "T2-4",
                "warning",
                "t2_4_cumulative",
                [k_tot, k_pub],
                row=row_label,
                total=num(tot),
                last=num(last),
                published=num(pub),
                expected=num(last + pub),
            )


def check_items(c: Checker) -> None:
    """T2-5 (2019 （五）（六）（八）): 上一年项目数量 + 本年增/减 ≥ 0; X-2: = last year's 上一年 + 增/减."""
    ly = c.report.last_year
    cross = ly is not None and last_year_comparable(c) and ly.format_id == c.fmt.id
    for row_id, _ in _blocks_with(c.fmt, "prev_items", "change"):
        k_prev, k_chg = f"t2.{row_id}.prev_items", f"t2.{row_id}.change"
        prev, chg = c.value(k_prev), c.value(k_chg)
        row_label = c.spec(k_prev).row_label
        if prev is not None and chg is not None and prev + chg < 0:
            c.emit(
                "T2-5",
                "error",
                "t2_5",
                [k_prev, k_chg],
                row=row_label,
                prev=num(prev),
                change=num(chg),
                now=num(prev + chg),
            )
        elif (prev is None) != (chg is None):
            c.uncertain("T2-5", f"「{row_label}」", [k_prev if prev is None else k_chg])
        if cross and ly is not None and prev is not None:
            l_prev, l_chg = ly.value(k_prev), ly.value(k_chg)
            if l_prev is not None and l_chg is not None and prev != l_prev + l_chg:
                c.emit(
                    "X-2",
                    "warning",
                    "x_2",
                    [k_prev],
                    row=row_label,
                    prev=num(prev),
                    last_prev=num(l_prev),
                    last_change=num(l_chg),
                    expected=num(l_prev + l_chg),
                    last_year=ly.report_year or "上",
                )


def check_yuan(c: Checker) -> None:
    """T2-6: a 万元 amount that looks like yuan (integer ≥ 10000 万元 for a town; more for higher levels);
    U-1: an amount printed in another unit than its column's header (「18703元」 under 「（单位：万元）」)."""
    limit = Decimal(10_000) * level_scale(c)
    for spec in c.fmt.table_cells("table2"):
        if spec.kind != ValueKind.AMOUNT or spec.unit != "万元":
            continue
        fact = c.report.cell(spec.key)
        v = c.value(spec.key)
        if v is None:
            continue
        if fact.unit:
            if spec.unit in spec.col_label:  # the header prints 万元, the cell another unit
                c.emit(
                    "U-1",
                    "warning",
                    "u_1",
                    [spec.key],
                    where=spec.display_label,
                    printed=fact.describe(),
                    unit=spec.unit,
                    converted=num(c.amount(spec.key, spec.unit) or v),
                )
            continue  # the unit is stated: no guessing
        if fact.provenance is not None and fact.provenance.confirmation:
            continue
        if v >= limit and v == v.to_integral_value():
            c.emit(
                "T2-6",
                "warning",
                "t2_6",
                [spec.key],
                where=spec.display_label,
                value=num(v),
                yuan_in_wan=num((v / 10_000).normalize()),
                yi=num((v / 10_000).normalize()),
                level=level_name(c),
            )
