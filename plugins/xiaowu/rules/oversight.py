# The rules for the bureau's oversight file: complaint figures that add up (C901/C903, C905 for a notice
# that lists only some categories), printed shares that match the counts (C906), periods that read
# (C907), records that name a school (C904) on the roster (M813), dates in order (S113) and refunds that
# match their orders (M81x). Notices as bureaus write them are lawful input: a refund returned on the
# spot needs no order, document or completion date; a finding may have no due date.
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from xiaowu.model.amounts import money
from xiaowu.model.complaints import Count, Period
from xiaowu.model.oversight import Oversight
from xiaowu.model.policy import Policy
from xiaowu.read.tree import Path
from xiaowu.rules.base import Sink

_MONTHS = tuple(f"{month:02d}" for month in range(1, 13))


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
        _window(period, sink)
        _breakdowns(period, sink)
        _shares(period, sink)
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


def _window(period: Period, sink: Sink) -> None:
    """A window of months or years ends after it starts, and both ends are of one kind."""
    ends = period.ends
    if ends is None:
        return
    (y0, m0), (y1, m1) = ends
    if (m0 == 0) != (m1 == 0):
        sink.add("C907", period.path + ("period",), "mixed", period=period.period)
    elif (y1, m1) <= (y0, m0):
        sink.add("C907", period.path + ("period",), period=period.period)


def _adds_up(found: int | None, total: int | None, partial: bool) -> bool:
    """A complete breakdown equals its total; one that lists only some can never exceed it."""
    return found is None or total is None or (found <= total if partial else found == total)


def _breakdowns(period: Period, sink: Sink) -> None:
    """Every breakdown adds up to the total it breaks down (or stays within it, when the notice lists
    only some of it)."""
    label, total, partial = period.label, period.received, period.partial == "是"
    code = "C905" if partial else "C901"
    for key, name in (("channels", "各渠道"), ("categories", "各类别"), ("areas", "各县区（学校）")):
        found = _total(getattr(period, key))
        if not _adds_up(found, total, partial):
            sink.add(code, period.path + (key,), period=label, breakdown=name, found=found, total=total)
    for index, category in enumerate(period.categories):
        found = _total(category.parts)
        if not _adds_up(found, category.count, partial):
            sink.add(code, period.path + ("categories", index, "parts"), "subcategory", period=label,
                     category=category.name, found=found, count=category.count)


def _printed(share: Decimal, count: int, base: int) -> Decimal:
    """count / base as a percentage, rounded to as many decimals as the notice printed."""
    places = Decimal(1).scaleb(min(0, int(share.as_tuple().exponent)))
    return (Decimal(count) * 100 / base).quantize(places, ROUND_HALF_UP)


def _shares(period: Period, sink: Sink) -> None:
    """A printed share is checked wherever its base is known; without the base it stands as printed."""
    for key, base in period.bases().items():
        for index, c in enumerate(getattr(period, key)):
            subs = [(c, base, (key, index))] + [(p, c.count, (key, index, "parts", j)) for j, p in enumerate(c.parts)]
            for count, of, where in subs:
                if count.share is None or count.count is None or not of:
                    continue
                computed = _printed(count.share, count.count, of)
                if computed != count.share:
                    sink.add("C906", period.path + where + ("share",), period=period.label, name=count.name,
                             share=count.share, count=count.count, base=of, computed=computed)


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
    if not _adds_up(found, closed, period.partial == "是"):
        sink.add("C905" if period.partial == "是" else "C901", period.path + ("outcomes",), "outcomes",
                 period=period.label, found=found, closed=closed)
    elif found is not None and closed is None and found > handled:
        sink.add("C901", period.path + ("outcomes",), "outcomes_over", period=period.label, found=found,
                 handled=handled)


def _years(by_id: dict[str, Period], sink: Sink) -> None:
    """A year published with all its quarters (or both halves) must be their sum; with only some of
    them, their sum can never be more than the year's."""
    for period in by_id.values():
        if period.part or period.received is None:
            continue
        for parts, words, unit in ((("Q1", "Q2", "Q3", "Q4"), "四个季度", "季度"), (("H1", "H2"), "上下半年", "半年"),
                                   (_MONTHS, "十二个月", "月")):
            found = [by_id.get(f"{period.year}-{p}") for p in parts]
            values = [p.received for p in found if p is not None and p.received is not None]
            if len(values) == len(parts) and sum(values) != period.received:
                sink.add("C901", period.path + ("received",), "year", period=period.label, received=period.received,
                         parts=words, found=sum(values))
            elif values and len(values) < len(parts) and sum(values) > period.received:
                sink.add("C901", period.path + ("received",), "year_partial", period=period.label,
                         received=period.received, unit=unit, count=len(values), found=sum(values))


def _on_roster(path: Path, school: str, named: str, variant: str, policy: Policy, sink: Sink) -> None:
    if not school and not named:
        sink.add("C904", path, variant)
    elif school and policy.roster and school not in policy.roster:
        sink.add("M813", path + ("school",), variant, school=school)


def _inspections(oversight: Oversight, policy: Policy, sink: Sink) -> None:
    for inspection in oversight.inspections:
        _on_roster(inspection.path, inspection.school, inspection.school_name, "", policy, sink)
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
        _on_roster(refund.path, refund.school, refund.school_name, "refund", policy, sink)
        if refund.ordered and refund.due and refund.due < refund.ordered:
            sink.add("S113", refund.path + ("due",), "refund_due", due=refund.due, ordered=refund.ordered)
        on_the_spot = refund.on_the_spot == "是"  # returned when found: before any order, and valid
        if refund.ordered and refund.completed and refund.completed < refund.ordered and not on_the_spot:
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
