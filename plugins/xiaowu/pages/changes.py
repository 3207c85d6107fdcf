# "What changed since last term", in plain words: items keyed by name, stage and tier.
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xiaowu.model.school import Disclosure, FeeItem
from xiaowu.model.policy import normalise_name


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed
    text: str


def format_amount(value: Decimal) -> str:
    """Amounts as the clerk typed them, without exponent notation.

    >>> format_amount(Decimal("290")), format_amount(Decimal("85.50")), format_amount(Decimal("1E+3"))
    ('290', '85.50', '1000')
    """
    return f"{value:f}"


def _difference(new: Decimal, old: Decimal) -> str:
    delta = new - old
    text = format_amount(abs(delta).normalize() if delta == delta.to_integral_value() else abs(delta))
    return ("增加 " if delta > 0 else "减少 ") + text + " 元"


def compare(current: Disclosure, previous: Disclosure) -> list[Change]:
    """What changed between two terms' fee items, in plain words (items keyed by name and stage)."""
    def keyed(disclosure: Disclosure) -> dict[tuple[str, str, str], FeeItem]:
        out: dict[tuple[str, str, str], FeeItem] = {}
        for item in disclosure.items:
            if item.item:
                out.setdefault((normalise_name(item.item), item.stage, normalise_name(item.tier)), item)
        return out

    new, old = keyed(current), keyed(previous)
    changes: list[Change] = []
    for key, item in new.items():
        if key not in old:
            changes.append(Change("added", f"新增收费项目：{item.label}，{item.standard or '标准见上表'}。"))
            continue
        before = old[key]
        a, b = before.amount, item.amount
        if a is not None and b is not None and a != b and before.mode == item.mode:
            changes.append(Change("changed", f"{item.label}由 {before.standard} 调整为 {item.standard}，{_difference(b, a)}。"))
        elif before.standard != item.standard:
            changes.append(Change("changed", f"{item.label}的收费标准由“{before.standard}”改为“{item.standard}”。"))
    for key, item in old.items():
        if key not in new:
            changes.append(Change("removed", f"不再收取：{item.label}（上学期 {item.standard or '有此项目'}）。"))
    return changes
