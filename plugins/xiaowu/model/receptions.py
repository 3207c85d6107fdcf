# The bureau leaders' public reception days (局领导信访接待日) from schools/oversight.yml: when, where,
# who receives, on what. Which reception is "next" is a question of the build day, answered here once
# and used by the complaints page, the home page's hotline block, the printed notices and the exports:
# a past date is never shown as upcoming. The checks on these entries are in rules/receptions.py.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xiaowu.model.base import dicts_of, of_type, text_of
from xiaowu.read.tree import Path

WEEKDAYS = "一二三四五六日"


def clock(value: str) -> str:
    """A time as typed ("9:00") in the one way pages and comparisons use ("09:00"); "" when not a time.

    >>> clock("9:00"), clock("14:30"), clock(""), clock("9点"), clock("24:00")
    ('09:00', '14:30', '', '', '')
    """
    hours, _, minutes = value.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        return ""
    if int(hours) > 23 or int(minutes) > 59:
        return ""
    return f"{int(hours):02d}:{minutes}"


@dataclass(frozen=True)
class Reception:
    path: Path
    #: The reception's day (the file's `date`).
    held: date | None = None
    start: str = ""
    end: str = ""
    place: str = ""
    leader: str = ""
    position: str = ""
    topics: str = ""
    appointment: str = ""
    notes: str = ""

    def upcoming(self, today: date) -> bool:
        """On or after ``today``: a reception held today is still worth going to."""
        return self.held is not None and self.held >= today

    @property
    def when(self) -> str:
        """"2026-12-03（星期四）09:00—11:30" (only the parts written)."""
        if self.held is None:
            return ""
        day = f"{self.held.isoformat()}（星期{WEEKDAYS[self.held.weekday()]}）"
        start, end = clock(self.start), clock(self.end)
        hours = f"{start}—{end}" if start and end else start and f"{start} 起"
        return f"{day} {hours}" if hours else day

    @property
    def who(self) -> str:
        """The leader with the position: "王某某 副局长"."""
        return f"{self.leader} {self.position}".strip()


def build_receptions(typed: Any) -> tuple[Reception, ...]:
    """The schedule as written in oversight.yml (the file's order)."""
    data = typed if isinstance(typed, dict) else {}
    return tuple(Reception(("receptions", i), of_type(r.get("date"), date), text_of(r.get("start")),
                           text_of(r.get("end")), text_of(r.get("place")), text_of(r.get("leader")),
                           text_of(r.get("position")), text_of(r.get("topics")), text_of(r.get("appointment")),
                           text_of(r.get("notes")))
                 for i, r in dicts_of(data.get("receptions")))


def upcoming(receptions: tuple[Reception, ...], today: date) -> list[Reception]:
    """The receptions on or after ``today``, soonest first (ties by start time, then the file's order)."""
    found = [r for r in receptions if r.upcoming(today)]
    return sorted(found, key=lambda r: (r.held or date.max, clock(r.start)))


def next_reception(receptions: tuple[Reception, ...], today: date) -> Reception | None:
    """The next reception on or after ``today``, or None when none is scheduled."""
    found = upcoming(receptions, today)
    return found[0] if found else None
