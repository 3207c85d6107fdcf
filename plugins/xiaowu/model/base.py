# The small tools every model builder uses: tolerant readers of the schema-converted tree, and the
# bit mask of which keys a clerk wrote.
#
# Building is tolerant: a value the schema already reported as wrong becomes "" / None / (), so a
# rule never repeats a schema error. Strings are interned: item names, categories, units and
# authorities repeat across 20,000 files, and the model of every school is kept for the site.
from __future__ import annotations

from dataclasses import fields
from sys import intern
from typing import Any


def text_of(value: Any) -> str:
    """A string as written (interned), or "" for anything else.

    >>> text_of("住宿费"), text_of(None), text_of(7)
    ('住宿费', '', '')
    """
    return intern(value) if isinstance(value, str) else ""


def texts_of(value: Any) -> tuple[str, ...]:
    return tuple(intern(v) for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def list_of(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def dicts_of(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list, with their positions (for paths into the file)."""
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def dict_of(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def of_type(value: Any, kind: type | tuple[type, ...]) -> Any:
    """``value`` when it has the type (never a bool standing in for an int), else None."""
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


_BITS: dict[type, dict[str, int]] = {}


def field_bits(cls: type) -> dict[str, int]:
    """Each field of a model class -> its bit in ``given`` (worked out once per class)."""
    bits = _BITS.get(cls)
    if bits is None:
        bits = _BITS[cls] = {f.name: i for i, f in enumerate(fields(cls))}
    return bits


def mask(cls: type, data: dict[str, Any]) -> int:
    """The ``given`` mask of the keys of ``data`` that are fields of ``cls``."""
    bits = field_bits(cls)
    given = 0
    for key in data:
        if key in bits:
            given |= 1 << bits[key]
    return given


class Written:
    """Which keys the clerk wrote, as a bit per field (one small int, not a set per object: there
    are millions of these at 20,000 schools), so "left empty" and "not written" can be told apart."""

    __slots__ = ()
    given: int

    def wrote(self, key: str) -> bool:
        return bool(self.given >> field_bits(type(self)).get(key, 63) & 1)
