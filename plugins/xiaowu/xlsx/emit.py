# YAML text for one entry, in the style of the example files (two-space indents, "- " items, plain
# scalars unless quoting is needed), with the path of the value on every line so a finding at a
# line of the emitted block can be traced back to its sheet cell.
from __future__ import annotations

import json
import re
from typing import Any

Path = tuple[str | int, ...]
Line = tuple[str, Path]

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#:\n\r\t]*$")
_NULLS = {"~", "null", "Null", "NULL"}
_FLOW = re.compile(r"[,\[\]{}]")
#: Keys whose lists of words policy.yml writes in flow style ("stages: [初中, 高中]").
FLOW_KEYS = frozenset({"synonyms", "stages", "ownership", "counties", "schools", "cadences"})


def scalar(value: str, flow: bool = False) -> str:
    """A value as the example files write it: plain when safe, else double-quoted.

    >>> scalar("青石市教育局"), scalar("工作日 08:00-17:30"), scalar("- 校服费"), scalar("null")
    ('青石市教育局', '"工作日 08:00-17:30"', '"- 校服费"', '"null"')
    >>> scalar("a,b"), scalar("a,b", flow=True)
    ('a,b', '"a,b"')
    """
    safe = _PLAIN.match(value) and value == value.strip() and value not in _NULLS and value.isprintable()
    if safe and not (flow and _FLOW.search(value)):
        return value
    return json.dumps(value, ensure_ascii=False)


def mapping(entry: dict[str, Any], indent: int, path: Path, first_prefix: str = "", flow_keys: bool = False) -> list[Line]:
    """``entry``'s keys at ``indent``; the first line may start with a list dash (``first_prefix``).
    With ``flow_keys``, word lists and tiers are written in policy.yml's flow style."""
    lines: list[Line] = []
    for key, value in entry.items():
        pad = first_prefix if not lines and first_prefix else " " * indent
        lines += _field(pad, key, value, indent, path + (key,), flow_keys)
    return lines


def _flow_map(value: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(str(v), True)}" for k, v in value.items()) + "}"


def _field(pad: str, key: str, value: Any, indent: int, path: Path, flow_keys: bool = False) -> list[Line]:
    if isinstance(value, dict):
        return [(f"{pad}{key}:", path)] + mapping(value, indent + 2, path, flow_keys=flow_keys)
    if isinstance(value, list):
        if not value:
            return [(f"{pad}{key}: []", path)]
        if key in FLOW_KEYS and flow_keys:
            return [(f"{pad}{key}: [{', '.join(scalar(str(v), True) for v in value)}]", path)]
        if key == "tiers" and flow_keys:
            return [(f"{pad}{key}:", path)] + [(" " * (indent + 2) + "- " + _flow_map(v), path + (i,))
                                                for i, v in enumerate(value)]
        lines: list[Line] = [(f"{pad}{key}:", path)]
        for index, item in enumerate(value):
            lines += sequence_item(item, indent + 2, path + (index,))
        return lines
    return [(f"{pad}{key}: {scalar(str(value))}", path)]


def sequence_item(item: Any, indent: int, path: Path, flow_keys: bool = False) -> list[Line]:
    """One "- " entry whose dash is at ``indent``."""
    if isinstance(item, dict):
        return mapping(item, indent + 2, path, " " * indent + "- ", flow_keys)
    return [(" " * indent + "- " + scalar(str(item)), path)]
