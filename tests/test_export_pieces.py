# Issue 25, memory: the large export files are written in pieces (a CSV file a few thousand rows at a
# time, schools.json one school's record at a time), the rows of the tables that grow with the schools
# are made as their file is written and not kept, and the build's audit counts rows from the model.
# Whatever the pieces, the files are the same bytes as when each was made whole.
from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from xiaowu.check.project import ProjectResult, check_project
from xiaowu.pages.site import build_site
from xiaowu.publish import files as accounting
from xiaowu.publish.audit import account
from xiaowu.publish.exports import _cell, build_exports, csv_pieces, exports
from xiaowu.publish import school_json
from xiaowu.publish.school_json import compact
from xiaowu.publish.tables import FEE_COLUMNS, Tables

REPO = Path(__file__).resolve().parents[1]
GROWING = {"fees", "compliance", "settlements"}


@pytest.fixture(scope="module")
def example() -> ProjectResult:
    return check_project(REPO / "schools", today=date(2026, 10, 20), jobs=1)


def _whole_csv(columns: tuple[str, ...], rows: list[list[object]]) -> bytes:
    """A CSV file made in one go, as the exports were before they came in pieces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(cell) for cell in row] for row in rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("per_piece", [1, 2, 3, 7, 4096])
def test_a_csv_file_in_pieces_is_the_same_bytes_as_made_whole(example: ProjectResult, per_piece: int) -> None:
    rows = list(Tables(build_site(example)).table("fees").rows)
    assert len(rows) > 100
    pieces = list(csv_pieces(FEE_COLUMNS, rows, per_piece))
    assert b"".join(pieces) == _whole_csv(FEE_COLUMNS, rows)
    assert len(pieces) == len(rows) // per_piece + 1  # never the whole file in one piece (but the last)
    assert pieces[0].startswith(b"\xef\xbb\xbf") and not any(p.startswith(b"\xef\xbb\xbf") for p in pieces[1:])


def test_an_empty_table_is_its_header_alone() -> None:
    assert b"".join(csv_pieces(("甲", "乙"), [])) == "\ufeff甲,乙\r\n".encode()


def test_schools_json_in_pieces_is_one_json_dump_of_the_whole(example: ProjectResult) -> None:
    tables = Tables(build_site(example))
    files = dict(exports(tables, "https://jyj.example.cn/"))
    content = files["data/schools.json"]
    assert not isinstance(content, bytes)  # in pieces
    pieces = list(content)
    assert len(pieces) > 2 * len(tables.site.schools)  # a piece per school record (and its comma)
    text = b"".join(pieces).decode("utf-8")
    assert text == compact(json.loads(text)) + "\n"  # the pieces join into the compact form of the whole
    whole = json.loads(text)
    assert len(whole["schools"]) == len(tables.site.schools) == 48
    for record in whole["schools"][:5]:  # each school's own file is its record with the schema version first
        own = json.loads(build_exports(tables, "https://jyj.example.cn/")[f"data/schools/{record['id']}.json"])
        assert own == {"schema_version": whole["schema_version"], **record}
        assert list(own)[:2] == ["schema_version", "id"]


def test_the_records_waiting_for_schools_json_are_on_disk_not_in_memory(example: ProjectResult,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each school's record is made once, for its own file and for schools.json, which comes after all
    of them: meanwhile they wait in a temporary file (at 20,000 schools ~140 MB, while the search
    indexer runs beside the exports), so the memory that writing the school files takes stays below
    what the records add up to; schools.json is the same bytes."""
    tables = Tables(build_site(example))
    expected = build_exports(tables, "https://jyj.example.cn/")["data/schools.json"]
    monkeypatch.setattr(school_json, "SPOOL_IN_MEMORY", 1)  # past one byte: in the temporary file
    files = exports(tables, "https://jyj.example.cn/")
    total = 0
    tracemalloc.start()
    try:
        path, content = next(files)
        while path.startswith("data/schools/"):
            total += len(content)
            path, content = next(files)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert path == "data/schools.json" and total > 200_000
    assert peak < total / 2, (peak, total)
    assert b"".join(content) == expected


def test_the_rows_of_the_growing_tables_are_not_kept(example: ProjectResult) -> None:
    tables = Tables(build_site(example))
    written = build_exports(tables, "https://jyj.example.cn/")
    assert not GROWING & set(tables.made)  # made as their file was written, then let go
    assert {"refunds", "complaints"} <= set(tables.made)  # the small ones are kept (schools.json uses one)
    for name in GROWING:  # and the file has every row the model counts
        rows = list(csv.reader(io.StringIO(written[f"data/{name}.csv"].decode("utf-8-sig"))))
        assert len(rows) - 1 == tables.count(name) == len(tables.table(name).rows) > 0


def test_a_file_whose_pieces_fail_half_way_leaves_the_old_set_whole(tmp_path: Path) -> None:
    out = tmp_path / "site"
    accounting.write_files(out, {"data/a.csv": b"old a\n", "data/b.json": b"old b\n", "feed.xml": b"old feed\n"})

    def broken() -> Iterator[bytes]:
        yield b"new a, first rows\n"
        raise OSError("disk full")
    failing: list[tuple[str, accounting.Content]] = [("data/b.json", b"new b\n"), ("data/a.csv", broken()),
                                                     ("feed.xml", b"new feed\n")]
    with pytest.raises(OSError, match="disk full"):
        accounting.write_files(out, iter(failing))
    assert (out / "data/a.csv").read_bytes() == b"old a\n" and (out / "data/b.json").read_bytes() == b"old b\n"
    assert (out / "feed.xml").read_bytes() == b"old feed\n"
    assert not list(out.glob(".xiaowu-new-*"))
    accounting.write_files(out, [("data/a.csv", iter([b"new ", b"a\n"])), ("feed.xml", b"new feed\n")])
    assert (out / "data/a.csv").read_bytes() == b"new a\n" and not (out / "data/b.json").exists()


def test_the_audit_finds_a_csv_file_short_of_the_models_rows(example: ProjectResult, tmp_path: Path) -> None:
    tables = Tables(build_site(example))
    site = tmp_path / "site"
    accounting.write_files(site, exports(tables, "https://jyj.example.cn/"))
    assert not [p for p in account(tables, site, 10**6).problems if "导出不完整" in p]
    fees = site / "data/fees.csv"
    lines = fees.read_bytes().split(b"\r\n")
    fees.write_bytes(b"\r\n".join(lines[:-3] + lines[-2:]))  # one row lost
    problems = account(tables, site, 10**6).problems
    assert [p for p in problems if "收费明细导出不完整" in p] == \
        [f"收费明细导出不完整：应有 {tables.count('fees')} 行，实际 {tables.count('fees') - 1} 行"]
