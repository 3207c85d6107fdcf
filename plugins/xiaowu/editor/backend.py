# Which git host the editor saves to: from the plugin's `editor:` options in mkdocs.yml, else
# guessed from MkDocs' repo_url and edit_uri (the same address the "原始资料" links use).
#
# Every save is a commit by the clerk's own account on that host (OAuth/PKCE login); with the
# editorial workflow it lands on a branch and a merge request, where CI runs `xiaowu check` and
# CODEOWNERS plus the scope check decide what merges. The editor holds no key of its own.
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

#: Options a bureau may set under `plugins: - xiaowu: editor:` (passed through to the CMS's backend).
BACKEND_KEYS = ("name", "repo", "branch", "base_url", "api_root", "auth_type", "app_id", "auth_endpoint",
                "squash_merges", "cms_label_prefix")
#: Commit and merge-request titles in Chinese ({{slug}} is the school id, {{author-name}} the clerk).
COMMIT_MESSAGES = {
    "create": "新建学校资料 {{slug}}（{{author-name}}）",
    "update": "修改学校资料 {{slug}}（{{author-name}}）",
    "delete": "删除学校资料 {{slug}}（{{author-name}}）",
    "uploadMedia": "上传文件 {{path}}",
    "deleteMedia": "删除文件 {{path}}",
    "openAuthoring": "{{message}}",
}
_BRANCH = re.compile(r"(?:-/edit|edit|_edit|src/branch)/([^/]+)/")
LOCAL_PORT = 8081


def backend(repo_url: str | None, edit_uri: str | None, options: Mapping[str, Any]) -> dict[str, Any]:
    """The CMS's `backend:` block.

    >>> backend("https://git.example.cn/jyj/xiaowu", "-/edit/main/docs/", {})["api_root"]
    'https://git.example.cn/api/v4'
    >>> backend("https://github.com/jyj/xiaowu", "edit/main/docs/", {"branch": "data"})["branch"]
    'data'
    """
    parts = urlsplit(repo_url or "")
    host = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    guessed = _guess_name(parts.netloc, edit_uri or "")
    name = str(options.get("name", guessed))
    found = _BRANCH.search(edit_uri or "")
    out: dict[str, Any] = {"name": name, "repo": parts.path.strip("/").removesuffix(".git"),
                           "branch": found.group(1) if found else "main"}
    if name == "gitlab":
        out["auth_type"] = "pkce"
    out["commit_messages"] = COMMIT_MESSAGES
    if host and parts.netloc not in ("github.com", "gitlab.com"):
        out["base_url"] = host
        out["api_root"] = f"{host}/api/v4" if name == "gitlab" else f"{host}/api/v1" if name in ("gitea", "forgejo") \
            else f"{host}/api/v3"
    for key in BACKEND_KEYS:
        if key in options:
            out[key] = options[key]
    return out


def _guess_name(netloc: str, edit_uri: str) -> str:
    if netloc == "github.com":
        return "github"
    if netloc == "gitlab.com" or edit_uri.startswith("-/"):
        return "gitlab"
    return "gitea"  # Gitea and Forgejo (Codeberg) share the API and the /src/branch/ links


def local_backend() -> dict[str, Any]:
    """Where `scripts/edit.sh` runs the local git proxy: loopback only, port from XIAOWU_EDITOR_PORT."""
    port = os.environ.get("XIAOWU_EDITOR_PORT", "")
    port_number = int(port) if port.isdigit() and 0 < int(port) < 65536 else LOCAL_PORT
    return {"url": f"http://127.0.0.1:{port_number}/api/v1", "allowed_hosts": ["127.0.0.1", "localhost"]}
