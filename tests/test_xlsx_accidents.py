# The spreadsheet accidents: what Excel, WPS and clerks do to a returned 收费公示表. Each one gives
# exactly one finding, located at its cell (or its sheet), with a stable W code, and never a
# traceback; a value whose meaning is certain is imported as meant (checked against the file).
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from xiaowu.findings.table import RULES
from xiaowu.xlsx import layout as L

from xlsxkit import TERM, column, copy_schools, edit, found, info_cell, run, soffice, template

SCHOOL = "qingshi-00003"  # 住宿费 290 on the first row; one hotline 0712-3739781
ROW, SPARE = L.FIRST_ROW, L.FIRST_ROW + 3
Change = Callable[[Any], None]


def fee(title: str, value: object, row: int = ROW) -> Change:
    def change(wb: Any) -> None:
        ws = wb[L.FEES]
        ws[f"{column(ws, title)}{row}"] = value
    return change


def info(key: str, value: object, number_format: str | None = None) -> Change:
    def change(wb: Any) -> None:
        cell = wb[L.INFO][info_cell(key) if key != "settled" else "B18"]
        cell.value = value
        if number_format:
            cell.number_format = number_format
    return change


def phone(value: object) -> Change:
    def change(wb: Any) -> None:
        wb[L.HOTLINES][f"B{L.FIRST_ROW}"] = value
    return change


def settle(cell: str, value: object) -> Change:
    def change(wb: Any) -> None:
        wb[L.SETTLE][cell] = value
    return change


def both(*changes: Change) -> Change:
    def change(wb: Any) -> None:
        for one in changes:
            one(wb)
    return change


def _merge(wb: Any) -> None:
    ws = wb[L.FEES]
    letter = column(ws, "批准机关")
    ws.merge_cells(f"{letter}{ROW}:{letter}{ROW + 1}")


def _extra_column(wb: Any) -> None:
    ws = wb[L.FEES]
    ws.cell(row=L.HEADER_ROW, column=ws.max_column + 1, value="联系人")
    ws.cell(row=ROW, column=ws.max_column, value="王老师")


def _rename(sheet: str, to: str) -> Change:
    def change(wb: Any) -> None:
        wb[sheet].title = to
    return change


def _hide(wb: Any) -> None:
    wb[L.FEES].row_dimensions[ROW].hidden = True


def _drop_amount(wb: Any) -> None:
    ws = wb[L.FEES]
    ws.delete_cols(ws[f"{column(ws, '收费标准（元）')}{L.HEADER_ROW}"].column)


def _copied_row(wb: Any) -> None:
    for title, value in (("学校名称", "青石县城关幼儿园"), ("收费项目", "伙食费"), ("收费类别", "伙食费"), ("收费标准（元）", 1500)):
        fee(title, value, SPARE)(wb)


SERIAL = (date(2026, 8, 11) - date(1899, 12, 30)).days
FEE = L.FEES + "!"

# name, change, expected (code, where) with {amount}/{item}/... standing for a column's letter
CASES: list[tuple[str, Change, tuple[str, str]]] = [
    ("phone number cell lost its 0", phone(7123739781), ("W914", f"{L.HOTLINES}!B{L.FIRST_ROW}")),
    ("phone typed 712-…", phone("712-3739781"), ("W914", f"{L.HOTLINES}!B{L.FIRST_ROW}")),
    ("amount stored as text", fee("收费标准（元）", "290"), ("W915", FEE + "{amount}4")),
    ("amount with 元 and comma", fee("收费标准（元）", "1,290元"), ("W915", FEE + "{amount}4")),
    ("float noise 290.0000001", fee("收费标准（元）", 290.0000001), ("W916", FEE + "{amount}4")),
    ("full-width digits", fee("收费标准（元）", "２９０"), ("W920", FEE + "{amount}4")),
    ("date typed 2026.8.11", info("published", "2026.8.11"), ("W917", f"{L.INFO}!{info_cell('published')}")),
    ("date typed 2026年8月11日", info("published", "2026年8月11日"), ("W917", f"{L.INFO}!{info_cell('published')}")),
    ("date stored as a serial number", info("published", SERIAL, "General"), ("W918", f"{L.INFO}!{info_cell('published')}")),
    ("date with a time", info("published", datetime(2026, 8, 11, 9, 30)), ("W919", f"{L.INFO}!{info_cell('published')}")),
    ("merged cells", _merge, ("W909", FEE + "{authority}4")),
    ("row copied from another school", _copied_row, ("W910", FEE + "A7")),
    ("extra column with data", _extra_column, ("W907", FEE + "U3")),
    ("renamed column", fee("收费标准（元）", "金额", L.HEADER_ROW), ("W908", FEE + "{amount}3")),
    ("deleted column", _drop_amount, ("W907", FEE + "3:3")),
    ("empty required cell", fee("收费范围", None), ("S101", FEE + "{scope}4")),
    ("formula without a result", fee("收费标准（元）", "=145*2"), ("W913", FEE + "{amount}4")),
    ("hidden row", _hide, ("W911", FEE + "{item}4")),
    ("sheet renamed", _rename(L.FEES, "Sheet1"), ("W903", L.FEES)),
    ("sheet deleted", lambda wb: wb.remove(wb[L.HOTLINES]), ("W903", L.HOTLINES)),
    ("trailing space", fee("收费项目", "住宿费 "), ("W921", FEE + "{item}4")),
    ("total row", both(fee("收费项目", "合计", SPARE), fee("收费标准（元）", 1370, SPARE)), ("W922", FEE + "{item}7")),
    ("workbook of another school", info("id", "qingshi-00000"), ("W905", f"{L.INFO}!{info_cell('name')}")),
    ("another layout", info("layout", "收费公示表-2019"), ("W904", f"{L.INFO}!{info_cell('layout')}")),
    ("school without a file", both(info("id", "qingshi-99999")), ("W923", "")),
    ("school id that is a path", info("id", "../qingshi/qingshi-00003"), ("W923", "")),
    # As typed in the real table below: a standard by grade with 元, a local number without area code.
    ("standard typed by grade with 元", fee("收费标准（元）", "1-9年级8元"), ("S105", FEE + "{amount}4")),
    ("phone without area code", phone(86310447), ("H301", f"{L.HOTLINES}!B{L.FIRST_ROW}")),
    ("empty required date", info("published", None), ("S101", f"{L.INFO}!{info_cell('published')}")),
    ("empty document number", fee("批准文号", None), ("F202", FEE + "{document}4")),
    ("empty phone", phone(None), ("S101", f"{L.HOTLINES}!B{L.FIRST_ROW}")),
]
SETTLE_CASES: list[tuple[str, Change, tuple[str, str]]] = [
    ("settlement figure typed as text", settle("F4", "981,500"), ("W915", f"{L.SETTLE}!F4")),
    ("settlement continuation row with figures", settle("F5", 100), ("W907", f"{L.SETTLE}!F5")),
    ("settlement date typed 2026.7.26", info("settled", "2026.7.26"), ("W917", f"{L.INFO}!B18")),
    ("settlement date left empty", info("settled", None), ("S101", f"{L.INFO}!B18")),
    ("spending purpose left empty", settle("H5", None), ("S101", f"{L.SETTLE}!H5")),
]
LETTERS = {"amount": "收费标准（元）", "authority": "批准机关", "scope": "收费范围", "item": "收费项目", "document": "批准文号"}


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("blank")
    workbook = template(copy_schools(root), SCHOOL, root)
    ws = load_workbook(workbook)[L.FEES]
    return workbook, {key: column(ws, title) for key, title in LETTERS.items()}


def _import(tmp_path: Path, blank: Path, change: Change | None = None, term: str = TERM) -> tuple[list[tuple[str, str]], Path]:
    schools = copy_schools(tmp_path)
    workbook = edit(blank, change or (lambda wb: None), tmp_path / "filled.xlsx")
    return found(run(workbook, schools, term=term)), schools / "qingshi" / f"{SCHOOL}.yml"


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_accident_gives_one_located_message(tmp_path: Path, blank: tuple[Path, dict[str, str]], name: str,
                                            change: Change, expected: tuple[str, str]) -> None:
    got, _ = _import(tmp_path, blank[0], change)
    assert got == [(expected[0], expected[1].format(**blank[1]))], name


@pytest.mark.parametrize("name,change,expected", SETTLE_CASES, ids=[c[0] for c in SETTLE_CASES])
def test_settlement_accident_gives_one_located_message(tmp_path: Path, name: str, change: Change,
                                                       expected: tuple[str, str]) -> None:
    """qingshi-00000's spring settlement: 伙食费 on row 4, its two more spending lines below."""
    schools = copy_schools(tmp_path)
    workbook = edit(template(schools, "qingshi-00000", tmp_path, "2026-春"), change)
    assert found(run(workbook, schools, term="2026-春")) == [expected], name


def test_workbook_of_another_term(tmp_path: Path, blank: tuple[Path, dict[str, str]]) -> None:
    got, target = _import(tmp_path, blank[0], term="2027-春")
    before = target.read_bytes()
    assert got == [("W906", f"{L.INFO}!{info_cell('term')}")] and target.read_bytes() == before


@pytest.mark.parametrize("content", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "学校,金额\n".encode(), b"PK\x03\x04broken"],
                         ids=["WPS .et that is not Excel", "CSV renamed to .xlsx", "damaged zip"])
def test_unreadable_file(tmp_path: Path, content: bytes) -> None:
    schools = copy_schools(tmp_path)
    path = tmp_path / "学校.et"
    path.write_bytes(content)
    outcome = run(path, schools)
    assert found(outcome) == [("W901", "")] and "另存为" in outcome.found[0].diagnostic.help


@pytest.mark.parametrize("change,key,value", [
    (fee("收费标准（元）", 290.0000001), "amount", "290"),
    (fee("收费标准（元）", "２９０"), "amount", "290"),
    (info("published", SERIAL, "General"), "published", "2026-08-11"),
    (info("published", "2026年8月11日"), "published", "2026-08-11"),
])
def test_certain_values_are_imported_as_meant(tmp_path: Path, blank: tuple[Path, dict[str, str]], change: Change,
                                              key: str, value: str) -> None:
    got, target = _import(tmp_path, blank[0], change)
    text = target.read_text("utf-8")
    assert len(got) == 1 and f"    published: {value}" in text if key == "published" else f"        amount: {value}\n" in text


def test_nothing_is_written_when_the_layout_is_broken(tmp_path: Path, blank: tuple[Path, dict[str, str]]) -> None:
    schools = copy_schools(tmp_path)
    target = schools / "qingshi" / f"{SCHOOL}.yml"
    before = target.read_bytes()
    workbook = edit(blank[0], both(_merge, fee("收费标准（元）", 300)), tmp_path / "x.xlsx")
    outcome = run(workbook, schools)
    assert outcome.written is None and outcome.failed and target.read_bytes() == before


def test_formula_with_a_result_and_an_xls_from_libreoffice(tmp_path: Path, blank: tuple[Path, dict[str, str]]) -> None:
    """LibreOffice computes the formula (a cached result to import) and writes the old .xls format."""
    schools = copy_schools(tmp_path)
    workbook = edit(blank[0], fee("收费标准（元）", "=145*2"), tmp_path / "formula.xlsx")
    computed = soffice(workbook, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    assert found(run(computed, schools)) == [("W912", f"{FEE}{blank[1]['amount']}4")]
    assert "        amount: 290\n" in (schools / "qingshi" / f"{SCHOOL}.yml").read_text("utf-8")
    legacy = soffice(edit(blank[0], lambda wb: None, tmp_path / "plain.xlsx"), "xls", tmp_path / "xls")
    outcome = run(legacy, schools)
    assert found(outcome) == [("W902", "")] and not outcome.failed


def test_a_real_published_table_pasted_in_is_refused_cell_by_cell(tmp_path: Path) -> None:
    """Layout transcribed from a school's published 收费公示表 (常州 卢家巷实验学校,
    http://www.ljxsy.wj.czedu.cn/html/article1311059.html): columns 收费性质 | 收费项目 | 计费单位 |
    收费标准 | 收费依据 | 收费对象 | 备注, 收费性质 merged down each group, standards typed with 元 and
    by grade in one cell, a 监督电话 line under the table. Values here are made up."""
    wb = Workbook()
    ws = wb.active
    ws.title = "收费公示表"
    ws.append(["某某学校收费公示表"])
    ws.append(["收费性质", "收费项目", "计费单位", "收费标准", "收费依据", "收费对象", "备注"])
    ws.append(["服务性收费", "伙食费", "每生每天", "1-9年级8元", "经部门备案", "在校就餐学生", "自愿"])
    ws.append([None, "课后服务费", "每生每学期", "小学生80元；初中生100元", "某价费〔2020〕1号", "自愿参加的学生", "自愿"])
    ws.merge_cells("A3:A4")
    ws.append(["监督电话：区教育局 86310283"])
    path = tmp_path / "real.xlsx"
    wb.save(path)
    got = found(run(path, copy_schools(tmp_path)))
    assert got == [("W903", L.INFO), ("W903", L.FEES), ("W903", L.HOTLINES)]
    assert all(x for x in got)


def test_every_w_rule_has_a_case() -> None:
    codes = {c[2][0] for c in CASES + SETTLE_CASES} | {"W906", "W901", "W902", "W912"}
    assert sorted(code for code in RULES if code.startswith("W") and code not in codes | {"W924"}) == []


def test_a_file_written_in_flow_style_is_not_rewritten(tmp_path: Path, blank: tuple[Path, dict[str, str]]) -> None:
    """JSON is YAML too: a fee_disclosures list written as one flow line cannot be spliced by lines."""
    import json

    from xiaowu.read.loader import load_bytes
    from xiaowu.xlsx.splice import block_end

    schools = copy_schools(tmp_path)
    target = schools / "qingshi" / f"{SCHOOL}.yml"
    lines = target.read_text("utf-8").split("\n")
    loaded = load_bytes(target.read_bytes(), "x")
    start = loaded.key_marks[("fee_disclosures",)][0] - 1
    flow = "fee_disclosures: " + json.dumps(loaded.data["fee_disclosures"], ensure_ascii=False)
    target.write_text("\n".join(lines[:start] + [flow] + lines[block_end(lines, start, 0):]), "utf-8")
    before = target.read_bytes()
    outcome = run(edit(blank[0], lambda wb: None, tmp_path / "x.xlsx"), schools)
    assert found(outcome) == [("W924", "")] and target.read_bytes() == before


def test_hostile_workbooks_are_refused(tmp_path: Path, blank: tuple[Path, dict[str, str]]) -> None:
    """A zip that unpacks to hundreds of MB, and XML entities (billion laughs), are one W901 each."""
    import zipfile

    schools = copy_schools(tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<a/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    entities = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(blank[0]) as source, zipfile.ZipFile(entities, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                doctype = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                head, _, rest = data.decode().rpartition("?>")
                data = ((head + "?>" if head else "") + doctype + rest).encode()
            target.writestr(item, data)
    for path in (bomb, entities):
        assert found(run(path, schools)) == [("W901", "")], path


def test_a_school_file_that_cannot_be_read_is_not_overwritten(tmp_path: Path, blank: tuple[Path, dict[str, str]]) -> None:
    schools = copy_schools(tmp_path)
    target = schools / "qingshi" / f"{SCHOOL}.yml"
    target.write_text("profile: [\n", "utf-8")
    outcome = run(edit(blank[0], lambda wb: None, tmp_path / "x.xlsx"), schools)
    assert found(outcome) == [("W924", "")] and target.read_text("utf-8") == "profile: [\n"


def test_headers_retyped_with_spaces_or_half_width_brackets_still_match(tmp_path: Path, blank: tuple[Path, dict[str, str]]) -> None:
    got, target = _import(tmp_path, blank[0], both(fee("收费标准（元）", 280), fee("收费标准（元）", "收费\n标准(元)", L.HEADER_ROW)))
    assert got == [] and "        amount: 280\n" in target.read_text("utf-8")
