# The bureau's rules for the money after a notice (policy.yml `settlement`): which items are settled
# and by when, what may carry over, and what settled money may be spent on.
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xiaowu.model.base import list_of, of_type, text_of, texts_of
from xiaowu.model.terms import Term
from xiaowu.read.chars import name_key

#: Days after a term's end by which its fees are settled, when policy.yml does not say.
DEFAULT_SETTLEMENT_DAYS = 30
#: Categories whose items are always settled after the term (domain.md: 据实收取、及时结算、多退少补、定期公布).
SETTLED_CATEGORIES = ("代收费", "伙食费")
#: Items settled whatever their category (after-school service is a 服务性收费 spent on its own costs).
SETTLED_WORDS = ("课后服务",)


_QUALIFIER = re.compile(r"[（(【\[].*$")


def purpose_key(purpose: str) -> str:
    """What a spending purpose is, for the bureau's allowlist: the name before any bracketed
    qualifier (a supplier, a price), folded like every name.

    >>> purpose_key("校服采购（中标价每套 230 元）"), purpose_key("校服采购管理费")
    ('校服采购', '校服采购管理费')
    """
    return name_key(_QUALIFIER.sub("", purpose))


@dataclass(frozen=True)
class Purposes:
    """What money of one category or item may be spent on (policy.yml settlement.purposes)."""

    applies_to: str
    allowed: tuple[str, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(map(purpose_key, self.allowed))

    def allows(self, purpose: str) -> bool:
        return purpose_key(purpose) in self.keys


@dataclass(frozen=True)
class Accounts:
    """The bureau's rules for one category's (or item's) running accounts (policy.yml
    settlement.categories): by which day of the next month a month's statement is published, the
    margin limit in percent, and spending that may not be charged to the fee."""

    applies_to: str
    monthly_due_day: int | None = None
    margin_limit: Decimal | None = None
    not_chargeable: tuple[str, ...] = ()

    def forbids(self, purpose: str) -> str:
        """The listed spending the purpose is (contained in the whole name, folded), or "".

        >>> Accounts("伙食费", not_chargeable=("工资", "手续费")).forbids("管理费用·工资（食堂员工）")
        '工资'
        """
        key = name_key(purpose)
        return next((word for word in self.not_chargeable if name_key(word) and name_key(word) in key), "")

    def month_due(self, year: int, month: int) -> date | None:
        """When a month's statement is due: the set day of the next month (its last day if shorter)."""
        if self.monthly_due_day is None:
            return None
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return date(year, month, min(self.monthly_due_day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class SettlementRules:
    """policy.yml's `settlement`: the deadline after term end, extra items, what may carry over."""

    deadline_days: int = DEFAULT_SETTLEMENT_DAYS
    #: Normalised names of further items to settle (beyond the categories and words above).
    items: frozenset[str] = frozenset()
    #: Normalised category or item names whose balance may be carried to the next term.
    carry_over: frozenset[str] = frozenset()
    #: Both lists as the bureau wrote them, for the catalog page.
    item_names: tuple[str, ...] = ()
    carry_names: tuple[str, ...] = ()
    #: What settled money may be spent on, by category or item (an item's own list wins).
    purposes: tuple[Purposes, ...] = ()
    #: Running accounts' rules, by category or item (an item's own wins).
    accounts: tuple[Accounts, ...] = ()

    def accounts_for(self, item: str, category: str) -> Accounts | None:
        by_key = {name_key(a.applies_to): a for a in self.accounts}
        return by_key.get(name_key(item)) or by_key.get(name_key(category))

    def purposes_for(self, item: str, category: str) -> Purposes | None:
        """The allowlist for a fee item's spending: the item's own, else its category's, else None."""
        by_key = {name_key(p.applies_to): p for p in self.purposes}
        return by_key.get(name_key(item)) or by_key.get(name_key(category))

    def required(self, item: str, category: str) -> bool:
        """Whether a fee item must be settled and its settlement published after the term.

        >>> SettlementRules().required("校服费", "代收费"), SettlementRules().required("住宿费", "行政事业性收费")
        (True, False)
        >>> SettlementRules().required("课后服务费（初中）", "服务性收费")
        True
        """
        key = name_key(item)
        return category in SETTLED_CATEGORIES or any(w in key for w in SETTLED_WORDS) or key in self.items

    def may_carry(self, item: str, category: str) -> bool:
        return name_key(category) in self.carry_over or name_key(item) in self.carry_over

    def due(self, term: Term) -> date:
        return term.end + timedelta(days=self.deadline_days)


def build_settlement_rules(rules: Any) -> SettlementRules:
    if not isinstance(rules, dict):
        return SettlementRules()
    days = rules.get("deadline_days")
    items = tuple(v for v in list_of(rules.get("items")) if isinstance(v, str))
    carry = tuple(v for v in list_of(rules.get("carry_over")) if isinstance(v, str))
    purposes = tuple(Purposes(text_of(p.get("applies_to")), tuple(a for a in list_of(p.get("allowed")) if isinstance(a, str)))
                     for p in list_of(rules.get("purposes")) if isinstance(p, dict) and text_of(p.get("applies_to")))
    accounts = tuple(Accounts(text_of(a.get("applies_to")), of_type(a.get("monthly_due_day"), int),
                              of_type(a.get("margin_limit"), Decimal), texts_of(a.get("not_chargeable")))
                     for a in list_of(rules.get("categories")) if isinstance(a, dict) and text_of(a.get("applies_to")))
    return SettlementRules(days if isinstance(days, int) and not isinstance(days, bool) else DEFAULT_SETTLEMENT_DAYS,
                           frozenset(map(name_key, items)), frozenset(map(name_key, carry)), items, carry, purposes,
                           accounts)
