# The rules for conduct evaluations (行风评议 / 满意度测评). The results are the evaluating body's,
# published in the bureau's oversight.yml: their figures must be consistent and their grade one of the
# record's own grade set. A school's file answers them: a bottom result needs its rectifications.
from __future__ import annotations

from collections.abc import Mapping

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.model.policy import Policy
from xiaowu.model.ratings import Rating
from xiaowu.model.school import School
from xiaowu.rules.base import Sink


def check_evaluations(school: School, sink: Sink) -> None:
    """A school's own entries: one per year, kind and organizer."""
    seen: dict[tuple[str, str, str], int] = {}
    for record in school.evaluations:
        key = (record.year, record.kind, record.organizer)
        if all(key):
            if key in seen:
                sink.add("S115", record.path, "evaluation", year=key[0], kind=key[1], organizer=key[2],
                         first=seen[key])
            else:
                seen[key] = sink.line(record.path)


def check_ratings(ratings: tuple[Rating, ...], policy: Policy, sink: Sink) -> None:
    """The bureau's published results: one per school, year, kind and organizer; consistent figures."""
    seen: dict[tuple[str, str, str, str], int] = {}
    for rating in ratings:
        key = (rating.school, rating.year, rating.kind, rating.organizer)
        if all(key) and key in seen:
            sink.add("S115", rating.path, "evaluation", year=rating.year, kind=rating.kind, organizer=rating.organizer,
                     first=seen[key])
        elif all(key):
            seen[key] = sink.line(rating.path)
        if rating.school and policy.roster and rating.school not in policy.roster:
            sink.add("M813", rating.path + ("school",), "rating", school=rating.school)
        _figures(rating, sink)
        _grade(rating, sink)


def _figures(rating: Rating, sink: Sink) -> None:
    path = rating.path
    for name, label, value in (("score", "score（得分）", rating.score),
                               ("satisfaction", "satisfaction（满意率）", rating.satisfaction)):
        if value is not None and value > 100:
            sink.add("V401", path + (name,), field=label, value=value)
    rank, total = rating.rank, rating.ranked_total
    for name, number in (("rank", rank), ("ranked_total", total)):
        if number == 0:
            sink.add("V406", path + (name,), field=name)
    if rank is not None and total is not None and rank > 0 and rank > total:
        sink.add("V402", path + ("rank",), rank=rank, total=total)
    issued, valid = rating.respondents_issued, rating.respondents_valid
    if issued is not None and valid is not None and valid > issued:
        sink.add("V404", path + ("respondents_valid",), valid=valid, issued=issued)


def _grade(rating: Rating, sink: Sink) -> None:
    path, grade, grades = rating.path, rating.grade, rating.grade_set
    if grade and not rating.wrote("grade_set"):
        sink.add("S101", path + ("grade",), field="grade_set", title="等次设置",
                 description="写了等次时，要写出本次测评的全部等次")
    elif grade and grades and grade not in grades:
        sink.add("V403", path + ("grade",), grade=grade, grades="、".join(grades))


def unanswered(school: School, ratings: tuple[Rating, ...], file: str,
               marks: Mapping[tuple[str, str], tuple[int, int]]) -> list[Diagnostic]:
    """V405 on the school's file for every bottom result the bureau published that the school's own
    entry for that year and kind does not answer with rectifications."""
    out = []
    for rating in ratings:
        if not (rating.bottom_grade or rating.bottom_rank):
            continue
        answered = any(e.rectifications for e in school.evaluations if rating.answered_by(e.year, e.kind))
        if answered:
            continue
        variant = "both" if rating.bottom_grade and rating.bottom_rank else "rank" if rating.bottom_rank else ""
        at = marks.get((rating.year, rating.kind)) or marks.get(("", ""), (1, 1))
        out.append(make("V405", file, *at, variant, year=rating.year, kind=rating.kind, grade=rating.grade,
                        rank=rating.rank, total=rating.ranked_total))
    return out
