"""Label-keyed facts JSON: tolerant reading, unknown never read as 0, stated totals kept for the checks."""

import json

import pytest

from assistant.checks import run_checks
from assistant.errors import InputError
from assistant.facts import CellStatus
from assistant.interchange import from_label_json, report_from_json, to_label_json


def _base(**extra):
    data = {"agency": "测试镇人民政府", "report_year": 2023, "format": "2021"}
    data.update(extra)
    return data


def test_label_variants_are_tolerated():
    data = _base(
        table3={
            "一、本年新收政府信息公开申请数量": {"自然人": 3, "商业企业": "２", "总计": 5},
            "(三)不予公开 / 2.其他法律行政止公开": {"自然人": 0},  # half-width brackets and a printed typo
            "（三）不予公开 / 3.危及\"三安全一稳定\"": {"自然人": 1},  # straight quotes
            "本年新收政府信息公开申请数量": {"其他": None},  # missing numbering; null = unknown
        },
        table2={"第二十条第(一)项 / 规章": {"本年制发件数": "不适用"}},
    )
    r = from_label_json(data)
    assert r.cell("t3.received.business").value == 2
    assert r.cell("t3.withheld_2.natural_person").status == CellStatus.VALUE
    assert r.cell("t3.withheld_3.natural_person").value == 1
    assert not r.cell("t3.received.other").known  # null stays unknown, never 0
    assert r.cell("t2.rules.issued").status == CellStatus.NOT_APPLICABLE


@pytest.mark.parametrize(
    "table3, fragment",
    [
        ({"完全不存在的行": {"自然人": 1}}, "无法识别的行“完全不存在的行”"),
        ({"一、本年新收政府信息公开申请数量": {"外星人": 1}}, "无法识别的列“外星人”"),
        ({"一、本年新收政府信息公开申请数量": {"自然人": "很多"}}, "不是数字"),
        ({"一、本年新收政府信息公开申请数量": {"自然人": -2}}, "不能为负数"),
    ],
)
def test_bad_values_name_the_cell(table3, fragment):
    with pytest.raises(InputError) as e:
        from_label_json(_base(table3=table3))
    assert fragment in str(e.value)


def test_wrong_format_for_year():
    with pytest.raises(InputError, match="2023年度的年报应使用"):
        from_label_json(_base(format="2019"))


def test_23_row_variant_detected():
    r = from_label_json(_base(table3={"（六）其他处理": {"自然人": 1}}))
    assert r.format_id == "2021-23"
    assert r.cell("t3.other_handling.natural_person").value == 1


def test_stated_wrong_total_survives_export_and_is_found():
    data = _base(table3={"一、本年新收政府信息公开申请数量": {"自然人": 3, "商业企业": 2, "科研机构": 0,
                                                  "社会公益组织": 0, "法律服务机构": 0, "其他": 0, "总计": 6}})
    exported = to_label_json(from_label_json(data))
    assert exported["table3"]["一、本年新收政府信息公开申请数量"]["总计"] == 6
    again = report_from_json(json.loads(json.dumps(exported, ensure_ascii=False)))
    assert any(f.rule == "T3-1" and f.severity == "error" for f in run_checks(again))
