# `xiaowu xlsx`: the school workbook, its import into the YAML file, the review workbook and the
# catalog table. Each example school's own template re-imports to the very same file; a filled
# workbook passes `xiaowu check` and reaches the review workbook; LibreOffice's re-saves import alike.
from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xiaowu.check.bureau import load_policy
from xiaowu.cli import main
from xiaowu.publish.exports import build_exports
from xiaowu.read.loader import load_bytes
from xiaowu.model.record import record
from xiaowu.publish.build import build
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.catalog import import_catalog
from xiaowu.xlsx.catalog_book import CATALOG, catalog_workbook
from xiaowu.xlsx.review import COLUMNS, review_workbook
from xiaowu.xlsx.source import read_school
from xiaowu.xlsx.splice import block_end

from xlsxkit import TERM, TODAY, column, copy_schools, edit, found, info_cell, policy_of, run, soffice, template


@pytest.fixture
def schools(tmp_path: Path) -> Path:
    return copy_schools(tmp_path)


def _with_term(schools: Path, term: str = TERM) -> list[Path]:
    policy = policy_of(schools)
    files = []
    for path in sorted(schools.glob("*/*.yml")):
        source = read_school(path, policy)
        assert source is not None
        if any(d.term == term for d in source.school.disclosures):
            files.append(path)
    return files


@pytest.mark.parametrize("term", [TERM, "2026-春"])
def test_every_example_school_reimports_its_own_template_byte_for_byte(schools: Path, tmp_path: Path, term: str) -> None:
    """This term's notice (autumn), and last term's notice with its settlement (spring)."""
    files = _with_term(schools, term)
    assert len(files) >= 40
    settled = 0
    for path in files:
        before = path.read_bytes()
        workbook = template(schools, path.stem, tmp_path, term)
        outcome = run(workbook, schools, term=term)
        assert found(outcome) == [], path
        assert outcome.written == path
        assert path.read_bytes() == before, path
        settled += load_workbook(workbook)["结算"]["F4"].value is not None
    assert settled > 30 if term == "2026-春" else settled == 0


def test_import_creates_the_settlement_entry(schools: Path, tmp_path: Path) -> None:
    path = schools / "qingshi" / "qingshi-00000.yml"
    source = read_school(path, policy_of(schools))
    assert source is not None
    original = record(source.school.settlements[0])
    workbook = template(schools, "qingshi-00000", tmp_path, "2026-春")
    text = path.read_text("utf-8")
    lines = text.split("\n")
    start = load_bytes(text.encode(), "x").key_marks[("settlements",)][0] - 1
    without = "\n".join(lines[:start] + lines[block_end(lines, start, 0):])
    path.write_text(without, "utf-8")
    assert found(run(workbook, schools, term="2026-春")) == []
    again = read_school(path, policy_of(schools))
    assert again is not None and record(again.school.settlements[0]) == original
    assert path.read_text("utf-8").startswith(without.rstrip("\n"))


def _disclosure(path: Path, term: str) -> object:
    policy = policy_of(path.parents[1])
    source = read_school(path, policy)
    assert source is not None
    return next(record(d) for d in source.school.disclosures if d.term == term)


def test_import_creates_the_term_entry_and_leaves_the_rest_of_the_file(schools: Path, tmp_path: Path) -> None:
    for school_id in ("qingshi-00000", "baihe-00025", "yunling-00002"):
        path = next(schools.glob(f"*/{school_id}.yml"))
        original = _disclosure(path, TERM)
        workbook = template(schools, school_id, tmp_path)
        text = path.read_text("utf-8")
        loaded = load_bytes(text.encode(), "x")
        lines = text.split("\n")
        start = loaded.marks[("fee_disclosures", 0)][0] - 1
        without = "\n".join(lines[:start] + lines[block_end(lines, start, 2):])
        path.write_text(without, "utf-8")
        assert found(run(workbook, schools)) == []
        after = path.read_text("utf-8").split("\n")
        assert _disclosure(path, TERM) == original
        # Taking the new block out again gives back the file as it was before the import.
        inserted = block_end(after, start, 2)
        assert "\n".join(after[:start] + after[inserted:]) == without


def _fill(workbook: Path) -> dict[str, object]:
    """What a clerk does: new dates, a changed amount, one more item; returns the values typed."""
    def change(wb: object) -> None:
        info, fees = wb[L.INFO], wb[L.FEES]  # type: ignore[index]
        info[info_cell("published")] = datetime(2026, 8, 19)
        fees[f"{column(fees, '收费标准（元）')}{L.FIRST_ROW}"] = 280
        row = L.FIRST_ROW + 3
        for title, value in (("收费项目", "校服费"), ("收费类别", "代收费"), ("适用学段", "初中"), ("收费标准（元）", 230),
                             ("计费单位", "元/套"), ("收费范围", "自愿订购校服的学生"), ("批准机关", "青石市教育局"),
                             ("批准文号", "青石市教育局〔2025〕7号"), ("是否自愿", "是"), ("收费周期", "一次性"),
                             ("结算方式", "据实收取，学期末结算，多退少补")):
            fees[f"{column(fees, title)}{row}"] = value
    edit(workbook, change)
    return {"published": "2026-08-19", "first": "280", "new": ("校服费", "230", "元/套")}


def test_round_trip_template_fill_import_check_export(schools: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["xlsx", "template", "qingshi-00003", "--data", "schools", "--today", "2026-09-01", "--out", "out"]) == 0
    workbook = tmp_path / "out" / f"qingshi-00003-{TERM}.xlsx"
    typed = _fill(workbook)
    assert main(["xlsx", "import", str(workbook), "--data", "schools", "--today", "2026-09-02"]) == 0
    assert "0 个错误，0 个警告" in capsys.readouterr().out
    assert main(["check", "--data", "schools", "--today", "2026-09-02"]) == 0
    entry = _disclosure(schools / "qingshi" / "qingshi-00003.yml", TERM)
    assert isinstance(entry, dict)
    assert entry["published"] == typed["published"] and entry["items"][0]["amount"] == typed["first"]
    assert (entry["items"][3]["item"], entry["items"][3]["amount"], entry["items"][3]["unit"]) == typed["new"]
    assert main(["xlsx", "export", "--data", "schools", "--today", "2026-09-02", "--out", "review.xlsx"]) == 0
    sheet = load_workbook(tmp_path / "review.xlsx")["青石县"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    mine = [r for r in rows if r["学校代号"] == "qingshi-00003"]
    assert [(r["项目"], r["标准"]) for r in mine][:1] == [("住宿费", 280)]
    assert ("校服费", 230, "元/套", "2026-08-19") in [(r["项目"], r["标准"], r["计费单位"], r["公示日期"]) for r in mine]
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_review_workbook_has_the_rows_of_fees_and_compliance_csv() -> None:
    done = build(Path("schools").resolve() if Path("schools").is_dir() else Path(__file__).parents[1] / "schools",
                 Path(__file__).parents[1], today=TODAY, jobs=1)
    files = build_exports(done.tables)
    term = done.site.term.id if done.site.term else ""
    fees = [r for r in _csv(files["data/fees.csv"]) if r["学期"] == term]
    status = {r["学校代号"]: r for r in _csv(files["data/compliance.csv"])}
    wb = review_workbook(done.site)
    rows = []
    for ws in wb.worksheets[1:]:
        assert [c.value for c in ws[1]] == list(COLUMNS)
        rows += [dict(zip(COLUMNS, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]

    def text(value: object) -> str:
        return "" if value is None else str(value)

    def number(value: str) -> str:  # a rate of 2.80 is the number 2.8 in a workbook a bureau sums
        try:
            return str(Decimal(value).normalize())
        except ArithmeticError:
            return value

    with_items = [r for r in rows if r["项目"]]
    assert len(with_items) == len(fees) > 100
    assert sorted(tuple(number(text(r[k])) for k in fees[0] if k in COLUMNS) for r in with_items) == \
        sorted(tuple(number(r[k]) for k in fees[0] if k in COLUMNS) for r in fees)
    assert {r["学校代号"] for r in rows} == set(status)
    for r in rows:
        expected = status[r["学校代号"]]
        assert (text(r["状态"]), text(r["原因"]), text(r["关注事项"])) == (expected["状态"], expected["原因"], expected["关注事项"])
    assert {ws.title for ws in wb.worksheets[1:]} == set(done.site.policy.counties.values())


def test_template_offers_the_catalog_and_protects_what_is_not_to_be_typed(schools: Path, tmp_path: Path) -> None:
    wb = load_workbook(template(schools, "qingshi-00003", tmp_path))
    assert wb.sheetnames == [L.GUIDE, L.INFO, L.FEES, L.HOTLINES, L.SETTLE, L.LISTS]
    assert wb[L.LISTS].sheet_state == "hidden"
    items = [c.value for c in wb[L.LISTS]["A"] if c.value]
    policy = policy_of(schools)
    allowed = {e.item for e in policy.applicable("公办", {"初中", "高中"}) if not e.counties or "qingshi" in e.counties}
    assert set(items) == allowed and "保教费" not in items and "校车服务费" not in items
    fees = wb[L.FEES]
    formulas = {dv.formula1 for dv in fees.data_validations.dataValidation}
    assert "xw_items" in formulas
    assert any(f.startswith('INDIRECT("xw_category_"') for f in formulas)
    assert all(name in wb.defined_names for name in ("xw_items", "xw_tier_2", "xw_billing_period_1"))
    amount = column(fees, "收费标准（元）")
    document = column(fees, "批准文号")
    assert fees[f"{document}{L.FIRST_ROW}"].number_format == "@"
    assert fees[f"{amount}{L.FIRST_ROW}"].value == 290 and fees[f"{amount}{L.FIRST_ROW}"].protection.locked is False
    assert fees[f"A{L.FIRST_ROW}"].protection.locked is True and fees.protection.sheet
    assert "收费标准" in fees[f"{amount}{L.HEADER_ROW}"].comment.text
    assert wb[L.HOTLINES][f"B{L.FIRST_ROW}"].number_format == "@"
    assert wb[L.HOTLINES][f"B{L.FIRST_ROW}"].value == "0712-3739781"
    assert wb[L.INFO][info_cell("id")].value == "qingshi-00003" and wb[L.INFO][info_cell("id")].protection.locked
    assert fees.page_setup.orientation == "landscape" and str(fees.page_setup.paperSize) == fees.PAPERSIZE_A4
    assert fees.sheet_properties.pageSetUpPr.fitToPage and fees.page_setup.fitToWidth == 1


def test_catalog_table_round_trip_and_located_errors(schools: Path, tmp_path: Path) -> None:
    policy_path = schools / "policy.yml"
    before = policy_path.read_bytes()
    typed = load_policy(policy_path)[1]
    assert typed is not None
    table = tmp_path / "目录.xlsx"
    catalog_workbook(typed["catalog"]).save(table)
    outcome = import_catalog(table, policy_path)
    assert outcome.found == [] and outcome.entries == len(typed["catalog"])
    after = load_policy(policy_path)
    assert after[2] == [] and after[1] is not None and after[1]["catalog"] == typed["catalog"]
    # Only the catalog block changed: the text before and after it is the same.
    old, new = before.decode().split("\n"), policy_path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(old) if line == "catalog:")
    assert new[:start] == old[:start] and new[block_end(new, start, 0):] == old[block_end(old, start, 0):]

    def spoil(wb: object) -> None:
        ws = wb[CATALOG]  # type: ignore[index]
        ws[f"{column(ws, '收费类别')}{L.FIRST_ROW}"] = "乱收费"
        ws[f"{column(ws, '适用学段')}{L.FIRST_ROW + 1}"] = "大学"
    edit(table, spoil)
    written = policy_path.read_bytes()
    bad = import_catalog(table, policy_path)
    assert bad.failed and not bad.written and policy_path.read_bytes() == written
    where = {(x.diagnostic.code[0], x.where) for x in bad.found}
    assert ("S", f"{CATALOG}!{column(load_workbook(table)[CATALOG], '收费类别')}{L.FIRST_ROW}") in where
    assert any(w == f"{CATALOG}!{column(load_workbook(table)[CATALOG], '适用学段')}{L.FIRST_ROW + 1}" for _, w in where)


def test_libreoffice_resaves_import_identically(schools: Path, tmp_path: Path) -> None:
    workbook = template(schools, "qingshi-00003", tmp_path)
    _fill(workbook)
    target = schools / "qingshi" / "qingshi-00003.yml"
    original = target.read_bytes()
    assert found(run(workbook, schools)) == []
    direct = target.read_bytes()
    assert direct != original
    resaved = soffice(workbook, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo-xlsx")
    ods = soffice(workbook, "ods", tmp_path / "lo-ods")
    from_ods = soffice(ods, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo-ods-xlsx")
    for produced, expected in ((resaved, []), (from_ods, []), (ods, [("W902", "")])):
        target.write_bytes(original)
        assert found(run(produced, schools)) == expected, produced
        assert target.read_bytes() == direct, produced
    # The drop-downs, named lists and protection survive LibreOffice's own writer.
    fees = load_workbook(resaved)[L.FEES]
    formulas = {dv.formula1 for dv in fees.data_validations.dataValidation}
    assert "xw_items" in formulas and any("INDIRECT" in f for f in formulas)
    assert fees.protection.sheet


def test_template_prints_on_a4_landscape(schools: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = soffice(template(schools, "qingshi-00003", tmp_path), "pdf", tmp_path / "pdf")
    pages = PdfReader(pdf).pages
    fees = [p for p in pages if "收费项目" in (p.extract_text() or "") and "住宿费" in (p.extract_text() or "")]
    assert fees
    for page in fees:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape in points


@pytest.mark.parametrize("argv", [
    ["xlsx", "template", "--data", "schools"],
    ["xlsx", "template", "qingshi-00003", "--county", "qingshi", "--data", "schools"],
    ["xlsx", "template", "qingshi-00003", "--term", "2030-春", "--data", "schools"],
    ["xlsx", "import", "x.xlsx", "--term", "2030-春", "--data", "schools"],
    ["xlsx", "catalog", "--data", "schools"],
])
def test_usage_errors_exit_2(schools: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.chdir(schools.parent)
    assert main(argv) == 2


def test_screenshot_script_renders_the_fee_sheet(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("xlsx_screenshot", Path(__file__).parents[1] / "scripts" / "xlsx_screenshot.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    png = script.render(tmp_path, resolution=40)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 5000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > height  # landscape


def test_import_dry_run_and_json(schools: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    import json

    monkeypatch.chdir(tmp_path)
    workbook = template(schools, "qingshi-00003", tmp_path)
    edit(workbook, lambda wb: wb[L.FEES].__setitem__(f"{column(wb[L.FEES], '收费标准（元）')}{L.FIRST_ROW}", 350))
    target = schools / "qingshi" / "qingshi-00003.yml"
    before = target.read_bytes()
    assert main(["xlsx", "import", str(workbook), "--dry-run", "--format", "json", "--data", "schools",
                 "--today", "2026-09-02"]) == 1
    assert target.read_bytes() == before
    rows = json.loads(capsys.readouterr().out)
    letter = column(load_workbook(workbook)[L.FEES], "收费标准（元）")
    assert [(r["code"], r["where"], r["file"]) for r in rows] == [("F207", f"{L.FEES}!{letter}{L.FIRST_ROW}", workbook.name)]
    assert rows[0]["title"] == "超标准收费" and rows[0]["basis"] and rows[0]["help"]


def test_libreoffice_resolves_the_dependent_lists(schools: Path, tmp_path: Path) -> None:
    """The drop-down sources are formulas over named lists; LibreOffice computes them to the catalog's
    values for the item chosen on the row (住宿费 here: two tiers for the 高中 entry)."""
    workbook = template(schools, "qingshi-00003", tmp_path)

    def probe(wb: object) -> None:
        ws = wb[L.FEES]  # type: ignore[index]
        item = f"{column(ws, '收费项目')}{L.FIRST_ROW}"
        ws["Z1"] = f'=INDEX(INDIRECT("xw_tier_"&MATCH({item},xw_items,0)),2)'
        ws["Z2"] = f'=INDEX(INDIRECT("xw_unit_"&MATCH({item},xw_items,0)),1)'
        ws["Z3"] = f'=COUNTA(INDIRECT("xw_category_"&MATCH({item},xw_items,0)))'
    edit(workbook, probe)
    computed = load_workbook(soffice(workbook, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo"), data_only=True)[L.FEES]
    assert (computed["Z1"].value, computed["Z2"].value, computed["Z3"].value) == ("公寓化管理宿舍", "元/生·学期", 1)


def test_import_text_report_lists_cells_in_workbook_order(schools: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    workbook = template(schools, "qingshi-00003", tmp_path)

    def change(wb: object) -> None:
        fees = wb[L.FEES]  # type: ignore[index]
        amount = column(fees, "收费标准（元）")
        fees[f"{amount}{L.FIRST_ROW}"], fees[f"{amount}{L.FIRST_ROW + 1}"] = 350, "300元"
        wb[L.HOTLINES][f"B{L.FIRST_ROW}"] = 7123739781  # type: ignore[index]
        wb[L.INFO][info_cell("published")] = "2026年8月11日"  # type: ignore[index]
    edit(workbook, change)
    target = schools / "qingshi" / "qingshi-00003.yml"
    before = target.read_bytes()
    assert main(["xlsx", "import", str(workbook), "--dry-run", "--data", "schools", "--today", "2026-09-02"]) == 1
    out = capsys.readouterr().out
    heads = [line.split(": ", 1)[1].split(" [")[0] for line in out.splitlines() if line.startswith(workbook.name + " ")]
    assert heads == ["W917", "F207", "W915", "W914"]
    assert "没有写入资料文件；2 个错误，2 个警告" in out and "= 帮助:" in out and "= 依据:" in out
    assert target.read_bytes() == before
