# The feed of recent disclosures and the sitemap (with the data's own dates): how readers and search
# engines learn what changed.
from __future__ import annotations

import gzip
import io
from collections.abc import Iterable
from datetime import date
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from xiaowu.pages.site import FEED_ENTRIES, Site
from xiaowu.pages.urls import FIXED_PAGES, REFERENCE_PAGES


def absolute(site_url: str, url: str) -> str:
    """A page's address on the published site (or the relative URL when no site URL is known)."""
    return (site_url.rstrip("/") + "/" + quote(url, safe="/#")) if site_url else url


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def feed(site: Site, site_url: str = "") -> bytes:
    """Atom feed of the latest disclosures; entry ids are stable URNs, whatever the host."""
    recent = site.recent(limit=FEED_ENTRIES)
    title = f"{site.authority}校务公开" if site.authority else "校务公开"
    updated = (recent[0][1].published or site.today) if recent else site.today
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"<id>urn:xiaowu:feed:{quote(site.authority or 'xiaowu')}</id>",
             f"<title>{escape(title)}</title>",
             "<subtitle>各校收费公示更新</subtitle>",
             f"<updated>{_timestamp(updated)}</updated>",
             f"<link rel=\"alternate\" href={quoteattr(absolute(site_url, ''))}/>",
             f"<link rel=\"self\" href={quoteattr(absolute(site_url, 'feed.xml'))}/>",
             f"<author><name>{escape(site.authority or '校务公开')}</name></author>"]
    terms = site.policy.terms
    for school, d in recent:
        term_id = d.term
        term_name = terms[term_id].name if term_id in terms else term_id
        items = d.items
        summary = f"{school.county_name}{school.name}公开了{term_name}收费公示，共 {len(items)} 项收费。"
        if d is school.headline and school.changes:
            summary += "与上学期相比：" + "".join(c.text for c in school.changes)
        lines += ["<entry>",
                  f"<id>urn:xiaowu:disclosure:{school.id}:{quote(term_id)}</id>",
                  f"<title>{escape(school.name)} {escape(term_name)}收费公示</title>",
                  f"<updated>{_timestamp(d.published or site.today)}</updated>",
                  f"<link href={quoteattr(absolute(site_url, school.url))}/>",
                  f"<summary>{escape(summary)}</summary>",
                  "</entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def page_urls(site: Site, extra_pages: Iterable[str] = ()) -> list[tuple[str, date | None]]:
    """Every page of the site with its last-modified date where the data gives one."""
    urls = site.urls
    sources = sorted(set(extra_pages) | set(FIXED_PAGES) | set(REFERENCE_PAGES))
    pages: list[tuple[str, date | None]] = [(urls.of(src), None) for src in sources]
    pages += [(c.url, None) for c in site.counties]
    pages += [(urls.of(f"compliance/{c.id}.md"), None) for c in site.counties]
    for school in site.schools:
        dates = [d for d in (school.latest_published, school.updated) if d and d <= site.today]
        pages.append((school.url, max(dates) if dates else None))
    unique: dict[str, date | None] = {}
    for url, modified in pages:
        unique.setdefault(url, modified)
    return list(unique.items())


def sitemap(site: Site, site_url: str, extra_pages: Iterable[str] = ()) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, modified in page_urls(site, extra_pages):
        lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
        lines.append(f"<url><loc>{escape(absolute(site_url, url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as out:
        out.write(data)
    return buffer.getvalue()
