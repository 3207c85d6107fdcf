# One school's page: this term's notice and the one it is compared with, what changed, the lines to
# call (official ones first), settlements, the bureau's inspections and refund orders, evaluations.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from xiaowu.check.file import SchoolResult
from xiaowu.check.status import Compliance
from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.findings.table import RULES
from xiaowu.model import school as model
from xiaowu.model.dues import Due, dues
from xiaowu.model.money import Settlement
from xiaowu.model.oversight import Inspection, Oversight, Refund
from xiaowu.model.policy import Policy
from xiaowu.model.terms import Term
from xiaowu.model.ratings import Rating
from xiaowu.model.school import Disclosure, Evaluation, Rectification
from xiaowu.pages.changes import FeeChange, compare
from xiaowu.pages.hotlines import PublicLine, page_hotlines, written_channels
from xiaowu.pages.urls import Urls
from xiaowu.read.chars import name_key


@dataclass(frozen=True)
class PublicException:
    """A finding the bureau reviewed and accepted, as the school page shows it."""

    rule: str
    title: str
    term: str
    item: str
    reason: str
    basis: str


@dataclass(frozen=True)
class SchoolPage:
    result: SchoolResult
    compliance: Compliance
    url: str
    #: The school file's path in the repository, e.g. schools/qingshi/qingshi-00003.yml.
    source: str
    county_name: str
    disclosures: tuple[Disclosure, ...]  # newest term first
    current: Disclosure | None  # this term's disclosure, if published
    headline: Disclosure | None  # what the page leads with: this term's, else the latest
    previous: Disclosure | None  # the disclosure the headline is compared with
    changes: tuple[FeeChange, ...]
    hotlines: tuple[PublicLine, ...]
    #: The school's own answers to evaluations (rectifications, notes), newest first.
    evaluations: tuple[Evaluation, ...]
    exceptions: tuple[PublicException, ...]
    warnings: tuple[Diagnostic, ...]
    #: When the school file last changed (git), never after the build day.
    updated: date | None
    #: The newest disclosure date up to the build day (a date in the future is not "published").
    latest_published: date | None = None
    #: Complaint mailboxes and web forms the headline names: (address, href).
    written_channels: tuple[tuple[str, str], ...] = ()
    #: Settlements published by the build day, newest term first.
    settlements: tuple[Settlement, ...] = ()
    #: The latest ended term whose notice listed items to settle: when it is due and what is done.
    settlement_due: Due | None = None
    #: From the bureau's oversight.yml only (a school cannot write these): newest first.
    inspections: tuple[Inspection, ...] = ()
    refunds: tuple[Refund, ...] = ()
    #: Evaluation results as the bureau published them (oversight.yml only), newest first.
    ratings: tuple[Rating, ...] = ()

    def answer(self, rating: Rating) -> tuple[Rectification, ...]:
        """The rectifications the school lists for an evaluation result of the bureau's."""
        return tuple(r for e in self.evaluations if rating.answered_by(e.year, e.kind) for r in e.rectifications)

    def excepted(self, term: object, item: object) -> bool:
        """Whether a reviewed exception covers this fee item in this term (names compared normalised)."""
        key = name_key(str(item or ""))
        return any(e.term == term and (not e.item or name_key(e.item) == key) for e in self.exceptions)

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


@dataclass(frozen=True)
class PageContext:
    """What every school page is built against."""

    policy: Policy
    term: Term | None
    today: date
    urls: Urls
    oversight: Oversight
    updated: Mapping[str, date] = field(default_factory=dict)


def _term_order(policy: Policy, disclosure: Disclosure) -> tuple[date, date]:
    term = policy.terms.get(disclosure.term)
    published = disclosure.published or date.min
    return (term.start if term else published, published)


def _year(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _headline(data: model.School, ctx: PageContext) -> tuple[tuple[Disclosure, ...], Disclosure | None, Disclosure | None]:
    """The notices newest first, the one the page leads with, and the one before it."""
    policy, term, today = ctx.policy, ctx.term, ctx.today
    disclosures = tuple(sorted(data.disclosures, key=lambda d: _term_order(policy, d), reverse=True))
    current = data.published_disclosure(term.id, today) if term is not None else None
    shown = [d for d in disclosures if d.published is None or d.published <= today]
    headline = current or next((d for d in shown if not term or _term_order(policy, d)[0] <= term.start), None)
    if headline is None and disclosures:
        headline = disclosures[-1]
    previous = None
    if headline is not None:
        older = disclosures[disclosures.index(headline) + 1:]
        previous = older[0] if older else None
    return disclosures, headline, previous


def _settlements(data: model.School, ctx: PageContext) -> tuple[tuple[Settlement, ...], Due | None]:
    order = {t.id: t.start for t in ctx.policy.terms.values()}
    day = ctx.today
    settlements = sorted((x for x in data.settlements if x.public_date is not None and x.public_date <= day),
                         key=lambda x: (order.get(x.term, date.min), x.public_date or date.min), reverse=True)
    ended = [d for d in dues(data, ctx.policy, day) if d.term.end < day]
    return tuple(settlements), ended[0] if ended else None


def school_page(result: SchoolResult, compliance: Compliance, county_name: str, source: str,
                 ctx: PageContext) -> SchoolPage:
    data = result.data or model.School(result.id, result.county, model.Profile())
    disclosures, headline, previous = _headline(data, ctx)
    current = data.published_disclosure(ctx.term.id, ctx.today) if ctx.term is not None else None
    published = [d.published for d in disclosures if d.published and d.published <= ctx.today]
    settlements, due = _settlements(data, ctx)
    inspections, refunds = ctx.oversight.for_school(result.id)
    updated = ctx.updated.get(source)
    return SchoolPage(
        result=result, compliance=compliance, url=ctx.urls.school(result.county, result.id), source=source,
        county_name=county_name, disclosures=disclosures, current=current, headline=headline, previous=previous,
        changes=tuple(compare(headline, previous)) if headline is not None and previous is not None else (),
        hotlines=tuple(page_hotlines(data, headline, ctx.policy)),
        evaluations=tuple(sorted(data.evaluations, key=lambda e: _year(e.year), reverse=True)),
        exceptions=tuple(PublicException(e.rule, RULES[e.rule].title, e.term, e.item, e.reason, e.basis)
                         for e in ctx.policy.exceptions.get(result.id, ())),
        warnings=tuple(d for d in result.diagnostics if not d.blocking),
        updated=updated if updated is not None and updated <= ctx.today else None,
        latest_published=max(published) if published else None, written_channels=written_channels(headline),
        settlements=settlements, settlement_due=due,
        inspections=tuple(sorted(inspections, key=lambda x: x.held or date.min, reverse=True)),
        refunds=tuple(sorted(refunds, key=lambda r: r.ordered or date.min, reverse=True)),
        ratings=tuple(sorted(ctx.oversight.ratings_of(result.id), key=lambda r: _year(r.year), reverse=True)))
