# The bureau's fee catalog: an approved item with its cap, or caps by named tier, and the conditions
# the bureau sets (counties, cadences, pricing mode, whether it is voluntary). Built from policy.yml.
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xiaowu.model.base import list_of, text_of
from xiaowu.model.units import PRICING_WORDS
from xiaowu.read.chars import name_key


#: Cadences any approved item may use; 学年 and 年 only where the catalog entry allows them.
DEFAULT_CADENCES = frozenset({"学期", "月", "周", "天", "课时", "次", "一次性"})


@dataclass(frozen=True)
class Tier:
    name: str
    cap: Decimal | None
    notes: str = ""
    #: How a tier without a cap is priced (e.g. 学校自主定价 for apartment-style rooms, 以支定收).
    pricing: str = ""

    @property
    def pricing_words(self) -> str:
        return PRICING_WORDS.get(self.pricing, self.pricing)


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
    #: School ids the approval names (a private school's tuition is approved school by school);
    #: empty = every school of the kind.
    schools: frozenset[str] = frozenset()
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
    return frozenset({name_key(entry["item"])} | {name_key(s) for s in list_of(entry.get("synonyms")) if text_of(s)})


def build_entry(entry: dict[str, Any], index: int) -> CatalogEntry:
    basis: dict[str, Any] = entry["basis"] if isinstance(entry.get("basis"), dict) else {}
    tiers = tuple(Tier(text_of(t.get("name")), _amount(t.get("cap")), text_of(t.get("notes")), text_of(t.get("pricing")))
                  for t in list_of(entry.get("tiers")) if isinstance(t, dict) and text_of(t.get("name")))
    cadences = frozenset(c for c in list_of(entry.get("cadences")) if text_of(c)) or DEFAULT_CADENCES
    return CatalogEntry(
        item=entry["item"], names=names_of(entry), category=text_of(entry.get("category")),
        stages=frozenset(s for s in list_of(entry.get("stages")) if text_of(s)),
        ownership=frozenset(s for s in list_of(entry.get("ownership")) if text_of(s)),
        cap=_amount(entry.get("cap")), unit=text_of(entry.get("unit")),
        authority=text_of(basis.get("authority")), document=text_of(basis.get("document")),
        title=text_of(basis.get("title")), url=basis.get("url") if isinstance(basis.get("url"), str) else None,
        counties=frozenset(c for c in list_of(entry.get("counties")) if text_of(c)),
        schools=frozenset(c for c in list_of(entry.get("schools")) if text_of(c)), tiers=tiers,
        pricing=text_of(entry.get("pricing")), cadences=cadences, voluntary=text_of(entry.get("voluntary")),
        notes=text_of(entry.get("notes")), index=index)


@dataclass(frozen=True)
class Forbidden:
    item: str
    terms: tuple[str, ...]
    basis: str
    note: str = ""


# Domain rule 5: national forbidden fees; matched when the normalised item name contains a term.
NATIONAL_FORBIDDEN: tuple[Forbidden, ...] = (
    Forbidden("择校费", ("择校费", "择校生费", "选校费", "择校赞助费"), "国家明令禁止"),
    Forbidden("借读费", ("借读费", "借读生费"), "国家明令禁止"),
    Forbidden("与入学挂钩的赞助费、捐资助学费、建校费", ("赞助费", "捐资助学费", "捐资助学款", "建校费", "集资费"),
              "国家明令禁止", "自愿捐赠须与入学脱钩，不能列为收费项目。"),
    Forbidden("补课费", ("补课费", "补习费", "补课辅导费"), "国家明令禁止"),
    Forbidden("实验班、特长班、提高班等收费", ("实验班", "特长班", "提高班", "重点班", "尖子班", "培优班"), "国家明令禁止"),
    Forbidden("正常教学范围内的收费", ("讲义资料费", "讲义费", "试卷费", "上机费", "取暖费", "降温费",
                                  "饮水费", "安保费"),
              "国家明令禁止", "讲义、试卷、上机、取暖、降温、饮水、安保属于正常教学和办学保障，不得另行收费。"),
)
