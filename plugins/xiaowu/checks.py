# The rule engine for one school file: fee, hotline, evaluation and exception rules (domain.md).
#
# Runs on the typed tree from schema.convert; every value may be missing or None when the schema
# already reported it, so each rule checks only what it can and never repeats a schema error.
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .diagnostics import Diagnostic, make
from .loader import Loaded, Path
from .policy import COMPULSORY_STAGES, Policy, normalise_name
from .rules import RULES

_DOC_NUMBER = re.compile(r"[〔\[（(]\s*\d{4}\s*[〕\]）)]\s*第?\s*\d+\s*号")
_PLACEHOLDERS = frozenset({"无", "暂无", "没有", "/", "-", "—", "无。", "待定", "略"})
_VOLUNTARY_CATEGORIES = ("服务性收费", "代收费", "伙食费")
_DOCUMENT_CATEGORIES = ("行政事业性收费", "服务性收费")
_TUITION = ("学费", "杂费", "学杂费")
_TEXTBOOK = frozenset({"教材费", "课本费", "国家课程教材费", "教科书费"})
_BOARDER_WORDS = ("住宿", "寄宿", "住校")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _unit(value: str) -> str:
    return re.sub(r"[\s·•.\-]", "", value)


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
    school: dict[str, Any]
    found: list[tuple[Diagnostic, str, str]] = field(default_factory=list)

    def add(self, code: str, path: Path, within: tuple[str, str] = ("", ""), **details: object) -> None:
        """Record a finding; ``within`` is the (term, fee item) it belongs to, for exceptions."""
        self.found.append((make(code, self.file, *self.loaded.mark(path), **details), *within))

    # -- fees ---------------------------------------------------------------------------------
    def disclosures(self) -> None:
        profile = _dict(self.school.get("profile"))
        ownership = _text(profile.get("ownership"))
        stages = {s for s in _list(profile.get("stages")) if isinstance(s, str)}
        boarding = _text(profile.get("boarding"))
        hotlines = [h for h in _list(self.school.get("hotlines")) if isinstance(h, dict)]
        seen_terms: dict[str, int] = {}
        for index, disclosure in enumerate(_list(self.school.get("fee_disclosures"))):
            if not isinstance(disclosure, dict):
                continue
            path: Path = ("fee_disclosures", index)
            term = _text(disclosure.get("term"))
            if term:
                if self.policy.terms and term not in self.policy.terms:
                    self.add("S114", path + ("term",), (term, ""), value=term, allowed="、".join(self.policy.terms))
                if term in seen_terms:
                    self.add("S115", path + ("term",), (term, ""), what=f"学期“{term}”的收费公示", first=seen_terms[term])
                else:
                    seen_terms[term] = self.loaded.mark(path + ("term",))[0]
            self.dates(disclosure, path, term)
            self.reductions_and_channels(disclosure, path, term, hotlines)
            seen_items: dict[tuple[str, str], int] = {}
            for item_index, fee in enumerate(_list(disclosure.get("items"))):
                if isinstance(fee, dict) and _text(fee.get("item")):
                    item_path = path + ("items", item_index)
                    key = (normalise_name(fee["item"]), _text(fee.get("stage")))
                    if key in seen_items:
                        self.add("F216", item_path + ("item",), (term, fee["item"]), item=fee["item"],
                                 first=seen_items[key])
                    else:
                        seen_items[key] = self.loaded.mark(item_path + ("item",))[0]
                    self.fee(fee, item_path, term, ownership, stages, boarding)

    def dates(self, disclosure: dict[str, Any], path: Path, term: str) -> None:
        published, start, end = (disclosure.get(k) for k in ("published", "valid_from", "valid_until"))
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add("S113", path + ("valid_until",), (term, ""), what="有效期结束早于有效期开始")
        if isinstance(published, date) and isinstance(start, date) and published > start:
            self.add("S113", path + ("published",), (term, ""), what="公示日期晚于有效期开始（应先公示后收费）")

    def reductions_and_channels(self, disclosure: dict[str, Any], path: Path, term: str,
                                hotlines: list[dict[str, Any]]) -> None:
        reductions = _text(disclosure.get("reductions")).strip()
        if not reductions or reductions in _PLACEHOLDERS:
            self.add("F204", path + ("reductions",), (term, ""), term=f"{term} " if term else "这份")
        kinds: set[str] = set()
        numbers: set[str] = set()
        channels = _list(disclosure.get("complaint_channels"))
        for index, name in enumerate(channels):
            if not isinstance(name, str):
                continue
            resolved = self.policy.resolve_channel(name, hotlines)
            if resolved is None and not self.policy.loaded:
                continue  # without policy.yml the bureau's hotline names are unknown
            if resolved is None:
                self.add("H303", path + ("complaint_channels", index), (term, ""), value=name,
                         allowed="、".join(self.policy.channel_names(hotlines)))
                continue
            kinds.add(resolved[0])
            if resolved[1] is not None:
                numbers.add(resolved[1].number)
        if not kinds and (channels or self.policy.loaded):
            self.add("F205", path + ("complaint_channels",), (term, ""), term=f"{term} " if term else "这份")
            return
        if not self.policy.loaded:
            return
        missing = []
        if "教育局" not in kinds and any(h.get("kind") == "教育局" for h in self.policy.hotlines):
            missing.append("本局投诉电话")
        if not numbers & {"12345", "12315"}:
            missing.append("12345 或 12315")
        if missing:
            self.add("H304", path + ("complaint_channels",), (term, ""), term=f"{term} " if term else "这份", missing="、".join(missing))

    def fee(self, fee: dict[str, Any], path: Path, term: str, ownership: str, stages: set[str],
            boarding: str) -> None:
        name = fee["item"]
        normal = normalise_name(name)
        category = _text(fee.get("category"))
        stage = _text(fee.get("stage"))
        amount = fee.get("amount")
        pricing = _text(fee.get("pricing")) or "固定标准"
        basis = _dict(fee.get("basis"))

        def add(code: str, where: tuple[str, ...] = ("item",), **details: object) -> None:
            self.add(code, path + where, (term, name), item=name, **details)

        if amount is None and "amount" not in fee and pricing == "固定标准":
            add("F201")
        if category in _DOCUMENT_CATEGORIES and "basis" in fee and not _text(basis.get("document")):
            self.add("F202", path + ("basis",), (term, name), item=name, category=category)
        document = _text(basis.get("document"))
        if document and not _DOC_NUMBER.search(document):
            self.add("F203", path + ("basis", "document"), (term, name), value=document)
        if category in _VOLUNTARY_CATEGORIES and fee.get("voluntary") == "否":
            add("F210", ("voluntary",), category=category)
        if category == "代收费" and not _text(fee.get("settlement")):
            add("F211")
        if fee.get("billing_period") == "学年":
            add("F212", ("billing_period",), period="学年")
        if "住宿费" in normal:
            if boarding == "否":
                add("F213")
            scope = _text(fee.get("scope"))
            if scope and not any(word in scope for word in _BOARDER_WORDS):
                add("F214", ("scope",), scope=scope)
        forbidden = self.policy.forbidden_match(name)
        if forbidden:
            add("F209", forbidden=forbidden.item + "，" + forbidden.basis, note=forbidden.note)
            return
        compulsory = stages & COMPULSORY_STAGES
        applies_to_compulsory = stage in COMPULSORY_STAGES or (not stage and compulsory)
        is_tuition = any(word in normal for word in _TUITION) or normal in _TEXTBOOK
        if ownership == "公办" and applies_to_compulsory and is_tuition:
            add("F208")
            return
        self.catalog(fee, path, term, ownership, stages, stage, amount)

    def catalog(self, fee: dict[str, Any], path: Path, term: str, ownership: str, stages: set[str],
                stage: str, amount: Any) -> None:
        if not self.policy.catalog or ownership not in ("公办", "民办") or not stages:
            return
        name = fee["item"]
        wanted = {stage} if stage else stages
        entries = [e for e in self.policy.catalog_for(name) if ownership in e.ownership and e.stages & wanted]
        if not entries:
            allowed = sorted({e.item for e in self.policy.applicable(ownership, stages)})
            kind = f"{ownership}{'、'.join(sorted(stages))}学校"
            self.add("F206", path + ("item",), (term, name), item=name, kind=kind, allowed="、".join(allowed) or "无")
            return
        caps = {e.cap for e in entries if e.cap is not None}
        if len(caps) > 1 and not stage:
            options = sorted({s for e in entries for s in e.stages & stages})
            self.add("F217", path + ("item",), (term, name), item=name, stages="、".join(options))
        entry = max(entries, key=lambda e: e.cap if e.cap is not None else Decimal("Infinity"))
        if isinstance(amount, Decimal) and entry.cap is not None and amount > entry.cap:
            self.add("F207", path + ("amount",), (term, name), item=name, amount=amount, cap=entry.cap,
                     unit=entry.unit)
        unit = _text(fee.get("unit"))
        if unit and entry.unit and _unit(unit) != _unit(entry.unit):
            self.add("F215", path + ("unit",), (term, name), item=name, unit=unit, catalog_unit=entry.unit)

    # -- evaluations --------------------------------------------------------------------------
    def evaluations(self) -> None:
        seen: dict[tuple[str, str, str], int] = {}
        for index, record in enumerate(_list(self.school.get("evaluations"))):
            if not isinstance(record, dict):
                continue
            path: Path = ("evaluations", index)
            key = (_text(record.get("year")), _text(record.get("kind")), _text(record.get("organizer")))
            if all(key):
                if key in seen:
                    self.add("S115", path, what=f"{key[0]} 年{key[1]}（{key[2]}）", first=seen[key])
                else:
                    seen[key] = self.loaded.mark(path)[0]
            self.evaluation(record, path)

    def evaluation(self, record: dict[str, Any], path: Path) -> None:
        for name, label in (("score", "score（得分）"), ("satisfaction", "satisfaction（满意率）")):
            value = record.get(name)
            if isinstance(value, Decimal) and value > 100:
                self.add("V401", path + (name,), field=label, value=value)
        rank, total = record.get("rank"), record.get("ranked_total")
        for name, value in (("rank", rank), ("ranked_total", total)):
            if value == 0:
                self.add("V406", path + (name,), field=name)
        ranked = isinstance(rank, int) and isinstance(total, int) and rank > 0
        if ranked and rank > total:
            self.add("V402", path + ("rank",), rank=rank, total=total)
        issued, valid = record.get("respondents_issued"), record.get("respondents_valid")
        if isinstance(issued, int) and isinstance(valid, int) and valid > issued:
            self.add("V404", path + ("respondents_valid",), valid=valid, issued=issued)
        grade = _text(record.get("grade"))
        grades = [g for g in _list(record.get("grade_set")) if isinstance(g, str)]
        if grade and "grade_set" not in record:
            self.add("S101", path + ("grade",), field="grade_set", title="等次设置",
                     description="写了等次时，要写出本次测评的全部等次")
        elif grade and grades and grade not in grades:
            self.add("V403", path + ("grade",), grade=grade, grades="、".join(grades))
        reasons = []
        if grade and grades and grade == grades[-1]:
            reasons.append(f"等次为末等“{grade}”")
        if ranked and total > 3 and total - 2 <= rank <= total:
            reasons.append(f"排名第 {rank}（共 {total}）为末三位")
        if reasons and not _list(record.get("rectifications")):
            self.add("V405", path, reason="，".join(reasons))

    # -- hotlines -----------------------------------------------------------------------------
    def hotlines(self) -> None:
        """A school's own line may not use the bureau's or a national line's name or number."""
        if not self.policy.loaded:
            return
        for index, hotline in enumerate(_list(self.school.get("hotlines"))):
            if not isinstance(hotline, dict) or not _text(hotline.get("name")):
                continue
            where, reason = self.policy.impersonation(hotline["name"], hotline.get("phone"))
            if where:
                self.add("H305", ("hotlines", index, where), value=hotline["name"], reason=reason)

    # -- exceptions ---------------------------------------------------------------------------
    def apply_exceptions(self, school_id: str) -> SchoolFindings:
        """Findings the bureau's exceptions.yml accepts for this school become public notes."""
        result = SchoolFindings()
        entries = [e for e in self.policy.exceptions.get(school_id, []) if RULES[e.rule].waivable]
        for diagnostic, term, item in self.found:
            entry = next((e for e in entries if e.covers(diagnostic.code, term, item)), None)
            if entry is None:
                result.diagnostics.append(diagnostic)
                continue
            result.used.add(entry.index)
            result.accepted.append(replace(diagnostic, accepted_by=f"{entry.reason}（{entry.basis}）"))
        return result


def check_school(school: dict[str, Any], loaded: Loaded, file: str, policy: Policy,
                 school_id: str = "") -> SchoolFindings:
    """Domain rules for one school's typed tree; the bureau's reviewed exceptions applied last."""
    checker = _Checker(file, loaded, policy, school)
    checker.disclosures()
    checker.hotlines()
    checker.evaluations()
    return checker.apply_exceptions(school_id)

