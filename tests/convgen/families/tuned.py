"""The phrasing families that may be used while fixing the engine (see the package docstring)."""

from __future__ import annotations

import random
from decimal import Decimal

from ..phrasing import (
    CLOSINGS,
    GROUP_NAMES,
    T4_COL_NAMES,
    T4_GROUP_NAMES,
    applicant,
    intro,
    join,
    num,
    row_name,
    t2_names,
    t2_statement,
)
from ..truth import APPLICANTS, Truth

INTAKE = ("received", "carried_in")


def _result_rows(truth: Truth) -> list[str]:
    return [r.id for r in truth.fmt.table3_result_rows]


def _row_words(truth: Truth, row: str, rng: random.Random, style: str = "arabic",
               override: dict[tuple[str, str], Decimal] | None = None) -> str:
    """A table-3 row told by applicant: "予以公开：自然人5件，商业企业2件" / "重复申请1件，是自然人的"."""
    nz = truth.nonzero("table3", row)
    if override:
        nz = {c: override.get((row, c), v) for c, v in nz.items()}
    label = row_name(row, rng)
    if not nz:
        return rng.choice([f"{label}0件", f"{label}没有"])
    if list(nz) == ["natural_person"] and rng.random() < 0.6:
        n = num(nz["natural_person"], rng, style)
        return rng.choice([f"{label}{n}件，都是自然人", f"{label}{n}件，均为自然人申请"])
    parts = [f"{applicant(c, rng)}{num(v, rng, style)}件" for c, v in nz.items()]
    return f"{label}：" + join(parts, rng)


def _table2(truth: Truth, rng: random.Random, style: str = "arabic") -> str:
    said = [t2_statement(truth, r, c, rng, style) for (r, c) in t2_names(truth)
            if ("table2", r, c) in truth.cells and truth.get("table2", r, c)]
    if not said:
        return "主动公开方面，规章、规范性文件、许可、处罚、强制、收费都是0。"
    return "主动公开情况：" + "，".join(said) + "，其余都是0。"


def _table4(truth: Truth, rng: random.Random, style: str = "arabic") -> str:
    parts = []
    for group, names in T4_GROUP_NAMES.items():
        nz = truth.nonzero("table4", group)
        if not nz:
            continue
        cols = "，".join(f"{rng.choice(T4_COL_NAMES[c])}{num(v, rng, style)}件" for c, v in nz.items())
        parts.append(f"{rng.choice(names)}：{cols}，其余为0")
    if not parts:
        return "行政复议和行政诉讼都没有。"
    return "；".join(parts) + "。没说的复议诉讼项目都是0。"


def _closing(rng: random.Random) -> str:
    return rng.choice(CLOSINGS)


# ---- families -------------------------------------------------------------------------------------------

def rows(truth: Truth, rng: random.Random, style: str = "arabic",
         override: dict[tuple[str, str], Decimal] | None = None) -> list[str]:
    """Row by row, each row listing its applicant columns; zeros omitted, closed by words at the end."""
    intake = "；".join(_row_words(truth, r, rng, style) for r in INTAKE) + "。"
    results = "办理结果：" + "；".join(
        _row_words(truth, r, rng, style, override) for r in _result_rows(truth) if truth.nonzero("table3", r)) + "。"
    out = _row_words(truth, "carried_out", rng, style) + "。"
    return [intro(truth, rng), "依申请公开：" + intake, results, out, _table2(truth, rng, style),
            _table4(truth, rng, style), _closing(rng)]


def numerals(truth: Truth, rng: random.Random) -> list[str]:
    """The row-by-row family with Chinese numerals, 万-composites, full-width digits and 两."""
    return rows(truth, rng, style="mix")


def applicants(truth: Truth, rng: random.Random) -> list[str]:
    """Told per applicant type: 「自然人的申请中，本年新收…，予以公开…，部分公开…」."""
    msgs = [intro(truth, rng)]
    for col in APPLICANTS:
        rows_ = ["received", "carried_in", *_result_rows(truth), "carried_out"]
        said = [f"{row_name(r, rng)}{num(truth.get('table3', r, col), rng)}件" for r in rows_
                if truth.get("table3", r, col)]
        if said:
            who = applicant(col, rng)
            msgs.append(rng.choice([f"{who}的申请中，", f"{who}方面：", f"{who}申请的情况是"]) + "，".join(said) + "。")
    msgs.append(rng.choice(["其他类型的申请人都没有。", "其余申请人类型均为0。"]))
    msgs += [_table2(truth, rng), _table4(truth, rng), _closing(rng)]
    return msgs


def respectively(truth: Truth, rng: random.Random) -> list[str]:
    """「分别为/依次为」 lists across applicant types, table-2 items and table-4 columns."""
    word = lambda: rng.choice(["分别为", "依次为", "分别是"])  # noqa: E731
    msgs = [intro(truth, rng)]
    t3 = []
    for r in ["received", "carried_in", *_result_rows(truth), "carried_out"]:
        nz = truth.nonzero("table3", r)
        if not nz:
            continue
        if len(nz) == 1:
            (c, v), = nz.items()
            t3.append(f"{row_name(r, rng)}{num(v, rng)}件，为{applicant(c, rng)}")
        else:
            names = "、".join(applicant(c, rng) for c in nz)
            vals = "、".join(f"{num(v, rng)}件" for v in nz.values())
            t3.append(f"{row_name(r, rng)}中，{names}{word()}{vals}")
    msgs.append("依申请公开情况：" + "；".join(t3) + "。")
    t2 = []
    names = t2_names(truth)
    for row in dict.fromkeys(r for r, _ in names):
        cols = [(c, truth.get("table2", row, c)) for (r, c) in names if r == row and ("table2", r, c) in truth.cells]
        if not any(v for _, v in cols):
            continue
        if len(cols) == 1:
            t2.append(t2_statement(truth, row, cols[0][0], rng))
        elif all(c not in ("change", "proc_amount") for c, _ in cols):
            labels = [names[(row, c)] for c, _ in cols]
            t2.append("、".join(labels) + word() + "、".join(f"{num(v, rng)}件" for _, v in cols))
        else:
            t2 += [t2_statement(truth, row, c, rng) for c, _ in cols]
    msgs.append("主动公开：" + ("；".join(t2) if t2 else "都没有") + "，其余为0。")
    t4 = []
    for group, gnames in T4_GROUP_NAMES.items():
        nz = truth.nonzero("table4", group)
        if nz:
            cols = list(T4_COL_NAMES)
            t4.append(f"{rng.choice(gnames)}的结果维持、结果纠正、其他结果、尚未审结{word()}"
                      + "、".join(f"{num(truth.get('table4', group, c), rng)}件" for c in cols))
    msgs.append(("；".join(t4) + "，其余复议诉讼为0。") if t4 else "复议诉讼都是0。")
    msgs.append(_closing(rng))
    return msgs


def subrows(truth: Truth, rng: random.Random) -> list[str]:
    """Category totals with sub-rows and applicant details: 「无法提供19件，其中本机关不掌握18件（自然人16件、…）」."""
    msgs = [intro(truth, rng), "；".join(_row_words(truth, r, rng) for r in INTAKE) + "。"]
    parts = []
    done: set[str] = set()
    for r in _result_rows(truth):
        if r in done or not truth.nonzero("table3", r):
            continue
        group = r.rsplit("_", 1)[0] if r[-1].isdigit() else None
        if group is None:
            parts.append(_row_words(truth, r, rng))
            continue
        members = [x for x in _result_rows(truth) if x.startswith(group + "_") and truth.nonzero("table3", x)]
        done.update(members)
        total = sum((sum(truth.row("table3", m).values(), Decimal(0)) for m in members), Decimal(0))
        details = []
        for m in members:
            nz = truth.nonzero("table3", m)
            sub = sum(nz.values(), Decimal(0))
            if list(nz) == ["natural_person"]:
                who = rng.choice(["（均为自然人）", "（自然人）", "，都是自然人"])
            else:
                who = "（" + "、".join(f"{applicant(c, rng)}{num(v, rng)}件" for c, v in nz.items()) + "）"
            details.append(f"{row_name(m, rng)}{num(sub, rng)}件{who}")
        parts.append(f"{GROUP_NAMES[group]}{num(total, rng)}件，" + rng.choice(["其中", ""]) + "，".join(details))
    msgs.append("办理结果方面：" + "；".join(parts) + "。")
    msgs += [_row_words(truth, "carried_out", rng) + "。", _table2(truth, rng), _table4(truth, rng), _closing(rng)]
    return msgs


TYPOS = [("申请", "申情"), ("自然人", "自燃人"), ("部分公开", "部份公开"), ("予以公开", "予已公开"),
         ("行政复议", "行政复义"), ("商业企业", "商业企叶")]


def typos(truth: Truth, rng: random.Random) -> list[str]:
    """The row-by-row family with typing errors in labels, and one number said wrong then corrected."""
    candidates = [(r, c, v) for (t, r, c), v in truth.cells.items()
                  if t == "table3" and v >= 2 and r not in ("received", "carried_in", "carried_out")
                  and len(truth.nonzero("table3", r)) >= 2]
    override: dict[tuple[str, str], Decimal] = {}
    correction = ""
    if candidates:
        r, c, v = rng.choice(candidates)
        override[(r, c)] = v + 1
        label, who = row_name(r, rng), applicant(c, rng)
        correction = rng.choice([f"刚才说错了，{label}的{who}是{v}件，不是{v + 1}件。",
                                 f"更正一下：{label}{who}应为{v}件。"])
    msgs = rows(truth, rng, override=override)
    if correction:
        msgs.insert(len(msgs) - 1, correction)
    chosen = rng.sample(TYPOS, 3)
    for i in range(1, len(msgs)):
        for right, wrong in chosen:
            if right in msgs[i] and rng.random() < 0.7:
                msgs[i] = msgs[i].replace(right, wrong, 1)
    return msgs


PASTE_LABELS = {
    "received": "一、本年新收政府信息公开申请数量", "carried_in": "二、上年结转政府信息公开申请数量",
    "disclosed": "（一）予以公开", "partly_disclosed": "（二）部分公开",
    "other_handling": "（六）其他处理", "carried_out": "四、结转下年度继续办理",
}
SUB_LABELS = {
    "withheld": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理",
    "other_handling": "（六）其他处理",
}


def paste(truth: Truth, rng: random.Random) -> list[str]:
    """Table 三 pasted from Word/Excel (tabs, or columns padded with spaces) after a stated blank rule."""
    spaces = rng.random() < 0.4
    fmt = truth.fmt
    header = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    lines = [header]
    seen_groups: set[str] = set()
    for row in fmt.table3_rows:
        if row.id == "result_total":
            continue
        if row.id in PASTE_LABELS or row.group is None:
            label = PASTE_LABELS.get(row.id, row.label)
        else:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                lines.append([row.group] + [""] * 7)
            label = row.label
        vals = [truth.get("table3", row.id, c) for c in APPLICANTS]
        total = sum(vals, Decimal(0))
        lines.append([label] + [str(int(v)) if v else "" for v in vals] + [str(int(total)) if total else ""])
    if spaces:
        width = [max(len(line[i]) for line in lines) + 2 for i in range(8)]
        text = "\n".join("".join(cell.ljust(width[i]) if cell else " " * width[i] for i, cell in enumerate(line))
                         .rstrip() for line in lines)
    else:
        text = "\n".join("\t".join(line) for line in lines)
    rule = rng.choice(["空白的格子就是0", "空着的格子都是0", "表里没填数的都是0"])
    return [intro(truth, rng), f"我先把依申请公开的表格贴给你，{rule}：\n{text}", _table2(truth, rng),
            _table4(truth, rng), _closing(rng)]


def totals_first(truth: Truth, rng: random.Random) -> list[str]:
    """A row total first, then its breakdown by applicant: 「本年新收申请共612件：自然人548件，…其他3件」."""
    msgs = [intro(truth, rng)]
    parts = []
    for r in ["received", "carried_in", *_result_rows(truth), "carried_out"]:
        nz = truth.nonzero("table3", r)
        if not nz:
            if r in INTAKE:
                parts.append(f"{row_name(r, rng)}0件")
            continue
        total = sum(nz.values(), Decimal(0))
        label = row_name(r, rng)
        if len(nz) == 1:
            (c, v), = nz.items()
            parts.append(f"{label}共{num(total, rng)}件，全部是{applicant(c, rng)}")
        else:
            detail = "，".join(f"{applicant(c, rng)}{num(v, rng)}件" for c, v in nz.items())
            parts.append(rng.choice([f"{label}共{num(total, rng)}件：{detail}",
                                     f"{label}{num(total, rng)}件，其中{detail}"]))
    msgs.append("。".join(parts) + "。")
    msgs += [_table2(truth, rng), _table4(truth, rng), _closing(rng)]
    return msgs


FAMILIES = {
    "rows": rows, "numerals": numerals, "applicants": applicants, "respectively": respectively,
    "subrows": subrows, "typos": typos, "paste": paste, "totals_first": totals_first,
}
