# The money after a notice, as a school writes it: each term's settlement, item by item (domain.md:
# 据实收取、及时结算、多退少补、定期公布). Totals are computed here, never typed.
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xiaowu.model.base import Written, dicts_of, field_bits, mask, of_type, text_of
from xiaowu.model.canteen import (Meal, Spending, StudentAccount, ToDate, accounts_of, meals_of, percent, spending_of,
                                  to_date_of, total)
from xiaowu.read.chars import name_key
from xiaowu.read.tree import Path


@dataclass(frozen=True, slots=True)
class SettledItem(Written):
    """One fee item's money after the term: what came in, where it went, what went back."""

    path: Path
    item: str = ""
    stage: str = ""
    tier: str = ""
    students: int | None = None
    carried_in: Decimal | None = None
    collected: Decimal | None = None
    subsidy: Decimal | None = None
    spending: tuple[Spending, ...] = ()
    refunded: Decimal | None = None
    refund_students: int | None = None
    refund_per_student: Decimal | None = None
    carried: Decimal | None = None
    shortfall: Decimal | None = None
    shortfall_covered_by: str = ""
    refund_method: str = ""
    meals: tuple[Meal, ...] = ()
    per_student: tuple[StudentAccount, ...] = ()
    term_to_date: ToDate | None = None
    printed_margin: Decimal | None = None
    notes: str = ""
    given: int = 0

    @property
    def label(self) -> str:
        detail = "，".join(p for p in (self.stage, self.tier) if p)
        return f"{self.item}（{detail}）" if detail else self.item

    @property
    def spent(self) -> Decimal:
        """The spending in total (computed, never typed)."""
        return total(s.amount for s in self.spending)

    @property
    def income(self) -> Decimal:
        """Carried in, collected and other income (a shortfall is covered from outside, so it counts too)."""
        return total((self.carried_in, self.collected, self.subsidy, self.shortfall))

    @property
    def outgo(self) -> Decimal:
        return self.spent + total((self.refunded, self.carried))

    @property
    def balance(self) -> Decimal:
        """Income less spending, refunds and carry-over: zero when the figures add up."""
        return self.income - self.outgo

    @property
    def has_totals(self) -> bool:
        """Whether the item gives its totals (a per-student settlement may give none)."""
        return self.collected is not None or bool(self.spending)

    def margin(self) -> tuple[Decimal, Decimal] | None:
        """(surplus or deficit, income) the margin rate is computed from: the term's cumulative
        figures where given, else the balance after this period (carry-in + income − spending −
        refunds) over this period's income. None without income."""
        if self.term_to_date is not None and self.term_to_date.income:
            return self.term_to_date.result, self.term_to_date.income
        income = total((self.collected, self.subsidy))
        if self.collected is None or not income:
            return None
        return total((self.carried_in,)) + income - self.spent - total((self.refunded,)), income

    @property
    def margin_rate(self) -> Decimal | None:
        """盈亏率 in percent (negative for a deficit), computed, never typed."""
        figures = self.margin()
        return percent(*figures) if figures else None

    def accounts_for(self, item: str, stage: str, tier: str) -> bool:
        """Whether this settled item accounts for the fee item (name, and stage and tier where both say)."""
        if name_key(item) != name_key(self.item):
            return False
        if self.stage and stage and self.stage != stage:
            return False
        return not (self.tier and tier and name_key(self.tier) != name_key(tier))


@dataclass(frozen=True, slots=True)
class Settlement(Written):
    path: Path
    term: str = ""
    month: str = ""
    start: date | None = None
    end: date | None = None
    settled: date | None = None
    published: date | None = None
    items: tuple[SettledItem, ...] = ()
    notes: str = ""
    given: int = 0

    @property
    def public_date(self) -> date | None:
        """When parents could see it: the publication date, else the settlement date."""
        return self.published or self.settled

    @property
    def term_end(self) -> bool:
        """Whether this is the term's own settlement (not a month's or a date range's statement)."""
        return not self.month and self.start is None and self.end is None

    def span(self) -> tuple[date, date] | None:
        """The first and last day a period statement covers (None for the term's settlement, or
        a period written wrongly)."""
        if self.month:
            year, month = (int(part) for part in self.month.split("-"))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if self.start is not None and self.end is not None:
            return self.start, self.end
        return None

    @property
    def period_label(self) -> str:
        """"2026 年 10 月", "2026-09-01 至 2026-10-31", or "" for the term's settlement."""
        if self.month:
            year, month = self.month.split("-")
            return f"{year} 年 {int(month)} 月"
        span = self.span()
        return f"{span[0].isoformat()} 至 {span[1].isoformat()}" if span else ""


_SETTLED_AMOUNTS = ("carried_in", "collected", "subsidy", "refunded", "refund_per_student", "carried", "shortfall")


def _settled_item(data: dict[str, Any], path: Path) -> SettledItem:
    return SettledItem(
        path=path, item=text_of(data.get("item")), stage=text_of(data.get("stage")), tier=text_of(data.get("tier")),
        students=of_type(data.get("students"), int), spending=spending_of(data.get("spending")),
        refund_students=of_type(data.get("refund_students"), int),
        shortfall_covered_by=text_of(data.get("shortfall_covered_by")), refund_method=text_of(data.get("refund_method")),
        meals=meals_of(data.get("meals"), path + ("meals",)),
        per_student=accounts_of(data.get("per_student"), path + ("per_student",)),
        term_to_date=to_date_of(data.get("term_to_date")), printed_margin=of_type(data.get("printed_margin"), Decimal),
        notes=text_of(data.get("notes")), given=mask(SettledItem, data),
        **{key: of_type(data.get(key), Decimal) for key in _SETTLED_AMOUNTS})


def _month(value: Any) -> str:
    """"2026-10" as written, or "" (the schema's pattern already reported anything else)."""
    text = text_of(value)
    head, _, tail = text.partition("-")
    return text if len(head) == 4 and head.isdigit() and tail.isdigit() and 1 <= int(tail) <= 12 else ""


def build_settlement(data: dict[str, Any], path: Path) -> Settlement:
    return Settlement(
        path=path, term=text_of(data.get("term")), month=_month(data.get("month")),
        start=of_type(data.get("start"), date), end=of_type(data.get("end"), date),
        settled=of_type(data.get("settled"), date),
        published=of_type(data.get("published"), date),
        items=tuple(_settled_item(d, path + ("items", i)) for i, d in dicts_of(data.get("items"))),
        notes=text_of(data.get("notes")), given=mask(Settlement, data))


# Worked out once, not per object (see Written).
field_bits(SettledItem)
field_bits(Settlement)
