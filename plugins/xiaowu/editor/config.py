# The editor's configuration, generated from the school schema and the bureau's policy.yml (never
# kept by hand): one collection per county folder, fields from the schema (widgets.py), and the
# choices only the bureau decides (terms, catalog items, its roster's school names) from policy.yml.
#
# The bureau's own files (policy.yml, exceptions.yml, oversight.yml) sit outside every county folder,
# so the editor cannot open them. Output is plain data in a fixed order: the same inputs give the
# same bytes (dump()). A field equal to one already built is that same object (shared()), so the YAML
# writes it once and refers to it (an anchor and aliases): most of each county's form is the same.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from xiaowu.model.policy import Policy
from xiaowu.editor.widgets import Field, Overrides, Walk, object_fields

#: The custom format registered by admin.js: Decap's YAML, minus the helper field below.
FORMAT = "xiaowu-yaml"
#: A field that exists only in the form: the roster school a new file is for (its id names the file).
SCHOOL_FIELD = "school"
MEDIA_FOLDER = "docs/assets/uploads"  # required by the CMS; no field uploads, and the scope check refuses it


def build(schema: Mapping[str, Any], policy: Policy, data_dir: str, backend: Mapping[str, Any],
          local_backend: Mapping[str, Any]) -> dict[str, Any]:
    """The whole CMS configuration as a dict (see dump())."""
    seen: dict[Any, Field] = {}
    return {
        "backend": dict(backend),
        "local_backend": dict(local_backend),
        # A save becomes a branch and a merge request where CI runs `xiaowu check`. The CMS's Gitea
        # backend has no such workflow (it refuses to start with one): there saves go to `branch`.
        "publish_mode": "simple" if backend.get("name") == "gitea" else "editorial_workflow",
        "locale": "zh_Hans",
        "media_folder": MEDIA_FOLDER,
        "omit_empty_optional_fields": True,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [shared(collection(schema, policy, data_dir, county), seen)[0] for county in policy.counties],
    }


def collection(schema: Mapping[str, Any], policy: Policy, data_dir: str, county: str) -> dict[str, Any]:
    name = policy.counties[county]
    roster = [(sid, entry.name) for sid, entry in policy.roster.items() if entry.county == county]
    return {
        "name": county,
        "label": name,
        "label_singular": "学校资料",
        "description": f"{name}各学校的校务公开资料，一校一个文件（{data_dir}/{county}/学校代号.yml）。",
        "folder": f"{data_dir}/{county}",
        "extension": "yml",
        "format": FORMAT,
        "create": True,
        "delete": False,
        "identifier_field": SCHOOL_FIELD,
        "slug": "{{fields." + SCHOOL_FIELD + "}}",
        "summary": "{{profile.name}}",
        "fields": [_school_field(roster)] + object_fields(Walk(schema, county_overrides(policy, county, roster)), schema, ()),
    }


def shared(value: Any, seen: dict[Any, Field]) -> tuple[Any, Any]:
    """``value`` with every field (a mapping with a widget) equal to one in ``seen`` replaced by that one,
    and the new ones added; and a key that is equal for equal values. One county's collection is built,
    then shared, so only the parts that differ between counties (county, roster, catalog) stay apart.

    >>> seen = {}
    >>> a, _ = shared([{"widget": "string", "name": "x"}], seen)
    >>> b, _ = shared({"fields": [{"widget": "string", "name": "x"}]}, seen)
    >>> b["fields"][0] is a[0]
    True
    """
    if isinstance(value, dict):
        parts = [(k, *shared(v, seen)) for k, v in value.items()]
        out, key = {k: v for k, v, _ in parts}, ("m", tuple((k, sub) for k, _, sub in parts))
        if "widget" not in out:
            return out, key
        same = seen.setdefault(key, out)
        return same, ("f", id(same))  # `seen` holds `same`, so its id stays its own
    if isinstance(value, list):
        items = [shared(v, seen) for v in value]
        return [v for v, _ in items], ("l", tuple(sub for _, sub in items))
    return value, (type(value), value)


def _school_field(roster: list[tuple[str, str]]) -> Field:
    return {"name": SCHOOL_FIELD, "label": "本校（新建时选择）", "widget": "select", "required": False,
            "options": [{"label": f"{name}（{sid}）", "value": sid} for sid, name in roster],
            "hint": "新建学校资料时，从本局应公开学校名单中选择本校，文件以学校代号命名；修改已有资料时不用选。此项不写入文件。"}


def county_overrides(policy: Policy, county: str, roster: list[tuple[str, str]]) -> Overrides:
    """The fields policy.yml decides, for one county's collection."""
    terms = [{"label": f"{t.name}（{t.id}）", "value": t.id} for t in policy.terms.values()]
    catalog = [e for e in policy.catalog if not e.counties or county in e.counties]
    lines = [line.name for line in policy.hotlines]

    def select(options: list[Any], default: Any = None) -> Any:
        def apply(f: Field) -> Field:
            f.update({"widget": "select", "options": options})
            f.pop("pattern", None)
            return f | ({"default": default} if default is not None else {})
        return apply

    def hint(extra: str) -> Any:
        return lambda f: f | {"hint": f"{f.get('hint', '')}{extra}"}

    units = "、".join(dict.fromkeys(e.unit for e in catalog if e.unit))
    tiers = "；".join(f"{e.item}：{'、'.join(t.name for t in e.tiers)}" for e in catalog if e.tiers)
    yearly = "、".join(dict.fromkeys(e.item for e in catalog if e.extra_cadences))
    items = ("fee_disclosures", "items")
    out: dict[tuple[str, ...], Any] = {
        ("profile", "county"): select([policy.counties[county]], policy.counties[county]),
        ("fee_disclosures", "term"): select(terms),
        ("settlements", "term"): select(terms),
        items + ("item",): select(catalog_options(catalog)),
        items + ("unit",): hint(f"本局目录中的单位：{units}。" if units else ""),
        items + ("tier",): hint(f"本局目录中的档次：{tiers}。" if tiers else ""),
        items + ("billing_period",): hint(f"本局目录允许按学年或按年收取的项目：{yearly}。" if yearly else ""),
        ("fee_disclosures", "complaint_channels"): hint(f"本局电话：{'、'.join(lines)}。" if lines else ""),
    }
    if roster:
        out[("profile", "name")] = select([name for _, name in roster])
    return out


def catalog_options(catalog: list[Any]) -> list[dict[str, str]]:
    """One option per catalog item name, its label listing every variant: category, cap and unit, who."""
    variants: dict[str, list[str]] = {}
    for e in catalog:
        cap = f"上限 {e.cap} {e.unit}" if e.cap is not None else e.unit
        stages = sorted(e.stages, key=lambda s: _STAGES.index(s) if s in _STAGES else len(_STAGES))
        who = f"{'、'.join(sorted(e.ownership))} {'、'.join(stages)}".strip()
        variants.setdefault(e.item, []).append(f"{e.category} {cap}（{who}）".strip())
    return [{"label": f"{item} — {'；'.join(v)}", "value": item} for item, v in variants.items()]


_STAGES = ["幼儿园", "小学", "初中", "高中", "中职"]


def key_order(fields: list[Field]) -> dict[str, Any]:
    """Field name → the order inside it (None for a plain value): how the editor sorts every mapping
    it writes, because the CMS keeps a mapping of more than 8 keys in no particular order."""
    out: dict[str, Any] = {}
    for f in fields:
        inner = f.get("fields") or ([f["field"]] if "fields" in f.get("field", {}) else None)
        out[f["name"]] = key_order(inner) if inner else None
    return out


def dump(config: Mapping[str, Any]) -> str:
    """The config as YAML text, keys in the order built (deterministic)."""
    # libyaml's emitter when present: a third of the time (the build writes this on every `mkdocs serve`
    # rebuild), the same text (tests/test_fast_pages.py compares both on the example).
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return "# Generated by xiaowu from plugins/xiaowu/schema/school.schema.json and schools/policy.yml; do not edit.\n" + \
        yaml.dump(dict(config), Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
