# Which terms a school must settle and publish accounts for, by when, and how late it is: the status
# behind "结算逾期". Lateness is a status, never an error: one school settling late stops nobody.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xiaowu.model.money import Settlement
from xiaowu.model.policy import Policy
from xiaowu.model.terms import Term
from xiaowu.model.school import FeeItem, School


@dataclass(frozen=True)
class Due:
    """One term whose fees must be settled: by when, and what the school has published so far."""

    term: Term
    due: date
    required: tuple[FeeItem, ...]
    settlement: Settlement | None
    #: Required items the settlement does not account for.
    missing: tuple[FeeItem, ...]

    @property
    def done(self) -> date | None:
        return self.settlement.public_date if self.settlement is not None else None

    def days_late(self, day: date) -> int:
        """Days past the deadline on ``day`` (0 when not past it)."""
        return (day - self.due).days if day > self.due else 0


def dues(school: School, policy: Policy, today: date) -> list[Due]:
    """Every calendar term whose notice listed items to settle, newest first; a settlement dated
    after ``today`` does not count (a future date is never shown as done)."""
    out = []
    for term in sorted(policy.terms.values(), key=lambda t: t.start, reverse=True):
        disclosure = school.disclosure(term.id)
        if disclosure is None or disclosure.published is None or disclosure.published > today:
            continue
        required = tuple(f for f in disclosure.items if f.item and policy.settlement.required(f.item, f.category))
        if not required:
            continue
        # Only the term's own settlement settles it: a month's statement is not the term's account.
        settlement = next((s for s in school.settlements if s.term == term.id and s.term_end), None)
        if settlement is not None and (settlement.public_date is None or settlement.public_date > today):
            settlement = None
        missing = required if settlement is None else tuple(
            f for f in required if not any(s.accounts_for(f.item, f.stage, f.tier) for s in settlement.items))
        out.append(Due(term, policy.settlement.due(term), required, settlement, missing))
    return out


def overdue_reasons(school: School, policy: Policy, today: date) -> list[str]:
    """Why the school's settlements are late ("结算逾期"); empty when they are not.

    Any past term never settled counts; a settlement made late counts for the latest due term only
    (it is done, but the dashboard should say so this term)."""
    reasons = []
    past = [d for d in dues(school, policy, today) if d.due < today]
    for index, due in enumerate(past):
        name, deadline = due.term.name, due.due.isoformat()
        if due.settlement is None:
            reasons.append(f"{name}收费结算逾期 {due.days_late(today)} 天未公示（应在 {deadline} 前）")
            continue
        if due.missing:
            items = "、".join(dict.fromkeys(f.item for f in due.missing))
            reasons.append(f"{name}的{items}未结算（应在 {deadline} 前）")
        done = due.done
        if index == 0 and done is not None and done > due.due:
            reasons.append(f"{name}收费 {done.isoformat()} 结算公示，逾期 {due.days_late(done)} 天（应在 {deadline} 前）")
    return reasons


def watched_terms(policy: Policy, today: date) -> list[Term]:
    """The terms whose running accounts are watched month by month: the latest started term, and the
    one before it until its own settlement falls due (after that its settlement speaks for it)."""
    started = sorted((t for t in policy.terms.values() if t.start <= today), key=lambda t: t.start, reverse=True)
    return started[:1] + [t for t in started[1:2] if policy.settlement.due(t) >= today]


@dataclass(frozen=True)
class MonthDue:
    """One month of one item's running account: by when its statement is due, and when it was published."""

    term: Term
    item: FeeItem
    year: int
    month: int
    due: date
    #: The earliest public date of a statement covering the month (None: none yet).
    done: date | None

    @property
    def label(self) -> str:
        return f"{self.item.item} {self.year} 年 {self.month} 月收支"

    def days_late(self, day: date) -> int:
        return (day - self.due).days if day > self.due else 0


def _months(term: Term) -> list[tuple[int, int]]:
    """Every calendar month a term touches."""
    out, (year, month) = [], (term.start.year, term.start.month)
    while (year, month) <= (term.end.year, term.end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _covers(settlement: Settlement, term: Term, year: int, month: int) -> bool:
    """Whether a published statement covers the month: a month's or a range's touching it, or the
    term's own settlement for the term's last month (its figures include that month)."""
    span = settlement.span()
    if span is None:
        return settlement.term_end and (year, month) == (term.end.year, term.end.month)
    first, last = span
    return (first.year, first.month) <= (year, month) <= (last.year, last.month)


def month_dues(school: School, policy: Policy, today: date) -> list[MonthDue]:
    """Each month, in the watched terms, of each item whose category the bureau wants published
    monthly (policy.yml settlement.categories monthly_due_day), whose deadline has come by ``today``."""
    out = []
    for term in watched_terms(policy, today):
        disclosure = school.disclosure(term.id)
        if disclosure is None or disclosure.published is None or disclosure.published > today:
            continue
        shown = [s for s in school.settlements if s.term == term.id and s.public_date is not None
                 and s.public_date <= today]
        for fee in disclosure.items:
            rules = policy.settlement.accounts_for(fee.item, fee.category)
            if rules is None or rules.monthly_due_day is None:
                continue
            for year, month in _months(term):
                due = rules.month_due(year, month)
                if due is None or due >= today:
                    continue
                dates = [s.public_date for s in shown if _covers(s, term, year, month)
                         and any(i.accounts_for(fee.item, fee.stage, fee.tier) for i in s.items)]
                out.append(MonthDue(term, fee, year, month, due, min((d for d in dates if d), default=None)))
    return out


def monthly_reasons(school: School, policy: Policy, today: date) -> list[str]:
    """Why the monthly statements are late ("月度收支逾期"): months never published, months published late."""
    reasons = []
    for due in month_dues(school, policy, today):
        if due.done is None:
            reasons.append(f"{due.label}逾期 {due.days_late(today)} 天未公示（应在 {due.due.isoformat()} 前）")
        elif due.done > due.due:
            reasons.append(f"{due.label} {due.done.isoformat()} 公示，逾期 {due.days_late(due.done)} 天"
                           f"（应在 {due.due.isoformat()} 前）")
    return reasons


def margin_reasons(school: School, policy: Policy, today: date) -> list[str]:
    """Statements published by ``today`` (in the watched terms) whose computed margin rate is over the
    bureau's limit for the item's category ("盈亏超限")."""
    reasons = []
    watched = {t.id: t for t in watched_terms(policy, today)}
    for settlement in school.settlements:
        term, disclosure = watched.get(settlement.term), school.disclosure(settlement.term)
        if term is None or disclosure is None or settlement.public_date is None or settlement.public_date > today:
            continue
        for item in settlement.items:
            fee = disclosure.fee_for(item)
            rules = policy.settlement.accounts_for(fee.item, fee.category) if fee else None
            rate = item.margin_rate
            if rules is None or rules.margin_limit is None or rate is None or abs(rate) <= rules.margin_limit:
                continue
            period = settlement.period_label or term.name
            reasons.append(f"{item.label} {period}盈亏率 {rate}%，超过本局规定的 {rules.margin_limit}%")
    return reasons
