"""What the build writes at admin/: the page, its script, the generated config, the preview's data and the
installed bundle (no source maps); nothing, and one log line, when the editor is not installed."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from xiaowu.check.bureau import load_policy
from xiaowu.editor.site import write_admin

REPO = Path(__file__).resolve().parents[1]
MKDOCS = {"repo_url": "https://git.qingshi.example.cn/jyj/xiaowu", "edit_uri": "-/edit/main/docs/"}


@pytest.fixture(scope="module")
def policy() -> Any:
    return load_policy(REPO / "schools" / "policy.yml")[0]


def test_the_admin_folder_holds_the_editor_and_nothing_else(tmp_path: Path, policy: Any) -> None:
    (tmp_path / "assets" / "stylesheets").mkdir(parents=True)
    (tmp_path / "assets" / "stylesheets" / "main.abc.min.css").write_text("", "utf-8")
    missing = write_admin(REPO, REPO / "schools", policy, {**MKDOCS, "site_dir": str(tmp_path)}, {"app_id": "x1"})
    assert missing is None
    admin = tmp_path / "admin"
    names = {p.relative_to(admin).as_posix() for p in admin.rglob("*") if p.is_file()}
    assert {"index.html", "admin.js", "config.yml", "editor.json", "decap-cms.js", "yaml/index.js"} <= names
    assert not [n for n in names if n.endswith(".map") or n.endswith(".cms.js") and not n.endswith("decap-cms.js")]
    config = yaml.safe_load((admin / "config.yml").read_text("utf-8"))
    assert config["backend"]["app_id"] == "x1" and config["backend"]["name"] == "gitlab"
    assert [c["folder"] for c in config["collections"]] == ["schools/qingshi", "schools/baihe", "schools/yunling"]
    data = json.loads((admin / "editor.json").read_text("utf-8"))
    assert data["styles"] == ["../assets/stylesheets/main.abc.min.css", "../assets/xiaowu/xiaowu.css"]
    assert list(data["order"]) == ["school", "profile", "hotlines", "fee_disclosures", "evaluations", "settlements"]
    assert list(data["order"]["profile"])[:3] == ["name", "county", "ownership"]
    assert data["terms"]["2026-秋"] == "2026 年秋季学期"
    page = (admin / "index.html").read_text("utf-8")
    assert 'src="decap-cms.js"' in page and "<script>" not in page  # no inline script: the CSP allows none
    policy_line = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy_line and "connect-src 'self' https://git.qingshi.example.cn http://127.0.0.1:" in policy_line.group(1)
    assert "script-src 'self' 'unsafe-eval';" in policy_line.group(1)


def test_without_the_editor_installed_nothing_is_written(tmp_path: Path, policy: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIAOWU_EDITOR_MODULES", str(tmp_path / "nowhere"))
    missing = write_admin(REPO, REPO / "schools", policy, {**MKDOCS, "site_dir": str(tmp_path / "site")}, {})
    assert missing and "setup-editor.sh" in missing
    assert not (tmp_path / "site").exists()
