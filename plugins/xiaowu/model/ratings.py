# Conduct-evaluation results (行风评议, 满意度测评): the evaluating body's judgement of each school,
# published by the bureau in schools/oversight.yml. A school reports only its own rectifications
# (model/school.py Evaluation); it can never write or change its own rating.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xiaowu.model.base import Written, mask, of_type, text_of, texts_of
from xiaowu.read.tree import Path


@dataclass(frozen=True)
class Rating(Written):
    """One school's result in one year's evaluation of one kind, as the bureau published it."""

    path: Path
    school: str = ""
    year: str = ""
    organizer: str = ""
    kind: str = ""
    respondents_issued: int | None = None
    respondents_valid: int | None = None
    score: Decimal | None = None
    satisfaction: Decimal | None = None
    grade: str = ""
    grade_set: tuple[str, ...] = ()
    rank: int | None = None
    ranked_total: int | None = None
    document: str = ""
    published: date | None = None
    source_url: str | None = None
    notes: str = ""
    given: int = 0

    @property
    def bottom_grade(self) -> bool:
        """The last grade of its own grade set."""
        return bool(self.grade and self.grade_set and self.grade == self.grade_set[-1])

    @property
    def bottom_rank(self) -> bool:
        """One of the last three places (of more than three ranked)."""
        rank, total = self.rank, self.ranked_total
        return rank is not None and total is not None and rank > 0 and total > 3 and total - 2 <= rank <= total

    def answered_by(self, year: str, kind: str) -> bool:
        """Whether a school's own evaluation entry (its rectifications) answers this result."""
        return self.year == year and self.kind == kind


def build_rating(data: dict[str, Any], path: Path) -> Rating:
    year = data.get("year")
    return Rating(
        path=path, school=text_of(data.get("school")), year=str(year) if isinstance(year, str | int) else "",
        organizer=text_of(data.get("organizer")), kind=text_of(data.get("kind")),
        respondents_issued=of_type(data.get("respondents_issued"), int),
        respondents_valid=of_type(data.get("respondents_valid"), int),
        score=of_type(data.get("score"), Decimal), satisfaction=of_type(data.get("satisfaction"), Decimal),
        grade=text_of(data.get("grade")), grade_set=texts_of(data.get("grade_set")), rank=of_type(data.get("rank"), int),
        ranked_total=of_type(data.get("ranked_total"), int), document=text_of(data.get("document")),
        published=of_type(data.get("published"), date), source_url=of_type(data.get("source_url"), str),
        notes=text_of(data.get("notes")), given=mask(Rating, data))
