# Schema validation and typed conversion, both driven by the JSON Schema files in schema/.
#
# jsonschema checks shape (required keys, unknown keys, lists, allowed values); its errors are worded
# in schema_errors.py. Then one walk over the schema and the strings-only tree converts every
# `x-format` field (phone, amount, date, url, integer, decimal) and scans every other text for personal
# data. The result is a typed copy of the tree: Decimal, date, Phone, int.
from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read import fields, pii
from xiaowu.read.chars import visible
from xiaowu.read.fastcheck import Check, compile_valid
from xiaowu.read.tree import Loaded, Path
from xiaowu.read.schema_errors import Sheet, label, map_error, resolve

__all__ = ["load_schema", "inlined_schema", "resolve", "validate", "convert"]


@cache
def load_schema(name: str) -> dict[str, Any]:
    """``name`` is "school", "policy", "exceptions" or "oversight"."""
    text = resources.files("xiaowu").joinpath(f"schema/{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _inline(schema: Any, root: dict[str, Any]) -> Any:
    """A copy with every local $ref replaced by its target (the schemas are not recursive).

    Validating against the inlined copy avoids a reference lookup per keyword per file, which
    was more than half of jsonschema's time on a school file.
    """
    if isinstance(schema, list):
        return [_inline(item, root) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: _inline(v, root) for k, v in resolve(schema, root).items() if k != "$defs"}


@cache
def inlined_schema(name: str) -> dict[str, Any]:
    root = load_schema(name)
    inlined: dict[str, Any] = _inline(root, root)
    return inlined


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(inlined_schema(name))


@cache
def _fast_valid(name: str) -> Check:
    return compile_valid(inlined_schema(name))


def _nothing_computed(path: Path, key: str) -> bool:
    return False


def _nowhere_else(path: Path, key: str) -> tuple[str, str] | None:
    return None


def validate(name: str, loaded: Loaded, file: str, bureau_keys: dict[str, tuple[str, str]] | None = None,
             computed: Callable[[Path, str], bool] = _nothing_computed,
             elsewhere: Callable[[Path, str], tuple[str, str] | None] = _nowhere_else) -> list[Diagnostic]:
    """Check the tree's shape against schema ``name``; every error, located.

    ``bureau_keys``: top-level keys only the bureau's files may carry (key -> (code, section));
    ``computed(path, key)``: whether an unknown key is one the site computes (C902);
    ``elsewhere(path, key)``: (code, what it is) for a key deeper down that another owner's file holds."""
    if _fast_valid(name)(loaded.data):
        return []
    sheet = Sheet(loaded, file, load_schema(name), bureau_keys or {}, computed, elsewhere)
    out: list[Diagnostic] = []
    for error in _validator(name).iter_errors(loaded.data):
        out.extend(map_error(error, sheet))
    return out


class _Converter:
    """One file's conversion: where to point, and where the findings go (an accumulator that lives
    while one file is converted: a plain class, not a record)."""

    __slots__ = ("loaded", "file", "area_code", "reviewed", "out")

    def __init__(self, loaded: Loaded, file: str, area_code: str = "",
                 reviewed: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.loaded = loaded
        self.file = file
        self.area_code = area_code
        #: (rule, exact text) pairs the bureau reviewed: personal-data findings it accepts.
        self.reviewed = reviewed
        self.out: list[Diagnostic] = []

    def add(self, code: str, path: Path, **details: Any) -> None:
        self.out.append(make(code, self.file, *self.loaded.mark(path), **details))

    def walk(self, schema: dict[str, Any], value: Any, path: Path, roster: bool = False) -> Any:
        # `x-pii: roster` marks a section that lists money paid or returned (aid, reductions,
        # settlements, refunds): names and student numbers are refused there and below it.
        roster = roster or schema.get("x-pii") == "roster"
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            return {k: self.walk(properties[k], v, path + (k,), roster) for k, v in value.items() if k in properties}
        if isinstance(value, list):
            items = schema.get("items", {})
            return [self.walk(items, v, path + (i,), roster) for i, v in enumerate(value)]
        if isinstance(value, str):
            if "enum" in schema or "pattern" in schema or schema.get("x-pii") == "reviewed":
                # validated by jsonschema, or a text the bureau quotes to accept it (never published)
                return value
            fmt = schema.get("x-format")
            if fmt in _FORMATS:
                return _FORMATS[fmt](self, value, path, schema)
            return self.text(value, path, schema, roster)
        return value

    def text(self, value: str, path: Path, schema: dict[str, Any], roster: bool) -> str:
        if not visible(value):
            self.add("S109", path, field=label(path, schema),
                     description=schema.get("description", "请填写内容") + "（这里只有空格或看不见的符号）")
            return value
        for finding in pii.scan(value, roster=roster):
            if (finding.code, value) in self.reviewed:
                continue  # the bureau reviewed this exact text (schools/exceptions.yml reviewed_text)
            if finding.code == "P504":
                self.add("P504", path, kind="学号" if finding.masked[:1].isascii() else "姓名", snippet=finding.masked)
            elif finding.code == "P503":
                self.add("P503", path, snippet=finding.masked)
            else:
                self.add(finding.code, path, masked=finding.masked)
        return value


def _phone(conv: _Converter, value: str, path: Path, schema: dict[str, Any]) -> Any:
    phone = fields.parse_phone(value)
    if isinstance(phone, str):
        reason = fields.area_code_hint(value, conv.area_code) if phone == fields.NEEDS_AREA_CODE else phone
        conv.add("H301", path, value=value, reason=reason)
        return None
    if phone.number == "12358":
        conv.add("H302", path)
    return phone


def _date(conv: _Converter, value: str, path: Path, schema: dict[str, Any]) -> Any:
    parsed = fields.parse_date(value)
    if isinstance(parsed, str):
        conv.add("S106", path, value=value, reason=parsed)
        return None
    return parsed


def _parsed(parse: Callable[[str], Any], code: str) -> Callable[[_Converter, str, Path, dict[str, Any]], Any]:
    """A converter for a parser that gives None for a value it refuses (the finding: ``code``)."""
    def convert_value(conv: _Converter, value: str, path: Path, schema: dict[str, Any]) -> Any:
        parsed = parse(value)
        if parsed is None:
            conv.add(code, path, value=value)
        return parsed
    return convert_value


#: Counts and scores: (parser, what the value should be, what not to write) for S108.
_NUMBERS: dict[str, tuple[Callable[[str], Any], str, str]] = {
    "integer": (fields.parse_integer, "整数", "，不带单位"),
    "decimal": (fields.parse_decimal, "数字（最多两位小数）", "，不写“%”“分”"),
}


def _number(fmt: str) -> Callable[[_Converter, str, Path, dict[str, Any]], Any]:
    parse, kind, extra = _NUMBERS[fmt]

    def convert_number(conv: _Converter, value: str, path: Path, schema: dict[str, Any]) -> Any:
        number = parse(value)
        if number is None:
            conv.add("S108", path, field=label(path, schema), kind=kind, value=value, extra=extra)
        return number
    return convert_number


_FORMATS: dict[str, Callable[[_Converter, str, Path, dict[str, Any]], Any]] = {
    "phone": _phone, "amount": _parsed(fields.parse_amount, "S105"), "date": _date,
    "url": _parsed(fields.parse_url, "S107"), "integer": _number("integer"),
    "decimal": _number("decimal"),
}


def convert(name: str, loaded: Loaded, file: str, area_code: str = "",
            reviewed: frozenset[tuple[str, str]] = frozenset()) -> tuple[Any, list[Diagnostic]]:
    """A typed copy of the tree, following the schema; unknown keys are left out (already reported).

    ``area_code`` is the bureau's local code, suggested when a landline lacks one; ``reviewed`` the
    (rule, exact text) pairs of personal-data findings the bureau reviewed and accepted."""
    converter = _Converter(loaded, file, area_code, reviewed)
    return converter.walk(inlined_schema(name), loaded.data, ()), converter.out
