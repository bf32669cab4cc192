"""The number guard: find every number in prose and check it against the ledger and the clerk's own words.

Used for the offline drafts and, by the LLM layer, for model-written prose: a number that is neither a ledger
value (or a sum the templates compute), nor in a narrative fact the clerk gave, nor the report year, the
statistical period, a format citation or an article reference, is reported as a problem in Chinese.

Numbers are read by the shared reader :func:`assistant.numbers.find_numbers`; this module only decides what a
number in prose *is* for the guard (a quantity, a year, a date, a citation, an article, or wording such as
一次性、三安全一稳定、5G that is no quantity) and whether the report backs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..facts import Report, format_number
from ..numbers import DOCNO_PATTERN, NumberMention, find_numbers
from ..textnorm import halfwidth

ProseKind = Literal["quantity", "year", "date", "citation", "article", "ordinal", "idiom"]

# Chinese numerals only count as quantities before one of these (so 一些/统一/十分/千方百计 are ignored).
_CN_MEASURES = set("件条次个项人名期篇份场家户页元天所类处台套村位种起例册届周年宗单批%成") | set(
    "万元 个工作日 个自然日 个月 小时 个小时 季度 人次 件次 个人 社区".split()
)
_LONE_YI_MEASURES = set("件条项名人")  # a lone 一 is a quantity only here (一次性/一个窗口/一站式 are idioms)
# Phrases with numerals that are names, not quantities.
_IDIOMS = (
    "三安全一稳定 三类内部事务 四类过程性 一事一申请 一网通办 一网统管 一件事一次办 一件事 "
    "最多跑一次 一次性 一站式 一把手 一体化 一系列 一年来 一窗受理 一窗通办 一张网 一门式 "
    "一盘棋 两学一做 两微一端 两个维护 四个意识 四个自信 两个确立 五公开 三公经费 十四五 十三五 "
    "十五五 二十大 十九大 十九届 二十届 一线 第一责任人 一定 一致 一些 统一 唯一 进一步 同一 "
    "逐一 一起 一并 一律 一方面 一般 之一 其一 其二 其三 一贯 一直 一时 一旦 十分 万众 "
    "千方百计 千家万户 百姓 一步 一道 一同 一如既往 五个一 一对一 面对面 不二 三会一课 三重一大"
).split()
_IDIOM_RE = re.compile(
    "|".join(re.escape(i) for i in sorted(_IDIOMS, key=len, reverse=True)) + r"|12345(?=热线|政务|便民|平台|服务)"
)
_KNOWN_CITATIONS = {(2019, 60), (2021, 30), (2020, 109)}  # the two formats and the 信息处理费 办法
_STATUTORY_DATES = {(1, 1), (12, 31), (1, 31), (3, 31)}  # statistical period; 条例第四十九条 deadlines
_STATUTORY_QUANTITIES = {(Decimal(20), "个工作日"), (Decimal(15), "个工作日")}  # 条例第三十二/三十三条
# Durations and percentages are never table cells: only the clerk's facts (or a statutory limit) back them.
_FACTS_ONLY_UNITS = {
    *("个工作日", "工作日", "个自然日", "自然日", "个月", "天", "日", "小时", "个小时", "年", "季度", "周", "月"),
    *("%", "‰", "成"),
}


@dataclass(frozen=True)
class ProseNumber:
    """One number found in prose, with its kind, unit and position (in the half-width text)."""

    text: str  # the numeral ("2023", "五十"), or the whole date / citation ("1月1日", "〔2021〕30号")
    value: Decimal
    start: int
    end: int
    kind: ProseKind
    unit: str = ""
    day: int | None = None  # for dates: value is the month
    surface: str = ""  # as written, with its unit ("0.35万元", "百分之九十"), for messages

    def candidates(self) -> set[Decimal]:
        """Values this number may stand for: as written, 元 → 万元."""
        out = {self.value}
        if self.unit == "元":
            out.add((self.value / 10_000).normalize())
        return out


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _is_name(text: str, m: NumberMention) -> bool:
    """5G, H5, G20: an Arabic number glued to Latin letters is part of a name."""
    if m.chinese:
        return False
    digits = re.match(r"[+\-−－]?[\d,.]+", text[m.start :])
    after = text[m.start + (digits.end() if digits else 0) :][:1]
    before = text[m.start - 1 : m.start] if m.start else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def _citations(text: str, mentions: list[NumberMention]) -> list[ProseNumber]:
    """〔2021〕30号 → one citation (year in ``unit``, number in ``value``); 国办发5号 has no year: left as is."""
    out: list[ProseNumber] = []
    for c in DOCNO_PATTERN.finditer(text):
        inside = [m for m in mentions if c.start() <= m.start < c.end()]
        if len(inside) == 2 and not c.group()[0].isalnum():
            year, number = inside
            out.append(ProseNumber(c.group(), abs(number.value), c.start(), c.end(), "citation", str(year.value)))
    return out


def _dates(text: str, mentions: list[NumberMention]) -> list[ProseNumber]:
    """1月1日 / 十二月三十一日 → one date (month in ``value``, ``day``)."""
    out: list[ProseNumber] = []
    for month, day in zip(mentions, mentions[1:], strict=False):
        if (
            month.unit == "月"
            and day.unit == "日"
            and month.kind == day.kind == "date"
            and not text[month.end : day.start].strip()
            and month.value == int(month.value)
            and day.value == int(day.value)
        ):
            span = text[month.start : day.end]
            out.append(ProseNumber(span, month.value, month.start, day.end, "date", day=int(day.value), surface=span))
    return out


def _classify(text: str, m: NumberMention) -> ProseNumber:
    """What one mention outside citations and full dates is for the guard."""
    value = abs(m.value)
    unit = m.unit or ""
    before = text[: m.start].rstrip()

    def prose(kind: ProseKind) -> ProseNumber:
        return ProseNumber(m.number_text, value, m.start, m.end, kind, unit, surface=m.surface)

    if _is_name(text, m):
        return prose("idiom")
    if m.kind == "ordinal" or (m.kind == "count" and before.endswith("其")):
        return prose("article" if before.endswith(("第", "第(", "第（", "其")) else "ordinal")
    if m.kind == "year" or (m.kind == "date" and unit in ("年", "年度") and 1900 <= value <= 2100):
        return prose("year") if value == int(value) else prose("quantity")
    if unit == "月" and 1 <= value <= 12 and value == int(value):
        return ProseNumber(m.surface, value, m.start, m.end, "date", surface=m.surface)
    if m.chinese:
        measures = _LONE_YI_MEASURES if m.number_text == "一" else _CN_MEASURES
        if unit not in measures and not (unit == "月" and m.number_text != "一"):
            return prose("idiom")
    return prose("quantity")


def numbers_in_prose(text: str, *, include_all: bool = False) -> list[ProseNumber]:
    """Every number in the text with its kind. Ordinals (（一）、1.) and idioms are returned only with
    ``include_all``; they never count as quantities."""
    text = halfwidth(text)
    mentions = find_numbers(text, whole_text_bare=False)
    out = _citations(text, mentions) + _dates(text, mentions)
    taken = [(n.start, n.end) for n in out]
    for i in _IDIOM_RE.finditer(text):
        if not _overlaps(i.start(), i.end(), taken):
            taken.append((i.start(), i.end()))
            if include_all:
                out.append(ProseNumber(i.group(), Decimal(0), i.start(), i.end(), "idiom"))
    for m in mentions:
        if _overlaps(m.start, m.end, taken):
            continue
        n = _classify(text, m)
        if include_all or n.kind not in ("ordinal", "idiom"):
            out.append(n)
    out.sort(key=lambda n: n.start)
    return out


# ---- what a number may be -------------------------------------------------------------------------------


@dataclass
class AllowedNumbers:
    """Everything prose about this report may state, with where each value comes from."""

    ledger: dict[Decimal, list[str]]  # value → descriptions of cells / template sums
    facts: set[Decimal]  # numbers (all candidates) in the clerk's narrative facts
    fact_years: set[int]
    fact_dates: set[tuple[int, int | None]]
    fact_citations: set[tuple[int, int]]
    years: set[int]
    cues: dict[str, Cue]  # cue id → what a number bound by that cue may be

    def allows_quantity(self, n: ProseNumber) -> bool:
        cands = n.candidates()
        if (n.value, n.unit) in _STATUTORY_QUANTITIES:
            return True
        if any(c in self.facts for c in cands):
            return True
        return n.unit not in _FACTS_ONLY_UNITS and any(c in self.ledger for c in cands)


def _add(d: dict[Decimal, list[str]], v: Decimal | None, what: str) -> None:
    if v is None:
        return
    d.setdefault(abs(v).normalize(), []).append(what)
    d.setdefault(abs(v), []).append(what)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    vals = list(values)
    if not vals or any(v is None for v in vals):
        return None
    return sum(vals, Decimal(0))  # type: ignore[arg-type,type-var]


def table3_group_rows(report: Report) -> dict[str, list[str]]:
    """Result categories of table 三 → their row ids (（三）–（六） are groups of sub-rows)."""
    groups: dict[str, list[str]] = {}
    for row in report.fmt.table3_result_rows:
        cat = row.id.rsplit("_", 1)[0] if row.group else row.id
        groups.setdefault(cat, []).append(row.id)
    return groups


def cached_values(report: Report) -> Callable[[str], Decimal | None]:
    """``report.value`` with memoisation (same semantics): the guard reads every cell and many sums."""
    fmt = report.fmt
    cache: dict[str, Decimal | None] = {}

    def value(key: str) -> Decimal | None:
        if key not in cache:
            result: Decimal | None = None
            parts = fmt.parts_of(key)
            if parts:
                vals = [value(p) for p in parts]
                if all(x is not None for x in vals):
                    result = sum(vals, Decimal(0))  # type: ignore[arg-type,type-var]
            cache[key] = result if result is not None else report.cell(key).numeric
        return cache[key]

    return value


def template_sums(report: Report, value: Callable[[str], Decimal | None] | None = None) -> dict[str, Decimal | None]:
    """The sums the drafting templates compute, by name (e.g. "t3.handled.total" = 新收 + 结转)."""
    fmt = report.fmt
    v = value or cached_values(report)
    out: dict[str, Decimal | None] = {}
    org_cols = [c.id for c in fmt.applicant_part_columns if c.id != "natural_person"]
    for col in fmt.table3_columns:
        out[f"t3.handled.{col.id}"] = _sum([v(f"t3.received.{col.id}"), v(f"t3.carried_in.{col.id}")])
        for cat, rows in table3_group_rows(report).items():
            if len(rows) > 1:
                out[f"t3.{cat}.{col.id}"] = _sum(v(f"t3.{r}.{col.id}") for r in rows)
    for row in fmt.table3_rows:
        out[f"t3.{row.id}.organisations"] = _sum(v(f"t3.{row.id}.{c}") for c in org_cols)
    for col in fmt.table4_columns:
        out[f"t4.litigation.{col.id}"] = _sum([v(f"t4.suit_direct.{col.id}"), v(f"t4.suit_after_review.{col.id}")])
    out["t4.all.total"] = _sum([v("t4.review.total"), out["t4.litigation.total"]])
    for block in fmt.table2_blocks:
        col_ids = {c.id for c in block.columns}
        if {"prev_items", "change"} <= col_ids:
            for row in block.rows:
                out[f"t2.{row.id}.items_now"] = _sum([v(f"t2.{row.id}.prev_items"), v(f"t2.{row.id}.change")])
    return out


@dataclass(frozen=True)
class Cue:
    """What a number bound by a cue phrase may be: a total, or (when the clause names an applicant type or a
    sub-row) any detail cell of the same rows."""

    totals: frozenset[Decimal]
    details: frozenset[Decimal]
    detail_words: re.Pattern[str]
    expected: str  # Chinese: the cell and its value, for the message

    @property
    def known(self) -> bool:
        return bool(self.totals or self.details)

    def allowed(self, segment: str) -> frozenset[Decimal]:
        return self.totals | self.details if self.detail_words.search(segment) else self.totals


_APPLICANT_WORDS = r"自然人|企业|科研|公益|法律服务|律师|法人|组织|个人"
_T4_DETAIL_WORDS = re.compile(r"维持|纠正|其他结果|审结|直接起诉|复议后起诉")


def _cue_sets(report: Report, sums: dict[str, Decimal | None], v: Callable[[str], Decimal | None]) -> dict[str, Cue]:
    fmt = report.fmt

    def vals(keys: Iterable[str]) -> frozenset[Decimal]:
        return frozenset(x for k in keys if (x := v(k) if not k.startswith("sum:") else sums.get(k[4:])) is not None)

    def row_keys(*rows: str) -> list[str]:
        return [f"t3.{r}.{c.id}" for r in rows for c in fmt.table3_columns] + [
            f"sum:t3.{r}.organisations" for r in rows
        ]

    def shown(total: Decimal | None) -> str:
        return f"总计{format_number(total)}件" if total is not None else "未填写"

    applicant = re.compile(_APPLICANT_WORDS)
    cues: dict[str, Cue] = {}
    for cue, row in (("carried_in", "carried_in"), ("carried_out", "carried_out"), ("result_total", "result_total")):
        label = fmt.cell(f"t3.{row}.total").row_label
        cues[cue] = Cue(
            vals([f"t3.{row}.total"]),
            vals(row_keys(row)),
            applicant,
            f"表三「{label}」（{shown(v(f't3.{row}.total'))}）",
        )
    handled = [f"sum:t3.handled.{c.id}" for c in fmt.table3_columns]
    cues["received"] = Cue(
        vals(["t3.received.total", "sum:t3.handled.total"]),
        vals(row_keys("received") + handled),
        applicant,
        f"表三「{fmt.cell('t3.received.total').row_label}」（{shown(v('t3.received.total'))}）",
    )
    for cat, rows in table3_group_rows(report).items():
        head = fmt.cell(f"t3.{rows[0]}.total")
        name = re.sub(r"（[^（）]*）$", "", head.group or head.row_label)
        total = _sum(v(f"t3.{r}.total") for r in rows)
        totals = frozenset([total]) if total is not None else frozenset()
        group_sums = [f"sum:t3.{cat}.{c.id}" for c in fmt.table3_columns]
        cores = [re.sub(r"^\d+\.|[“”\"]", "", fmt.cell(f"t3.{r}.total").row_label)[:4] for r in rows if len(rows) > 1]
        words = re.compile("|".join([_APPLICANT_WORDS, *(re.escape(c) for c in cores if c)]))
        cues[cat] = Cue(totals, vals(row_keys(*rows) + group_sums), words, f"表三「{name}」（{shown(total)}）")

    t4_cols = [c.id for c in fmt.table4_columns]
    cues["review"] = Cue(
        vals(["t4.review.total", "sum:t4.all.total"]),
        vals(f"t4.review.{c}" for c in t4_cols),
        _T4_DETAIL_WORDS,
        f"表四「行政复议」（{shown(v('t4.review.total'))}）",
    )
    cues["litigation"] = Cue(
        vals(["sum:t4.litigation.total", "sum:t4.all.total"]),
        vals(
            [f"t4.{g}.{c}" for g in ("suit_direct", "suit_after_review") for c in t4_cols]
            + [f"sum:t4.litigation.{c}" for c in t4_cols]
        ),
        _T4_DETAIL_WORDS,
        f"表四「行政诉讼」（{shown(sums['t4.litigation.total'])}）",
    )
    return cues


# Cue phrases right before a number (within its clause) bind it to specific cells.
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("carried_out", re.compile(r"结转(?:至|到)?下一?年度?|转(?:入)?下一?年度?|转至下|继续办理")),
    ("carried_in", re.compile(r"上一?年度?(?:结转|转结|转入)")),
    ("received", re.compile(r"新收|新受理|(?:收到|受理|接收|接到)[^，,。；;]{0,14}申请")),
    ("result_total", re.compile(r"办结|办理完毕|答复完毕|已答复")),
    ("disclosed", re.compile(r"予以公开")),
    ("partly_disclosed", re.compile(r"部分公开")),
    ("withheld", re.compile(r"不予公开")),
    ("unavailable", re.compile(r"无法提供")),
    ("not_processed", re.compile(r"不予处理")),
    ("other_handling", re.compile(r"其他处理")),
    ("litigation", re.compile(r"行政诉讼|起诉|诉讼")),
    ("review", re.compile(r"行政复议|复议")),
)
_CLAUSE_END = re.compile(r"[。；;！!？?\n]")


def _cue_for(text: str, start: int, prev_end: int) -> tuple[str | None, str]:
    """The cue binding the number at ``start`` (the last cue phrase since the previous number, within the
    clause) and that text segment."""
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    seg = text[max(clause_start, prev_end) : start]
    best: tuple[int, str] | None = None
    for cue, pat in _CUES:
        for m in pat.finditer(seg):
            if best is None or m.end() > best[0]:
                best = (m.end(), cue)
    return (best[1] if best else None), seg


def allowed_numbers(report: Report) -> AllowedNumbers:
    """Collect every value prose about this report may contain."""
    ledger: dict[Decimal, list[str]] = {}
    fmt = report.fmt
    value = cached_values(report)
    for key, spec in fmt.cells().items():
        _add(ledger, value(key), spec.display_label)
    sums = template_sums(report, value)
    for name, val in sums.items():
        _add(ledger, val, name)
    facts: set[Decimal] = set()
    fact_years: set[int] = set()
    fact_dates: set[tuple[int, int | None]] = set()
    fact_citations: set[tuple[int, int]] = set()
    for text in report.narrative_facts.values():
        for n in numbers_in_prose(text or ""):
            if n.kind == "quantity":
                facts |= {c.normalize() for c in n.candidates()} | n.candidates()
            elif n.kind == "year":
                fact_years.add(int(n.value))
            elif n.kind == "date":
                fact_dates.add((int(n.value), n.day))
            elif n.kind == "citation":
                fact_citations.add((int(n.unit), int(n.value)))
    years: set[int] = set()
    if report.report_year:
        y = report.report_year
        years = {y - 1, y, y + 1}
    return AllowedNumbers(ledger, facts, fact_years, fact_dates, fact_citations, years, _cue_sets(report, sums, value))


def _snippet(text: str, n: ProseNumber) -> str:
    s = max((m.end() for m in _CLAUSE_END.finditer(text, 0, n.start)), default=0)
    m = _CLAUSE_END.search(text, n.end)
    e = m.start() if m else len(text)
    s = max(s, n.start - 24)
    e = min(e, n.end + 16)
    return text[s:e].strip(" ，,")


def check_prose_numbers(report: Report, text: str) -> list[str]:
    """Chinese problems, one per number that the ledger, the clerk's facts and the fixed references do not back."""
    return check_numbers_with(allowed_numbers(report), report, text)


def check_numbers_with(allowed: AllowedNumbers, report: Report, text: str) -> list[str]:
    """:func:`check_prose_numbers` with the allowed values computed once (for many checks on one report)."""
    text_hw = halfwidth(text)
    problems: list[str] = []
    prev_end = 0
    for n in numbers_in_prose(text_hw):
        shown = n.surface or n.text
        where = f"“{_snippet(text_hw, n)}”"
        if n.kind == "quantity":
            cue, seg = _cue_for(text_hw, n.start, prev_end) if n.unit in ("件", "件次", "") else (None, "")
            prev_end = n.end
            if cue and allowed.cues[cue].known:
                spec = allowed.cues[cue]
                if not n.candidates() & spec.allowed(seg):
                    problems.append(f"{where}中的{shown}与{spec.expected}不一致，请核对")
                continue
            if not allowed.allows_quantity(n):
                problems.append(f"{where}中的数字{shown}在表格和承办人提供的材料中都找不到，请核对或删除")
        elif n.kind == "year":
            prev_end = n.end
            y = int(n.value)
            if y not in allowed.years and y not in allowed.fact_years:
                expected = f"报告年度为{report.report_year}年" if report.report_year else "报告年度尚未确定"
                problems.append(f"{where}中的年份{n.text}年与报告不符（{expected}），请核对")
        elif n.kind == "date":
            prev_end = n.end
            md = (int(n.value), n.day)
            if n.day is None:
                ok = md[0] in (1, 12) or any(m == md[0] for m, _ in allowed.fact_dates)
            else:
                ok = md in _STATUTORY_DATES or md in allowed.fact_dates
            if not ok:
                problems.append(f"{where}中的日期{n.text}不是统计期限或法定时限，承办人也未提供，请核对")
        elif n.kind == "citation":
            prev_end = n.end
            ref = (int(n.unit), int(n.value))
            if ref not in _KNOWN_CITATIONS and ref not in allowed.fact_citations:
                problems.append(f"{where}中的文号{n.text}不是年报格式或信息处理费办法的文号，承办人也未提供，请核对")
    return problems
