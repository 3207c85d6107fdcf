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
#: The months of a year (1-based, inclusive) each part covers.
_SPANS = {"": (1, 12), "H1": (1, 6), "H2": (7, 12), "Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12)}
#: Kinds of period, in the order a year's records are listed (the whole year first).
_KIND_RANK = {"year": 0, "years": 0, "half": 1, "quarter": 2, "window": 3, "month": 4}


def _month(end: str) -> tuple[int, int] | None:
    """"2026" -> (2026, 0); "2026-03" -> (2026, 3); anything else None."""
    if len(end) == 4 and end.isdigit():
        return int(end), 0
    if len(end) == 7 and end[:4].isdigit() and end[4] == "-" and end[5:].isdigit() and 1 <= int(end[5:]) <= 12:
        return int(end[:4]), int(end[5:])
    return None


@dataclass(frozen=True)
class Count(Written):
    name: str
    count: int | None
    parts: tuple[Count, ...] = ()
    #: The percentage the notice printed ("占总量的 49%"), as printed; the site computes its own
    #: wherever the total is known and checks this one against it (C906).
    share: Decimal | None = None
    given: int = 0


@dataclass(frozen=True)
class Period(Written):
    """Complaint figures for one year, half-year, quarter, month, window of months or several years."""

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
    #: "是" when the breakdowns list only some channels, categories or areas (e.g. a notice giving one
    #: category: "违规补课类 N 件，占总量的 x%"): their sum may then be below the total, never above it.
    partial: str = ""
    given: int = 0

    @property
    def ends(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """A window's first and last (year, month; 0 for a whole year), else None.

        >>> Period((), "2026-03/2026-06").ends, Period((), "2026-Q1").ends
        (((2026, 3), (2026, 6)), None)
        """
        first, slash, last = self.period.partition("/")
        start, end = _month(first), _month(last)
        return (start, end) if slash and start and end else None

    @property
    def kind(self) -> str:
        """"year", "half", "quarter", "month", "window" (months) or "years" (several years)."""
        ends = self.ends
        if ends is not None:
            return "years" if ends[0][1] == 0 and ends[1][1] == 0 else "window"
        part = self.period[5:]
        if not part:
            return "year"
        return {"H": "half", "Q": "quarter"}.get(part[:1], "month")

    @property
    def year(self) -> int:
        """The year the period ends in (0 when unreadable)."""
        end = self.period.rpartition("/")[2]
        return int(end[:4]) if end[:4].isdigit() else 0

    @property
    def part(self) -> str:
        """"" for one whole year, else what follows it ("H1" … "Q4", "03", or the whole window)."""
        return self.period if "/" in self.period else self.period[5:]

    def months(self) -> tuple[int, int]:
        """The first and last month covered, counted as year * 12 + month - 1 (for ordering)."""
        ends = self.ends
        if ends is not None:
            (y0, m0), (y1, m1) = ends
            return y0 * 12 + max(m0, 1) - 1, y1 * 12 + (m1 or 12) - 1
        first, last = _SPANS.get(self.part, (int(self.part), int(self.part)) if self.part.isdigit() else (1, 12))
        return self.year * 12 + first - 1, self.year * 12 + last - 1

    @property
    def label(self) -> str:
        """The period in words.

        >>> Period((), "2014-Q1").label, Period((), "2013-H1").label, Period((), "2025").label
        ('2014 年第一季度', '2013 年上半年', '2025 年')
        >>> Period((), "2024-12").label, Period((), "2024-03/2024-06").label, Period((), "2021/2025").label
        ('2024 年 12 月', '2024 年 3 月至 6 月', '2021 年至 2025 年')
        >>> Period((), "2025-09/2026-02").label
        '2025 年 9 月至 2026 年 2 月'
        """
        ends = self.ends
        if ends is not None:
            (y0, m0), (y1, m1) = ends
            if not m0 or not m1:
                return f"{y0} 年至 {y1} 年"
            return f"{y0} 年 {m0} 月至 " + (f"{y1} 年 " if y1 != y0 else "") + f"{m1} 月"
        if self.kind == "month" and self.part.isdigit():
            return f"{self.year} 年 {int(self.part)} 月"
        return f"{self.year} 年" + _HALVES.get(self.part, _QUARTERS.get(self.part, ""))

    @property
    def last_year(self) -> str:
        """The same period a year before: 2014-Q1 -> 2013-Q1, 2024-03/2024-06 -> 2023-03/2023-06;
        "" for several years (no same period to compare with)."""
        if self.kind == "years":
            return ""
        if self.kind == "window":
            return "/".join(f"{int(end[:4]) - 1}{end[4:]}" for end in self.period.split("/"))
        return f"{self.year - 1}" + (f"-{self.part}" if self.part else "")

    def share(self, count: int | None, base: int | None) -> Decimal | None:
        """``count`` as a percentage of ``base`` (one decimal), only where both are known: a share is
        never worked out from a total the notice did not give.

        >>> Period((), "2010-Q2").share(26, 53), Period((), "2010-Q2").share(26, None)
        (Decimal('49.1'), None)
        """
        if count is None or not base:
            return None
        return (Decimal(count) * 100 / base).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def bases(self) -> dict[str, int | None]:
        """What each breakdown's shares are of: the total received; the outcomes, of the closed cases."""
        return {"channels": self.received, "categories": self.received, "areas": self.received,
                "outcomes": self.closed}

    @property
    def order(self) -> tuple[int, int, int, int]:
        """Newest first; within a year the whole year, then halves, quarters, windows, months, latest first."""
        first, last = self.months()
        return -self.year, _KIND_RANK.get(self.kind, 9), -last, first

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
                 tuple(_count(c) for _, c in dicts_of(data.get("parts"))), of_type(data.get("share"), Decimal),
                 mask(Count, data))


def _counts(value: Any) -> tuple[Count, ...]:
    return tuple(_count(c) for _, c in dicts_of(value))


def build_period(p: dict[str, Any], path: Path) -> Period:
    return Period(
        path, str(p.get("period") or ""), of_type(p.get("received"), int), _counts(p.get("channels")),
        _counts(p.get("categories")), _counts(p.get("areas")), of_type(p.get("carried_in"), int),
        of_type(p.get("closed"), int), of_type(p.get("in_progress"), int), _counts(p.get("outcomes")),
        of_type(p.get("same_period_last_year"), int), text_of(p.get("document")), of_type(p.get("published"), date),
        of_type(p.get("source_url"), str), text_of(p.get("notes")), text_of(p.get("partial")), mask(Period, p))
