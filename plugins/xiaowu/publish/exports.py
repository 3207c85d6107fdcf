# Open-data exports: an API, so stable key and column order, a schema_version, and the same bytes
# whether MkDocs or `xiaowu export` writes them.
#
# Values are exported exactly as validated: amounts as decimal strings as typed, dates as ISO
# strings, phones normalised. Keys follow the JSON Schema's property order, not the file's.
from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import date
from decimal import Decimal
from typing import Any
from collections.abc import Iterable, Iterator
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from xiaowu.model import school as model
from xiaowu.read.fields import Phone
from xiaowu.read.schema import inlined_schema, load_schema
from xiaowu.pages.changes import format_amount
from xiaowu.rules.settlement import disclosure_for, fee_for
from xiaowu.pages.site import School, Site
from xiaowu.pages.urls import FIXED_PAGES, REFERENCE_PAGES

#: Bump the major part when a key or column is removed or changes meaning; the minor part when added.
SCHEMA_VERSION = "1.3"

FEE_COLUMNS = (
    "学校代号", "学校名称", "县区代号", "县区", "学期", "公示日期", "项目", "类别", "学段", "标准", "定价方式",
    "计费单位", "收费范围", "收费依据单位", "收费依据文号", "是否自愿", "收费周期", "结算方式", "备注",
    "档次", "收费依据文件名称", "标准说明",
)
COMPLIANCE_COLUMNS = ("学校代号", "学校名称", "县区代号", "县区", "学期", "状态代码", "状态", "原因", "统计日期",
                      "关注事项", "关注原因")
SETTLEMENT_COLUMNS = (
    "学校代号", "学校名称", "县区代号", "县区", "学期", "结算日期", "公示日期", "项目", "学段", "档次", "类别", "缴费人数",
    "上期结转", "收取金额", "其他收入", "支出合计", "支出明细", "退还金额", "退费人数", "每生退费", "结转下学期", "超支金额",
    "超支承担", "退费方式", "备注", "结算期限", "是否按期",
)
REFUND_COLUMNS = ("学校代号", "学校名称", "县区代号", "清退的收费", "原因", "来源", "应清退金额", "涉及学生", "责令日期", "文号",
                  "清退期限", "完成日期", "实际清退金额", "状态", "说明")
INSPECTION_COLUMNS = ("学校代号", "学校名称", "县区代号", "检查日期", "检查类别", "检查单位", "文号", "发现的问题", "整改要求",
                      "整改期限", "整改完成日期", "回头看日期", "状态", "说明")
COMPLAINT_COLUMNS = ("统计期", "统计期名称", "受理", "上期转入", "已办结", "办理中", "办结率（%）", "上年同期", "同比变化",
                     "通报文号", "公布日期", "原文网址")
COMPLAINT_ITEM_COLUMNS = ("统计期", "统计期名称", "分项", "类别", "名称", "件数")

#: The JSON Schema keyword (the policy export walks its schema), not a school file's fee items.
_ITEMS_KEYWORD = "items"
#: Spreadsheet programs run a cell starting with these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any, schema: dict[str, Any] | None = None) -> Any:
    """A JSON-ready copy of a typed value; mappings follow the schema's property order.

    >>> plain({"b": Decimal("85.50"), "a": date(2026, 8, 1)}, {"properties": {"a": {}, "b": {}}})
    {'a': '2026-08-01', 'b': '85.50'}
    """
    if isinstance(value, dict):
        props = (schema or {}).get("properties", {})
        keys = [k for k in props if k in value] + sorted(k for k in value if k not in props)
        return {k: plain(value[k], props.get(k)) for k in keys}
    if isinstance(value, list):
        items = (schema or {}).get(_ITEMS_KEYWORD)
        return [plain(v, items if isinstance(items, dict) else None) for v in value]
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Phone):
        return str(value)
    return value


def _json(value: Any) -> bytes:
    # Compact: json's C encoder only runs without indent (3x faster on 20,000 records).
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _absolute(site_url: str, url: str) -> str:
    return (site_url.rstrip("/") + "/" + quote(url, safe="/#")) if site_url else url


def school_record(site: Site, school: School, site_url: str = "") -> dict[str, Any]:
    """One school: identity, where it is published, its status, then the validated file itself."""
    status = school.compliance
    record: dict[str, Any] = {
        "id": school.id, "county": school.county, "county_name": school.county_name, "name": school.name,
        "url": _absolute(site_url, school.url), "source": school.source,
        "updated": school.updated.isoformat() if school.updated else None,
        "status": {"code": status.status, "label": status.label, "term": status.term, "reasons": list(status.reasons),
                   "flags": _flags(status)},
    }
    record.update(model.record(school.data))
    # Reviewed exceptions come from the bureau's exceptions.yml, not from the school's file.
    record["exceptions"] = [{k: e[k] for k in ("rule", "term", "item", "reason", "basis") if e[k]}
                            for e in school.exceptions]
    # So are inspections and refund orders: the bureau's oversight.yml.
    record.update(_oversight_of(site, school.id))
    return record


def _flags(status: Any) -> list[dict[str, str]]:
    return [{"code": f.code, "label": f.label, "reason": f.reason} for f in status.flags]


def _cell(value: Any) -> Any:
    if type(value) is str:  # nearly every cell: no conversion to look for
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None:
        return ""
    value = plain(value)
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _csv(rows: Iterable[Iterable[Any]], header: tuple[str, ...]) -> bytes:
    """UTF-8 with BOM and CRLF (what Excel expects for Chinese), formula-looking cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(cell) for cell in row] for row in rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def fee_rows(site: Site) -> list[list[Any]]:
    rows = []
    for school in site.schools:
        for d in school.disclosures:
            for item in d.items:
                basis = item.basis or model.Basis()
                rows.append([
                    school.id, school.name, school.county, school.county_name, d.term, d.published,
                    item.item, item.category, item.stage, item.amount, item.pricing,
                    item.unit, item.scope, basis.authority, basis.document,
                    item.voluntary, item.billing_period, item.settlement, item.notes,
                    item.tier, basis.title, item.standard,
                ])
    return rows


def compliance_rows(site: Site) -> list[list[Any]]:
    counties = site.policy.counties
    return [[c.school_id, c.name, c.county, counties.get(c.county, c.county), c.term, c.status, c.label,
             "；".join(c.reasons), site.today, "、".join(dict.fromkeys(f.label for f in c.flags)),
             "；".join(f.reason for f in c.flags)] for c in site.result.compliance]


def settlement_rows(site: Site) -> list[list[Any]]:
    """One row per settled item of every published settlement (what the school pages show)."""
    rows = []
    rules = site.policy.settlement
    for school in site.schools:
        for x in school.settlements:
            term = site.policy.terms.get(x.term)
            due = rules.due(term) if term else None
            on_time = "" if due is None or x.public_date is None else ("是" if x.public_date <= due else "否")
            disclosure = disclosure_for(school.data, x.term)
            for i in x.items:
                fee = fee_for(disclosure, i)
                rows.append([
                    school.id, school.name, school.county, school.county_name, x.term, x.settled, x.published,
                    i.item, i.stage, i.tier, fee.category if fee else "", i.students, i.carried_in, i.collected,
                    i.subsidy, i.spent, "；".join(f"{sp.purpose} {format_amount(sp.amount)}" for sp in i.spending
                                                 if sp.amount is not None),
                    i.refunded, i.refund_students, i.refund_per_student, i.carried, i.shortfall,
                    i.shortfall_covered_by, i.refund_method, i.notes, due, on_time,
                ])
    return rows


def _school_name(site: Site, school_id: str) -> tuple[str, str]:
    page = next((s for s in site.schools if s.id == school_id), None)
    if page is not None:
        return page.name, page.county
    listed = site.policy.roster.get(school_id, {})
    return listed.get("name", ""), listed.get("county", "")


def refund_rows(site: Site) -> list[list[Any]]:
    today, rows = site.today, []
    for r in site.oversight.refunds:
        name, county = _school_name(site, r.school)
        state = "已清退" if r.done_by(today) else "逾期未完成" if r.due and r.due < today else "清退中"
        rows.append([r.school, name, county, r.item, r.reason, r.source, r.amount, r.students, r.ordered, r.document,
                     r.due, r.completed, r.refunded, state, r.notes])
    return rows


def inspection_rows(site: Site) -> list[list[Any]]:
    today, rows = site.today, []
    for x in site.oversight.inspections:
        name, county = _school_name(site, x.school)
        head = [x.school, name, county, x.held, x.kind, x.organizer, x.document]
        if not x.findings:
            rows.append(head + ["", "", None, None, None, "未发现问题", x.notes])
        for f in x.findings:
            state = "已整改" if f.done_by(today) else "逾期未整改" if f.due and f.due < today else "整改中"
            rows.append(head + [f.finding, f.rectification, f.due, f.resolved, f.verified, state, f.notes])
    return rows


def complaint_rows(site: Site) -> list[list[Any]]:
    oversight, rows = site.oversight, []
    for p in oversight.ordered_periods():
        change = oversight.change(p)
        rows.append([p.period, p.label, p.received, p.carried_in, p.closed, p.in_progress, p.rate,
                     change.before if change else None, change.words if change else "", p.document, p.published,
                     p.source_url])
    return rows


def complaint_item_rows(site: Site) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for p in site.oversight.ordered_periods():
        for key, label in (("channels", "受理渠道"), ("categories", "问题类别"), ("areas", "县区或学校"), ("outcomes", "办结结果")):
            for c in getattr(p, key):
                rows.append([p.period, p.label, label, "", c.name, c.count])
                rows += [[p.period, p.label, label, c.name, part.name, part.count] for part in c.parts]
    return rows


def _oversight_of(site: Site, school_id: str) -> dict[str, list[Any]]:
    """The bureau's records about one school, exactly as validated (for the school's JSON)."""
    data = site.oversight.data or {}
    schema = inlined_schema("oversight")["properties"]
    return {key: [plain(entry, schema[key][_ITEMS_KEYWORD]) for entry in data.get(key) or []
                  if isinstance(entry, dict) and entry.get("school") == school_id]
            for key in ("inspections", "refunds")}


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def feed(site: Site, site_url: str = "") -> bytes:
    """Atom feed of the latest disclosures; entry ids are stable URNs, whatever the host."""
    recent = site.recent(limit=200)
    title = f"{site.authority}校务公开" if site.authority else "校务公开"
    updated = (recent[0][1].published or site.today) if recent else site.today
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"<id>urn:xiaowu:feed:{quote(site.authority or 'xiaowu')}</id>",
             f"<title>{escape(title)}</title>",
             "<subtitle>各校收费公示更新</subtitle>",
             f"<updated>{_timestamp(updated)}</updated>",
             f"<link rel=\"alternate\" href={quoteattr(_absolute(site_url, ''))}/>",
             f"<link rel=\"self\" href={quoteattr(_absolute(site_url, 'feed.xml'))}/>",
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
                  f"<link href={quoteattr(_absolute(site_url, school.url))}/>",
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
        lines.append(f"<url><loc>{escape(_absolute(site_url, url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


def build_exports(site: Site, site_url: str = "", extra_pages: Iterable[str] = ()) -> dict[str, bytes]:
    """Every export file: site-relative path -> bytes, all in memory (see exports() for one at a time)."""
    return dict(sorted(exports(site, site_url, extra_pages)))


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def exports(site: Site, site_url: str = "", extra_pages: Iterable[str] = ()) -> Iterator[tuple[str, bytes]]:
    """Every export file as (site-relative path, bytes), one at a time, so a province's files are
    written as they are made instead of all held at once. The sitemap needs absolute URLs, so it
    comes only with a site URL. ``extra_pages`` are the hand-written pages (``index.md`` …).

    Each school's record is encoded once: its own file is the same JSON with the schema version in
    front, and schools.json joins the same texts (byte for byte what one json.dumps would give)."""
    texts = []
    for school in site.schools:
        text = _compact(school_record(site, school, site_url))
        texts.append(text)
        yield f"data/schools/{school.id}.json", f'{{"schema_version":{_compact(SCHEMA_VERSION)},{text[1:]}\n'.encode()
    term = site.term
    head = _compact({"schema_version": SCHEMA_VERSION, "generated": site.today.isoformat(),
                     "term": term.id if term else None,
                     "policy": plain(site.result.policy_data or {}, inlined_schema("policy"))})
    tail = _compact({
        "compliance": [{"id": c.school_id, "name": c.name, "county": c.county, "term": c.term,
                        "status": c.status, "label": c.label, "reasons": list(c.reasons), "flags": _flags(c)}
                       for c in site.result.compliance],
        "oversight": plain(site.oversight.data or {}, inlined_schema("oversight")),
        "complaint_summary": [dict(zip(("period", "label", "received", "carried_in", "closed", "in_progress",
                                        "rate", "same_period_last_year", "change"), plain(row[:9])))
                              for row in complaint_rows(site)],
    })
    yield "data/schools.json", (head[:-1] + ',"schools":[' + ",".join(texts) + "]," + tail[1:] + "\n").encode()
    del texts
    yield "data/fees.csv", _csv(fee_rows(site), FEE_COLUMNS)
    yield "data/compliance.csv", _csv(compliance_rows(site), COMPLIANCE_COLUMNS)
    yield "data/settlements.csv", _csv(settlement_rows(site), SETTLEMENT_COLUMNS)
    yield "data/refunds.csv", _csv(refund_rows(site), REFUND_COLUMNS)
    yield "data/inspections.csv", _csv(inspection_rows(site), INSPECTION_COLUMNS)
    yield "data/complaints.csv", _csv(complaint_rows(site), COMPLAINT_COLUMNS)
    yield "data/complaint_items.csv", _csv(complaint_item_rows(site), COMPLAINT_ITEM_COLUMNS)
    yield "feed.xml", feed(site, site_url)
    for name in ("school", "policy", "exceptions", "oversight"):
        yield f"data/schema/{name}.schema.json", _json(load_schema(name))
    if site_url:
        map_bytes = sitemap(site, site_url, extra_pages)
        yield "sitemap.xml", map_bytes
        yield "sitemap.xml.gz", _gzip(map_bytes)
