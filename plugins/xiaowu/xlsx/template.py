# `xiaowu xlsx template`: the 收费公示表 workbook a bureau sends to one school for one term.
#
# Sheets: 说明 (plain Chinese), 基本信息 (identity prefilled and locked; the term's dates, channels and
# 减免政策 to fill), 本学期收费 (one row per item; 项目 a drop-down of the catalog for this school,
# the dependent columns limited to what the catalog allows for the chosen item through named lists
# in the hidden 选项 sheet and INDIRECT, which Excel, WPS and LibreOffice all honour), 投诉电话.
# The term's entry is prefilled when the file has it, else the newest earlier entry (dates left blank).
from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from xiaowu.model.school import School
from xiaowu.model.record import record
from xiaowu.model.policy import Policy
from xiaowu.model.terms import Term
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.lists import DEPENDENT, ItemChoices, enum, item_choices
from xiaowu.xlsx.settle import write_settlement
from xiaowu.xlsx.style import header, input_cell, locked_cell, print_setup, protect, row_heights, title

GUIDE_TEXT = (
    "本表用于填写学校本学期的收费公示，填好后交回教育局（或由学校管理员导入），导入时检查每一格。",
    "1. 只在白色格子里填写；灰色格子已由教育局填好，不能修改。不要改工作表的名称，不要合并单元格，不要插入或删除列。",
    "2. “基本信息”：填写公示日期、有效期、公示渠道、减免政策和投诉举报渠道；日期写成 2026-09-01。",
    "3. “本学期收费”：一个收费项目一行。先在“收费项目”中选择本局收费目录里的项目，"
    "“收费类别”“计费单位”“收费周期”“档次或年级”“是否自愿”随项目给出可选的值。",
    "   收费标准只写数字（如 290），不写“元”；批准文号照原文写。本学期不收的项目请清空这一行的内容，不要只隐藏。",
    "4. “投诉电话”：学校自己的监督、投诉电话。号码格已设为文本，座机请带区号，如 0712-1234567（开头的 0 不能丢）。",
    "5. 把鼠标停在表头上可以看到每一栏的填写说明。标为浅橙色的栏目必须填写。",
    "6. 用 WPS 表格填写时，保存时请选择“Excel 工作簿（*.xlsx）”格式，不要存为 .et 或 .xls。",
    "7. 如表中已有上学期的内容，请逐项核对后修改为本学期的内容。",
)


def _dig(entry: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        entry = entry.get(part, {}) if isinstance(entry, dict) else {}
    return entry if entry != {} else None


def _guide(ws: Any, school: School, term: Term, policy: Policy) -> None:
    title(ws, f"{school.name} {term.name} 收费公示表", "填写前请先阅读以下说明")
    lines = list(GUIDE_TEXT) + ["", "以下电话由教育局公布，收费公示中自动列出，不用在“投诉电话”中填写："]
    lines += [f"    {line.name}：{line.phone or ''}" for line in policy.hotlines]
    for offset, line in enumerate(lines):
        ws.cell(row=L.FIRST_ROW + offset, column=1, value=line)
    ws.column_dimensions["A"].width = 120
    print_setup(ws)
    protect(ws)


def _info(ws: Any, identity: dict[str, str], entry: dict[str, Any]) -> None:
    title(ws, "基本信息", "灰色格子已填好；请填写白色格子")
    for column, text in enumerate(("栏目", "填写内容", "说明"), start=1):
        header(ws, L.HEADER_ROW, column, text, "", False)
    for row in L.info_rows():
        number = L.info_row_number(row.key)
        header(ws, number, 1, row.title, row.description, row.required)
        if row.editable:
            cell = input_cell(ws, number, 2, "yyyy-mm-dd" if row.kind == L.DATE else "@")
            cell.value = L.cell_value(row.kind, entry.get(row.key))
        else:
            locked_cell(ws, number, 2, identity[row.key])
        ws.cell(row=number, column=3, value=row.description)
    dates = DataValidation(type="date", operator="greaterThanOrEqual", formula1="36526", allow_blank=True,
                           error="请填写日期，如 2026-09-01", errorTitle="日期")
    ws.add_data_validation(dates)
    for key in ("published", "valid_from", "valid_until"):
        dates.add(f"B{L.info_row_number(key)}")
    row_heights(ws, L.HEADER_ROW, L.info_row_number("published"), L.info_row_number(L.info_rows()[-1].key) + 3)
    for letter, width in (("A", 16), ("B", 50), ("C", 70)):
        ws.column_dimensions[letter].width = width
    print_setup(ws)
    protect(ws)


def _lists(wb: Workbook, choices: list[ItemChoices]) -> None:
    """The hidden 选项 sheet: column A lists the items; one named list per item and dependent column."""
    ws = wb.create_sheet(L.LISTS)
    ws.sheet_state = "hidden"
    for index, item in enumerate(choices, start=1):
        ws.cell(row=index, column=1, value=item.item)
        for offset, key in enumerate(DEPENDENT):
            column = 1 + (index - 1) * len(DEPENDENT) + offset + 1
            values = item.lists[key] or [""]
            for row, value in enumerate(values, start=1):
                ws.cell(row=row, column=column, value=value or None)
            letter = L.column_letter(column)
            ref = f"'{L.LISTS}'!${letter}$1:${letter}${len(values)}"
            wb.defined_names[f"xw_{key}_{index}"] = DefinedName(f"xw_{key}_{index}", attr_text=ref)
    wb.defined_names["xw_items"] = DefinedName("xw_items", attr_text=f"'{L.LISTS}'!$A$1:$A${max(len(choices), 1)}")
    protect(ws)


def _validation(ws: Any, formula: str, cells: str, message: str, strict: bool = True) -> None:
    check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                           errorStyle="stop" if strict else "warning", error=message, errorTitle="请从列表中选择")
    ws.add_data_validation(check)
    check.add(cells)


def _fee_validations(ws: Any, letters: dict[str, str], last: int, stages: tuple[str, ...]) -> None:
    item = f"${letters['item']}{L.FIRST_ROW}"

    def cells(key: str) -> str:
        return f"{letters[key]}{L.FIRST_ROW}:{letters[key]}{last}"

    _validation(ws, "xw_items", cells("item"), "收费项目须是本局收费目录中本校可收的项目")
    for key in DEPENDENT:
        formula = f'INDIRECT("xw_{key}_"&MATCH({item},xw_items,0))'
        _validation(ws, formula, cells(key), "请选择本局收费目录对这个项目允许的值", strict=key not in ("unit", "tier"))
    _validation(ws, '"' + ",".join(stages) + '"', cells("stage"), "请选择本校的学段")
    _validation(ws, '"' + ",".join(enum("pricing")) + '"', cells("pricing"), "请选择定价方式")
    amount = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            error="收费标准只写数字，如 290 或 85.50，不写“元”", errorTitle="收费标准")
    ws.add_data_validation(amount)
    amount.add(cells("amount"))


#: Column widths (characters) so the table fits one A4 landscape page across at a readable size.
_WIDTHS = {"school": 13, "item": 12, "category": 12, "stage": 6, "tier": 11, "amount": 9, "pricing": 9, "unit": 10,
           "scope": 14, "basis.authority": 15, "basis.document": 17, "basis.title": 12, "basis.url": 12,
           "voluntary": 6, "billing_period": 6, "settlement": 16, "notes": 14}


def _fees(ws: Any, school: School, entry: dict[str, Any], stages: tuple[str, ...]) -> None:
    title(ws, f"{school.name} 本学期收费", "一个收费项目一行；先选“收费项目”，再选其他栏目")
    columns = (L.SCHOOL_COLUMN, *L.fee_columns())
    letters = {c.key: L.column_letter(i) for i, c in enumerate(columns, start=1)}
    for index, column in enumerate(columns, start=1):
        header(ws, L.HEADER_ROW, index, column.title, column.description, column.required)
        ws.column_dimensions[L.column_letter(index)].width = _WIDTHS.get(column.key, 10)
    items = entry.get("items", [])
    last = L.FIRST_ROW + len(items) + L.SPARE_ROWS - 1
    for row in range(L.FIRST_ROW, last + 1):
        item = items[row - L.FIRST_ROW] if row - L.FIRST_ROW < len(items) else {}
        locked_cell(ws, row, 1, school.name)
        for index, column in enumerate(columns[1:], start=2):
            fmt = "@" if column.as_text else "0.00" if column.kind == L.AMOUNT else "General"
            input_cell(ws, row, index, fmt).value = L.cell_value(column.kind, _dig(item, column.key))
    _fee_validations(ws, letters, last, stages)
    row_heights(ws, L.HEADER_ROW, L.FIRST_ROW, last)
    ws.freeze_panes = f"B{L.FIRST_ROW}"
    print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")
    protect(ws)


def _hotlines(ws: Any, school: School) -> None:
    title(ws, "学校投诉举报电话", "学校自己的电话；号码格是文本格式，请带区号填写")
    columns = L.hotline_columns()
    for index, column in enumerate(columns, start=1):
        header(ws, L.HEADER_ROW, index, column.title, column.description, column.required)
        ws.column_dimensions[L.column_letter(index)].width = 30
    lines = [record(h) for h in school.hotlines]
    last = L.FIRST_ROW + len(lines) + 4
    for row in range(L.FIRST_ROW, last + 1):
        line = lines[row - L.FIRST_ROW] if row - L.FIRST_ROW < len(lines) else {}
        for index, column in enumerate(columns, start=1):
            input_cell(ws, row, index, "@").value = L.cell_value(column.kind, line.get(column.key))
    print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")
    protect(ws)


def prefill(school: School, term: Term) -> dict[str, Any]:
    """The term's own entry, else the newest earlier one without its dates and term."""
    same = [d for d in school.disclosures if d.term == term.id]
    if same:
        found: dict[str, Any] = record(same[0])
        return found
    if not school.disclosures:
        return {}
    earlier: dict[str, Any] = record(school.disclosures[0])
    for key in ("term", "published", "valid_from", "valid_until"):
        earlier.pop(key, None)
    return earlier


def school_workbook(school: School, policy: Policy, term: Term) -> Workbook:
    profile = school.profile
    identity = {"id": school.id, "name": profile.name, "county": profile.county, "ownership": profile.ownership,
                "stages": "、".join(profile.stages), "term": term.id, "layout": L.LAYOUT_VERSION}
    wb = Workbook()
    _guide(wb.active, school, term, policy)
    wb.active.title = L.GUIDE
    entry = prefill(school, term)
    _info(wb.create_sheet(L.INFO), identity, entry)
    _fees(wb.create_sheet(L.FEES), school, entry, profile.stages)
    _hotlines(wb.create_sheet(L.HOTLINES), school)
    write_settlement(wb, school, policy, term)
    _lists(wb, item_choices(policy, profile.ownership, set(profile.stages), school.county))
    wb.active = 1
    return wb
