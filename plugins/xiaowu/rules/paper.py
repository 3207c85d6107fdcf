# The rules for the paper a school hands to parents (pages/paper.py): a stage's 缴费通知单 must fit one
# sheet (P540) and so must the term's 收费卡 (P541). Warnings: the page is still published, but the
# clerk learns before printing that a second sheet, which parents lose, would be needed.
from __future__ import annotations

from xiaowu.model.notice import A4_LINES, CARD_LINES, card_lines, notice_groups
from xiaowu.model.school import School
from xiaowu.rules.base import Sink


def check_paper(school: School, sink: Sink) -> None:
    for disclosure in school.disclosures:
        term = disclosure.term
        for group in notice_groups(disclosure):
            if not group.fits:
                sink.add("P540", disclosure.path + ("items",), "stage" if group.stage else "", within=(term, ""),
                         term=term, stage=group.stage, lines=group.lines, limit=A4_LINES)
        needed = card_lines(disclosure)
        if needed > CARD_LINES:
            sink.add("P541", disclosure.path + ("items",), within=(term, ""), term=term, lines=needed, limit=CARD_LINES)
