# The one serialiser: any model object (or a schema-converted tree) as JSON-ready values, with the
# file's keys in the schema's order. Pages never need it; every export does (school JSON, oversight,
# the bureau's policy in schools.json, CSV cells).
from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from xiaowu.model.amounts import plain_amount
from xiaowu.model.base import field_bits
from xiaowu.model.complaints import Count, Period
from xiaowu.model.money import SettledItem, Settlement, Spending
from xiaowu.model.oversight import Finding, Inspection, Oversight, Refund
from xiaowu.model.ratings import Rating
from xiaowu.model.receptions import Reception
from xiaowu.model.school import Basis, Disclosure, Evaluation, FeeItem, Hotline, Profile, Rectification, School
from xiaowu.read.fields import Phone

#: Attributes that are ours, not the file's.
_INTERNAL: dict[type, tuple[str, ...]] = {School: ("id", "county"), Oversight: ("file", "digest", "by_school")}
#: Attribute -> the key the file uses, where they differ.
_KEYS = {"disclosures": "fee_disclosures", "held": "date"}
#: Lists a file always shows, even empty (a school's lines and notices).
_ALWAYS: dict[type, tuple[str, ...]] = {School: ("hotlines", "disclosures")}
_WITH_GIVEN = (Basis, FeeItem, Disclosure, Evaluation, SettledItem, Settlement, Count, Period, Inspection, Oversight, Rating)
_RECORDED = (School, Profile, Disclosure, FeeItem, Basis, Hotline, Evaluation, Rectification, Settlement,
             SettledItem, Spending, Count, Period, Inspection, Finding, Refund, Oversight, Rating, Reception)


def _spec(cls: type) -> tuple[tuple[str, str, int], ...]:
    """(attribute, key in the file, bit of `given`; -1 when the class keeps none, -2 for a list
    that is always kept). Worked out once per class: record() runs for every value of 20,000 files."""
    bits = field_bits(cls) if cls in _WITH_GIVEN else {}
    return tuple((f.name, _KEYS.get(f.name, f.name),
                  -2 if f.name in _ALWAYS.get(cls, ()) else bits.get(f.name, -1))
                 for f in fields(cls) if f.name not in ("path", "given", *_INTERNAL.get(cls, ())))


_SPEC = {cls: _spec(cls) for cls in _RECORDED}


def _fields(value: Any, spec: tuple[tuple[str, str, int], ...]) -> dict[str, Any]:
    """Empty optional values are left out; a list the writer wrote stays, even when empty."""
    out = {}
    given = getattr(value, "given", 0)
    for name, key, bit in spec:
        item = getattr(value, name)
        if item is None or item == "":
            continue
        if item == () and (bit == -1 or (bit >= 0 and not given >> bit & 1)):
            continue
        kind = type(item)
        out[key] = item if kind is str or kind is int else record(item)
    return out


def record(value: Any, schema: dict[str, Any] | None = None) -> Any:
    """A JSON-ready copy: a model object in its class's field order (= the schema's order), or a
    schema-converted mapping in ``schema``'s property order; amounts as typed, ISO dates, phones normalised.

    >>> record(Spending("食材", Decimal("94469.50")))
    {'purpose': '食材', 'amount': '94469.50'}
    >>> record({"b": Decimal("85.50"), "a": date(2026, 8, 1)}, {"properties": {"a": {}, "b": {}}})
    {'a': '2026-08-01', 'b': '85.50'}
    """
    spec = _SPEC.get(type(value))
    if spec is not None:
        return _fields(value, spec)
    if isinstance(value, dict):
        props = (schema or {}).get("properties", {})
        keys = [k for k in props if k in value] + sorted(k for k in value if k not in props)
        return {k: record(value[k], props.get(k)) for k in keys}
    if isinstance(value, list | tuple):
        items = (schema or {}).get("items")
        return [record(v, items if isinstance(items, dict) else None) for v in value]
    if isinstance(value, Decimal):
        return plain_amount(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Phone):
        return str(value)
    return value
