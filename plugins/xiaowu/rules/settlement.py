# A school's settlements: after each term, what every 代收费, 伙食费 and 课后服务 item took in, spent,
# returned and carried over (domain.md: 据实收取、及时结算、多退少补、定期公布).
#
# The rules check that the figures add up and trace to the term's own fee notice; lateness is a status
# (compliance), never an error, so one school settling late does not stop anyone's update.
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xiaowu.read.chars import name_key
from xiaowu.rules.fees import cadence, unit_key
from xiaowu.read.loader import Path
from xiaowu.model.school import Disclosure, FeeItem, School, SettledItem, Settlement
from xiaowu.model.policy import Policy, Term

Add = Callable[..., None]  # add(code, path, within=(term, item), **details)

#: Spending a 代收费 may never carry: a margin for the school, however it is named (compared normalised).
PROFIT_WORDS = ("管理费", "手续费", "劳务费", "提成", "留成", "利润", "盈余", "盈利", "学校收入", "办公经费", "办公费",
                "回扣", "返利", "福利", "奖金", "奖励")
#: Cadences for which "standard × payers" bounds what one term may collect.
_BOUNDED = ("学期", "学年", "年", "一次性")


def money(value: Decimal) -> str:
    """Yuan as a notice writes them: two decimals, none for whole yuan.

    >>> money(Decimal("7062.3")), money(Decimal("10"))
    ('7062.30', '10')
    """
    text = f"{value:.2f}"
    return text[:-3] if text.endswith(".00") else text


def disclosure_for(school: School, term: str) -> Disclosure | None:
    return next((d for d in school.disclosures if d.term == term), None)


def _matches(fee: FeeItem, settled: SettledItem) -> bool:
    if name_key(fee.item) != name_key(settled.item):
        return False
    if settled.stage and fee.stage and settled.stage != fee.stage:
        return False
    return not (settled.tier and fee.tier and name_key(settled.tier) != name_key(fee.tier))


def fee_for(disclosure: Disclosure | None, settled: SettledItem) -> FeeItem | None:
    """The fee item of the term's notice that a settled item accounts for (the first that fits)."""
    if disclosure is None:
        return None
    return next((fee for fee in disclosure.items if _matches(fee, settled)), None)


def check_settlements(school: School, policy: Policy, add: Add, line: Callable[[Path], int]) -> None:
    """Every settlement: its term and items trace to the file's own notice, and its figures add up.
    ``line(path)`` is the line a value is on (for "第 N 行已有")."""
    seen: dict[str, Settlement] = {}
    for settlement in school.settlements:
        term = settlement.term
        if not term:
            continue
        at = settlement.path + ("term",)
        if policy.terms and term not in policy.terms:
            add("S114", at, (term, ""), value=term, allowed="、".join(policy.terms))
            continue
        if term in seen:
            add("S115", at, (term, ""), what=f"学期“{term}”的收费结算", first=line(seen[term].path + ("term",)))
            continue
        seen[term] = settlement
        _dates(settlement, policy.terms.get(term), add)
        disclosure = disclosure_for(school, term)
        if disclosure is None:
            add("M804", at, (term, ""), what=f"本文件没有 {term} 的收费公示，这份结算无法核对")
            continue
        keys: dict[tuple[str, str, str], int] = {}
        for item in settlement.items:
            if not item.item:
                continue
            key = (name_key(item.item), item.stage, name_key(item.tier))
            if key in keys:
                add("S115", item.path + ("item",), (term, item.item), what=f"结算项目“{item.label}”", first=keys[key])
                continue
            keys[key] = line(item.path + ("item",))
            fee = fee_for(disclosure, item)
            if fee is None:
                add("M804", item.path + ("item",), (term, item.item),
                    what=f"结算项目“{item.label}”不在 {term} 收费公示中")
                continue
            check_item(item, fee, policy, lambda code, where, **d: add(code, item.path + where, (term, item.item), **d))


def _dates(settlement: Settlement, term: Term | None, add: Add) -> None:
    within = (settlement.term, "")
    if term is not None and settlement.settled is not None and settlement.settled < term.start:
        add("S113", settlement.path + ("settled",), within, what=f"结算日期 {settlement.settled} 早于学期开始 {term.start}")
    if settlement.settled and settlement.published and settlement.published < settlement.settled:
        add("S113", settlement.path + ("published",), within,
            what=f"结算公示日期 {settlement.published} 早于结算日期 {settlement.settled}")


def check_item(item: SettledItem, fee: FeeItem, policy: Policy, report: Callable[..., None]) -> None:
    """The rules for one settled item, against the fee item it accounts for.
    ``report(code, where, **details)`` records a finding."""
    label = item.label
    balance = item.balance
    if balance:
        difference = (f"结余 {money(balance)} 元没有退还或结转" if balance > 0
                      else f"支出多 {money(-balance)} 元（超支请写 shortfall）")
        report("M801", ("collected",), item=label, income=money(item.income), outgo=money(item.outgo),
               difference=difference)
    if item.carried and policy.loaded and not policy.settlement.may_carry(fee.item, fee.category):
        report("M802", ("carried",), item=label, carried=money(item.carried))
    if fee.category == "代收费":
        for index, spend in enumerate(item.spending):
            key = name_key(spend.purpose)
            word = next((w for w in PROFIT_WORDS if w in key), "")
            if word and spend.amount:
                report("M803", ("spending", index, "purpose"), item=label, purpose=spend.purpose,
                       amount=money(spend.amount))
    students = item.students
    if fee.amount is not None and students and item.collected is not None and cadence(fee) in _BOUNDED \
            and "生" in unit_key(fee.unit):
        limit = fee.amount * students
        if item.collected > limit:
            report("M805", ("collected",), item=label, collected=money(item.collected), amount=money(fee.amount),
                   students=students, limit=money(limit))
    back, each = item.refund_students, item.refund_per_student
    if back is not None and students is not None and back > students:
        report("M806", ("refund_students",), item=label, what=f"退费 {back} 人，多于缴费的 {students} 人")
    if back is not None and each is not None and item.refunded is not None and each * back != item.refunded:
        report("M806", ("refund_per_student",), item=label,
               what=f"每生退费 {money(each)} 元 × 退费 {back} 人 = {money(each * back)} 元，与退还金额 {money(item.refunded)} 元不符")
    if item.shortfall and not item.shortfall_covered_by:
        report("S101", ("shortfall",), field="shortfall_covered_by", title="超支由谁承担",
               description="写了超支金额时，要写明由谁承担，如 学校公用经费补足")


@dataclass(frozen=True)
class Due:
    """One term whose fees must be settled: by when, and what the school has published so far."""

    term: Term
    due: date
    required: tuple[FeeItem, ...]
    settlement: Settlement | None
    #: Required items the settlement does not account for.
    missing: tuple[FeeItem, ...]

    @property
    def done(self) -> date | None:
        return self.settlement.public_date if self.settlement is not None else None


def dues(school: School, policy: Policy, today: date) -> list[Due]:
    """Every calendar term whose notice listed items to settle, newest first; a settlement dated
    after ``today`` does not count (a future date is never shown as done)."""
    out = []
    for term in sorted(policy.terms.values(), key=lambda t: t.start, reverse=True):
        disclosure = disclosure_for(school, term.id)
        if disclosure is None or disclosure.published is None or disclosure.published > today:
            continue
        required = tuple(f for f in disclosure.items if f.item and policy.settlement.required(f.item, f.category))
        if not required:
            continue
        settlement = next((s for s in school.settlements if s.term == term.id), None)
        if settlement is not None and (settlement.public_date is None or settlement.public_date > today):
            settlement = None
        missing = required if settlement is None else tuple(
            f for f in required if not any(_matches(f, s) for s in settlement.items))
        out.append(Due(term, policy.settlement.due(term), required, settlement, missing))
    return out


def overdue_reasons(school: School, policy: Policy, today: date) -> list[str]:
    """Why the school's settlements are late ("结算逾期"); empty when they are not.

    Any past term never settled counts; a settlement made late counts for the latest due term only
    (it is done, but the dashboard should say so this term)."""
    reasons = []
    past = [d for d in dues(school, policy, today) if d.due < today]
    for index, due in enumerate(past):
        name, deadline = due.term.name, due.due.isoformat()
        if due.settlement is None:
            reasons.append(f"{name}收费结算逾期 {(today - due.due).days} 天未公示（应在 {deadline} 前）")
            continue
        if due.missing:
            items = "、".join(dict.fromkeys(f.item for f in due.missing))
            reasons.append(f"{name}的{items}未结算（应在 {deadline} 前）")
        done = due.done
        if index == 0 and done is not None and done > due.due:
            reasons.append(f"{name}收费 {done.isoformat()} 结算公示，逾期 {(done - due.due).days} 天（应在 {deadline} 前）")
    return reasons
