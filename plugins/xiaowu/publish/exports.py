# Open-data exports: an API, so stable key and column order, a schema_version, and the same bytes
# whether MkDocs or `xiaowu export` writes them.
#
# Values are exported exactly as validated: amounts as decimal strings as typed, dates as ISO
# strings, phones normalised. Keys follow the JSON Schema's property order, not the file's.
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from xiaowu.model.record import record
from xiaowu.publish.feeds import feed, gzipped, sitemap
from xiaowu.publish.school_json import Spool, school_files, schools_json
from xiaowu.publish.files import Content
from xiaowu.publish.tables import Row, Tables
from xiaowu.read.schema import load_schema

#: Spreadsheet programs run a cell starting with these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if type(value) is str:  # nearly every cell: no conversion to look for
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None:
        return ""
    value = record(value)
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_pieces(columns: tuple[str, ...], rows: Iterable[Row], rows_per_piece: int = 4096) -> Iterator[bytes]:
    """A CSV file in pieces of a few thousand rows: UTF-8 with BOM and CRLF (what Excel expects for
    Chinese), formula-looking cells neutralised. The fee table of a province is ~50 MB: made whole, its
    text, its bytes and its rows were in memory at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    head = b"\xef\xbb\xbf"
    for index, row in enumerate(rows, 1):
        writer.writerow([_cell(cell) for cell in row])
        if index % rows_per_piece == 0:
            yield head + buffer.getvalue().encode("utf-8")
            head = b""
            buffer.seek(0)
            buffer.truncate()
    yield head + buffer.getvalue().encode("utf-8")


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def exports(tables: Tables, site_url: str = "", extra_pages: Iterable[str] = ()) -> Iterator[tuple[str, Content]]:
    """Every export file as (site-relative path, bytes or bytes in pieces), one at a time, so a
    province's files are written as they are made instead of all held at once; the large tables'
    rows are made as their file is written, not kept. The sitemap needs absolute URLs, so it comes
    only with a site URL. ``extra_pages`` are the hand-written pages (``index.md`` …)."""
    site = tables.site
    spool = Spool()
    yield from school_files(site, site_url, spool)
    yield "data/schools.json", schools_json(tables, spool.bodies())
    for path, columns, rows in tables.files():
        yield path, csv_pieces(columns, rows)
    yield "feed.xml", feed(site, site_url)
    for name in ("school", "policy", "exceptions", "oversight"):
        yield f"data/schema/{name}.schema.json", _json(load_schema(name))
    if site_url:
        map_bytes = sitemap(site, site_url, extra_pages)
        yield "sitemap.xml", map_bytes
        yield "sitemap.xml.gz", gzipped(map_bytes)


def build_exports(tables: Tables, site_url: str = "", extra_pages: Iterable[str] = ()) -> dict[str, bytes]:
    """Every export file: site-relative path -> bytes, all in memory (see exports() for one at a time)."""
    return dict(sorted((path, content if isinstance(content, bytes) else b"".join(content))
                       for path, content in exports(tables, site_url, extra_pages)))
