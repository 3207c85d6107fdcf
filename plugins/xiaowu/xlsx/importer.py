# A filled school workbook -> the term's disclosure entry (and the school's hotlines) as YAML-ready
# values, with the sheet cell of every value and every spreadsheet accident found on the way.
#
# Columns are found by their header titles (so a reordered column still imports); rows are read
# until the last non-empty one. Structural damage (a sheet or column missing, merged cells, another
# layout) is "fatal": nothing is written, because no value could be placed with certainty.
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from xiaowu.read.chars import name_key
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.cells import Issue, is_empty, read_cell
from xiaowu.xlsx.workbook import Book, Sheet

Path = tuple[str | int, ...]
_TOTALS = re.compile(r"^(合计|小计|总计|共计)")
_IGNORED = {"序号"}


class Imported:
    """What a workbook holds, gathered sheet by sheet (a builder, so a plain class, not a record)."""

    __slots__ = ("identity", "disclosure", "hotlines", "settlement", "cells", "findings", "fatal")

    def __init__(self) -> None:
        self.identity: dict[str, str] = {}
        self.disclosure: dict[str, Any] = {}
        self.hotlines: list[dict[str, Any]] = []
        #: The term's settlement from the 结算 sheet (settle.py), None when it has no figures.
        self.settlement: dict[str, Any] | None = None
        #: Path inside the disclosure entry (or ("hotlines", i, key)) -> "本学期收费!F5".
        self.cells: dict[Path, str] = {}
        self.findings: list[tuple[str, Issue]] = []
        self.fatal = False

    def add(self, where: str, issue: Issue, fatal: bool = False) -> None:
        self.findings.append((where, issue))
        self.fatal = self.fatal or fatal


@dataclass(frozen=True)
class Row:
    """One data row of a table sheet and where each column key sits in it."""

    sheet: Sheet
    number: int
    found: dict[str, int]


def _where(sheet: str, row: int, column: int) -> str:
    return f"{sheet}!{L.column_letter(column)}{row}"


def _value(out: Imported, sheet: Sheet, row: int, column: int, kind: str, area_code: str) -> Any:
    """Read one cell; a formula is reported (and its cached result used) instead of any other accident."""
    where = _where(sheet.name, row, column)
    raw = sheet.get(row, column)
    value, issue = read_cell(kind, raw, area_code)
    formula = sheet.formulas.get((row, column))
    if formula is not None:
        if raw is None:
            out.add(where, Issue("W913", {"formula": formula}))
            return None
        issue = Issue("W912", {"formula": formula, "value": str(value)})
    if issue is not None:
        out.add(where, issue)
    return value


def _merged(out: Imported, sheet: Sheet, first_row: int) -> None:
    for top, left, bottom, right in sheet.merged:
        if bottom >= first_row:
            cells = f"{sheet.name}!{L.column_letter(left)}{top}:{L.column_letter(right)}{bottom}"
            out.add(_where(sheet.name, top, left), Issue("W909", {"cells": cells}), fatal=True)


def _heading(value: Any) -> str:
    """A header as compared: "收费 标准(元)" and "收费标准（元）" are the same column.

    >>> _heading(" 收费 标准(元) ") == _heading("收费标准（元）")
    True
    """
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value or "")))


def _header(out: Imported, sheet: Sheet, columns: tuple[L.Column, ...]) -> tuple[int, dict[str, int]]:
    """The header row and each column key's sheet column; renamed and unknown headers reported."""
    titles = {_heading(c.title): c.key for c in columns}
    row = next((r for r in range(1, 11) if any(_heading(sheet.get(r, c)) in titles for c in range(1, sheet.last_column + 1))),
               L.HEADER_ROW)
    found: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for column in range(1, sheet.last_column + 1):
        text = str(sheet.get(row, column) or "").strip()
        if _heading(text) in titles:
            found[titles[_heading(text)]] = column
        elif text and text not in _IGNORED:
            unknown.append((column, text))
    missing = [c for c in columns if c.key not in found]
    if len(missing) == 1 and len(unknown) == 1:
        column, text = unknown.pop()
        found[missing[0].key] = column
        out.add(_where(sheet.name, row, column), Issue("W908", {"found": text, "expected": missing[0].title}))
        missing = []
    for column, text in unknown:
        if any(not is_empty(sheet.get(r, column)) for r in range(row + 1, sheet.last_row + 1)):
            what = f"栏目“{text}”不是模板中的栏目，这一栏的内容不会导入"
            out.add(_where(sheet.name, row, column), Issue("W907", {"what": what}))
    for column_def in missing:
        what = f"缺少栏目“{column_def.title}”（表头被删除或改动了）"
        out.add(f"{sheet.name}!{L.HEADER_ROW}:{L.HEADER_ROW}", Issue("W907", {"what": what}), fatal=True)
    return row, found


def table_rows(out: Imported, sheet: Sheet, columns: tuple[L.Column, ...], school: str,
               labels: frozenset[str] = frozenset()) -> list[Row]:
    """The data rows worth reading, with their column map; skipped rows are reported. A row with
    nothing but the school and ``labels`` columns (names the template prefilled) is empty."""
    header, found = _header(out, sheet, columns)
    _merged(out, sheet, header + 1)
    rows = []
    item_column = found.get(columns[0].key if columns[0].key != "school" else columns[1].key)
    for row in range(header + 1, sheet.last_row + 1):
        if all(is_empty(sheet.get(row, c)) for k, c in found.items() if k != "school" and k not in labels):
            continue
        first = _where(sheet.name, row, item_column or 1)
        name = str(sheet.get(row, item_column) or "").strip() if item_column else ""
        owner = sheet.get(row, found["school"]) if "school" in found else None
        if row in sheet.hidden_rows:
            out.add(first, Issue("W911", {"row": str(row)}))
        elif _TOTALS.match(name.replace(" ", "")):
            out.add(first, Issue("W922", {"value": name}))
        elif owner is not None and name_key(str(owner)) != name_key(school):
            out.add(_where(sheet.name, row, found["school"]), Issue("W910", {"found": str(owner).strip(), "school": school}))
        else:
            rows.append(Row(sheet, row, found))
    return rows


def row_record(out: Imported, line: Row, columns: tuple[L.Column, ...], base: Path, area_code: str) -> dict[str, Any]:
    sheet, row, found = line.sheet, line.number, line.found
    entry: dict[str, Any] = {}
    for column in columns:
        if column.key == "school" or column.key not in found:
            continue
        value = _value(out, sheet, row, found[column.key], column.kind, area_code)
        keys = column.key.split(".")
        out.cells[base + tuple(keys)] = _where(sheet.name, row, found[column.key])
        if value is None:
            continue
        target = entry
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return entry


def info_value(out: Imported, sheet: Sheet, label: str, kind: str, area_code: str, path: Path) -> Any:
    """The value of the 基本信息 row labelled ``label`` (its cell recorded under ``path``)."""
    row = next((r for r in range(1, sheet.last_row + 1) if str(sheet.get(r, 1) or "").strip() == label), None)
    if row is None:
        out.add(f"{L.INFO}!A:A", Issue("W907", {"what": f"“{L.INFO}”中找不到“{label}”一行"}), fatal=True)
        return None
    out.cells[path] = _where(sheet.name, row, 2)
    return _value(out, sheet, row, 2, kind, area_code)


def _info(out: Imported, sheet: Sheet, area_code: str) -> None:
    labels = {str(sheet.get(r, 1) or "").strip(): r for r in range(1, sheet.last_row + 1)}
    _merged(out, sheet, L.FIRST_ROW)
    for info in L.info_rows():
        row = labels.get(info.title)
        if row is None:
            what = f"“{L.INFO}”中找不到“{info.title}”一行"
            out.add(f"{L.INFO}!A:A", Issue("W907", {"what": what}), fatal=True)
            continue
        if not info.editable:
            out.identity[info.key] = str(sheet.get(row, 2) or "").strip()
            continue
        value = _value(out, sheet, row, 2, info.kind, area_code)
        out.cells[(info.key,)] = _where(sheet.name, row, 2)
        if value is not None:
            out.disclosure[info.key] = value


def read_workbook(book: Book, school: str, area_code: str = "") -> Imported:
    """The workbook's disclosure entry (schema key order), hotlines, cells and accidents.

    ``school`` is the name the bureau's roster gives the school named in 基本信息 (rows from another
    school's table are told by their 学校名称 column).
    """
    out = Imported()
    missing = [name for name in (L.INFO, L.FEES, L.HOTLINES) if name not in book.sheets]
    for name in missing:
        others = [s for s in book.sheets if s not in L.SHEETS and s != L.LISTS]
        found = f"（工作簿中另有：{'、'.join(others)}）" if others else ""
        out.add(name, Issue("W903", {"sheet": name, "found": found}), fatal=True)
    if missing:
        return out
    _info(out, book.sheets[L.INFO], area_code)
    if out.identity.get("layout") != L.LAYOUT_VERSION:
        what = f"“{L.INFO}”中的表格版本是“{out.identity.get('layout', '')}”，不是“{L.LAYOUT_VERSION}”"
        out.add(f"{L.INFO}!B{L.info_row_number('layout')}", Issue("W904", {"what": what}), fatal=True)
    fees, lines = book.sheets[L.FEES], book.sheets[L.HOTLINES]
    columns = (L.SCHOOL_COLUMN, *L.fee_columns())
    items = [row_record(out, row, columns, ("items", index), area_code)
             for index, row in enumerate(table_rows(out, fees, columns, school or out.identity.get("name", "")))]
    out.disclosure = _ordered(out.identity.get("term", ""), out.disclosure, items)
    line_columns = L.hotline_columns()
    out.hotlines = [row_record(out, row, line_columns, ("hotlines", index), area_code)
                    for index, row in enumerate(table_rows(out, lines, line_columns, ""))]
    return out


def _ordered(term: str, info: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """The entry in the schema's key order (term first, items after the channels)."""
    entry: dict[str, Any] = {"term": term}
    for row in L.info_rows():
        if row.key == "channels":
            entry.update({k: info[k] for k in ("published", "valid_from", "valid_until", "channels") if k in info})
            entry["items"] = items
        elif row.editable and row.key in info and row.key not in entry:
            entry[row.key] = info[row.key]
    return entry
