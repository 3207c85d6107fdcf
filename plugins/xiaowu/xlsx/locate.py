# Findings located in a workbook: a spreadsheet accident at its cell, and each finding of the
# core's checks on the written YAML traced back through the emitted lines to the cell it came from.
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from xiaowu.findings.diagnostic import ERROR, Diagnostic, make
from xiaowu.findings.table import RULES
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.cells import Issue

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """A finding and where a clerk finds it: ``where`` is a cell (``本学期收费!D7``), a sheet, or,
    for a finding outside the imported block, ``line:column`` of ``file``."""

    file: str
    where: str
    diagnostic: Diagnostic

    @property
    def blocking(self) -> bool:
        return self.diagnostic.blocking


def from_issue(file: str, where: str, issue: Issue) -> Located:
    return Located(file, where, make(issue.code, file, 1, 1, **issue.details))


#: Row-level fee rules reported at the item's first line, and the column each one is about.
_ROW_FIELDS = {"F201": "amount", "F202": "basis.document", "F203": "basis.document", "F207": "amount",
               "F210": "voluntary", "F211": "settlement", "F212": "billing_period", "F214": "scope", "F215": "unit",
               "F217": "stage", "F219": "tier", "F221": "basis.document"}


def _owner(path: Path) -> Path:
    """The mapping that holds the last key of ``path`` (a list index is not a key)."""
    while path and isinstance(path[-1], int):
        path = path[:-1]
    return path[:-1]


def cell_of(path: Path, cells: dict[Path, str], message: str, code: str = "") -> str | None:
    """The cell a finding at ``path`` belongs to: the column its rule is about (a row-level fee rule),
    else the field its message names (a missing value is reported at its parent mapping), else the
    cell of the longest known prefix of ``path``."""
    owner = _owner(path)
    field = _ROW_FIELDS.get(code) if path[:1] == ("items",) else None
    if field and cells.get(path[:2] + tuple(field.split("."))):
        return cells[path[:2] + tuple(field.split("."))]
    for known, cell in cells.items():
        if len(known) == len(owner) + 1 and known[:len(owner)] == owner and f"“{known[-1]}”" in message:
            return cell
    for length in range(len(path), 0, -1):
        if path[:length] in cells:
            return cells[path[:length]]
    return None


def relocate(diagnostics: list[Diagnostic], yaml_file: str, workbook: str, lines: dict[int, Path],
             cells: dict[Path, str]) -> list[Located]:
    """Checks' findings: those on an imported line move to their cell; the rest keep file:line."""
    out = []
    for d in diagnostics:
        path = lines.get(d.line) if d.file == yaml_file else None
        cell = cell_of(path, cells, d.message, d.code) if path is not None else None
        if cell is not None:
            out.append(Located(workbook, cell, d))
        else:
            out.append(Located(d.file, f"{d.line}:{d.column}", d))
    return out


def one_per_cell(found: list[Located]) -> list[Located]:
    """A cell with a spreadsheet accident reports only that (the core's finding there is its echo)."""
    sheet_born = {(x.file, x.where) for x in found if x.diagnostic.code.startswith("W")}
    return [x for x in found if x.diagnostic.code.startswith("W") or (x.file, x.where) not in sheet_born]


def _position(x: Located) -> tuple[int, int, int, str, int]:
    """Workbook-wide findings first, then sheet by sheet in the workbook's order, row by row."""
    sheet, _, cell = x.where.partition("!")
    if not x.where:
        return (0, 0, 0, "", 0)
    if ":" in x.where and not cell:  # a line of the YAML file
        line, _, column = x.where.partition(":")
        return (2, 0, int(line) if line.isdigit() else 0, "", int(column) if column.isdigit() else 0)
    order = (*L.SHEETS, L.LISTS)
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    rank = order.index(sheet) if sheet in order else len(order)
    return (1, rank, int(digits) if digits else 0, f"{len(letters):02d}{letters}", 0)


def in_order(found: list[Located]) -> list[Located]:
    return sorted(found, key=_position)


def format_located(found: list[Located]) -> str:
    out = []
    for x in found:
        d = x.diagnostic
        label = "错误" if d.severity == ERROR else "警告"
        where = f"{x.file}:{x.where}" if ":" in x.where and "!" not in x.where else f"{x.file} {x.where}".rstrip()
        out.append(f"{where}: {d.code} [{label}] {d.message}")
        out.append(f"  = 帮助: {d.help}")
        out.append(f"  = 依据: {d.basis}")
    return "\n".join(out)


def located_json(found: list[Located]) -> str:
    rows = [{"file": x.file, "where": x.where, **{k: v for k, v in asdict(x.diagnostic).items() if k != "file"},
             "title": RULES[x.diagnostic.code].title} for x in found]
    return json.dumps(rows, ensure_ascii=False, indent=2)
