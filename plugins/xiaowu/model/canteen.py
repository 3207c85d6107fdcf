# The parts of a settled item that canteen accounts (伙食费) bring: meal arithmetic (人日数 × 伙食标准),
# the term's cumulative figures beside a month's, per-student accounts without names, and the margin
# rate (盈亏率) computed from the figures, never typed. Real monthly canteen statements print these;
# the rules in rules/canteen.py check them and the pages show them.
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from xiaowu.model.base import dicts_of, of_type, text_of
from xiaowu.read.tree import Path

_CENT = Decimal("0.01")


def total(values: Any) -> Decimal:
    """The sum of the amounts that are there (None counts as nothing)."""
    return sum((v for v in values if v is not None), Decimal(0))


@dataclass(frozen=True, slots=True)
class Spending:
    purpose: str = ""
    amount: Decimal | None = None


def spending_of(value: Any) -> tuple[Spending, ...]:
    return tuple(Spending(text_of(s.get("purpose")), of_type(s.get("amount"), Decimal)) for _, s in dicts_of(value))


@dataclass(frozen=True, slots=True)
class Meal:
    """One line of meal arithmetic: diners × days (or the meal-days 人日数 directly) × the daily standard."""

    path: Path
    diners: int | None = None
    days: int | None = None
    meal_days: int | None = None
    standard: Decimal | None = None
    amount: Decimal | None = None

    @property
    def counted_days(self) -> int | None:
        """人日数: as written, else diners × days."""
        if self.meal_days is not None:
            return self.meal_days
        return self.diners * self.days if self.diners is not None and self.days is not None else None

    @property
    def product(self) -> Decimal | None:
        """人日数 × 伙食标准 (None when either is missing)."""
        days = self.counted_days
        return days * self.standard if days is not None and self.standard is not None else None


def meals_of(value: Any, path: Path) -> tuple[Meal, ...]:
    return tuple(Meal(path + (i,), of_type(m.get("diners"), int), of_type(m.get("days"), int),
                      of_type(m.get("meal_days"), int), of_type(m.get("standard"), Decimal),
                      of_type(m.get("amount"), Decimal)) for i, m in dicts_of(value))


@dataclass(frozen=True, slots=True)
class StudentAccount:
    """One student's account, by row number or group (中午一餐, 寄宿生) only, never a name: paid,
    consumed, back or owed."""

    path: Path
    no: int | None = None
    kind: str = ""
    paid: Decimal | None = None
    meal_days: int | None = None
    consumed: Decimal | None = None
    refund: Decimal | None = None
    owed: Decimal | None = None


def accounts_of(value: Any, path: Path) -> tuple[StudentAccount, ...]:
    return tuple(StudentAccount(path + (i,), of_type(a.get("no"), int), text_of(a.get("kind")),
                                of_type(a.get("paid"), Decimal),
                                of_type(a.get("meal_days"), int), of_type(a.get("consumed"), Decimal),
                                of_type(a.get("refund"), Decimal), of_type(a.get("owed"), Decimal))
                 for i, a in dicts_of(value))


@dataclass(frozen=True, slots=True)
class ToDate:
    """The term's cumulative figures (本学期累计) printed beside a month's."""

    collected: Decimal | None = None
    subsidy: Decimal | None = None
    spending: tuple[Spending, ...] = ()
    refunded: Decimal | None = None

    @property
    def income(self) -> Decimal:
        return total((self.collected, self.subsidy))

    @property
    def spent(self) -> Decimal:
        return total(s.amount for s in self.spending)

    @property
    def result(self) -> Decimal:
        """The term's surplus (positive) or deficit (negative) so far."""
        return self.income - self.spent - total((self.refunded,))


def to_date_of(value: Any) -> ToDate | None:
    if not isinstance(value, dict):
        return None
    return ToDate(of_type(value.get("collected"), Decimal), of_type(value.get("subsidy"), Decimal),
                  spending_of(value.get("spending")), of_type(value.get("refunded"), Decimal))


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole as a percentage with two decimals, rounded half up.

    >>> percent(Decimal("115.7"), Decimal("44049.6")), percent(Decimal("-7455.39"), Decimal("701081.27"))
    (Decimal('0.26'), Decimal('-1.06'))
    """
    return (part * 100 / whole).quantize(_CENT, rounding=ROUND_HALF_UP)


def same_rate(printed: Decimal, part: Decimal, whole: Decimal) -> bool:
    """Whether a printed rate (its absolute value, as schools print 盈 x% / 亏 x%) is the computed one,
    rounded or cut off at the printed precision.

    >>> same_rate(Decimal("0.26"), Decimal("115.7"), Decimal("44049.6"))
    True
    >>> same_rate(Decimal("2.30"), Decimal("886.09"), Decimal("32248.7"))
    False
    """
    exact = abs(part) * 100 / whole
    exponent = printed.as_tuple().exponent
    step = Decimal(1).scaleb(exponent) if isinstance(exponent, int) else _CENT
    return printed in (exact.quantize(step, rounding=ROUND_HALF_UP), exact.quantize(step, rounding=ROUND_DOWN))
