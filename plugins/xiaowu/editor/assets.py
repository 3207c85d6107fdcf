# Where the installed editor lives (editor/node_modules, put there by scripts/setup-editor.sh from
# the pinned package-lock.json) and which of its files the site serves at /admin/.
#
# Only the CMS's own browser bundle and the YAML library it is built on are copied: no source maps,
# no second copy under another name, nothing fetched at build or view time.
from __future__ import annotations

import os
from pathlib import Path

#: The editor's npm folder, relative to the repository (= the folder of mkdocs.yml).
EDITOR_DIR = "editor"
#: The YAML library version the CMS bundles (decap-cms-core depends on yaml ^1.8): same output as its own writer.
_BUNDLE = ("decap-cms/dist", "decap-cms.js")
_YAML = "yaml/browser/dist"


def modules_dir(root: Path) -> Path:
    """XIAOWU_EDITOR_MODULES when set; else editor/node_modules next to mkdocs.yml; else the one of the
    checkout this package is installed from (pip install -e), so a copy of the site folder builds too."""
    configured = os.environ.get("XIAOWU_EDITOR_MODULES", "")
    if configured:
        return Path(configured)
    here = root / EDITOR_DIR / "node_modules"
    source = Path(__file__).resolve().parents[3] / EDITOR_DIR / "node_modules"
    return here if here.is_dir() or not source.is_dir() else source


def bundle_files(modules: Path) -> dict[str, Path] | None:
    """Site path under admin/ → installed file, or None when the editor is not installed."""
    dist = modules / _BUNDLE[0]
    main = dist / _BUNDLE[1]
    yaml_dir = modules / _YAML
    if not main.is_file() or not (yaml_dir / "index.js").is_file():
        return None
    out = {_BUNDLE[1]: main}
    # The bundle loads its split chunks (N.decap-cms.js) from next to itself.
    out.update({p.name: p for p in sorted(dist.glob("*.decap-cms.js"))})
    out.update({f"yaml/{p.name}": p for p in sorted(yaml_dir.glob("*.js"))})
    return out
