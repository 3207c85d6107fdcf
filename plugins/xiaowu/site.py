# The public model of the site: what each page shows, computed once from a checked project.
#
# Pure and MkDocs-free: the plugin and `xiaowu export` both build this from a ProjectResult, so the
# pages and the exports can never disagree. Only schools without errors ever get here.
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from . import model
from .checks import written_channel
from .compliance import STATUSES, Compliance, current_disclosure, focus_term
from .diagnostics import Diagnostic
from .fields import SERVICE_NUMBERS, Phone
from .model import Disclosure, Evaluation, FeeItem
from .policy import Policy, Term, normalise_name
from .project import ProjectResult, SchoolResult
from .rules import RULES

#: How many disclosures the home page and the feed list as "recently published".
RECENT = 12
FEED_ENTRIES = 200


class Urls:
    """Where each page lives, the way MkDocs places a ``.md`` file (with or without directory URLs).

    >>> Urls().school("qingshi", "qingshi-00003"), Urls(False).school("qingshi", "qingshi-00003")
    ('schools/qingshi/qingshi-00003/', 'schools/qingshi/qingshi-00003.html')
    >>> Urls().rel("schools/qingshi/qingshi-00003/", "data/fees.csv")
    '../../../data/fees.csv'
    >>> Urls(False).rel("schools/qingshi/index.html", "index.html")
    '../../index.html'
    """

    def __init__(self, directory_urls: bool = True) -> None:
        self.directory_urls = directory_urls

    def of(self, src: str) -> str:
        """The URL of a documentation source path, as MkDocs computes it."""
        stem = src[:-3] if src.endswith(".md") else src
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index") or stem == "README" or stem.endswith("/README"):
            head = posixpath.dirname(stem)
            return head + "/" if head else ""
        return stem + "/"

    def school(self, county: str, school_id: str) -> str:
        return self.of(school_src(county, school_id))

    def county(self, county: str) -> str:
        return self.of(county_src(county))

    @staticmethod
    def rel(here: str, target: str) -> str:
        """A relative link from the page at ``here`` to ``target`` (both site-root relative)."""
        base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
        link = posixpath.relpath(target or ".", base.rstrip("/") or ".")
        if target.endswith("/") or not target:
            link = link + "/" if link != "." else "./"
        return link


def school_src(county: str, school_id: str) -> str:
    return f"schools/{county}/{school_id}.md"


def county_src(county: str) -> str:
    return f"schools/{county}/index.md"


#: Generated pages that are not per school or per county: source path -> title.
FIXED_PAGES = {
    "schools/index.md": "学校名录",
    "compliance.md": "公开情况",
    "catalog.md": "收费目录",
    "data.md": "开放数据",
}
#: Generated from the schema and the rule table as Markdown (no YAML text in them).
REFERENCE_PAGES = {"format.md": "数据格式", "rules.md": "检查规则"}


@dataclass(frozen=True)
class Hotline:
    name: str
    number: str
    tel: str
    hours: str
    kind: str

    @property
    def official(self) -> bool:
        """The bureau's or a national line (from policy.yml or a service number), not the school's."""
        return self.kind != "学校"

    @property
    def badge(self) -> str:
        """Whose line it is, in words a parent reads next to the number."""
        if self.kind == "学校":
            return "本校电话"
        if self.kind == "教育局":
            return "教育主管部门"
        return "全国统一服务号码" if self.number.split(" ")[0] in SERVICE_NUMBERS else "政府部门"


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed
    text: str


@dataclass
class School:
    result: SchoolResult
    compliance: Compliance
    url: str
    #: The school file's path in the repository, e.g. schools/qingshi/qingshi-00003.yml.
    source: str
    county_name: str
    disclosures: list[Disclosure]  # newest term first
    current: Disclosure | None  # this term's disclosure, if published
    headline: Disclosure | None  # what the page leads with: this term's, else the latest
    previous: Disclosure | None  # the disclosure the headline is compared with
    changes: list[Change]
    hotlines: list[Hotline]
    evaluations: list[Evaluation]
    exceptions: list[dict[str, Any]]
    warnings: list[Diagnostic]
    #: When the school file last changed (git), never after the build day.
    updated: date | None
    #: The newest disclosure date up to the build day (a date in the future is not "published").
    latest_published: date | None = None
    #: Complaint mailboxes and web forms the headline names: (address, href).
    written_channels: tuple[tuple[str, str], ...] = ()

    def excepted(self, term: Any, item: Any) -> bool:
        """Whether a reviewed exception covers this fee item in this term (names compared normalised)."""
        key = normalise_name(str(item or ""))
        return any(e["term"] == term and (not e["item"] or normalise_name(e["item"]) == key) for e in self.exceptions)

    @property
    def id(self) -> str:
        return self.result.id

    @property
    def county(self) -> str:
        return self.result.county

    @property
    def name(self) -> str:
        return self.result.name

    @property
    def data(self) -> model.School:
        return self.result.data or model.School(self.id, self.county, model.Profile())

    @property
    def profile(self) -> model.Profile:
        return self.data.profile


@dataclass
class County:
    id: str
    name: str
    url: str
    schools: list[School] = field(default_factory=list)
    #: Every roster school of the county (with and without a file), for the dashboard.
    compliance: list[Compliance] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for entry in self.compliance:
            counts[entry.status] += 1
        return counts


@dataclass
class Site:
    result: ProjectResult
    urls: Urls
    term: Term | None
    counties: list[County]
    schools: list[School]

    @property
    def policy(self) -> Policy:
        return self.result.policy

    @property
    def today(self) -> date:
        return self.result.today

    @property
    def authority(self) -> str:
        return self.policy.authority

    @property
    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for entry in self.result.compliance:
            counts[entry.status] += 1
        return counts

    def recent(self, limit: int = RECENT) -> list[tuple[School, Disclosure]]:
        """Disclosures published up to today, newest first (ties by school id, then term)."""
        found = [(school, d) for school in self.schools for d in school.disclosures
                 if d.published is not None and d.published <= self.today]
        found.sort(key=lambda pair: (-(pair[1].published or date.min).toordinal(), pair[0].id, pair[1].term))
        return found[:limit]

    def hotlines(self) -> list[Hotline]:
        return _policy_hotlines(self.policy)


def format_amount(value: Decimal) -> str:
    """Amounts as the clerk typed them, without exponent notation.

    >>> format_amount(Decimal("290")), format_amount(Decimal("85.50")), format_amount(Decimal("1E+3"))
    ('290', '85.50', '1000')
    """
    return f"{value:f}"


def _difference(new: Decimal, old: Decimal) -> str:
    delta = new - old
    text = format_amount(abs(delta).normalize() if delta == delta.to_integral_value() else abs(delta))
    return ("增加 " if delta > 0 else "减少 ") + text + " 元"


def compare(current: Disclosure, previous: Disclosure) -> list[Change]:
    """What changed between two terms' fee items, in plain words (items keyed by name and stage)."""
    def keyed(disclosure: Disclosure) -> dict[tuple[str, str, str], FeeItem]:
        out: dict[tuple[str, str, str], FeeItem] = {}
        for item in disclosure.items:
            if item.item:
                out.setdefault((normalise_name(item.item), item.stage, normalise_name(item.tier)), item)
        return out

    new, old = keyed(current), keyed(previous)
    changes: list[Change] = []
    for key, item in new.items():
        if key not in old:
            changes.append(Change("added", f"新增收费项目：{item.label}，{item.standard or '标准见上表'}。"))
            continue
        before = old[key]
        a, b = before.amount, item.amount
        if a is not None and b is not None and a != b and before.mode == item.mode:
            changes.append(Change("changed", f"{item.label}由 {before.standard} 调整为 {item.standard}，{_difference(b, a)}。"))
        elif before.standard != item.standard:
            changes.append(Change("changed", f"{item.label}的收费标准由“{before.standard}”改为“{item.standard}”。"))
    for key, item in old.items():
        if key not in new:
            changes.append(Change("removed", f"不再收取：{item.label}（上学期 {item.standard or '有此项目'}）。"))
    return changes


def _phone_hotline(name: str, phone: Phone | None, hours: str, kind: str) -> Hotline | None:
    if phone is None:
        return None
    # "12345 政务服务便民热线" is shown beside its number: say the name once, not "12345 12345 …".
    if name.startswith(phone.number) and name[len(phone.number):].strip():
        name = name[len(phone.number):].strip()
    return Hotline(name or SERVICE_NUMBERS.get(phone.number, phone.number), str(phone), phone.tel_uri, hours, kind)


def _policy_hotlines(policy: Policy) -> list[Hotline]:
    lines = [_phone_hotline(line.name, line.phone, line.hours, line.kind) for line in policy.hotlines]
    return [h for h in lines if h]


def _hotlines(data: model.School, headline: Disclosure | None, policy: Policy) -> list[Hotline]:
    """The bureau's and national lines first (from policy.yml, marked as such), then the service
    numbers the disclosure names, then the school's own lines. A school line can never come first
    or take an official line's place: the first line with a number wins."""
    found = _policy_hotlines(policy)
    for name in headline.complaint_channels if headline else ():
        resolved = policy.resolve_channel(name, data.hotlines)
        if resolved and resolved[1] and resolved[0] == "服务号码":
            phone = resolved[1]
            found.append(Hotline(SERVICE_NUMBERS.get(phone.number, name), str(phone), phone.tel_uri, "", "服务号码"))
    found += [h for h in (_phone_hotline(h.name, h.phone, h.hours, "学校") for h in data.hotlines) if h]
    seen: set[str] = set()
    unique = []
    for hotline in found:
        if hotline.tel not in seen:
            seen.add(hotline.tel)
            unique.append(hotline)
    return unique


def _written_channels(headline: Disclosure | None) -> tuple[tuple[str, str], ...]:
    out = []
    for name in headline.complaint_channels if headline else ():
        kind = written_channel(name)
        if kind == "email":
            out.append((name.strip(), "mailto:" + name.strip()))
        elif kind == "web":
            out.append((name.strip(), name.strip()))
    return tuple(out)


def _term_order(policy: Policy, disclosure: Disclosure) -> tuple[date, date]:
    term = policy.terms.get(disclosure.term)
    published = disclosure.published or date.min
    return (term.start if term else published, published)


def _year(value: str) -> int:
    return int(value) if value.isdigit() else 0


def build_school(result: SchoolResult, compliance: Compliance, site_urls: Urls, county_name: str,
                 policy: Policy, term: Term | None, source: str, updated: date | None = None,
                 today: date | None = None) -> School:
    data = result.data or model.School(result.id, result.county, model.Profile())
    disclosures = sorted(data.disclosures, key=lambda d: _term_order(policy, d), reverse=True)
    current = current_disclosure(data, term, today or date.max)
    shown = [d for d in disclosures if today is None or d.published is None or d.published <= today]
    headline = current or next((d for d in shown if not term or _term_order(policy, d)[0] <= term.start), None)
    if headline is None and disclosures:
        headline = disclosures[-1]
    previous = None
    if headline is not None:
        older = disclosures[disclosures.index(headline) + 1:]
        previous = older[0] if older else None
    changes = compare(headline, previous) if headline is not None and previous is not None else []
    evaluations = sorted(data.evaluations, key=lambda e: _year(e.year), reverse=True)
    exceptions = [{"rule": e.rule, "title": RULES[e.rule].title, "term": e.term, "item": e.item,
                   "reason": e.reason, "basis": e.basis} for e in policy.exceptions.get(result.id, [])]
    published = [d.published for d in disclosures if d.published and (today is None or d.published <= today)]
    return School(
        result=result, compliance=compliance, url=site_urls.school(result.county, result.id), source=source,
        county_name=county_name, disclosures=disclosures, current=current, headline=headline,
        previous=previous, changes=changes, hotlines=_hotlines(data, headline, policy),
        evaluations=evaluations, exceptions=exceptions,
        warnings=[d for d in result.diagnostics if not d.blocking],
        updated=updated if updated is not None and (today is None or updated <= today) else None,
        latest_published=max(published) if published else None,
        written_channels=_written_channels(headline),
    )


def build_site(result: ProjectResult, urls: Urls | None = None, data_prefix: str = "schools",
               updated: dict[str, date] | None = None) -> Site:
    """The public model. Schools with errors are left out (a build refuses to run with them).

    ``data_prefix`` is the data folder's path in the repository (for source links); ``updated`` maps
    a school file's repository path to the date it last changed (from git, when available).
    """
    urls = urls or Urls()
    policy = result.policy
    term = focus_term(policy, result.today)
    by_id = {c.school_id: c for c in result.compliance}
    county_ids = list(policy.counties) + sorted({s.county for s in result.schools} - set(policy.counties))
    counties = {cid: County(cid, policy.counties.get(cid, cid), urls.county(cid)) for cid in county_ids}
    schools = []
    order = {cid: index for index, cid in enumerate(county_ids)}
    for school_result in sorted(result.schools, key=lambda s: (order[s.county], s.id)):
        if school_result.errors or school_result.data is None:
            continue
        source = f"{data_prefix.strip('/')}/{school_result.county}/{PurePosixPath(school_result.file).name}"
        school = build_school(school_result, by_id[school_result.id], urls, counties[school_result.county].name,
                              policy, term, source, (updated or {}).get(source), result.today)
        schools.append(school)
        counties[school.county].schools.append(school)
    # Parents look for a name, not an id: county lists go by name (Unicode order of the characters,
    # i.e. by radical and stroke count for Chinese), then id.
    for entry in sorted(result.compliance, key=lambda c: (c.name, c.school_id)):
        if entry.county in counties:
            counties[entry.county].compliance.append(entry)
    return Site(result, urls, term, [c for c in counties.values()], schools)
