# `xiaowu xlsx catalog`: the bureau's approved 收费项目及标准表 (a workbook) -> policy.yml's catalog.
#
# Only the `catalog:` block of policy.yml is replaced (in the file's own flow style for word lists
# and tiers); the result goes through the same checks as policy.yml, and every finding inside the
# new block is reported at its cell. policy.yml is written only when those checks find no error:
# every school's checks depend on it.
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaowu.check.bureau import load_policy
from xiaowu.read.files import display_path, read_limited
from xiaowu.read.loader import load_bytes
from xiaowu.model.policy import Policy
from xiaowu.xlsx.apply import replace_file
from xiaowu.xlsx.catalog_book import CATALOG, TIERS, catalog_columns, tier_columns
from xiaowu.xlsx.cells import Issue
from xiaowu.xlsx.emit import Line, sequence_item
from xiaowu.xlsx.importer import Imported, row_record, table_rows
from xiaowu.xlsx.layout import HEADER_ROW
from xiaowu.xlsx.locate import Located, from_issue, one_per_cell, relocate
from xiaowu.xlsx.splice import splice_key
from xiaowu.xlsx.workbook import open_book

MAX_POLICY_BYTES = 16 * 1024 * 1024
_ORDER = ("item", "synonyms", "category", "stages", "ownership", "counties", "schools", "cap", "pricing", "unit", "tiers",
          "cadences", "voluntary", "notes", "basis")


@dataclass(frozen=True)
class CatalogOutcome:
    found: list[Located] = field(default_factory=list)
    written: bool = False
    entries: int = 0

    @property
    def failed(self) -> bool:
        return any(x.blocking for x in self.found)


def _counties(entry: dict[str, Any], policy: Policy) -> None:
    """Counties (and the schools an approval names) may be typed by name (白河县) or id (baihe);
    policy.yml keeps ids."""
    by_name = {name: county_id for county_id, name in policy.counties.items()}
    if "counties" in entry:
        entry["counties"] = [by_name.get(c, c) for c in entry["counties"]]
    schools = {school.name: school_id for school_id, school in policy.roster.items()}
    if "schools" in entry:
        entry["schools"] = [schools.get(s, s) for s in entry["schools"]]


def read_catalog(book: Any, policy: Policy) -> tuple[list[dict[str, Any]], Imported]:
    out = Imported()
    for name in (CATALOG, TIERS):
        if name not in book.sheets:
            out.add(name, Issue("W903", {"sheet": name, "found": ""}), fatal=True)
    if out.fatal:
        return [], out
    columns, tier_cols = catalog_columns(), tier_columns()
    sheet, tiers_sheet = book.sheets[CATALOG], book.sheets[TIERS]
    entries, numbers = [], {}
    for index, row in enumerate(table_rows(out, sheet, columns[1:], "")):
        row.found.update(_number_column(sheet))
        entry = row_record(out, row, columns, ("catalog", index), policy.area_code)
        numbers[str(entry.pop("no", index + 1))] = index
        _counties(entry, policy)
        entries.append(entry)
    for row in table_rows(out, tiers_sheet, tier_cols[1:], ""):
        row.found.update(_number_column(tiers_sheet))
        tier = row_record(out, row, tier_cols, ("tiers-sheet", row.number), "")
        owner = numbers.get(str(tier.pop("no", "")))
        if owner is None:
            what = f"“{TIERS}”第 {row.number} 行的序号在“{CATALOG}”表中找不到"
            out.add(f"{TIERS}!A{row.number}", Issue("W907", {"what": what}))
            continue
        tiers = entries[owner].setdefault("tiers", [])
        for key in tier:
            out.cells[("catalog", owner, "tiers", len(tiers), key)] = out.cells[("tiers-sheet", row.number, key)]
        tiers.append(tier)
    return [_ordered(e) for e in entries], out


def _number_column(sheet: Any) -> dict[str, int]:
    for column in range(1, sheet.last_column + 1):
        if str(sheet.get(HEADER_ROW, column) or "").strip() == "序号":
            return {"no": column}
    return {}


def _ordered(entry: dict[str, Any]) -> dict[str, Any]:
    """The order policy.yml is written in: what is charged, then the limits, then notes and basis."""
    return {k: entry[k] for k in _ORDER if k in entry}


def import_catalog(workbook: Path, policy_path: Path, *, write: bool = True) -> CatalogOutcome:
    file = display_path(workbook)
    book, issue = open_book(workbook)
    found = [from_issue(file, "", issue)] if issue else []
    if book is None:
        return CatalogOutcome(found)
    policy, _, _ = load_policy(policy_path)
    entries, imported = read_catalog(book, policy)
    found += [from_issue(file, where, i) for where, i in imported.findings]
    raw, problems = read_limited(policy_path, MAX_POLICY_BYTES, display_path(policy_path))
    if imported.fatal or raw is None:
        return CatalogOutcome(found + [from_issue(file, "", Issue("W924", {"what": p.message})) for p in problems])
    lines: list[Line] = [("catalog:", ("catalog",))]
    for index, entry in enumerate(entries):
        lines += sequence_item(entry, 2, ("catalog", index), flow_keys=True)
    spliced = splice_key(raw.decode("utf-8"), load_bytes(raw, "policy"), "catalog", lines)
    if spliced is None:
        return CatalogOutcome(found + [from_issue(file, "", Issue("W924", {"what": "policy.yml 的 catalog 不是逐行书写的格式"}))])
    data = spliced.text.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="xiaowu-catalog-") as scratch:
        copy = Path(scratch) / policy_path.name
        copy.write_bytes(data)
        diagnostics = load_policy(copy)[2]
        mapping = {spliced.first_line + offset: path for offset, (_, path) in enumerate(spliced.lines)}
        found += relocate([d for d in diagnostics if d.file == display_path(copy)], display_path(copy), file,
                          mapping, imported.cells)
    found = [x if x.file != display_path(copy) else Located(display_path(policy_path), x.where, x.diagnostic)
             for x in one_per_cell(found)]
    ok = not any(x.blocking for x in found)
    if ok and write and data != raw:
        replace_file(policy_path, data)
    return CatalogOutcome(found, ok and write, len(entries))
