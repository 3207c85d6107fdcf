# The bureau's policy: counties, hotlines, term calendar, fee catalog, forbidden items, roster.
#
# Built from the typed tree of schools/policy.yml; the national forbidden list lives here and the
# bureau's `forbidden` entries extend it. Name matching is shared with the fee rules.
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol
from collections.abc import Sequence

from xiaowu.read.chars import name_key
from xiaowu.read.fields import SERVICE_NUMBERS, Phone
from xiaowu.model.catalog import CatalogEntry, _list, _text, build_entry, names_of


COMPULSORY_STAGES = frozenset({"小学", "初中"})


class Named(Protocol):
    """Anything with a line's name and phone: a school's hotline or one of the bureau's."""

    @property
    def name(self) -> str: ...

    @property
    def phone(self) -> Phone | None: ...


def normalise_name(name: str) -> str:
    """Fee names compare equal across full-width forms, spaces, punctuation, invisible characters
    and traditional characters (see chars.name_key).

    >>> normalise_name(" 擇校費（初一） ")
    '择校费初一'
    """
    return name_key(name)


@dataclass(frozen=True)
class Forbidden:
    item: str
    terms: tuple[str, ...]
    basis: str
    note: str = ""


# Domain rule 5: national forbidden fees; matched when the normalised item name contains a term.
NATIONAL_FORBIDDEN: tuple[Forbidden, ...] = (
    Forbidden("择校费", ("择校费", "择校生费", "选校费", "择校赞助费"), "国家明令禁止"),
    Forbidden("借读费", ("借读费", "借读生费"), "国家明令禁止"),
    Forbidden("与入学挂钩的赞助费、捐资助学费、建校费", ("赞助费", "捐资助学费", "捐资助学款", "建校费", "集资费"),
              "国家明令禁止", "自愿捐赠须与入学脱钩，不能列为收费项目。"),
    Forbidden("补课费", ("补课费", "补习费", "补课辅导费"), "国家明令禁止"),
    Forbidden("实验班、特长班、提高班等收费", ("实验班", "特长班", "提高班", "重点班", "尖子班", "培优班"), "国家明令禁止"),
    Forbidden("正常教学范围内的收费", ("讲义资料费", "讲义费", "试卷费", "上机费", "取暖费", "降温费",
                                  "饮水费", "安保费"),
              "国家明令禁止", "讲义、试卷、上机、取暖、降温、饮水、安保属于正常教学和办学保障，不得另行收费。"),
)


@dataclass(frozen=True)
class Line:
    """One of the bureau's lines in policy.yml (its own, or a national service number it lists)."""

    name: str
    phone: Phone | None
    kind: str
    hours: str = ""


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    start: date
    end: date
    publish_by: date


#: Days after a term's end by which its fees are settled, when policy.yml does not say.
DEFAULT_SETTLEMENT_DAYS = 30
#: Categories whose items are always settled after the term (domain.md: 据实收取、及时结算、多退少补、定期公布).
SETTLED_CATEGORIES = ("代收费", "伙食费")
#: Items settled whatever their category (after-school service is a 服务性收费 spent on its own costs).
SETTLED_WORDS = ("课后服务",)


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


@dataclass
class Policy:
    authority: str = ""
    #: The local landline area code (policy.yml, else the bureau's own lines), for H301's hint.
    area_code: str = ""
    counties: dict[str, str] = field(default_factory=dict)
    hotlines: list[Line] = field(default_factory=list)
    terms: dict[str, Term] = field(default_factory=dict)
    catalog: list[CatalogEntry] = field(default_factory=list)
    forbidden: list[Forbidden] = field(default_factory=lambda: list(NATIONAL_FORBIDDEN))
    roster: dict[str, dict[str, str]] = field(default_factory=dict)
    settlement: SettlementRules = field(default_factory=SettlementRules)
    #: Reviewed exceptions by school id, from the bureau's schools/exceptions.yml.
    exceptions: dict[str, list[ReviewedException]] = field(default_factory=dict)
    #: False when policy.yml is missing or unreadable: rules that need it are then skipped.
    loaded: bool = False

    def forbidden_match(self, item: str, normalised: bool = False) -> Forbidden | None:
        name = item if normalised else normalise_name(item)
        for entry in self.forbidden:
            if any(term in name for term in entry.terms):
                return entry
        return None

    def catalog_for(self, item: str, normalised: bool = False) -> list[CatalogEntry]:
        name = item if normalised else normalise_name(item)
        return [entry for entry in self.catalog if name in entry.names]

    def applicable(self, ownership: str, stages: set[str]) -> list[CatalogEntry]:
        return [e for e in self.catalog if ownership in e.ownership and e.stages & stages]

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

    def impersonation(self, name: str, phone: Any) -> tuple[str, str]:
        """Which field of a school's own hotline ("name" or "phone") would pass it off as the
        bureau's or a national line, and why; ("", "") when it would not.

        >>> p = Policy(authority="青石市教育局", hotlines=[Line("市教育局收费投诉电话",
        ...            Phone("0712-7654321", "landline"), "教育局")])
        >>> p.impersonation("学校收费监督电话", Phone("0712-1234567", "landline"))
        ('', '')
        >>> p.impersonation("１２３４５", Phone("0712-1234567", "landline"))
        ('name', '的名称使用了公共服务号码“12345”')
        >>> p.impersonation("学校电话", Phone("0712-7654321", "landline"))
        ('phone', '使用了本局电话“市教育局收费投诉电话”的号码 0712-7654321')
        """
        key = name_key(name)
        number = phone.number if isinstance(phone, Phone) else ""
        if number in SERVICE_NUMBERS:
            return "phone", f"使用了公共服务号码 {number}"
        for line in self.hotlines:
            if line.phone is not None and number and line.phone.number == number:
                return "phone", f"使用了本局电话“{line.name}”的号码 {number}"
        for line in self.hotlines:
            label = line.name
            if label and name_key(label) in key:
                return "name", f"的名称与本局电话“{label}”相同或相近"
        for digits in SERVICE_NUMBERS:
            if len(digits) >= 5 and digits in key:
                return "name", f"的名称使用了公共服务号码“{digits}”"
        authority = name_key(self.authority)
        if authority and authority in key:
            return "name", f"的名称含有本局名称“{self.authority}”"
        for word, whose in RESERVED_WORDS.items():
            if word in key:
                return "name", f"的名称含有“{word}”，看起来像{whose}的电话"
        return "", ""


#: Words that make a line look like it belongs to an authority, not a school (compared normalised).
RESERVED_WORDS = {
    "教育局": "教育行政部门", "教体局": "教育行政部门", "教育和体育局": "教育行政部门", "教委": "教育行政部门",
    "教育厅": "教育行政部门", "政务服务": "政务服务热线", "便民热线": "政务服务热线", "市长热线": "政务服务热线",
    "市场监管": "市场监管部门", "发改委": "价格主管部门", "发展和改革": "价格主管部门", "纪检": "纪检监察机关",
    "监察委": "纪检监察机关", "纪委": "纪检监察机关", "教育督导": "教育督导部门",
}


def _area_code(data: dict[str, Any], lines: list[Line]) -> str:
    if _text(data.get("area_code")):
        return str(data["area_code"])
    codes = [line.phone.number.split("-")[0] for line in lines if line.phone and line.phone.kind == "landline"]
    return max(set(codes), key=codes.count) if codes else ""


def build_policy(typed: Any) -> Policy:
    """Tolerant: invalid parts were reported by the schema and are skipped here."""
    data = typed if isinstance(typed, dict) else {}
    policy = Policy(authority=_text(data.get("authority")), loaded=bool(data))
    for county in _list(data.get("counties")):
        if isinstance(county, dict) and _text(county.get("id")):  # the first wins; S115 names the rest
            policy.counties.setdefault(county["id"], _text(county.get("name")))
    policy.hotlines = [Line(_text(h.get("name")), h.get("phone") if isinstance(h.get("phone"), Phone) else None,
                            _text(h.get("kind")) or "其他", _text(h.get("hours")))
                       for h in _list(data.get("hotlines")) if isinstance(h, dict)]
    policy.area_code = _area_code(data, policy.hotlines)
    for term in _list(data.get("terms")):
        if not isinstance(term, dict):
            continue
        start, end, publish_by = (term.get(k) for k in ("start", "end", "publish_by"))
        if _text(term.get("id")) and isinstance(start, date) and isinstance(end, date) \
                and isinstance(publish_by, date) and term["id"] not in policy.terms:
            policy.terms[term["id"]] = Term(term["id"], _text(term.get("name")) or term["id"], start, end, publish_by)
    for index, entry in enumerate(_list(data.get("catalog"))):
        if isinstance(entry, dict) and _text(entry.get("item")):
            policy.catalog.append(build_entry(entry, index))
    for entry in _list(data.get("forbidden")):
        if isinstance(entry, dict) and _text(entry.get("item")):
            policy.forbidden.append(Forbidden(entry["item"], tuple(sorted(names_of(entry))), _text(entry.get("basis"))))
    rules = data.get("settlement")
    if isinstance(rules, dict):
        days = rules.get("deadline_days")
        items = tuple(v for v in _list(rules.get("items")) if isinstance(v, str))
        carry = tuple(v for v in _list(rules.get("carry_over")) if isinstance(v, str))
        policy.settlement = SettlementRules(
            days if isinstance(days, int) and not isinstance(days, bool) else DEFAULT_SETTLEMENT_DAYS,
            frozenset(map(name_key, items)), frozenset(map(name_key, carry)), items, carry)
    for school in _list(data.get("roster")):
        if isinstance(school, dict) and _text(school.get("id")) and school["id"] not in policy.roster:
            policy.roster[school["id"]] = {"county": _text(school.get("county")), "name": _text(school.get("name"))}
    return policy
