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
from dataclasses import dataclass, replace
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
    # other cell sets the same words are commonly used for: "收到X件" counts 一 or 一+二 (with 上年结转)
    alternatives: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Claim:
    metrics: tuple[Metric, ...]  # several when the text says "…和…共N件"
    value: Decimal
    quote: str  # the words the number came from
    section: str
    scoped: bool  # wording suggests a different scope: ask, do not assert
    percent: Decimal | None = None  # "予以公开14件，占51.85%": the share the text gives this number
    percent_text: str = ""
    # the sentence states 上年结转 separately, so "收到X件" there means 一 alone (no 一+二 reading)
    strict: bool = False


_T3_CONTEXT = re.compile(r"公开申请|依申请|申请公开|信息公开申请|申请信息公开|办理结果")
_T3_FOREIGN = re.compile(
    r"许可|审批|事项|信访|投诉|热线|工单|诉求|提案|建议|政务服务|来信|来访|意见|留言|咨询|来电|主动公开"
)
_T4_WORDS = re.compile(r"行政复议|行政诉讼|复议|诉讼")
_T4_RESULT_WORDS = re.compile(r"维持|纠正|其他结果|尚未审结|审结|撤销|驳回|败诉|胜诉|确认违法")
_SCOPE_WORDS = re.compile(
    r"其中|网上|网络|在线|当面|现场|信函|邮寄|传真|电子邮件|邮件|窗口|约|近|超过|多于|以上|累计|涉及|平均|"
    r"全区|全市|全县|全省|全镇|全乡|全街道|全旗|各级|各部门|各单位|各乡镇|各街道|汇总|本级|系统内|备案|登记|"
    r"政府办|办公室|代表"
)
# keywords joined like this name one combined figure: "予以公开及部分公开42件" = （一）+（二）
_JOIN = re.compile(r"^(?:及|和|与|以及|或|、|及其)$")
_EACH = re.compile(r"各|均|都")
_RESPECTIVE = re.compile(r"分别")
_INCLUDES_CARRIED_IN = re.compile(r"(?:含|包含|包括)[^，,。；]{0,4}(?:上一?年度?|去年)(?:结转|转结)")
_PERCENT = re.compile(r"(?:占|占比|比例为|比例|比重为?)(?:为|约|达)?\s*$")
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
            alternatives=(("t3.received.total", "t3.carried_in.total"),),
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
        found: list[Claim] = []
        for c_start, clause in clauses(sent):
            tail = sent[c_start + len(clause) : c_start + len(clause) + 20]  # "，占51.85%" after the number
            found += _clause_claims(clause, section, metrics, year, about_applications, tail)
        if any(m.id == "carried_in" for cl in found for m in cl.metrics) and not _INCLUDES_CARRIED_IN.search(sent):
            found = [replace(cl, strict=True) for cl in found]
        out += found
    return out


@dataclass(frozen=True)
class _Keyword:
    start: int
    end: int
    metric: Metric


def _clause_claims(
    clause: str, section: str, metrics: list[Metric], year: int | None, about_applications: bool, tail: str = ""
) -> list[Claim]:
    if _T3_FOREIGN.search(clause) and not _T3_CONTEXT.search(clause):
        about_applications = False  # "办结行政许可事项120件": another kind of matter
    about_cases = bool(_T4_WORDS.search(clause))
    kws = sorted(
        (
            _Keyword(m.start(), m.end(), metric)
            for metric in metrics
            if metric.rule == "N-2"
            or ((about_applications or metric.specific or _joined_to_specific(metric, clause)) and not about_cases)
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
    respective: list[_Keyword] = []  # "予以公开、部分公开分别为9件、2件": one number each, in order
    quote_from = 0
    events: list[_Keyword | NumberMention] = sorted([*kws, *numbers], key=lambda x: x.start)
    for item in events:
        if isinstance(item, _Keyword):
            if respective:
                respective = []
            pending.append(item)
            continue
        num, quote = item, _quote(clause[quote_from : item.end])
        quote_from = num.end
        if not pending and respective:
            pending = [respective.pop(0)]
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
            joined = len(pending) > 1 and all(
                _JOIN.match(clause[a.end : b.start].strip()) for a, b in zip(pending, pending[1:], strict=False)
            )
            if len(ms) > 1 and _RESPECTIVE.search(between):
                respective = pending[1:]
                out.append(Claim((pending[0].metric,), value, quote, section, scoped or num.approximate))
            elif len(ms) > 1 and (
                _COMBINE_WORDS.search(between)
                or (joined and all(m.breakdown for m in ms) and not _EACH.search(between))
            ):
                sc = scoped_breakdown if all(m.breakdown for m in ms) else scoped
                out.append(Claim(ms, value, quote, section, sc or num.approximate))
            else:
                out += [
                    Claim(
                        (mt,), value, quote, section, (scoped_breakdown if mt.breakdown else scoped) or num.approximate
                    )
                    for mt in ms
                ]
            share = _share_after(clause + tail, num.end)
            if share is not None and out:
                out[-1] = replace(out[-1], percent=share[0], percent_text=share[1])
        pending = []
    return out


def _joined_to_specific(metric: Metric, clause: str) -> bool:
    """ "予以公开及部分公开42件": 予以公开 next to 部分公开 is about applications whatever the context."""
    return metric.id == "disclosed" and bool(re.search(r"(?<!不)予以公开(?:及|和|与|以及|、)?部分公开", clause))


def _share_after(clause: str, pos: int) -> tuple[Decimal, str] | None:
    """ "…14件，占51.85%" / "…14件（占比51.85%）": the percentage given right after a number."""
    for m in find_numbers(clause[pos : pos + 16]):
        if m.kind != "percent":
            continue
        before = clause[pos : pos + m.start]
        if _PERCENT.search(before.strip(" （(，,")) or not before.strip(" （(，,"):
            return m.value, (before.strip(" （(，,") + m.surface)
        return None
    return None


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


# ---- 现行有效 figures, enumeration slips ---------------------------------------------------------------------

_IN_FORCE = re.compile(r"现行有效")
_IN_FORCE_ROWS = (("normative", re.compile(r"规范性文件")), ("rules", re.compile(r"规章")))


@dataclass(frozen=True)
class InForceClaim:
    """ "现行有效规范性文件112件": the figure the text gives for a table 二 （一） 现行有效件数 row."""

    row: str  # "normative" | "rules"
    value: Decimal
    quote: str
    scoped: bool


def in_force_claims(text: str) -> list[InForceClaim]:
    """现行有效 figures in the text, with the table 二 row they describe (规范性文件 or 规章)."""
    out: list[InForceClaim] = []
    for _, sent in sentences(text):
        for _, clause in clauses(sent):
            m = _IN_FORCE.search(clause)
            if not m:
                continue
            rows = [row for row, rx in _IN_FORCE_ROWS if rx.search(clause)]
            if len(rows) != 1 or _CHANGE_WORDS.search(clause) or _OTHER_YEAR.search(clause):
                continue
            nums = [n for n in stated_numbers(clause, ("件", "个", "份", "部")) if n.start > m.start() - 12]
            if len(nums) != 1:
                continue
            n = nums[0]
            scoped = bool(_SCOPE_WORDS.search(clause)) or n.approximate or bool(re.search(r"库|清理|梳理|审查", clause))
            out.append(InForceClaim(rows[0], abs(n.value), _quote(clause[: n.end]), scoped))
    return out


_CN_ORDINALS = "一二三四五六七八九十"
_SUBHEADING = re.compile(r"[（(][一二三四五六七八九十\d]+[）)]|(?<![\d.])\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]、")
_ENUM = re.compile(r"(?:^|(?<=[。；;，,：:\s）)]))(十[一二三四五六七八九]?|[一二三四五六七八九])是")


@dataclass(frozen=True)
class NumberingSlip:
    """An enumeration "一是…二是…" that repeats or skips a number ("一是…三是…三是")."""

    sequence: tuple[str, ...]  # as printed: ("一是", "三是", "三是")
    quote: str


def _ordinal(word: str) -> int:
    if word.startswith("十"):
        return 10 + (_CN_ORDINALS.index(word[1]) + 1 if len(word) > 1 else 0)
    return _CN_ORDINALS.index(word) + 1


def numbering_slips(text: str) -> list[NumberingSlip]:
    """Enumerations in the text whose numbers do not run 一、二、三…; a new "一是" starts a new list."""
    runs: list[list[re.Match[str]]] = []
    breaks = [m.start() for m in _SUBHEADING.finditer(text)]
    last = -1
    for m in _ENUM.finditer(text):
        new_part = any(last < b < m.start() for b in breaks)  # a sub-heading "（四）…" starts new lists
        if _ordinal(m.group(1)) == 1 or not runs or new_part:
            runs.append([m])
        else:
            runs[-1].append(m)
        last = m.start()
    out: list[NumberingSlip] = []
    for run in runs:
        values = [_ordinal(m.group(1)) for m in run]
        if len(values) < 2 or values[0] != 1 or values == list(range(1, len(values) + 1)):
            continue  # a list whose "一是" was not recognised is not judged
        start, end = run[0].start(), run[-1].end()
        quote = text[start:end] if end - start <= 60 else text[start : start + 20] + "…" + text[end - 20 : end]
        out.append(NumberingSlip(tuple(f"{m.group(1)}是" for m in run), quote))
    return out
