# The money after a notice, as a school writes it: each term's settlement, item by item (domain.md:
# 据实收取、及时结算、多退少补、定期公布). Totals are computed here, never typed.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xiaowu.model.base import Written, dicts_of, field_bits, mask, of_type, text_of
from xiaowu.read.chars import name_key
from xiaowu.read.tree import Path


@dataclass(frozen=True, slots=True)
class Spending:
    purpose: str = ""
    amount: Decimal | None = None


def _sum(values: Any) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


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
    notes: str = ""
    given: int = 0

    @property
    def label(self) -> str:
        detail = "，".join(p for p in (self.stage, self.tier) if p)
        return f"{self.item}（{detail}）" if detail else self.item

    @property
    def spent(self) -> Decimal:
        """The spending in total (computed, never typed)."""
        return _sum(s.amount for s in self.spending)

    @property
    def income(self) -> Decimal:
        """Carried in, collected and other income (a shortfall is covered from outside, so it counts too)."""
        return _sum((self.carried_in, self.collected, self.subsidy, self.shortfall))

    @property
    def outgo(self) -> Decimal:
        return self.spent + _sum((self.refunded, self.carried))

    @property
    def balance(self) -> Decimal:
        """Income less spending, refunds and carry-over: zero when the figures add up."""
        return self.income - self.outgo

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
    settled: date | None = None
    published: date | None = None
    items: tuple[SettledItem, ...] = ()
    notes: str = ""
    given: int = 0

    @property
    def public_date(self) -> date | None:
        """When parents could see it: the publication date, else the settlement date."""
        return self.published or self.settled


_SETTLED_AMOUNTS = ("carried_in", "collected", "subsidy", "refunded", "refund_per_student", "carried", "shortfall")


def _settled_item(data: dict[str, Any], path: Path) -> SettledItem:
    spending = tuple(Spending(text_of(s.get("purpose")), of_type(s.get("amount"), Decimal))
                     for _, s in dicts_of(data.get("spending")))
    return SettledItem(
        path=path, item=text_of(data.get("item")), stage=text_of(data.get("stage")), tier=text_of(data.get("tier")),
        students=of_type(data.get("students"), int), spending=spending,
        refund_students=of_type(data.get("refund_students"), int),
        shortfall_covered_by=text_of(data.get("shortfall_covered_by")), refund_method=text_of(data.get("refund_method")),
        notes=text_of(data.get("notes")), given=mask(SettledItem, data),
        **{key: of_type(data.get(key), Decimal) for key in _SETTLED_AMOUNTS})


def build_settlement(data: dict[str, Any], path: Path) -> Settlement:
    return Settlement(
        path=path, term=text_of(data.get("term")), settled=of_type(data.get("settled"), date),
        published=of_type(data.get("published"), date),
        items=tuple(_settled_item(d, path + ("items", i)) for i, d in dicts_of(data.get("items"))),
        notes=text_of(data.get("notes")), given=mask(Settlement, data))


# Worked out once, not per object (see Written).
field_bits(SettledItem)
field_bits(Settlement)
