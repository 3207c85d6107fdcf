# The paper a school hands to parents, as generated pages next to the school's page: a 缴费通知单 per
# stage for the term the page leads with (A5 when it fits, else A4), and the blank 收费卡 of that term
# (one A4 sheet). Both come from the same notice as the school page and carry no personal data: the
# card's blanks are for the parent's pen. The complaint section adds the bureau's next reception day.
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from xiaowu.model.notice import NoticeGroup, notice_groups
from xiaowu.model.receptions import next_reception
from xiaowu.model.school import Disclosure, FeeItem
from xiaowu.pages.filters import ENV
from xiaowu.pages.school import SchoolPage
from xiaowu.pages.urls import Urls

#: Blank rows the card keeps for the term-end refunds or top-ups (多退少补) of items settled at cost.
CARD_SETTLE_ROWS = 3


@dataclass(frozen=True)
class Paper:
    """One printable page: ``kind`` is "notice" (one stage's 缴费通知单) or "card" (the 收费卡)."""

    kind: str
    school: SchoolPage
    disclosure: Disclosure
    src: str
    url: str
    items: tuple[FeeItem, ...]
    #: The stage a notice is for ("" = the whole school; always "" on the card).
    stage: str = ""
    sheet: str = "A4"

    @property
    def name(self) -> str:
        """What the paper is called on the school page's list of papers."""
        if self.kind == "card":
            return "收费卡"
        return f"缴费通知单（{self.stage}）" if self.stage else "缴费通知单"

    def meta(self, term_name: str) -> tuple[str, str]:
        """The page's title and description."""
        return self.title(term_name), self.description(term_name)

    def title(self, term_name: str) -> str:
        return f"{self.school.name} {term_name}{self.name}"

    def description(self, term_name: str) -> str:
        if self.kind == "card":
            return f"{self.school.name}{term_name}收费卡（空白，A4 一页）：逐项登记缴费金额、日期、票据号码和签字。"
        whom = f"{self.stage}各年级" if self.stage else "各年级"
        return (f"{self.school.name}{term_name}致{whom}家长的缴费通知单（{self.sheet} 一页）："
                f"收费项目、标准、依据和投诉举报电话。")


def _src(school: SchoolPage, name: str) -> str:
    return f"schools/{school.county}/{school.id}/{name}.md"


def papers_of(school: SchoolPage, urls: Urls) -> tuple[Paper, ...]:
    """The school's papers for the notice its page leads with (none without one, or without items).

    The addresses do not name the term, so a QR code or a link to "the notice for 小学" keeps working
    from one term to the next; the stage is numbered in school order (notice-1 = the youngest stage)."""
    disclosure = school.headline
    if disclosure is None:
        return ()
    groups: tuple[NoticeGroup, ...] = notice_groups(disclosure)
    if not groups:
        return ()
    found = []
    for number, group in enumerate(groups, 1):
        src = _src(school, f"notice-{number}")
        found.append(Paper("notice", school, disclosure, src, urls.of(src), group.items, group.stage, group.sheet))
    card = _src(school, "card")
    found.append(Paper("card", school, disclosure, card, urls.of(card), disclosure.items))
    return tuple(found)


def render_paper(paper: Paper, context: dict[str, Any], qr: Callable[[SchoolPage], Markup],
                 absolute: Callable[[str], str]) -> str:
    """The paper's HTML. ``context`` is the renderer's (the site, links, term names); ``qr`` gives a
    school page's QR code and ``absolute`` its published address (both empty when the site's address is
    not configured), printed so a parent can get back to the school's page."""
    site = context["site"]
    template = "paper_card.html" if paper.kind == "card" else "paper_notice.html"
    return ENV.get_template(template).render(context, paper=paper, s=paper.school, d=paper.disclosure,
                                             qr=qr(paper.school), page_url=absolute(paper.school.url),
                                             settle_rows=CARD_SETTLE_ROWS,
                                             reception=next_reception(site.oversight.receptions, site.today))


#: A preview's papers kept between rebuilds: by page model, with the addresses they were made under.
PapersCache = dict[int, tuple[SchoolPage, Urls, tuple[Paper, ...]]]


def papers_by_school(schools: Iterable[SchoolPage], urls: Urls, cache: PapersCache | None = None
                     ) -> dict[str, tuple[Paper, ...]]:
    """Each school's papers by school id. With a cache (a preview's), those of the very same page
    model under the same addresses are reused, and the cache is left holding only these schools."""
    if cache is None:
        return {s.id: papers_of(s, urls) for s in schools}
    found: PapersCache = {}
    for school in schools:
        kept = cache.get(id(school))
        found[id(school)] = kept if kept is not None and kept[0] is school \
            and kept[1].directory_urls == urls.directory_urls \
            else (school, urls, papers_of(school, urls))
    cache.clear()
    cache.update(found)
    return {school.id: papers for school, _, papers in found.values()}
