# Schema validation and typed conversion, both driven by the JSON Schema files in schema/.
#
# jsonschema checks shape (required keys, unknown keys, lists, allowed values); then one walk over
# the schema and the strings-only tree converts every `x-format` field (phone, amount, date, url,
# integer, decimal) and scans every other text for personal data. Errors map back to lines through
# the loader's marks. The result is a typed copy of the tree: Decimal, date, Phone, int.
from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from xiaowu.read import fields

from xiaowu.read import pii
from xiaowu.read.chars import visible
from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.fastcheck import Check, compile_valid
from xiaowu.read.loader import Loaded, Path


#: Keys a school file may not carry, and the finding: reviewed exceptions come only from the bureau's
#: exceptions.yml; inspections, refund orders and complaint figures only from its oversight.yml.
SELF_APPROVED = {"exceptions": "X703", "inspections": "X705", "refunds": "X705", "complaints": "X705"}
_BUREAU_WORDS = {"inspections": "检查记录", "refunds": "清退记录", "complaints": "投诉举报统计"}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """``name`` is "school", "policy" or "exceptions"."""
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


def _label(path: Path, schema: dict[str, Any]) -> str:
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    title = schema.get("title")
    return f"{key}（{title}）" if title and key else key or "文件"


_SHAPES = {"object": "“字段: 值”的结构", "array": "列表（每项以“- ”开头）", "string": "一段文字", "number": "数字"}
_SHAPE_HELP = {
    "object": "在这个字段下另起一行、缩进两个空格，逐项写“字段: 值”",
    "array": "在这个字段下另起一行，每项以半角“- ”开头（减号后有空格），只有一项也要写成列表",
    "string": "这里直接写文字，不要再分行写子项",
}


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


def _map_error(error: ValidationError, loaded: Loaded, file: str, root: dict[str, Any]) -> list[Diagnostic]:
    path: Path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    instance: Any = error.instance  # typed Any | Unset by jsonschema; always set on a reported error
    expected: Any = error.validator_value
    if instance is None and kind not in ("type", "required"):
        return []  # an empty value: the type check already says "未填写", once
    if kind == "required":
        # jsonschema reports one error per missing key, each carrying the whole list: say each key once.
        properties = schema.get("properties", {})
        out = []
        missing = re.match(r"^'(.+)' is a required property$", error.message)
        for key in [missing.group(1)] if missing else list(expected):
            if isinstance(instance, dict) and key not in instance:
                sub = resolve(properties.get(key, {}), root)
                out.append(make("S101", file, *loaded.mark(path), field=key,
                                title=sub.get("title", key), description=sub.get("description", "")))
        return out
    if kind == "additionalProperties":
        properties = schema.get("properties", {})
        allowed = "、".join(properties)
        self_approved = SELF_APPROVED if root.get("$id", "").endswith("/school.schema.json") else {}
        return [
            make(self_approved[key], file, *loaded.key_mark(path + (key,)), key=key, what=_BUREAU_WORDS.get(key, ""))
            if not path and key in self_approved else
            make("S102", file, *loaded.key_mark(path + (key,)), field=key,
                 suggestion=_suggest(key, properties, root), allowed=allowed)
            for key in instance
            if key not in properties
        ]
    if kind == "type":
        if instance is None:
            key = next((p for p in reversed(path) if isinstance(p, str)), "")
            return [make("S101", file, *loaded.key_mark(path), field=key, title=schema.get("title", key),
                         description=schema.get("description", ""))]
        expected = expected if isinstance(expected, str) else "string"
        hint = ""
        if isinstance(instance, str) and instance.startswith(("－", "—", "一")):
            hint = "（列表项要用半角“- ”开头）"
        elif isinstance(instance, str) and ("：" in instance or ":" in instance):
            hint = "（检查冒号是否为半角、冒号后是否有空格）"
        return [make("S103", file, *loaded.mark(path), field=_label(path, schema),
                     expected=_SHAPES.get(expected, expected), actual=_actual(instance) + hint,
                     shape_help=_SHAPE_HELP.get(expected, ""))]
    if kind == "enum":
        return [make("S104", file, *loaded.mark(path), field=_label(path, schema),
                     allowed="、".join(expected), value=instance,
                     description=schema.get("description", "请从可选值中选一个"))]
    if kind == "maxLength":
        return [make("S117", file, *loaded.mark(path), field=_label(path, schema),
                     what=f"有 {len(instance)} 个字，超过 {expected} 个字的上限",
                     advice="请精简文字；详细文件可写在网址中")]
    if kind == "maxItems":
        return [make("S117", file, *loaded.mark(path), field=_label(path, schema),
                     what=f"有 {len(instance)} 项，超过 {expected} 项的上限",
                     advice="只列出对外公开、家长需要的项目")]
    if kind in ("minItems", "minLength"):
        return [make("S109", file, *loaded.mark(path), field=_label(path, schema),
                     description=schema.get("description", "请填写内容"))]
    if kind == "uniqueItems":
        seen: dict[Any, int] = {}
        for index, item in enumerate(instance):
            key = json.dumps(item, sort_keys=True, ensure_ascii=False)
            if key in seen:
                first = loaded.mark(path + (seen[key],))[0]
                return [make("S115", file, *loaded.mark(path + (index,)),
                             what=f"“{_label(path, schema)}”中的“{item}”", first=first)]
            seen[key] = index
        return []
    value = instance if isinstance(instance, str) else json.dumps(instance, ensure_ascii=False)
    return [make("S116", file, *loaded.mark(path), field=_label(path, schema), value=value,
                 description=schema.get("description", ""))]


@cache
def _fast_valid(name: str) -> Check:
    return compile_valid(inlined_schema(name))


def validate(name: str, loaded: Loaded, file: str) -> list[Diagnostic]:
    """Check the tree's shape against schema ``name``; every error, located."""
    if _fast_valid(name)(loaded.data):
        return []
    root = load_schema(name)
    out: list[Diagnostic] = []
    for error in _validator(name).iter_errors(loaded.data):
        out.extend(_map_error(error, loaded, file, root))
    return out


def _convert_value(fmt: str | None, value: str, path: Path, schema: dict[str, Any],
                   loaded: Loaded, file: str, out: list[Diagnostic], area_code: str = "",
                   roster: bool = False) -> Any:
    at = loaded.mark(path)
    if fmt == "phone":
        phone = fields.parse_phone(value)
        if isinstance(phone, str):
            reason = fields.area_code_hint(value, area_code) if phone == fields.NEEDS_AREA_CODE else phone
            out.append(make("H301", file, *at, value=value, reason=reason))
            return None
        if phone.number == "12358":
            out.append(make("H302", file, *at))
        return phone
    if fmt == "amount":
        amount = fields.parse_amount(value)
        if amount is None:
            out.append(make("S105", file, *at, value=value))
        return amount
    if fmt == "date":
        parsed = fields.parse_date(value)
        if isinstance(parsed, str):
            out.append(make("S106", file, *at, value=value, reason=parsed))
            return None
        return parsed
    if fmt == "url":
        url = fields.parse_url(value)
        if url is None:
            out.append(make("S107", file, *at, value=value))
        return url
    if fmt in ("integer", "decimal"):
        number = fields.parse_integer(value) if fmt == "integer" else fields.parse_decimal(value)
        if number is None:
            kind, extra = ("整数", "，不带单位") if fmt == "integer" else ("数字（最多两位小数）", "，不写“%”“分”")
            out.append(make("S108", file, *at, field=_label(path, schema), kind=kind, value=value, extra=extra))
        return number
    if not visible(value):
        out.append(make("S109", file, *at, field=_label(path, schema),
                        description=schema.get("description", "请填写内容") + "（这里只有空格或看不见的符号）"))
        return value
    if roster:
        for finding in pii.roster_scan(value):
            out.append(make("P504", file, *at, what="学号" if finding.masked.endswith("…") else "姓名",
                            snippet=finding.masked))
    for finding in pii.scan(value):
        if finding.code == "P503":
            out.append(make("P503", file, *at, snippet=finding.masked))
        else:
            out.append(make(finding.code, file, *at, masked=finding.masked))
    return value


def convert(name: str, loaded: Loaded, file: str, area_code: str = "") -> tuple[Any, list[Diagnostic]]:
    """A typed copy of the tree, following the schema; unknown keys are left out (already reported).

    ``area_code`` is the bureau's local code, suggested when a landline lacks one."""
    root = inlined_schema(name)
    out: list[Diagnostic] = []

    def walk(schema: dict[str, Any], value: Any, path: Path, roster: bool = False) -> Any:
        # `x-pii: roster` marks a section that lists money paid or returned (aid, reductions,
        # settlements, refunds): names and student numbers are refused there and below it.
        roster = roster or schema.get("x-pii") == "roster"
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            return {k: walk(properties[k], v, path + (k,), roster) for k, v in value.items() if k in properties}
        if isinstance(value, list):
            items = schema.get("items", {})
            return [walk(items, v, path + (i,), roster) for i, v in enumerate(value)]
        if isinstance(value, str):
            if "enum" in schema or "pattern" in schema:
                return value  # validated by jsonschema; not free text
            return _convert_value(schema.get("x-format"), value, path, schema, loaded, file, out, area_code, roster)
        return value

    return walk(root, loaded.data, ()), out
