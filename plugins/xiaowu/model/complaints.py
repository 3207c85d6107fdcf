# Complaint figures the bureau publishes per period (schools/oversight.yml `complaints`): counts by
# channel, category, area and outcome, with 办结率 and the change on last year computed, never typed.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xiaowu.model.base import Written, dicts_of, mask, of_type, text_of
from xiaowu.read.tree import Path

_HALVES = {"H1": "上半年", "H2": "下半年"}
_QUARTERS = {"Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度"}


@dataclass(frozen=True)
class Count(Written):
    name: str
    count: int | None
    parts: tuple[Count, ...] = ()
    given: int = 0


@dataclass(frozen=True)
class Period(Written):
    """Complaint figures for one year, half-year or quarter."""

    path: Path
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
    given: int = 0

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
        """办结率 in percent, one decimal: computed from the counts, never typed. It never reads 100.0
        unless every case was closed (99.95 % is shown as 99.9, not rounded up to "all").

        >>> Period((), "2014-Q1", received=13, closed=10).rate, Period((), "2026", received=2000, closed=1999).rate
        (Decimal('76.9'), Decimal('99.9'))
        """
        handled = self.handled
        if self.closed is None or not handled:
            return None
        rate = (Decimal(self.closed) * 100 / handled).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return Decimal("99.9") if rate >= 100 and self.closed < handled else rate


@dataclass(frozen=True)
class YearOnYear:
    """A period against the same period a year before."""

    before: int
    after: int
    #: Where the earlier figure came from: a record in the file, or the period's own note of it.
    source: str

    @property
    def words(self) -> str:
        """The change in words, with the percentage when last year had any.

        >>> YearOnYear(113, 53, "").words, YearOnYear(13, 13, "").words, YearOnYear(0, 4, "").words
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


def _count(data: dict[str, Any]) -> Count:
    return Count(text_of(data.get("name")), of_type(data.get("count"), int),
                 tuple(_count(c) for _, c in dicts_of(data.get("parts"))), mask(Count, data))


def _counts(value: Any) -> tuple[Count, ...]:
    return tuple(_count(c) for _, c in dicts_of(value))


def build_period(p: dict[str, Any], path: Path) -> Period:
    return Period(
        path, str(p.get("period") or ""), of_type(p.get("received"), int), _counts(p.get("channels")),
        _counts(p.get("categories")), _counts(p.get("areas")), of_type(p.get("carried_in"), int),
        of_type(p.get("closed"), int), of_type(p.get("in_progress"), int), _counts(p.get("outcomes")),
        of_type(p.get("same_period_last_year"), int), text_of(p.get("document")), of_type(p.get("published"), date),
        of_type(p.get("source_url"), str), text_of(p.get("notes")), mask(Period, p))
