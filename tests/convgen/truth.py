"""Random consistent truths: what an agency really did in a year, drawn before any phrasing.

A truth holds every input cell of the three statistics tables (zeros included) for one agency of one scale.
Table 三 is consistent by construction: for every applicant column, 本年新收 + 上年结转 = the results + 结转下年度.
The expected label-keyed tables (``expected_tables``) are computed here from the format definitions, never
from the engine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.formats import get_format

APPLICANTS = ("natural_person", "business", "research", "public_interest", "legal_service", "other")

# scale → (agency names, level, range of 本年新收 总计, share of columns used, result rows used, table-2 ranges)
SCALES: dict[str, dict] = {
    "township": {
        "agencies": ["七里坪镇人民政府", "萧江镇人民政府", "城关街道办事处", "马屿镇人民政府", "桥头镇人民政府"],
        "level": "乡镇",
        "received": (0, 9), "columns": (1, 2), "rows": (1, 3),
        "licensing": (0, 300), "penalty": (0, 120), "enforcement": (0, 10), "fee": (0, 0),
        "normative": (0, 3), "rules": False, "table4": 0.2, "t4max": 2,
    },
    "county_dept": {
        "agencies": ["苍南县司法局", "平阳县市场监督管理局", "瑞安市自然资源和规划局", "永嘉县教育局", "文成县卫生健康局"],
        "level": "县级部门",
        "received": (2, 45), "columns": (1, 3), "rows": (2, 5),
        "licensing": (0, 3000), "penalty": (0, 900), "enforcement": (0, 80), "fee": (0, 300),
        "normative": (0, 8), "rules": False, "table4": 0.5, "t4max": 4,
    },
    "county_gov": {
        "agencies": ["平阳县人民政府", "龙湾区人民政府", "泰顺县人民政府", "鹿城区人民政府办公室"],
        "level": "县级政府",
        "received": (20, 180), "columns": (2, 4), "rows": (3, 8),
        "licensing": (100, 20000), "penalty": (50, 8000), "enforcement": (0, 400), "fee": (0, 2000),
        "normative": (3, 30), "rules": False, "table4": 0.8, "t4max": 12,
    },
    "city_dept": {
        "agencies": ["温州市生态环境局", "温州市住房和城乡建设局", "温州市交通运输局", "淮安市公安局"],
        "level": "市级部门",
        "received": (30, 700), "columns": (2, 5), "rows": (4, 10),
        "licensing": (500, 150000), "penalty": (100, 60000), "enforcement": (0, 3000), "fee": (0, 9000),
        "normative": (1, 20), "rules": False, "table4": 0.9, "t4max": 30,
    },
    "city_gov": {
        "agencies": ["温州市人民政府", "淮安市人民政府", "宿迁市人民政府", "丽水市人民政府"],
        "level": "市级政府",
        "received": (200, 3000), "columns": (3, 6), "rows": (6, 14),
        "licensing": (10000, 2500000), "penalty": (5000, 4000000), "enforcement": (0, 20000), "fee": (0, 90000),
        "normative": (5, 60), "rules": True, "table4": 1.0, "t4max": 80,
    },
}

RESULT_WEIGHTS_2021 = {
    "disclosed": 10, "partly_disclosed": 3, "withheld_1": 0.3, "withheld_2": 0.4, "withheld_3": 0.5,
    "withheld_4": 1, "withheld_5": 0.6, "withheld_6": 0.8, "withheld_7": 0.5, "withheld_8": 0.5,
    "unavailable_1": 5, "unavailable_2": 1.2, "unavailable_3": 0.8, "not_processed_1": 1.5,
    "not_processed_2": 1, "not_processed_3": 0.3, "not_processed_4": 0.3, "not_processed_5": 0.4,
    "other_handling_1": 1, "other_handling_2": 0.2, "other_handling_3": 0.6,
}
COLUMN_WEIGHTS = {"natural_person": 10, "business": 3, "research": 0.4, "public_interest": 0.4,
                  "legal_service": 1, "other": 0.6}


@dataclass
class Truth:
    """Every input cell of one report: (table, row_id, col_id) → value."""

    scale: str
    agency: str
    level: str
    year: int
    format_id: str
    cells: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)

    def get(self, table: str, row: str, col: str) -> Decimal:
        return self.cells[(table, row, col)]

    def row(self, table: str, row: str) -> dict[str, Decimal]:
        return {c: v for (t, r, c), v in self.cells.items() if t == table and r == row}

    def nonzero(self, table: str, row: str) -> dict[str, Decimal]:
        return {c: v for c, v in self.row(table, row).items() if v}

    @property
    def fmt(self):
        return get_format(self.format_id)


def _split(total: int, keys: list[str], weights: dict[str, float], rng: random.Random) -> dict[str, int]:
    """``total`` distributed over ``keys`` (multinomial by weight); every key may get 0."""
    out = {k: 0 for k in keys}
    if not keys:
        return out
    w = [weights.get(k, 1.0) for k in keys]
    for _ in range(total):
        out[rng.choices(keys, weights=w)[0]] += 1
    return out


def draw_truth(rng: random.Random, scale: str | None = None, format_id: str | None = None) -> Truth:
    """One random, consistent truth."""
    scale = scale or rng.choice(list(SCALES))
    p = SCALES[scale]
    if format_id is None:
        format_id = "2019" if rng.random() < 0.15 else "2021"
    year = rng.choice([2019, 2020]) if format_id == "2019" else rng.choice([2021, 2022, 2023, 2024, 2025])
    truth = Truth(scale=scale, agency=rng.choice(p["agencies"]), level=p["level"], year=year, format_id=format_id)
    fmt = get_format(format_id)
    cells = truth.cells
    for spec in fmt.input_cells():
        cells[(spec.table, spec.row_id, spec.col_id)] = Decimal(0)

    # table 三
    received_total = rng.randint(*p["received"])
    n_cols = rng.randint(*p["columns"])
    cols = ["natural_person"] + rng.sample([c for c in APPLICANTS if c != "natural_person"], n_cols - 1)
    received = _split(received_total, cols, COLUMN_WEIGHTS, rng)
    result_rows = [r.id for r in fmt.table3_result_rows]
    n_rows = min(len(result_rows), rng.randint(*p["rows"]))
    weights = {r: RESULT_WEIGHTS_2021.get(r, 1.0) for r in result_rows}
    active = ["disclosed"] + rng.sample([r for r in result_rows if r != "disclosed"], n_rows - 1)
    carried_in_any = rng.random() < 0.4
    carried_out_any = rng.random() < 0.5
    for c in cols:
        cin = rng.randint(0, max(0, received[c] // 8)) if carried_in_any and received[c] else 0
        handled = received[c] + cin
        cout = rng.randint(0, max(0, handled // 6)) if carried_out_any and handled else 0
        results = _split(handled - cout, active, weights, rng)
        cells[("table3", "received", c)] = Decimal(received[c])
        cells[("table3", "carried_in", c)] = Decimal(cin)
        cells[("table3", "carried_out", c)] = Decimal(cout)
        for r, v in results.items():
            cells[("table3", r, c)] = Decimal(v)

    # table 二
    def count(key: str) -> int:
        lo, hi = p[key]
        if hi == 0 or rng.random() < 0.25:
            return 0
        return int(10 ** rng.uniform(0, 1) * (hi - lo) / 10) + lo if hi > 100 else rng.randint(lo, hi)

    if format_id == "2021":
        if p["rules"]:
            issued = rng.randint(0, 4)
            cells[("table2", "rules", "issued")] = Decimal(issued)
            cells[("table2", "rules", "repealed")] = Decimal(rng.randint(0, 2))
            cells[("table2", "rules", "in_force")] = Decimal(rng.randint(issued, issued + 60))
        n_issued = rng.randint(*p["normative"])
        cells[("table2", "normative", "issued")] = Decimal(n_issued)
        cells[("table2", "normative", "repealed")] = Decimal(rng.randint(0, max(0, n_issued // 2)))
        cells[("table2", "normative", "in_force")] = Decimal(n_issued + rng.randint(0, 80) if n_issued else 0)
        cells[("table2", "licensing", "decisions")] = Decimal(count("licensing"))
        cells[("table2", "penalty", "decisions")] = Decimal(count("penalty"))
        cells[("table2", "enforcement", "decisions")] = Decimal(count("enforcement"))
        fee = count("fee")
        cells[("table2", "admin_fee", "fee_amount")] = (Decimal(fee) / 100).quantize(Decimal("0.01")) if fee else Decimal(0)
    else:
        n_made = rng.randint(*p["normative"])
        cells[("table2", "normative", "made")] = Decimal(n_made)
        cells[("table2", "normative", "published")] = Decimal(n_made)
        cells[("table2", "normative", "public_total")] = Decimal(n_made + rng.randint(0, 50) if n_made else 0)
        if p["rules"]:
            made = rng.randint(0, 3)
            cells[("table2", "rules", "made")] = Decimal(made)
            cells[("table2", "rules", "published")] = Decimal(made)
            cells[("table2", "rules", "public_total")] = Decimal(made + rng.randint(0, 30))
        for row, key in (("licensing", "licensing"), ("penalty", "penalty"), ("enforcement", "enforcement")):
            decisions = count(key)
            if decisions:
                cells[("table2", row, "prev_items")] = Decimal(rng.randint(1, 300))
                cells[("table2", row, "decisions")] = Decimal(decisions)
    # table 四
    if rng.random() < p["table4"]:
        for group in ("review", "suit_direct", "suit_after_review"):
            if rng.random() < 0.6:
                for col in ("upheld", "corrected", "other_result", "pending"):
                    if rng.random() < 0.5:
                        cells[("table4", group, col)] = Decimal(rng.randint(1, p["t4max"]))
    return truth


def expected_tables(truth: Truth) -> dict[str, dict[str, dict[str, object]]]:
    """The label-keyed tables (as ``assistant.interchange.to_label_json`` prints them) that the truth implies.

    Input cells come straight from the truth; derived cells (总计 columns and rows) are summed here over the
    parts the format definition names.
    """
    fmt = truth.fmt
    values: dict[str, Decimal] = {}
    for spec in fmt.input_cells():
        values[spec.key] = truth.get(spec.table, spec.row_id, spec.col_id)
    out: dict[str, dict[str, dict[str, object]]] = {"table2": {}, "table3": {}, "table4": {}}

    def value_of(key: str) -> Decimal:
        if key in values:
            return values[key]
        return sum((value_of(k) for k in fmt.parts_of(key)), Decimal(0))

    for key, spec in fmt.cells().items():
        v = value_of(key)
        out[spec.table].setdefault(spec.row_json_key, {})[spec.col_json_key] = (
            int(v) if v == v.to_integral_value() else float(v)
        )
    return out
