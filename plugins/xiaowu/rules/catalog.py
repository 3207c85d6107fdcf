# The bureau's catalog entries one by one: the basis they cite (the same rule as a school's notice),
# tiers priced by a mode instead of a cap, and approvals that name schools (issue 24 §11, §13, §14).
from __future__ import annotations

from typing import Any

from xiaowu.model.base import dicts_of, list_of, mask, of_type, text_of
from xiaowu.model.policy import Policy
from xiaowu.model.school import Basis
from xiaowu.read.tree import Path
from xiaowu.rules.base import Sink
from xiaowu.rules.fees import check_basis

#: Modes that are a price the bureau sets or caps: a tier with one of them needs its cap.
_CAPPED_MODES = frozenset({"固定标准", "限价内自定"})


def check_catalog_entries(entries: list[Any], policy: Policy, sink: Sink) -> None:
    """Every catalog entry's basis, tiers and named schools."""
    for index, entry in dicts_of(entries):
        at: Path = ("catalog", index)
        item = text_of(entry.get("item"))

        def report(code: str, where: tuple[str, ...], variant: str = "", _at: Path = at, _item: str = item,
                   **details: Any) -> None:
            sink.add(code, _at + where, variant, item=_item, **details)
        basis = entry.get("basis")
        if isinstance(basis, dict):
            check_basis(Basis(text_of(basis.get("authority")), text_of(basis.get("document")), text_of(basis.get("title")),
                              of_type(basis.get("url"), str), mask(Basis, basis)), text_of(entry.get("category")), report,
                        notice=False)
        for position, tier in dicts_of(entry.get("tiers")):
            _tier(tier, at + ("tiers", position), item, sink)
        for position, school in enumerate(list_of(entry.get("schools"))):
            if isinstance(school, str) and policy.roster and school not in policy.roster:
                sink.add("S120", at + ("schools", position), item=item, value=school)


def _tier(tier: dict[str, Any], at: Path, item: str, sink: Sink) -> None:
    """A tier states its cap, or a pricing mode that needs none (学校自主定价, 以支定收 …)."""
    if tier.get("cap") is not None:
        return
    pricing = text_of(tier.get("pricing"))
    if not pricing:
        sink.add("S119", at, item=item, tier=text_of(tier.get("name")))
    elif pricing in _CAPPED_MODES:
        sink.add("S119", at + ("pricing",), "capped_mode", item=item, tier=text_of(tier.get("name")), mode=pricing)
