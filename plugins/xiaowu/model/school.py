# The typed model of one school file, built once from the schema-converted tree.
#
# Every rule, the compliance status, the page model and the exports read these frozen objects and
# nothing else, so "the current disclosure" or "an item's standard" has one meaning everywhere.
# Each object keeps its ``path`` in the file, so a rule can still point at the exact line.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from sys import intern
from typing import Any

from xiaowu.model.amounts import plain_amount
from xiaowu.model.base import Written, dict_of, dicts_of, field_bits, mask, of_type, text_of, texts_of
from xiaowu.model.money import SettledItem, Settlement, build_settlement
from xiaowu.model.units import ACTUAL_COST, PRICING_WORDS, cadence_of, counted
from xiaowu.read.fields import Phone
from xiaowu.read.tree import Path



@dataclass(frozen=True, slots=True)
class Basis(Written):
    authority: str = ""
    document: str = ""
    title: str = ""
    url: str | None = None
    given: int = 0


@dataclass(frozen=True, slots=True)
class FeeItem(Written):
    path: Path
    item: str = ""
    category: str = ""
    stage: str = ""
    tier: str = ""
    amount: Decimal | None = None
    pricing: str = ""
    unit: str = ""
    #: An approved per-unit rate (3.00 元/生·课时) and how many units the term has (40), whose product is
    #: ``amount``, the term total the school collects (issue 20 §3).
    rate: Decimal | None = None
    rate_unit: str = ""
    units: Decimal | None = None
    scope: str = ""
    basis: Basis | None = None
    voluntary: str = ""
    billing_period: str = ""
    settlement: str = ""
    notes: str = ""
    given: int = 0

    @property
    def mode(self) -> str:
        return self.pricing or "固定标准"

    @property
    def label(self) -> str:
        detail = "，".join(p for p in (self.stage, self.tier) if p)
        return f"{self.item}（{detail}）" if detail else self.item

    @property
    def cadence(self) -> str:
        """How often the item is collected: as written, else read from the unit ("" when neither says)."""
        return cadence_of(self.billing_period, self.unit)

    @property
    def product(self) -> Decimal | None:
        """rate × units, when both are written (None otherwise): what ``amount`` must equal."""
        return self.rate * self.units if self.rate is not None and self.units is not None else None

    @property
    def formula(self) -> str:
        """The rate and its count in words: "3.00 元/生·课时 × 40 课时" ("" without both)."""
        if self.rate is None or self.units is None:
            return ""
        return f"{plain_amount(self.rate)} {self.rate_unit}".strip() + f" × {plain_amount(self.units)} {counted(self.rate_unit)}".rstrip()

    @property
    def standard(self) -> str:
        """The standard in words: "290 元/生·学期", "3.00 元/生·课时 × 40 课时 = 120 元/生·学期",
        "以支定收（…），元/生·学期", "预收 300 元/生·学期，据实收取…"."""
        amount = f"{plain_amount(self.amount)} {self.unit}".strip() if self.amount is not None else ""
        formula = self.formula
        if formula:
            amount = f"{formula} = {amount}" if amount else formula
        words = PRICING_WORDS.get(self.mode, self.mode)
        if amount and words:
            return f"预收 {amount}，{words}" if self.mode in ACTUAL_COST else f"{amount}（{words}）"
        if words and self.unit:
            return f"{words}，{self.unit}"
        return amount or words


@dataclass(frozen=True, slots=True)
class Disclosure(Written):
    path: Path
    term: str
    published: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    channels: tuple[str, ...] = ()
    items: tuple[FeeItem, ...] = ()
    reductions: str = ""
    complaint_channels: tuple[str, ...] = ()
    notes: str = ""
    given: int = 0

    def fee_for(self, settled: SettledItem) -> FeeItem | None:
        """The fee item a settled item accounts for (the first that fits)."""
        return next((fee for fee in self.items if settled.accounts_for(fee.item, fee.stage, fee.tier)), None)


@dataclass(frozen=True, slots=True)
class Hotline:
    path: Path
    name: str
    phone: Phone | None = None
    hours: str = ""


@dataclass(frozen=True, slots=True)
class Rectification:
    issue: str = ""
    measure: str = ""
    status: str = ""
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Evaluation(Written):
    """A school's own part of one evaluation: its rectifications and notes. The result itself (score,
    grade, rank) is the evaluating body's and comes from the bureau's oversight.yml (model/ratings.py)."""

    path: Path
    year: str = ""
    organizer: str = ""
    kind: str = ""
    rectifications: tuple[Rectification, ...] = ()
    source_url: str | None = None
    notes: str = ""
    given: int = 0


@dataclass(frozen=True, slots=True)
class Profile:
    name: str = ""
    county: str = ""
    ownership: str = ""
    stages: tuple[str, ...] = ()
    boarding: str = ""
    address: str = ""
    office_phone: Phone | None = None
    website: str | None = None
    supervising_authority: str = ""


@dataclass(frozen=True, slots=True)
class School:
    id: str
    county: str
    profile: Profile
    hotlines: tuple[Hotline, ...] = ()
    disclosures: tuple[Disclosure, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    settlements: tuple[Settlement, ...] = ()

    @property
    def name(self) -> str:
        return self.profile.name or self.id

    def disclosure(self, term: str) -> Disclosure | None:
        """The file's notice for a term (the first, when a duplicate was reported)."""
        return next((d for d in self.disclosures if d.term == term), None)

    def published_disclosure(self, term: str, today: date) -> Disclosure | None:
        """The term's notice, if it is published by ``today`` (one meaning of "this term's", used everywhere)."""
        return next((d for d in self.disclosures
                     if d.term == term and d.published is not None and d.published <= today), None)


_FEE_BITS = field_bits(FeeItem)
_FEE_TEXT = frozenset({"item", "category", "stage", "tier", "pricing", "unit", "rate_unit", "scope", "voluntary", "billing_period",
                       "settlement", "notes"})


def _basis(data: Any) -> Basis | None:
    if not isinstance(data, dict):
        return None
    return Basis(text_of(data.get("authority")), text_of(data.get("document")), text_of(data.get("title")),
                 of_type(data.get("url"), str), mask(Basis, data))


def _fee(data: dict[str, Any], path: Path) -> FeeItem:
    # One pass over the keys the clerk wrote (the hot path: ~20 items per school file).
    texts: dict[str, str] = {}
    given = 0
    for key, value in data.items():
        if key in _FEE_BITS:
            given |= 1 << _FEE_BITS[key]
            if key in _FEE_TEXT and type(value) is str:
                texts[key] = intern(value)
    return FeeItem(path=path, amount=of_type(data.get("amount"), Decimal), rate=of_type(data.get("rate"), Decimal),
                   units=of_type(data.get("units"), Decimal), basis=_basis(data.get("basis")), given=given, **texts)


def _disclosure(data: dict[str, Any], path: Path) -> Disclosure:
    return Disclosure(
        path=path, term=text_of(data.get("term")), published=of_type(data.get("published"), date),
        valid_from=of_type(data.get("valid_from"), date), valid_until=of_type(data.get("valid_until"), date),
        channels=texts_of(data.get("channels")),
        items=tuple(_fee(d, path + ("items", i)) for i, d in dicts_of(data.get("items"))),
        reductions=text_of(data.get("reductions")), complaint_channels=texts_of(data.get("complaint_channels")),
        notes=text_of(data.get("notes")), given=mask(Disclosure, data))


def _evaluation(data: dict[str, Any], path: Path) -> Evaluation:
    fixes = tuple(Rectification(text_of(r.get("issue")), text_of(r.get("measure")), text_of(r.get("status")),
                                of_type(r.get("due"), date)) for _, r in dicts_of(data.get("rectifications")))
    return Evaluation(path=path, year=text_of(data.get("year")), organizer=text_of(data.get("organizer")),
                      kind=text_of(data.get("kind")), rectifications=fixes, source_url=of_type(data.get("source_url"), str),
                      notes=text_of(data.get("notes")), given=mask(Evaluation, data))


def _profile(data: dict[str, Any]) -> Profile:
    return Profile(
        name=text_of(data.get("name")), county=text_of(data.get("county")), ownership=text_of(data.get("ownership")),
        stages=texts_of(data.get("stages")), boarding=text_of(data.get("boarding")), address=text_of(data.get("address")),
        office_phone=of_type(data.get("office_phone"), Phone), website=of_type(data.get("website"), str),
        supervising_authority=text_of(data.get("supervising_authority")))


def build_school(typed: Any, school_id: str = "", county: str = "") -> School:
    """The model of one school file from its schema-converted tree (see read.schema.convert)."""
    data = dict_of(typed)
    return School(
        id=school_id, county=county, profile=_profile(dict_of(data.get("profile"))),
        hotlines=tuple(Hotline(("hotlines", i), text_of(h.get("name")), of_type(h.get("phone"), Phone),
                               text_of(h.get("hours"))) for i, h in dicts_of(data.get("hotlines"))),
        disclosures=tuple(_disclosure(d, ("fee_disclosures", i)) for i, d in dicts_of(data.get("fee_disclosures"))),
        evaluations=tuple(_evaluation(e, ("evaluations", i)) for i, e in dicts_of(data.get("evaluations"))),
        settlements=tuple(build_settlement(d, ("settlements", i)) for i, d in dicts_of(data.get("settlements"))))
