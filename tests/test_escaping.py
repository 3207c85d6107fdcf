"""Every text field of the data can hold markup, and the built site shows it as text, never as code.

Each free-text field (a string in the schema with no enum, format or pattern) of the policy and of
every school gets a payload appended; equal values get equal payloads, so cross-references (county
names, hotline names, catalog items) still line up and the data stays valid. Payloads are markup,
Markdown, template syntax and a sample of the XSS corpus. The built pages are then parsed: no new
tags or attributes, no script URLs, no payload inside a script, and the payload readable as text.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from itertools import cycle
from pathlib import Path

import pytest
import yaml

from hostile import Payloads, mutate, parse_site, payloads, write
from xiaowu.check.project import check_project
from xiaowu.read.schema import inlined_schema

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21

def _build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site")], cwd=project,
                          capture_output=True, text=True, timeout=900, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    clean = tmp_path_factory.mktemp("clean")
    hostile = tmp_path_factory.mktemp("hostile")
    for project in (clean, hostile):
        shutil.copytree(REPO / "docs", project / "docs")
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(REPO / "schools", project / "schools")
    mapping: dict[str, str] = {}
    pool = Payloads(cycle(payloads()))
    policy = hostile / "schools" / "policy.yml"
    write(policy, mutate(yaml.load(policy.read_text("utf-8"), Loader=yaml.BaseLoader),
                           inlined_schema("policy"), mapping, pool))
    exceptions = hostile / "schools" / "exceptions.yml"
    write(exceptions, mutate(yaml.load(exceptions.read_text("utf-8"), Loader=yaml.BaseLoader),
                             inlined_schema("exceptions"), mapping, pool))
    for path in sorted((hostile / "schools").glob("*/*.yml")):
        write(path, mutate(yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader),
                             inlined_schema("school"), mapping, pool))
    result = check_project(hostile / "schools", today=date(2026, 11, 21))
    assert result.errors == 0, sorted({f"{d.code} {d.message}" for d in result.diagnostics if d.blocking})[:10]
    for project in (clean, hostile):
        proc = _build(project)
        assert proc.returncode == 0, proc.stderr
    return clean / "site", hostile / "site", mapping


def _exception() -> dict[str, str]:
    """The example's reviewed exception (the bureau's file), for yunling-00005."""
    entries = yaml.load((REPO / "schools" / "exceptions.yml").read_text("utf-8"), Loader=yaml.BaseLoader)["exceptions"]
    return next(e for e in entries if e["school"] == "yunling-00005")


def test_every_free_text_field_was_given_markup(sites: tuple[Path, Path, dict[str, str]]) -> None:
    _, _, mapping = sites
    exception = _exception()
    school = yaml.load((REPO / "schools" / "yunling" / "yunling-00005.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    for text in (school["profile"]["name"], school["profile"]["address"], school["hotlines"][0]["name"],
                 school["fee_disclosures"][0]["items"][0]["item"], school["fee_disclosures"][0]["items"][0]["scope"],
                 school["fee_disclosures"][0]["reductions"], school["evaluations"][0]["organizer"],
                 exception["reason"], school["fee_disclosures"][0]["items"][0]["basis"]["document"]):
        assert text in mapping, text
    assert len(set(mapping.values())) > 100


def test_markup_from_yaml_is_inert_in_every_page(sites: tuple[Path, Path, dict[str, str]]) -> None:
    clean, hostile, mapping = sites
    baseline = parse_site(clean)
    allowed_tags = set().union(*(p.tags for p in baseline.values()))
    allowed_attributes = set().union(*(p.attributes for p in baseline.values()))
    markers = ("alert(", "prompt(", "confirm(", "display:none")
    pages = parse_site(hostile)
    assert pages.keys() == baseline.keys()
    for name, parsed in pages.items():
        assert parsed.tags <= allowed_tags, (name, parsed.tags - allowed_tags)
        assert parsed.attributes <= allowed_attributes, (name, parsed.attributes - allowed_attributes)
        for url in parsed.urls:
            assert not url.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (name, url)
        assert not any(m in script for script in parsed.scripts for m in markers), name


def test_markup_is_shown_as_text(sites: tuple[Path, Path, dict[str, str]]) -> None:
    _, hostile, mapping = sites
    exception = _exception()
    school = yaml.load((REPO / "schools" / "yunling" / "yunling-00005.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    text = "".join(parse_site(hostile / "schools" / "yunling")["yunling-00005/index.html"].text)
    for value in (school["profile"]["name"], school["fee_disclosures"][0]["reductions"],
                  school["fee_disclosures"][0]["items"][0]["scope"], exception["reason"]):
        assert mapping[value] in text, mapping[value]
    home = "".join(parse_site(hostile)["index.html"].text)
    policy = yaml.load((REPO / "schools" / "policy.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    assert mapping[policy["hotlines"][0]["name"]] in home


def test_exports_keep_the_text_exactly(sites: tuple[Path, Path, dict[str, str]]) -> None:
    _, hostile, mapping = sites
    school = yaml.load((REPO / "schools" / "yunling" / "yunling-00005.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    record = json.loads((hostile / "data" / "schools" / "yunling-00005.json").read_text("utf-8"))
    assert record["name"] == mapping[school["profile"]["name"]]
    assert record["fee_disclosures"][0]["reductions"] == mapping[school["fee_disclosures"][0]["reductions"]]
    feed = ET.parse(hostile / "feed.xml").getroot()  # well-formed despite markup in every title
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert any(mapping[school["profile"]["name"]] in (t or "") for t in titles)
