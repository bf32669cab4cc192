"""Builders of the offline drafts of 一、五、六: choose templates from ``prompts/sections/`` and fill them.

Every number comes from the ledger (``report.value``), a sum the template states (新收 + 结转), or the clerk's
narrative facts; a missing fact becomes a cautious sentence without numbers plus a 【待补充：…】 mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..facts import Report, format_number
from ..prompts import load_prompt
from ..textnorm import normalize_text
from .composition import (
    Composition,
    ItemList,
    Part,
    choose,
    clerk_items,
    compose,
    fill,
    is_none_answer,
    split_parallel,
    strip_future_lead,
)
from .proactive import proactive_items
from .prose_numbers import AllowedNumbers, allowed_numbers, check_numbers_with, numbers_in_prose, table3_group_rows
from .slots import NARRATIVE_BY_KEY
from .talk import strip_talk

S1_SUBPART_FACTS = ("proactive", "applications", "info_management", "platform", "supervision")
# 条例第五十条第（四）项: what 各级人民政府 must cover under 监督保障 (label, words that show it is covered)
ACCOUNTABILITY_ELEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("工作考核", re.compile(r"考核|考评|绩效")),
    ("社会评议", re.compile(r"评议|测评|满意度|群众评价|社会评价|第三方评估")),
    ("责任追究", re.compile(r"追究|问责|追责|责任追究")),
)
_IN_TIME = re.compile(r"法定期限|规定期限|期限内|时限内|按时|按期|如期|及时答复|及时办理|均已答复|全部答复")
_NOT_IN_TIME = re.compile(
    r"(?:未|没有?|不)(?:能|够)?[^，,。；;]{0,6}(?:期限|按时|按期|及时)|超期|超时|逾期答复|超过期限|延期答复"
)
_NO_APPLICATION = re.compile(r"(?:没|未|无)[^，,。；;]{0,6}申请")
_FEE_NONE = re.compile(
    r"(?:未|没有?|不曾|从未|无|不)[^，,。；;]{0,4}(?:收取|收费|收过|收)|^(?:无|没有|零|0元?)(?:[。.]|$)"
)
_RECTIFIED = re.compile(r"上年|去年|上一年|往年|整改|已解决|已完成|已落实|已改进|得到解决|得到改进")
_LAST_YEAR_SPLIT = re.compile(r"[一二三四五六七八九十]是|\d[.、]|[（(][一二三四五六七八九十\d][)）]")
_LAST_YEAR_MEASURES_START = re.compile(r"下一步|今后|接下来|下阶段|改进措施|针对|整改措施|为此")


@dataclass
class DraftContext:
    """Everything one draft needs: the report, the wording variant, the agency's names, the allowed numbers,
    and the notes for the reviewer collected on the way."""

    report: Report
    variant: int
    self_word: str
    agency: str
    year: str
    allowed: AllowedNumbers
    notes: list[str] = field(default_factory=list)
    used_items: dict[str, list[str]] = field(default_factory=dict)

    @property
    def style(self) -> int:
        return self.variant % 2

    def items(self, key: str) -> list[str]:
        """The clerk's items for a narrative fact, without items whose numbers contradict the tables."""
        if key in self.used_items:
            return self.used_items[key]
        raw = fact_text(self.report, key)
        if is_none_answer(raw):
            self.used_items[key] = []
            return []
        kept: list[str] = []
        for item in clerk_items(raw, self.self_word, self.report.report_year):
            problems = check_numbers_with(self.allowed, self.report, item)
            if problems:
                self.notes.append(fill("sections/notes/item_dropped", item=item, problem=problems[0]))
                continue
            kept.append(item)
        if key == "proactive":
            kept = proactive_items(kept)
        self.used_items.setdefault(key, kept)
        return kept


def placeholder(what: str) -> str:
    """The visible mark a reviewer must replace: 【待补充：…】."""
    return fill("sections/placeholder", what=what)


def self_word(agency: str) -> str:
    """How the report names its agency ("我镇", "我局", …; prompts/sections/self_reference.txt)."""
    name = agency.strip()
    for line in load_prompt("sections/self_reference").splitlines():
        if line.startswith("#") or "=>" not in line:
            continue
        ending, word = (x.strip() for x in line.split("=>", 1))
        if ending == "*" or (ending and name.endswith(ending)):
            return word
    return "本机关"


def fact_text(report: Report, key: str) -> str:
    """What the clerk said for a narrative fact, without talk (corrections, questions, 「说过了」…)."""
    return strip_talk(report.narrative_facts.get(key))


def has_fact(report: Report, key: str) -> bool:
    """The clerk has said something (possibly "无") for this narrative fact."""
    return bool(fact_text(report, key))


def _is_government(report: Report) -> bool:
    """各级人民政府 (incl. 乡镇/街道) — from the level, or the agency name when the level is not set."""
    if report.level is not None:
        return report.level.is_government
    return report.agency.strip().endswith(("人民政府", "镇", "乡", "街道办事处", "街道"))


# ---- 一、总体情况 ------------------------------------------------------------------------------------


def _contents(report: Report) -> str:
    names = [re.sub(r"^[一二三四五六七八九十]+、", "", s.heading).replace("、", "和") for s in report.fmt.sections]
    return "、".join(names)


def _preamble(ctx: DraftContext) -> list[Part]:
    fmt = ctx.report.fmt
    values: dict[str, object] = {
        "format_name": fmt.name,
        "citation": fmt.citation,
        "year": ctx.year,
        "agency": ctx.agency,
        "self": ctx.self_word,
        "contents": _contents(ctx.report),
    }
    return compose(choose("sections/s1_preamble_v", ctx.variant), values)


def t2_clause_templates() -> dict[str, str]:
    """How table 二 cells are said in （一）主动公开: cell key (or key + ".zero") → clause with ``$n``."""
    templates: dict[str, str] = {}
    for line in load_prompt("sections/t2_clauses").splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        key, tpl = (x.strip() for x in line.split("=", 1))
        templates[key] = tpl
    return templates


def _t2_clauses(ctx: DraftContext) -> str | None:
    report = ctx.report
    templates = t2_clause_templates()
    clauses: list[str] = []
    for spec in report.fmt.table_cells("table2"):
        v = report.value(spec.key)
        if v is None:
            continue
        if v == 0:
            tpl = templates.get(f"{spec.key}.zero")
            if tpl:
                clauses.append(tpl)
            continue
        tpl = templates.get(spec.key)
        if tpl:
            clauses.append(tpl.replace("$n", format_number(v)))
    return "，".join(clauses) if clauses else None


def _narrative_subpart(ctx: DraftContext, key: str, extra: dict[str, object] | None = None) -> list[Part]:
    items = ctx.items(key)
    values: dict[str, object] = {"self": ctx.self_word, "year": ctx.year, "agency": ctx.agency}
    if items:
        values["items"] = ItemList(items, ctx.style)
    else:
        values["todo"] = placeholder(NARRATIVE_BY_KEY[key].label)
    values.update(extra or {})
    return compose(choose(f"sections/s1_{key}_v", ctx.variant), values)


def _category_name(label: str) -> str:
    label = re.sub(r"^（[一二三四五六七八九十]+）", "", label)
    return re.sub(r"（.*）$", "", label)


def _t3_results(ctx: DraftContext) -> tuple[str | None, bool]:
    """ "予以公开5件、部分公开2件…" over the non-zero result categories; (None, False) when unknown."""
    report = ctx.report
    fmt = report.fmt
    parts: list[str] = []
    for _cat, rows in table3_group_rows(report).items():
        vals = [report.value(f"t3.{r}.total") for r in rows]
        if any(v is None for v in vals):
            return None, False
        total = sum(vals, Decimal(0))  # type: ignore[arg-type,type-var]
        if total == 0:
            continue
        head = fmt.cell(f"t3.{rows[0]}.total")
        name = _category_name(head.group or head.row_label)
        parts.append(fill("sections/count_clause", name=name, n=format_number(total), unit="件"))
    return "、".join(parts), True


def _t4_values(ctx: DraftContext) -> dict[str, object]:
    report = ctx.report
    fmt = report.fmt
    review = report.value("t4.review.total")
    direct, after = report.value("t4.suit_direct.total"), report.value("t4.suit_after_review.total")
    out: dict[str, object] = {}
    if review is None or direct is None or after is None:
        return out
    litigation = direct + after
    if review == 0 and litigation == 0:
        out["t4_none"] = ""
        return out

    def detail(clauses: list[str]) -> str:
        return fill("sections/detail_brackets", clauses="、".join(clauses)) if len(clauses) > 1 else ""

    if review > 0:
        out["review"] = format_number(review)
        cl = [
            fill("sections/count_clause", name=c.label, n=format_number(v), unit="件")
            for c in fmt.table4_part_columns
            if (v := report.value(f"t4.review.{c.id}")) is not None and v > 0
        ]
        out["review_detail"] = detail(cl)
    else:
        out["review_none"] = ""
    if litigation > 0:
        out["litigation"] = format_number(litigation)
        cl = [
            fill("sections/count_clause", name=g.label, n=format_number(v), unit="件")
            for g in fmt.table4_groups[1:]
            if (v := report.value(f"t4.{g.id}.total")) is not None and v > 0
        ]
        out["litigation_detail"] = detail(cl)
    else:
        out["litigation_none"] = ""
    return out


def _applications(ctx: DraftContext) -> list[Part]:
    report = ctx.report
    v = report.value
    received, carried_in = v("t3.received.total"), v("t3.carried_in.total")
    values: dict[str, object] = {"self": ctx.self_word, "year": ctx.year}
    fact_text_ = fact_text(report, "applications")
    if received is None or carried_in is None:
        values["todo_table"] = placeholder(fill("sections/notes/t3_missing_label"))
        ctx.notes.append(fill("sections/notes/t3_missing"))
    elif received + carried_in == 0:
        values["none_received"] = ""
    else:
        values["received"] = format_number(received)
        if carried_in > 0:
            values["carried_in"] = format_number(carried_in)
            values["handled"] = format_number(received + carried_in)
        else:
            values["carry_none"] = ""
        natural = v("t3.received.natural_person")
        orgs = [v(f"t3.received.{c.id}") for c in report.fmt.applicant_part_columns if c.id != "natural_person"]
        if received > 0 and natural is not None and all(o is not None for o in orgs):
            org_sum = sum(orgs, Decimal(0))  # type: ignore[arg-type,type-var]
            if org_sum == 0:
                values["all_natural"] = ""
            else:
                values["natural"] = format_number(natural)
                values["orgs"] = format_number(org_sum)
        results, known = _t3_results(ctx)
        result_total = v("t3.result_total.total")
        if known and result_total is not None:
            if result_total > 0:
                values["results"] = results
                values["result_total"] = format_number(result_total)
            else:
                values["no_results"] = ""
        else:
            values["todo_results"] = placeholder(fill("sections/notes/t3_results_label"))
        carried_out = v("t3.carried_out.total")
        if carried_out is not None:
            if carried_out > 0:
                values["carried_out"] = format_number(carried_out)
            else:
                values["carried_out_none"] = ""
        if result_total is not None and carried_out is not None and received + carried_in != result_total + carried_out:
            ctx.notes.append(
                fill(
                    "sections/notes/t3_unbalanced",
                    received=format_number(received),
                    carried_in=format_number(carried_in),
                    result_total=format_number(result_total),
                    carried_out=format_number(carried_out),
                )
            )
        in_time = bool(_IN_TIME.search(normalize_text(fact_text_))) and not _NOT_IN_TIME.search(
            normalize_text(fact_text_)
        )
        if in_time:
            values["in_time"] = ""
        elif not fact_text_:
            values["todo_time"] = placeholder(NARRATIVE_BY_KEY["applications"].label)
    extra = [
        i
        for i in ctx.items("applications")
        if not (_IN_TIME.search(i) and not _NOT_IN_TIME.search(i))
        and not ("none_received" in values and _NO_APPLICATION.search(i))
    ]
    if extra:
        values["extra"] = ItemList(extra, ctx.style)
    values.update(_t4_values(ctx))
    return compose(choose("sections/s1_applications_v", ctx.variant), values)


def missing_supervision_elements(report: Report) -> list[str]:
    """For 各级人民政府: which of 工作考核、社会评议、责任追究 the 监督保障 fact does not mention yet."""
    if not _is_government(report):
        return []
    text = fact_text(report, "supervision")
    return [label for label, pat in ACCOUNTABILITY_ELEMENTS if not pat.search(text)]


def _supervision(ctx: DraftContext) -> list[Part]:
    extra: dict[str, object] = {}
    if has_fact(ctx.report, "supervision"):
        missing = missing_supervision_elements(ctx.report)
        if missing:
            extra["todo_accountability"] = placeholder(
                fill("sections/notes/accountability_label", elements="、".join(missing))
            )
    return _narrative_subpart(ctx, "supervision", extra)


def build_s1(ctx: DraftContext) -> tuple[Composition, dict[int, int]]:
    """一、总体情况: preamble, then the five sub-parts; also where each sub-part ends (for "补充…")."""
    comp = Composition()
    comp.extend(_preamble(ctx))
    ends: dict[int, int] = {}
    builders = {
        "proactive": lambda: _narrative_subpart(ctx, "proactive", _t2_values(ctx)),
        "applications": lambda: _applications(ctx),
        "info_management": lambda: _narrative_subpart(ctx, "info_management"),
        "platform": lambda: _narrative_subpart(ctx, "platform"),
        "supervision": lambda: _supervision(ctx),
    }
    for i, heading in enumerate(ctx.report.fmt.section("s1").subparts):
        comp.parts.append(Part(heading=heading))
        comp.extend(builders[S1_SUBPART_FACTS[i]]())
        ends[i] = len(comp.parts)
    return comp, ends


def _t2_values(ctx: DraftContext) -> dict[str, object]:
    clauses = _t2_clauses(ctx)
    return {"t2": clauses} if clauses else {}


# ---- 五、存在的主要问题及改进情况 ------------------------------------------------------------------------


def _last_year_problem_cores(text: str) -> list[str]:
    """Short cores of last year's problems ("一是…二是…" before the measures), to name them, not copy them."""
    text = normalize_text(text)
    m = _LAST_YEAR_MEASURES_START.search(text)
    problems_part = text[: m.start()] if m else text
    pieces = _LAST_YEAR_SPLIT.split(problems_part)[1:]
    cores: list[str] = []
    for p in pieces:
        core = re.split(r"[，,。；;：:]", p.strip())[0].strip()
        if 4 <= len(core) <= 24 and not numbers_in_prose(core):
            cores.append(core)
    return cores[:3]


def _rectified(items: list[str]) -> list[str]:
    return [i for i in items if _RECTIFIED.search(i)]


def rectification_items(report: Report) -> list[str]:
    """What the clerk said about fixing last year's problems (items of 改进措施 that speak of 整改/上年…)."""
    return _rectified(make_context(report, 0).items("measures"))


def build_s5(ctx: DraftContext) -> Composition:
    """五: problems, how last year's problems were addressed (named, not copied), measures."""
    report = ctx.report
    values: dict[str, object] = {"self": ctx.self_word, "year": ctx.year}
    problems = split_parallel(ctx.items("problems"))
    if problems:
        values["problems"] = ItemList(problems, ctx.style)
    else:
        values["todo_problems"] = placeholder(NARRATIVE_BY_KEY["problems"].label)
    measures_all = ctx.items("measures")
    rectified = _rectified(measures_all)
    measures = split_parallel([strip_future_lead(i) for i in measures_all if i not in rectified])
    if measures:
        values["measures"] = ItemList(measures, ctx.style)
    else:
        values["todo_measures"] = placeholder(fill("sections/notes/measures_label"))
    last = (report.last_year.sections.get("s5") if report.last_year else None) or ""
    if last.strip():
        cores = _last_year_problem_cores(last)
        values["last_problems"] = "".join(fill("sections/quote", text=c) for c in cores) if cores else None
        values["last_generic"] = "" if not cores else None
        if rectified:
            values["rectified"] = ItemList(rectified, ctx.style)
        else:
            values["todo_rectified"] = placeholder(fill("sections/notes/rectified_label"))
    elif rectified:
        values["rectified_only"] = ItemList(rectified, ctx.style)
    comp = Composition()
    comp.extend(compose(choose("sections/s5_v", ctx.variant), values))
    return comp


# ---- 六、其他需要报告的事项 ------------------------------------------------------------------------------


def build_s6(ctx: DraftContext) -> Composition:
    """六: 信息处理费 (required in the 2021 format, table 三 （六）2 notices), then other matters or "无…"."""
    report = ctx.report
    values: dict[str, object] = {"self": ctx.self_word, "year": ctx.year}
    fee_text = fact_text(report, "fee")
    notice_rows = [r.id for r in report.fmt.table3_rows if r.id == "other_handling_2"]
    notices = report.value(f"t3.{notice_rows[0]}.total") if notice_rows else None
    is_2019 = report.fmt.id == "2019"
    if fee_text:
        stated_numbers = [n for n in numbers_in_prose(fee_text) if n.kind == "quantity"]
        if is_none_answer(fee_text) or (_FEE_NONE.search(fee_text) and not stated_numbers):
            values["fee_none"] = ""
        else:
            fee_items = ctx.items("fee")
            if fee_items:
                values["fee"] = ItemList(fee_items, ctx.style)
    elif not is_2019:
        values["todo_fee"] = placeholder(NARRATIVE_BY_KEY["fee"].label)
    if notices is not None and notices > 0:
        values["fee_notices"] = format_number(notices)
        if "fee" not in values and "fee_none" not in values:
            ctx.notes.append(fill("sections/notes/fee_notice", n=format_number(notices)))
    other = ctx.items("other_matters")
    if other:
        values["other"] = ItemList(other, ctx.style)
    else:
        values["other_none"] = ""
    comp = Composition()
    comp.extend(compose(choose("sections/s6_v", ctx.variant), values))
    return comp


def make_context(report: Report, variant: int) -> DraftContext:
    """The context for drafting one section of ``report`` in wording ``variant``."""
    agency = report.agency.strip() or "本机关"
    year = str(report.report_year) if report.report_year else placeholder("报告年度")
    return DraftContext(report, variant, self_word(report.agency), agency, year, allowed_numbers(report))
