#!/usr/bin/env python3
"""The school workbook as LibreOffice prints it, for the clerk guide (docs/clerks.md).

    .venv/bin/python scripts/xlsx_screenshot.py            # writes scripts/screenshots/xlsx-template.png
    .venv/bin/python scripts/xlsx_screenshot.py --out /tmp/shots

Writes an example school's workbook (`xiaowu xlsx template`), converts it to PDF with LibreOffice Calc
headless and renders the 本学期收费 page to PNG with poppler's pdftoppm (both installed by
scripts/setup-office.sh, which the test command runs).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[1]
SCHOOL, TERM = "qingshi-00003", "2026-秋"
NAME = "xlsx-template.png"


def render(out: Path, resolution: int = 110) -> Path:
    with tempfile.TemporaryDirectory(prefix="xiaowu-shot-") as scratch:
        root = Path(scratch)
        subprocess.run([sys.executable, "-m", "xiaowu.cli", "xlsx", "template", SCHOOL, "--term", TERM,
                        "--data", str(REPO / "schools"), "--out", str(root)], check=True, capture_output=True)
        workbook = root / f"{SCHOOL}-{TERM}.xlsx"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{root}/profile", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(root), str(workbook)],
                       check=True, capture_output=True, timeout=180)
        pdf = workbook.with_suffix(".pdf")
        page = next(i for i, p in enumerate(PdfReader(pdf).pages, start=1) if "收费范围" in (p.extract_text() or ""))
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf), str(root / "page")], check=True)
        out.mkdir(parents=True, exist_ok=True)
        target = out / NAME
        target.write_bytes((root / "page.png").read_bytes())
        return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "scripts" / "screenshots"))
    print(render(Path(parser.parse_args().out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
