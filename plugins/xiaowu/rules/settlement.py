# The rules for a school's settlements: after each term, what every 代收费, 伙食费 and 课后服务 item
# took in, spent, returned and carried over must add up and trace to the term's own fee notice.
#
# Lateness is a status (model/dues.py), never an error, so one school settling late stops nobody.
from __future__ import annotations

from collections.abc import Callable

from xiaowu.model.amounts import money
from xiaowu.model.money import SettledItem, Settlement
from xiaowu.model.policy import Policy
from xiaowu.model.terms import Term
from xiaowu.model.school import Disclosure, FeeItem, School
from xiaowu.model.units import unit_key
from xiaowu.read.chars import name_key
from xiaowu.rules.base import Sink
from xiaowu.rules.canteen import check_accounts, check_period, check_wording, not_chargeable

#: Spending a 代收费 may never carry: a margin for the school, however it is named (compared normalised).
PROFIT_WORDS = ("管理费", "手续费", "劳务费", "提成", "留成", "利润", "盈余", "盈利", "学校收入", "办公经费", "办公费",
                "回扣", "返利", "福利", "奖金", "奖励")
#: Cadences for which "standard × payers" bounds what one term may collect.
_BOUNDED = ("学期", "学年", "年", "一次性")
Report = Callable[..., None]  # report(code, where, variant="", **details)


def check_settlements(school: School, policy: Policy, sink: Sink) -> None:
    """Every settlement: its term and items trace to the file's own notice, and its figures add up."""
    seen: dict[tuple[str, str], Settlement] = {}
    for settlement in school.settlements:
        term = settlement.term
        if not term:
            continue
        at, within = settlement.path + ("term",), (term, "")
        if policy.terms and term not in policy.terms:
            sink.add("S114", at, within=within, value=term, allowed="、".join(policy.terms))
            continue
        key = (term, settlement.period_label)
        if key in seen:
            first = sink.line(seen[key].path + ("term",))
            if settlement.term_end:
                sink.add("S115", at, "settlement", within=within, term=term, first=first)
            else:
                sink.add("S115", at, "period_settlement", within=within, term=term, period=key[1], first=first)
            continue
        seen[key] = settlement
        _dates(settlement, policy.terms.get(term), sink)
        check_period(settlement, policy.terms.get(term), sink)
        check_wording(settlement, sink)
        disclosure = school.disclosure(term)
        if disclosure is None:
            sink.add("M804", at, within=within, term=term)
            continue
        _items(settlement, disclosure, policy, sink)


def _items(settlement: Settlement, disclosure: Disclosure, policy: Policy, sink: Sink) -> None:
    term = settlement.term
    keys: dict[tuple[str, str, str], int] = {}
    for item in settlement.items:
        if not item.item:
            continue
        within = (term, item.item)
        key = (name_key(item.item), item.stage, name_key(item.tier))
        if key in keys:
            sink.add("S115", item.path + ("item",), "settled_item", within=within, item=item.label, first=keys[key])
            continue
        keys[key] = sink.line(item.path + ("item",))
        fee = disclosure.fee_for(item)
        if fee is None:
            sink.add("M804", item.path + ("item",), "not_in_notice", within=within, item=item.label, term=term)
            continue

        def report(code: str, where: tuple[str, ...], variant: str = "", _item: SettledItem = item,
                   **details: object) -> None:
            sink.add(code, _item.path + where, variant, within=(term, _item.item), **details)
        check_item(item, fee, policy, report, term_end=settlement.term_end)


def _dates(settlement: Settlement, term: Term | None, sink: Sink) -> None:
    within = (settlement.term, "")
    if term is not None and settlement.settled is not None and settlement.settled < term.start:
        sink.add("S113", settlement.path + ("settled",), "settled_before_term", within=within,
                 settled=settlement.settled, start=term.start)
    if settlement.settled and settlement.published and settlement.published < settlement.settled:
        sink.add("S113", settlement.path + ("published",), "published_before_settled", within=within,
                 published=settlement.published, settled=settlement.settled)


def check_item(item: SettledItem, fee: FeeItem, policy: Policy, report: Report, term_end: bool = True) -> None:
    """The rules for one settled item, against the fee item it accounts for (``term_end``: the term's
    own settlement, not a month's). ``report(code, where, variant, **details)`` records a finding."""
    label = item.label
    balance = item.balance
    if balance and item.has_totals:
        difference = (f"结余 {money(balance)} 元没有退还或结转" if balance > 0
                      else f"支出多 {money(-balance)} 元（超支请写 shortfall）")
        report("M801", ("collected",), item=label, income=money(item.income), outgo=money(item.outgo),
               difference=difference)
    if term_end and item.carried and policy.loaded and not policy.settlement.may_carry(fee.item, fee.category):
        report("M802", ("carried",), item=label, carried=money(item.carried))
    accounts = policy.settlement.accounts_for(fee.item, fee.category)
    margins = _margins(item, report) if fee.category == "代收费" else set()
    _purposes(item, fee, policy, not_chargeable(item, accounts, margins, report), report)
    check_accounts(item, accounts, term_end, report)
    _collected(item, fee, report)
    _refunds(item, report)
    if term_end and item.shortfall and not item.shortfall_covered_by:  # a month's deficit carries on
        report("S101", ("shortfall",), field="shortfall_covered_by", title="超支由谁承担",
               description="写了超支金额时，要写明由谁承担，如 学校公用经费补足")


def _margins(item: SettledItem, report: Report) -> set[int]:
    """M803: no margin on a 代收费 (the spending lines that take one, by position)."""
    found = set()
    for index, spend in enumerate(item.spending):
        key = name_key(spend.purpose)
        word = next((w for w in PROFIT_WORDS if w in key), "")
        if word and spend.amount:
            report("M803", ("spending", index, "purpose"), item=item.label, purpose=spend.purpose,
                   amount=money(spend.amount))
            found.add(index)
    return found


def _purposes(item: SettledItem, fee: FeeItem, policy: Policy, skip: set[int], report: Report) -> None:
    """M807: money collected for someone else goes only where the bureau allows, by its allowlist
    for the item or its category (a margin already reported as M803 is not reported twice)."""
    allowed = policy.settlement.purposes_for(fee.item, fee.category)
    if allowed is None:
        return
    for index, spend in enumerate(item.spending):
        if index in skip or not spend.purpose or not spend.amount or allowed.allows(spend.purpose):
            continue
        report("M807", ("spending", index, "purpose"), item=item.label, purpose=spend.purpose,
               amount=money(spend.amount), applies_to=allowed.applies_to, allowed="、".join(allowed.allowed))


def _collected(item: SettledItem, fee: FeeItem, report: Report) -> None:
    """M805: no more collected than the standard × the payers; a per-student item collected for a
    term (or a year, or once) must say how many paid, or that bound could not be checked. Canteen
    accounts (伙食费) are the exception: real ones are kept by meals and month, not by payers."""
    if fee.amount is None or item.collected is None or fee.cadence not in _BOUNDED or "生" not in unit_key(fee.unit):
        return
    students = item.students
    if students is None and fee.category == "伙食费":
        return
    if students is None:
        report("S101", ("collected",), field="students", title="缴费人数",
               description=f"按人收取的“{fee.item}”写了收取金额，要写缴费人数，以便核对没有超过公示标准")
        return
    limit = fee.amount * students
    if item.collected > limit:
        report("M805", ("collected",), item=item.label, collected=money(item.collected), amount=money(fee.amount),
               students=students, limit=money(limit))


def _refunds(item: SettledItem, report: Report) -> None:
    """M806: refund students and per-student refunds multiply out to the amount refunded."""
    students, back, each = item.students, item.refund_students, item.refund_per_student
    if back is not None and students is not None and back > students:
        report("M806", ("refund_students",), item=item.label, back=back, students=students)
    if back is not None and each is not None and item.refunded is not None and each * back != item.refunded:
        report("M806", ("refund_per_student",), "product", item=item.label, each=money(each), back=back,
               product=money(each * back), refunded=money(item.refunded))
