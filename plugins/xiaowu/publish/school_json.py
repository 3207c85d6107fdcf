# The JSON records of the open data: one per school (its status, then its validated file, then what
# the bureau recorded about it), and schools.json around all of them.
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from xiaowu.check.status import Compliance
from xiaowu.model.record import record
from xiaowu.publish.feeds import absolute
from xiaowu.publish.tables import SCHEMA_VERSION, Tables
from xiaowu.pages.school import SchoolPage
from xiaowu.pages.site import Site
from xiaowu.read.schema import inlined_schema


def compact(value: Any) -> str:
    # Compact: json's C encoder only runs without indent (3x faster on 20,000 records).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def flags(status: Compliance) -> list[dict[str, str]]:
    return [{"code": f.code, "label": f.label, "reason": f.reason} for f in status.flags]


def school_record(site: Site, school: SchoolPage, site_url: str = "") -> dict[str, Any]:
    """One school: identity, where it is published, its status, then the validated file itself."""
    status = school.compliance
    out: dict[str, Any] = {
        "id": school.id, "county": school.county, "county_name": school.county_name, "name": school.name,
        "url": absolute(site_url, school.url), "source": school.source,
        "updated": school.updated.isoformat() if school.updated else None,
        "status": {"code": status.status, "label": status.label, "term": status.term, "reasons": list(status.reasons),
                   "flags": flags(status)},
    }
    out.update(record(school.data))
    # Reviewed exceptions come from the bureau's exceptions.yml, not from the school's file.
    out["exceptions"] = [{k: getattr(e, k) for k in ("rule", "term", "item", "reason", "basis") if getattr(e, k)}
                         for e in school.exceptions]
    # So are inspections, refund orders and evaluation results: the bureau's oversight.yml.
    inspections, refunds = site.oversight.for_school(school.id)
    out.update({"inspections": record(tuple(inspections)), "refunds": record(tuple(refunds)),
                "evaluation_results": record(site.oversight.ratings_of(school.id))})
    return out


#: Records up to this many bytes stay in memory (a small site's); beyond, they are in a temporary file.
SPOOL_IN_MEMORY = 8 << 20


class Spool:
    """The school records on their way to schools.json, kept in a temporary file rather than in memory
    (at 20,000 schools they are ~140 MB, held while the search indexer runs beside the exports); a
    small site's stay in memory (SpooledTemporaryFile). Closed once read back, or when dropped unread.
    The file is in the system's temporary folder (TMPDIR): where that is a RAM disk, set TMPDIR to a
    folder on disk, or the records are in memory after all."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        self.lengths: list[int] = []

    def add(self, body: bytes) -> None:
        self.file.write(body)
        self.lengths.append(len(body))

    def bodies(self) -> Iterator[bytes]:
        """Each record as added, in order (read back once, then the file is closed)."""
        try:
            self.file.seek(0)
            for length in self.lengths:
                yield self.file.read(length)
        finally:
            self.file.close()


def school_files(site: Site, site_url: str, spool: Spool) -> Iterator[tuple[str, bytes]]:
    """Each school's own file; every record goes to ``spool`` for schools.json (encoded once)."""
    head = f'{{"schema_version":{compact(SCHEMA_VERSION)},'.encode()
    for school in site.schools:
        body = compact(school_record(site, school, site_url)).encode()
        spool.add(body)
        yield f"data/schools/{school.id}.json", head + body[1:] + b"\n"


def schools_json(tables: Tables, bodies: Iterable[bytes]) -> Iterator[bytes]:
    """The bureau's policy and oversight, every school's record and status, in pieces: byte for byte
    what one json.dumps of the whole would give (never joined: at 20,000 schools the whole is ~150 MB)."""
    site = tables.site
    term = site.term
    head = compact({"schema_version": SCHEMA_VERSION, "generated": site.today.isoformat(),
                    "term": term.id if term else None,
                    "policy": record(site.result.policy_data or {}, inlined_schema("policy"))})
    yield (head[:-1] + ',"schools":[').encode()
    for index, body in enumerate(bodies):
        if index:
            yield b","
        yield body
    tail = compact({
        "compliance": [{"id": c.school_id, "name": c.name, "county": c.county, "term": c.term,
                        "status": c.status, "label": c.label, "reasons": list(c.reasons), "flags": flags(c)}
                       for c in site.result.compliance],
        "oversight": record(site.oversight),
        "complaint_summary": [dict(zip(("period", "label", "received", "carried_in", "closed", "in_progress",
                                        "rate", "same_period_last_year", "change"), record(row[:9])))
                              for row in tables.table("complaints").rows],
    })
    yield ("]," + tail[1:] + "\n").encode()
