"""Our YAML writers against the form editor's own: canonical.scalar (used by `xiaowu new` and the example
generator) must choose plain or quoted exactly as the yaml 1.x library inside Decap CMS does, run here
with Node.js from the installed editor (editor/node_modules)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from xiaowu.check.bureau import load_policy
from xiaowu.editor.assets import modules_dir
from xiaowu.publish.canonical import scalar
from xiaowu.publish.starter import render_template

REPO = Path(__file__).resolve().parents[1]
TEXTS = ["青石县", "0712-1234567", "0712", "12345", "工作日 08:00-17:30", "a: b", "第 #3 条", "#3", "-x", "- x",
         "x-", "true", "True", "no", "null", "~", "1.5", "1e3", "", " x", "x ", "[2023]12号", "〔2025〕18号", "@x",
         "%x", "*x", "&x", "!x", "|x", ">x", "'x", '"x', "?x", ":x", ",x", "{x", "https://x.cn/a?b=1#c", "2026-08-18",
         "元/生·学期", "x:", "0x1A", ".5", "1_000", "+1", "12:30", "是", "否", "yes", "x\"y", "a\\b", "-1", "1.0",
         "《青石市中小学收费项目及标准》", "青发改收费〔2024〕12号、开教发【2022】55号", "按实际住宿月数收取"]


def _node_yaml(script: str, data: object) -> str:
    node = shutil.which("node")
    assert node, "Node.js is installed with the editor (scripts/setup-editor.sh)"
    library = modules_dir(REPO) / "yaml"
    assert (library / "package.json").is_file()
    prelude = f"const YAML = require({json.dumps(str(library))}); const data = JSON.parse(process.argv[1]);"
    done = subprocess.run([node, "-e", prelude + script, json.dumps(data, ensure_ascii=False)],
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_scalar_quotes_exactly_where_the_editor_does() -> None:
    written = _node_yaml("const d = new YAML.Document(); d.contents = YAML.createNode({v: data});"
                         "process.stdout.write(d.toString());", TEXTS)
    theirs = [line.removeprefix("  - ") for line in written.splitlines()[1:]]
    assert theirs == [scalar(t) for t in TEXTS]


@pytest.mark.parametrize("text", ["290", "1100", "85.5", "12345", "2025", "94.3", "0", "0712", "85.50", "1e3"])
def test_number_like_values_are_plain_only_when_they_read_back_the_same(text: str) -> None:
    back = _node_yaml("process.stdout.write(YAML.stringify(YAML.parse(data)));", text).strip()
    assert (scalar(text, number=True) == text) is (back == text)


def test_a_filled_in_template_keeps_its_values_through_the_editor() -> None:
    policy, _, _ = load_policy(REPO / "schools" / "policy.yml")
    text = render_template("qs-new", "青石县", policy)
    filled = "\n".join(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")) + "\n"
    valued = [line for line in filled.splitlines() if not line.endswith(":") and not line.endswith("- ")]
    back = _node_yaml("process.stdout.write(YAML.stringify(YAML.parse(data)));", filled).splitlines()
    assert len(valued) >= 4 and set(valued) <= set(back), sorted(set(valued) - set(back))
