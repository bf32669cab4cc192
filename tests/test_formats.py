"""The official formats as data: exact labels and cell counts (format_spec.md §4–§6)."""

from assistant.formats import FORMAT_2019, FORMAT_2021, FORMAT_2021_23, format_for_year, get_format


def test_cell_counts_match_spec():
    # 2021: 10 table-二 cells, 25 rows × 7 = 175 table-三 cells, 15 table-四 cells
    assert len(FORMAT_2021.table_cells("table2")) == 10
    assert len(FORMAT_2021.table_cells("table3")) == 175
    assert len(FORMAT_2021.table_cells("table4")) == 15
    # 2019: 22 table-二 cells, 23 rows × 7 = 161
    assert len(FORMAT_2019.table_cells("table2")) == 22
    assert len(FORMAT_2019.table_cells("table3")) == 161
    assert len(FORMAT_2021_23.table_cells("table3")) == 161


def test_year_selects_format():
    assert format_for_year(2020).id == "2019"
    assert format_for_year(2021).id == "2021"
    assert format_for_year(2025).citation == "国办公开办函〔2021〕30号"
    assert get_format("2019").citation == "国办公开办函〔2019〕60号"


def test_exact_labels():
    labels = [r.label for r in FORMAT_2021.table3_rows]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    assert "3.危及“三安全一稳定”" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert FORMAT_2021.table3_note == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert [c.label for c in FORMAT_2021.table2_blocks[0].columns] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert FORMAT_2021.table2_blocks[3].columns[0].label == "本年收费金额（单位：万元）"
    assert [b.caption for b in FORMAT_2019.table2_blocks][-1] == "第二十条第（九）项"
    assert [s.heading for s in FORMAT_2021.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_derived_cells_and_parts():
    parts = FORMAT_2021.parts_of("t3.result_total.natural_person")
    assert len(parts) == 21  # （一）（二）+8+3+5+3
    assert FORMAT_2019.parts_of("t3.result_total.total")[-1] == "t3.other_handling.total"
    assert FORMAT_2021.parts_of("t4.review.total") == [
        "t4.review.upheld", "t4.review.corrected", "t4.review.other_result", "t4.review.pending"
    ]
