# Fees approved per unit and collected per term (issue 20 §3): "3.00 元/生·课时 × 40 课时 = 120 元/生·学期".
#
# The bureau approves a rate (per 课时, 天, 次, 餐, 月 …); the school collects the term's total. An item
# that states the rate, the number of units and the total is checked three ways: the rate against the
# cap when the catalog caps the rate, the product against the total, and the rate's unit against the
# cadences the catalog allows. Whatever subset of the three is written, each check runs on what is there.
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from xiaowu.model.amounts import money
from xiaowu.model.school import FeeItem
from xiaowu.model.units import cadence_of, counted, per_whom, unit_key

Report = Callable[..., None]
#: Periods a term total of per-unit charges may be collected for: never more than one term.
TOTAL_PERIODS = frozenset({"学期", "月", "周"})
_CENT = Decimal("0.01")


def check_rate(item: FeeItem, report: Report) -> None:
    """What an item that gives a rate must also give, and rate × units = amount."""
    has_rate, has_units = item.rate is not None or item.wrote("rate"), item.units is not None or item.wrote("units")
    if not has_rate and not has_units:
        return
    if has_rate and not item.rate_unit and not item.wrote("rate_unit"):
        report("S101", ("rate",), field="rate_unit", title="单价的计费单位", description="写了单价时要写单价按什么计，如 元/生·课时")
    if has_rate != has_units:
        report("F223", ("rate",) if has_rate else ("units",), "no_units" if has_rate else "no_rate",
               word=counted(item.rate_unit) or "课时")
        return
    word = counted(item.rate_unit)
    if item.rate_unit and word and word == counted(item.unit) and item.unit:
        report("F223", ("rate_unit",), "same_unit", rate_unit=item.rate_unit, unit=item.unit)
    elif item.rate_unit and item.unit and per_whom(item.rate_unit) != per_whom(item.unit):
        report("F223", ("rate_unit",), "per_whom", rate_unit=item.rate_unit, unit=item.unit)
    product = item.product
    if product is not None and item.amount is not None and product.quantize(_CENT) != item.amount.quantize(_CENT):
        report("F222", ("amount",), rate=item.rate, rate_unit=item.rate_unit, units=item.units, word=word,
               product=money(product), amount=item.amount, unit=item.unit)


def rate_capped(item: FeeItem, cap_unit: str) -> bool:
    """Whether the catalog's cap is per the item's rate unit (so the rate, not the total, meets the cap)."""
    return item.rate is not None and bool(item.rate_unit) and bool(cap_unit) and unit_key(item.rate_unit) == unit_key(cap_unit)


def per_unit(item: FeeItem) -> bool:
    """Whether the item states a rate or a number of units (a term total of per-unit charges)."""
    return item.rate is not None or item.units is not None


def total_in_other_unit(item: FeeItem, cap_unit: str) -> bool:
    """A term total of per-unit charges in another unit than the cap: the total is not compared with it
    (the rate is, once written: F223 asks for what is missing)."""
    return per_unit(item) and bool(item.unit) and bool(cap_unit) and unit_key(item.unit) != unit_key(cap_unit)


def unit_explained(item: FeeItem, catalog_unit: str) -> bool:
    """No F215 where the rate is in the catalog's unit, or where F223/S101 already ask for the rate's unit."""
    return rate_capped(item, catalog_unit) or (per_unit(item) and not item.rate_unit)


def rate_cadences(item: FeeItem, allowed: set[str], catalog_units: set[str], report: Report,
                  order: tuple[str, ...]) -> bool:
    """F212 for a rate counted in a unit the catalog neither approves nor allows; True when the item
    has a rate (its total is then collected per term, checked by the caller against TOTAL_PERIODS)."""
    if not per_unit(item):
        return False
    period = cadence_of("", item.rate_unit) if item.rate is not None else ""
    approved = any(unit_key(item.rate_unit) == unit_key(unit) for unit in catalog_units)
    if period and period not in allowed and not approved:
        report("F212", ("rate_unit",), "rate", period=period, allowed="、".join(p for p in order if p in allowed))
    return True
