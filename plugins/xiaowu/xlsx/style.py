# Cell styles and sheet set-up shared by every workbook we write: headers with the schema's
# description as a comment, unlocked input cells, A4 landscape printing fitted to the page width.
from __future__ import annotations

from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

AUTHOR = "xiaowu"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def header(ws: Any, row: int, column: int, title: str, description: str, required: bool) -> None:
    """A header cell: the schema title (an asterisk when required), its description as a comment."""
    cell = ws.cell(row=row, column=column, value=title)
    cell.font = Font(bold=True)
    cell.fill = REQUIRED_FILL if required else HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    cell.border = BORDER
    if description:
        note = f"{title}{'（必填）' if required else ''}：{description}"
        cell.comment = Comment(note, AUTHOR, width=320, height=140)


def row_heights(ws: Any, header_row: int, first: int, last: int) -> None:
    """Room for two lines in the header and each row (LibreOffice keeps wrapped text to one line
    unless told; Excel and WPS grow a row while typing anyway)."""
    ws.row_dimensions[header_row].height = 32
    for row in range(first, last + 1):
        ws.row_dimensions[row].height = 30


def input_cell(ws: Any, row: int, column: int, number_format: str = "General") -> Any:
    cell = ws.cell(row=row, column=column)
    cell.protection = UNLOCKED
    cell.border = BORDER
    cell.alignment = WRAP
    cell.number_format = number_format
    return cell


def locked_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=column, value=value)
    cell.fill = LOCKED_FILL
    cell.border = BORDER
    cell.alignment = WRAP
    return cell


def title(ws: Any, text: str, hint: str) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=hint).font = Font(color="C00000")


def print_setup(ws: Any, title_rows: str | None = None) -> None:
    """A4 landscape, fitted to one page wide, header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


def protect(ws: Any) -> None:
    """Protected without a password: a clerk cannot move a header by accident; a bureau can unprotect."""
    ws.protection.sheet = True
    ws.protection.formatRows = False  # rows may still be resized
    ws.protection.formatColumns = False
