# What goes on the paper a school hands to parents (通知单和收费卡制): the 缴费通知单 of one stage
# (学段) lists the items of that stage and those that apply to every stage, the 收费卡 lists every item
# of the term. Also how much room a notice needs, so a school is told (P540) before a notice would
# spill onto a second sheet. Pages and rules both read these; the layout itself is pages/paper.py.
from __future__ import annotations

from dataclasses import dataclass

from xiaowu.model.school import Disclosure, FeeItem

STAGE_ORDER = ("幼儿园", "小学", "初中", "高中", "中职")
#: Printed lines a notice's table has room for on one sheet (measured in Chromium, tests/test_paper.py),
#: with the heading, the complaint lines, the next reception day and the signature on the same sheet.
A5_LINES = 9
A4_LINES = 34
#: Rows the blank 收费卡 has room for on its A4 sheet (each row high enough to write in).
CARD_LINES = 18
#: Characters per printed line in the widest text columns (item; basis), A4 and A5 alike in proportion.
_ITEM_CHARS = 9
_BASIS_CHARS = 16


@dataclass(frozen=True)
class NoticeGroup:
    """The items on one stage's notice; ``stage`` is "" for a notice to the whole school."""

    stage: str
    items: tuple[FeeItem, ...]

    @property
    def lines(self) -> int:
        """Printed lines the table needs: each row as high as its longest cell wraps."""
        return sum(_row_lines(item) for item in self.items)

    @property
    def sheet(self) -> str:
        """"A5" when it fits half a sheet, else "A4"."""
        return "A5" if self.lines <= A5_LINES else "A4"

    @property
    def fits(self) -> bool:
        return self.lines <= A4_LINES


def card_lines(disclosure: Disclosure) -> int:
    """Printed lines the card's table needs for the term's items (a row per item, as high as it wraps)."""
    return sum(_row_lines(item) for item in disclosure.items)


def _wrapped(text: str, width: int) -> int:
    return max(1, -(-len(text) // width))


def _row_lines(item: FeeItem) -> int:
    label = item.item + "".join(f"（{p}）" for p in (item.tier,) if p)
    basis = f"{item.basis.authority} {item.basis.document}" if item.basis else ""
    return max(_wrapped(label, _ITEM_CHARS), _wrapped(basis, _BASIS_CHARS), _wrapped(item.standard, _BASIS_CHARS))


def ordered(stages: list[str]) -> list[str]:
    """Stages in school order (幼儿园 … 中职), others after them by name."""
    known = [s for s in STAGE_ORDER if s in stages]
    return known + sorted(s for s in set(stages) if s not in STAGE_ORDER)


def notice_groups(disclosure: Disclosure) -> tuple[NoticeGroup, ...]:
    """One notice per stage named on the term's items (items naming no stage go on every one of them),
    or one notice for the whole school when no item names a stage. No items, no notice."""
    if not disclosure.items:
        return ()
    stages = ordered([i.stage for i in disclosure.items if i.stage])
    if not stages:
        return (NoticeGroup("", disclosure.items),)
    return tuple(NoticeGroup(s, tuple(i for i in disclosure.items if i.stage in ("", s))) for s in stages)
