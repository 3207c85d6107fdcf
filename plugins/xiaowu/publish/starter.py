# The `xiaowu new` template: a school file written from the schema, with its Chinese comments.
#
# Required values are left blank, so `xiaowu check` lists exactly what is still to fill in; optional
# parts are present as commented-out examples. Nothing here is written by hand twice: titles,
# descriptions, allowed values and examples all come from school.schema.json.
from __future__ import annotations

import os
import re
from pathlib import Path as FilePath
from typing import Any

from xiaowu.read.fields import valid_id
from xiaowu.read.tree import Path
from xiaowu.model.policy import Policy
from xiaowu.read.schema import load_schema, resolve
from xiaowu.publish.canonical import scalar

_NUMBERS = ("amount", "integer")
_PLAIN_NUMBER = re.compile(r"^(?:0|[1-9][0-9]*)(?:\.[0-9]{1,2})?$")
SCHEMA_MODELINE = "# yaml-language-server: $schema=../../plugins/xiaowu/schema/school.schema.json"


def _quote(value: Any, schema: dict[str, Any] | None = None) -> str:
    """As the form editor writes it (plain unless YAML needs quotes), so an edit there changes one line.

    An amount or a count is always written as the clerk is told to write it, a bare number (the guide:
    金额只写数字), even where the editor would drop a trailing zero (7062.30).

    >>> _quote("7062.30", {"x-format": "amount"}), _quote("7062.30"), _quote("0712")
    ('7062.30', '"7062.30"', '"0712"')
    """
    text = str(value)
    if (schema or {}).get("x-format") in _NUMBERS and _PLAIN_NUMBER.match(text):
        return text
    return scalar(text, number=True)


def _comment(schema: dict[str, Any], required: bool, approved: frozenset[str] = frozenset()) -> str:
    """One comment line: title, description, allowed values, and whether it may be left out.

    A choice that needs the bureau's approval (``x-needs-approval``, e.g. 学年) is listed only when
    the bureau's catalog approves it somewhere: the template never offers what a rule forbids.
    """
    text = f"{schema.get('title', '')}：{schema.get('description', '')}"
    needs = set(schema.get("x-needs-approval", []))
    choices = [c for c in schema.get("enum", []) if c not in needs or c in approved]
    if choices:
        text += f" 可选：{'、'.join(choices)}。"
    if schema.get("x-required-when"):
        text += f"（{schema['x-required-when']}必填）"
    elif not required:
        text += "（选填）"
    return text


class _Writer:
    def __init__(self, root: dict[str, Any], prefill: dict[Path, Any], approved: frozenset[str] = frozenset()):
        self.root = root
        self.prefill = prefill
        self.approved = approved
        self.lines: list[str] = []

    def emit(self, text: str, indent: int, commented: bool) -> None:
        line = " " * indent + text
        if commented:
            column = len(line) - len(line.lstrip())
            line = line[:column] + "# " + line[column:]
        self.lines.append(line)

    def scalar(self, schema: dict[str, Any], path: Path, commented: bool) -> str:
        if path in self.prefill:
            return " " + _quote(self.prefill[path], schema)
        if commented and "x-example" in schema:
            return " " + _quote(schema["x-example"], schema)
        return ""

    def mapping(self, schema: dict[str, Any], indent: int, path: Path, commented: bool,
                first_lead: str = "") -> None:
        """Emit a mapping; in a list item the first key follows "- " and the rest align with it."""
        # Fields the rule engine requires (with their own rule codes) are blanks to fill, too.
        required = set(schema.get("required", [])) | set(schema.get("x-required-by-rules", []))
        for position, (key, sub) in enumerate(schema.get("properties", {}).items()):
            sub = resolve(sub, self.root)
            is_required = key in required
            lead = first_lead if position == 0 else " " * len(first_lead)
            comment_indent = indent if position == 0 else indent + len(first_lead)
            self.emit(f"# {_comment(sub, is_required, self.approved)}", comment_indent, False)
            self.value(key, sub, indent, path + (key,), commented or not is_required, lead)

    def value(self, key: str, schema: dict[str, Any], indent: int, path: Path, commented: bool,
              lead: str) -> None:
        kind = schema.get("type")
        if kind == "object":
            self.emit(f"{lead}{key}:", indent, commented)
            self.mapping(schema, indent + len(lead) + 2, path, commented)
        elif kind == "array":
            self.emit(f"{lead}{key}:", indent, commented)
            items = resolve(schema.get("items", {}), self.root)
            inner = indent + len(lead) + 2
            if items.get("type") == "object":
                self.mapping(items, inner, path + (0,), commented, first_lead="- ")
            else:
                prefilled = self.prefill.get(path)
                examples = prefilled if isinstance(prefilled, list) else (
                    schema.get("x-example", [""]) if commented else [""])
                for example in examples:
                    self.emit("- " + (_quote(example) if example else ""), inner, commented)
        else:
            self.emit(f"{lead}{key}:{self.scalar(schema, path, commented)}", indent, commented)


def render_template(school_id: str, county_name: str, policy: Policy, command: str = "./xiaowu") -> str:
    """The text of a new school file; ``command`` is how the clerk starts xiaowu (see cli.command_name)."""
    root = load_schema("school")
    prefill: dict[Path, Any] = {("profile", "county"): county_name}
    bureau_lines = [line.name for line in policy.hotlines if line.kind == "教育局" and line.name]
    prefill[("fee_disclosures", 0, "complaint_channels")] = [""] + bureau_lines[:1] + ["12345"]
    if policy.authority:
        prefill[("profile", "supervising_authority")] = policy.authority
    approved = frozenset(c for entry in policy.catalog for c in entry.cadences)
    writer = _Writer(root, prefill, approved)
    terms = "、".join(policy.terms) or "见 policy.yml"
    channels = "、".join(policy.channel_names([])) or "12345、12315"
    header = [
        SCHEMA_MODELINE,
        f"# {root['title']}（学校代号：{school_id}）",
        f"# {root['description']}",
        "# 填写说明：冒号后面要有一个半角空格；缩进用半角空格，不要用 Tab；注释（# 开头）请另起一行。",
        "# 文字含有 : # [ ] { } @ & * ! 等符号，或以它们开头时，请给整段文字加半角双引号。",
        f"# 本局学期代号：{terms}",
        f"# 可引用的投诉电话名称：{channels}（以及 hotlines 中学校自己的电话名称）",
        f"# 填好后在资料仓库的文件夹中运行 {command} check 检查，所有“未填写”都补齐即可。",
        "",
    ]
    writer.mapping(root, 0, (), False)
    return "\n".join(header + writer.lines) + "\n"


def create_new(target: FilePath, text: str) -> bool:
    """Write a new school file; False (and nothing written) when something is already there.

    O_EXCL never follows or replaces anything already there (a link made since any check included);
    O_NOFOLLOW refuses a link in the last place on systems where O_EXCL alone would not.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(target, flags, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(text.encode("utf-8"))
    return True


class NewRefused(Exception):
    """Why `xiaowu new` will not write the file (a usage mistake, or the file is already there)."""

    def __init__(self, message: str, usage: bool = True) -> None:
        super().__init__(message)
        self.usage = usage


def new_school(schools_dir: FilePath, school_id: str, county: str, policy: Policy,
               command: str = "./xiaowu") -> FilePath:
    """Write the template of a new school file and return its path; NewRefused says why not."""
    if not valid_id(school_id):
        raise NewRefused("学校代号只能用小写英文字母、数字和“-”，以字母或数字开头和结尾，例如 qs-yizhong")
    if policy.counties and county not in policy.counties:
        raise NewRefused(f"县区代号“{county}”不在 policy.yml 中，可选：{'、'.join(policy.counties)}")
    if not valid_id(county):
        raise NewRefused("县区代号只能用小写英文字母、数字和“-”")
    target = schools_dir / county / f"{school_id}.yml"
    for path in (schools_dir, target.parent, target):
        if path.is_symlink():
            raise NewRefused(f"{path.as_posix()} 是一个链接（快捷方式），不会通过链接写文件")
    if target.exists() or not create_new(target, render_template(school_id, policy.counties.get(county, ""), policy,
                                                                   command)):
        raise NewRefused(f"{target.as_posix()} 已存在，不会覆盖。", usage=False)
    return target
