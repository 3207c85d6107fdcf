# The bureau's 收费项目及标准表 as a workbook: its columns (from policy.schema.json's catalog, with
# the tiers on a second sheet linked by 序号) and the writer that puts policy.yml's current catalog
# into it, so a finance office edits its approved table where it always has, then imports it.
from __future__ import annotations

from functools import cache
from typing import Any

from openpyxl import Workbook

from xiaowu.model.record import record as plain
from xiaowu.read.schema import load_schema, resolve
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.style import header, input_cell, print_setup

CATALOG, TIERS = "收费项目及标准", "档次"
NUMBER = L.Column("no", "序号", "本表的行号；“档次”表用它指向这一行。", L.TEXT, True)
_LISTS = {"synonyms", "stages", "ownership", "counties", "schools", "cadences"}


@cache
def catalog_columns() -> tuple[L.Column, ...]:
    root = load_schema("policy")
    entry = resolve(root["properties"]["catalog"]["items"], root)
    required = set(entry.get("required", []))
    out = [NUMBER]
    for key, node in entry["properties"].items():
        node = resolve(node, root)
        if key == "tiers":
            continue
        if key == "basis":
            sub = node["properties"]
            out += [L.Column(f"basis.{k}", resolve(v, root).get("title", k), resolve(v, root).get("description", ""),
                             L.TEXT, k in node.get("required", []), k == "document") for k, v in sub.items()]
            continue
        kind = L.LIST if key in _LISTS else L.AMOUNT if key == "cap" else L.TEXT
        description = node.get("description", "") + (" 多项用顿号“、”隔开。" if kind == L.LIST else "")
        out.append(L.Column(key, node.get("title", key), description, kind, key in required))
    return tuple(out)


@cache
def tier_columns() -> tuple[L.Column, ...]:
    root = load_schema("policy")
    tier = resolve(root["properties"]["catalog"]["items"]["properties"]["tiers"]["items"], root)
    out = [L.Column("no", "序号", "“收费项目及标准”表中这个项目的序号。", L.TEXT, True)]
    for key, node in tier["properties"].items():
        node = resolve(node, root)
        out.append(L.Column(key, node.get("title", key), node.get("description", ""),
                            L.AMOUNT if key == "cap" else L.TEXT, key in tier.get("required", [])))
    return tuple(out)


def _cell(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == L.LIST:
        return "、".join(str(v) for v in value)
    if kind == L.AMOUNT:
        text = str(plain(value))
        return int(text) if text.isdigit() else float(text)
    return str(plain(value))


def _table(ws: Any, columns: tuple[L.Column, ...], rows: list[dict[str, Any]], hint: str) -> None:
    ws.cell(row=1, column=1, value=ws.title)
    ws.cell(row=2, column=1, value=hint)
    for index, column in enumerate(columns, start=1):
        header(ws, L.HEADER_ROW, index, column.title, column.description, column.required)
        ws.column_dimensions[L.column_letter(index)].width = 8 if column.key == "no" else 16
    for offset, row in enumerate(rows):
        for index, column in enumerate(columns, start=1):
            value: Any = row
            for part in column.key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            fmt = "@" if column.as_text or column.key == "no" else "General"
            input_cell(ws, L.FIRST_ROW + offset, index, fmt).value = _cell(column.kind, value)
    ws.freeze_panes = f"B{L.FIRST_ROW}"
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{L.column_letter(len(columns))}{L.FIRST_ROW + max(len(rows), 1) - 1}"
    print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")


def catalog_workbook(catalog: list[dict[str, Any]]) -> Workbook:
    """policy.yml's catalog (typed entries) as the two sheets; 序号 counts from 1."""
    wb = Workbook()
    rows, tiers = [], []
    for number, entry in enumerate(catalog, start=1):
        rows.append({**entry, "no": str(number)})
        tiers += [{**tier, "no": str(number)} for tier in entry.get("tiers", [])]
    ws = wb.active
    ws.title = CATALOG
    hint = "一个项目一行；同一项目按学段或办学性质有不同标准时分行填写。按档次定上限的，在“档次”表中逐档填写。"
    _table(ws, catalog_columns(), rows, hint)
    _table(wb.create_sheet(TIERS), tier_columns(), tiers, "“序号”写“收费项目及标准”表中对应项目的序号。")
    return wb
