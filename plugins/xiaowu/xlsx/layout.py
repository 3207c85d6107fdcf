# The school workbook's layout, shared by the writer (template.py) and the reader (importer.py):
# sheet names, the 基本信息 rows and the columns of the fee and hotline tables, each tied to its
# schema key. Titles and descriptions come from school.schema.json, never typed twice.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from xiaowu.read.schema import load_schema, resolve

GUIDE, INFO, FEES, HOTLINES, SETTLE, LISTS = "说明", "基本信息", "本学期收费", "投诉电话", "结算", "选项"
SHEETS = (GUIDE, INFO, FEES, HOTLINES, SETTLE)
#: Version of this layout, written into the workbook; a workbook of another layout is refused.
LAYOUT_VERSION = "xiaowu-xlsx-1"
#: Header row of the tables (row 1: title, row 2: what to do); data from the row after.
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
#: Input rows offered below the prefilled ones (a county's largest table has ~15 items).
SPARE_ROWS = 12
#: Kinds of cell: how a value is read back (cells.py) and formatted (template.py).
TEXT, AMOUNT, DATE, PHONE, LIST, CHOICE = "text", "amount", "date", "phone", "list", "choice"


@dataclass(frozen=True)
class Column:
    key: str  # dotted path inside a fee item / hotline / the disclosure ("basis.document")
    title: str
    description: str
    kind: str
    required: bool = False
    #: Cells typed as text ("@"), so Excel keeps a leading 0 and never reads a date or a number.
    as_text: bool = False


def _node(root: dict[str, Any], where: str) -> dict[str, Any]:
    return resolve(root["$defs"][where], root)


def _column(props: dict[str, Any], root: dict[str, Any], key: str, kind: str, required: set[str],
            prefix: str = "") -> Column:
    node = resolve(props[key], root)
    return Column(prefix + key, node.get("title", key), node.get("description", ""), kind,
                  key in required, as_text=kind in (PHONE, TEXT) and key in {"document", "phone"})


_FEE_KINDS = {"amount": AMOUNT, "category": CHOICE, "stage": CHOICE, "pricing": CHOICE, "billing_period": CHOICE,
              "voluntary": CHOICE}
_BASIS = ("authority", "document", "title", "url")


@cache
def fee_columns() -> tuple[Column, ...]:
    root = load_schema("school")
    fee = _node(root, "fee_item")
    required = set(fee.get("required", [])) | set(fee.get("x-required-by-rules", []))
    basis = _node(root, "basis")
    basis_required = set(basis.get("x-required-by-rules", []))
    out: list[Column] = []
    for key in fee["properties"]:
        if key == "basis":
            out += [_column(basis["properties"], root, k, TEXT, basis_required, "basis.") for k in _BASIS]
        else:
            out.append(_column(fee["properties"], root, key, _FEE_KINDS.get(key, TEXT), required))
    return tuple(out)


SCHOOL_COLUMN = Column("school", "学校名称", "本校名称，已填好；从别的学校表格复制来的行会被发现。", TEXT)


@cache
def hotline_columns() -> tuple[Column, ...]:
    root = load_schema("school")
    line = resolve(root["properties"]["hotlines"]["items"], root)
    required = set(line.get("required", []))
    return tuple(_column(line["properties"], root, k, PHONE if k == "phone" else TEXT, required) for k in line["properties"])


@dataclass(frozen=True)
class InfoRow:
    key: str
    title: str
    description: str
    kind: str
    editable: bool
    required: bool = False


_INFO_KINDS = {"published": DATE, "valid_from": DATE, "valid_until": DATE, "channels": LIST,
               "complaint_channels": LIST}
#: Rows that identify the workbook: prefilled, locked, compared on import.
IDENTITY = (("id", "学校代号", "本局名单中的学校代号，即资料文件名。"),
            ("name", "学校名称", "本局名单中的学校名称。"),
            ("county", "所在县区", ""), ("ownership", "办学性质", ""), ("stages", "学段", ""),
            ("term", "学期", "本表填写的学期（本局学期安排中的代号）。"),
            ("layout", "表格版本", "请勿修改。"))


@cache
def info_rows() -> tuple[InfoRow, ...]:
    root = load_schema("school")
    disclosure = _node(root, "disclosure")
    required = set(disclosure.get("required", [])) | set(disclosure.get("x-required-by-rules", []))
    rows = [InfoRow(k, t, d, TEXT, False) for k, t, d in IDENTITY]
    for key, node in disclosure["properties"].items():
        if key in ("term", "items"):
            continue
        node = resolve(node, root)
        description = node.get("description", "")
        if key in _INFO_KINDS and _INFO_KINDS[key] == LIST:
            description += " 多项用顿号“、”隔开。"
        rows.append(InfoRow(key, node.get("title", key), description, _INFO_KINDS.get(key, TEXT), True, key in required))
    return tuple(rows)


def info_row_number(key: str) -> int:
    """The sheet row of a 基本信息 entry (rows start under the header)."""
    return FIRST_ROW + [r.key for r in info_rows()].index(key)


def column_letter(index: int) -> str:
    """1-based column number to its letters.

    >>> column_letter(1), column_letter(26), column_letter(28)
    ('A', 'Z', 'AB')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_value(kind: str, value: Any) -> Any:
    """A YAML-side value (record text) as the cell shows it: numbers, dates, lists joined by 、."""
    if value is None or value == "":
        return None
    if kind == AMOUNT:
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == DATE:
        return date.fromisoformat(str(value))
    if kind == LIST:
        return "、".join(value)
    return str(value)
