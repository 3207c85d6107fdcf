# The rules for the leaders' reception days in oversight.yml: a time span that is one (C920), no
# reception listed twice (C921), and a parent told both when to come and until when (C922). Whether a
# reception is still to come is the build day's question (model/receptions.py), never a finding.
from __future__ import annotations

from xiaowu.model.receptions import Reception, clock
from xiaowu.rules.base import Sink


def check_receptions(receptions: tuple[Reception, ...], sink: Sink) -> None:
    seen: dict[tuple[object, str, str], int] = {}
    for reception in receptions:
        if reception.held is None:
            continue  # the schema reported the date already
        day = reception.held.isoformat()
        start, end = clock(reception.start), clock(reception.end)
        if start and end and end <= start:
            sink.add("C920", reception.path + ("end",), date=day, start=start, end=end)
        elif not (reception.start and reception.end):
            variant = "" if reception.start else "no_start" if reception.end else "no_time"
            where = "start" if reception.start else "end" if reception.end else "date"
            sink.add("C922", reception.path + (where,), variant, date=day, start=start, end=end)
        key = (reception.held, start, reception.leader)
        if key in seen:
            sink.add("C921", reception.path + ("leader",), date=day, start=f"{start} " if start else "",
                     leader=reception.leader, first=seen[key])
            continue
        seen[key] = sink.line(reception.path)
