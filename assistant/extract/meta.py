"""Who is reporting and for which year: agency name, administrative level, report year, format.

The agency is kept as the clerk wrote it ("萧江镇", "平阳县市场监督管理局"); the dialogue confirms it. A township's
internal office ("萧江镇党政办") reports for the township, so the name is cut to the township; a government's
general office ("县政府办", "市政府办公室") compiles that government's report.
"""

from __future__ import annotations

import re

from ..facts import AgencyLevel
from ..numbers import find_numbers

_NAME_CHAR = r"[^\s\d\W的是在了和与及我们你他她这那个有为将把被从向]"
_UNIT = r"(?:自治州|自治县|自治旗|特别行政区|新区|开发区|高新区|省|市|州|盟|县|区|旗|镇|乡|街道|苏木)"
_GOV_SUFFIX = r"(?:人民政府|政府|街道办事处|办事处)"
_ADMIN = rf"(?:{_NAME_CHAR}{{2,9}}?{_UNIT}|{_NAME_CHAR}{_UNIT}(?={_GOV_SUFFIX}|[^\u4e00-\u9fff]|$))"
_DEPT_CHAR = r"[^\s\d\W的是在了我们你他她这那个有为将把被从向]"  # 和/与/及 allowed: 住房和城乡建设局
_DEPT = rf"(?:{_DEPT_CHAR}{{0,14}}(?:局|委员会|委|办公室|办|厅|署|部|中心|事务所|服务中心|管委会|管理处))"
_AGENCY = re.compile(rf"(?P<admin>{_ADMIN}(?:{_ADMIN}){{0,3}})(?P<gov>{_GOV_SUFFIX})?(?P<dept>{_DEPT})?")
_INTERNAL_OFFICE = re.compile(r"^(.+?(?:局|委员会|委|厅|署|中心))(?:办公室|办|政务公开科|综合科|科|股|处)$")
_TRIGGER = re.compile(
    r"(?:我是|我们是|我这边是|这里是|本单位是|我单位是|单位是|我们单位是|我们单位|本单位|我单位|来自|我在|我是来自|"
    r"单位名称[是为:：]?|单位全称[是为:：]?|全称[是为:：]?|机关名称[是为:：]?|报告单位[是为:：]?|单位[:：])\s*"
)
_GREETING = re.compile(r"^\s*(?:(?:你好|您好|喂|哈喽|老师好|领导好)[，,！!。~\s]*)+")
_TOWNSHIP_UNITS = ("镇", "乡", "街道", "苏木")
_COUNTY_UNITS = ("县", "区", "旗", "自治县", "自治旗", "新区", "开发区", "高新区")
_CITY_UNITS = ("市", "州", "盟", "自治州")
_GOV_OFFICES = ("政府办", "政府办公室", "人民政府办公室", "政府办公厅", "人民政府办公厅")
_TOWNSHIP_OFFICES = ("党政办", "党政办公室", "党政综合办", "党政综合办公室", "办公室", "综合办", "政府办", "党政办公")

_LEVEL_WORDS = (
    ("县级人民政府", AgencyLevel.COUNTY_GOV),
    ("市级人民政府", AgencyLevel.CITY_GOV),
    ("省级人民政府", AgencyLevel.PROVINCE_GOV),
    ("县级部门", AgencyLevel.COUNTY_DEPT),
    ("市级部门", AgencyLevel.CITY_DEPT),
    ("省级部门", AgencyLevel.PROVINCE_DEPT),
    ("乡镇", AgencyLevel.TOWNSHIP),
    ("街道", AgencyLevel.TOWNSHIP),
    ("县政府", AgencyLevel.COUNTY_GOV),
    ("区政府", AgencyLevel.COUNTY_GOV),
    ("市政府", AgencyLevel.CITY_GOV),
    ("省政府", AgencyLevel.PROVINCE_GOV),
    ("县直部门", AgencyLevel.COUNTY_DEPT),
    ("县直单位", AgencyLevel.COUNTY_DEPT),
    ("区直部门", AgencyLevel.COUNTY_DEPT),
    ("市直部门", AgencyLevel.CITY_DEPT),
    ("市直单位", AgencyLevel.CITY_DEPT),
)

_YEAR_CONTEXT_AFTER = re.compile(r"^\s*(?:年度|年的?(?:政府信息公开)?(?:工作)?(?:年度报告|年报|报告)|年的?年报)")
_YEAR_CONTEXT_BEFORE = re.compile(r"(?:报告年度|年度|报|写|编|做|编写|填报|填)(?:的是|是|为|:|：)?\s*$")
_FORMAT_WORDS = re.compile(r"格式|版式|模板|样式|版本|表样")


def _last_unit(admin: str) -> str:
    for u in sorted((*_TOWNSHIP_UNITS, *_COUNTY_UNITS, *_CITY_UNITS, "省", "特别行政区"), key=len, reverse=True):
        if admin.endswith(u):
            return u
    return ""


def classify_level(admin: str, gov: str | None, dept: str | None) -> AgencyLevel | None:
    """The administrative level of an agency from its parts ("萧江镇", None, "党政办" → 乡镇（街道）)."""
    unit = _last_unit(admin)
    if unit in _TOWNSHIP_UNITS:
        return AgencyLevel.TOWNSHIP
    is_gov_office = bool(dept) and (dept in _GOV_OFFICES or (bool(gov) and dept in ("办", "办公室", "办公厅")))
    if dept and not is_gov_office:
        if dept.endswith("厅") or unit == "省":
            return AgencyLevel.PROVINCE_DEPT
        if unit in _COUNTY_UNITS:
            return AgencyLevel.COUNTY_DEPT
        if unit in _CITY_UNITS:
            return AgencyLevel.CITY_DEPT
        return None
    if unit in _COUNTY_UNITS:
        return AgencyLevel.COUNTY_GOV
    if unit in _CITY_UNITS:
        return AgencyLevel.CITY_GOV
    if unit in ("省", "特别行政区"):
        return AgencyLevel.PROVINCE_GOV
    return None


def find_agency(text: str, *, anywhere: bool = False) -> tuple[str, AgencyLevel | None] | None:
    """The agency a clerk introduces ("我是萧江镇党政办的" → ("萧江镇", 乡镇（街道）)), or None.

    Without ``anywhere`` only a name after 我是/我们是/单位是… or at the very start of the text counts, so
    place names inside a narrative are not taken for the agency.
    """
    starts = [m.end() for m in _TRIGGER.finditer(text[:400])]
    if anywhere or not starts:
        greeting = _GREETING.match(text)
        starts.insert(0, greeting.end() if greeting else len(text) - len(text.lstrip()))
    for pos in starts:
        verb = LEADING_VERB.match(text, pos)
        pos = verb.end() if verb else pos  # never a verb in a name ("起草温州市人民政府…")
        m = _AGENCY.match(text, pos)
        if not m:
            continue
        admin, gov, dept = m.group("admin"), m.group("gov"), m.group("dept")
        unit = _last_unit(admin)
        if len(admin) - len(unit) < 2 and not gov and not dept:
            continue  # "本市", "全县"
        level = classify_level(admin, gov, dept)
        if unit in _TOWNSHIP_UNITS:
            name = admin + (gov or "")
            if dept and dept not in _TOWNSHIP_OFFICES:
                name += dept
        elif dept and (dept in _GOV_OFFICES or (gov and dept in ("办", "办公室", "办公厅"))):
            name = admin + (gov or "")
        else:
            if dept:
                dept = _INTERNAL_OFFICE.sub(r"\1", dept)
            name = admin + (gov or "") + (dept or "")
        return name, level
    return None


def find_level(text: str) -> AgencyLevel | None:
    """A level named in words ("我们是县级部门", "乡镇")."""
    for word, level in _LEVEL_WORDS:
        if word in text:
            return level
    return None


def explicit_level(text: str) -> AgencyLevel | None:
    """A level the clerk names outright ("我们算县级部门"), which wins over one read from the agency's name."""
    for word, level in _LEVEL_WORDS[:6]:
        if word in text:
            return level
    return None


def county_level_city(level: AgencyLevel | None, text: str) -> AgencyLevel | None:
    """ "瑞安是县级市": a county-level city's bodies are county-level, though the name ends in 市."""
    if level is not None and re.search(r"县级市|县级的市|县级城市", text):
        return {AgencyLevel.CITY_GOV: AgencyLevel.COUNTY_GOV, AgencyLevel.CITY_DEPT: AgencyLevel.COUNTY_DEPT}.get(
            level, level
        )
    return level


def find_report_year(text: str, *, asked: bool = False) -> int | None:
    """The report year stated ("2023年度的年报", "写2022年的"); with ``asked`` any single year counts."""
    years: set[int] = set()
    for m in find_numbers(text, whole_text_bare=True):
        if m.approximate or m.value != int(m.value):
            continue
        y = int(m.value)
        if not 2008 <= y <= 2100:
            continue
        if m.kind == "year":
            after = text[m.end - (2 if m.unit == "年度" else 1 if m.unit == "年" else 0) :]
            before = text[max(0, m.start - 8) : m.start]
            if m.unit == "年度" or _YEAR_CONTEXT_AFTER.match(after) or _YEAR_CONTEXT_BEFORE.search(before) or asked:
                years.add(y)
        elif asked and m.kind in ("count", "docno") and m.number_text.isdigit() and len(m.number_text) == 4:
            years.add(y)
    return years.pop() if len(years) == 1 else None


def find_format(text: str) -> str | None:
    """A format named explicitly: "2019试行格式" → "2019", "2021格式"/"新格式" → "2021"."""
    if "试行" in text and ("格式" in text or "版" in text):
        return "2019"
    if not _FORMAT_WORDS.search(text):
        return None
    if re.search(r"其他处理(?:没有|未|不)(?:细分|分项|拆分)|23行", text):
        return "2021-23"
    if re.search(r"2019|老格式|旧格式|旧版|老版", text):
        return "2019"
    if re.search(r"2021|新格式|现行格式|新版", text):
        return "2021"
    return None


# ---- identity from chat: full names, short forms, verbs ---------------------------------------------------------

_FULL_NAME = re.compile(r"(?:单位全称|机关全称|全称|单位名称|机关名称|报告单位)(?:应该|应当|应)?(?:是|为|叫|：|:)\s*[“\"「]?"
                        r"(?P<name>[^，,。；;！!？?\s“”\"「」()（）]{2,40})")
_FULL_SUFFIX = re.compile(r"(?:人民政府|办事处|局|委员会|委|办公室|办|厅|署|中心|院|所|队|站|管委会|管理处|分局|支队|大队|人民政府.+)$")
# verbs a clerk writes before the name ("起草温州市人民政府2024年…", "帮我写萧江镇的年报")
LEADING_VERB = re.compile(
    r"(?:请|麻烦|帮我|帮忙|给我|我要|我们要|要|想|准备|正在|现在|开始|需要)*"
    r"(?:起草|撰写|编写|编制|编|写|做|制作|填报|填写|生成|出|弄|整理|补写|补做)(?:一下|一份|一个|下)?"
)
_SHORT_TOWNSHIP = re.compile(r"^(?P<place>.{2,12}?(?:镇|乡|苏木))$")
_SHORT_STREET = re.compile(r"^(?P<place>.{2,12}?街道)$")
_SHORT_GOV = re.compile(r"^(?P<place>.{2,12}?(?:省|市|州|盟|县|区|旗))(?:政府)?$")


def find_full_name(text: str) -> str | None:
    """A name the clerk gives as the full name ("单位全称是温州市瓯海区娄桥街道办事处"), kept verbatim."""
    m = _FULL_NAME.search(text[:600])
    if not m:
        return None
    name = m.group("name").removesuffix("的")
    return name if _FULL_SUFFIX.search(name) else None


def official_name(agency: str) -> str | None:
    """The official name a place or a short form stands for ("七里坪镇" → "七里坪镇人民政府", "五马街道" →
    "五马街道办事处", "瑞安市政府" → "瑞安市人民政府"); None when the name already is a full one."""
    name = agency.strip()
    if m := _SHORT_TOWNSHIP.match(name):
        return f"{m.group('place')}人民政府"
    if m := _SHORT_STREET.match(name):
        return f"{m.group('place')}办事处"
    if m := _SHORT_GOV.match(name):
        return f"{m.group('place')}人民政府"
    return None
