# What a build finishes after its pages (the exports, the search index and the form editor; behind a
# preview, in a thread), and the published address, which a preview's config no longer tells.
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.utils.yaml import yaml_load

from xiaowu.editor.site import write_admin
from xiaowu.publish.build import Finishing, Stop, finish
from xiaowu.publish.buildrecord import BuildCheck, DataChanged, Known, make_record, write_record
from xiaowu.publish.digests import Signed
from xiaowu.publish.tables import Tables

log = logging.getLogger("mkdocs.plugins.xiaowu")


def configured_site_url(config_file: str | None) -> str:
    """site_url as written in mkdocs.yml (read again: `mkdocs serve` has replaced it in the config)."""
    try:  # a config MkDocs itself just loaded; if it cannot be re-read, print no address
        with open(config_file or "", "rb") as handle:
            value = (yaml_load(handle) or {}).get("site_url")
    except Exception:
        value = ""
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Publishing:
    """What a build's exports, search index and form editor are written from, besides the tables."""

    root: Path  # the repository (mkdocs.yml's folder)
    data: Path
    editor: dict[str, Any]  # the plugin's `editor` option
    public_url: str
    handwritten: list[str]
    staged: frozenset[str]  # the pages whose search block is in the search stage (fastpages)
    blocks: tuple[tuple[str, bytes], ...] = ()  # the stage's files a preview writes behind its pages
    quiet: bool = False  # a preview showing the findings: a problem of the exports is not repeated


def finish_site(config: MkDocsConfig, tables: Tables, how: Publishing, stop: Stop | None) -> None:
    """Exports and the form editor while the search index is made; behind a preview, until ``stop``
    is set. A problem stops a build (PluginError) and is logged by a preview."""
    missing: list[str | None] = []

    def editor() -> None:
        missing.append(write_admin(how.root, how.data, tables.site.policy, config, how.editor))
    done = finish(tables, Path(config.site_dir), how.public_url, how.handwritten,
                  Finishing(stop, how.staged, editor, how.blocks))
    if stop is not None and stop():
        return
    log.info(done.summary)
    for line in filter(None, missing):
        log.info(line)
    if done.problems and not how.quiet:
        if stop is None:
            raise PluginError("；".join(done.problems) + "。")
        log.error("；".join(done.problems) + "。")


def record_site(config: MkDocsConfig, tables: Tables, data: Path, strict: bool, signed: dict[str, Signed],
                data_before: dict[str, Signed] | None) -> None:
    """Last, after every file of the site: the build record (publish/buildrecord.py) of the pages
    ``signed`` as written and the data folder as found before it was read (``data_before``). A data
    folder changed since stops the build, with no record: the site cannot be published."""
    result, site_dir = tables.site.result, Path(config.site_dir)
    check = BuildCheck(result.errors, result.warnings, strict or bool(config.strict))
    try:
        record = make_record(site_dir, data, result.today, check, len(result.schools), Known(signed, data_before))
    except DataChanged as exc:
        raise PluginError(str(exc)) from None
    write_record(site_dir, record)
