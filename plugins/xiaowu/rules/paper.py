# The rules for the paper a school hands to parents (pages/paper.py): a stage's 缴费通知单 must fit one
# sheet (P540) and so must the term's 收费卡 (P541). Warnings: the page is still published, but the
# clerk learns before printing that a second sheet, which parents lose, would be needed. Only the
# newest term's notice is printed, so only it is checked: an old term's notice never nags again.
from __future__ import annotations

from datetime import date

from xiaowu.model.notice import A4_LINES, CARD_LINES, card_lines, notice_groups
from xiaowu.model.policy import Policy
from xiaowu.model.school import Disclosure, School
from xiaowu.rules.base import Sink


def _newest(school: School, policy: Policy) -> Disclosure | None:
    """The notice of the latest term (by the bureau's calendar; a term it does not list counts as oldest)."""
    def start(d: Disclosure) -> date:
        term = policy.terms.get(d.term)
        return term.start if term else date.min
    return max(school.disclosures, key=start, default=None)


def check_paper(school: School, policy: Policy, sink: Sink) -> None:
    disclosure = _newest(school, policy)
    if disclosure is None:
        return
    term = disclosure.term
    for group in notice_groups(disclosure):
        if not group.fits:
            sink.add("P540", disclosure.path + ("items",), "stage" if group.stage else "", within=(term, ""),
                     term=term, stage=group.stage, lines=group.lines, limit=A4_LINES)
    needed = card_lines(disclosure)
    if needed > CARD_LINES:
        sink.add("P541", disclosure.path + ("items",), within=(term, ""), term=term, lines=needed, limit=CARD_LINES)
