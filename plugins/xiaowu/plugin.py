# The MkDocs adapter: validates the data folder through the same core as `xiaowu check`.
#
# Every diagnostic is logged with file:line:col under mkdocs.plugins.xiaowu; errors stop the build
# once, after all of them are shown; warnings are logged as warnings so `mkdocs build --strict`
# fails on them. Pages and exports are added here in later steps.
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .reference import format_page, rules_page

from .compliance import resolve_today
from .project import ProjectResult, check_project

log = logging.getLogger("mkdocs.plugins.xiaowu")


class XiaowuConfig(Config):
    """Options. Example::

        plugins:
          - xiaowu:
              data_dir: schools
    """

    #: The data folder holding policy.yml and schools/<county>/<id>.yml, relative to mkdocs.yml.
    data_dir = c.Type(str, default="schools")


class XiaowuPlugin(BasePlugin[XiaowuConfig]):
    result: ProjectResult | None = None

    def _data_dir(self, config: Any) -> Path:
        return Path(config.config_file_path).parent / self.config.data_dir

    def on_pre_build(self, config: Any) -> None:
        result = check_project(self._data_dir(config), today=resolve_today())
        for d in result.diagnostics:
            line = f"{d.file}:{d.line}:{d.column}: {d.code} {d.message}（帮助：{d.help}）"
            (log.error if d.blocking else log.warning)(line)
        if result.errors:
            raise PluginError(f"校务公开资料有 {result.errors} 个错误，已停止发布（详见上方各行）。")
        log.info("xiaowu: checked %d school files", len(result.schools))
        self.result = result

    def on_files(self, files: Files, config: Any) -> Files:
        for name, content in (("format.md", format_page()), ("rules.md", rules_page())):
            files.append(File.generated(config, name, content=content))
        return files

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self._data_dir(config)))
        return server
