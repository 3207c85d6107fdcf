# The rules for conduct evaluations (行风评议 / 满意度测评) as a school file records them: figures
# that are consistent, a grade from the record's own grade set, rectifications for a bottom result.
from __future__ import annotations

from xiaowu.model.school import Evaluation, School
from xiaowu.rules.base import Sink


def check_evaluations(school: School, sink: Sink) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for record in school.evaluations:
        key = (record.year, record.kind, record.organizer)
        if all(key):
            if key in seen:
                sink.add("S115", record.path, "evaluation", year=key[0], kind=key[1], organizer=key[2],
                         first=seen[key])
            else:
                seen[key] = sink.line(record.path)
        _figures(record, sink)
        _grade(record, sink)


def _figures(record: Evaluation, sink: Sink) -> None:
    path = record.path
    for name, label, value in (("score", "score（得分）", record.score),
                               ("satisfaction", "satisfaction（满意率）", record.satisfaction)):
        if value is not None and value > 100:
            sink.add("V401", path + (name,), field=label, value=value)
    rank, total = record.rank, record.ranked_total
    for name, number in (("rank", rank), ("ranked_total", total)):
        if number == 0:
            sink.add("V406", path + (name,), field=name)
    if rank is not None and total is not None and rank > 0 and rank > total:
        sink.add("V402", path + ("rank",), rank=rank, total=total)
    issued, valid = record.respondents_issued, record.respondents_valid
    if issued is not None and valid is not None and valid > issued:
        sink.add("V404", path + ("respondents_valid",), valid=valid, issued=issued)


def _grade(record: Evaluation, sink: Sink) -> None:
    path, grade, grades = record.path, record.grade, record.grade_set
    if grade and not record.wrote("grade_set"):
        sink.add("S101", path + ("grade",), field="grade_set", title="等次设置",
                 description="写了等次时，要写出本次测评的全部等次")
    elif grade and grades and grade not in grades:
        sink.add("V403", path + ("grade",), grade=grade, grades="、".join(grades))
    bottom_grade = bool(grade and grades and grade == grades[-1])
    rank, total = record.rank, record.ranked_total
    bottom_rank = rank is not None and total is not None and rank > 0 and total > 3 and total - 2 <= rank <= total
    if (bottom_grade or bottom_rank) and not record.rectifications:
        variant = "both" if bottom_grade and bottom_rank else "rank" if bottom_rank else ""
        sink.add("V405", path, variant, grade=grade, rank=rank, total=total)
