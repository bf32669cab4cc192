"""An application register (one row per application, CSV or .xlsx) → table 三 for the report year.

Counting rules (format_spec.md §5.4, T3-3):
- 本年新收: received in the report year.
- 上年结转: received before the year and not answered before 1 January.
- 办理结果 rows: answered (a final result with an answer date) within the year.
- 结转下年度: received by 31 December and not answered by then (so 一 + 二 = （七） + 四 by construction).
Results and applicant types are matched with the words clerks use; an unknown word, an unreadable date or a
missing answer date is listed with its row numbers and the application is not counted (never guessed).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from lxml import etree

from ..errors import ImportFailed
from ..facts import CellFact, CellStatus, Provenance, Report
from ..formats import ReportFormat, format_for_year
from ..textnorm import normalize_text
from .result import ImportResult

ProgressCallback = Callable[[int, int | None], None]
PROGRESS_EVERY = 5000

ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "received": (
        "申请日期",
        "收到日期",
        "受理日期",
        "收件日期",
        "申请时间",
        "收到时间",
        "受理时间",
        "登记日期",
        "接收日期",
        "收文日期",
        "提交日期",
        "申请收到日期",
    ),
    "applicant": ("申请人类型", "申请人性质", "申请人身份", "申请人类别", "申请主体类型", "申请人分类", "申请人种类"),
    "result": ("办理结果", "答复结果", "处理结果", "答复类型", "处理情况", "办理情况", "答复情况", "答复意见类型"),
    "answered": (
        "答复日期",
        "办结日期",
        "办理完成日期",
        "答复时间",
        "办结时间",
        "完成日期",
        "回复日期",
        "告知日期",
        "答复办结日期",
        "办理完结日期",
    ),
    "reason": ("不予公开理由", "具体情形", "具体理由", "理由", "原因", "不予公开原因", "情形"),
}
_HEADER_CLEAN = re.compile(r"[\s*＊:：]+|[（(][^）)]*[）)]")

# ---- applicant types -------------------------------------------------------------------------------------
_APPLICANT_EXACT = {
    "自然人": "natural_person",
    "商业企业": "business",
    "科研机构": "research",
    "社会公益组织": "public_interest",
    "法律服务机构": "legal_service",
    "其他": "other",
    "其他组织": "other",
    "其他法人或组织": "other",
}
_APPLICANT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("legal_service", ("律师事务所", "律所", "法律服务", "律师", "公证处", "法律援助", "司法鉴定")),
    ("research", ("科研", "研究所", "研究院", "研究中心", "大学", "高校", "学院")),
    ("public_interest", ("公益", "基金会", "慈善", "志愿")),
    ("business", ("企业", "公司", "个体工商户", "商户", "厂", "合作社")),
    ("natural_person", ("自然人", "个人", "公民", "群众", "居民", "村民", "农民")),
)

# ---- results -------------------------------------------------------------------------------------------
_PENDING = re.compile(
    r"^(?:办理中|正在办理|未办结|未答复|待答复|待办|处理中|受理中|延期答复|延期办理|延期|在办|审核中|未完成|尚未办结|未结|办理期限内)$"
)
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("partly_disclosed", ("部分公开",)),
    ("withheld", ("不予公开", "不公开")),
    ("unavailable", ("无法提供",)),
    ("not_processed", ("不予处理",)),
    ("other_handling", ("其他处理",)),
)
_REASONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("withheld", "withheld_1", ("国家秘密", "涉密")),
    ("withheld", "withheld_2", ("法律行政法规禁止", "法律法规禁止", "行政法规禁止", "法律禁止")),
    ("withheld", "withheld_3", ("三安全一稳定", "国家安全", "公共安全", "经济安全", "社会稳定")),
    ("withheld", "withheld_4", ("第三方", "商业秘密", "个人隐私", "隐私")),
    ("withheld", "withheld_5", ("内部事务", "人事管理", "后勤管理", "内部工作流程", "内部管理")),
    ("withheld", "withheld_6", ("过程性", "讨论记录", "过程稿", "磋商信函", "请示报告")),
    ("withheld", "withheld_7", ("行政执法案卷", "执法案卷")),
    ("withheld", "withheld_8", ("行政查询", "查询事项")),
    ("unavailable", "unavailable_3", ("补正后申请内容仍不明确", "补正后仍不明确", "仍不明确", "内容不明确")),
    ("unavailable", "unavailable_1", ("不掌握", "信息不存在", "不存在", "非本机关", "不属于本机关", "无此信息")),
    ("unavailable", "unavailable_2", ("另行制作", "没有现成", "无现成", "需要加工", "加工分析")),
    ("not_processed", "not_processed_1", ("信访", "举报", "投诉")),
    ("not_processed", "not_processed_2", ("重复申请", "重复")),
    ("not_processed", "not_processed_3", ("公开出版物", "出版物")),
    ("not_processed", "not_processed_4", ("大量反复", "无正当理由大量")),
    ("not_processed", "not_processed_5", ("确认或重新出具", "重新出具", "要求确认", "要求行政机关确认")),
    ("other_handling", "other_handling_1", ("逾期不补正", "逾期未补正", "未补正", "不补正", "未按要求补正")),
    ("other_handling", "other_handling_2", ("未缴费", "未缴纳", "未按收费通知", "逾期未缴", "未交费")),
    ("other_handling", "other_handling_3", ("撤回", "其他处理-其他", "其他处理其他")),
)
_DISCLOSED = ("予以公开", "同意公开", "全部公开", "已公开", "公开")
_RESULT_CLEAN = re.compile(r"[\s\-—_/／、,，.。:：;；()（）\[\]【】“”\"'<>《》]+")

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)
_BAD = object()


def _clean_header(h: Any) -> str:
    return _HEADER_CLEAN.sub("", normalize_text(str(h or "")))


def header_roles(row: Iterable[Any]) -> dict[str, int]:
    """Column index of each recognised role in a header row (first match wins)."""
    roles: dict[str, int] = {}
    cleaned = [_clean_header(h) for h in row]
    for role, words in ROLE_SYNONYMS.items():
        for i, h in enumerate(cleaned):
            if h in words and i not in roles.values():
                roles.setdefault(role, i)
        if role not in roles:
            for i, h in enumerate(cleaned):
                if i not in roles.values() and any(w in h for w in words if len(w) >= 4):
                    roles[role] = i
                    break
    return roles


def is_register_header(row: Iterable[Any]) -> bool:
    roles = header_roles(row)
    return "received" in roles and ("result" in roles or "applicant" in roles)


def classify_applicant(raw: str) -> str | None:
    """Applicant column id of table 三 for a type written by a clerk, None when unclear."""
    s = _RESULT_CLEAN.sub("", normalize_text(raw))
    if s in _APPLICANT_EXACT:
        return _APPLICANT_EXACT[s]
    if not s or "法人或其他组织" in s:
        return None
    for col, words in _APPLICANT_WORDS:
        if any(w in s for w in words):
            return col
    if s.startswith("其他"):
        return "other"
    return None


@dataclass(frozen=True)
class Outcome:
    """A result word read: pending, a table 三 row id, or unclear (with the reason in Chinese)."""

    kind: str  # "pending" | "row" | "unclear"
    row: str = ""
    reason: str = ""


def classify_result(raw: str, fmt: ReportFormat) -> Outcome:
    """Map a result as clerks write it ("不予公开-国家秘密", "信息不存在", "逾期未补正") to a row of table 三."""
    s = _RESULT_CLEAN.sub("", normalize_text(raw))
    if not s or _PENDING.match(s):
        return Outcome("pending")
    group = next((g for g, words in _GROUPS if any(w in s for w in words)), None)
    rest = s
    for _, words in _GROUPS:
        for w in words:
            rest = rest.replace(w, "")
    reasons = {(g, r) for g, r, words in _REASONS if any(w in rest for w in words)}
    if group == "partly_disclosed":
        return Outcome("row", "partly_disclosed")
    if len(reasons) > 1:
        return Outcome("unclear", reason="同时符合多种情形")
    if reasons:
        g, r = reasons.pop()
        if group is not None and group != g:
            return Outcome("unclear", reason="办理结果与具体情形不一致")
        row_ids = {row.id for row in fmt.table3_rows}
        if r not in row_ids and g == "other_handling" and "other_handling" in row_ids:
            r = "other_handling"  # 2019 format: （六）其他处理 is one row
        return Outcome("row", r)
    row_ids = {row.id for row in fmt.table3_rows}
    if group == "other_handling" and "other_handling" in row_ids:
        return Outcome("row", "other_handling")  # 2019 format: one row
    if group == "other_handling" and rest.lstrip("0123456789") in ("其他", "其它"):
        return Outcome("row", "other_handling_3")
    if group is not None:
        return Outcome("unclear", reason="没有写明具体情形")
    if any(w in s for w in _DISCLOSED):
        return Outcome("row", "disclosed")
    return Outcome("unclear", reason="无法识别")


def parse_date(raw: Any) -> date | None | object:
    """A date from a cell: date/datetime, Excel serial number, "2025-03-01", "2025年3月1日", "20250301".
    None for an empty cell, ``_BAD`` for anything unreadable."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 20000 < raw < 80000:
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raw = str(int(raw)) if float(raw).is_integer() else str(raw)
    s = normalize_text(str(raw)).strip()
    if not s:
        return None
    m = _DATE.search(s) or _DATE_COMPACT.match(s)
    if not m:
        return _BAD
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return _BAD
    return d if 1990 <= d.year <= 2100 else _BAD


@dataclass
class _Problems:
    unclear_results: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    unclear_applicants: dict[str, list[int]] = field(default_factory=dict)
    bad_dates: list[tuple[int, str, str]] = field(default_factory=list)
    missing_received: list[int] = field(default_factory=list)
    missing_answered: list[int] = field(default_factory=list)
    answered_before_received: list[int] = field(default_factory=list)
    no_answer_column_carried: int = 0
    excluded: int = 0


def _rows_text(rows: list[int], limit: int = 10) -> str:
    shown = "、".join(str(r) for r in rows[:limit])
    return f"第{shown}行" + (f"等，共{len(rows)}行" if len(rows) > limit else "")


class RegisterCounter:
    """Count applications row by row for one report year."""

    def __init__(self, year: int, roles: dict[str, int], headers: list[str]) -> None:
        self.year = year
        self.fmt = format_for_year(year)
        self.roles = roles
        self.headers = headers
        self.start = date(year, 1, 1)
        self.end = date(year, 12, 31)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.p = _Problems()
        self.rows_read = 0
        self.counted = 0
        self.outside = 0
        self._dates: dict[Any, Any] = {}
        self._results: dict[tuple[str, str], Outcome] = {}
        self._applicants: dict[str, str | None] = {}

    def _date(self, raw: Any) -> Any:
        key = raw if isinstance(raw, (str, int, float, date)) else str(raw)
        try:
            return self._dates[key]
        except KeyError:
            d = self._dates[key] = parse_date(raw)
            return d
        except TypeError:
            return parse_date(raw)

    def _cell(self, row: tuple[Any, ...] | list[Any], role: str) -> Any:
        i = self.roles.get(role)
        if i is None or i >= len(row):
            return None
        v = row[i]
        return v.strip() if isinstance(v, str) else v

    def add(self, rowno: int, row: tuple[Any, ...] | list[Any]) -> None:
        self.rows_read += 1
        recv_raw = self._cell(row, "received")
        recv = self._date(recv_raw)
        if recv is None:
            if any(v not in (None, "") for v in row):
                self.p.missing_received.append(rowno)
                self.p.excluded += 1
            return
        if recv is _BAD:
            self.p.bad_dates.append((rowno, self.headers[self.roles["received"]], str(recv_raw)))
            self.p.excluded += 1
            return
        if recv > self.end:
            self.outside += 1
            return
        has_answer_col = "answered" in self.roles
        ans_raw = self._cell(row, "answered")
        ans = self._date(ans_raw) if has_answer_col else None
        if recv < self.start and isinstance(ans, date) and ans < self.start:
            self.outside += 1  # answered in an earlier year: not part of this report
            return
        problem = False
        if ans is _BAD:
            self.p.bad_dates.append((rowno, self.headers[self.roles["answered"]], str(ans_raw)))
            problem = True
        result_raw = str(self._cell(row, "result") or "")
        reason_raw = str(self._cell(row, "reason") or "")
        key = (result_raw, reason_raw)
        outcome = self._results.get(key)
        if outcome is None:
            outcome = self._results[key] = classify_result(f"{result_raw} {reason_raw}".strip(), self.fmt)
        if outcome.kind == "pending" and not result_raw and isinstance(ans, date):
            outcome = Outcome("unclear", reason="为空，但填写了答复日期")
        if outcome.kind == "unclear":
            shown = result_raw + (f"（{reason_raw}）" if reason_raw else "")
            self.p.unclear_results.setdefault((shown, outcome.reason), []).append(rowno)
            problem = True
        app_raw = str(self._cell(row, "applicant") or "")
        col = self._applicants.get(app_raw, "?")
        if col == "?":
            col = self._applicants[app_raw] = classify_applicant(app_raw)
        if col is None:
            self.p.unclear_applicants.setdefault(app_raw, []).append(rowno)
            problem = True
        answered: date | None = None
        if outcome.kind == "row" and not problem:
            if isinstance(ans, date):
                answered = ans
                if ans < recv:
                    self.p.answered_before_received.append(rowno)
                    problem = True
            elif has_answer_col:
                self.p.missing_answered.append(rowno)
                problem = True
            elif recv >= self.start:
                answered = self.end  # no answer-date column: counted as answered this year (warned once)
            else:
                self.p.no_answer_column_carried += 1
                problem = True
        if problem:
            self.p.excluded += 1
            return
        assert col is not None
        self.counted += 1
        self.counts[("received" if recv >= self.start else "carried_in", col)] += 1
        if answered is not None and answered <= self.end:
            self.counts[(outcome.row, col)] += 1
        else:
            self.counts[("carried_out", col)] += 1

    def report(self, ref: str | None) -> Report:
        cells: dict[str, CellFact] = {}
        prov = Provenance(source="import", ref=ref, evidence="申请登记表统计")
        rows = [r.id for r in self.fmt.table3_rows if r.id != "result_total"]
        for r in rows:
            for c in self.fmt.applicant_part_columns:
                n = self.counts.get((r, c.id), 0)
                cells[f"t3.{r}.{c.id}"] = CellFact(status=CellStatus.VALUE, value=Decimal(n), provenance=prov)
        return Report(report_year=self.year, format_id=self.fmt.id, cells=cells)

    def messages(self) -> tuple[list[str], list[str]]:
        """(unread, warnings) in Chinese."""
        p = self.p
        unread: list[str] = []
        for (word, why), rows in p.unclear_results.items():
            shown = f"“{word}”" if word else ("" if why.startswith("为空") else "为空，")
            unread.append(f"办理结果{shown}{why}（{_rows_text(rows)}），这些申请未计入表三")
        for word, rows in p.unclear_applicants.items():
            shown = f"“{word}”无法对应表三的申请人类型" if word else "为空"
            unread.append(f"申请人类型{shown}（{_rows_text(rows)}），这些申请未计入表三")
        for rowno, col, raw in p.bad_dates[:20]:
            unread.append(f"第{rowno}行：“{col}”中的“{raw}”不是可识别的日期，该申请未计入表三")
        if len(p.bad_dates) > 20:
            unread.append(f"另有{len(p.bad_dates) - 20}行日期无法识别，这些申请未计入表三")
        if p.missing_received:
            unread.append(f"缺少申请日期（{_rows_text(p.missing_received)}），这些申请未计入表三")
        if p.missing_answered:
            unread.append(
                f"有办理结果但没有答复日期（{_rows_text(p.missing_answered)}），无法判断是否在本年度办结，这些申请未计入表三"
            )
        if p.answered_before_received:
            unread.append(f"答复日期早于申请日期（{_rows_text(p.answered_before_received)}），这些申请未计入表三")
        if p.no_answer_column_carried:
            unread.append(
                f"登记表没有答复日期列，{p.no_answer_column_carried}件上年度收到的申请无法判断是否在本年度办结，未计入表三"
            )
        warnings: list[str] = []
        if "answered" not in self.roles:
            warnings.append(
                f"登记表没有答复日期列：本年度收到且已有办理结果的申请，均按在{self.year}年内办结统计，请核对"
            )
        if p.excluded:
            warnings.append(
                f"登记表中共有{p.excluded}件申请因上述问题未计入表三，表三数字可能偏小，请在登记表中补正后重新导入"
            )
        return unread, warnings


def _csv_rows(text: str) -> tuple[list[list[str]], str]:
    sample = "\n".join(text.split("\n", 20)[:20])
    counts = {d: sample.count(d) for d in (",", "\t", ";", "，")}
    delim = max(counts, key=lambda d: counts[d])
    if delim == "，":
        text = text.replace("，", ",")
        delim = ","
    return list(csv.reader(io.StringIO(text), delimiter=delim)), delim


def looks_like_register_text(text: str) -> bool:
    """True when one of the first lines of a delimited text is a register header."""
    head = "\n".join(text.split("\n", 15)[:15])
    if not any(d in head for d in (",", "\t", ";", "，")):
        return False
    try:
        rows, _ = _csv_rows(head)
    except csv.Error:
        return False
    return any(is_register_header(r) for r in rows[:15])


Numbered = Iterator[tuple[int, list[Any] | tuple[Any, ...]]]


def _find_header(rows: Numbered) -> tuple[int, list[Any]] | None:
    for n, (rowno, row) in enumerate(rows, start=1):
        if is_register_header(row):
            return rowno, list(row)
        if n >= 15:
            break
    return None


def _count(
    rows: Numbered,
    header: list[Any],
    year: int | None,
    total: int | None,
    progress: ProgressCallback | None,
    ref: str | None,
    source: str,
) -> ImportResult:
    roles = header_roles(header)
    headers = [str(h or "") for h in header]
    missing = [name for role, name in (("applicant", "申请人类型"), ("result", "办理结果")) if role not in roles]
    if missing:
        raise ImportFailed(
            f"登记表缺少“{'”“'.join(missing)}”列（可用的列名如：申请人类型/申请人性质/申请人身份，"
            "办理结果/答复结果/处理结果），无法统计表三"
        )
    inferred = False
    if year is None:
        # the report year the data is about: the year most applications were received in
        materialised = list(rows)
        years = Counter(
            d.year for _, r in materialised if isinstance(d := parse_date(_get(r, roles["received"])), date)
        )
        if not years:
            raise ImportFailed("登记表中没有可识别的申请日期，无法统计，请检查“申请日期”列")
        year = years.most_common(1)[0][0]
        inferred = True
        rows = iter(materialised)
    counter = RegisterCounter(year, roles, headers)
    done = 0
    for rowno, row in rows:
        counter.add(rowno, row)
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(done, done)
    unread, warnings = counter.messages()
    if inferred:
        warnings.insert(0, f"没有指定报告年度，按登记表中申请最多的年份统计为{year}年度，请核对")
    report = counter.report(ref)
    stats = {
        "rows_read": counter.rows_read,
        "applications_counted": counter.counted,
        "applications_excluded": counter.p.excluded,
        "rows_outside_year": counter.outside,
    }
    return ImportResult(report=report, kind="register", source=source, unread=unread, warnings=warnings, stats=stats)


def _get(row: tuple[Any, ...] | list[Any], i: int) -> Any:
    return row[i] if i < len(row) else None


def import_register_text(
    text: str, *, year: int | None, progress: ProgressCallback | None = None, ref: str | None = None
) -> ImportResult:
    """A CSV register (already decoded)."""
    try:
        rows, _ = _csv_rows(text)
    except csv.Error as e:
        raise ImportFailed(f"CSV文件格式有误（{e}），请用Excel或WPS另存为CSV后重试") from None
    numbered = enumerate(rows, start=1)
    found = _find_header(numbered)
    if found is None:
        raise ImportFailed("没有找到登记表的表头（需要“申请日期”“申请人类型”“办理结果”等列）")
    at, header = found
    return _count(numbered, header, year, len(rows) - at, progress, ref, "csv")


_NO_HEADER = (
    "Excel文件中没有找到申请登记表的表头（需要“申请日期”“申请人类型”“办理结果”等列）；"
    "如果这是年报表格，请把年报全文复制为文字后粘贴导入"
)


def import_register_xlsx(
    data: bytes, *, year: int | None, progress: ProgressCallback | None = None, ref: str | None = None
) -> ImportResult:
    """An .xlsx register: the first sheet that has a register header (streamed; openpyxl as a fallback)."""
    from .limits import check_xlsx
    from .xlsx import XlsxError, open_sheets

    check_xlsx(data)  # bounded before sheets and shared strings are read (and before the openpyxl fallback)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            sheets = open_sheets(zf)
            for n, sheet in enumerate(sheets):
                it = sheet.rows()
                found = _find_header(it)
                if found is None:
                    continue
                at, header = found
                sheet.wanted = set(header_roles(header).values())
                total = sheet.total_rows()
                result = _count(it, header, year, total - at if total else None, progress, ref, "xlsx")
                if len(sheets) > 1:
                    result.warnings.append(f"已读取工作表“{sheet.name or n + 1}”，其他工作表未读取")
                return result
    except (XlsxError, etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, OSError):
        return _import_xlsx_openpyxl(data, year=year, progress=progress, ref=ref)
    raise ImportFailed(_NO_HEADER)


def _import_xlsx_openpyxl(
    data: bytes, *, year: int | None, progress: ProgressCallback | None, ref: str | None
) -> ImportResult:
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise ImportFailed(
            f"Excel文件已损坏或不是有效的.xlsx文件（{type(e).__name__}），请在Excel或WPS中另存为.xlsx后重试"
        ) from None
    try:
        for ws in wb.worksheets:
            it = enumerate(ws.iter_rows(values_only=True), start=1)
            found = _find_header(it)
            if found is None:
                continue
            at, header = found
            total = ws.max_row - at if ws.max_row else None
            return _count(it, header, year, total, progress, ref, "xlsx")
    finally:
        wb.close()
    raise ImportFailed(_NO_HEADER)
