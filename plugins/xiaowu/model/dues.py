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
        settlement = next((s for s in school.settlements if s.term == term.id), None)
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
