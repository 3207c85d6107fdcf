"""Money collected for someone else goes only where the bureau allows (issue 19, point 4).

The margin check on a 代收费 used to be a list of forbidden words; a margin named any other way
("学校管理经费", "经办人员补贴", a traditional "手續費") passed. Now the bureau lists what the money may be
spent on, per category or item, and everything else is a finding, whatever its name.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from xiaowu.model.money import SettledItem, Spending
from xiaowu.model.policy import build_policy
from xiaowu.model.settling import purpose_key
from xiaowu.model.school import FeeItem
from xiaowu.rules.settlement import check_item

POLICY = build_policy({"authority": "示范市教育局", "settlement": {"purposes": [
    {"applies_to": "代收费", "allowed": ["校服采购", "教材代购", "代缴医保部门"]},
    {"applies_to": "伙食费", "allowed": ["食材", "燃料和水电", "炊具和餐具"]},
    {"applies_to": "校服费", "allowed": ["校服采购", "校服质量检测"]},
]}})
UNIFORM = FeeItem(path=(), item="校服费", category="代收费", amount=Decimal("240"), unit="元/套")
TEXTBOOK = FeeItem(path=(), item="教材费", category="代收费", amount=Decimal("120"), unit="元/生·学期")
MEALS = FeeItem(path=(), item="伙食费", category="伙食费", amount=Decimal("1600"), unit="元/生·学期")


def _codes(fee: FeeItem, purposes: list[tuple[str, str]]) -> list[str]:
    spent = [Spending(p, Decimal(a)) for p, a in purposes]
    total = sum((s.amount or Decimal(0) for s in spent), Decimal(0))
    item = SettledItem(path=(), item=fee.item, students=100, collected=total, spending=tuple(spent))
    found: list[str] = []

    def report(code: str, where: Any, variant: str = "", **details: Any) -> None:
        found.append(code)
    check_item(item, fee, POLICY, report)
    return found


# Margins by any other name: the issue's own examples, traditional forms, and ones invented here.
MARGINS = ["学校管理经费", "工作经费", "代办服务费", "经办人员补贴", "学校统筹", "手續費", "代收手续费", "服务费", "学校提留",
           "办学成本分摊", "教师辛苦费", "班主任津贴", "校服采购及统筹", "校服采购差价", "学校其他支出", "其他", "杂支",
           "校服采购：学校留存", "校服采购-代办费", "教材代购、管理", "学 校 统 筹", "校服採購差價"]


@pytest.mark.parametrize("purpose", MARGINS)
def test_any_purpose_not_on_the_list_is_a_finding(purpose: str) -> None:
    codes = _codes(TEXTBOOK, [("教材代购（新华书店）", "11000"), (purpose, "1000")])
    assert codes and set(codes) <= {"M803", "M807"}, codes


@pytest.mark.parametrize("purpose", ["校服采购", "校服采购（青石服装厂）", "校服采購", "校服质量检测（市质检所）",
                                     "校服采购(中标价每套 230 元)", "校服采购【第二批】"])
def test_the_items_own_list_and_a_bracketed_supplier_pass(purpose: str) -> None:
    assert _codes(UNIFORM, [(purpose, "24000")]) == []


def test_an_items_list_wins_over_its_category() -> None:
    assert _codes(UNIFORM, [("教材代购", "100")]) == ["M807"]  # on the 代收费 list, not on the 校服费 one
    assert _codes(TEXTBOOK, [("教材代购", "100")]) == []


@pytest.mark.parametrize("purpose", ["食堂员工工资", "管理人员工资", "管理费用·工资", "学校管理费", "财务费用·手续费"])
def test_a_canteen_whose_bureau_lists_its_purposes_pays_no_staff_or_fees(purpose: str) -> None:
    assert _codes(MEALS, [("食材", "90000"), (purpose, "5000")]) == ["M807"]


def test_without_a_list_only_the_margin_words_are_checked() -> None:
    bare = build_policy({"authority": "示范市教育局"})
    item = SettledItem(path=(), item="伙食费", students=100, collected=Decimal("5000"),
                       spending=(Spending("管理人员工资", Decimal("5000")),))
    found: list[str] = []
    check_item(item, MEALS, bare, lambda code, *a, **k: found.append(code))
    assert found == []  # a real contracted canteen's statement (tests/test_money.py) pays wages lawfully


def test_the_qualifier_is_only_what_is_in_brackets() -> None:
    assert purpose_key("校服采购（中标价）") == purpose_key("校服采购") != purpose_key("校服采购中标价")
