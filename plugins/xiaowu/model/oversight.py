# The bureau's oversight file, schools/oversight.yml: complaint figures per period, inspections of
# schools (with 回头看) and refunds it ordered. Maintainer-owned like policy.yml: a school can never
# mark its own refund done or hide an inspection finding. Everything here is checked to add up;
# what is late (a refund or a rectification past its deadline) is a status, never an error.
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from xiaowu.read import schema
from xiaowu.check.bureau import exists, read_bureau_file
from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.files import display_path
from xiaowu.read.loader import Loaded, Path as TreePath
from xiaowu.model.school import _dicts, _of, _text
from xiaowu.model.policy import Policy
from xiaowu.rules.settlement import money

#: Keys a bureau might type that the site computes (C902): typing them could only disagree.
COMPUTED_KEYS = frozenset({"rate", "closure_rate", "completion_rate", "close_rate", "办结率"})
_HALVES = {"H1": "上半年", "H2": "下半年"}
_QUARTERS = {"Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度"}


@dataclass(frozen=True)
class Count:
    name: str
    count: int | None
    parts: tuple[Count, ...] = ()


@dataclass(frozen=True)
class Period:
    """Complaint figures for one year, half-year or quarter."""

    path: TreePath
    period: str
    received: int | None = None
    channels: tuple[Count, ...] = ()
    categories: tuple[Count, ...] = ()
    areas: tuple[Count, ...] = ()
    carried_in: int | None = None
    closed: int | None = None
    in_progress: int | None = None
    outcomes: tuple[Count, ...] = ()
    same_period_last_year: int | None = None
    document: str = ""
    published: date | None = None
    source_url: str | None = None
    notes: str = ""

    @property
    def year(self) -> int:
        return int(self.period[:4]) if self.period[:4].isdigit() else 0

    @property
    def part(self) -> str:
        """"" for a whole year, else "H1" … "Q4"."""
        return self.period[5:]

    @property
    def label(self) -> str:
        """The period in words.

        >>> Period((), "2014-Q1").label, Period((), "2013-H1").label, Period((), "2025").label
        ('2014 年第一季度', '2013 年上半年', '2025 年')
        """
        return f"{self.year} 年" + _HALVES.get(self.part, _QUARTERS.get(self.part, ""))

    @property
    def last_year(self) -> str:
        """The same period a year before: 2014-Q1 -> 2013-Q1."""
        return f"{self.year - 1}" + (f"-{self.part}" if self.part else "")

    @property
    def handled(self) -> int | None:
        """Cases to be handled this period: received plus those carried in."""
        return None if self.received is None else self.received + (self.carried_in or 0)

    @property
    def rate(self) -> Decimal | None:
        """办结率 in percent, one decimal: computed from the counts, never typed.

        >>> Period((), "2014-Q1", received=13, closed=10).rate
        Decimal('76.9')
        """
        handled = self.handled
        if self.closed is None or not handled:
            return None
        return (Decimal(self.closed) * 100 / handled).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    """A period against the same period a year before."""

    before: int
    after: int
    #: Where the earlier figure came from: a record in the file, or the period's own note of it.
    source: str

    @property
    def words(self) -> str:
        """The change in words, with the percentage when last year had any.

        >>> Change(113, 53, "").words, Change(13, 13, "").words, Change(0, 4, "").words
        ('比上年同期（113 件）减少 60 件，下降 53.1%', '与上年同期（13 件）持平', '比上年同期（0 件）增加 4 件')
        """
        delta = self.after - self.before
        if delta == 0:
            return f"与上年同期（{self.before} 件）持平"
        way = "增加" if delta > 0 else "减少"
        text = f"比上年同期（{self.before} 件）{way} {abs(delta)} 件"
        if self.before:
            percent = (Decimal(abs(delta)) * 100 / self.before).quantize(Decimal("0.1"), ROUND_HALF_UP)
            text += f"，{'上升' if delta > 0 else '下降'} {percent}%"
        return text


@dataclass(frozen=True)
class Finding:
    path: TreePath
    finding: str = ""
    rectification: str = ""
    due: date | None = None
    resolved: date | None = None
    verified: date | None = None
    notes: str = ""

    def done_by(self, today: date) -> bool:
        return self.resolved is not None and self.resolved <= today


@dataclass(frozen=True)
class Inspection:
    path: TreePath
    school: str = ""
    #: The inspection's day (the file's `date`).
    held: date | None = None
    kind: str = ""
    organizer: str = ""
    document: str = ""
    findings: tuple[Finding, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Refund:
    path: TreePath
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

    def done_by(self, today: date) -> bool:
        return self.completed is not None and self.completed <= today


@dataclass
class Oversight:
    file: str = ""
    complaints: list[Period] = field(default_factory=list)
    inspections: list[Inspection] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    #: The parsed, converted tree, for the open-data export (None without a readable file).
    data: dict[str, Any] | None = None
    fingerprint: bytes = b""
    _index: dict[str, tuple[list[Inspection], list[Refund]]] | None = field(default=None, repr=False, compare=False)

    @property
    def digest(self) -> str:
        """SHA-256 of the file's bytes: a preview re-renders school pages when the bureau edits it."""
        return hashlib.sha256(self.fingerprint).hexdigest()

    def for_school(self, school_id: str) -> tuple[list[Inspection], list[Refund]]:
        """The records about one school (an index built once: a province asks 20,000 times)."""
        if self._index is None:
            index: dict[str, tuple[list[Inspection], list[Refund]]] = {}
            for inspection in self.inspections:
                index.setdefault(inspection.school, ([], []))[0].append(inspection)
            for refund in self.refunds:
                index.setdefault(refund.school, ([], []))[1].append(refund)
            self._index = index
        found = self._index.get(school_id)
        return (list(found[0]), list(found[1])) if found else ([], [])

    def change(self, period: Period) -> Change | None:
        """Year-on-year: the record of the same period last year, else the period's own note."""
        if period.received is None:
            return None
        earlier = next((p for p in self.complaints if p.period == period.last_year and p.received is not None), None)
        if earlier is not None and earlier.received is not None:
            return Change(earlier.received, period.received, earlier.label)
        if period.same_period_last_year is not None:
            return Change(period.same_period_last_year, period.received, "")
        return None

    def ordered_periods(self) -> list[Period]:
        """Newest first; within a year the whole year, then halves, then quarters (latest first)."""
        rank = {"": 0, "H2": 1, "H1": 2, "Q4": 3, "Q3": 4, "Q2": 5, "Q1": 6}
        return sorted(self.complaints, key=lambda p: (-p.year, rank.get(p.part, 9)))


def _count(data: dict[str, Any]) -> Count:
    return Count(_text(data.get("name")), _of(data.get("count"), int),
                 tuple(_count(c) for _, c in _dicts(data.get("parts"))))


def _counts(value: Any) -> tuple[Count, ...]:
    return tuple(_count(c) for _, c in _dicts(value))


def build_oversight(typed: Any, file: str) -> Oversight:
    data = typed if isinstance(typed, dict) else {}
    out = Oversight(file=file, data=data or None)
    for i, p in _dicts(data.get("complaints")):
        out.complaints.append(Period(
            ("complaints", i), str(p.get("period") or ""), _of(p.get("received"), int), _counts(p.get("channels")),
            _counts(p.get("categories")), _counts(p.get("areas")), _of(p.get("carried_in"), int),
            _of(p.get("closed"), int), _of(p.get("in_progress"), int), _counts(p.get("outcomes")),
            _of(p.get("same_period_last_year"), int), _text(p.get("document")), _of(p.get("published"), date),
            _of(p.get("source_url"), str), _text(p.get("notes"))))
    for i, x in _dicts(data.get("inspections")):
        findings = tuple(Finding(("inspections", i, "findings", j), _text(f.get("finding")),
                                 _text(f.get("rectification")), _of(f.get("due"), date), _of(f.get("resolved"), date),
                                 _of(f.get("verified"), date), _text(f.get("notes")))
                         for j, f in _dicts(x.get("findings")))
        out.inspections.append(Inspection(("inspections", i), _text(x.get("school")), _of(x.get("date"), date),
                                          _text(x.get("kind")), _text(x.get("organizer")), _text(x.get("document")),
                                          findings, _text(x.get("notes"))))
    for i, r in _dicts(data.get("refunds")):
        out.refunds.append(Refund(
            ("refunds", i), _text(r.get("school")), _text(r.get("item")), _text(r.get("reason")), _text(r.get("source")),
            _of(r.get("amount"), Decimal), _of(r.get("students"), int), _of(r.get("ordered"), date),
            _text(r.get("document")), _of(r.get("due"), date), _of(r.get("completed"), date),
            _of(r.get("refunded"), Decimal), _text(r.get("notes"))))
    return out


def load_oversight(path: Path, policy: Policy) -> tuple[Oversight, list[Diagnostic]]:
    """schools/oversight.yml, validated and checked; an empty Oversight when there is none."""
    if not exists(path):
        return Oversight(), []
    file = display_path(path)
    loaded, diagnostics, raw = read_bureau_file(path, file)
    if loaded is None:
        return Oversight(file=file, fingerprint=raw), diagnostics
    computed = _computed_keys(loaded, file)
    where = {(d.line, d.column) for d in computed}
    diagnostics += [d for d in schema.validate("oversight", loaded, file)
                    if not (d.code == "S102" and (d.line, d.column) in where)] + computed
    typed, converted = schema.convert("oversight", loaded, file)
    diagnostics += converted
    oversight = build_oversight(typed, file)
    oversight.fingerprint = raw
    check = _Checker(loaded, file, policy, oversight)
    check.complaints()
    check.inspections()
    check.refunds()
    return oversight, diagnostics + check.out


def _computed_keys(loaded: Loaded, file: str) -> list[Diagnostic]:
    data = loaded.data if isinstance(loaded.data, dict) else {}
    periods = data.get("complaints")
    out = []
    for index, period in enumerate(periods if isinstance(periods, list) else []):
        for key in period if isinstance(period, dict) else ():
            if key in COMPUTED_KEYS:
                out.append(make("C902", file, *loaded.key_mark(("complaints", index, key)), field=key))
    return out


def _total(counts: tuple[Count, ...]) -> int | None:
    values = [c.count for c in counts]
    return sum(v for v in values if v is not None) if values and None not in values else None


@dataclass
class _Checker:
    loaded: Loaded
    file: str
    policy: Policy
    oversight: Oversight
    out: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, path: TreePath, **details: object) -> None:
        line, column = self.loaded.mark(path)
        self.out.append(make(code, self.file, line, column, **details))

    def complaints(self) -> None:
        seen: dict[str, int] = {}
        by_id: dict[str, Period] = {}
        for period in self.oversight.complaints:
            if period.period in seen:
                self.add("S115", period.path + ("period",), what=f"统计期“{period.period}”", first=seen[period.period])
                continue
            seen[period.period] = self.loaded.mark(period.path + ("period",))[0]
            by_id[period.period] = period
            self.figures(period)
        for period in by_id.values():
            earlier = by_id.get(period.last_year)
            typed = period.same_period_last_year
            if earlier is not None and typed is not None and earlier.received is not None and typed != earlier.received:
                self.add("C903", period.path + ("same_period_last_year",), period=period.label, typed=typed,
                         previous=earlier.label, actual=earlier.received)
        self.years(by_id)

    def figures(self, period: Period) -> None:
        """Every breakdown adds up to the total it breaks down."""
        label, total = period.label, period.received
        if total is None:
            return
        for key, name in (("channels", "各渠道"), ("categories", "各类别"), ("areas", "各县区（学校）")):
            counts: tuple[Count, ...] = getattr(period, key)
            found = _total(counts)
            if found is not None and found != total:
                self.add("C901", period.path + (key,), period=label, what=f"{name}合计 {found} 件，与受理总数 {total} 件不符")
        for index, category in enumerate(period.categories):
            found = _total(category.parts)
            if found is not None and category.count is not None and found != category.count:
                self.add("C901", period.path + ("categories", index, "parts"), period=label,
                         what=f"“{category.name}”的各小类合计 {found} 件，与该类 {category.count} 件不符")
        handled = period.handled or 0
        if period.closed is not None and period.in_progress is not None and period.closed + period.in_progress != handled:
            inflow = f"受理总数 {total} 件" + (f" + 上期转入 {period.carried_in} 件" if period.carried_in else "")
            self.add("C901", period.path + ("closed",), period=label,
                     what=f"已办结 {period.closed} 件 + 办理中 {period.in_progress} 件 = {period.closed + period.in_progress} 件，"
                          f"与{inflow}不符")
        elif period.closed is not None and period.closed > handled:
            self.add("C901", period.path + ("closed",), period=label,
                     what=f"已办结 {period.closed} 件，多于应办理的 {handled} 件")
        found = _total(period.outcomes)
        if found is not None and period.closed is not None and found != period.closed:
            self.add("C901", period.path + ("outcomes",), period=label,
                     what=f"办结结果合计 {found} 件，与已办结 {period.closed} 件不符")

    def years(self, by_id: dict[str, Period]) -> None:
        """A year published with all its quarters (or both halves) must be their sum."""
        for period in by_id.values():
            if period.part or period.received is None:
                continue
            for parts, words in ((("Q1", "Q2", "Q3", "Q4"), "四个季度"), (("H1", "H2"), "上下半年")):
                found = [by_id.get(f"{period.year}-{p}") for p in parts]
                values = [p.received for p in found if p is not None and p.received is not None]
                if len(values) == len(parts) and sum(values) != period.received:
                    self.add("C901", period.path + ("received",), period=period.label,
                             what=f"受理总数 {period.received} 件，与{words}合计 {sum(values)} 件不符")

    def _school(self, path: TreePath, school: str, what: str) -> None:
        roster = self.policy.roster
        if school and roster and school not in roster:
            self.add("M813", path + ("school",), what=f"{what}的学校代号“{school}”不在本局应公开学校名单中")

    def inspections(self) -> None:
        for inspection in self.oversight.inspections:
            self._school(inspection.path, inspection.school, "检查记录")
            for finding in inspection.findings:
                if inspection.held and finding.due and finding.due < inspection.held:
                    self.add("S113", finding.path + ("due",), what=f"整改期限 {finding.due} 早于检查日期 {inspection.held}")
                if inspection.held and finding.resolved and finding.resolved < inspection.held:
                    self.add("S113", finding.path + ("resolved",),
                             what=f"整改完成日期 {finding.resolved} 早于检查日期 {inspection.held}")
                if finding.verified and finding.resolved is None:
                    self.add("S101", finding.path + ("verified",), field="resolved", title="整改完成日期",
                             description="回头看确认整改到位的，要写整改完成日期")

    def refunds(self) -> None:
        for refund in self.oversight.refunds:
            self._school(refund.path, refund.school, "清退记录")
            if refund.ordered and refund.due and refund.due < refund.ordered:
                self.add("S113", refund.path + ("due",), what=f"清退期限 {refund.due} 早于责令日期 {refund.ordered}")
            if refund.ordered and refund.completed and refund.completed < refund.ordered:
                self.add("S113", refund.path + ("completed",), what=f"完成日期 {refund.completed} 早于责令日期 {refund.ordered}")
            if refund.completed and refund.refunded is None:
                self.add("S101", refund.path + ("completed",), field="refunded", title="实际清退金额",
                         description="写了完成日期时，要写实际清退的金额")
            if refund.refunded is None or refund.amount is None:
                continue
            if refund.refunded > refund.amount:
                self.add("M811", refund.path + ("refunded",), refunded=money(refund.refunded), amount=money(refund.amount))
            elif refund.completed and refund.refunded < refund.amount and not refund.notes:
                self.add("M812", refund.path + ("refunded",), refunded=money(refund.refunded), amount=money(refund.amount))


def overdue(oversight: Oversight, school_id: str, today: date) -> tuple[list[str], list[str]]:
    """Why the school's ordered refunds and its rectifications are late: (refunds, rectifications)."""
    inspections, refunds = oversight.for_school(school_id)
    late_refunds = [f"“{r.item}”应清退 {money(r.amount)} 元，逾期 {(today - r.due).days} 天未完成（期限 {r.due.isoformat()}"
                    + (f"，{r.document}）" if r.document else "）")
                    for r in refunds if r.due and r.due < today and not r.done_by(today) and r.amount is not None]
    late_fixes = [f"{x.held.isoformat() + ' ' if x.held else ''}{x.kind}发现的问题“{_short(f.finding)}”整改逾期 "
                  f"{(today - f.due).days} 天（期限 {f.due.isoformat()}）"
                  for x in inspections for f in x.findings if f.due and f.due < today and not f.done_by(today)]
    return late_refunds, late_fixes


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
