# `xiaowu xlsx export`: the bureau's review workbook for its meeting. One sheet per county, one row
# per school and fee item of the term (a school without items for the term still gets one row),
# with its compliance status and reasons; filters and a frozen header on every sheet. The rows are
# the very rows of fees.csv and compliance.csv (publish.tables, built once per build), never recomputed.
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from xiaowu.publish.tables import COMPLIANCE_COLUMNS, FEE_COLUMNS
from xiaowu.model.record import record as plain
from xiaowu.publish.tables import Tables
from xiaowu.pages.site import Site
from xiaowu.xlsx.style import HEADER_FILL, WRAP, print_setup

STATUS_COLUMNS = ("状态", "原因", "关注事项", "关注原因")
#: The fee columns after the school's own (学校代号, 学校名称, 县区代号, 县区).
FEE_DETAIL = FEE_COLUMNS[4:]
COLUMNS = ("学校代号", "学校名称", *STATUS_COLUMNS, *FEE_DETAIL)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _value(value: Any) -> Any:
    """Numbers stay numbers (a bureau sums them); everything else as the CSV writes it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None:
        return None
    result = plain(value)
    return result if result != "" else None


def review_rows(site: Site) -> dict[str, list[list[Any]]]:
    """County name -> rows (COLUMNS order) for the site's term."""
    term = site.term.id if site.term else ""
    fees: dict[str, list[list[Any]]] = {}
    tables = Tables(site)
    for row in tables.table("fees").rows:
        if row[4] == term:
            fees.setdefault(row[0], []).append(row)
    status = {row[0]: row for row in tables.table("compliance").rows}
    index = {name: COMPLIANCE_COLUMNS.index(name) for name in ("状态", "原因", "关注事项", "关注原因")}
    out: dict[str, list[list[Any]]] = {}
    for school_id, entry in status.items():
        head = [school_id, entry[1], *(entry[index[name]] for name in STATUS_COLUMNS)]
        rows = fees.get(school_id) or [[None] * len(FEE_COLUMNS)]
        county = entry[3]
        for row in rows:
            out.setdefault(county, []).append(head + [_value(v) for v in row[4:]])
    return out


def _sheet_title(name: str, used: set[str]) -> str:
    title = _BAD_SHEET_CHARS.sub("_", name)[:31] or "县区"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]}_{n}"
        n += 1
    used.add(title)
    return title


def review_workbook(site: Site) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    term = site.term.name if site.term else ""
    summary.append([f"{site.authority} {term} 收费公示审核表（统计日期 {site.today.isoformat()}）"])
    summary.append(["县区", "学校数", "收费项目行数", "需要关注的学校"])
    used = {"汇总"}
    for county, rows in review_rows(site).items():
        ws = wb.create_sheet(_sheet_title(county, used))
        ws.append(list(COLUMNS))
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
        ws.auto_filter.ref = ws.dimensions
        ws.freeze_panes = "C2"
        for letter, width in (("A", 16), ("B", 24), ("C", 10), ("D", 40)):
            ws.column_dimensions[letter].width = width
        print_setup(ws, "1:1")
        schools = {r[0] for r in rows}
        flagged = {r[0] for r in rows if r[4]}
        summary.append([county, len(schools), sum(1 for r in rows if r[6]), len(flagged)])
    summary.freeze_panes = "A3"
    print_setup(summary)
    return wb
