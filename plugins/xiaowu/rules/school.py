# The rule engine for one school: disclosure, hotline, evaluation and exception rules (domain.md).
#
# Reads only the typed model (model.School); every value may be empty when the schema already
# reported it, so each rule checks only what it can and never repeats a schema error. The rules for
# one fee item live in fees.py.
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.rules.fees import FeeContext, check_fee, placeholder
from xiaowu.read.fields import parse_url
from xiaowu.read.loader import Loaded, Path
from xiaowu.model.school import Disclosure, Evaluation, FeeItem, School
from xiaowu.model.policy import Policy, normalise_name
from xiaowu.findings.table import RULES
from xiaowu.rules.settlement import check_settlements

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def written_channel(name: str) -> str:
    """"email" or "web" when a complaint channel is an address rather than a line's name.

    >>> written_channel("jyjcwk@ji.shandong.cn"), written_channel("https://x.gov.cn/ts"), written_channel("12345")
    ('email', 'web', '')
    """
    if _EMAIL.match(name.strip()):
        return "email"
    return "web" if parse_url(name.strip()) else ""


@dataclass
class SchoolFindings:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Findings a reviewed exception accepted; shown publicly next to the data.
    accepted: list[Diagnostic] = field(default_factory=list)
    #: Positions in exceptions.yml of the entries that accepted something here.
    used: set[int] = field(default_factory=set)


@dataclass
class _Checker:
    file: str
    loaded: Loaded
    policy: Policy
    school: School
    found: list[tuple[Diagnostic, str, str]] = field(default_factory=list)

    def add(self, code: str, path: Path, within: tuple[str, str] = ("", ""), **details: object) -> None:
        """Record a finding; ``within`` is the (term, fee item) it belongs to, for exceptions."""
        line, column = self.loaded.mark(path)
        self.found.append((make(code, self.file, line, column, **details), *within))

    # -- fees ---------------------------------------------------------------------------------
    def disclosures(self) -> None:
        profile = self.school.profile
        context = FeeContext(self.policy, profile.ownership, frozenset(profile.stages), profile.boarding,
                             self.school.county)
        seen_terms: dict[str, int] = {}
        for disclosure in self.school.disclosures:
            path, term = disclosure.path, disclosure.term
            if term:
                if self.policy.terms and term not in self.policy.terms:
                    self.add("S114", path + ("term",), (term, ""), value=term, allowed="、".join(self.policy.terms))
                if term in seen_terms:
                    self.add("S115", path + ("term",), (term, ""), what=f"学期“{term}”的收费公示", first=seen_terms[term])
                else:
                    seen_terms[term] = self.loaded.mark(path + ("term",))[0]
            if disclosure.valid_from and disclosure.valid_until and disclosure.valid_until < disclosure.valid_from:
                self.add("S113", path + ("valid_until",), (term, ""), what="有效期结束早于有效期开始")
            self.reductions_and_channels(disclosure)
            seen_items: dict[tuple[str, str, str], int] = {}
            for fee in disclosure.items:
                if not fee.item:
                    continue
                # Real tables list one item per grade or tier (作业本费 一、二年级 / 三至五年级).
                normal = normalise_name(fee.item)
                key = (normal, fee.stage, normalise_name(fee.tier) if fee.tier else "")
                if key in seen_items:
                    self.add("F216", fee.path + ("item",), (term, fee.item), item=fee.item, first=seen_items[key])
                else:
                    seen_items[key] = self.loaded.mark(fee.path + ("item",))[0]

                def report(code: str, where: tuple[str, ...], _fee: FeeItem = fee, **details: object) -> None:
                    self.add(code, _fee.path + where, (term, _fee.item), item=_fee.item, **details)
                check_fee(fee, context, report, normal)

    def reductions_and_channels(self, disclosure: Disclosure) -> None:
        path, term = disclosure.path, disclosure.term
        label = f"{term} " if term else "这份"
        reductions = disclosure.reductions.strip()
        if not reductions or placeholder(reductions):
            self.add("F204", path + ("reductions",), (term, ""), term=label)
        kinds: set[str] = set()
        numbers: set[str] = set()
        for index, name in enumerate(disclosure.complaint_channels):
            if written_channel(name):
                continue  # a complaint mailbox or web form: shown as a link, but not a line to call
            resolved = self.policy.resolve_channel(name, self.school.hotlines)
            if resolved is None and not self.policy.loaded:
                continue  # without policy.yml the bureau's hotline names are unknown
            if resolved is None:
                self.add("H303", path + ("complaint_channels", index), (term, ""), value=name,
                         allowed="、".join(self.policy.channel_names(self.school.hotlines)))
                continue
            kinds.add(resolved[0])
            if resolved[1] is not None:
                numbers.add(resolved[1].number)
        if not kinds and (disclosure.complaint_channels or self.policy.loaded):
            self.add("F205", path + ("complaint_channels",), (term, ""), term=label)
            return
        if not self.policy.loaded:
            return
        missing = []
        if "教育局" not in kinds and any(line.kind == "教育局" for line in self.policy.hotlines):
            missing.append("本局投诉电话")
        if not numbers & {"12345", "12315"}:
            missing.append("12345 或 12315")
        if missing:
            self.add("H304", path + ("complaint_channels",), (term, ""), term=label, missing="、".join(missing))

    # -- evaluations --------------------------------------------------------------------------
    def evaluations(self) -> None:
        seen: dict[tuple[str, str, str], int] = {}
        for record in self.school.evaluations:
            key = (record.year, record.kind, record.organizer)
            if all(key):
                if key in seen:
                    self.add("S115", record.path, what=f"{key[0]} 年{key[1]}（{key[2]}）", first=seen[key])
                else:
                    seen[key] = self.loaded.mark(record.path)[0]
            self.evaluation(record)

    def evaluation(self, record: Evaluation) -> None:
        path = record.path
        for name, label, value in (("score", "score（得分）", record.score),
                                   ("satisfaction", "satisfaction（满意率）", record.satisfaction)):
            if value is not None and value > 100:
                self.add("V401", path + (name,), field=label, value=value)
        rank, total = record.rank, record.ranked_total
        for name, number in (("rank", rank), ("ranked_total", total)):
            if number == 0:
                self.add("V406", path + (name,), field=name)
        ranked = rank is not None and total is not None and rank > 0
        if ranked and rank > total:  # type: ignore[operator]
            self.add("V402", path + ("rank",), rank=rank, total=total)
        issued, valid = record.respondents_issued, record.respondents_valid
        if issued is not None and valid is not None and valid > issued:
            self.add("V404", path + ("respondents_valid",), valid=valid, issued=issued)
        grade, grades = record.grade, record.grade_set
        if grade and not record.wrote("grade_set"):
            self.add("S101", path + ("grade",), field="grade_set", title="等次设置",
                     description="写了等次时，要写出本次测评的全部等次")
        elif grade and grades and grade not in grades:
            self.add("V403", path + ("grade",), grade=grade, grades="、".join(grades))
        reasons = []
        if grade and grades and grade == grades[-1]:
            reasons.append(f"等次为末等“{grade}”")
        if ranked and total is not None and rank is not None and total > 3 and total - 2 <= rank <= total:
            reasons.append(f"排名第 {rank}（共 {total}）为末三位")
        if reasons and not record.rectifications:
            self.add("V405", path, reason="，".join(reasons))

    # -- hotlines -----------------------------------------------------------------------------
    def hotlines(self) -> None:
        """A school's own line may not use the bureau's or a national line's name or number."""
        if not self.policy.loaded:
            return
        for hotline in self.school.hotlines:
            if not hotline.name:
                continue
            where, reason = self.policy.impersonation(hotline.name, hotline.phone)
            if where:
                self.add("H305", hotline.path + (where,), value=hotline.name, reason=reason)

    # -- exceptions ---------------------------------------------------------------------------
    def apply_exceptions(self) -> SchoolFindings:
        """Findings the bureau's exceptions.yml accepts for this school become public notes."""
        result = SchoolFindings()
        entries = [e for e in self.policy.exceptions.get(self.school.id, []) if RULES[e.rule].waivable]
        for diagnostic, term, item in self.found:
            entry = next((e for e in entries if e.covers(diagnostic.code, term, item)), None)
            if entry is None:
                result.diagnostics.append(diagnostic)
                continue
            result.used.add(entry.index)
            result.accepted.append(replace(diagnostic, accepted_by=f"{entry.reason}（{entry.basis}）"))
        return result


def check_school(school: School, loaded: Loaded, file: str, policy: Policy) -> SchoolFindings:
    """Domain rules for one school's model; the bureau's reviewed exceptions applied last."""
    checker = _Checker(file, loaded, policy, school)
    checker.disclosures()
    checker.hotlines()
    checker.evaluations()
    check_settlements(school, policy, checker.add, lambda path: loaded.mark(path)[0])
    return checker.apply_exceptions()
