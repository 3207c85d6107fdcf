# HTML for the generated pages, from the site model, through our own autoescaping Jinja2 environment
# (filters.py). Nothing from YAML ever passes through Markdown: the plugin gives MkDocs an empty page
# and swaps in this HTML after conversion.
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from xiaowu.model.school import Disclosure
from xiaowu.pages.oversight_view import oversight_context
from xiaowu.pages.filters import ENV, after_words, display, ordered_stages
from xiaowu.pages.paper import Paper, PapersCache, papers_by_school, render_paper
from xiaowu.pages.qr import qr_code, qr_codes, titled
from xiaowu.pages.school import SchoolPage
from xiaowu.pages.site import CountyPage, Site
from xiaowu.pages.urls import FIXED_PAGES, county_src, school_src
from xiaowu.pages.words import group_amounts, keep_words, whole_pattern

#: Markers a hand-written page may contain (``<!-- xiaowu:find -->``); each becomes a generated block.
HOME_BLOCKS = ("find", "summary", "recent", "hotlines", "errors")
_MARKER = re.compile(r"<!--\s*xiaowu:([a-z]+)\s*-->")
#: A hand-written page's notice that the plugin did not build it (docs/index.md): removed here, so it
#: stays only on a page built without us (another engine, a mkdocs.yml without the plugin).
_UNCHECKED = re.compile(r'<div class="xiaowu-unchecked"[^>]*>.*?</div>\s*', re.S)
_TEMPLATES = {"schools/index.md": "schools.html", "compliance.md": "compliance.html", "catalog.md": "catalog.html",
              "data.md": "data.html", "oversight.md": "oversight.html"}


@dataclass(frozen=True)
class Rendered:
    html: str
    #: (level, anchor id, heading text) for the page's table of contents; headings are fixed text.
    toc: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class Meta:
    """Plain (unescaped) title and description of a generated page."""

    title: str
    description: str


class Renderer:
    """Renders every generated page of one site; ``here`` is the page's URL, for relative links.

    ``extra`` gives more context for fixed pages, by source, when the page is rendered (the open-data
    page gets the export tables' columns and row counts from the publishing step, which builds the
    rows once: so they are made only when that page is rendered, as late as the build allows)."""

    def __init__(self, site: Site, source_url: str = "", site_url: str = "",
                 qr_cache: dict[str, str] | None = None,
                 extra: Mapping[str, Callable[[], Mapping[str, Any]]] | None = None, *,
                 papers_cache: PapersCache | None = None) -> None:
        self.site = site
        #: URL -> its untitled SVG (pages.qr.qr_code: ASCII); pass the same dict again to reuse codes across
        #: builds (mkdocs serve).
        self.qr_cache: dict[str, str] = {} if qr_cache is None else qr_cache
        #: The published address; school pages get a QR code of their own absolute URL when it is known.
        self.site_url = site_url
        #: Template for a link to a school file in the repository ({path} is replaced), or "".
        self.source_url = source_url
        self.extra = extra or {}
        self.by_src: dict[str, SchoolPage] = {school_src(s.county, s.id): s for s in site.schools}
        self.by_id: dict[str, SchoolPage] = {s.id: s for s in site.schools}
        self.counties: dict[str, CountyPage] = {county_src(c.id): c for c in site.counties}
        self.compliance_counties: dict[str, CountyPage] = {f"compliance/{c.id}.md": c for c in site.counties}
        #: The printable notices and fee cards, next to each school's page (pages/paper.py), by school id and by source.
        self.school_papers: dict[str, tuple[Paper, ...]] = papers_by_school(site.schools, site.urls, papers_cache)
        self.papers: dict[str, Paper] = {p.src: p for found in self.school_papers.values() for p in found}
        #: What a table cell never breaks inside, beside dates and amounts: the county names.
        self.whole = whole_pattern(c.name for c in site.counties)

    # -- what exists ----------------------------------------------------------------------------
    def sources(self) -> list[str]:
        """Every generated page, in a stable order: the pages that need more context (``extra``) last,
        since MkDocs renders pages in this order and that context is made when its page is rendered."""
        early = [src for src in FIXED_PAGES if src not in self.extra]
        late = [src for src in FIXED_PAGES if src in self.extra]
        return [*early, *self.counties, *self.compliance_counties, *self.by_src, *self.papers, *late]

    def many(self, src: str) -> bool:
        """Whether ``src`` is one of the many pages of a kind (a school's page or paper, a county's
        pages): what the plugin can write from a shell of the theme."""
        return any(src in pages for pages in (self.by_src, self.papers, self.counties, self.compliance_counties))

    def shows(self, src: str) -> SchoolPage | None:
        """The school a school's page or paper shows (None for any other page)."""
        paper = self.papers.get(src)
        return paper.school if paper is not None else self.by_src.get(src)

    def generates(self, src: str) -> bool:
        return any(src in pages for pages in (FIXED_PAGES, self.counties, self.compliance_counties, self.by_src, self.papers))

    def fill_markers(self, html: str, here: str) -> tuple[str, list[str]]:
        """A hand-written page with its ``<!-- xiaowu:find -->`` markers replaced by live blocks and its
        "not built by the plugin" notice removed; also the names of markers that are not known."""
        unknown: list[str] = []

        def block(match: re.Match[str]) -> str:
            if match.group(1) not in HOME_BLOCKS:
                unknown.append(match.group(1))
                return ""
            return self.home_block(match.group(1), here)
        return _MARKER.sub(block, _UNCHECKED.sub("", html, count=1)), unknown

    def page_meta(self, src: str) -> dict[str, Any]:
        """What MkDocs' page.meta gets for a generated page. Material prints title and description
        unescaped, so they are HTML already; full width (no table-of-contents column)."""
        meta = self.meta(src)
        return {"title": str(escape(meta.title)), "description": str(escape(meta.description)), "hide": ["toc"]}

    def meta(self, src: str) -> Meta:
        site = self.site
        term = site.term.name if site.term else ""
        if src in self.by_src:
            school = self.by_src[src]
            title = f"{school.name} {self._term_name(school.headline)}收费公示" if school.headline else school.name
            return Meta(title, group_amounts(self._share_text(school)))
        if src in self.papers:
            return Meta(*self.papers[src].meta(self._term_name(self.papers[src].disclosure)))
        if src in self.counties:
            county = self.counties[src]
            return Meta(f"{county.name}学校名录",
                        f"{county.name} {len(county.schools)} 所学校的{after_words(term)}收费公示和投诉举报电话。")
        if src in self.compliance_counties:
            county = self.compliance_counties[src]
            return Meta(f"{county.name}公开情况", f"{county.name}各校{after_words(term)}收费公示的公开情况和原因。")
        title = FIXED_PAGES[src]
        return Meta(title, f"{site.authority}{title}。")

    # -- rendering ------------------------------------------------------------------------------
    def _context(self, here: str) -> dict[str, Any]:
        link: Callable[[str], str] = lambda target: self.site.urls.rel(here, target)  # noqa: E731
        return {"site": self.site, "here": here, "link": link, "term_name": self._term_name,
                "school_of": self.by_id.get}

    def render(self, src: str, here: str) -> Rendered:
        """A generated page's HTML, its table cells breaking only between words (words.py)."""
        rendered = self._render(src, here)
        return Rendered(keep_words(rendered.html, self.whole), rendered.toc)

    def _render(self, src: str, here: str) -> Rendered:
        context = self._context(here)
        if src in self.by_src:
            school = self.by_src[src]
            context.update(s=school, source_url=self._source_url(school), json_url=f"data/schools/{school.id}.json",
                           page_url=self.absolute(school.url), qr=self._qr(school), summary=self.search_summary(school),
                           papers=self.school_papers[school.id])
            return Rendered(ENV.get_template("school.html").render(context), self.toc(school))
        if src in self.papers:
            return Rendered(render_paper(self.papers[src], context, self._qr, self.absolute))
        if src in self.counties:
            return Rendered(ENV.get_template("county.html").render(context, c=self.counties[src]))
        if src in self.compliance_counties:
            return Rendered(ENV.get_template("compliance_county.html").render(context, c=self.compliance_counties[src]))
        if src not in _TEMPLATES:
            raise KeyError(src)
        if src in self.extra:
            context.update(self.extra[src]())
        if src == "catalog.md":
            rules = self.site.policy.settlement
            context.update(settlement_items=list(rules.item_names), carry_over=list(rules.carry_names),
                           purposes=rules.purposes)
        if src == "oversight.md":
            context.update(oversight_context(self.site))
        return Rendered(ENV.get_template(_TEMPLATES[src]).render(context))

    def home_block(self, name: str, here: str) -> str:
        """One live block for a hand-written page (the home page's markers)."""
        return ENV.get_template(f"home_{name}.html").render(self._context(here))

    def search_summary(self, school: SchoolPage) -> str:
        """What a search result shows under the school's name: fields apart, Chinese punctuation."""
        stages = "、".join(ordered_stages(list(school.profile.stages)))
        # The county unless the name says it (metadata is not searched: pages/searchwords.py); fee items
        # by label, so two 住宿费 rows read 住宿费（初中） and 住宿费（高中，公寓化管理宿舍）.
        county = "" if school.county_name in school.name else f"{school.county_name}，"
        parts = [f"{county}{school.profile.ownership}{stages}"]
        if school.headline:
            items = school.headline.items
            fees = "；".join(f"{i.label} {i.standard}" for i in items[:4])
            more = f"等 {len(items)} 项" if len(items) > 4 else ""
            parts.append(f"{self._term_name(school.headline)}收费：{fees or '无收费项目'}{more}")
        return "。".join(p for p in parts if p) + "。"

    def problems(self, problems: list[Any]) -> str:
        """The clerk's preview: every finding that stops publishing, at the top of every page."""
        return ENV.get_template("problems.html").render(problems=problems)

    def _share_text(self, school: SchoolPage) -> str:
        """What a chat app shows under the link: term, the first fees with amounts, the complaint line."""
        phone = f"投诉举报电话 {school.hotlines[0].number}。" if school.hotlines else ""
        if not school.headline:
            return f"{school.name}（{school.county_name}）暂无收费公示。{phone}"
        items = school.headline.items
        shown = "、".join(f"{i.item} {i.standard}" for i in items[:3])
        more = f"等 {len(items)} 项" if len(items) > 3 else f"共 {len(items)} 项"
        return (f"{school.name}（{school.county_name}）{self._term_name(school.headline)}收费公示：{shown or '无收费项目'}"
                f"{more if items else ''}。{phone}")

    def absolute(self, url: str) -> str:
        return self.site_url.rstrip("/") + "/" + url if self.site_url else ""

    def _qr(self, school: SchoolPage) -> Markup:
        url = self.absolute(school.url)
        if not url:
            return Markup("")
        if url not in self.qr_cache:
            self.qr_cache[url] = qr_code(url)
        # The SVG holds only segno's path data and our fixed title: no text from YAML.
        return Markup(titled(self.qr_cache[url]))

    def prepare_qr(self, jobs: int | None = None) -> None:
        """Make every school's QR code up front, on all cores when there are many (the costliest
        part of rendering a school page); codes already in ``qr_cache`` are kept."""
        urls = [u for u in (self.absolute(s.url) for s in self.site.schools) if u and u not in self.qr_cache]
        self.qr_cache.update(qr_codes(urls, jobs))

    def _term_name(self, disclosure_or_id: Any) -> str:
        term_id = disclosure_or_id.term if isinstance(disclosure_or_id, Disclosure) else disclosure_or_id
        term = self.site.policy.terms.get(str(term_id))
        return term.name if term else display(term_id)

    def _source_url(self, school: SchoolPage) -> str:
        return self.source_url.replace("{path}", school.source) if self.source_url else ""

    @staticmethod
    def toc(school: SchoolPage) -> tuple[tuple[int, str, str], ...]:
        toc = [(2, "fees", "收费公示")]
        if school.previous is not None:
            toc.append((2, "changes", "与上学期相比"))
        toc += [(2, "reductions", "减免政策"), (2, "hotlines", "投诉举报电话")]
        if school.settlements or school.settlement_due:
            toc.insert(2 if school.previous is not None else 1, (2, "settlements", "收费结算"))
        if school.exceptions:
            toc.append((2, "exceptions", "经审核的例外"))
        if school.refunds or school.inspections:
            toc.append((2, "oversight", "检查和清退"))
        toc += [(2, "evaluations", "行风评议"), (2, "archive", "往期公示"), (2, "profile", "学校信息"),
                (2, "source", "资料来源")]
        return tuple(toc)
