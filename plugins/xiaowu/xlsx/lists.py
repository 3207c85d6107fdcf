# The drop-down choices of a school's workbook: the bureau's catalog items this school may charge
# (its ownership, stages and county), and for each item what the catalog allows in the dependent
# columns (类别, 计费单位, 收费周期, 档次, 是否自愿). Read from the typed policy, never typed twice.
from __future__ import annotations

from dataclasses import dataclass, field

from xiaowu.model.catalog import CatalogEntry
from xiaowu.model.policy import Policy
from xiaowu.read.schema import load_schema, resolve

#: The dependent columns, by fee-item key; each item gets one list per key in the hidden sheet.
DEPENDENT = ("category", "unit", "billing_period", "tier", "voluntary")


@dataclass(frozen=True)
class ItemChoices:
    item: str
    lists: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in DEPENDENT})

    def add(self, key: str, values: list[str]) -> None:
        for value in values:
            if value and value not in self.lists[key]:
                self.lists[key].append(value)


def enum(name: str) -> list[str]:
    """Allowed values of a schema enum ($defs name), e.g. the five stages."""
    root = load_schema("school")
    values: list[str] = resolve(root["$defs"][name], root).get("enum", [])
    return list(values)


def _cadences(entry: CatalogEntry) -> list[str]:
    return [c for c in enum("cadence") if c in entry.cadences]


def _voluntary(entry: CatalogEntry) -> list[str]:
    if entry.voluntary:
        return [entry.voluntary]
    return ["是"] if entry.category in ("服务性收费", "代收费", "伙食费") else ["否", "是"]


def applicable(policy: Policy, ownership: str, stages: set[str], county: str) -> list[CatalogEntry]:
    return [e for e in policy.applicable(ownership, stages) if not e.counties or county in e.counties]


def item_choices(policy: Policy, ownership: str, stages: set[str], county: str) -> list[ItemChoices]:
    """One entry per catalog item name the school may charge, in catalog order."""
    out: dict[str, ItemChoices] = {}
    for entry in applicable(policy, ownership, stages, county):
        choices = out.setdefault(entry.item, ItemChoices(entry.item))
        choices.add("category", [entry.category])
        choices.add("unit", [entry.unit])
        choices.add("billing_period", _cadences(entry))
        choices.add("tier", [t.name for t in entry.tiers])
        choices.add("voluntary", _voluntary(entry))
    return list(out.values())
