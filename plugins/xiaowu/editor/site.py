# Writes the editor into the built site at admin/: the page, its script, the generated config.yml,
# the policy summary its preview reads, and the installed CMS bundle. Public pages link to none of it.
from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xiaowu.model.policy import Policy
from xiaowu.editor import config as cms_config
from xiaowu.editor.assets import bundle_files, modules_dir
from xiaowu.editor.backend import backend, local_backend
from xiaowu.read.schema import load_schema

ADMIN = "admin"
_OWN = Path(__file__).parent / "admin"


def write_admin(root: Path, data_dir: Path, policy: Policy, mkdocs: Mapping[str, Any],
                options: Mapping[str, Any]) -> str | None:
    """Write admin/ into the site; return a line for the build log when the editor is not installed.

    ``mkdocs`` is MkDocs' config (site_dir, repo_url, edit_uri); ``options`` the plugin's `editor:` mapping.
    """
    site_dir = Path(mkdocs["site_dir"])
    files = bundle_files(modules_dir(root))
    if files is None:
        return "未安装资料填报编辑器（运行 bash scripts/setup-editor.sh），网站不含 /admin/。"
    out = site_dir / ADMIN
    out.mkdir(parents=True, exist_ok=True)
    try:
        folder = data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        folder = data_dir.name
    block = backend(mkdocs.get("repo_url"), mkdocs.get("edit_uri"), options)
    built = cms_config.build(load_schema("school"), policy, folder, block, local_backend())
    (out / "config.yml").write_text(cms_config.dump(built), encoding="utf-8")
    styles = [f"../{p.relative_to(site_dir).as_posix()}" for p in sorted(site_dir.glob("assets/stylesheets/*.css"))]
    styles.append("../assets/xiaowu/xiaowu.css")
    (out / "editor.json").write_text(editor_data(policy, built, styles), encoding="utf-8")
    page = (_OWN / "index.html").read_text("utf-8").replace("{csp}", content_policy(block, local_backend()["url"]))
    (out / "index.html").write_text(page, encoding="utf-8")
    for name in ("admin.js", "manual-init.js"):
        shutil.copyfile(_OWN / name, out / name)
    for name, source in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / name)
    return None


#: Where each backend talks when the config names no host (the CMS's own defaults).
_DEFAULT_HOSTS = {"github": ["https://api.github.com"], "gitlab": ["https://gitlab.com"], "gitea": ["https://try.gitea.io"]}


def content_policy(block: Mapping[str, Any], local_url: str) -> str:
    """The admin page's Content-Security-Policy: scripts and styles from this site only; connections to this
    site, the configured git host and the local proxy only. (The CMS compiles its config schema with
    `new Function`, hence 'unsafe-eval'; its styles are inline, hence 'unsafe-inline' for styles.)

    >>> content_policy({"name": "gitlab", "base_url": "https://git.x.cn", "api_root": "https://git.x.cn/api/v4"},
    ...                "http://127.0.0.1:8081/api/v1").split("; ")[4]
    "connect-src 'self' https://git.x.cn http://127.0.0.1:8081"
    """
    urls = [block[k] for k in ("base_url", "api_root", "auth_endpoint") if str(block.get(k, "")).startswith("http")]
    hosts = list(dict.fromkeys(_origin(u) for u in urls or _DEFAULT_HOSTS.get(str(block.get("name")), [])))
    there = " ".join(hosts)
    return "; ".join([
        "default-src 'self'", "script-src 'self' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {there}".strip(), f"connect-src 'self' {there} {_origin(local_url)}".replace("  ", " "),
        "font-src 'self' data:", "object-src 'none'", "base-uri 'self'", f"form-action 'self' {there}".strip(),
    ])


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def editor_data(policy: Policy, built: Mapping[str, Any], styles: list[str]) -> str:
    """What admin.js needs: the key order of a school file (the schema's) and, for the preview,
    the county ids, term names and the catalog's caps from policy.yml (JSON)."""
    catalog = [{"item": e.item, "category": e.category, "cap": _money(e.cap), "unit": e.unit,
                "stages": sorted(e.stages), "ownership": sorted(e.ownership),
                "tiers": [{"name": t.name, "cap": _money(t.cap)} for t in e.tiers]} for e in policy.catalog]
    fields = built["collections"][0]["fields"] if built["collections"] else []
    summary = {"order": cms_config.key_order(fields), "styles": styles, "counties": list(policy.counties),
               "terms": {t.id: t.name for t in policy.terms.values()}, "catalog": catalog}
    return json.dumps(summary, ensure_ascii=False, sort_keys=False, indent=1) + "\n"
