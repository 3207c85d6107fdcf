# The typed model of one school file, built once from the schema-converted tree.
#
# Every rule, the compliance status, the page model and the exports read these frozen objects and
# nothing else, so "the current disclosure" or "an item's standard" has one meaning everywhere.
# Building is tolerant: a value the schema already reported as wrong becomes "" / None / (), and
# each object keeps its ``path`` so a rule can still point at the exact line.
from __future__ import annotations

from dataclasses import dataclass, fields
from sys import intern
from datetime import date
from decimal import Decimal
from typing import Any

from xiaowu.read.fields import Phone
from xiaowu.read.loader import Path

#: Pricing modes, and how each reads on a page ("" = an amount is shown).
PRICING_WORDS = {
    "固定标准": "",
    "限价内自定": "学校在本局核定上限内自定",
    "据实收取": "据实收取，多退少补",
    "以支定收": "以支定收（按实际支出核定，不盈利）",
    "按教材定价": "按教材定价（以教材标价为准）",
    "按招标价": "按公开招标确定的价格",
}
#: Modes with no amount of their own: an amount, if given, is what is collected in advance.
ACTUAL_COST = frozenset({"据实收取", "以支定收", "按教材定价", "按招标价"})


def _text(value: Any) -> str:
    # Interned: item names, categories, units, authorities, purposes repeat across 20,000 files, and
    # the model of every school is kept for the site (one copy of each, also across a worker's pickle).
    return intern(value) if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(intern(v) for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _of(value: Any, kind: type | tuple[type, ...]) -> Any:
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


class _Written:
    """Which keys the clerk wrote, as a bit per field (one small int, not a set per object: there
    are millions of these at 20,000 schools), so "left empty" and "not written" can be told apart."""

    __slots__ = ()
    given: int

    def wrote(self, key: str) -> bool:
        return bool(self.given >> _BITS[type(self).__name__].get(key, 63) & 1)


def _mask(cls: type, data: dict[str, Any]) -> int:
    bits = _BITS[cls.__name__]
    given = 0
    for key in data:
        if key in bits:
            given |= 1 << bits[key]
    return given


@dataclass(frozen=True, slots=True)
class Basis(_Written):
    authority: str = ""
    document: str = ""
    title: str = ""
    url: str | None = None
    given: int = 0


@dataclass(frozen=True, slots=True)
class FeeItem(_Written):
    path: Path
    item: str = ""
    category: str = ""
    stage: str = ""
    tier: str = ""
    amount: Decimal | None = None
    pricing: str = ""
    unit: str = ""
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
    def standard(self) -> str:
        """The standard in words: "290 元/生·学期", "以支定收（…）", "预收 300 元/生·学期，据实收取…"."""
        amount = f"{self.amount:f} {self.unit}".strip() if self.amount is not None else ""
        words = PRICING_WORDS.get(self.mode, self.mode)
        if amount and words:
            return f"预收 {amount}，{words}" if self.mode in ACTUAL_COST else f"{amount}（{words}）"
        return amount or words


@dataclass(frozen=True, slots=True)
class Disclosure(_Written):
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
class Evaluation(_Written):
    path: Path
    year: str = ""
    organizer: str = ""
    kind: str = ""
    respondents_issued: int | None = None
    respondents_valid: int | None = None
    score: Decimal | None = None
    satisfaction: Decimal | None = None
    grade: str = ""
    grade_set: tuple[str, ...] = ()
    rank: int | None = None
    ranked_total: int | None = None
    rectifications: tuple[Rectification, ...] = ()
    source_url: str | None = None
    notes: str = ""
    given: int = 0


@dataclass(frozen=True, slots=True)
class Spending:
    purpose: str = ""
    amount: Decimal | None = None


def _sum(values: Any) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


@dataclass(frozen=True, slots=True)
class SettledItem(_Written):
    """One fee item's money after the term: what came in, where it went, what went back."""

    path: Path
    item: str = ""
    stage: str = ""
    tier: str = ""
    students: int | None = None
    carried_in: Decimal | None = None
    collected: Decimal | None = None
    subsidy: Decimal | None = None
    spending: tuple[Spending, ...] = ()
    refunded: Decimal | None = None
    refund_students: int | None = None
    refund_per_student: Decimal | None = None
    carried: Decimal | None = None
    shortfall: Decimal | None = None
    shortfall_covered_by: str = ""
    refund_method: str = ""
    notes: str = ""
    given: int = 0

    @property
    def label(self) -> str:
        detail = "，".join(p for p in (self.stage, self.tier) if p)
        return f"{self.item}（{detail}）" if detail else self.item

    @property
    def spent(self) -> Decimal:
        """The spending in total (computed, never typed)."""
        return _sum(s.amount for s in self.spending)

    @property
    def income(self) -> Decimal:
        """Carried in, collected and other income (a shortfall is covered from outside, so it counts too)."""
        return _sum((self.carried_in, self.collected, self.subsidy, self.shortfall))

    @property
    def outgo(self) -> Decimal:
        return self.spent + _sum((self.refunded, self.carried))

    @property
    def balance(self) -> Decimal:
        """Income less spending, refunds and carry-over: zero when the figures add up."""
        return self.income - self.outgo


@dataclass(frozen=True, slots=True)
class Settlement(_Written):
    path: Path
    term: str = ""
    settled: date | None = None
    published: date | None = None
    items: tuple[SettledItem, ...] = ()
    notes: str = ""
    given: int = 0

    @property
    def public_date(self) -> date | None:
        """When parents could see it: the publication date, else the settlement date."""
        return self.published or self.settled


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


_BITS = {cls.__name__: {f.name: i for i, f in enumerate(fields(cls))}
         for cls in (Basis, FeeItem, Disclosure, Evaluation, SettledItem, Settlement)}


def _basis(data: Any) -> Basis | None:
    if not isinstance(data, dict):
        return None
    return Basis(_text(data.get("authority")), _text(data.get("document")), _text(data.get("title")),
                 _of(data.get("url"), str), _mask(Basis, data))


_FEE_TEXT = frozenset({"item", "category", "stage", "tier", "pricing", "unit", "scope", "voluntary", "billing_period",
                       "settlement", "notes"})


def _fee(data: dict[str, Any], path: Path) -> FeeItem:
    # One pass over the keys the clerk wrote (the hot path: ~20 items per school file).
    texts: dict[str, str] = {}
    bits = _BITS["FeeItem"]
    given = 0
    for key, value in data.items():
        if key in bits:
            given |= 1 << bits[key]
            if key in _FEE_TEXT and type(value) is str:
                texts[key] = intern(value)
    return FeeItem(path=path, amount=_of(data.get("amount"), Decimal), basis=_basis(data.get("basis")),
                   given=given, **texts)


def _disclosure(data: dict[str, Any], path: Path) -> Disclosure:
    return Disclosure(
        path=path, term=_text(data.get("term")), published=_of(data.get("published"), date),
        valid_from=_of(data.get("valid_from"), date), valid_until=_of(data.get("valid_until"), date),
        channels=_texts(data.get("channels")),
        items=tuple(_fee(d, path + ("items", i)) for i, d in _dicts(data.get("items"))),
        reductions=_text(data.get("reductions")), complaint_channels=_texts(data.get("complaint_channels")),
        notes=_text(data.get("notes")), given=_mask(Disclosure, data))


def _evaluation(data: dict[str, Any], path: Path) -> Evaluation:
    fixes = tuple(Rectification(_text(r.get("issue")), _text(r.get("measure")), _text(r.get("status")),
                                _of(r.get("due"), date)) for _, r in _dicts(data.get("rectifications")))
    return Evaluation(
        path=path, year=_text(data.get("year")), organizer=_text(data.get("organizer")), kind=_text(data.get("kind")),
        respondents_issued=_of(data.get("respondents_issued"), int),
        respondents_valid=_of(data.get("respondents_valid"), int),
        score=_of(data.get("score"), Decimal), satisfaction=_of(data.get("satisfaction"), Decimal),
        grade=_text(data.get("grade")), grade_set=_texts(data.get("grade_set")), rank=_of(data.get("rank"), int),
        ranked_total=_of(data.get("ranked_total"), int), rectifications=fixes,
        source_url=_of(data.get("source_url"), str), notes=_text(data.get("notes")), given=_mask(Evaluation, data))


_SETTLED_AMOUNTS = ("carried_in", "collected", "subsidy", "refunded", "refund_per_student", "carried", "shortfall")


def _settled_item(data: dict[str, Any], path: Path) -> SettledItem:
    spending = tuple(Spending(_text(s.get("purpose")), _of(s.get("amount"), Decimal))
                     for _, s in _dicts(data.get("spending")))
    return SettledItem(
        path=path, item=_text(data.get("item")), stage=_text(data.get("stage")), tier=_text(data.get("tier")),
        students=_of(data.get("students"), int), spending=spending,
        refund_students=_of(data.get("refund_students"), int),
        shortfall_covered_by=_text(data.get("shortfall_covered_by")), refund_method=_text(data.get("refund_method")),
        notes=_text(data.get("notes")), given=_mask(SettledItem, data),
        **{key: _of(data.get(key), Decimal) for key in _SETTLED_AMOUNTS})


def _settlement(data: dict[str, Any], path: Path) -> Settlement:
    return Settlement(
        path=path, term=_text(data.get("term")), settled=_of(data.get("settled"), date),
        published=_of(data.get("published"), date),
        items=tuple(_settled_item(d, path + ("items", i)) for i, d in _dicts(data.get("items"))),
        notes=_text(data.get("notes")), given=_mask(Settlement, data))


def build_school(typed: Any, school_id: str = "", county: str = "") -> School:
    """The model of one school file from its schema-converted tree (see schema.convert)."""
    data = _dict(typed)
    p = _dict(data.get("profile"))
    profile = Profile(
        name=_text(p.get("name")), county=_text(p.get("county")), ownership=_text(p.get("ownership")),
        stages=_texts(p.get("stages")), boarding=_text(p.get("boarding")), address=_text(p.get("address")),
        office_phone=_of(p.get("office_phone"), Phone), website=_of(p.get("website"), str),
        supervising_authority=_text(p.get("supervising_authority")))
    return School(
        id=school_id, county=county, profile=profile,
        hotlines=tuple(Hotline(("hotlines", i), _text(h.get("name")), _of(h.get("phone"), Phone), _text(h.get("hours")))
                       for i, h in _dicts(data.get("hotlines"))),
        disclosures=tuple(_disclosure(d, ("fee_disclosures", i)) for i, d in _dicts(data.get("fee_disclosures"))),
        evaluations=tuple(_evaluation(e, ("evaluations", i)) for i, e in _dicts(data.get("evaluations"))),
        settlements=tuple(_settlement(d, ("settlements", i)) for i, d in _dicts(data.get("settlements"))))


_INTERNAL = frozenset({"path", "given"})
_KEYS = {"disclosures": "fee_disclosures"}
_RECORDED = (School, Profile, Disclosure, FeeItem, Basis, Hotline, Evaluation, Rectification, Settlement,
             SettledItem, Spending)
#: Per recorded class: (attribute, key in the file, bit of `given` or -1 when the class keeps none, or
#: -2 for a list that is always kept). Worked out once: record() runs for every value of 20,000 files.
_SPEC: dict[type, tuple[tuple[str, str, int], ...]] = {
    cls: tuple((f.name, _KEYS.get(f.name, f.name),
                _BITS[cls.__name__][f.name] if cls.__name__ in _BITS
                else -2 if cls is School and f.name in ("hotlines", "disclosures") else -1)
               for f in fields(cls) if f.name not in _INTERNAL and not (cls is School and f.name in ("id", "county")))
    for cls in _RECORDED
}


def record(value: Any) -> Any:
    """A JSON-ready copy with the file's keys in the schema's order (dataclass field order).

    Empty optional values are left out; a list the clerk wrote stays, even when empty (``items: []``).

    >>> record(Spending("食材", Decimal("94469.50")))
    {'purpose': '食材', 'amount': '94469.50'}
    """
    spec = _SPEC.get(type(value))
    if spec is not None:
        out = {}
        given = getattr(value, "given", 0)
        for name, key, bit in spec:
            item = getattr(value, name)
            if item is None or item == "":
                continue
            if item == () and (bit == -1 or (bit >= 0 and not given >> bit & 1)):
                continue
            kind = type(item)
            out[key] = item if kind is str or kind is int else record(item)
        return out
    if isinstance(value, tuple):
        return [record(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Phone):
        return str(value)
    return value
