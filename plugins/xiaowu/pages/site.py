# The public model of the site: what each page shows, computed once from a checked project.
#
# Pure and MkDocs-free: the plugin and `xiaowu export` both build this from a ProjectResult, so the
# pages and the exports can never disagree. Only schools without errors ever get here.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import PurePosixPath

from pypinyin import Style, lazy_pinyin

from xiaowu.check.project import ProjectResult
from xiaowu.check.status import STATUSES, Compliance, flag_counts
from xiaowu.model.oversight import Oversight
from xiaowu.model.policy import Policy
from xiaowu.model.terms import Term
from xiaowu.model.school import Disclosure
from xiaowu.pages.hotlines import PublicLine, policy_hotlines
from xiaowu.pages.school import PageContext, SchoolPage, school_page
from xiaowu.pages.urls import Urls

#: How many disclosures the home page and the feed list as "recently published".
RECENT = 12
FEED_ENTRIES = 200


@lru_cache(maxsize=1 << 17)  # the same names are sorted on every rebuild of a preview
def pinyin_key(name: str) -> tuple[tuple[str, ...], str]:
    """Dictionary order for Chinese names, as readers expect: by pinyin, then tone, then the name.

    >>> sorted(["三合县", "凤凰县", "双龙县", "白河县"], key=pinyin_key)
    ['白河县', '凤凰县', '三合县', '双龙县']
    """
    return tuple(lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)), name


def _status_counts(entries: tuple[Compliance, ...]) -> dict[str, int]:
    counts = {status: 0 for status in STATUSES}
    for entry in entries:
        counts[entry.status] += 1
    return counts


@dataclass(frozen=True)
class CountyPage:
    id: str
    name: str
    url: str
    schools: tuple[SchoolPage, ...] = ()
    #: Every roster school of the county (with and without a file), for the dashboard.
    compliance: tuple[Compliance, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return _status_counts(self.compliance)

    @property
    def flag_counts(self) -> dict[str, int]:
        return flag_counts(self.compliance)


@dataclass(frozen=True)
class Site:
    result: ProjectResult
    urls: Urls
    term: Term | None
    counties: tuple[CountyPage, ...]
    schools: tuple[SchoolPage, ...]

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
        return _status_counts(self.result.compliance)

    @property
    def flag_counts(self) -> dict[str, int]:
        return flag_counts(self.result.compliance)

    @property
    def attention(self) -> list[Compliance]:
        return [c for c in self.result.compliance if c.attention]

    def recent(self, limit: int = RECENT) -> list[tuple[SchoolPage, Disclosure]]:
        """Disclosures published up to today, newest first (ties by school id, then term)."""
        found = [(school, d) for school in self.schools for d in school.disclosures
                 if d.published is not None and d.published <= self.today]
        found.sort(key=lambda pair: (-(pair[1].published or date.min).toordinal(), pair[0].id, pair[1].term))
        return found[:limit]

    def hotlines(self) -> list[PublicLine]:
        return policy_hotlines(self.policy)


class Made:
    """School pages kept between the rebuilds of one preview (``mkdocs serve``): a school's page is made
    again only when its checked file (the very same result, which the check keeps while the file's
    bytes are the same), its status, county, source or last change differ, or anything site-wide
    (``scope``: the bureau's files, the oversight file, the day, the addresses). Unchanged schools keep
    their page objects, so the pages that list them can tell at once that nothing changed. State by
    nature, so a plain class."""

    __slots__ = ("scope", "pages")

    def __init__(self) -> None:
        self.scope: tuple[object, ...] | None = None
        self.pages: dict[str, tuple[tuple[object, ...], SchoolPage]] = {}


def build_site(result: ProjectResult, urls: Urls | None = None, data_prefix: str = "schools",
               updated: Mapping[str, date] | None = None, made: tuple[Made, tuple[object, ...]] | None = None
               ) -> Site:
    """The public model. Schools with errors are left out (a build refuses to run with them).

    ``data_prefix`` is the data folder's path in the repository (for source links); ``updated`` maps
    a school file's repository path to the date it last changed (from git, when available); ``made``:
    a preview's pages of its last rebuild, and what this build's are made under (see ``Made``).
    """
    urls = urls or Urls()
    policy = result.policy
    ctx = PageContext(policy, policy.focus_term(result.today), result.today, urls, result.oversight, updated or {})
    by_id = {c.school_id: c for c in result.compliance}
    county_ids = list(policy.counties) + sorted({s.county for s in result.schools} - set(policy.counties))
    names = {cid: policy.counties.get(cid, cid) for cid in county_ids}
    # Counties and the schools in each are listed in pinyin order of their names (as a Chinese index is).
    county_ids.sort(key=lambda cid: (pinyin_key(names[cid]), cid))
    order = {cid: index for index, cid in enumerate(county_ids)}
    kept, scope = made if made is not None else (Made(), None)
    last = kept.pages if scope is not None and kept.scope == scope else {}
    now: dict[str, tuple[tuple[object, ...], SchoolPage]] = {}
    for s in sorted(result.schools, key=lambda s: (order[s.county], s.id)):
        if s.errors or s.data is None:
            continue
        source = f"{data_prefix.strip('/')}/{s.county}/{PurePosixPath(s.file).name}"
        parts = (s, by_id[s.id], names[s.county], source, ctx.updated.get(source))
        was = last.get(s.file)
        same = was is not None and was[0][0] is s and was[0][1:] == parts[1:]
        now[s.file] = was if same and was is not None else (parts, school_page(s, *parts[1:4], ctx))
    kept.scope, kept.pages = scope, now
    schools = tuple(page for _, page in now.values())
    pages: dict[str, list[SchoolPage]] = {cid: [] for cid in county_ids}
    for school in schools:
        pages[school.county].append(school)
    # Parents look for a name, not an id: county lists go by name in pinyin order, then id.
    listed: dict[str, list[Compliance]] = {cid: [] for cid in county_ids}
    for entry in sorted(result.compliance, key=lambda c: (pinyin_key(c.name), c.school_id)):
        if entry.county in listed:
            listed[entry.county].append(entry)
    counties = tuple(CountyPage(cid, names[cid], urls.county(cid), tuple(pages[cid]), tuple(listed[cid]))
                     for cid in county_ids)
    return Site(result, urls, ctx.term, counties, schools)
