# Where every generated page lives, the way MkDocs places a ``.md`` source (with or without
# directory URLs), and the fixed generated pages.
from __future__ import annotations

import posixpath


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
    "oversight.md": "投诉举报和检查",
}
#: Generated from the schema and the rule table as Markdown (no YAML text in them).
REFERENCE_PAGES = {"format.md": "数据格式", "rules.md": "检查规则"}
