# The bureau's oversight file, schools/oversight.yml, as typed objects: complaint figures per period,
# inspections of schools (with 回头看) and the refunds it ordered. Maintainer-owned like policy.yml.
#
# Whether a refund or a rectification is done, late or still open on a day is a method of the thing
# itself (``state``), used by pages, exports, the dashboard and the CLI alike. Totals, 办结率 and the
# year-on-year change are computed, never typed. The checks on this file are in rules/oversight.py.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xiaowu.model.base import Written, dicts_of, mask, of_type, text_of
from xiaowu.model.complaints import Period, YearOnYear, build_period
from xiaowu.model.ratings import Rating, build_rating
from xiaowu.model.receptions import Reception
from xiaowu.read.tree import Path

#: What a refund's or a rectification's state reads as in a table.
REFUND_STATES = {"done": "已清退", "late": "逾期未完成", "open": "清退中"}
FINDING_STATES = {"done": "已整改", "late": "逾期未整改", "open": "整改中"}


def _days_late(due: date | None, today: date) -> int:
    return (today - due).days if due is not None and due < today else 0


def _state(done: date | None, due: date | None, today: date) -> str:
    """"done" when finished by ``today`` (a date after it does not count), "late" when past its due
    date, else "open"."""
    if done is not None and done <= today:
        return "done"
    return "late" if due is not None and due < today else "open"


@dataclass(frozen=True)
class Finding:
    path: Path
    finding: str = ""
    rectification: str = ""
    due: date | None = None
    resolved: date | None = None
    verified: date | None = None
    notes: str = ""

    def state(self, today: date) -> str:
        """"done", "late" or "open" on ``today`` (FINDING_STATES words it)."""
        return _state(self.resolved, self.due, today)

    def days_late(self, today: date) -> int:
        """Days past the due date on ``today`` (0 when not past it)."""
        return _days_late(self.due, today)


@dataclass(frozen=True)
class Inspection(Written):
    path: Path
    school: str = ""
    #: The inspection's day (the file's `date`).
    held: date | None = None
    kind: str = ""
    organizer: str = ""
    document: str = ""
    findings: tuple[Finding, ...] = ()
    notes: str = ""
    #: The school as the notice names it, for a school without a file (outside the roster, "某学校").
    school_name: str = ""
    #: The bureau's notice (通报) that published this: its title and its own date.
    notice_title: str = ""
    notice_date: date | None = None
    given: int = 0


@dataclass(frozen=True)
class Refund:
    path: Path
    school: str = ""
    item: str = ""
    reason: str = ""
    source: str = ""
    amount: Decimal | None = None
    students: int | None = None
    ordered: date | None = None
    document: str = ""
    due: date | None = None
    completed: date | None = None
    refunded: Decimal | None = None
    notes: str = ""
    school_name: str = ""
    notice_title: str = ""
    notice_date: date | None = None
    #: "是" when the notice reports the money returned when it was found (当场退还, 已全部清退): valid
    #: without an order, a document or a completion date, and done from the earliest date known.
    on_the_spot: str = ""

    @property
    def done_on(self) -> date | None:
        """When the refund was done: its completion date; for one returned on the spot without that
        date, the earliest date the record knows (the order, the notice); None when not known to be done."""
        if self.completed is not None or self.on_the_spot != "是":
            return self.completed
        return min((d for d in (self.ordered, self.notice_date) if d is not None), default=date.min)

    def state(self, today: date) -> str:
        """"done", "late" or "open" on ``today`` (REFUND_STATES words it)."""
        return _state(self.done_on, self.due, today)

    def days_late(self, today: date) -> int:
        """Days past the due date on ``today`` (0 when not past it)."""
        return _days_late(self.due, today)


@dataclass(frozen=True)
class AboutSchool:
    """What the bureau recorded about one school."""

    inspections: tuple[Inspection, ...] = ()
    refunds: tuple[Refund, ...] = ()
    ratings: tuple[Rating, ...] = ()


@dataclass(frozen=True)
class Oversight(Written):
    file: str = ""
    complaints: tuple[Period, ...] = ()
    inspections: tuple[Inspection, ...] = ()
    refunds: tuple[Refund, ...] = ()
    #: Conduct-evaluation results: the evaluating body's judgement of each school (never the school's).
    evaluations: tuple[Rating, ...] = ()
    #: SHA-256 of the file's bytes: a preview re-renders school pages when the bureau edits it.
    digest: str = ""
    #: school id -> its records, built once: a province asks 20,000 times.
    by_school: Mapping[str, AboutSchool] = field(default_factory=dict, repr=False, compare=False)
    given: int = 0
    #: The leaders' public reception days (model/receptions.py; set by check.bureau.load_oversight).
    receptions: tuple[Reception, ...] = ()

    def for_school(self, school_id: str) -> tuple[list[Inspection], list[Refund]]:
        """The inspections of one school and the refunds it was ordered to make."""
        found = self.by_school.get(school_id, AboutSchool())
        return list(found.inspections), list(found.refunds)

    def ratings_of(self, school_id: str) -> tuple[Rating, ...]:
        """The evaluation results the bureau published for one school, in the file's order."""
        return self.by_school.get(school_id, AboutSchool()).ratings

    def change(self, period: Period) -> YearOnYear | None:
        """Year-on-year: the record of the same period last year, else the period's own note."""
        if period.received is None:
            return None
        earlier = next((p for p in self.complaints if p.period == period.last_year and p.received is not None), None)
        if earlier is not None and earlier.received is not None:
            return YearOnYear(earlier.received, period.received, earlier.label)
        if period.same_period_last_year is not None:
            return YearOnYear(period.same_period_last_year, period.received, "")
        return None

    def rectified(self, today: date) -> str:
        """What may be said of all the findings on ``today``: "none_inspected" (no inspection
        published), "nothing_found" (inspections, no finding), "all_done" (at least one finding, every
        one rectified by ``today``) or "open". "All rectified" is never said of nothing."""
        findings = [f for x in self.inspections for f in x.findings]
        if not findings:
            return "nothing_found" if self.inspections else "none_inspected"
        return "all_done" if all(f.state(today) == "done" for f in findings) else "open"

    def ordered_periods(self) -> list[Period]:
        """Newest first; within a year the whole year, then halves, quarters, windows of months, then
        months (latest first)."""
        return sorted(self.complaints, key=lambda p: p.order)


def _inspection(x: dict[str, Any], path: Path) -> Inspection:
    findings = tuple(Finding(path + ("findings", j), text_of(f.get("finding")), text_of(f.get("rectification")),
                             of_type(f.get("due"), date), of_type(f.get("resolved"), date),
                             of_type(f.get("verified"), date), text_of(f.get("notes")))
                     for j, f in dicts_of(x.get("findings")))
    return Inspection(path, text_of(x.get("school")), of_type(x.get("date"), date), text_of(x.get("kind")),
                      text_of(x.get("organizer")), text_of(x.get("document")), findings, text_of(x.get("notes")),
                      text_of(x.get("school_name")), text_of(x.get("notice_title")),
                      of_type(x.get("notice_date"), date), mask(Inspection, x))


def _refund(r: dict[str, Any], path: Path) -> Refund:
    return Refund(
        path, text_of(r.get("school")), text_of(r.get("item")), text_of(r.get("reason")), text_of(r.get("source")),
        of_type(r.get("amount"), Decimal), of_type(r.get("students"), int), of_type(r.get("ordered"), date),
        text_of(r.get("document")), of_type(r.get("due"), date), of_type(r.get("completed"), date),
        of_type(r.get("refunded"), Decimal), text_of(r.get("notes")), text_of(r.get("school_name")),
        text_of(r.get("notice_title")), of_type(r.get("notice_date"), date), text_of(r.get("on_the_spot")))


def build_oversight(typed: Any, file: str, digest: str = "") -> Oversight:
    data = typed if isinstance(typed, dict) else {}
    inspections = tuple(_inspection(x, ("inspections", i)) for i, x in dicts_of(data.get("inspections")))
    refunds = tuple(_refund(r, ("refunds", i)) for i, r in dicts_of(data.get("refunds")))
    ratings = tuple(build_rating(e, ("evaluations", i)) for i, e in dicts_of(data.get("evaluations")))
    index: dict[str, tuple[list[Inspection], list[Refund], list[Rating]]] = {}
    for inspection in inspections:  # a school named only in words has no page to show it on
        if inspection.school:
            index.setdefault(inspection.school, ([], [], []))[0].append(inspection)
    for refund in refunds:
        if refund.school:
            index.setdefault(refund.school, ([], [], []))[1].append(refund)
    for rating in ratings:
        index.setdefault(rating.school, ([], [], []))[2].append(rating)
    return Oversight(file, tuple(build_period(p, ("complaints", i)) for i, p in dicts_of(data.get("complaints"))),
                     inspections, refunds, ratings, digest,
                     {k: AboutSchool(tuple(v[0]), tuple(v[1]), tuple(v[2])) for k, v in index.items()},
                     mask(Oversight, data))
