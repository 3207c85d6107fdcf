# The public model of the site: what each page shows, computed once from a checked project.
#
# Pure and MkDocs-free: the plugin and `xiaowu export` both build this from a ProjectResult, so the
# pages and the exports can never disagree. Only schools without errors ever get here.
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from xiaowu.model import school as model
from xiaowu.check.status import STATUSES, Compliance, current_disclosure, flag_counts, focus_term
from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.model.school import Disclosure, Evaluation, Settlement
from xiaowu.model.oversight import Inspection, Oversight, Refund
from xiaowu.rules.settlement import Due, dues
from xiaowu.model.policy import Policy, Term, normalise_name
from xiaowu.check.project import ProjectResult, SchoolResult
from xiaowu.findings.table import RULES
from xiaowu.pages.changes import Change, compare
from xiaowu.pages.hotlines import Hotline, page_hotlines, policy_hotlines, written_channels
from xiaowu.pages.urls import Urls

#: How many disclosures the home page and the feed list as "recently published".
RECENT = 12
FEED_ENTRIES = 200


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
    #: Settlements published by the build day, newest term first.
    settlements: list[Settlement] = field(default_factory=list)
    #: The latest ended term whose notice listed items to settle: when it is due and what is done.
    settlement_due: Due | None = None
    #: From the bureau's oversight.yml only (a school cannot write these): newest first.
    inspections: list[Inspection] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)

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

    @property
    def flag_counts(self) -> dict[str, int]:
        return flag_counts(self.compliance)


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
    def oversight(self) -> Oversight:
        return self.result.oversight

    @property
    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for entry in self.result.compliance:
            counts[entry.status] += 1
        return counts

    @property
    def flag_counts(self) -> dict[str, int]:
        return flag_counts(self.result.compliance)

    @property
    def attention(self) -> list[Compliance]:
        return [c for c in self.result.compliance if c.attention]

    def recent(self, limit: int = RECENT) -> list[tuple[School, Disclosure]]:
        """Disclosures published up to today, newest first (ties by school id, then term)."""
        found = [(school, d) for school in self.schools for d in school.disclosures
                 if d.published is not None and d.published <= self.today]
        found.sort(key=lambda pair: (-(pair[1].published or date.min).toordinal(), pair[0].id, pair[1].term))
        return found[:limit]

    def hotlines(self) -> list[Hotline]:
        return policy_hotlines(self.policy)


def _term_order(policy: Policy, disclosure: Disclosure) -> tuple[date, date]:
    term = policy.terms.get(disclosure.term)
    published = disclosure.published or date.min
    return (term.start if term else published, published)


def _year(value: str) -> int:
    return int(value) if value.isdigit() else 0


def build_school(result: SchoolResult, compliance: Compliance, site_urls: Urls, county_name: str,
                 policy: Policy, term: Term | None, source: str, updated: date | None = None,
                 today: date | None = None, oversight: Oversight | None = None) -> School:
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
    day = today or date.max
    order = {t.id: t.start for t in policy.terms.values()}
    settlements = sorted((x for x in data.settlements if x.public_date is not None and x.public_date <= day),
                         key=lambda x: (order.get(x.term, date.min), x.public_date or date.min), reverse=True)
    ended = [d for d in dues(data, policy, day) if d.term.end < day]
    inspections, refunds = (oversight or Oversight()).for_school(result.id)
    return School(
        result=result, compliance=compliance, url=site_urls.school(result.county, result.id), source=source,
        county_name=county_name, disclosures=disclosures, current=current, headline=headline,
        previous=previous, changes=changes, hotlines=page_hotlines(data, headline, policy),
        evaluations=evaluations, exceptions=exceptions,
        warnings=[d for d in result.diagnostics if not d.blocking],
        updated=updated if updated is not None and (today is None or updated <= today) else None,
        latest_published=max(published) if published else None,
        written_channels=written_channels(headline),
        settlements=settlements, settlement_due=ended[0] if ended else None,
        inspections=sorted(inspections, key=lambda x: x.held or date.min, reverse=True),
        refunds=sorted(refunds, key=lambda r: r.ordered or date.min, reverse=True),
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
                              policy, term, source, (updated or {}).get(source), result.today, result.oversight)
        schools.append(school)
        counties[school.county].schools.append(school)
    # Parents look for a name, not an id: county lists go by name (Unicode order of the characters,
    # i.e. by radical and stroke count for Chinese), then id.
    for entry in sorted(result.compliance, key=lambda c: (c.name, c.school_id)):
        if entry.county in counties:
            counties[entry.county].compliance.append(entry)
    return Site(result, urls, term, [c for c in counties.values()], schools)
