# The rules for the bureau's own files: policy.yml must be internally consistent (a duplicate county
# id or two overlapping terms would make every school's page wrong at once), and each entry of
# exceptions.yml must name a waivable rule, a known term and, for a fee rule, the item.
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from xiaowu.findings.table import RULES
from xiaowu.model.base import list_of, text_of
from xiaowu.model.policy import Policy, ReviewedException
from xiaowu.read.chars import name_key
from xiaowu.read.tree import Path
from xiaowu.rules.base import Sink
from xiaowu.rules.catalog import check_catalog_entries

#: Names MkDocs or our own pages use under schools/ and compliance/: no school or county may take them.
RESERVED_IDS = frozenset({"index", "readme"})
#: Rules about one fee item: an exception to them must name the item.
_ITEM_RULES = frozenset(code for code in RULES if code.startswith("F") or code == "M807")


def _duplicates(entries: list[Any], key: Callable[[dict[str, Any]], str], at: Callable[[int], Path],
                sink: Sink, variant: str, **details: Any) -> None:
    """S115 for every entry whose key an earlier entry already has."""
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        value = key(entry) if isinstance(entry, dict) else ""
        if not value:
            continue
        if value in seen:
            sink.add("S115", at(index), variant, value=value, first=seen[value], **details)
        else:
            seen[value] = sink.line(at(index))


def _id_at(section: str) -> Callable[[int], Path]:
    return lambda index: (section, index, "id")


def check_policy(typed: dict[str, Any], policy: Policy, sink: Sink) -> None:
    """One id per county, term and school; one name per hotline and school; terms that do not
    overlap; one catalog entry per item, ownership and stage (else the cap is ambiguous)."""
    for section, label in (("counties", "县区代号"), ("terms", "学期代号"), ("roster", "学校代号")):
        _duplicates(list_of(typed.get(section)), lambda e: text_of(e.get("id")), _id_at(section), sink,
                    "policy_id", label=label)
    _duplicates(list_of(typed.get("hotlines")), lambda e: name_key(text_of(e.get("name"))),
                lambda i: ("hotlines", i, "name"), sink, "hotline_name")
    _duplicates(list_of(typed.get("roster")), lambda e: name_key(text_of(e.get("name"))),
                lambda i: ("roster", i, "name"), sink, "roster_name")
    for index, county in enumerate(list_of(typed.get("counties"))):
        if isinstance(county, dict) and text_of(county.get("id")) in RESERVED_IDS:
            sink.add("S118", ("counties", index, "id"), value=county["id"])
    _terms(typed, policy, sink)
    for index, school in enumerate(list_of(typed.get("roster"))):
        county = school.get("county") if isinstance(school, dict) else None
        if isinstance(county, str) and policy.counties and county not in policy.counties:
            sink.add("S112", ("roster", index, "county"), "roster", county=county)
    _catalog(list_of(typed.get("catalog")), sink)
    check_catalog_entries(list_of(typed.get("catalog")), policy, sink)


def _terms(typed: dict[str, Any], policy: Policy, sink: Sink) -> None:
    terms = list_of(typed.get("terms"))
    for index, term in enumerate(terms):
        if not isinstance(term, dict):
            continue
        start, end, publish_by = term.get("start"), term.get("end"), term.get("publish_by")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            sink.add("S113", ("terms", index, "end"), "term_end")
        if isinstance(end, date) and isinstance(publish_by, date) and publish_by > end:
            sink.add("S113", ("terms", index, "publish_by"), "publish_by_after_end", term=text_of(term.get("id")),
                     publish_by=publish_by, end=end)
    ordered = sorted(policy.terms.values(), key=lambda t: t.start)
    positions = {text_of(t.get("id")): i for i, t in enumerate(terms) if isinstance(t, dict)}
    for before, after in zip(ordered, ordered[1:]):
        if after.start <= before.end:
            sink.add("S113", ("terms", positions.get(after.id, 0), "start"), "term_overlap",
                     term=after.id, other=before.id, end=before.end)


def _catalog(entries: list[Any], sink: Sink) -> None:
    """Two entries for the same item, ownership and stage clash unless limited to different counties."""
    seen: dict[tuple[str, str, str], list[tuple[frozenset[str], frozenset[str], int]]] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not text_of(entry.get("item")):
            continue
        clash = _clash(entry, sink.line(("catalog", index, "item")), seen)
        if clash:
            (_, owner, stage), first = clash
            sink.add("S115", ("catalog", index, "item"), "catalog", item=entry["item"], owner=owner, stage=stage,
                     first=first)


def _clash(entry: dict[str, Any], line: int, seen: dict[tuple[str, str, str], list[tuple[frozenset[str], frozenset[str], int]]]
           ) -> tuple[tuple[str, str, str], int] | None:
    names = {name_key(entry["item"])} | {name_key(s) for s in entry.get("synonyms") or [] if isinstance(s, str)}
    counties = frozenset(c for c in entry.get("counties") or [] if isinstance(c, str))
    # Entries naming schools are that school's approval: they clash only with another for the same school.
    schools = frozenset("@" + s for s in entry.get("schools") or [] if isinstance(s, str))
    clash = None
    keys = [(name, str(owner), str(stage)) for name in sorted(names)
            for owner in entry.get("ownership") or [] for stage in entry.get("stages") or []]
    for key in keys:
        for other, other_schools, first in seen.get(key, []):
            same_place = not other or not counties or other & counties
            same_schools = other_schools & schools if schools or other_schools else True
            if clash is None and same_place and same_schools:
                clash = (key, first)
        seen.setdefault(key, []).append((counties, schools, line))
    return clash


def check_exceptions(entries: Any, policy: Policy, sink: Sink) -> dict[str, list[ReviewedException]]:
    """Each entry of exceptions.yml, checked; the valid ones by school id."""
    found: dict[str, list[ReviewedException]] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        values = {k: text_of(entry.get(k)) for k in ("school", "term", "item", "rule", "reason", "basis")}
        if all(values[k] for k in ("school", "term", "rule", "reason", "basis")) and \
                _entry_ok(values, ("exceptions", index), policy, sink):
            key = (values["school"], values["term"], name_key(values["item"]), values["rule"])
            if key in seen:
                sink.add("S115", ("exceptions", index), "exception", first=seen[key])
                continue
            seen[key] = sink.line(("exceptions", index))
            found.setdefault(values["school"], []).append(ReviewedException(index=index, **values))
    return found


def _entry_ok(values: dict[str, str], at: Path, policy: Policy, sink: Sink) -> bool:
    rule = RULES.get(values["rule"])
    if rule is None or not rule.waivable:
        sink.add("X701", at + ("rule",), "" if rule is None else "not_waivable", value=values["rule"])
        return False
    if policy.terms and values["term"] not in policy.terms:
        sink.add("X704", at + ("term",), "term", term=values["term"])
        return False
    if values["rule"] in _ITEM_RULES and not values["item"]:
        sink.add("X704", at, "no_item", rule=values["rule"])
        return False
    return True


def reviewed_texts(entries: Any) -> frozenset[tuple[str, str]]:
    """exceptions.yml's reviewed_text: (rule, exact text) pairs whose personal-data finding the
    bureau reviewed and accepted (the schema allows only the P5 rules)."""
    return frozenset((text_of(e.get("rule")), e["text"]) for e in list_of(entries)
                     if isinstance(e, dict) and isinstance(e.get("text"), str) and text_of(e.get("rule")))
