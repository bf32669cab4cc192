"""年报助手: the engine behind the 政府信息公开工作年度报告 drafting assistant."""

__version__ = "0.1.0"
