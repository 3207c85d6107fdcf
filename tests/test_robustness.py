"""No input makes the loader or the validator raise: the YAML test suite and hypothesis."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import corpora
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from xiaowu.read.loader import load_bytes
from xiaowu.model.policy import Policy
from xiaowu.check.file import check_file
from xiaowu.read.fastcheck import compile_valid
from xiaowu.read.schema import inlined_schema

REPO = Path(__file__).resolve().parents[1]


SUITE = corpora() / "yaml-test-suite"
SUITE_FILES = sorted(SUITE.glob("*.yaml"))
BASE = (Path(__file__).parent / "goldens" / "school.yml").read_bytes()


def test_corpus_is_present() -> None:
    assert len(SUITE_FILES) > 300, f"yaml-test-suite corpus not found at {SUITE}"


@pytest.mark.parametrize("path", SUITE_FILES, ids=[p.name for p in SUITE_FILES])
def test_yaml_test_suite_file(path: Path) -> None:
    result = check_file(path.read_bytes(), path.name, "suite-case", "demo", Policy())
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.code and d.message
    if path.name.endswith(".error.yaml"):
        # A conforming parser rejects these; we must either reject them or (for the few that
        # libyaml accepts) hand the value to the schema, which then reports it.
        assert result.diagnostics


def test_cli_over_the_whole_suite_exits_cleanly(tmp_path: Path) -> None:
    """One run of `xiaowu check` over every corpus file: exit 1 with diagnostics, no traceback."""
    schools = tmp_path / "schools" / "demo"
    schools.mkdir(parents=True)
    for path in SUITE_FILES:
        (schools / f"case-{path.stem.lower().replace('.', '-')}.yml").write_bytes(path.read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "xiaowu.cli", "check", "--data", str(tmp_path / "schools"), "--format", "json"],
        capture_output=True, timeout=600, cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
    assert proc.stdout.count(b'"code"') > len(SUITE_FILES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    load_bytes(text.encode("utf-8", "surrogatepass"), "t.yml")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    load_bytes(raw, "t.yml")


yaml_ish = st.text(alphabet=st.sampled_from(list(":-#[]{}&*!|>'\"% \n\t?,@`~\u3000：－0123456789ab收费是")),
                   max_size=200)


@settings(max_examples=300, deadline=None)
@given(yaml_ish)
def test_yaml_like_text_never_raises(text: str) -> None:
    check_file(text.encode(), "t.yml", "t", "demo", Policy())


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_valid_file_never_raises(data: st.DataObject) -> None:
    raw = bytearray(BASE)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "delete_line", "indent", "truncate", "encode"]))
        if op == "flip" and raw:
            index = data.draw(st.integers(0, len(raw) - 1))
            raw[index] ^= 1 << data.draw(st.integers(0, 7))
        elif op in ("delete_line", "indent"):
            lines = bytes(raw).split(b"\n")
            index = data.draw(st.integers(0, len(lines) - 1))
            if op == "delete_line":
                del lines[index]
            else:
                lines[index] = b" " * data.draw(st.integers(1, 5)) + lines[index]
            raw = bytearray(b"\n".join(lines))
        elif op == "truncate":
            raw = raw[: data.draw(st.integers(0, len(raw)))]
        else:
            raw = bytearray(bytes(raw).decode("utf-8", "replace").encode(data.draw(st.sampled_from(["gb18030", "utf-16", "utf-8-sig"]))))
    check_file(bytes(raw), "t.yml", "t", "demo", Policy())


# -- The fast "valid?" check that lets valid files skip jsonschema must never say yes wrongly -------

def _tree_edits() -> st.SearchStrategy[Any]:
    """Edits to the valid school tree: drop, rename, blank or retype any key or list item."""
    return st.lists(st.tuples(st.sampled_from(["drop", "rename", "blank", "list", "dict", "dupe"]),
                              st.integers(0, 10_000)), min_size=1, max_size=3)


def _apply(tree: Any, edits: list[tuple[str, int]]) -> Any:
    tree = json.loads(json.dumps(tree))
    for op, pick in edits:
        slots: list[tuple[Any, Any]] = []

        def collect(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    slots.append((node, key))
                    collect(value)
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    slots.append((node, index))
                    collect(value)
        collect(tree)
        parent, key = slots[pick % len(slots)]
        if op == "drop":
            del parent[key]
        elif op == "rename" and isinstance(parent, dict):
            parent[f"{key}x"] = parent.pop(key)
        elif op == "blank":
            parent[key] = ""
        elif op == "list":
            parent[key] = [parent[key]]
        elif op == "dict":
            parent[key] = {"k": parent[key]}
        elif op == "dupe" and isinstance(parent, list):
            parent.append(parent[key])
    return tree


@settings(max_examples=400, deadline=None)
@given(_tree_edits())
def test_fast_validity_check_agrees_with_jsonschema(edits: list[tuple[str, int]]) -> None:
    base = load_bytes(BASE, "t.yml").data
    tree = _apply(base, edits)
    if compile_valid(inlined_schema("school"))(tree):
        assert not list(Draft202012Validator(inlined_schema("school")).iter_errors(tree)), edits


def test_fast_validity_check_on_the_suite_and_the_example() -> None:
    check = compile_valid(inlined_schema("school"))
    validator = Draft202012Validator(inlined_schema("school"))
    trees = [load_bytes(p.read_bytes(), "t").data for p in SUITE_FILES]
    trees += [load_bytes(BASE, "t").data] + [load_bytes(p.read_bytes(), "t").data for p in REPO.glob("schools/*/*.yml")]
    accepted = 0
    for tree in trees:
        if check(tree):
            accepted += 1
            assert not list(validator.iter_errors(tree))
    assert accepted >= 49  # it does say yes to valid files: that is the point of it
