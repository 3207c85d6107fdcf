"""Time-dependent status: never an error, always reproducible for a given day."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xiaowu.check.project import check_project

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def statuses() -> dict[str, dict[str, str]]:
    out = {}
    for day in ("2026-08-10", "2026-11-21"):
        result = check_project(REPO / "schools", today=date.fromisoformat(day), jobs=1)
        assert result.errors == 0  # lateness never becomes an error
        out[day] = {c.school_id: c.status for c in result.compliance}
    return out


def test_before_the_deadline_unpublished_is_pending(statuses: dict[str, dict[str, str]]) -> None:
    assert statuses["2026-08-10"]["baihe-00007"] == "pending"


def test_after_the_deadline_unpublished_is_overdue(statuses: dict[str, dict[str, str]]) -> None:
    assert statuses["2026-11-21"]["baihe-00007"] == "overdue"


def test_published_after_the_deadline_is_late(statuses: dict[str, dict[str, str]]) -> None:
    assert statuses["2026-11-21"]["qingshi-00012"] == "late"


def test_roster_school_without_a_file_is_missing(statuses: dict[str, dict[str, str]]) -> None:
    assert statuses["2026-11-21"]["qingshi-00048"] == "missing"


def test_most_schools_on_time(statuses: dict[str, dict[str, str]]) -> None:
    values = list(statuses["2026-11-21"].values())
    assert values.count("on_time") >= 40
