"""The form editor's generated configuration: labels and hints from the schema, enums as selects, the
bureau's catalog and terms as choices, required as required, and input patterns that accept exactly
what the checker accepts (in Python and in the browser's own RegExp)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from xiaowu.check.bureau import load_policy
from xiaowu.editor import config as cms_config
from xiaowu.editor.backend import backend, local_backend
from xiaowu.editor.patterns import AMOUNT, BY_FORMAT, DATE, DECIMAL, INTEGER, PHONE
from xiaowu.editor.widgets import form_hint, resolve
from xiaowu.read.fields import parse_amount, parse_date, parse_decimal, parse_integer, parse_phone
from xiaowu.read.loader import load_bytes
from xiaowu.read.schema import load_schema

REPO = Path(__file__).resolve().parents[1]
SCHOOLS = REPO / "schools"
GOOD_PHONES = ["0712-1234567", "07121234567", "010-12345678", "02112345678", "0755-12345678", "13812345678",
               "+86 13812345678", "+8613812345678", "12345", "12315", "110", "400-123-4567", "4001234567", "95588",
               "0712-1234567转801", "0712-1234567 转 801", "0712-1234567分机12", "800-123-4567"]
BAD_PHONES = ["1234567", "12345678", "0712-0234567", "021-1234567", "0712-123456", "23812345678", "1381234567",
              "138123456789", "0712-1234567#801", "0712—1234567x", "电话", "", "0712 123456",
              "+1 2025550123", "96", "400-123-456"]
# Spellings the checker tidies up (spaces, brackets, full-width digits, a dash in another place) but the
# form asks for in the standard way: the pattern refuses them, the checker's own tidy form passes it.
TIDIED_PHONES = ["071-12345678", "（0712）1234567", "0712 1234567", "０７１２-1234567", "138-1234-5678", "0712-1234567 ext 8", "400-12-34567"]
GOOD_DATES = ["2026-09-01", "2026-02-28", "2028-02-29", "2000-02-29", "2026-12-31", "1999-01-31", "2026-04-30"]
BAD_DATES = ["2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-9-1", "2026/09/01",
             "26-09-01", "2026-09-01T00:00", "0000-01-01", "2026-06-31", "２０２６-09-01x"]
GOOD_AMOUNTS = ["0", "290", "85.5", "85.50", "1200000", "9999999.99", "0.01"]
BAD_AMOUNTS = ["", "12345678", "1,200", "120元", "¥120", "1.5万", "1e3", "-5", "12.345", ".5", "5.", "1 200"]


@pytest.fixture(scope="module")
def policy() -> Any:
    loaded, _, diagnostics = load_policy(SCHOOLS / "policy.yml")
    assert not diagnostics
    return loaded


@pytest.fixture(scope="module")
def built(policy: Any) -> dict[str, Any]:
    block = backend("https://git.qingshi.example.cn/jyj/xiaowu", "-/edit/main/docs/", {})
    return cms_config.build(load_schema("school"), policy, "schools", block, local_backend())


def _walk(fields: list[dict[str, Any]], node: dict[str, Any], root: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any], bool]]:
    """(editor field, schema node, schema-required) for every field, recursively."""
    node = resolve(root, node)
    required = set(node.get("required", ()))
    for f in fields:
        sub = resolve(root, node["properties"][f["name"]])
        yield f, sub, f["name"] in required
        items = resolve(root, sub.get("items", {}))
        if "fields" in f:
            yield from _walk(f["fields"], items if sub.get("type") == "array" else sub, root)


def _school_fields(built: dict[str, Any], county: str = "qingshi") -> list[dict[str, Any]]:
    collection = next(c for c in built["collections"] if c["name"] == county)
    assert collection["fields"][0]["name"] == cms_config.SCHOOL_FIELD
    return list(collection["fields"][1:])


def test_one_collection_per_county_folder_and_no_bureau_file(built: dict[str, Any], policy: Any) -> None:
    assert [(c["name"], c["label"], c["folder"]) for c in built["collections"]] == \
        [(cid, name, f"schools/{cid}") for cid, name in policy.counties.items()]
    # Only folders of school files: no "files" collection could open the bureau's policy/exceptions/oversight.
    assert all("files" not in c and c["extension"] == "yml" for c in built["collections"])
    assert all(c["delete"] is False and c["format"] == cms_config.FORMAT for c in built["collections"])
    assert built["locale"] == "zh_Hans" and built["publish_mode"] == "editorial_workflow"


def test_labels_hints_required_and_selects_come_from_the_schema(built: dict[str, Any]) -> None:
    root = load_schema("school")
    seen = 0
    for f, node, required in _walk(_school_fields(built), root, root):
        seen += 1
        assert f["label"] == node["title"]
        assert f["hint"].startswith(form_hint(node["description"]))
        assert "引号" not in f["hint"] and ": []" not in f["hint"]  # no advice on typing YAML in a form
        assert f["required"] is required, f["name"]
        if "enum" in node and f["name"] not in ("billing_period",):
            assert f["widget"] == "select" and f["options"] == node["enum"], f["name"]
        if "enum" in resolve(root, node.get("items", {})):
            assert f == f | {"widget": "select", "multiple": True}
    assert seen > 70  # every field a school file may have (the evaluation results are the bureau's since issue 19)


def test_typed_fields_get_the_checker_patterns(built: dict[str, Any]) -> None:
    root = load_schema("school")
    formats = 0
    for f, node, _ in _walk(_school_fields(built), root, root):
        fmt = node.get("x-format")
        if fmt and f["widget"] != "select":
            formats += 1
            assert f["pattern"] == [BY_FORMAT[fmt].regex, BY_FORMAT[fmt].message]
            assert f["widget"] == ("number" if fmt in ("amount", "integer", "decimal") else "string")
    assert formats > 20


def test_catalog_terms_roster_and_county_are_the_bureaus(built: dict[str, Any], policy: Any) -> None:
    fields = {f["name"]: f for f in _school_fields(built)}
    disclosure = {f["name"]: f for f in fields["fee_disclosures"]["fields"]}
    item = {f["name"]: f for f in disclosure["items"]["fields"]}
    assert [o["value"] for o in disclosure["term"]["options"]] == list(policy.terms)
    names = list(dict.fromkeys(e.item for e in policy.catalog if not e.counties or "qingshi" in e.counties))
    assert [o["value"] for o in item["item"]["options"]] == names
    lodging = next(o["label"] for o in item["item"]["options"] if o["value"] == "住宿费")
    assert "行政事业性收费 上限 300 元/生·学期" in lodging and "民办学校收费 上限 1500" in lodging
    assert "公寓化管理宿舍" in item["tier"]["hint"] and "元/套" in item["unit"]["hint"]
    assert "青石市教育局收费投诉电话" in disclosure["complaint_channels"]["hint"]
    profile = {f["name"]: f for f in fields["profile"]["fields"]}
    assert profile["county"]["options"] == ["青石县"] and profile["county"]["default"] == "青石县"
    roster = [e.name for e in policy.roster.values() if e.county == "qingshi"]
    assert profile["name"]["options"] == roster
    school = next(c for c in built["collections"] if c["name"] == "qingshi")["fields"][0]
    assert [o["value"] for o in school["options"]] == [i for i, e in policy.roster.items() if e.county == "qingshi"]


def test_the_config_is_the_same_bytes_every_time(policy: Any, built: dict[str, Any]) -> None:
    block = backend("https://git.qingshi.example.cn/jyj/xiaowu", "-/edit/main/docs/", {})
    again = cms_config.build(load_schema("school"), policy, "schools", block, local_backend())
    assert cms_config.dump(again) == cms_config.dump(built)


def _every_field(fields: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for f in fields:
        yield f
        yield from _every_field(f.get("fields", []) + ([f["field"]] if "field" in f else []))


def test_a_field_the_counties_share_is_written_once(policy: Any, built: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    text = cms_config.dump(built)
    monkeypatch.setattr(cms_config, "shared", lambda value, seen: (value, None))
    apart = cms_config.dump(cms_config.build(load_schema("school"), policy, "schools", {}, local_backend()))
    loaded = yaml.safe_load(text)
    assert loaded == {**yaml.safe_load(apart), "backend": loaded["backend"]}  # the same configuration
    # Every field equal to one of an earlier county is that same one (an alias), and whole forms are shared.
    earlier: list[dict[str, Any]] = []
    for collection in loaded["collections"]:
        now = list(_every_field(collection["fields"]))
        assert all(e is f for f in now for e in earlier if e == f)
        earlier += now
    assert sum(1 for f in earlier if f["name"] == "fee_disclosures") == 3
    assert len({id(f) for f in earlier if f["name"] == "fee_disclosures"}) == 2  # yunling's catalog has its own item
    assert len(text) < len(apart) / 2


@pytest.mark.parametrize(("repo_url", "edit_uri", "options", "expected"), [
    ("https://git.example.cn/jyj/xiaowu", "-/edit/main/docs/", {},
     {"name": "gitlab", "repo": "jyj/xiaowu", "branch": "main", "auth_type": "pkce",
      "base_url": "https://git.example.cn", "api_root": "https://git.example.cn/api/v4"}),
    ("https://gitea.example.cn/jyj/xiaowu.git", "src/branch/data/docs/", {"app_id": "abc"},
     {"name": "gitea", "repo": "jyj/xiaowu", "branch": "data", "app_id": "abc",
      "base_url": "https://gitea.example.cn", "api_root": "https://gitea.example.cn/api/v1"}),
    ("https://github.com/jyj/xiaowu", "edit/main/docs/", {"base_url": "https://oauth.example.cn"},
     {"name": "github", "repo": "jyj/xiaowu", "branch": "main", "base_url": "https://oauth.example.cn"}),
    ("https://codeberg.org/jyj/xiaowu", "_edit/main/docs/", {"name": "forgejo"},
     {"name": "forgejo", "repo": "jyj/xiaowu", "branch": "main",
      "base_url": "https://codeberg.org", "api_root": "https://codeberg.org/api/v1"}),
])
def test_backend_from_repo_url_and_options(repo_url: str, edit_uri: str, options: dict[str, str], expected: dict[str, str]) -> None:
    got = backend(repo_url, edit_uri, options)
    assert got.pop("commit_messages")["update"].startswith("修改学校资料")
    assert got == expected


def test_gitea_saves_to_its_branch_the_others_open_merge_requests(policy: Any) -> None:
    def mode(name: str) -> str:
        block = backend("https://git.example.cn/jyj/xiaowu", "src/branch/tianbao/docs/", {"name": name})
        return str(cms_config.build(load_schema("school"), policy, "schools", block, local_backend())["publish_mode"])
    assert [mode(n) for n in ("gitea", "forgejo", "gitlab", "github")] == ["simple"] + ["editorial_workflow"] * 3


def test_the_local_proxy_is_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIAOWU_EDITOR_PORT", "8091")
    assert local_backend()["url"] == "http://127.0.0.1:8091/api/v1"
    monkeypatch.setenv("XIAOWU_EDITOR_PORT", "0.0.0.0:80")
    assert local_backend()["url"] == "http://127.0.0.1:8081/api/v1"


CASES = [(PHONE, parse_phone, GOOD_PHONES, BAD_PHONES), (DATE, parse_date, GOOD_DATES, BAD_DATES),
         (AMOUNT, parse_amount, GOOD_AMOUNTS, BAD_AMOUNTS),
         (INTEGER, parse_integer, ["0", "1200", "999999999"], ["", "1.5", "-1", "1,200", "1000000000"]),
         (DECIMAL, parse_decimal, ["0", "96.5", "100", "92.25"], ["", "96.555", "1000", "96%", "九十"])]


def _accepted(parse: Any, value: str) -> bool:
    result = parse(value)
    return result is not None and not isinstance(result, str)


@pytest.mark.parametrize(("pattern", "parse", "good", "bad"), CASES, ids=["phone", "date", "amount", "integer", "decimal"])
def test_the_form_pattern_and_the_checker_agree(pattern: Any, parse: Any, good: list[str], bad: list[str]) -> None:
    for value in good:
        assert re.match(pattern.regex, value) and _accepted(parse, value), value
    for value in bad:
        assert not re.match(pattern.regex, value) and not _accepted(parse, value), value


def test_the_form_asks_for_the_standard_spelling_the_checker_would_make() -> None:
    for value in TIDIED_PHONES:
        tidy = parse_phone(value)
        assert not isinstance(tidy, str) and not re.match(PHONE.regex, value), value
        standard = tidy.number + (f"转{tidy.extension}" if tidy.extension else "")
        assert re.match(PHONE.regex, standard) and str(parse_phone(standard)) == str(tidy), value


def test_the_browser_reads_the_patterns_the_same_way() -> None:
    node = shutil.which("node")
    assert node, "Node.js is installed with the editor (scripts/setup-editor.sh)"
    cases = [(p.regex, good + bad) for p, _, good, bad in CASES]
    script = ("const cases = JSON.parse(process.argv[1]);"
              "console.log(JSON.stringify(cases.map(([re, vs]) => vs.map((v) => new RegExp(re).test(v)))));")
    done = subprocess.run([node, "-e", script, json.dumps(cases)], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [[bool(re.match(regex, v)) for v in values] for regex, values in cases]


def _values(data: Any, node: dict[str, Any], root: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(x-format, text) of every typed value in a loaded school file."""
    node = resolve(root, node)
    if "x-format" in node and isinstance(data, str):
        yield node["x-format"], data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _values(value, node.get("properties", {}).get(key, {}), root)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value, node.get("items", {}), root)


def test_every_example_value_passes_its_pattern() -> None:
    root = load_schema("school")
    counted: dict[str, int] = {}
    for path in sorted(SCHOOLS.glob("*/*.yml")):
        loaded = load_bytes(path.read_bytes(), path.name)
        for fmt, text in _values(loaded.data, root, root):
            counted[fmt] = counted.get(fmt, 0) + 1
            assert re.match(BY_FORMAT[fmt].regex, text), (path.name, fmt, text)
    # Scores and satisfaction (decimal) are the bureau's evaluation results, no longer in a school's file.
    # A term total of per-lesson charges gives its number of units (decimal: issue 20 §3).
    assert set(counted) == {"phone", "date", "amount", "integer", "url", "decimal"} and min(counted.values()) > 20
