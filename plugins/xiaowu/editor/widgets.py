# JSON Schema node → editor field: the school schema's Chinese title becomes the label, its
# description the hint, an enum a select, x-format a pattern (patterns.py), `required` required.
#
# The walk is generic; config.py passes `overrides` for the few fields the bureau's policy.yml
# decides (catalog items, terms, county, roster names), keyed by the field's path of names.
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from xiaowu.editor.patterns import BY_FORMAT, YEAR, Pattern

Field = dict[str, Any]
#: path of property names (list items add nothing) → function from the generic field to the final one.
Overrides = Mapping[tuple[str, ...], Callable[[Field], Field]]
_NUMBER_FORMATS = {"amount": "float", "decimal": "float", "integer": "int"}
# Advice on writing YAML by hand ("写时间时请加引号", "写 items: []"): in a form it would only mislead
# (typed quotes become part of the value), so the hint leaves that clause out.
_YAML_ADVICE = re.compile(r"；[^；。]*(?:加引号|: \[\])[^；。]*")


def form_hint(description: str) -> str:
    """The schema description as a field hint.

    >>> form_hint("如“工作日 08:30-17:30”；写时间时请加引号。")
    '如“工作日 08:30-17:30”。'
    """
    return _YAML_ADVICE.sub("", description)


def resolve(root: Mapping[str, Any], node: Mapping[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` (local, possibly chained), keeping the referring node's own keys on top."""
    merged = dict(node)
    while "$ref" in merged:
        target: Any = root
        for part in merged.pop("$ref").removeprefix("#/").split("/"):
            target = target[part]
        merged = {**target, **merged}
    return merged


class Walk(NamedTuple):
    """What every step of the walk needs: the schema (for $ref) and the policy's overrides."""

    root: Mapping[str, Any]
    overrides: Overrides


def object_fields(walk: Walk, node: Mapping[str, Any], path: tuple[str, ...]) -> list[Field]:
    """The editor fields of an object node, in the schema's property order (= the file's key order)."""
    node = resolve(walk.root, node)
    required = set(node.get("required", ()))
    return [field(walk, name, sub, name in required, path + (name,)) for name, sub in node.get("properties", {}).items()]


def field(walk: Walk, name: str, node: Mapping[str, Any], required: bool, path: tuple[str, ...]) -> Field:
    root, overrides = walk
    node = resolve(root, node)
    out: Field = {"name": name, "label": node.get("title", name)}
    if node.get("description"):
        out["hint"] = form_hint(node["description"])
    out["required"] = required
    out.update(_widget(walk, node, path))
    override = overrides.get(path)
    return override(out) if override else out


def _widget(walk: Walk, node: Mapping[str, Any], path: tuple[str, ...]) -> Field:
    kind = node.get("type")
    if "enum" in node:
        return {"widget": "select", "options": list(node["enum"])}
    if kind == "object":
        return {"widget": "object", "collapsed": False, "fields": object_fields(walk, node, path)}
    if kind == "array":
        return _list(walk, node, path)
    fmt = node.get("x-format")
    if fmt in _NUMBER_FORMATS:
        return {"widget": "number", "value_type": _NUMBER_FORMATS[fmt], "min": 0, "pattern": _pattern(BY_FORMAT[fmt])}
    if fmt in BY_FORMAT:
        return {"widget": "string", "pattern": _pattern(BY_FORMAT[fmt])}
    if node.get("pattern") == YEAR.regex:
        return {"widget": "number", "value_type": "int", "pattern": _pattern(YEAR)}
    long_text = node.get("maxLength", 0) > 200
    return {"widget": "text" if long_text else "string"}


def _list(walk: Walk, node: Mapping[str, Any], path: tuple[str, ...]) -> Field:
    items = resolve(walk.root, node.get("items", {}))
    out: Field = {}
    if "enum" in items:  # a set of choices (学段): one multiple select, written as a list
        out = {"widget": "select", "multiple": True, "options": list(items["enum"])}
    elif items.get("type") == "object":
        out = {"widget": "list", "collapsed": False, "summary": _summary(items),
               "fields": object_fields(walk, items, path)}
    else:  # a list of texts: one line per entry
        out = {"widget": "list", "field": field(walk, path[-1], items, True, path + ("",))}
        out["field"]["label"] = items.get("title", out["field"]["label"])
    if "minItems" in node:
        out["min"] = node["minItems"]
    if "maxItems" in node:
        out["max"] = node["maxItems"]
    return out


def _summary(items: Mapping[str, Any]) -> str:
    """What a collapsed list entry shows: its first one or two text fields."""
    names = [n for n, p in items.get("properties", {}).items() if "properties" not in p][:2]
    return " ".join("{{fields." + n + "}}" for n in names)


def _pattern(pattern: Pattern) -> list[str]:
    return [pattern.regex, pattern.message]
