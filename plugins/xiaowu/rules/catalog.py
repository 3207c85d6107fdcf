# The bureau's catalog entries one by one: the basis they cite (the same rule as a school's notice),
# tiers priced by a mode instead of a cap, and approvals that name schools (issue 24 §11, §13, §14).
from __future__ import annotations

from typing import Any

from xiaowu.model.base import dicts_of, list_of, mask, of_type, text_of
from xiaowu.model.catalog import Tier
from xiaowu.model.policy import Policy
from xiaowu.model.school import Basis
from xiaowu.read.tree import Path
from xiaowu.rules.base import Sink
from xiaowu.rules.fees import check_basis

#: Modes that are a price the bureau sets or caps: a tier with one of them needs its cap.
_CAPPED_MODES = frozenset({"固定标准", "限价内自定"})


def check_catalog_entries(entries: list[Any], policy: Policy, sink: Sink) -> None:
    """Every catalog entry's basis, tiers and named schools."""
    models = {built.index: built for built in policy.catalog}
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
        built = models.get(index)
        for position, tier in dicts_of(entry.get("tiers")):
            chosen = built.tier(text_of(tier.get("name"))) if built is not None else None
            if chosen is not None and "cap" not in tier:  # a cap as written (even a wrong one) is the schema's
                _tier(chosen, at + ("tiers", position), item, sink)
        for position, school in enumerate(list_of(entry.get("schools"))):
            if isinstance(school, str) and policy.roster and school not in policy.roster:
                sink.add("S120", at + ("schools", position), item=item, value=school)


def _tier(tier: Tier, at: Path, item: str, sink: Sink) -> None:
    """A tier states its cap, or a pricing mode that needs none (学校自主定价, 以支定收 …)."""
    if not tier.pricing:
        sink.add("S119", at, item=item, tier=tier.name)
    elif tier.pricing in _CAPPED_MODES:
        sink.add("S119", at + ("pricing",), "capped_mode", item=item, tier=tier.name, mode=tier.pricing)
