# The rules for the bureau's oversight file: complaint figures that add up (C901/C903), records that
# name schools on the roster (M813), dates in order (S113) and refunds that match their orders (M81x).
from __future__ import annotations

from xiaowu.model.amounts import money
from xiaowu.model.complaints import Count, Period
from xiaowu.model.oversight import Oversight
from xiaowu.model.policy import Policy
from xiaowu.read.tree import Path
from xiaowu.rules.base import Sink


def check_oversight(oversight: Oversight, policy: Policy, sink: Sink) -> None:
    _complaints(oversight, sink)
    _inspections(oversight, policy, sink)
    _refunds(oversight, policy, sink)


def _complaints(oversight: Oversight, sink: Sink) -> None:
    seen: dict[str, int] = {}
    by_id: dict[str, Period] = {}
    for period in oversight.complaints:
        if period.period in seen:
            sink.add("S115", period.path + ("period",), "period", period=period.period, first=seen[period.period])
            continue
        seen[period.period] = sink.line(period.path + ("period",))
        by_id[period.period] = period
        _breakdowns(period, sink)
        _closure(period, sink)
    for period in by_id.values():
        earlier = by_id.get(period.last_year)
        typed = period.same_period_last_year
        if earlier is not None and typed is not None and earlier.received is not None and typed != earlier.received:
            sink.add("C903", period.path + ("same_period_last_year",), period=period.label, typed=typed,
                     previous=earlier.label, actual=earlier.received)
    _years(by_id, sink)


def _total(counts: tuple[Count, ...]) -> int | None:
    values = [c.count for c in counts]
    return sum(v for v in values if v is not None) if values and None not in values else None


def _breakdowns(period: Period, sink: Sink) -> None:
    """Every breakdown adds up to the total it breaks down."""
    label, total = period.label, period.received
    if total is None:
        return
    for key, name in (("channels", "各渠道"), ("categories", "各类别"), ("areas", "各县区（学校）")):
        found = _total(getattr(period, key))
        if found is not None and found != total:
            sink.add("C901", period.path + (key,), period=label, breakdown=name, found=found, total=total)
    for index, category in enumerate(period.categories):
        found = _total(category.parts)
        if found is not None and category.count is not None and found != category.count:
            sink.add("C901", period.path + ("categories", index, "parts"), "subcategory", period=label,
                     category=category.name, found=found, count=category.count)


def _closure(period: Period, sink: Sink) -> None:
    """Closed + in progress = received + carried in; and whichever of them is given alone (closed,
    in progress, the outcomes) can never exceed what was to be handled. Holds on any subset given."""
    if period.received is None:
        return
    handled = period.handled or 0
    closed, in_progress = period.closed, period.in_progress
    if closed is not None and in_progress is not None:
        if closed + in_progress != handled:
            sink.add("C901", period.path + ("closed",), "closed_carried" if period.carried_in else "closed",
                     period=period.label, closed=closed, in_progress=in_progress,
                     sum=closed + in_progress, total=period.received, carried_in=period.carried_in)
    else:
        for key, value in (("closed", closed), ("in_progress", in_progress)):
            if value is not None and value > handled:
                sink.add("C901", period.path + (key,), key + "_over", period=period.label, count=value,
                         handled=handled)
    found = _total(period.outcomes)
    if found is not None and closed is not None and found != closed:
        sink.add("C901", period.path + ("outcomes",), "outcomes", period=period.label, found=found, closed=closed)
    elif found is not None and closed is None and found > handled:
        sink.add("C901", period.path + ("outcomes",), "outcomes_over", period=period.label, found=found,
                 handled=handled)


def _years(by_id: dict[str, Period], sink: Sink) -> None:
    """A year published with all its quarters (or both halves) must be their sum; with only some of
    them, their sum can never be more than the year's."""
    for period in by_id.values():
        if period.part or period.received is None:
            continue
        for parts, words, unit in ((("Q1", "Q2", "Q3", "Q4"), "四个季度", "季度"), (("H1", "H2"), "上下半年", "半年")):
            found = [by_id.get(f"{period.year}-{p}") for p in parts]
            values = [p.received for p in found if p is not None and p.received is not None]
            if len(values) == len(parts) and sum(values) != period.received:
                sink.add("C901", period.path + ("received",), "year", period=period.label, received=period.received,
                         parts=words, found=sum(values))
            elif values and len(values) < len(parts) and sum(values) > period.received:
                sink.add("C901", period.path + ("received",), "year_partial", period=period.label,
                         received=period.received, unit=unit, count=len(values), found=sum(values))


def _on_roster(path: Path, school: str, variant: str, policy: Policy, sink: Sink) -> None:
    if school and policy.roster and school not in policy.roster:
        sink.add("M813", path + ("school",), variant, school=school)


def _inspections(oversight: Oversight, policy: Policy, sink: Sink) -> None:
    for inspection in oversight.inspections:
        _on_roster(inspection.path, inspection.school, "", policy, sink)
        held = inspection.held
        for finding in inspection.findings:
            if held and finding.due and finding.due < held:
                sink.add("S113", finding.path + ("due",), "finding_due", due=finding.due, held=held)
            if held and finding.resolved and finding.resolved < held:
                sink.add("S113", finding.path + ("resolved",), "finding_resolved", resolved=finding.resolved, held=held)
            if finding.verified and finding.resolved is None:
                sink.add("S101", finding.path + ("verified",), field="resolved", title="整改完成日期",
                         description="回头看确认整改到位的，要写整改完成日期")


def _refunds(oversight: Oversight, policy: Policy, sink: Sink) -> None:
    for refund in oversight.refunds:
        _on_roster(refund.path, refund.school, "refund", policy, sink)
        if refund.ordered and refund.due and refund.due < refund.ordered:
            sink.add("S113", refund.path + ("due",), "refund_due", due=refund.due, ordered=refund.ordered)
        if refund.ordered and refund.completed and refund.completed < refund.ordered:
            sink.add("S113", refund.path + ("completed",), "refund_completed", completed=refund.completed,
                     ordered=refund.ordered)
        if refund.completed and refund.refunded is None:
            sink.add("S101", refund.path + ("completed",), field="refunded", title="实际清退金额",
                     description="写了完成日期时，要写实际清退的金额")
        if refund.refunded is None or refund.amount is None:
            continue
        if refund.refunded > refund.amount:
            sink.add("M811", refund.path + ("refunded",), refunded=money(refund.refunded), amount=money(refund.amount))
        elif refund.completed and refund.refunded < refund.amount and not refund.notes:
            sink.add("M812", refund.path + ("refunded",), refunded=money(refund.refunded), amount=money(refund.amount))
