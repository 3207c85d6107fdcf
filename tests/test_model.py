"""The typed model: built once per file, frozen, and the only thing rules, pages and exports read."""
from __future__ import annotations

import ast
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from xiaowu.model import school as model
from xiaowu.model.catalog import CatalogEntry
from xiaowu.model.policy import Policy
from xiaowu.publish.starter import render_template

PACKAGE = Path(model.__file__).parents[1]
#: Modules that must read schools only through the model: every layer above read/ and model/ (which build it).
CONSUMERS = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                   # read/ and model/ build the model; the doors (xlsx/, editor/) write a file's tree itself.
                   if p.relative_to(PACKAGE).parts[0] not in ("read", "model", "xlsx", "editor", "__init__.py")
                   # These two walk the JSON Schema (whose keyword "items" is not a school's fee items).
                   and p.name not in ("reference.py", "starter.py"))
#: Keys only a school file has: reading one of these from a dict means reading the raw tree again.
SCHOOL_KEYS = {"fee_disclosures", "items", "amount", "pricing", "billing_period", "voluntary", "settlement",
               "complaint_channels", "reductions", "valid_from", "valid_until", "published", "profile",
               "grade_set", "rectifications", "tier", "scope", "ranked_total", "respondents_valid",
               "settlements", "collected", "spending", "refunded", "carried", "shortfall", "refund_per_student"}


def _raw_reads(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in SCHOOL_KEYS:
            found.append(f"{node.lineno}: .get({node.args[0].value!r})")
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value in SCHOOL_KEYS:
            found.append(f"{node.lineno}: [{node.slice.value!r}]")
    return found


@pytest.mark.parametrize("name", CONSUMERS)
def test_consumers_read_the_model_not_the_tree(name: str) -> None:
    assert _raw_reads((PACKAGE / name).read_text("utf-8")) == []


def test_the_guard_sees_a_raw_read() -> None:
    assert _raw_reads('x = d.get("fee_disclosures")\ny = item["amount"]') == ["1: .get('fee_disclosures')", "2: ['amount']"]


def test_templates_read_attributes_not_keys() -> None:
    for template in (PACKAGE / "pages" / "templates").glob("*.html"):
        text = template.read_text("utf-8")
        assert not any(f'.get("{key}")' in text or f"['{key}']" in text for key in SCHOOL_KEYS), template.name


def test_model_objects_are_frozen() -> None:
    school = model.build_school({"profile": {"name": "甲校"}, "fee_disclosures": [{"term": "2026-秋", "items": [
        {"item": "住宿费", "amount": Decimal("300")}]}]}, "jia", "demo")
    item = school.disclosures[0].items[0]
    for target, field in ((school, "id"), (school.profile, "name"), (school.disclosures[0], "term"), (item, "amount")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(target, field, None)
    assert item.path == ("fee_disclosures", 0, "items", 0) and school.name == "甲校"


def test_a_wrongly_typed_value_becomes_empty_not_an_error() -> None:
    school = model.build_school({"profile": ["not", "a", "mapping"], "fee_disclosures": [
        {"term": 7, "items": [{"item": "住宿费", "amount": "450元", "basis": "text"}, "junk"]}, None]})
    disclosure = school.disclosures[0]
    assert disclosure.term == "" and len(disclosure.items) == 1
    assert disclosure.items[0].amount is None and disclosure.items[0].basis is None


@pytest.mark.parametrize(("fields", "shown"), [
    ({"amount": Decimal("290"), "unit": "元/生·学期"}, "290 元/生·学期"),
    ({"amount": Decimal("300"), "unit": "元/生·学期", "pricing": "限价内自定"}, "300 元/生·学期（学校在本局核定上限内自定）"),
    ({"pricing": "以支定收"}, "以支定收（按实际支出核定，不盈利）"),
    ({"pricing": "据实收取", "amount": Decimal("75"), "unit": "元/生·期"}, "预收 75 元/生·期，据实收取，多退少补"),
    ({"pricing": "按教材定价"}, "按教材标价"),
    ({"pricing": "按教材定价", "unit": "元/生·学期"}, "按教材标价，元/生·学期"),  # the unit with no amount (issue 24 §12)
    ({"pricing": "按招标价", "unit": "元/套"}, "按公开招标确定的价格，元/套"),
    ({"pricing": "学校自主定价", "amount": Decimal("2400"), "unit": "元/生·学期"}, "2400 元/生·学期（学校自主定价，报主管部门备案）"),
])
def test_every_pricing_mode_reads_in_words(fields: dict[str, object], shown: str) -> None:
    assert model.FeeItem(path=(), item="x", **fields).standard == shown  # type: ignore[arg-type]


def test_the_template_never_offers_a_cadence_the_bureau_did_not_approve() -> None:
    plain = render_template("demo-school", "示范县", Policy())
    line = next(text for text in plain.splitlines() if "收费周期" in text)
    assert "可选：学期、月、周、天、课时、次、一次性。" in line and "学年" not in line.split("可选")[1]
    entry = CatalogEntry(item="学费", names=frozenset({"学费"}), category="民办学校收费", stages=frozenset({"初中"}),
                         ownership=frozenset({"民办"}), cap=None, unit="元/生·学年", authority="某局", document="",
                         cadences=frozenset({"学期", "学年"}))
    approved = render_template("demo-school", "示范县", Policy(catalog=[entry]))
    line = next(text for text in approved.splitlines() if "收费周期" in text)
    assert "学年" in line.split("可选")[1] and "、年" not in line.split("可选")[1]
