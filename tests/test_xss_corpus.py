"""All 6,613 payloads of the XSS corpus against the whole pipeline.

Each payload is first tried in a school file on its own: either the checker refuses it (a control
character, something that looks like a phone or ID number...) so it can never be published, or it is
accepted. Every accepted payload is then placed, at least once, into the free-text fields of 240
generated schools (cross-references such as county and hotline names kept consistent), the site is
built, and every page is parsed: no payload may add a tag, an attribute, a script URL or script text.
Pages are then opened in Chromium with dialog and console listeners: no payload may run.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from concurrent.futures import ProcessPoolExecutor
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser import CHROMIUM, FLAGS, serve
from conftest import corpora
from hostile import Payloads, mutate, parse_site, write
from xiaowu.model.policy import Policy
from xiaowu.check.file import check_file
from xiaowu.check.project import check_project
from xiaowu.read.schema import inlined_schema

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21
SCHOOLS = 240


def _corpus() -> list[str]:
    lines = (corpora() / "xss" / "payloads.txt").read_text("utf-8", errors="surrogateescape").splitlines()
    assert len(lines) >= 6613, "the XSS corpus is missing"
    return sorted({line for line in lines if line.strip()})


_MARK = "\u2063MARK\u2063"


def _template() -> str:
    base = yaml.load((REPO / "schools/qingshi/qingshi-00003.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    base["profile"]["address"] = _MARK
    return yaml.safe_dump(base, allow_unicode=True, sort_keys=False, width=10_000).replace(f"'{_MARK}'", _MARK)


def _alone(payload: str, template: str | None = None) -> list[str]:
    """The blocking findings for a school file with this payload in its address ([] = accepted).

    A JSON string is a valid YAML double-quoted scalar, so the payload goes in verbatim.
    """
    raw = (template or _template()).replace(_MARK, json.dumps("青石县" + payload, ensure_ascii=False))
    result = check_file(raw.encode("utf-8", "surrogateescape"), "schools/qingshi/x.yml", "x", "qingshi", Policy())
    return [f"{d.line}:{d.column} {d.code}" for d in result.diagnostics if d.blocking]


def _partition(payloads: list[str]) -> dict[str, list[str]]:
    template = _template()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(payloads, pool.map(_alone, payloads, [template] * len(payloads), chunksize=200)))


def _references(school: Any) -> set[str]:
    names = {h["name"] for h in school.get("hotlines", [])}
    for d in school.get("fee_disclosures", []):
        names |= {i["item"] for i in d.get("items", [])}
    return {n for n in names if n}


def _grades(oversight: Any) -> set[str]:
    """An evaluation result's grade is one of its grade set: both get the same payload."""
    return {g for e in oversight.get("evaluations", []) for g in [e.get("grade", ""), *e.get("grade_set", [])] if g}


@pytest.fixture(scope="module")
def corpus_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    payloads = _corpus()
    findings = _partition(payloads)
    accepted = [p for p in payloads if not findings[p]]
    refused = [p for p in payloads if findings[p]]
    clean, hostile = tmp_path_factory.mktemp("clean"), tmp_path_factory.mktemp("hostile")
    for project in (clean, hostile):
        shutil.copytree(REPO / "docs", project / "docs")
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        subprocess.run([sys.executable, str(REPO / "scripts/generate_example.py"), "--schools", str(SCHOOLS),
                        "--out", str(project / "schools")], check=True, capture_output=True)
    pool = Payloads(cycle(accepted))
    shared: dict[str, str] = {}
    policy = hostile / "schools" / "policy.yml"
    write(policy, mutate(yaml.load(policy.read_text("utf-8"), Loader=yaml.BaseLoader), inlined_schema("policy"), shared, pool))
    placed: list[tuple[str, str]] = list(shared.items())
    school_maps: dict[str, dict[str, str]] = {}
    for path in sorted((hostile / "schools").glob("*/*.yml")):
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
        # Names other fields refer to stay consistent (the policy's, the school's hotline names, fee
        # item names, grades); every other text occurrence gets a payload of its own.
        mapping = dict(shared)
        for name in sorted(_references(data) - set(mapping)):
            # A name is also a hotline name and a complaint channel (200 characters at most): the payload
            # must leave it within that, or which payload lands here decides whether the file passes.
            mapping[name] = name + pool.take(200 - len(name))
        write(path, mutate(data, inlined_schema("school"), mapping, pool, placed))
        placed += [(k, v) for k, v in mapping.items() if k not in shared]
        school_maps[path.stem] = mapping
    # The bureau's exceptions name a term and a fee item: the same payloads as the school's, so they match.
    exceptions_path = hostile / "schools" / "exceptions.yml"
    exceptions = yaml.load(exceptions_path.read_text("utf-8"), Loader=yaml.BaseLoader)
    for entry in exceptions["exceptions"]:
        entry["term"] = shared.get(entry["term"], entry["term"])
        entry["item"] = school_maps[entry["school"]].get(entry["item"], entry["item"])
    write(exceptions_path, mutate(exceptions, inlined_schema("exceptions"), {**shared, **{
        e["term"]: e["term"] for e in exceptions["exceptions"]}, **{e["item"]: e["item"] for e in exceptions["exceptions"]}},
        pool, placed))
    # The bureau's oversight.yml (complaint figures, inspections, refunds, evaluation results): school ids are
    # ids, the rest is text.
    oversight_path = hostile / "schools" / "oversight.yml"
    oversight = yaml.load(oversight_path.read_text("utf-8"), Loader=yaml.BaseLoader)
    grades = {name: name + next(pool) for name in sorted(_grades(oversight) - set(shared))}
    write(oversight_path, mutate(oversight, inlined_schema("oversight"), {**shared, **grades}, pool, placed))
    placed += list(grades.items())
    used = {value[len(original):] for original, value in placed}
    result = check_project(hostile / "schools", today=date(2026, 11, 21))
    assert result.errors == 0, sorted({f"{d.code} {d.message}" for d in result.diagnostics if d.blocking})[:10]
    for project in (clean, hostile):
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site")], cwd=project,
                              capture_output=True, text=True, timeout=900, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
        assert proc.returncode == 0, proc.stderr[-3000:]
    return {"clean": clean / "site", "hostile": hostile / "site", "accepted": accepted, "refused": refused,
            "used": used, "placed": placed}


def test_every_payload_is_either_refused_or_placed(corpus_sites: dict[str, Any]) -> None:
    accepted, refused, used = corpus_sites["accepted"], corpus_sites["refused"], corpus_sites["used"]
    assert len(accepted) + len(refused) == len(_corpus())
    assert len(accepted) > 5000
    assert set(accepted) <= used, len(set(accepted) - used)


def test_the_checker_accepts_plain_text_and_refuses_invisible_characters() -> None:
    # The partition is only meaningful if the checker can say both: markup is text to it, and the
    # characters a clerk cannot see are refused with a located finding, never a crash.
    assert _alone("<script>alert(1)</script>") == []
    assert _alone("<img src=x onerror=alert(1)>\u200b") and _alone("\x0b<svg onload=alert(1)>")


def test_no_payload_becomes_markup_in_any_page(corpus_sites: dict[str, Any]) -> None:
    baseline = parse_site(corpus_sites["clean"])
    pages = parse_site(corpus_sites["hostile"])
    assert pages.keys() == baseline.keys() and len(pages) > SCHOOLS
    tags = set().union(*(p.tags for p in baseline.values()))
    attributes = set().union(*(p.attributes for p in baseline.values()))
    scripts = set().union(*({s.strip() for s in p.scripts} for p in baseline.values()))
    for name, parsed in pages.items():
        assert parsed.tags <= tags, (name, sorted(parsed.tags - tags))
        assert parsed.attributes <= attributes, (name, sorted(parsed.attributes - attributes))
        for url in parsed.urls:
            assert not url.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (name, url)
        # Script and style text is exactly what a clean build has: no payload inside a <script>/<style>.
        assert {s.strip() for s in parsed.scripts} <= scripts, name


def test_exports_hold_every_placed_payload_exactly(corpus_sites: dict[str, Any]) -> None:
    everything = (corpus_sites["hostile"] / "data" / "schools.json").read_text("utf-8")
    decoded = json.dumps(json.loads(everything), ensure_ascii=False)
    for _, value in corpus_sites["placed"]:
        assert json.dumps(value, ensure_ascii=False)[1:-1] in decoded


def test_no_payload_runs_in_the_browser(corpus_sites: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    site = corpus_sites["hostile"]
    pages = ["", "compliance/", "catalog/", "schools/"]
    pages += sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("schools/*/index.html"))
    pages += sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("schools/*/*/index.html"))
    events: list[str] = []
    for base in serve(site):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message!r} on {page.url}"), dialog.dismiss()))
            page.on("console", lambda message: events.append(f"console {message.type}: {message.text} on {page.url}"))
            page.on("pageerror", lambda error: events.append(f"error {error} on {page.url}"))
            page.on("popup", lambda popup: events.append(f"popup {popup.url}"))
            for url in pages:
                page.goto(base + url, wait_until="load")
            page.goto(base)
            for query in ("alert", "script", "img", "svg"):
                page.fill("#xw-q", query)
                page.wait_for_selector(".xw-search-status:not(:empty):not(:has-text('正在查找'))")
                page.wait_for_timeout(300)
            browser.close()
    assert len(pages) > SCHOOLS
    assert not events, events[:10]
