"""What every school page shows alike is one object in the site model, not one copy per school (memory
at 20,000 schools: README "Eleventh part")."""
from __future__ import annotations

from pathlib import Path

import segno

from xiaowu.check.project import check_project
from xiaowu.pages.qr import titled
from xiaowu.pages.render import Renderer
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


def test_the_qr_codes_a_build_keeps_are_ascii_and_each_page_shows_segnos_code_with_its_title() -> None:
    """One code per school is kept for the whole build (the page and its papers use it): without its
    Chinese title it is stored one byte a character, half the memory; the page still shows exactly the
    SVG segno writes with the title (compared with segno's own output here)."""
    site = build_site(check_project(REPO / "schools", today=resolve_today()))
    renderer = Renderer(site, site_url="https://xiaowu.example.cn/")
    renderer.prepare_qr(jobs=1)
    kept = renderer.qr_cache
    assert len(kept) == len(site.schools) >= 40
    assert all(code.isascii() and "<title>" not in code for code in kept.values())
    for src, school in list(renderer.by_src.items())[:5]:
        url = renderer.absolute(school.url)
        expected = segno.make(url, error="m", mask=0, boost_error=False).svg_inline(
            scale=1, border=2, omitsize=True, svgclass="xw-qr-code", lineclass=None, title="扫码打开本校收费公示")
        html = renderer.render(src, school.url).html
        assert expected in html and expected == titled(kept[url])
