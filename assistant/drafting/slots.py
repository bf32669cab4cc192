"""The narrative facts the sections 一/五/六 need, asked for by the dialogue and used by drafting."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NarrativeFact:
    key: str
    label: str  # Chinese, shown in questions and the UI
    section: str  # "s1" | "s5" | "s6"
    subpart: int | None = None  # index into section 一's five sub-parts


NARRATIVE_FACTS: tuple[NarrativeFact, ...] = (
    NarrativeFact("proactive", "主动公开情况（公开渠道、数量、重点领域、政策解读）", "s1", 0),
    NarrativeFact("applications", "依申请公开办理情况（是否均在法定期限内答复等补充说明）", "s1", 1),
    NarrativeFact("info_management", "政府信息管理（公开属性认定、保密审查、规范性文件清理等）", "s1", 2),
    NarrativeFact("platform", "平台建设（网站专栏、政务新媒体、公开栏、政务公开专区）", "s1", 3),
    NarrativeFact("supervision", "监督保障（组织领导、培训、工作考核、社会评议、责任追究）", "s1", 4),
    NarrativeFact("problems", "存在的主要问题", "s5"),
    NarrativeFact("measures", "改进措施及上年度问题整改情况", "s5"),
    NarrativeFact("fee", "信息处理费收取情况", "s6"),
    NarrativeFact("other_matters", "其他需要报告的事项（政务公开要点落实、建议提案办理公开、创新做法等）", "s6"),
)

NARRATIVE_BY_KEY = {f.key: f for f in NARRATIVE_FACTS}
