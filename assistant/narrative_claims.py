"""Read what the narrative states about the tables: "全年共收到政府信息公开申请12件" → (本年新收, 12).

Pure reading, no judgement: :mod:`assistant.checks` compares the claims with the table cells (N-1…N-4).
Text must already be normalised (:func:`assistant.textnorm.normalize_text`).

Conservative by design: a number is only claimed for a metric when a key phrase precedes it closely in the
same clause, in a sentence about 政府信息公开申请 (or 行政复议/诉讼). Changes ("同比增加3件"), other years
("2022年收到…") and other kinds of matters ("办结行政许可事项") are ignored; wording that suggests another
scope ("其中网上申请…") and approximate numbers ("约30件", "三十余件") are marked ``scoped`` so the checker asks
instead of asserting. Numbers are read by :func:`assistant.numbers.find_numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .formats import ReportFormat
from .numbers import NumberMention, find_numbers


@dataclass(frozen=True)
class Metric:
    """A quantity of the tables the text may state, and the cells whose effective values sum to it."""

    id: str
    rule: str  # "N-1" (table 三) | "N-2" (table 四)
    pattern: re.Pattern[str]
    cells: tuple[str, ...]
    what: str  # how messages name the table side
    breakdown: bool = False  # a part of the results: "其中予以公开8件" is the normal wording
    specific: bool = False  # the phrase only ever describes applications ("上年结转", "不予处理"): no context needed


@dataclass(frozen=True)
class Claim:
    metrics: tuple[Metric, ...]  # several when the text says "…和…共N件"
    value: Decimal
    quote: str  # the words the number came from
    section: str
    scoped: bool  # wording suggests a different scope: ask, do not assert


_T3_CONTEXT = re.compile(r"公开申请|依申请|申请公开|信息公开申请|申请信息公开|办理结果")
_T3_FOREIGN = re.compile(
    r"许可|审批|事项|信访|投诉|热线|工单|诉求|提案|建议|政务服务|来信|来访|意见|留言|咨询|来电|主动公开"
)
_T4_WORDS = re.compile(r"行政复议|行政诉讼|复议|诉讼")
_T4_RESULT_WORDS = re.compile(r"维持|纠正|其他结果|尚未审结|审结|撤销|驳回|败诉|胜诉|确认违法")
_SCOPE_WORDS = re.compile(
    r"其中|网上|网络|在线|当面|现场|信函|邮寄|传真|电子邮件|邮件|窗口|约|近|超过|多于|以上|累计|涉及|平均"
)
_CHANGE_WORDS = re.compile(r"同比|环比|较上年|比上年|较去年|比去年|较上一年|比上一年|增长|增加|减少|下降|上升|持平")
_OTHER_YEAR = re.compile(r"上一?年度?|去年|前年|((?:19|20)\d\d)年")
_COMBINE_WORDS = re.compile(r"共|合计|总计|一共|总共|累计")
_NEGATION_T3 = re.compile(r"(?:没有|未|无)(?:收到|受理|接到|接收)")
_NEGATION_T4 = re.compile(r"(?:没有|未|无)(?:出现|发生|产生|涉及|被)")
_NEGATION_SKIP = re.compile(r"不存在|按时|及时|逾期|期限|超期|超时")
_T3_UNITS = ("件", "件次", "宗")
_T4_UNITS = ("件", "件次", "起", "宗", "次", "个")
_ALL_UNITS = frozenset(_T3_UNITS + _T4_UNITS)
_YUAN = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
_MAX_GAP = 25  # characters between the key phrase and its number
SENTENCE_END = re.compile(r"[。；;！!？?\n]+")
CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]+")


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    """Split ``text`` at ``pattern`` → (offset, piece) for non-empty pieces."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((pos, text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append((pos, text[pos:]))
    return out


def sentences(text: str) -> list[tuple[int, str]]:
    """Sentences (split at 。；！？ and line breaks) with their offsets."""
    return spans(SENTENCE_END, text)


def clauses(sentence: str) -> list[tuple[int, str]]:
    """Clauses of one sentence (split at ，：) with their offsets in the sentence."""
    return spans(CLAUSE_END, sentence)


def stated_numbers(text: str, units: Iterable[str]) -> list[NumberMention]:
    """Numbers written with one of ``units`` ("12件", "十二件", "约30件"; not "第3件", not "20个工作日")."""
    wanted = frozenset(units)
    return [m for m in find_numbers(text) if m.unit in wanted and m.kind in ("count", "amount", "other")]


def metrics_for(fmt: ReportFormat) -> list[Metric]:
    """The metrics of a format, with the printed labels of their cells."""

    def lab(key: str) -> str:
        return fmt.cell(key).display_label

    def group(prefix: str) -> tuple[tuple[str, ...], str]:
        rows = [r for r in fmt.table3_rows if r.id.startswith(prefix)]
        cells = tuple(f"t3.{r.id}.total" for r in rows)
        if len(rows) == 1:
            return cells, lab(cells[0])
        return cells, f"表三「{rows[0].group}」各项总计之和"

    out = [
        Metric(
            "received",
            "N-1",
            re.compile(r"(?:新收|新受理|收到|受理|接收|接到)(?![点窗处台平中])"),
            ("t3.received.total",),
            lab("t3.received.total"),
        ),
        Metric(
            "carried_in",
            "N-1",
            re.compile(r"(?:上一?年度?|去年)(?:结转|转结|遗留)|结转上一?年度?"),
            ("t3.carried_in.total",),
            lab("t3.carried_in.total"),
            specific=True,
        ),
        Metric(
            "results",
            "N-1",
            re.compile(r"办结|办理完毕|处理完毕|答复完毕|已答复|作出答复"),
            ("t3.result_total.total",),
            lab("t3.result_total.total"),
        ),
        Metric(
            "carried_out",
            "N-1",
            re.compile(
                r"结转(?:至|到)?(?:下一?年度?|次年|(?:19|20)\d\d年度?)|(?<!上)转(?:入|至|到)?(?:下一?年度?|次年)"
            ),
            ("t3.carried_out.total",),
            lab("t3.carried_out.total"),
            specific=True,
        ),
        Metric(
            "disclosed", "N-1", re.compile(r"(?<!不)予以公开"), ("t3.disclosed.total",), lab("t3.disclosed.total"), True
        ),
        Metric(
            "partly",
            "N-1",
            re.compile(r"部分公开"),
            ("t3.partly_disclosed.total",),
            lab("t3.partly_disclosed.total"),
            True,
            True,
        ),
    ]
    for mid, word in (
        ("withheld", "不予公开"),
        ("unavailable", "无法提供"),
        ("not_processed", "不予处理"),
        ("other_handling", "其他处理"),
    ):
        cells, what = group(mid)
        out.append(Metric(mid, "N-1", re.compile(word), cells, what, True, mid != "other_handling"))
    out += [
        Metric("review", "N-2", re.compile(r"行政复议"), ("t4.review.total",), "表四「行政复议」总计"),
        Metric(
            "litigation",
            "N-2",
            re.compile(r"行政诉讼"),
            ("t4.suit_direct.total", "t4.suit_after_review.total"),
            "表四行政诉讼（未经复议直接起诉、复议后起诉）总计之和",
        ),
    ]
    return out


def find_claims(text: str, section: str, metrics: list[Metric], year: int | None) -> list[Claim]:
    """Numbers the text states for the metrics, in order."""
    out: list[Claim] = []
    sents = sentences(text)
    for i, (start, sent) in enumerate(sents):
        # the sentence before it in the same paragraph, or a heading line ("（二）依申请公开"), gives the context
        prev = ""
        if i:
            p_start, p_sent = sents[i - 1]
            if len(p_sent) <= 20 or "\n" not in text[p_start + len(p_sent) : start]:
                prev = p_sent
        about_applications = bool(_T3_CONTEXT.search(sent + prev))
        for _, clause in clauses(sent):
            out += _clause_claims(clause, section, metrics, year, about_applications)
    return out


@dataclass(frozen=True)
class _Keyword:
    start: int
    end: int
    metric: Metric


def _clause_claims(
    clause: str, section: str, metrics: list[Metric], year: int | None, about_applications: bool
) -> list[Claim]:
    if _T3_FOREIGN.search(clause) and not _T3_CONTEXT.search(clause):
        about_applications = False  # "办结行政许可事项120件": another kind of matter
    about_cases = bool(_T4_WORDS.search(clause))
    kws = sorted(
        (
            _Keyword(m.start(), m.end(), metric)
            for metric in metrics
            if metric.rule == "N-2" or ((about_applications or metric.specific) and not about_cases)
            for m in metric.pattern.finditer(clause)
        ),
        key=lambda k: k.start,
    )
    if not kws:
        return []
    rest = clause  # the clause without its key phrases ("上年结转" is not "another year")
    for k in kws:
        rest = rest[: k.start] + "□" * (k.end - k.start) + rest[k.end :]
    if _CHANGE_WORDS.search(rest):
        return []
    for m in _OTHER_YEAR.finditer(rest):
        if m.group(1) is None or (year and int(m.group(1)) != year):
            return []
    numbers = stated_numbers(clause, _ALL_UNITS)
    if not numbers:
        return _negation_claims(clause, kws, section)
    scoped = bool(_SCOPE_WORDS.search(rest))
    scoped_breakdown = bool(_SCOPE_WORDS.search(rest.replace("其中", "")))
    out: list[Claim] = []
    pending: list[_Keyword] = []
    quote_from = 0
    events: list[_Keyword | NumberMention] = sorted([*kws, *numbers], key=lambda x: x.start)
    for item in events:
        if isinstance(item, _Keyword):
            pending.append(item)
            continue
        num, quote = item, _quote(clause[quote_from : item.end])
        quote_from = num.end
        if not pending:
            continue
        last = pending[-1]
        between = clause[max(k.end for k in pending) : num.start]
        unit_ok = num.unit in (_T4_UNITS if last.metric.rule == "N-2" else _T3_UNITS)
        breakdown_of_cases = last.metric.rule == "N-2" and _T4_RESULT_WORDS.search(between)
        other_matter = last.metric.rule == "N-1" and _T3_FOREIGN.search(between)  # "收到咨询电话20件"
        if len(between) <= _MAX_GAP and unit_ok and not breakdown_of_cases and not other_matter:
            ms = tuple(dict.fromkeys(k.metric for k in pending))
            value = abs(num.value)
            if len(ms) > 1 and _COMBINE_WORDS.search(between):
                out.append(Claim(ms, value, quote, section, scoped or num.approximate))
            else:
                out += [
                    Claim(
                        (mt,), value, quote, section, (scoped_breakdown if mt.breakdown else scoped) or num.approximate
                    )
                    for mt in ms
                ]
        pending = []
    return out


def _quote(text: str, limit: int = 40) -> str:
    """The words a claim came from, without a 【待补充…】 placeholder before them, at most ``limit`` chars."""
    text = re.split(r"[】」]", text)[-1].strip(" 、，,和及并").strip()
    return text if len(text) <= limit else "…" + text[-limit:]


def _negation_claims(clause: str, kws: list[_Keyword], section: str) -> list[Claim]:
    """ "全年未收到政府信息公开申请" → received = 0; "没有发生行政复议、行政诉讼" → both 0."""
    if _NEGATION_SKIP.search(clause) or re.search(r"\d", clause):
        return []
    out: list[Claim] = []
    for rx, wanted in ((_NEGATION_T3, {"received"}), (_NEGATION_T4, {"review", "litigation"})):
        neg = rx.search(clause)
        if neg:
            out += [
                Claim((k.metric,), Decimal(0), _quote(clause), section, False)
                for k in kws
                if k.metric.id in wanted and k.start >= neg.start()
            ]
    return out


# ---- fees, years, periods, citations -------------------------------------------------------------------


def fee_amounts(text: str) -> list[Decimal]:
    """Amounts in yuan stated in sentences about the 信息处理费."""
    amounts: list[Decimal] = []
    for _, sent in sentences(text):
        if "处理费" in sent:
            amounts += [abs(m.value) * _YUAN[m.unit] for m in stated_numbers(sent, _YUAN)]
    return amounts


CITATION = re.compile(r"国办公开办函\s*[〔\[（(【]\s*(\d{4})\s*[〕\]）)】]\s*(\d+)\s*号")
DATE_RANGE = re.compile(
    r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日(?:起)?\s*(?:至|到|—|－|-|～|~)\s*(?:((?:19|20)\d\d)年)?(\d{1,2})月(\d{1,2})日"
)
_YEAR_REPORT = re.compile(r"((?:19|20)\d\d)年度?[^。，；,;]{0,30}?年度?报告")
_YEAR_REPORT_CONTEXT = re.compile(r"本报告|编制|特此|现将|予以公布|向社会公布|发布|公布如下")
LAST_YEAR_WORDS = re.compile(r"上年|去年|上一年|整改")


@dataclass(frozen=True)
class DateRange:
    text: str
    start: tuple[int, int, int]
    end: tuple[int, int, int]


def statistical_periods(sentence: str) -> list[DateRange]:
    """Date ranges in a sentence about the statistics ("数据统计期限为2023年1月1日至12月31日")."""
    if "统计" not in sentence:
        return []
    out = []
    for m in DATE_RANGE.finditer(sentence):
        y1, m1, d1, y2, m2, d2 = m.groups()
        out.append(DateRange(m.group(0), (int(y1), int(m1), int(d1)), (int(y2 or y1), int(m2), int(d2))))
    return out


def report_year_mentions(sentence: str) -> list[tuple[int, str]]:
    """Years the sentence gives this report ("现将2023年度政府信息公开工作年度报告公布如下"); mentions of last
    year's report ("针对上年报告中提出的问题") are not counted."""
    if not _YEAR_REPORT_CONTEXT.search(sentence) or LAST_YEAR_WORDS.search(sentence):
        return []
    return [(int(m.group(1)), m.group(0)) for m in _YEAR_REPORT.finditer(sentence)]
