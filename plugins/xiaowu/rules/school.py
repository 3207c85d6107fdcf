# The rules for one school file: its fee notices (each item through fees.py), complaint channels and
# lines, evaluations and settlements; the bureau's reviewed exceptions applied last (domain.md).
#
# Reads only the typed model; every value may be empty when the schema already reported it, so each
# rule checks only what it can and never repeats a schema error.
from __future__ import annotations

from xiaowu.model.policy import Policy
from xiaowu.model.school import Disclosure, FeeItem, School
from xiaowu.read.chars import name_key
from xiaowu.read.tree import Loaded
from xiaowu.rules.base import Sink
from xiaowu.rules.evaluations import check_evaluations
from xiaowu.rules.exceptions import SchoolFindings, apply_exceptions
from xiaowu.rules.fees import FeeContext, check_fee, placeholder
from xiaowu.rules.hotlines import check_hotlines, written_channel
from xiaowu.rules.settlement import check_settlements
from xiaowu.rules.paper import check_paper


def check_school(school: School, loaded: Loaded, file: str, policy: Policy) -> SchoolFindings:
    """Domain rules for one school's model; the bureau's reviewed exceptions applied last."""
    sink = Sink(file, loaded)
    check_disclosures(school, policy, sink)
    check_hotlines(school, policy, sink)
    check_evaluations(school, sink)
    check_settlements(school, policy, sink)
    check_paper(school, policy, sink)
    return apply_exceptions(sink.found, policy.exceptions.get(school.id, ()))


def check_disclosures(school: School, policy: Policy, sink: Sink) -> None:
    profile = school.profile
    context = FeeContext(policy, profile.ownership, frozenset(profile.stages), profile.boarding, school.county)
    seen_terms: dict[str, int] = {}
    for disclosure in school.disclosures:
        path, term = disclosure.path, disclosure.term
        if term:
            if policy.terms and term not in policy.terms:
                sink.add("S114", path + ("term",), within=(term, ""), value=term, allowed="、".join(policy.terms))
            if term in seen_terms:
                sink.add("S115", path + ("term",), within=(term, ""), term=term, first=seen_terms[term])
            else:
                seen_terms[term] = sink.line(path + ("term",))
        if disclosure.valid_from and disclosure.valid_until and disclosure.valid_until < disclosure.valid_from:
            sink.add("S113", path + ("valid_until",), within=(term, ""))
        _reductions(disclosure, sink)
        _channels(disclosure, school, policy, sink)
        _items(disclosure, context, sink)


def _items(disclosure: Disclosure, context: FeeContext, sink: Sink) -> None:
    term = disclosure.term
    seen: dict[tuple[str, str, str], int] = {}
    for fee in disclosure.items:
        if not fee.item:
            continue
        # Real tables list one item per grade or tier (作业本费 一、二年级 / 三至五年级).
        normal = name_key(fee.item)
        key = (normal, fee.stage, name_key(fee.tier) if fee.tier else "")
        if key in seen:
            sink.add("F216", fee.path + ("item",), within=(term, fee.item), item=fee.item, first=seen[key])
        else:
            seen[key] = sink.line(fee.path + ("item",))

        def report(code: str, where: tuple[str, ...], variant: str = "", _fee: FeeItem = fee,
                   **details: object) -> None:
            sink.add(code, _fee.path + where, variant, within=(term, _fee.item), item=_fee.item, **details)
        check_fee(fee, context, report, normal)


def _label(disclosure: Disclosure) -> str:
    return f"{disclosure.term} " if disclosure.term else "这份"


def _reductions(disclosure: Disclosure, sink: Sink) -> None:
    reductions = disclosure.reductions.strip()
    if not reductions or placeholder(reductions):
        sink.add("F204", disclosure.path + ("reductions",), within=(disclosure.term, ""), term=_label(disclosure))


def _channels(disclosure: Disclosure, school: School, policy: Policy, sink: Sink) -> None:
    path, within = disclosure.path, (disclosure.term, "")
    kinds: set[str] = set()
    numbers: set[str] = set()
    for index, name in enumerate(disclosure.complaint_channels):
        if written_channel(name):
            continue  # a complaint mailbox or web form: shown as a link, but not a line to call
        resolved = policy.resolve_channel(name, school.hotlines)
        if resolved is None and not policy.loaded:
            continue  # without policy.yml the bureau's hotline names are unknown
        if resolved is None:
            sink.add("H303", path + ("complaint_channels", index), within=within, value=name,
                     allowed="、".join(policy.channel_names(school.hotlines)))
            continue
        kinds.add(resolved[0])
        if resolved[1] is not None:
            numbers.add(resolved[1].number)
    if not kinds and (disclosure.complaint_channels or policy.loaded):
        sink.add("F205", path + ("complaint_channels",), within=within, term=_label(disclosure))
        return
    if not policy.loaded:
        return
    missing = []
    if "教育局" not in kinds and any(line.kind == "教育局" for line in policy.hotlines):
        missing.append("本局投诉电话")
    if not numbers & {"12345", "12315"}:
        missing.append("12345 或 12315")
    if missing:
        sink.add("H304", path + ("complaint_channels",), within=within, term=_label(disclosure),
                 missing="、".join(missing))
