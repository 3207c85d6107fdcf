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
from xiaowu.publish.school_json import school_files, schools_json
from xiaowu.publish.tables import Table, Tables
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


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with BOM and CRLF (what Excel expects for Chinese), formula-looking cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(cell) for cell in row] for row in table.rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def exports(tables: Tables, site_url: str = "", extra_pages: Iterable[str] = ()) -> Iterator[tuple[str, bytes]]:
    """Every export file as (site-relative path, bytes), one at a time, so a province's files are
    written as they are made instead of all held at once (the tables' rows are built once per build
    and shared with the open-data page and the audit). The sitemap needs absolute URLs, so it
    comes only with a site URL. ``extra_pages`` are the hand-written pages (``index.md`` …)."""
    site = tables.site
    texts: list[str] = []
    yield from school_files(site, site_url, texts)
    yield "data/schools.json", schools_json(tables, texts)
    del texts
    for table in tables.all():
        yield table.path, csv_bytes(table)
    yield "feed.xml", feed(site, site_url)
    for name in ("school", "policy", "exceptions", "oversight"):
        yield f"data/schema/{name}.schema.json", _json(load_schema(name))
    if site_url:
        map_bytes = sitemap(site, site_url, extra_pages)
        yield "sitemap.xml", map_bytes
        yield "sitemap.xml.gz", gzipped(map_bytes)


def build_exports(tables: Tables, site_url: str = "", extra_pages: Iterable[str] = ()) -> dict[str, bytes]:
    """Every export file: site-relative path -> bytes, all in memory (see exports() for one at a time)."""
    return dict(sorted(exports(tables, site_url, extra_pages)))
