# Time-dependent compliance status per school: published on time, pending, late, overdue, missing.
#
# These are never build errors (one late school must not stop every other school's update); they
# are computed against an injectable "today" so results are reproducible.
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xiaowu.check.file import SchoolResult
from xiaowu.model.amounts import money
from xiaowu.model.dues import margin_reasons, monthly_reasons, overdue_reasons
from xiaowu.model.oversight import Finding, Inspection, Oversight, Refund
from xiaowu.model.policy import Policy, RosterEntry
from xiaowu.model.terms import Term
from xiaowu.model.school import Disclosure, School

#: status code -> public label (zh-Hans). Order is the dashboard's order.
STATUSES = {
    "on_time": "已按时公开",
    "late": "逾期公开",
    "pending": "待公开",
    "expired": "公示已过期",
    "overdue": "逾期未公开",
    "problems": "有问题",
    "missing": "未提交",
}


#: What else needs attention, beside the disclosure status: the money after the notice. Like the
#: statuses, these are never build errors. code -> public label; the dashboard's order.
FLAGS = {
    "settlement_overdue": "结算逾期",
    "refund_overdue": "清退逾期",
    "rectification_overdue": "整改逾期",
    "monthly_overdue": "月度收支逾期",
    "margin_exceeded": "盈亏超限",
}


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str

    @property
    def label(self) -> str:
        return FLAGS[self.code]


@dataclass(frozen=True)
class Compliance:
    school_id: str
    county: str
    name: str
    status: str
    term: str
    reasons: tuple[str, ...]
    flags: tuple[Flag, ...] = ()

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def attention(self) -> bool:
        """Whether the dashboard lists the school under "需要关注的学校"."""
        return self.status != "on_time" or bool(self.flags)


def flag_counts(entries: Iterable[Compliance]) -> dict[str, int]:
    """Schools with each flag (a school with two late refunds counts once)."""
    counts = dict.fromkeys(FLAGS, 0)
    for entry in entries:
        for code in {f.code for f in entry.flags}:
            counts[code] += 1
    return counts


def flags_for(school: School | None, school_id: str, policy: Policy, oversight: Oversight, today: date) -> tuple[Flag, ...]:
    """Settlements past the policy's deadline (the term's and the monthly statements'), margins over the
    bureau's limit, ordered refunds and rectifications past their deadlines."""
    flags = [Flag("settlement_overdue", r) for r in (overdue_reasons(school, policy, today) if school else [])]
    if school is not None:
        flags += [Flag("monthly_overdue", r) for r in monthly_reasons(school, policy, today)]
        flags += [Flag("margin_exceeded", r) for r in margin_reasons(school, policy, today)]
    inspections, refunds = oversight.for_school(school_id)
    flags += [Flag("refund_overdue", _late_refund(r, today)) for r in refunds
              if r.state(today) == "late" and r.amount is not None]
    flags += [Flag("rectification_overdue", _late_fix(x, f, today)) for x in inspections for f in x.findings
              if f.state(today) == "late"]
    return tuple(flags)


def _late_refund(refund: Refund, today: date) -> str:
    due = refund.due or today
    return (f"“{refund.item}”应清退 {money(refund.amount or Decimal(0))} 元，逾期 {refund.days_late(today)} 天未完成"
            f"（期限 {due.isoformat()}" + (f"，{refund.document}）" if refund.document else "）"))


def _late_fix(inspection: Inspection, finding: Finding, today: date) -> str:
    due = finding.due or today
    held = inspection.held.isoformat() + " " if inspection.held else ""
    return (f"{held}{inspection.kind}发现的问题“{_short(finding.finding)}”整改逾期 {finding.days_late(today)} 天"
            f"（期限 {due.isoformat()}）")


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def school_status(result: SchoolResult, policy: Policy, today: date) -> Compliance:
    """Whether a checked school file published this term's notice on time (never an error)."""
    term = policy.focus_term(today)
    term_id = term.id if term else ""
    school_id, county, name, data = result.id, result.county, result.name, result.data
    if data is None or result.errors:
        return Compliance(school_id, county, name, "problems", term_id, (f"资料有 {result.errors} 处错误，未能公开",))
    if term is None:
        return Compliance(school_id, county, name, "pending", "", ("本局尚未设置学期安排",))
    current = data.published_disclosure(term.id, today)
    if current is None or current.published is None:
        if today <= term.publish_by:
            return Compliance(school_id, county, name, "pending", term_id,
                              (f"{term.name}收费公示截止日期为 {term.publish_by.isoformat()}",))
        days = (today - term.publish_by).days
        return Compliance(school_id, county, name, "overdue", term_id,
                          (f"{term.name}收费公示逾期 {days} 天未公开（截止日期 {term.publish_by.isoformat()}）",))
    until = current.valid_until
    if until is not None and until < today:
        return Compliance(school_id, county, name, "expired", term_id,
                          (f"本学期收费公示有效期至 {until.isoformat()}，已过期",))
    return Compliance(school_id, county, name, *_timeliness(current, term))


def _timeliness(current: Disclosure, term: Term) -> tuple[str, str, tuple[str, ...]]:
    published = current.published or term.publish_by
    reasons = []
    if published > term.publish_by:
        days = (published - term.publish_by).days
        reasons.append(f"{published.isoformat()} 公示，逾期 {days} 天（截止日期 {term.publish_by.isoformat()}）")
    if current.valid_from is not None and published > current.valid_from:
        reasons.append(f"公示日期晚于开始收费日期 {current.valid_from.isoformat()}（应先公示后收费）")
    if reasons:
        return "late", term.id, tuple(reasons)
    return "on_time", term.id, (f"{published.isoformat()} 公示（截止日期 {term.publish_by.isoformat()}）",)


def missing_status(entry: RosterEntry, policy: Policy, today: date) -> Compliance:
    term = policy.focus_term(today)
    return Compliance(entry.id, entry.county, entry.name, "missing", term.id if term else "", ("没有提交资料文件",))
