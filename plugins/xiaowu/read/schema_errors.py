# jsonschema's errors as located findings a clerk can act on: one mapper per validator keyword.
#
# The errors come from the full validator, which only runs for files the fast check (fastcheck.py)
# could not pass; each is mapped to the line of the value (or of its key) through the loader's marks.
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.tree import Loaded, Path


@dataclass(frozen=True)
class Sheet:
    """What a mapper needs besides the error: the file, its marks and its schema's root.

    ``bureau_keys`` are top-level keys that only a bureau file may carry (key -> (code, section));
    ``computed`` says whether a key at a path is one the site computes (C902 instead of S102);
    ``elsewhere`` names a key deeper down that another owner's file holds (its code and what it is)."""

    loaded: Loaded
    file: str
    root: dict[str, Any]
    bureau_keys: dict[str, tuple[str, str]]
    computed: Callable[[Path, str], bool]
    elsewhere: Callable[[Path, str], tuple[str, str] | None]


_SHAPES = {"object": "“字段: 值”的结构", "array": "列表（每项以“- ”开头）", "string": "一段文字", "number": "数字"}
_SHAPE_HELP = {
    "object": "在这个字段下另起一行、缩进两个空格，逐项写“字段: 值”",
    "array": "在这个字段下另起一行，每项以半角“- ”开头（减号后有空格），只有一项也要写成列表",
    "string": "这里直接写文字，不要再分行写子项",
}


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Merge a local ``$ref`` into its siblings (titles beside a $ref win)."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    merged = dict(resolve(target, root))
    merged.update({k: v for k, v in schema.items() if k != "$ref"})
    return merged


def label(path: Path, schema: dict[str, Any]) -> str:
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    title = schema.get("title")
    return f"{key}（{title}）" if title and key else key or "文件"


def _actual(value: Any) -> str:
    if isinstance(value, dict):
        return "“字段: 值”的结构"
    if isinstance(value, list):
        return "列表"
    return f"文字“{value}”"


def _suggest(key: str, properties: dict[str, Any], root: dict[str, Any]) -> str:
    by_title = {resolve(s, root).get("title", ""): k for k, s in properties.items()}
    if key in by_title:
        return f"，是不是要写“{by_title[key]}”？"
    close = difflib.get_close_matches(key.lower(), list(properties), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(key, [t for t in by_title if t], n=1, cutoff=0.5)
        close = [by_title[c] for c in close]
    return f"，是不是要写“{close[0]}”？" if close else ""


Mapper = Callable[[ValidationError, Path, dict[str, Any], Sheet], list[Diagnostic]]


def _required(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    # jsonschema reports one error per missing key, each carrying the whole list: say each key once.
    properties = schema.get("properties", {})
    instance: Any = error.instance
    missing = re.match(r"^'(.+)' is a required property$", error.message)
    out = []
    expected: Any = error.validator_value
    for key in [missing.group(1)] if missing else list(expected):
        if isinstance(instance, dict) and key not in instance:
            sub = resolve(properties.get(key, {}), sheet.root)
            out.append(make("S101", sheet.file, *sheet.loaded.mark(path), field=key,
                            title=sub.get("title", key), description=sub.get("description", "")))
    return out


def _unknown_key(key: str, path: Path, schema: dict[str, Any], sheet: Sheet) -> Diagnostic:
    at = sheet.loaded.key_mark(path + (key,))
    if key.startswith("-") and key[1:2].strip():
        return make("Y021", sheet.file, *at)  # "-item:" meant "- item:"
    home = _home(key, path, sheet)
    if home is not None:
        return make("Y022", sheet.file, *at, "misplaced", key=f"“{key}”", actual=at[1] - 1,
                    sibling=f"“{path[-1] if path else ''}”", parent=home[0], expected=home[1])
    if not path and key in sheet.bureau_keys:
        code, section = sheet.bureau_keys[key]
        return make(code, sheet.file, *at, key=key, section=section)
    if sheet.computed(path, key):
        return make("C902", sheet.file, *at, field=key)
    owned = sheet.elsewhere(path, key)
    if owned is not None:
        return make(owned[0], sheet.file, *at, key=key, section=owned[1])
    properties = schema.get("properties", {})
    return make("S102", sheet.file, *at, field=key, suggestion=_suggest(key, properties, sheet.root),
                allowed="、".join(properties))


def _schema_at(path: Path, root: dict[str, Any]) -> dict[str, Any]:
    schema = root
    for part in path:
        schema = resolve(schema.get("items", {}) if isinstance(part, int) else
                         schema.get("properties", {}).get(part, {}), root)
    return schema


def _home(key: str, path: Path, sheet: Sheet) -> tuple[str, int] | None:
    """Where a key unknown at ``path`` belongs when it is a field of an enclosing mapping (it was
    indented as deep as the fields of the mapping above): that mapping's label and its keys' indent."""
    for depth in range(len(path) - 1, -1, -1):
        outer = path[:depth]
        if key not in _schema_at(outer, sheet.root).get("properties", {}):
            continue
        siblings = [p[-1] for p in sheet.loaded.key_marks if p[:-1] == outer]
        if not siblings:
            return None
        owner = next((str(p) for p in reversed(outer) if isinstance(p, str)), "")
        label = f"“{owner}”" + ("列表项中" if outer and isinstance(outer[-1], int) else "下面") if owner else "最外层"
        return label, sheet.loaded.key_mark(outer + (siblings[0],))[1] - 1
    return None


def _additional(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    properties = schema.get("properties", {})
    instance: Any = error.instance
    return [_unknown_key(key, path, schema, sheet) for key in instance if key not in properties]


def _type(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    instance: Any = error.instance
    if instance is None and schema.get("x-blank-rule"):
        return []  # left blank: the rule named there reports it, with its own basis (one finding per gap)
    if instance is None:
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        return [make("S101", sheet.file, *sheet.loaded.key_mark(path), field=key, title=schema.get("title", key),
                     description=schema.get("description", ""))]
    expected = error.validator_value if isinstance(error.validator_value, str) else "string"
    if isinstance(instance, dict) and instance and expected in ("string", "number"):
        return [_nested(path, next(iter(instance)), sheet)]
    dashed = [key for key in instance if key.startswith("-")] if isinstance(instance, dict) else []
    if dashed and expected == "array":
        return [make("Y021", sheet.file, *sheet.loaded.key_mark(path + (dashed[0],)))]
    hint = ""
    if isinstance(instance, str) and instance.startswith(("－", "—", "一")):
        hint = "（列表项要用半角“- ”开头）"
    elif isinstance(instance, str) and ("：" in instance or ":" in instance):
        hint = "（检查冒号是否为半角、冒号后是否有空格）"
    return [make("S103", sheet.file, *sheet.loaded.mark(path), field=label(path, schema),
                 expected=_SHAPES.get(expected, expected), actual=_actual(instance) + hint,
                 shape_help=_SHAPE_HELP.get(expected, ""))]


def _nested(path: Path, key: str, sheet: Sheet) -> Diagnostic:
    """Y022: a key indented deeper than its sibling above, so it became that text field's content."""
    line, column = sheet.loaded.key_mark(path + (key,))
    owner = path
    while owner and not isinstance(owner[-1], str):
        owner = owner[:-1]
    above = str(owner[-1]) if owner else key
    expected = sheet.loaded.key_mark(owner)[1] - 1 if owner else 0
    return make("Y022", sheet.file, line, column, "nested", key=f"“{key}”", actual=column - 1,
                expected=expected, sibling=f"“{above}”")


def _enum(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    allowed: Any = error.validator_value
    if isinstance(error.instance, (dict, list)) and "type" in schema:
        return []  # the type error at the same place says what is wrong (no Python value shown)
    return [make("S104", sheet.file, *sheet.loaded.mark(path), field=label(path, schema),
                 allowed="、".join(allowed), value=error.instance,
                 description=schema.get("description", "请从可选值中选一个"))]


def _too_long(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    instance: Any = error.instance
    variant = "items" if error.validator == "maxItems" else "chars"
    return [make("S117", sheet.file, *sheet.loaded.mark(path), variant, field=label(path, schema),
                 length=len(instance), limit=error.validator_value)]


def _empty(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    return [make("S109", sheet.file, *sheet.loaded.mark(path), field=label(path, schema),
                 description=schema.get("description", "请填写内容"))]


def _unique(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    seen: dict[Any, int] = {}
    instance: Any = error.instance
    for index, item in enumerate(instance):
        key = json.dumps(item, sort_keys=True, ensure_ascii=False)
        if key in seen:
            first = sheet.loaded.mark(path + (seen[key],))[0]
            return [make("S115", sheet.file, *sheet.loaded.mark(path + (index,)), "list_item",
                         field=label(path, schema), value=item, first=first)]
        seen[key] = index
    return []


def _other(error: ValidationError, path: Path, schema: dict[str, Any], sheet: Sheet) -> list[Diagnostic]:
    instance: Any = error.instance
    value = instance if isinstance(instance, str) else json.dumps(instance, ensure_ascii=False)
    return [make("S116", sheet.file, *sheet.loaded.mark(path), field=label(path, schema), value=value,
                 description=schema.get("description", ""))]


_MAPPERS: dict[str, Mapper] = {
    "required": _required, "additionalProperties": _additional, "type": _type, "enum": _enum,
    "maxLength": _too_long, "maxItems": _too_long, "minItems": _empty, "minLength": _empty, "uniqueItems": _unique,
}


def map_error(error: ValidationError, sheet: Sheet) -> list[Diagnostic]:
    """The findings for one jsonschema error (none for an empty value: the type check says it once)."""
    if error.instance is None and error.validator not in ("type", "required"):
        return []
    schema = error.schema if isinstance(error.schema, dict) else {}
    mapper = _MAPPERS.get(str(error.validator), _other)
    return mapper(error, tuple(error.absolute_path), schema, sheet)
