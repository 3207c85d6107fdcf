#!/usr/bin/env python3
"""How often search puts the right page first, per kind of query, in Chromium on the built site.

    python scripts/measure_search.py --schools 2000            # generate, build, measure
    python scripts/measure_search.py --project /tmp/p --sample 300   # an existing built project

The province comes from scripts/generate_province.py (real division names). The queries are typed
into the site's own search box (pages/assets/xiaowu.js over Pagefind) and the first result read from
the page, as a parent would see it. What is right comes from the site's open data
(data/schools.json), not from the search index:

- full name: a school's whole name → that school first;
- county: a county's or district's name → its county page first;
- part: a run of characters of a name that is in no other school's or county's name and no fee
  item (e.g. 新店民办初级中学, 水口中学) → that school first;
- shared part: a run several names share (城关小学) → exactly the schools whose names contain it;
- fee: an item name (住宿费) → exactly the schools whose notice for this term lists an item of
  that name; a forbidden fee (补课费) → no school, the answer says it is forbidden and links the list.

Prints one line per class (hits / queries, rate) and up to five misses of each.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "scripts"))
EPOCH = "1795219200"  # 2026-11-21: the generated autumn notices are this term's
FORBIDDEN = ["补课费", "择校费", "借读费", "午休管理费", "补课"]


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    expected: tuple[str, ...]  # URLs (site paths); the first must be first for a ranking class


@dataclass
class Tally:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def _fee_items(school: dict[str, Any], term: str) -> set[str]:
    return {i["item"] for d in school.get("fee_disclosures", []) if d["term"] == term for i in d.get("items", [])}


def make_cases(site: Path, sample: int, seed: int = 1) -> list[Case]:
    """The queries and their right answers, from the built site's open data."""
    data = json.loads((site / "data" / "schools.json").read_text("utf-8"))
    schools, term = data["schools"], data["term"]
    rng = random.Random(seed)
    counties = {s["county_name"]: f"/schools/{s['county']}/" for s in schools}
    by_name = {s["name"]: _path(s["url"]) for s in schools}
    fees = {s["name"]: _fee_items(s, term) for s in schools}
    haystack = list(by_name) + list(counties) + sorted({i for items in fees.values() for i in items})
    cases = [Case("full name", name, (by_name[name],)) for name in rng.sample(sorted(by_name), min(sample, len(by_name)))]
    cases += [Case("county", name, (url,)) for name, url in sorted(counties.items())]
    for name in rng.sample(sorted(by_name), len(by_name)):
        county = next(c for c in counties if name.startswith(c)) if any(name.startswith(c) for c in counties) else ""
        rest = name[len(county):]
        spans = [name[a:b] for a in range(len(name)) for b in range(a + 3, len(name) + 1) if b - a < len(name)]
        unique = [p for p in spans if sum(p in h for h in haystack) == 1]
        if unique:  # the name without its county when that is unique (what a parent types), else any run
            cases.append(Case("part", rest if rest in unique else rng.choice(unique), (by_name[name],)))
        if sum(c.kind == "part" for c in cases) >= sample:
            break
    shared: dict[str, list[str]] = {}
    for name in by_name:
        rest = name[next((len(c) for c in counties if name.startswith(c)), 0):]
        if len(rest) >= 4:
            shared.setdefault(rest, []).append(name)
    for part in sorted(p for p, names in shared.items() if len(names) > 1)[:sample]:
        cases.append(Case("shared part", part, tuple(sorted(u for n, u in by_name.items() if part in n))))
    items = sorted({i for s in fees.values() for i in s})
    for item in items:
        cases.append(Case("fee", item, tuple(sorted(by_name[n] for n, s in fees.items() if any(item in i for i in s)))))
    cases += [Case("forbidden fee", name, ()) for name in FORBIDDEN]
    return cases


def ask(page: Any, query: str) -> tuple[list[str], str]:
    """Type ``query`` into the search box and press Enter; the result links shown and the status line."""
    page.fill("#xw-q", query)
    page.press("#xw-q", "Enter")
    page.wait_for_function("() => { const s = document.querySelector('.xw-search-status').textContent;"
                           " return s && s !== '正在查找…'; }", timeout=60_000)
    if page.inner_text(".xw-search-status").startswith("找到"):
        page.wait_for_selector(".xw-search-results li a")
    links = page.eval_on_selector_all(".xw-search-results li a", "els => els.map(a => new URL(a.href).pathname)")
    return links, page.inner_text(".xw-search-status")


def every_result(page: Any, query: str) -> list[str]:
    """Every result's path, through the search box's own code (window.xiaowuSearch)."""
    return list(page.evaluate("""async (q) => { const s = await window.xiaowuSearch(q);
        const all = await Promise.all(s.results.map(r => r.data())); return all.map(d => new URL(d.url, location.href).pathname); }""",
                              query))


def judge(page: Any, case: Case) -> bool:
    shown, status = ask(page, case.query)
    if case.kind in ("full name", "county", "part"):
        return bool(shown) and shown[0] == case.expected[0]
    if case.kind == "forbidden fee":
        link = page.eval_on_selector_all(".xw-search-status a", "els => els.map(a => a.getAttribute('href'))")
        return not shown and "禁止收取" in status and any(h.endswith("#forbidden") for h in link)
    return sorted(every_result(page, case.query)) == sorted(case.expected) and status == f"找到 {len(case.expected)} 个结果"


def measure(page: Any, base: str, cases: list[Case]) -> dict[str, Tally]:
    page.goto(base)
    page.wait_for_selector("#xw-q")
    tallies: dict[str, Tally] = {}
    for case in cases:
        tally = tallies.setdefault(case.kind, Tally())
        tally.total += 1
        if judge(page, case):
            tally.hits += 1
        else:
            tally.misses.append(case.query)
    return tallies


def build(project: Path, schools: int, seed: int) -> None:
    import generate_province

    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    generate_province.generate(project / "schools", schools, seed)
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")], cwd=project,
                         capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=False)
    if run.returncode:
        raise SystemExit(run.stderr[-3000:])


def report(tallies: dict[str, Tally]) -> str:
    lines = ["| query class | right page first (or exact set) | rate |", "| --- | --- | --- |"]
    for kind, tally in tallies.items():
        lines.append(f"| {kind} | {tally.hits} / {tally.total} | {100 * tally.hits / tally.total:.1f} % |")
    for kind, tally in tallies.items():
        if tally.misses:
            lines.append(f"misses ({kind}): {'、'.join(tally.misses[:5])}")
    return "\n".join(lines)


def main() -> None:
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, FLAGS, serve

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sample", type=int, default=200, help="queries per class (full name, part, shared part)")
    parser.add_argument("--project", type=Path, help="an existing project with site/ built (skips generating)")
    args = parser.parse_args()
    project = args.project or Path(tempfile.mkdtemp(prefix="xiaowu-search-"))
    if not args.project:
        build(project, args.schools, args.seed)
    cases = make_cases(project / "site", args.sample)
    server = serve(project / "site")
    base = next(server)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(locale="zh-CN").new_page()
        tallies = measure(page, base, cases)
        browser.close()
    server.close()
    print(report(tallies), flush=True)


if __name__ == "__main__":
    main()
