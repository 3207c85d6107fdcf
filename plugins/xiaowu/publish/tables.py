# The open-data tables, made from the site model for the CSV files; the open-data page and the build's
# audit count the rows of the large ones without making them. Columns are an API: stable order, a
# schema_version bumped when one is removed or changes meaning.
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from xiaowu.model.amounts import plain_amount
from xiaowu.model.money import SettledItem, Settlement
from xiaowu.model.oversight import FINDING_STATES, REFUND_STATES
from xiaowu.model.receptions import WEEKDAYS, clock
from xiaowu.model.school import Basis, FeeItem
from xiaowu.model.settling import SettlementRules
from xiaowu.model.terms import Term
from xiaowu.pages.site import Site

#: Bump the major part when a key or column is removed or changes meaning; the minor part when added.
SCHEMA_VERSION = "2.2"

FEE_COLUMNS = (
    "学校代号", "学校名称", "县区代号", "县区", "学期", "公示日期", "项目", "类别", "学段", "标准", "定价方式",
    "计费单位", "收费范围", "收费依据单位", "收费依据文号", "是否自愿", "收费周期", "结算方式", "备注",
    "档次", "收费依据文件名称", "标准说明", "单价", "单价计费单位", "数量",
)
COMPLIANCE_COLUMNS = ("学校代号", "学校名称", "县区代号", "县区", "学期", "状态代码", "状态", "原因", "统计日期",
                      "关注事项", "关注原因")
SETTLEMENT_COLUMNS = (
    "学校代号", "学校名称", "县区代号", "县区", "学期", "结算日期", "公示日期", "项目", "学段", "档次", "类别", "缴费人数",
    "上期结转", "收取金额", "其他收入", "支出合计", "支出明细", "退还金额", "退费人数", "每生退费", "结转下学期", "超支金额",
    "超支承担", "退费方式", "备注", "结算期限", "是否按期",
    "结算类型", "结算期间", "本学期累计收取", "本学期累计其他收入", "本学期累计支出", "本学期累计退还", "伙食费计算",
    "盈亏率（%）", "学校公示的盈亏率（%）", "盈亏率上限（%）", "每生结算行数",
)
REFUND_COLUMNS = ("学校代号", "学校名称", "县区代号", "清退的收费", "原因", "来源", "应清退金额", "涉及学生", "责令日期", "文号",
                  "清退期限", "完成日期", "实际清退金额", "状态", "说明", "通报标题", "通报日期", "发现时已退还")
INSPECTION_COLUMNS = ("学校代号", "学校名称", "县区代号", "检查日期", "检查类别", "检查单位", "文号", "发现的问题", "整改要求",
                      "整改期限", "整改完成日期", "回头看日期", "状态", "说明", "通报标题", "通报日期")
COMPLAINT_COLUMNS = ("统计期", "统计期名称", "受理", "上期转入", "已办结", "办理中", "办结率（%）", "上年同期", "同比变化",
                     "通报文号", "公布日期", "原文网址", "统计期类型", "分项只列部分")
COMPLAINT_ITEM_COLUMNS = ("统计期", "统计期名称", "分项", "类别", "名称", "件数", "占比（%）", "通报所写占比（%）")
#: The kinds of complaint period as the CSV names them.
PERIOD_KINDS = {"year": "年", "half": "半年", "quarter": "季度", "month": "月", "window": "几个月", "years": "几年"}
RECEPTION_COLUMNS = ("接待日期", "星期", "开始时间", "结束时间", "接待地点", "接访领导", "职务", "接待事项", "预约方式", "说明",
                     "是否待举行")
Row = list[Any]


def _fees(site: Site) -> Iterator[Row]:
    for school in site.schools:
        for d in school.disclosures:
            for item in d.items:
                basis = item.basis or Basis()
                yield [school.id, school.name, school.county, school.county_name, d.term, d.published,
                       item.item, item.category, item.stage, item.amount, item.pricing, item.unit, item.scope,
                       basis.authority, basis.document, item.voluntary, item.billing_period, item.settlement,
                       item.notes, item.tier, basis.title, item.standard, item.rate, item.rate_unit, item.units]


def _compliance(site: Site) -> Iterator[Row]:
    counties = site.policy.counties
    for c in site.result.compliance:
        yield [c.school_id, c.name, c.county, counties.get(c.county, c.county), c.term, c.status, c.label,
               "；".join(c.reasons), site.today, "、".join(dict.fromkeys(f.label for f in c.flags)),
               "；".join(f.reason for f in c.flags)]


def _statement_due(rules: SettlementRules, term: Term | None, x: Settlement, fee: FeeItem | None) -> date | None:
    """The deadline of one statement: the term's settlement deadline, or for a month's (or a date
    range's) statement the bureau's monthly deadline after its last month."""
    if x.term_end:
        return rules.due(term) if term else None
    span, accounts = x.span(), rules.accounts_for(fee.item, fee.category) if fee else None
    return accounts.month_due(span[1].year, span[1].month) if span and accounts else None


def _meals(item: SettledItem) -> str:
    return "；".join(f"{m.counted_days} 人日 × {plain_amount(m.standard)} = {plain_amount(m.product)}"
                     for m in item.meals if m.product is not None and m.standard is not None)


def _settlements(site: Site) -> Iterator[Row]:
    """One row per settled item of every published settlement (what the school pages show)."""
    rules = site.policy.settlement
    for school in site.schools:
        for x in school.settlements:
            term = site.policy.terms.get(x.term)
            disclosure = school.data.disclosure(x.term)
            kind = "学期末结算" if x.term_end else ("月度收支" if x.month else "期间收支")
            for i in x.items:
                fee = disclosure.fee_for(i) if disclosure is not None else None
                due = _statement_due(rules, term, x, fee)
                on_time = "" if due is None or x.public_date is None else ("是" if x.public_date <= due else "否")
                accounts = rules.accounts_for(fee.item, fee.category) if fee else None
                t = i.term_to_date
                yield [school.id, school.name, school.county, school.county_name, x.term, x.settled, x.published,
                       i.item, i.stage, i.tier, fee.category if fee else "", i.students, i.carried_in, i.collected,
                       i.subsidy, i.spent if i.has_totals else None,
                       "；".join(f"{sp.purpose} {plain_amount(sp.amount)}" for sp in i.spending if sp.amount is not None),
                       i.refunded, i.refund_students, i.refund_per_student, i.carried, i.shortfall,
                       i.shortfall_covered_by, i.refund_method, i.notes, due, on_time,
                       kind, x.period_label, t.collected if t else None, t.subsidy if t else None,
                       t.spent if t and t.spending else None, t.refunded if t else None, _meals(i), i.margin_rate,
                       i.printed_margin, accounts.margin_limit if accounts else None, len(i.per_student) or None]


def _school_name(site: Site, school_id: str, named: str = "") -> tuple[str, str]:
    """The school's name and county: from its page or the roster; a school without a file, as the
    notice named it (no county)."""
    if not school_id:
        return named, ""
    page = next((s for s in site.schools if s.id == school_id), None)
    if page is not None:
        return page.name, page.county
    listed = site.policy.roster.get(school_id)
    return (listed.name, listed.county) if listed else ("", "")


def _refunds(site: Site) -> Iterator[Row]:
    for r in site.oversight.refunds:
        name, county = _school_name(site, r.school, r.school_name)
        yield [r.school, name, county, r.item, r.reason, r.source, r.amount, r.students, r.ordered, r.document,
               r.due, r.completed, r.refunded, REFUND_STATES[r.state(site.today)], r.notes, r.notice_title,
               r.notice_date, r.on_the_spot]


def _inspections(site: Site) -> Iterator[Row]:
    for x in site.oversight.inspections:
        name, county = _school_name(site, x.school, x.school_name)
        head = [x.school, name, county, x.held, x.kind, x.organizer, x.document]
        notice = [x.notice_title, x.notice_date]
        if not x.findings:
            yield head + ["", "", None, None, None, "未发现问题", x.notes, *notice]
        for f in x.findings:
            yield head + [f.finding, f.rectification, f.due, f.resolved, f.verified, FINDING_STATES[f.state(site.today)],
                          f.notes, *notice]


def _complaints(site: Site) -> Iterator[Row]:
    oversight = site.oversight
    for p in oversight.ordered_periods():
        change = oversight.change(p)
        yield [p.period, p.label, p.received, p.carried_in, p.closed, p.in_progress, p.rate,
               change.before if change else None, change.words if change else "", p.document, p.published,
               p.source_url, PERIOD_KINDS.get(p.kind, ""), p.partial]


def _complaint_items(site: Site) -> Iterator[Row]:
    """Each count with its share: computed where its base is known, and the notice's own figure."""
    for p in site.oversight.ordered_periods():
        bases = p.bases()
        for key, label in (("channels", "受理渠道"), ("categories", "问题类别"), ("areas", "县区或学校"), ("outcomes", "办结结果")):
            for c in getattr(p, key):
                yield [p.period, p.label, label, "", c.name, c.count, p.share(c.count, bases[key]), c.share]
                yield from ([p.period, p.label, label, c.name, part.name, part.count, p.share(part.count, c.count),
                             part.share] for part in c.parts)


def _receptions(site: Site) -> Iterator[Row]:
    """Every reception day of the schedule, past ones too; 是否待举行 against the build day."""
    for r in site.oversight.receptions:
        weekday = f"星期{WEEKDAYS[r.held.weekday()]}" if r.held else ""
        yield [r.held, weekday, clock(r.start), clock(r.end), r.place, r.leader, r.position, r.topics, r.appointment,
               r.notes, "是" if r.upcoming(site.today) else "否"]


@dataclass(frozen=True)
class Table:
    """One CSV file of the open data: where it goes, its columns, its rows."""

    path: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


#: Every table, in the order the files are written: name -> (file, columns, how its rows are made).
_TABLES: dict[str, tuple[str, tuple[str, ...], Callable[[Site], Iterator[Row]]]] = {
    "fees": ("data/fees.csv", FEE_COLUMNS, _fees),
    "compliance": ("data/compliance.csv", COMPLIANCE_COLUMNS, _compliance),
    "settlements": ("data/settlements.csv", SETTLEMENT_COLUMNS, _settlements),
    "refunds": ("data/refunds.csv", REFUND_COLUMNS, _refunds),
    "inspections": ("data/inspections.csv", INSPECTION_COLUMNS, _inspections),
    "complaints": ("data/complaints.csv", COMPLAINT_COLUMNS, _complaints),
    "complaint_items": ("data/complaint_items.csv", COMPLAINT_ITEM_COLUMNS, _complaint_items),
    "receptions": ("data/receptions.csv", RECEPTION_COLUMNS, _receptions),
}

#: Each table's file in the site (the audit reads it back).
TABLE_FILES = {name: path for name, (path, _, _) in _TABLES.items()}

#: How many rows a table that grows with the schools has: one per row its maker yields (a test holds
#: each to its table's rows).
_COUNTS: dict[str, Callable[[Site], int]] = {
    "fees": lambda site: sum(len(d.items) for school in site.schools for d in school.disclosures),
    "compliance": lambda site: len(site.result.compliance),
    "settlements": lambda site: sum(len(x.items) for school in site.schools for x in school.settlements),
}


class Tables:
    """Every table of one build. A table that grows with the schools (``_COUNTS``) is counted without
    making its rows, and its rows are made afresh each time they are asked for (the CSV file is written
    as they are made, so they are never all held); the other tables are made the first time and then
    kept (their CSV file and the open-data page's counts use the same rows, and schools.json the
    complaints'). A cache, so a plain class, not a record."""

    __slots__ = ("site", "made")

    def __init__(self, site: Site) -> None:
        self.site = site
        self.made: dict[str, Table] = {}

    def table(self, name: str) -> Table:
        """The table with all its rows (kept, unless it grows with the schools)."""
        table = self.made.get(name)
        if table is None:
            path, columns, rows = _TABLES[name]
            table = Table(path, columns, tuple(rows(self.site)))
            if name not in _COUNTS:
                self.made[name] = table
        return table

    def count(self, name: str) -> int:
        """How many rows the table has, without making the rows of the tables that grow with the
        schools (the open-data page is served before the files are written, behind a preview)."""
        counted = _COUNTS.get(name)
        return counted(self.site) if counted is not None else len(self.table(name).rows)

    def files(self) -> Iterator[tuple[str, tuple[str, ...], Iterable[Row]]]:
        """Every table's file, columns and rows, in the order the files are written; the rows of a
        table that grows with the schools as they are made."""
        for name, (path, columns, rows) in _TABLES.items():
            yield path, columns, (rows(self.site) if name in _COUNTS else self.table(name).rows)


def data_page(tables: Tables) -> dict[str, Any]:
    """What the open-data page says of the files: their columns and how many rows each has."""
    site = tables.site
    return {"schema_version": SCHEMA_VERSION, "fee_columns": FEE_COLUMNS, "compliance_columns": COMPLIANCE_COLUMNS,
            "settlement_columns": SETTLEMENT_COLUMNS, "refund_columns": REFUND_COLUMNS,
            "inspection_columns": INSPECTION_COLUMNS, "complaint_columns": COMPLAINT_COLUMNS,
            "complaint_item_columns": COMPLAINT_ITEM_COLUMNS, "reception_columns": RECEPTION_COLUMNS,
            "counts": {"schools": len(site.schools), **{name: tables.count(name) for name in
                                                        ("fees", "compliance", "settlements", "refunds", "inspections",
                                                         "complaints", "receptions")}}}
