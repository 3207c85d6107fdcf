# The build record: proof, inside the built site, that the xiaowu plugin built and checked it.
#
# An engine that ignores our plugin (Zensical, MkDocs 2.0, a mkdocs.yml without `xiaowu`) still exits
# 0 with a site of hand-written pages only: no school pages, no exports and no checks. So the plugin
# writes xiaowu-build.json last, after the exports and the search index: the data's content hash
# (every file of the data folder, the bureau's included), the rule-set version, the check result,
# counts, and the SHA-256 of every other file in the site. Every publishing path calls verify()
# against the data it was given: no record, a record of other data or other rules, a failed check, or
# a site whose files are not the ones its record lists is refused, in plain Chinese.
#
# It is not a signature: it stops an engine that skipped our checks, a stale or copied record and a
# site edited after its build, not a maintainer who forges a record. Nothing here imports MkDocs.
from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from xiaowu import __version__
from xiaowu.findings.table import RULES
from xiaowu.publish.digests import Signed, total, touched, tree

RECORD = "xiaowu-build.json"
FORMAT = "xiaowu-build/1"
#: Written into a release by scripts/publish.py after it verified the release: never part of a build.
RELEASE_MARKER = ".xiaowu-release-complete"
_NOT_OUTPUT = frozenset({RECORD, RELEASE_MARKER})
_SHOWN = 3  # files named in a refusal, per kind of difference; the rest are counted


@dataclass(frozen=True)
class BuildCheck:
    """What the build's check found, and whether warnings stopped it (`strict`)."""

    errors: int
    warnings: int
    strict: bool

    @property
    def passed(self) -> bool:
        return self.errors == 0 and not (self.strict and self.warnings)


@dataclass(frozen=True)
class Verdict:
    #: Why the site may not be published, one plain Chinese paragraph each; empty when it may.
    problems: tuple[str, ...]
    #: What was verified, for the log of an accepted site.
    summary: str = ""

    @property
    def accepted(self) -> bool:
        return not self.problems


def ruleset() -> str:
    """The version of the checks: the package version, the rule table and the JSON schemas."""
    digest = hashlib.sha256(f"xiaowu {__version__}\n".encode())
    for code in sorted(RULES):
        digest.update(json.dumps(dataclasses.asdict(RULES[code]), ensure_ascii=False, sort_keys=True).encode() + b"\n")
    schemas = resources.files("xiaowu").joinpath("schema")
    for entry in sorted(schemas.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".schema.json"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return "sha256:" + digest.hexdigest()


def _csv_rows(site_dir: Path, output: dict[str, str]) -> dict[str, int]:
    rows = {}
    for path in output:
        if path.startswith("data/") and path.endswith(".csv"):
            with open(site_dir / path, encoding="utf-8-sig", newline="") as handle:
                rows[path] = max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    return rows


class DataChanged(Exception):
    """Files of the data folder were added, removed or written while the site was built from it."""

    def __init__(self, data_dir: Path, paths: list[str]) -> None:
        super().__init__(data_dir, paths)
        self.data_dir, self.paths = data_dir, paths

    def __str__(self) -> str:
        named = "、".join(self.paths[:_SHOWN]) + (" 等" if len(self.paths) > _SHOWN else "")
        return (f"生成网站期间，资料文件夹 {self.data_dir} 中有 {len(self.paths)} 个文件被新增、删除或改动（{named}）："
                "网站未必是由现在的这份资料生成和检查的，所以没有写生成记录，这个网站不能发布。"
                "请等资料不再改动后重新生成网站（mkdocs build --strict）。")


@dataclass(frozen=True)
class Known:
    """What a build knows of files without reading them again: the pages it wrote itself (their path as
    written → publish.digests.signed) and its data folder as found before reading it (a snapshot)."""

    written: Mapping[str, Signed] = dataclasses.field(default_factory=dict)
    data_before: Mapping[str, Signed] | None = None


def make_record(site_dir: Path, data_dir: Path, day: date, check: BuildCheck, school_files: int,
                known: Known = Known()) -> dict[str, Any]:
    """The record of a finished build of ``data_dir`` into ``site_dir`` on ``day``. With
    ``known.data_before`` the record lists the data folder's bytes as the build found them, and
    DataChanged is raised when a file was added, removed or written since (the check may then have
    read other bytes than the record would name)."""
    data_before = known.data_before
    if data_before is not None:
        changed = touched(data_dir, data_before)
        if changed:
            raise DataChanged(data_dir, changed)
    output = tree(site_dir, _NOT_OUTPUT, known.written)
    data = tree(data_dir) if data_before is None else {path: sign[4] for path, sign in data_before.items()}
    return {
        "format": FORMAT,
        "generator": {"name": "xiaowu", "version": __version__, "ruleset": ruleset()},
        "built": day.isoformat(),
        "check": {**dataclasses.asdict(check), "passed": check.passed},
        "counts": {"school_files": school_files, "html_pages": sum(p.endswith(".html") for p in output),
                   "export_rows": _csv_rows(site_dir, output)},
        "data": {"folder": data_dir.name, "files": len(data), "sha256": total(data), "by_file": data},
        "output": {"files": len(output), "sha256": total(output), "by_file": output},
    }


def write_record(site_dir: Path, record: dict[str, Any]) -> Path:
    """Write the record whole (by rename) into ``site_dir``."""
    target, temporary = site_dir / RECORD, site_dir / f".{RECORD}.tmp"
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(temporary, target)
    return target


_REBUILD = "请用含 xiaowu 插件的 mkdocs.yml 重新生成网站（mkdocs build --strict，或 properdocs build --strict），再发布"


def verify(site_dir: Path, data_dir: Path, strict: bool = False) -> Verdict:
    """Whether ``site_dir`` was built and checked by the plugin from exactly the files of ``data_dir``,
    by these rules, and is unchanged since; ``strict`` refuses a build that had warnings too."""
    if not (site_dir / "index.html").is_file():
        return Verdict((f"{site_dir} 不是生成好的网站（没有 index.html）：请先生成网站，再核对和发布。",))
    if not data_dir.is_dir():
        return Verdict((f"找不到资料文件夹 {data_dir}：核对网站需要生成它的那份资料（用 --data 指定）。",))
    record, broken = _load(site_dir / RECORD)
    if record is None:
        return Verdict((broken,))
    problems = [*_check_result(record["check"], strict), *_same_rules(record["generator"])]
    data, output = tree(data_dir), tree(site_dir, _NOT_OUTPUT)
    if data != record["data"]["by_file"]:
        problems.append(f"网站是用另一份资料生成的：与生成网站时的资料相比，{data_dir} 中"
                        f"{_differences(record['data']['by_file'], data)}。发布的网站必须由要发布的这份资料生成和检查；"
                        f"{_REBUILD}。")
    if output != record["output"]["by_file"]:
        problems.append(f"网站的文件与生成记录 {RECORD} 不符：{_differences(record['output']['by_file'], output)}。"
                        "生成记录是从另一次生成复制来的，或网站在生成之后被改动过（包括其他插件在 xiaowu 之后写入的文件）；"
                        f"{_REBUILD}，生成后不要改动。")
    if problems:
        return Verdict(tuple(problems))
    check, counts = record["check"], record["counts"]
    return Verdict((), f"核对通过：网站由 xiaowu {record['generator']['version']} 于 {record['built']} 生成并检查"
                       f"（{check['errors']} 个错误、{check['warnings']} 个警告），资料 {len(data)} 个文件与 {data_dir} 一致，"
                       f"网站 {len(output)} 个文件与生成记录一致；{counts['school_files']} 个学校文件，{counts['html_pages']} 个页面。")


def _load(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The record, or None and why it cannot be used."""
    if not path.is_file() or path.is_symlink():
        return None, (f"网站中没有 xiaowu 的生成记录（{RECORD}）：这个网站不是由 xiaowu 插件生成和检查的。"
                      "可能用了 Zensical、MkDocs 2.0 等不运行 xiaowu 插件的工具，或 mkdocs.yml 中没有 xiaowu 插件，"
                      f"或生成中途失败。学校资料没有经过检查，不能发布；{_REBUILD}。")
    try:
        record = json.loads(path.read_bytes())
        wrong = _shape(record)
    except (OSError, ValueError) as exc:
        wrong = type(exc).__name__
    if wrong:
        return None, (f"网站中的生成记录 {RECORD} 已损坏，或不是本工具写的（{wrong}）。不要手工修改或复制这个文件；"
                      f"{_REBUILD}。")
    return record, ""


def _shape(record: Any) -> str:
    """What is wrong with a record's structure ("" when nothing): only the fields verify() reads."""
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return f"format 应为 {FORMAT}"
    fields = {"generator": ("version", "ruleset"), "check": ("errors", "warnings", "strict", "passed"),
              "counts": ("school_files", "html_pages"), "data": ("by_file",), "output": ("by_file",)}
    for section, keys in fields.items():
        if not isinstance(record.get(section), dict) or any(k not in record[section] for k in keys):
            return f"{section} 不完整"
    for section in ("data", "output"):
        files = record[section]["by_file"]
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            return f"{section}.by_file 不是文件清单"
    check = record["check"]
    if not all(type(check[k]) is int for k in ("errors", "warnings")) or not isinstance(record.get("built"), str):
        return "check 或 built 的值不对"
    return ""


def _check_result(check: dict[str, Any], strict: bool) -> list[str]:
    errors, warnings = check["errors"], check["warnings"]
    if check["passed"] is not True or errors or (check["strict"] and warnings):
        return [f"生成网站时的检查没有通过（{errors} 个错误、{warnings} 个警告）：有问题的资料不能发布。"
                "请运行 xiaowu check 改正全部问题后重新生成网站。"]
    if strict and warnings:
        return [f"生成网站时的检查有 {warnings} 个警告，发布要求没有警告：请运行 xiaowu check --strict 改正后，"
                "用 mkdocs build --strict 重新生成网站。"]
    return []


def _same_rules(generator: dict[str, Any]) -> list[str]:
    if generator["ruleset"] == ruleset():
        return []
    return [f"网站是用另一版本的检查规则生成的（xiaowu {generator['version']}，规则 {str(generator['ruleset'])[7:19]}；"
            f"现在是 xiaowu {__version__}，规则 {ruleset()[7:19]}）：请用现在的版本重新生成网站，再发布。"]


def _differences(expected: dict[str, str], actual: dict[str, str]) -> str:
    """The files that differ, in words: how many changed, are missing, are extra, the first few named."""
    groups = (("{} 个文件有改动", [p for p in expected if p in actual and actual[p] != expected[p]]),
              ("缺少 {} 个文件", [p for p in expected if p not in actual]),
              ("多出 {} 个文件", [p for p in actual if p not in expected]))
    return "；".join(f"{label.format(len(paths))}（{'、'.join(paths[:_SHOWN])}{' 等' if len(paths) > _SHOWN else ''}）"
                    for label, paths in groups if paths)
