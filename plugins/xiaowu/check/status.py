# Time-dependent compliance status per school: published on time, pending, late, overdue, missing.
#
# These are never build errors (one late school must not stop every other school's update); they
# are computed against an injectable "today" so results are reproducible.
from __future__ import annotations

import os
from dataclasses import dataclass
from collections.abc import Iterable
from datetime import date, datetime, UTC
from xiaowu.model.school import Disclosure, School
from xiaowu.model.oversight import Oversight, overdue
from xiaowu.model.policy import Policy, Term
from xiaowu.rules.settlement import overdue_reasons

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
    """Settlements past the policy's deadline, ordered refunds and rectifications past theirs."""
    flags = [Flag("settlement_overdue", r) for r in (overdue_reasons(school, policy, today) if school else [])]
    refunds, fixes = overdue(oversight, school_id, today)
    flags += [Flag("refund_overdue", r) for r in refunds] + [Flag("rectification_overdue", r) for r in fixes]
    return tuple(flags)


class BadDate(ValueError):
    """A date from the command line or the environment that cannot be used; the message says why."""


#: SOURCE_DATE_EPOCH beyond this (year 9999) cannot be a real build date.
_MAX_EPOCH = 253402214400


def resolve_today(value: str | None = None, environ: dict[str, str] | None = None) -> date:
    """``--today`` wins, then SOURCE_DATE_EPOCH (reproducible builds), then the clock.

    A value that is set but unusable is an error (BadDate, one clear Chinese message), never
    silently replaced by the clock: a build dated wrongly would publish wrong statuses.

    >>> resolve_today("2026-09-01")
    datetime.date(2026, 9, 1)
    >>> resolve_today(None, {"SOURCE_DATE_EPOCH": "1788220800"})
    datetime.date(2026, 9, 1)
    >>> resolve_today(None, {"SOURCE_DATE_EPOCH": "abc"})
    Traceback (most recent call last):
    ...
    xiaowu.check.status.BadDate: 环境变量 SOURCE_DATE_EPOCH 应为从 1970-01-01 起的秒数（整数），这里是“abc”
    """
    if value:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise BadDate(f"--today 应写成 2026-09-01 这样的日期，这里是“{value[:40]}”") from None
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return date.today()
    text = epoch.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 15 or int(text) > _MAX_EPOCH:
        raise BadDate(f"环境变量 SOURCE_DATE_EPOCH 应为从 1970-01-01 起的秒数（整数），这里是“{text[:40]}”")
    return datetime.fromtimestamp(int(text), tz=UTC).date()


def focus_term(policy: Policy, today: date) -> Term | None:
    """The term parents care about now: the first one not yet over (ongoing or upcoming)."""
    terms = sorted(policy.terms.values(), key=lambda t: t.start)
    for term in terms:
        if term.end >= today:
            return term
    return terms[-1] if terms else None


def current_disclosure(school: School, term: Term | None, today: date) -> Disclosure | None:
    """This term's disclosure, if it is published by ``today`` (one meaning, used everywhere)."""
    if term is None:
        return None
    return next((d for d in school.disclosures
                 if d.term == term.id and d.published is not None and d.published <= today), None)


def school_status(school_id: str, county: str, name: str, data: School | None, errors: int,
                  policy: Policy, today: date) -> Compliance:
    term = focus_term(policy, today)
    term_id = term.id if term else ""
    if data is None or errors:
        return Compliance(school_id, county, name, "problems", term_id, (f"资料有 {errors} 处错误，未能公开",))
    if term is None:
        return Compliance(school_id, county, name, "pending", "", ("本局尚未设置学期安排",))
    current = current_disclosure(data, term, today)
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
    published = current.published
    reasons = []
    if published > term.publish_by:
        days = (published - term.publish_by).days
        reasons.append(f"{published.isoformat()} 公示，逾期 {days} 天（截止日期 {term.publish_by.isoformat()}）")
    if current.valid_from is not None and published > current.valid_from:
        reasons.append(f"公示日期晚于开始收费日期 {current.valid_from.isoformat()}（应先公示后收费）")
    if reasons:
        return Compliance(school_id, county, name, "late", term_id, tuple(reasons))
    return Compliance(school_id, county, name, "on_time", term_id,
                      (f"{published.isoformat()} 公示（截止日期 {term.publish_by.isoformat()}）",))


def missing_status(school_id: str, county: str, name: str, policy: Policy, today: date) -> Compliance:
    term = focus_term(policy, today)
    return Compliance(school_id, county, name, "missing", term.id if term else "", ("没有提交资料文件",))
