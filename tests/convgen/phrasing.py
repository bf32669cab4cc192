"""Shared phrasing pieces for the tuned families: names of rows and columns as clerks say them, joins, numbers."""

from __future__ import annotations

import random
from decimal import Decimal

from .numerals import write
from .truth import APPLICANTS, Truth

APPLICANT_NAMES = {
    "natural_person": ["自然人"], "business": ["商业企业", "企业"], "research": ["科研机构"],
    "public_interest": ["社会公益组织"], "legal_service": ["法律服务机构"], "other": ["其他"],
}
T3_ROW_NAMES = {
    "received": ["本年新收申请", "本年新收", "今年新收到的申请"],
    "carried_in": ["上年结转", "上年结转的申请"],
    "carried_out": ["结转下年度继续办理", "结转下年度"],
    "disclosed": ["予以公开"], "partly_disclosed": ["部分公开"],
    "withheld_1": ["属于国家秘密"], "withheld_2": ["其他法律行政法规禁止公开"],
    "withheld_3": ["危及“三安全一稳定”", "危及三安全一稳定"], "withheld_4": ["保护第三方合法权益"],
    "withheld_5": ["属于三类内部事务信息"], "withheld_6": ["属于四类过程性信息"],
    "withheld_7": ["属于行政执法案卷"], "withheld_8": ["属于行政查询事项"],
    "unavailable_1": ["本机关不掌握相关政府信息", "本机关不掌握"], "unavailable_2": ["没有现成信息需要另行制作"],
    "unavailable_3": ["补正后申请内容仍不明确"],
    "not_processed_1": ["信访举报投诉类申请"], "not_processed_2": ["重复申请"],
    "not_processed_3": ["要求提供公开出版物"], "not_processed_4": ["无正当理由大量反复申请"],
    "not_processed_5": ["要求行政机关确认或重新出具已获取信息"],
    "other_handling_1": ["申请人无正当理由逾期不补正"], "other_handling_2": ["申请人逾期未按收费通知要求缴纳费用"],
    "other_handling_3": ["其他处理中的其他情形"], "other_handling": ["其他处理"],
}
GROUP_NAMES = {"withheld": "不予公开", "unavailable": "无法提供", "not_processed": "不予处理", "other_handling": "其他处理"}
T4_GROUP_NAMES = {"review": ["行政复议"], "suit_direct": ["未经复议直接起诉的行政诉讼", "行政诉讼中未经复议直接起诉的"],
                  "suit_after_review": ["复议后起诉的行政诉讼", "行政诉讼中复议后起诉的"]}
T4_COL_NAMES = {"upheld": ["结果维持"], "corrected": ["结果纠正"], "other_result": ["其他结果"], "pending": ["尚未审结"]}
T2_2021 = {
    ("rules", "issued"): "规章本年制发", ("rules", "repealed"): "规章本年废止", ("rules", "in_force"): "现行有效规章",
    ("normative", "issued"): "行政规范性文件本年制发", ("normative", "repealed"): "行政规范性文件本年废止",
    ("normative", "in_force"): "现行有效的行政规范性文件",
    ("licensing", "decisions"): "行政许可处理决定", ("penalty", "decisions"): "行政处罚决定",
    ("enforcement", "decisions"): "行政强制决定", ("admin_fee", "fee_amount"): "行政事业性收费",
}
T2_2019 = {
    ("rules", "made"): "规章本年新制作", ("rules", "published"): "规章本年新公开", ("rules", "public_total"): "规章对外公开总数量",
    ("normative", "made"): "规范性文件本年新制作", ("normative", "published"): "规范性文件本年新公开",
    ("normative", "public_total"): "规范性文件对外公开总数量",
    ("licensing", "prev_items"): "行政许可上一年项目数量", ("licensing", "change"): "行政许可本年增/减",
    ("licensing", "decisions"): "行政许可处理决定数量",
    ("other_services", "prev_items"): "其他对外管理服务事项上一年项目数量",
    ("other_services", "change"): "其他对外管理服务事项本年增/减",
    ("other_services", "decisions"): "其他对外管理服务事项处理决定数量",
    ("penalty", "prev_items"): "行政处罚上一年项目数量", ("penalty", "change"): "行政处罚本年增/减",
    ("penalty", "decisions"): "行政处罚处理决定数量",
    ("enforcement", "prev_items"): "行政强制上一年项目数量", ("enforcement", "change"): "行政强制本年增/减",
    ("enforcement", "decisions"): "行政强制处理决定数量",
    ("admin_fee", "prev_items"): "行政事业性收费上一年项目数量", ("admin_fee", "change"): "行政事业性收费本年增/减",
    ("procurement", "proc_items"): "政府集中采购项目数量", ("procurement", "proc_amount"): "政府集中采购总金额",
}
CLOSINGS = ["其余没有说到的都是0。", "其他没提到的项目都为0。", "剩下的都是0。", "没说到的都是0。", "其他各项均为0。"]


def name(options: list[str], rng: random.Random) -> str:
    return rng.choice(options)


def row_name(row: str, rng: random.Random) -> str:
    return rng.choice(T3_ROW_NAMES[row])


def applicant(col: str, rng: random.Random) -> str:
    return rng.choice(APPLICANT_NAMES[col])


def num(v: Decimal, rng: random.Random, style: str = "arabic") -> str:
    """A count (or an amount, always Arabic) in the given numeral style."""
    if v != v.to_integral_value():
        return format(v.normalize(), "f")
    return write(int(v), style, rng)


def join(parts: list[str], rng: random.Random) -> str:
    sep = rng.choice(["，", "、", "；"])
    return sep.join(parts)


def t2_names(truth: Truth) -> dict[tuple[str, str], str]:
    return T2_2021 if truth.format_id == "2021" else T2_2019


def t2_statement(truth: Truth, row: str, col: str, rng: random.Random, style: str = "arabic") -> str:
    """One table-2 cell in words, e.g. "行政处罚决定1230件", "行政事业性收费12.5万元", "行政许可本年增/减-2"."""
    label = t2_names(truth)[(row, col)]
    v = truth.get("table2", row, col)
    if col == "fee_amount" or col == "proc_amount":
        return f"{label}{format(v.normalize(), 'f')}万元"
    if col == "change":
        if v > 0:
            return f"{label}为增加{num(v, rng, style)}项"
        if v < 0:
            return f"{label}为减少{num(-v, rng, style)}项"
        return f"{label}为0"
    unit = "项" if truth.format_id == "2019" and col in ("prev_items", "proc_items") else "件"
    return f"{label}{num(v, rng, style)}{unit}"


def intro(truth: Truth, rng: random.Random) -> str:
    return rng.choice([
        f"我是{truth.agency}的，要写{truth.year}年度政府信息公开工作年度报告。",
        f"单位全称是{truth.agency}，这次报{truth.year}年度的年报。",
        f"你好，我们{truth.agency}要起草{truth.year}年度的政府信息公开年报。",
    ])


def applicant_order(truth: Truth) -> list[str]:
    return [c for c in APPLICANTS]
