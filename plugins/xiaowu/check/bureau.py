# The bureau's two files: schools/policy.yml (counties, hotlines, terms, catalog, roster) and
# schools/exceptions.yml (reviewed exceptions). Both are maintainer-owned, and both are still checked:
# a duplicate county id or two overlapping terms would make every school's page wrong at once.
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from collections.abc import Callable

from xiaowu.read import schema
from xiaowu.read.chars import name_key
from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.files import display_path, read_limited
from xiaowu.read.loader import Loaded, Path as TreePath, load_bytes
from xiaowu.read.text import MAX_POLICY_BYTES
from xiaowu.model.policy import Policy, ReviewedException, build_policy
from xiaowu.findings.table import RULES

#: Names MkDocs or our own pages use under schools/ and compliance/: no school or county may take them.
RESERVED_IDS = frozenset({"index", "readme"})
#: Rules about one fee item: an exception to them must name the item.
_ITEM_RULES = frozenset(code for code in RULES if code.startswith("F"))


@dataclass
class Bureau:
    """The policy with its reviewed exceptions, and where each exception entry sits."""

    policy: Policy
    policy_file: str
    policy_data: dict[str, Any] | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    exceptions_file: str = ""
    #: Position in exceptions.yml -> (line, column), for findings about an entry.
    exception_marks: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: The raw bytes of both files, so a cache can tell when either changed.
    fingerprint: bytes = b""


def read_bureau_file(path: Path, file: str) -> tuple[Loaded | None, list[Diagnostic], bytes]:
    raw, problems = read_limited(path, MAX_POLICY_BYTES, file)
    if raw is None:
        return None, problems, b""
    loaded = load_bytes(raw, file, MAX_POLICY_BYTES)
    return (loaded if loaded.data is not None else None), loaded.diagnostics, raw


def load_policy(path: Path) -> tuple[Policy, dict[str, Any] | None, list[Diagnostic]]:
    """policy.yml, validated and checked for internal consistency."""
    policy, typed, diagnostics, _ = _load_policy(path)
    return policy, typed, diagnostics


def _load_policy(path: Path) -> tuple[Policy, dict[str, Any] | None, list[Diagnostic], bytes]:
    file = display_path(path)
    if not exists(path):
        return Policy(), None, [make("R602", file, 1, 1, value=file)], b""
    loaded, diagnostics, raw = read_bureau_file(path, file)
    if loaded is None:
        return Policy(), None, diagnostics, raw
    diagnostics = diagnostics + schema.validate("policy", loaded, file)
    typed, converted = schema.convert("policy", loaded, file)
    diagnostics += converted
    policy = build_policy(typed)
    diagnostics += _sanity(typed, loaded, file, policy)
    return policy, typed, diagnostics, raw


def exists(path: Path) -> bool:
    """Exists as anything, a dangling link included (which read_limited then refuses)."""
    return path.is_symlink() or path.exists()


def _duplicates(entries: list[Any], key: Callable[[dict[str, Any]], str], what: Callable[[str], str],
                at: Callable[[int], TreePath], loaded: Loaded, file: str) -> list[Diagnostic]:
    """S115 for every entry whose key an earlier entry already has."""
    seen: dict[str, int] = {}
    out = []
    for index, entry in enumerate(entries):
        value = key(entry) if isinstance(entry, dict) else ""
        if not value:
            continue
        if value in seen:
            out.append(make("S115", file, *loaded.mark(at(index)), what=what(value), first=seen[value]))
        else:
            seen[value] = loaded.mark(at(index))[0]
    return out


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _sanity(typed: dict[str, Any], loaded: Loaded, file: str, policy: Policy) -> list[Diagnostic]:
    """One id per county, term and school; one name per hotline and school; terms that do not
    overlap; one catalog entry per item, ownership and stage (else the cap is ambiguous)."""
    def lst(name: str) -> list[Any]:
        value = typed.get(name)
        return value if isinstance(value, list) else []

    out: list[Diagnostic] = []
    for section, label in (("counties", "县区代号"), ("terms", "学期代号"), ("roster", "学校代号")):
        def what(value: str, label: str = label) -> str:
            return f"{label}“{value}”"

        def at(index: int, section: str = section) -> TreePath:
            return (section, index, "id")
        out += _duplicates(lst(section), lambda e: _text(e.get("id")), what, at, loaded, file)
    out += _duplicates(lst("hotlines"), lambda e: name_key(_text(e.get("name"))), lambda v: "电话名称",
                       lambda i: ("hotlines", i, "name"), loaded, file)
    out += _duplicates(lst("roster"), lambda e: name_key(_text(e.get("name"))), lambda v: "名单中的学校名称",
                       lambda i: ("roster", i, "name"), loaded, file)
    for index, county in enumerate(lst("counties")):
        if isinstance(county, dict) and _text(county.get("id")) in RESERVED_IDS:
            out.append(make("S118", file, *loaded.mark(("counties", index, "id")), value=county["id"],
                            reason="是网站自用的名称"))
    for index, term in enumerate(lst("terms")):
        if not isinstance(term, dict):
            continue
        start, end = term.get("start"), term.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            out.append(make("S113", file, *loaded.mark(("terms", index, "end")), what="学期结束早于开学"))
    ordered = sorted(policy.terms.values(), key=lambda t: t.start)
    positions = {_text(t.get("id")): i for i, t in enumerate(lst("terms")) if isinstance(t, dict)}
    for before, after in zip(ordered, ordered[1:]):
        if after.start <= before.end:
            out.append(make("S113", file, *loaded.mark(("terms", positions.get(after.id, 0), "start")),
                            what=f"学期“{after.id}”与“{before.id}”时间重叠（{before.id} 到 {before.end} 才结束）"))
    for index, school in enumerate(lst("roster")):
        county = school.get("county") if isinstance(school, dict) else None
        if isinstance(county, str) and policy.counties and county not in policy.counties:
            out.append(make("S112", file, *loaded.mark(("roster", index, "county")),
                            what=f"名单中的县区代号“{county}”不在 counties 中"))
    # Two entries for the same item, ownership and stage clash unless they are limited to different counties.
    seen: dict[tuple[str, str, str], list[tuple[frozenset[str], int]]] = {}
    for index, entry in enumerate(lst("catalog")):
        if not isinstance(entry, dict) or not _text(entry.get("item")):
            continue
        names = {name_key(entry["item"])} | {name_key(s) for s in entry.get("synonyms") or [] if isinstance(s, str)}
        counties = frozenset(c for c in entry.get("counties") or [] if isinstance(c, str))
        line = loaded.mark(("catalog", index, "item"))[0]
        clash = None
        for name in sorted(names):
            for owner in entry.get("ownership") or []:
                for stage in entry.get("stages") or []:
                    key = (name, str(owner), str(stage))
                    for other, first in seen.get(key, []):
                        if clash is None and (not other or not counties or other & counties):
                            clash = (key, first)
                    seen.setdefault(key, []).append((counties, line))
        if clash:
            (name, owner, stage), first = clash
            out.append(make("S115", file, *loaded.mark(("catalog", index, "item")),
                            what=f"收费目录中“{entry['item']}”（{owner}·{stage}）", first=first))
    return out


def load_bureau(schools_dir: Path, policy_name: str, exceptions_name: str) -> Bureau:
    """Both bureau files; the exceptions are attached to the policy by school id."""
    policy_path = schools_dir / policy_name
    policy, typed, diagnostics, raw = _load_policy(policy_path)
    bureau = Bureau(policy, display_path(policy_path), typed, diagnostics, fingerprint=raw)
    path = schools_dir / exceptions_name
    if not exists(path):
        return bureau
    file = bureau.exceptions_file = display_path(path)
    loaded, problems, raw = read_bureau_file(path, file)
    bureau.fingerprint += b"\0" + raw
    bureau.diagnostics += problems
    if loaded is None:
        return bureau
    bureau.diagnostics += schema.validate("exceptions", loaded, file)
    converted, findings = schema.convert("exceptions", loaded, file)
    bureau.diagnostics += findings
    entries = converted.get("exceptions") if isinstance(converted, dict) else None
    seen: dict[tuple[str, str, str, str], int] = {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        at = ("exceptions", index)
        bureau.exception_marks[index] = loaded.mark(at)
        values = {k: _text(entry.get(k)) for k in ("school", "term", "item", "rule", "reason", "basis")}
        if not all(values[k] for k in ("school", "term", "rule", "reason", "basis")):
            continue  # the schema reported what is missing
        rule = RULES.get(values["rule"])
        if rule is None or not rule.waivable:
            bureau.diagnostics.append(make("X701", file, *loaded.mark(at + ("rule",)), value=values["rule"],
                                           reason="不存在" if rule is None else "不能登记例外"))
            continue
        if policy.terms and values["term"] not in policy.terms:
            bureau.diagnostics.append(make("X704", file, *loaded.mark(at + ("term",)),
                                           what=f"的学期“{values['term']}”不在 policy.yml 的学期安排中"))
            continue
        if values["rule"] in _ITEM_RULES and not values["item"]:
            bureau.diagnostics.append(make("X704", file, *loaded.mark(at),
                                           what=f"（{values['rule']}）没有写收费项目（item）"))
            continue
        key = (values["school"], values["term"], name_key(values["item"]), values["rule"])
        if key in seen:
            bureau.diagnostics.append(make("S115", file, *loaded.mark(at), what="例外记录", first=seen[key]))
            continue
        seen[key] = loaded.mark(at)[0]
        policy.exceptions.setdefault(values["school"], []).append(ReviewedException(index=index, **values))
    return bureau
