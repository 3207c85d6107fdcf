# The rules for running accounts as canteens publish them (伙食费 month by month): the period a
# statement covers, spending the bureau says may not be charged to the fee, the margin rate against
# the bureau's limit and against the rate the school printed, meal arithmetic, per-student accounts,
# the term's cumulative figures, and words that must not claim more than the figures say.
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from xiaowu.model.amounts import money
from xiaowu.model.canteen import percent, same_rate
from xiaowu.model.money import SettledItem, Settlement
from xiaowu.model.settling import Accounts
from xiaowu.model.terms import Term
from xiaowu.rules.base import Sink

Report = Callable[..., None]  # report(code, where, variant="", **details)

#: Words that claim a carry to the next term, and a carry-in inside a figure (checked in free text).
_NEXT_TERM = "结转下学期"
_CARRY_IN = "含上期结转"


def check_period(settlement: Settlement, term: Term | None, sink: Sink) -> None:
    """S131: a month or a date range, not both, complete, in order and inside its term."""
    at, within = settlement.path, (settlement.term, "")
    if settlement.month and (settlement.start or settlement.end):
        sink.add("S131", at + ("month",), "both", within=within)
        return
    if (settlement.start is None) != (settlement.end is None):
        sink.add("S131", at + ("start" if settlement.start is None else "end",), "half", within=within)
        return
    span = settlement.span()
    if span is None:
        return
    first, last = span
    if first > last:
        sink.add("S131", at + ("end",), "reversed", within=within, first=first, last=last)
    elif term is not None and (last < term.start or first > term.end):
        where = "month" if settlement.month else "start"
        sink.add("S131", at + (where,), within=within, first=first, last=last, term=term.name, start=term.start,
                 end=term.end)


def check_wording(settlement: Settlement, sink: Sink) -> None:
    """M819 on the statement's own notes: a month's statement never carries to the next term."""
    if settlement.notes and not settlement.term_end and _NEXT_TERM in settlement.notes:
        sink.add("M819", settlement.path + ("notes",), within=(settlement.term, ""), field="备注")


def not_chargeable(item: SettledItem, rules: Accounts | None, skip: set[int], report: Report) -> set[int]:
    """M814: spending the bureau lists as not chargeable to the fee (the lines found, by position;
    those in ``skip`` were already reported)."""
    found: set[int] = set(skip)
    if rules is None or not rules.not_chargeable:
        return found
    for index, spend in enumerate(item.spending):
        word = rules.forbids(spend.purpose)
        if word and spend.amount and index not in skip:
            report("M814", ("spending", index, "purpose"), item=item.label, purpose=spend.purpose,
                   amount=money(spend.amount), applies_to=rules.applies_to, word=word,
                   listed="、".join(rules.not_chargeable))
            found.add(index)
    return found


def check_accounts(item: SettledItem, rules: Accounts | None, term_end: bool, report: Report) -> None:
    """Everything a running account adds to a settled item (each check on whatever figures are there)."""
    _totals(item, report)
    _margin(item, rules, report)
    _meals(item, report)
    _students(item, report)
    _to_date(item, report)
    _words(item, term_end, report)


def _totals(item: SettledItem, report: Report) -> None:
    """S130: totals, or per-student rows; collected money with its spending (even none: [])."""
    if not item.has_totals and not item.per_student:
        report("S130", ("item",), item=item.label)
    elif item.collected is not None and not item.spending and not item.wrote("spending"):
        report("S130", ("collected",), "no_spending", item=item.label)


def _margin(item: SettledItem, rules: Accounts | None, report: Report) -> None:
    """M815 over the bureau's limit; M816 when the printed rate is not the computed one."""
    figures = item.margin()
    if figures is None:
        return
    result, income = figures
    rate = percent(result, income)
    details = {"item": item.label, "rate": rate, "result": money(abs(result)), "income": money(income),
               "kind": "结余" if result >= 0 else "亏损"}
    variant = "term_to_date" if item.term_to_date is not None and item.term_to_date.income else ""
    if rules is not None and rules.margin_limit is not None and abs(rate) > rules.margin_limit:
        report("M815", ("term_to_date",) if variant else ("collected",), variant, limit=rules.margin_limit, **details)
    if item.printed_margin is not None and not same_rate(item.printed_margin, result, income):
        report("M816", ("printed_margin",), printed=item.printed_margin, **details)


def _meals(item: SettledItem, report: Report) -> None:
    """M817: diners × days = meal-days; meal-days × standard = the line's amount; lines add up to collected."""
    products = []
    for meal in item.meals:
        if meal.diners is not None and meal.days is not None and meal.meal_days is not None \
                and meal.diners * meal.days != meal.meal_days:
            report("M817", meal.path + ("meal_days",), diners=meal.diners, days=meal.days,
                   product=meal.diners * meal.days, meal_days=meal.meal_days)
            return
        product = meal.product
        if product is not None and meal.amount is not None and product != meal.amount:
            report("M817", meal.path + ("amount",), "amount", meal_days=meal.counted_days,
                   standard=money(meal.standard or product), product=money(product), amount=money(meal.amount))
            return
        products.append(meal.amount if meal.amount is not None else product)
    if products and None not in products and item.collected is not None:
        whole = sum((p for p in products if p is not None), Decimal(0))
        if whole != item.collected:
            report("M817", ("collected",), "total", product=money(whole), collected=money(item.collected),
                   lines=" + ".join(money(p) for p in products if p is not None))


def _students(item: SettledItem, report: Report) -> None:
    """M818: for each student, paid − consumed = refund − owed (on the figures written)."""
    for row in item.per_student:
        refund, owed = row.refund or Decimal(0), row.owed or Decimal(0)
        no = row.no if row.no is not None else row.kind or "?"
        if refund and owed:
            report("M818", row.path + ("owed",), "both", no=no, refund=money(refund), owed=money(owed))
        elif row.paid is not None and row.consumed is not None and row.paid - row.consumed != refund - owed:
            report("M818", row.path + ("paid",), no=no, paid=money(row.paid), consumed=money(row.consumed),
                   difference=money(row.paid - row.consumed), refund=money(refund), owed=money(owed))


def _to_date(item: SettledItem, report: Report) -> None:
    """M820: the term's cumulative figures include this period's, so none is smaller."""
    to_date = item.term_to_date
    if to_date is None:
        return
    pairs = (("收取", "collected", to_date.collected, item.collected),
             ("其他收入", "subsidy", to_date.subsidy, item.subsidy),
             ("支出", "spending", to_date.spent if to_date.spending else None, item.spent if item.spending else None),
             ("退还", "refunded", to_date.refunded, item.refunded))
    for label, key, cumulative, period in pairs:
        if cumulative is not None and period is not None and cumulative < period:
            report("M820", ("term_to_date", key), item=item.label, field=label, to_date=money(cumulative),
                   period=money(period))


def _words(item: SettledItem, term_end: bool, report: Report) -> None:
    """M819: the item's notes claim no carry the figures do not show; no coverer of a deficit that isn't."""
    notes = item.notes
    if _NEXT_TERM in notes and not term_end:
        report("M819", ("notes",), field="备注")
    elif _NEXT_TERM in notes and not item.carried:
        report("M819", ("notes",), "no_carry", field="备注")
    if _CARRY_IN in notes and not item.carried_in:
        report("M819", ("notes",), "no_carry_in", field="备注")
    if item.shortfall_covered_by and not item.shortfall:
        report("M819", ("shortfall_covered_by",), "covered_without_shortfall", covered=item.shortfall_covered_by)
