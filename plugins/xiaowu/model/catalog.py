# The bureau's fee catalog: an approved item with its cap, or caps by named tier, and the conditions
# the bureau sets (counties, cadences, pricing mode, whether it is voluntary). Built from policy.yml.
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xiaowu.read.chars import name_key
from xiaowu.model.school import PRICING_WORDS


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


#: Cadences any approved item may use; 学年 and 年 only where the catalog entry allows them.
DEFAULT_CADENCES = frozenset({"学期", "月", "周", "天", "课时", "次", "一次性"})


@dataclass(frozen=True)
class Tier:
    name: str
    cap: Decimal | None
    notes: str = ""


@dataclass(frozen=True)
class CatalogEntry:
    item: str
    names: frozenset[str]
    category: str
    stages: frozenset[str]
    ownership: frozenset[str]
    cap: Decimal | None
    unit: str
    authority: str
    document: str
    title: str = ""
    url: str | None = None
    #: County ids the item is limited to; empty = every county.
    counties: frozenset[str] = frozenset()
    tiers: tuple[Tier, ...] = ()
    pricing: str = ""
    cadences: frozenset[str] = DEFAULT_CADENCES
    #: "是"/"否" when the bureau says so for this item; "" = by category.
    voluntary: str = ""
    notes: str = ""
    #: Position in policy.yml's catalog, for the 收费目录 page order.
    index: int = 0

    @property
    def pricing_words(self) -> str:
        """The entry's pricing mode in words ("" for a plain cap)."""
        return PRICING_WORDS.get(self.pricing, self.pricing)

    @property
    def extra_cadences(self) -> list[str]:
        """Cadences beyond the default that the bureau allows for this item (e.g. 学年, 年)."""
        return [c for c in ("学年", "年") if c in self.cadences]

    def tier(self, name: str) -> Tier | None:
        key = name_key(name)
        return next((t for t in self.tiers if name_key(t.name) == key), None)


def _amount(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def names_of(entry: dict[str, Any]) -> frozenset[str]:
    return frozenset({name_key(entry["item"])} | {name_key(s) for s in _list(entry.get("synonyms")) if _text(s)})


def build_entry(entry: dict[str, Any], index: int) -> CatalogEntry:
    basis: dict[str, Any] = entry["basis"] if isinstance(entry.get("basis"), dict) else {}
    tiers = tuple(Tier(_text(t.get("name")), _amount(t.get("cap")), _text(t.get("notes")))
                  for t in _list(entry.get("tiers")) if isinstance(t, dict) and _text(t.get("name")))
    cadences = frozenset(c for c in _list(entry.get("cadences")) if _text(c)) or DEFAULT_CADENCES
    return CatalogEntry(
        item=entry["item"], names=names_of(entry), category=_text(entry.get("category")),
        stages=frozenset(s for s in _list(entry.get("stages")) if _text(s)),
        ownership=frozenset(s for s in _list(entry.get("ownership")) if _text(s)),
        cap=_amount(entry.get("cap")), unit=_text(entry.get("unit")),
        authority=_text(basis.get("authority")), document=_text(basis.get("document")),
        title=_text(basis.get("title")), url=basis.get("url") if isinstance(basis.get("url"), str) else None,
        counties=frozenset(c for c in _list(entry.get("counties")) if _text(c)), tiers=tiers,
        pricing=_text(entry.get("pricing")), cadences=cadences, voluntary=_text(entry.get("voluntary")),
        notes=_text(entry.get("notes")), index=index)
