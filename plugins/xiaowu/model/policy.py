# The bureau's policy: counties, hotlines, term calendar, fee catalog, forbidden items, roster and the
# exceptions it reviewed. Built once from the typed tree of schools/policy.yml (and exceptions.yml),
# then frozen; the national forbidden list lives here and the bureau's `forbidden` entries extend it.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from xiaowu.model.base import list_of, text_of
from xiaowu.model.catalog import NATIONAL_FORBIDDEN, CatalogEntry, Forbidden, build_entry, names_of
from xiaowu.model.settling import SettlementRules, build_settlement_rules
from xiaowu.model.terms import Term
from xiaowu.read.chars import name_key
from xiaowu.read.fields import SERVICE_NUMBERS, Phone

COMPULSORY_STAGES = frozenset({"小学", "初中"})


class Named(Protocol):
    """Anything with a line's name and phone: a school's hotline or one of the bureau's."""

    @property
    def name(self) -> str: ...

    @property
    def phone(self) -> Phone | None: ...


@dataclass(frozen=True)
class Line:
    """One of the bureau's lines in policy.yml (its own, or a national service number it lists)."""

    name: str
    phone: Phone | None
    kind: str
    hours: str = ""


@dataclass(frozen=True)
class RosterEntry:
    """A school the bureau expects to publish: its id, county and name as the bureau writes it."""

    id: str
    county: str
    name: str


@dataclass(frozen=True)
class ReviewedException:
    """One entry of the bureau's schools/exceptions.yml: a finding it reviewed and accepted."""

    index: int  # position in exceptions.yml, to report an unused entry at its line
    school: str
    term: str
    item: str
    rule: str
    reason: str
    basis: str

    def covers(self, code: str, term: str, item: str) -> bool:
        """Whether this entry accepts finding ``code`` about ``item`` in ``term`` (names compared
        normalised; an entry without an item covers the whole term's findings of that rule)."""
        if code != self.rule or (term and term != self.term):
            return False
        return not self.item or name_key(self.item) == name_key(item)


@dataclass(frozen=True)
class Policy:
    authority: str = ""
    #: The local landline area code (policy.yml, else the bureau's own lines), for H301's hint.
    area_code: str = ""
    counties: Mapping[str, str] = field(default_factory=dict)
    #: County id -> its own landline area code, where it differs from the bureau's (counties[].area_code).
    county_area_codes: Mapping[str, str] = field(default_factory=dict)
    hotlines: tuple[Line, ...] = ()
    terms: Mapping[str, Term] = field(default_factory=dict)
    catalog: tuple[CatalogEntry, ...] = ()
    forbidden: tuple[Forbidden, ...] = NATIONAL_FORBIDDEN
    roster: Mapping[str, RosterEntry] = field(default_factory=dict)
    settlement: SettlementRules = field(default_factory=SettlementRules)
    #: Reviewed exceptions by school id, from the bureau's schools/exceptions.yml.
    exceptions: Mapping[str, tuple[ReviewedException, ...]] = field(default_factory=dict)
    #: (rule, exact text) pairs of personal-data findings the bureau reviewed and accepted
    #: (exceptions.yml's reviewed_text): a name-like place name, say, published after review.
    reviewed_texts: frozenset[tuple[str, str]] = frozenset()
    #: False when policy.yml is missing or unreadable: rules that need it are then skipped.
    loaded: bool = False

    def area_code_for(self, county: str) -> str:
        """The landline area code of a county: its own when policy.yml gives one, else the bureau's."""
        return self.county_area_codes.get(county) or self.area_code

    def forbidden_match(self, item: str, normalised: bool = False) -> Forbidden | None:
        name = item if normalised else name_key(item)
        for entry in self.forbidden:
            if any(term in name for term in entry.terms):
                return entry
        return None

    def catalog_for(self, item: str, normalised: bool = False) -> list[CatalogEntry]:
        name = item if normalised else name_key(item)
        return [entry for entry in self.catalog if name in entry.names]

    def applicable(self, ownership: str, stages: set[str]) -> list[CatalogEntry]:
        return [e for e in self.catalog if ownership in e.ownership and e.stages & stages]

    def focus_term(self, today: date) -> Term | None:
        """The term parents care about now: the first one not yet over (ongoing or upcoming)."""
        terms = sorted(self.terms.values(), key=lambda t: t.start)
        for term in terms:
            if term.end >= today:
                return term
        return terms[-1] if terms else None

    def resolve_channel(self, name: str, school_hotlines: Sequence[Named]) -> tuple[str, Phone | None] | None:
        """A complaint channel names a policy hotline, a service number, or a school hotline.

        The bureau's lines are looked up first, so a school line can never stand in for one (a
        school line using a reserved name is also an error, H305). Names compare normalised. The
        phone is None when the named hotline's number is invalid (reported on that line).
        """
        key = name_key(name)
        for line in self.hotlines:
            if name_key(line.name) == key:
                return line.kind or "其他", line.phone
        if key in SERVICE_NUMBERS:
            return "服务号码", Phone(key, "service")
        for hotline in school_hotlines:
            if hotline.name and name_key(hotline.name) == key:
                return "学校", hotline.phone
        return None

    def channel_names(self, school_hotlines: Sequence[Named]) -> list[str]:
        names = [h.name for h in list(school_hotlines) + list(self.hotlines) if h.name]
        return names + ["12345", "12315", "12388"]


def _area_code(data: dict[str, Any], lines: tuple[Line, ...]) -> str:
    if text_of(data.get("area_code")):
        return str(data["area_code"])
    codes = [line.phone.number.split("-")[0] for line in lines if line.phone and line.phone.kind == "landline"]
    return max(set(codes), key=codes.count) if codes else ""


def _terms(data: dict[str, Any]) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for term in list_of(data.get("terms")):
        if not isinstance(term, dict):
            continue
        start, end, publish_by = (term.get(k) for k in ("start", "end", "publish_by"))
        if text_of(term.get("id")) and isinstance(start, date) and isinstance(end, date) \
                and isinstance(publish_by, date) and term["id"] not in terms:
            terms[term["id"]] = Term(term["id"], text_of(term.get("name")) or term["id"], start, end, publish_by)
    return terms


def _first_by_id(entries: list[Any]) -> list[dict[str, Any]]:
    """The mappings with an id, the first of each id (S115 names the rest)."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        if isinstance(entry, dict) and text_of(entry.get("id")) and entry["id"] not in seen:
            seen.add(entry["id"])
            out.append(entry)
    return out


def build_policy(typed: Any) -> Policy:
    """Tolerant: invalid parts were reported by the schema and are skipped here."""
    data = typed if isinstance(typed, dict) else {}
    hotlines = tuple(Line(text_of(h.get("name")), h.get("phone") if isinstance(h.get("phone"), Phone) else None,
                          text_of(h.get("kind")) or "其他", text_of(h.get("hours")))
                     for h in list_of(data.get("hotlines")) if isinstance(h, dict))
    forbidden = tuple(Forbidden(e["item"], tuple(sorted(names_of(e))), text_of(e.get("basis")))
                      for e in list_of(data.get("forbidden")) if isinstance(e, dict) and text_of(e.get("item")))
    return Policy(
        authority=text_of(data.get("authority")), area_code=_area_code(data, hotlines),
        counties={c["id"]: text_of(c.get("name")) for c in _first_by_id(list_of(data.get("counties")))},
        county_area_codes={c["id"]: text_of(c["area_code"]) for c in _first_by_id(list_of(data.get("counties")))
                           if text_of(c.get("area_code"))},
        hotlines=hotlines, terms=_terms(data),
        catalog=tuple(build_entry(e, i) for i, e in enumerate(list_of(data.get("catalog")))
                      if isinstance(e, dict) and text_of(e.get("item"))),
        forbidden=NATIONAL_FORBIDDEN + forbidden,
        roster={s["id"]: RosterEntry(s["id"], text_of(s.get("county")), text_of(s.get("name")))
                for s in _first_by_id(list_of(data.get("roster")))},
        settlement=build_settlement_rules(data.get("settlement")), loaded=bool(data))
