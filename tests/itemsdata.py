"""A report holding every v1.1 paragraph item: tables (long, merged,
landscape), lead sentences and attachments with content."""
from __future__ import annotations

from typing import Any


def long_table(rows: int = 45, title: str = "表1 2023年重点项目推进情况") -> dict[str, Any]:
    return {"table": {
        "title": title,
        "header": [["序号", "项目名称", "责任单位", "计划投资（万元）", "完成率"]],
        "rows": [[str(i), f"第{i}号民生实事项目建设", "县发展改革局", f"{1000 + 37 * i}", f"{60 + i % 40}%"] for i in range(1, rows + 1)],
        "notes": ["注：完成率按截至2023年11月底的财务支出计算。"],
    }}


def merged_table() -> dict[str, Any]:
    return {"table": {
        "title": "表2 主要经济指标完成情况",
        "header": [[{"text": "指标", "rowspan": 2}, {"text": "单位", "rowspan": 2}, {"text": "2023年", "colspan": 2}], ["目标", "完成"]],
        "rows": [["地区生产总值", "亿元", "18.0", "18.6"], [{"text": "财政收入", "rowspan": 2}, "亿元", "2.1", "2.3"],
                 ["万元", "21000", "23000"]],
    }}


def wide_table(rows: int = 8) -> dict[str, Any]:
    return {"table": {
        "title": "表3 各乡镇分月完成情况",
        "header": [["乡镇"] + [f"{m}月" for m in range(1, 13)]],
        "rows": [[f"第{i}镇"] + [str(10 * i + m) for m in range(1, 13)] for i in range(1, rows + 1)],
        "landscape": True,
    }}


LEAD = {"lead": "经济持续稳健发展。", "text": "据统计，全县地区生产总值增长百分之六点五，一般公共预算收入增长百分之八，城乡居民收入稳步提高，各项主要指标好于预期。"}


def items_report(**overrides: Any) -> dict[str, Any]:
    report = {
        "template": "work-summary",
        "title": "2023年XX县民生实事工作总结",
        "preamble": ["2023年，在县委的坚强领导下，我们坚持以人民为中心，扎实办好各项民生实事。", LEAD],
        "sections": [
            {"heading": "主要工作", "paragraphs": [LEAD, "全年各项重点项目稳步推进，具体情况如下。", long_table(), "以上项目总体进展顺利。"],
             "sections": [{"heading": "经济指标", "paragraphs": [merged_table()]}]},
            {"heading": "存在问题", "paragraphs": ["部分项目前期手续办理较慢。"]},
        ],
        "closing": ["2024年，我们将继续努力。"],
        "attachments": [
            {"name": "2023年民生实事项目实施情况", "preamble": ["全年共实施民生实事项目四十五项。"],
             "sections": [{"heading": "项目安排", "paragraphs": [LEAD, merged_table()]}, {"heading": "资金保障", "paragraphs": ["资金全部到位。"]}]},
            "2023年代表建议办理情况表",
            {"name": "分月完成情况", "sections": [{"heading": "统计口径", "paragraphs": ["按月统计。"]}]},
        ],
        "signature": "XX县人民政府办公室",
        "date": "2023-12-05",
    }
    report.update(overrides)
    return report
