# The 结算 sheet: after the term, one row per settled item (代收费, 伙食费, 课后服务费 …) with its
# figures, and its spending one purpose per row: a row whose 收费项目 is empty continues the item
# above (how finance offices list 支出明细). Its dates and notes are rows of 基本信息. Until a row has
# a figure it is not a settlement (the template seeds the item names from the term's notice).
from __future__ import annotations

from functools import cache
from typing import Any

from xiaowu.model.school import School
from xiaowu.model.record import record
from xiaowu.model.policy import Policy
from xiaowu.model.terms import Term
from xiaowu.read.schema import load_schema, resolve
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.cells import Issue
from xiaowu.xlsx.importer import Imported, info_value, row_record, table_rows
from xiaowu.xlsx.style import header, input_cell, print_setup, protect, row_heights, title
from xiaowu.xlsx.workbook import Book

SETTLE = L.SETTLE
#: 基本信息 rows of the settlement: key, label (distinct from the notice's own rows).
INFO = (("settled", "结算日期", L.DATE), ("published", "结算公示日期", L.DATE), ("notes", "结算备注", L.TEXT))
IDENTITY = frozenset({"item", "stage", "tier"})
_COUNTS = {"students", "refund_students"}
#: A running account's nested parts (meal lines, per-student rows, the term's cumulative figures) have
#: no place in a one-row-per-item sheet: they are written in the school file.
_NESTED = frozenset({"meals", "per_student", "term_to_date"})
_AMOUNTS = {"students", "carried_in", "collected", "subsidy", "refunded", "refund_students", "refund_per_student",
            "carried", "shortfall"}


@cache
def settle_columns() -> tuple[L.Column, ...]:
    root = load_schema("school")
    item = resolve(root["$defs"]["settled_item"], root)
    out = []
    for key, node in item["properties"].items():
        node = resolve(node, root)
        if key in _NESTED:
            continue
        if key == "spending":
            spend = resolve(root["$defs"]["spending"], root)["properties"]
            out += [L.Column("spending.purpose", "支出用途", resolve(spend["purpose"], root)["description"], L.TEXT),
                    L.Column("spending.amount", "支出金额（元）", resolve(spend["amount"], root)["description"], L.AMOUNT)]
            continue
        out.append(L.Column(key, node.get("title", key), node.get("description", ""),
                            L.AMOUNT if key in _AMOUNTS else L.TEXT, key in item.get("required", [])))
    return tuple(out)


def info_descriptions() -> dict[str, str]:
    root = load_schema("school")
    props = resolve(root["$defs"]["settlement"], root)["properties"]
    return {key: resolve(props[key], root).get("description", "") for key, _, _ in INFO}


def _seed(school: School, policy: Policy, term: Term) -> dict[str, Any]:
    """The term's settlement, else its notice's items that must be settled (names only)."""
    same = [s for s in school.settlements if s.term == term.id and s.term_end]
    if same:
        found: dict[str, Any] = record(same[0])
        return found
    notice = next((d for d in school.disclosures if d.term == term.id), None)
    items = [{k: v for k, v in (("item", i.item), ("stage", i.stage), ("tier", i.tier)) if v}
             for i in (notice.items if notice else ()) if policy.settlement.required(i.item, i.category)]
    return {"items": items}


def _rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """One sheet row per spending line; the item's figures on its first row."""
    rows = []
    for item in entry.get("items", []):
        spending = item.get("spending") or [{}]
        for index, spend in enumerate(spending):
            row = {k: v for k, v in item.items() if k != "spending"} if index == 0 else {}
            row.update({f"spending.{k}": v for k, v in spend.items()})
            rows.append(row)
    return rows


def write_settlement(wb: Any, school: School, policy: Policy, term: Term) -> None:
    entry = _seed(school, policy, term)
    info = wb[L.INFO]
    first = L.info_row_number(L.info_rows()[-1].key) + 1
    for offset, ((key, label, kind), description) in enumerate(zip(INFO, info_descriptions().values())):
        header(info, first + offset, 1, label, description, False)
        cell = input_cell(info, first + offset, 2, "yyyy-mm-dd" if kind == L.DATE else "@")
        cell.value = L.cell_value(kind, entry.get(key))
        info.cell(row=first + offset, column=3, value=description)
    ws = wb.create_sheet(SETTLE)
    title(ws, f"{school.name} {term.name} 收费结算", "学期结束后填写；一项支出一行，续行的“收费项目”留空")
    columns = settle_columns()
    rows = _rows(entry)
    for index, column in enumerate(columns, start=1):
        header(ws, L.HEADER_ROW, index, column.title, column.description, column.required)
        ws.column_dimensions[L.column_letter(index)].width = 12
        for offset in range(len(rows) + L.SPARE_ROWS):
            value = rows[offset].get(column.key) if offset < len(rows) else None
            fmt = "0" if column.key in _COUNTS else "0.00" if column.kind == L.AMOUNT else "@"
            cell = input_cell(ws, L.FIRST_ROW + offset, index, fmt)
            cell.value = L.cell_value(column.kind, value)
    row_heights(ws, L.HEADER_ROW, L.FIRST_ROW, L.FIRST_ROW + len(rows) + L.SPARE_ROWS - 1)
    ws.freeze_panes = f"B{L.FIRST_ROW}"
    print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")
    protect(ws)


def _spending(out: Imported, row: Any, items: list[dict[str, Any]], area_code: str) -> None:
    """A continuation row: one more spending line of the item above (other figures are not taken)."""
    record_ = row_record(out, row, settle_columns(), ("continued",), area_code)
    extra = [k for k in record_ if k != "spending"]
    cells = {k: out.cells.pop(("continued", k), "") for k in extra}
    if not items or extra:
        where = cells[extra[0]] if extra else f"{SETTLE}!A{row.number}"
        what = "这一行没有收费项目，只能填写上一个项目的支出用途和支出金额；这一格没有导入"
        out.add(where, Issue("W907", {"what": what}))
    if not items or not record_.get("spending"):
        return
    index = len(items) - 1
    lines = items[index].setdefault("spending", [])
    for key in ("purpose", "amount"):
        cell = out.cells.pop(("continued", "spending", key), None)
        if cell:
            out.cells[("settlement", "items", index, "spending", len(lines), key)] = cell
    lines.append(record_.get("spending", {}))


def read_settlement(out: Imported, book: Book, area_code: str) -> None:
    """Fill ``out.settlement`` when the 结算 sheet has any figure; leave it None otherwise."""
    sheet = book.sheets.get(SETTLE)
    if sheet is None:
        return
    items: list[dict[str, Any]] = []
    for row in table_rows(out, sheet, settle_columns(), "", IDENTITY):
        if not str(sheet.get(row.number, row.found.get("item", 0)) or "").strip():
            _spending(out, row, items, area_code)
            continue
        index = len(items)
        item = row_record(out, row, settle_columns(), ("settlement", "items", index), area_code)
        spend = item.pop("spending", None)
        for key in ("purpose", "amount"):
            cell = out.cells.pop(("settlement", "items", index, "spending", key), None)
            if cell and spend:
                out.cells[("settlement", "items", index, "spending", 0, key)] = cell
        item["spending"] = [spend] if spend else []
        items.append(item)
    if not items:
        return
    entry: dict[str, Any] = {"term": out.identity.get("term", "")}
    for key, label, kind in INFO:
        value = info_value(out, book.sheets[L.INFO], label, kind, area_code, ("settlement", key))
        if value is not None:
            entry[key] = value
    order = [c.key.split(".")[0] for c in settle_columns()]
    entry["items"] = [{k: item[k] for k in dict.fromkeys(order) if k in item} for item in items]
    entry = {k: entry[k] for k in ("term", "settled", "published", "items", "notes") if k in entry}
    out.settlement = entry
