# Reading a returned workbook, whoever saved it: Excel, WPS or LibreOffice, as .xlsx (openpyxl, which
# also sees formulas, merged cells and hidden rows) or as .xls/.et/.ods (python-calamine, values only).
# The format is told from the file's first bytes, not its name (WPS saves .et files of either kind).
# A file that cannot be read at all is one finding (W901), never a traceback.
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaowu.xlsx.cells import Issue

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Larger than any fee table: refuse before parsing (a zip bomb or a wrong file).
MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024


@dataclass(frozen=True)
class Sheet:
    name: str
    #: (row, column) -> value, 1-based, non-empty cells only.
    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    #: (row, column) -> formula text, for cells that hold a formula (xlsx only).
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    #: (min_row, min_col, max_row, max_col) of each merged range (xlsx/xls only).
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)

    def get(self, row: int, column: int) -> Any:
        return self.values.get((row, column))

    @property
    def last_row(self) -> int:
        return max((r for r, _ in self.values), default=0)

    @property
    def last_column(self) -> int:
        return max((c for _, c in self.values), default=0)


@dataclass(frozen=True)
class Book:
    sheets: dict[str, Sheet]
    #: "" for .xlsx; otherwise the producer's format in words, for W902.
    legacy: str = ""


def _openpyxl(raw: bytes) -> Book:
    from openpyxl import load_workbook

    values = load_workbook(io.BytesIO(raw), data_only=True)
    formulas = load_workbook(io.BytesIO(raw), data_only=False)
    sheets: dict[str, Sheet] = {}
    for ws in values.worksheets:
        cells = {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row
                 if cell.value is not None and cell.value != ""}
        written = {(cell.row, cell.column): str(cell.value) for row in formulas[ws.title].iter_rows() for cell in row
                   if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))}
        sheets[ws.title] = Sheet(ws.title, cells, written,
                                 [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges],
                                 {index for index, dim in ws.row_dimensions.items() if dim.hidden})
    return Book(sheets)


def _calamine(raw: bytes, kind: str) -> Book:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    sheets: dict[str, Sheet] = {}
    for name in book.sheet_names:
        ws = book.get_sheet_by_name(name)
        cells = {(r + 1, c + 1): value for r, row in enumerate(ws.to_python(skip_empty_area=False))
                 for c, value in enumerate(row) if value is not None and value != ""}
        sheets[name] = Sheet(name, cells,
                             merged=[(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (ws.merged_cell_ranges or [])])
    return Book(sheets, legacy=kind)


def _kind(raw: bytes) -> str:
    if raw.startswith(_OLE):
        return "Excel 97-2003（.xls）或 WPS（.et）"
    if raw.startswith(_ZIP):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ValueError("解压后超过 200 MB，不像是一张收费公示表工作簿")
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                return "OpenDocument（.ods）"
            if "xl/workbook.xml" in names:
                return ""
            if "xl/workbook.bin" in names:
                return "Excel 二进制工作簿（.xlsb）"
    raise ValueError("不是 Excel、WPS 或 LibreOffice 的工作簿")


def open_book(path: Path) -> tuple[Book | None, Issue | None]:
    """The workbook's sheets, or the reason it cannot be read (W901) and nothing else."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, Issue("W901", {"reason": f"（{exc.strerror or exc}）"})
    if len(raw) > MAX_BYTES:
        return None, Issue("W901", {"reason": f"（文件超过 {MAX_BYTES // 1024 // 1024} MB，不像是一张收费公示表）"})
    try:
        kind = _kind(raw)
        book = _openpyxl(raw) if kind == "" else _calamine(raw, kind)
    except Exception as exc:  # noqa: BLE001 - any producer's damage is one finding, never a traceback
        reason = str(exc) if isinstance(exc, ValueError) and "工作簿" in str(exc) else "内容已损坏、加了密码或是不支持的格式"
        return None, Issue("W901", {"reason": f"（{reason}）"})
    return book, (Issue("W902", {"kind": book.legacy}) if book.legacy else None)
