# "What changed since last term", in plain words: items keyed by name, stage and tier.
from __future__ import annotations

from dataclasses import dataclass

from xiaowu.model.amounts import difference
from xiaowu.model.school import Disclosure, FeeItem
from xiaowu.read.chars import name_key


@dataclass(frozen=True)
class FeeChange:
    kind: str  # added, removed, changed
    text: str


def compare(current: Disclosure, previous: Disclosure) -> list[FeeChange]:
    """What changed between two terms' fee items, in plain words (items keyed by name and stage)."""
    def keyed(disclosure: Disclosure) -> dict[tuple[str, str, str], FeeItem]:
        out: dict[tuple[str, str, str], FeeItem] = {}
        for item in disclosure.items:
            if item.item:
                out.setdefault((name_key(item.item), item.stage, name_key(item.tier)), item)
        return out

    new, old = keyed(current), keyed(previous)
    changes: list[FeeChange] = []
    for key, item in new.items():
        if key not in old:
            changes.append(FeeChange("added", f"新增收费项目：{item.label}，{item.standard or '标准见上表'}。"))
            continue
        before = old[key]
        a, b = before.amount, item.amount
        if a is not None and b is not None and a != b and before.mode == item.mode:
            changes.append(FeeChange("changed", f"{item.label}由 {before.standard} 调整为 {item.standard}，{difference(b, a)}。"))
        elif before.standard != item.standard:
            changes.append(FeeChange("changed", f"{item.label}的收费标准由“{before.standard}”改为“{item.standard}”。"))
    for key, item in old.items():
        if key not in new:
            changes.append(FeeChange("removed", f"不再收取：{item.label}（上学期 {item.standard or '有此项目'}）。"))
    return changes
