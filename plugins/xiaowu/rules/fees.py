# The rules for one fee item: what it must state, whether the bureau approved it, and at most how much.
#
# Reads the typed model (model.FeeItem) and the bureau's catalog (policy.CatalogEntry). The catalog
# entry that applies is chosen by item name, ownership, stage and county; a cap comes from the tier
# the school names, never from "the highest" entry, and an uncapped entry never lifts a capped one.
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from collections.abc import Callable

from xiaowu.model.catalog import DEFAULT_CADENCES, CatalogEntry
from xiaowu.model.policy import COMPULSORY_STAGES, Policy
from xiaowu.model.school import Basis, FeeItem
from xiaowu.model.units import ACTUAL_COST, unit_key
from xiaowu.read.chars import name_key
from xiaowu.rules.perunit import TOTAL_PERIODS, check_rate, rate_cadences, rate_capped, total_in_other_unit, unit_explained

CATEGORIES = ("行政事业性收费", "服务性收费", "代收费", "伙食费", "民办学校收费")
VOLUNTARY_CATEGORIES = ("服务性收费", "代收费", "伙食费")
DOCUMENT_CATEGORIES = ("行政事业性收费", "服务性收费", "民办学校收费")
_TUITION = ("学费", "杂费", "学杂费")
_TEXTBOOK = frozenset({"教材费", "课本费", "国家课程教材费", "教科书费"})
_BOARDER_WORDS = ("住宿", "寄宿", "住校")

#: A 文号's year in any of the brackets real notices use: 〔〕 【】 [] ［］ （） ().
DOC_NUMBER = re.compile(r"[〔【\[［（(]\s*\d{4}\s*[〕】\]］）)]\s*第?\s*\d+\s*号")
#: Words that fill a field without saying anything ("无", "原文未列明" …).
_PLACEHOLDER = re.compile(r"^(?:无|暂无|没有|不详|未知|待定|略|/|-|—|——|无。)$|^(?:原文未|未列明|未注明|未写明)")


@lru_cache(maxsize=4096)
def placeholder(text: str) -> bool:
    """
    >>> [placeholder(t) for t in ["无", "原文未列批准机关", "青石市发展和改革委员会", "—", "减免见附件，未注明的按规定执行"]]
    [True, True, False, True, False]
    """
    return bool(_PLACEHOLDER.search(text.strip()))


@dataclass(frozen=True)
class FeeContext:
    policy: Policy
    ownership: str
    stages: frozenset[str]
    boarding: str
    county: str
    #: The school's id: a catalog entry may be approved for named schools only.
    school: str = ""


Report = Callable[..., None]  # report(code, field_path_suffix, **details)


def _caps(entries: list[CatalogEntry], tier: str) -> tuple[Decimal | None, str, list[CatalogEntry]]:
    """The cap that applies (the lowest of the capped entries), its unit, and the entries whose
    tier the school must name but did not (or named wrongly)."""
    caps: list[tuple[Decimal, str]] = []
    untiered: list[CatalogEntry] = []
    for entry in entries:
        if entry.tiers:
            chosen = entry.tier(tier) if tier else None
            if chosen is None:
                untiered.append(entry)
            elif chosen.cap is not None:
                caps.append((chosen.cap, entry.unit))
        elif entry.cap is not None:
            caps.append((entry.cap, entry.unit))
    if not caps:
        return None, "", untiered
    cap, unit = min(caps, key=lambda c: c[0])
    return cap, unit, untiered


def check_fee(item: FeeItem, ctx: FeeContext, report: Report, normal: str = "") -> None:
    """Every rule about one fee item. ``report(code, where, **details)`` records a finding;
    ``normal`` is the item's normalised name when the caller has it already."""
    policy = ctx.policy
    normal = normal or name_key(item.item)
    forbidden = policy.forbidden_match(normal, normalised=True)
    if forbidden:
        report("F209", ("item",), forbidden=forbidden.item + "，" + forbidden.basis, note=forbidden.note)
        return
    compulsory = ctx.stages & COMPULSORY_STAGES
    if ctx.ownership == "公办" and (item.stage in COMPULSORY_STAGES or (not item.stage and compulsory)) \
            and (any(w in normal for w in _TUITION) or normal in _TEXTBOOK):
        report("F208", ("item",))
        return
    entries = _entries(item, normal, ctx, report)
    category = item.category if item.category in CATEGORIES else (entries[0].category if entries else "")
    _statement(item, category, entries, report)
    check_rate(item, report)
    _boarding(item, normal, ctx, report)
    if not entries:
        allowed = set(DEFAULT_CADENCES)
    else:
        allowed = set().union(*(e.cadences for e in entries))
        _amount(item, entries, ctx, report)
    period = item.cadence
    # A per-unit rate is approved per its unit; its term total may be collected per term (never across).
    totals = allowed | TOTAL_PERIODS if rate_cadences(item, allowed, {e.unit for e in entries}, report, _ORDER) else allowed
    if period and period not in totals:
        where = ("billing_period",) if item.billing_period else ("unit",)
        report("F212", where, period=period, allowed="、".join(p for p in _ORDER if p in totals))


_ORDER = ("学期", "月", "周", "天", "课时", "次", "一次性", "学年", "年")


def _entries(item: FeeItem, normal: str, ctx: FeeContext, report: Report) -> list[CatalogEntry]:
    """The catalog entries that apply to this item at this school; reports F206/F220 when none do."""
    policy = ctx.policy
    if not policy.catalog or ctx.ownership not in ("公办", "民办") or not ctx.stages:
        return []
    wanted = {item.stage} if item.stage else set(ctx.stages)
    kind = [e for e in policy.catalog_for(normal, normalised=True) if ctx.ownership in e.ownership and e.stages & wanted]
    if not kind:
        allowed = sorted({e.item for e in policy.applicable(ctx.ownership, set(ctx.stages))})
        report("F206", ("item",), kind=f"{ctx.ownership}{'、'.join(sorted(ctx.stages))}学校",
               allowed="、".join(allowed) or "无")
        return []
    here = [e for e in kind if not e.counties or ctx.county in e.counties]
    if not here:
        places = sorted({policy.counties.get(c, c) for e in kind for c in e.counties})
        report("F220", ("item",), counties="、".join(places))
        return here
    return _for_school(here, ctx, report)


def _for_school(entries: list[CatalogEntry], ctx: FeeContext, report: Report) -> list[CatalogEntry]:
    """Entries that name schools apply to those schools only, and there replace the general entries
    for the stages they cover: one school's approved cap is never another's (issue 24 §14)."""
    named = [e for e in entries if ctx.school in e.schools]
    covered = frozenset().union(*(e.stages for e in named))
    mine = named + [e for e in entries if not e.schools and not e.stages <= covered]
    if not mine:
        roster = ctx.policy.roster
        report("F225", ("item",), schools="、".join(sorted({roster[s].name if s in roster else s
                                                             for e in entries for s in e.schools})))
    return mine


def _statement(item: FeeItem, category: str, entries: list[CatalogEntry], report: Report) -> None:
    """What the notice must state: amount, unit, basis, voluntariness, settlement."""
    if item.amount is None and not item.wrote("amount") and item.mode in ("固定标准", "限价内自定", "学校自主定价"):
        report("F201", ("item",))
    if not item.unit and not item.wrote("unit"):
        # 792号 lists 计费单位 among what every notice states, priced 据实收取 or not (issue 24 §12).
        report("S101", ("amount",) if item.wrote("amount") else ("item",), field="unit", title="计费单位",
               description="每个项目都要写计费单位，如 元/生·学期、元/套；据实收取、以支定收等没有金额的也要写")
    if item.basis is not None:
        check_basis(item.basis, category, report)
    said = next((e.voluntary for e in entries if e.voluntary), "")
    if category in VOLUNTARY_CATEGORIES and said != "否":
        if item.voluntary == "否":
            report("F210", ("voluntary",), category=category)
        elif not item.wrote("voluntary"):
            report("S101", ("item",), field="voluntary", title="是否自愿", description=f"{category}要写明是否自愿（填“是”）")
    if category == "代收费" and not item.settlement:
        report("F211", ("item",))


def check_basis(basis: Basis, category: str, report: Report, notice: bool = True) -> None:
    """The approval a notice or a catalog entry cites (one rule for both): who approved it, or the
    document's title when that is all the source gives (never an error); no placeholder; a 文号 as
    written. What a *notice* must show parents adds, for most categories, the 文号 (F202, or F221 when
    only the title is known); a catalog entry without one is reported on the notices that copy it."""
    if not basis.authority and not basis.title and not basis.wrote("authority"):
        report("S101", ("basis",), field="authority", title="批准机关",
               description="写明批准收费的机关；原文只有文件名称时写在 title 中")
    for key in ("authority", "document"):
        value = getattr(basis, key)
        if value and placeholder(value):
            report("F218", ("basis", key), value=value)
    document = basis.document if basis.document and not placeholder(basis.document) else ""
    if notice and category in DOCUMENT_CATEGORIES and not document:
        if basis.title:
            report("F221", ("basis", "title"), category=category, title=basis.title)
        else:
            report("F202", ("basis",), category=category)
    if document and not DOC_NUMBER.search(document):
        report("F203", ("basis", "document"), value=document)


def _tier_mode(item: FeeItem, entries: list[CatalogEntry], report: Report) -> None:
    """A tier priced by a mode instead of a cap is checked the way the mode says: an actual-cost tier
    is not a fixed standard, and only a tier the bureau lets the school price is 学校自主定价. (An entry's
    own pricing is not held against a fixed amount: real notices print the tendered or textbook price.)"""
    chosen = [t for e in entries for t in ([e.tier(item.tier)] if item.tier and e.tiers else []) if t is not None]
    modes = {t.pricing for t in chosen if t.pricing}
    actual = sorted(m for m in modes if m in ACTUAL_COST)
    if actual and item.mode not in ACTUAL_COST:
        report("F224", ("pricing",) if item.wrote("pricing") else ("item",), tier=item.tier, mode=actual[0])
    elif item.mode == "学校自主定价" and "学校自主定价" not in modes:
        report("F224", ("pricing",), "not_allowed", tier=item.tier or "不分档次")


def _boarding(item: FeeItem, normal: str, ctx: FeeContext, report: Report) -> None:
    if "住宿费" not in normal:
        return
    if ctx.boarding == "否":
        report("F213", ("item",))
    if item.scope and not any(word in item.scope for word in _BOARDER_WORDS):
        report("F214", ("scope",), scope=item.scope)


def _amount(item: FeeItem, entries: list[CatalogEntry], ctx: FeeContext, report: Report) -> None:
    """The cap for the school's stage and named tier; F217 only when caps really differ by stage."""
    if item.stage:
        cap, unit, untiered = _caps(entries, item.tier)
    else:
        by_stage = {s: _caps([e for e in entries if s in e.stages], item.tier) for s in ctx.stages}
        by_stage = {s: c for s, c in by_stage.items() if any(s in e.stages for e in entries)}
        distinct = {c[0] for c in by_stage.values()}
        if len(distinct) > 1:
            report("F217", ("item",), stages="、".join(sorted(by_stage)))
        known = [c for c in by_stage.values() if c[0] is not None]
        cap, unit, untiered = max(known, key=lambda c: c[0] or Decimal(0)) if known else (None, "", [])
        untiered = [e for c in by_stage.values() for e in c[2]]
    _tier_mode(item, entries, report)
    if untiered:
        tiers = "、".join(dict.fromkeys(t.name for e in untiered for t in e.tiers))
        if item.tier:
            report("F219", ("tier",), "unknown", tier=item.tier, tiers=tiers)
        else:
            report("F219", ("item",), tiers=tiers)
    if cap is not None and rate_capped(item, unit):
        if item.rate is not None and item.rate > cap:
            report("F207", ("rate",), "rate", amount=item.rate, cap=cap, unit=unit)
    elif item.amount is not None and cap is not None and item.amount > cap and not total_in_other_unit(item, unit):
        report("F207", ("amount",), amount=item.amount, cap=cap, unit=unit)
    catalog_unit = entries[0].unit
    if item.unit and catalog_unit and unit_key(item.unit) != unit_key(catalog_unit) and not unit_explained(item, catalog_unit):
        report("F215", ("unit",), unit=item.unit, catalog_unit=catalog_unit)
