"""What every school page shows alike is one object in the site model, not one copy per school (memory
at 20,000 schools: README "Eleventh part")."""
from __future__ import annotations

from pathlib import Path

from xiaowu.check.project import check_project
from xiaowu.pages.site import build_site
from xiaowu.read.today import resolve_today

REPO = Path(__file__).resolve().parents[1]


def test_the_bureaus_lines_are_one_object_on_every_school_page() -> None:
    site = build_site(check_project(REPO / "schools", today=resolve_today()))
    official = [[line for line in page.hotlines if line.kind != "学校"] for page in site.schools]
    first = official[0]
    assert len(official) >= 40 and len(first) >= 3
    for lines in official:
        shared = [line for line in lines if line in first]
        assert shared and all(any(line is one for one in first) for line in shared)
    assert len(first) >= len(site.policy.hotlines)
