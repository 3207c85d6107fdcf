# Helpers for the spreadsheet tests: a scratch copy of the example data, a school's workbook,
# finding a cell by its header title, importing and listing what was found as (code, where).
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from xiaowu.check.bureau import load_policy
from xiaowu.model.policy import Policy
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.apply import Outcome, import_workbook
from xiaowu.xlsx.source import find_school, read_school
from xiaowu.xlsx.template import school_workbook

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 9, 2)
TERM = "2026-秋"


def copy_schools(tmp: Path) -> Path:
    target = tmp / "schools"
    shutil.copytree(REPO / "schools", target)
    return target


def policy_of(schools: Path) -> Policy:
    return load_policy(schools / "policy.yml")[0]


def template(schools: Path, school_id: str, out: Path, term: str = TERM) -> Path:
    policy = policy_of(schools)
    path = find_school(schools, school_id, policy)
    assert path is not None
    source = read_school(path, policy)
    assert source is not None
    target = out / f"{school_id}-{term}.xlsx"
    school_workbook(source.school, policy, policy.terms[term]).save(target)
    return target


def run(workbook: Path, schools: Path, term: str | None = TERM, write: bool = True) -> Outcome:
    return import_workbook(workbook, schools, policy_of(schools), term=term, today=TODAY, write=write)


def found(outcome: Outcome) -> list[tuple[str, str]]:
    return [(x.diagnostic.code, x.where) for x in outcome.found]


def column(ws: Any, title: str) -> str:
    """The letter of the column whose header is ``title``."""
    for cell in ws[L.HEADER_ROW]:
        if cell.value == title:
            return str(cell.column_letter)
    raise KeyError(title)


def info_cell(key: str) -> str:
    return f"B{L.info_row_number(key)}"


def edit(path: Path, change: Any, out: Path | None = None) -> Path:
    """Open with openpyxl, apply ``change(workbook)``, save (to ``out`` or in place)."""
    wb = load_workbook(path)
    change(wb)
    target = out or path
    wb.save(target)
    return target


def soffice(source: Path, fmt: str, out_dir: Path) -> Path:
    """Convert with LibreOffice Calc headless (the second, independent producer)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=180)
    produced = out_dir / (source.stem + "." + fmt.split(":")[0])
    assert produced.is_file(), f"LibreOffice did not write {produced}"
    return produced
