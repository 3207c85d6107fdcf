# `xiaowu xlsx import`: one returned workbook -> the school's YAML file -> the same checks as
# `xiaowu check`, every finding reported at its cell.
#
# Only that term's fee_disclosures entry is created or replaced (and the hotlines block, when the
# 投诉电话 sheet changed them); every other byte of the file stays. The file is replaced atomically
# and never through a link. With write=False the result is checked in a scratch copy of the folder.
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.read.fields import parse_phone
from xiaowu.read.files import BUREAU_FILES, display_path
from xiaowu.read.loader import load_bytes
from xiaowu.model.policy import Policy
from xiaowu.check.project import check_project
from xiaowu.xlsx import layout as L
from xiaowu.xlsx.cells import Issue
from xiaowu.xlsx.emit import Line, sequence_item
from xiaowu.xlsx.importer import Imported, read_workbook
from xiaowu.xlsx.locate import Located, from_issue, in_order, one_per_cell, relocate
from xiaowu.xlsx.settle import read_settlement
from xiaowu.xlsx.source import SchoolFile, find_school, read_school
from xiaowu.xlsx.splice import Spliced, splice_key, splice_list_entry
from xiaowu.xlsx.workbook import open_book


@dataclass(frozen=True)
class Outcome:
    found: list[Located] = field(default_factory=list)
    written: Path | None = None
    school_id: str = ""

    @property
    def failed(self) -> bool:
        return any(x.blocking for x in self.found)


def _identity(imported: Imported, policy: Policy, term: str | None) -> list[tuple[str, Issue]]:
    ident = imported.identity
    cell = f"{L.INFO}!B"
    entry = policy.roster.get(ident.get("id", ""))
    listed = entry.name if entry else ""
    if listed and listed != ident.get("name"):
        what = f"表格中的学校名称“{ident.get('name')}”与学校代号 {ident.get('id')} 在本局名单中的“{listed}”不一致"
        return [(cell + str(L.info_row_number("name")), Issue("W905", {"what": what}))]
    wrong = term and ident.get("term") != term
    if wrong or ident.get("term") not in policy.terms:
        what = (f"表格是“{ident.get('term')}”学期的，本次导入的是“{term}”学期" if wrong
                else f"表格的学期“{ident.get('term')}”不在本局学期安排（policy.yml 的 terms）中")
        return [(cell + str(L.info_row_number("term")), Issue("W906", {"what": what}))]
    return []


def _same_hotlines(imported: list[dict[str, object]], school: SchoolFile) -> bool:
    def key(name: object, phone: object, hours: object) -> tuple[str, str, str]:
        parsed = parse_phone(str(phone or ""))
        return str(name or ""), str(parsed) if not isinstance(parsed, str) else str(phone or ""), str(hours or "")

    theirs = [key(h.name, h.phone or "", h.hours) for h in school.school.hotlines]
    ours = [key(h.get("name"), h.get("phone"), h.get("hours")) for h in imported]
    return theirs == ours


def _plans(source: SchoolFile, imported: Imported) -> list[tuple[str, Any]]:
    """What to splice: (key, index or None, lines for a dash indent) or (key, whole block lines)."""
    term = imported.disclosure["term"]
    index = next((int(d.path[-1]) for d in source.school.disclosures if d.term == term), None)
    plans: list[tuple[str, Any]] = [("fee_disclosures", (index, lambda n: sequence_item(imported.disclosure, n, ())))]
    if imported.settlement is not None:
        settled = next((int(x.path[-1]) for x in source.school.settlements if x.term == term and x.term_end), None)
        entry = imported.settlement
        plans.append(("settlements", (settled, lambda n: sequence_item(entry, n, ("settlement",)))))
    if not _same_hotlines(imported.hotlines, source):
        lines: list[Line] = [("hotlines:", ("hotlines",))]
        for i, line in enumerate(imported.hotlines):
            lines += sequence_item(line, 2, ("hotlines", i))
        plans.append(("hotlines", lines))
    return plans


def new_text(source: SchoolFile, imported: Imported) -> tuple[str, dict[int, tuple[str | int, ...]]] | None:
    """The file with the term's entries (and changed hotlines) written in; line -> path of each new line."""
    text = source.raw.decode("utf-8")
    blocks: list[Spliced] = []
    for key, plan in _plans(source, imported):
        loaded = load_bytes(text.encode("utf-8"), "x")
        spliced = (splice_key(text, loaded, key, plan) if isinstance(plan, list)
                   else splice_list_entry(text, loaded, key, plan[0], plan[1]))
        if spliced is None:
            return None
        # a splice above an earlier block moves it
        blocks = [replace(block, first_line=block.first_line + len(spliced.lines) - spliced.removed)
                  if spliced.first_line <= block.first_line else block for block in blocks]
        blocks.append(spliced)
        text = spliced.text
    mapping = {block.first_line + offset: path for block in blocks for offset, (_, path) in enumerate(block.lines)}
    return text, mapping


def replace_file(target: Path, data: bytes) -> None:
    """Write next to ``target`` and rename over it: a reader sees the old or the new file, whole."""
    if target.is_symlink():
        raise PermissionError(0, "是符号链接，不写入", str(target))
    descriptor, temporary = tempfile.mkstemp(prefix=".xiaowu-", suffix=".yml", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _checked(schools_dir: Path, target: Path, data: bytes, today: date, write: bool) -> tuple[list[Diagnostic], str]:
    """The checks' findings for the new file (written in place, or in a scratch copy)."""
    if write:
        replace_file(target, data)
        result = check_project(schools_dir, [target], today=today, jobs=1)
        return list(result.diagnostics), display_path(target)
    with tempfile.TemporaryDirectory(prefix="xiaowu-xlsx-") as scratch:
        root = Path(scratch)
        for name in BUREAU_FILES:
            if (schools_dir / name).is_file():
                shutil.copyfile(schools_dir / name, root / name)
        copy = root / target.parent.name / target.name
        copy.parent.mkdir()
        copy.write_bytes(data)
        result = check_project(root, [copy], today=today, jobs=1)
        shown = display_path(target)
        return [replace(d, file=shown) if d.file == display_path(copy) else d for d in result.diagnostics], shown


def import_workbook(workbook: Path, schools_dir: Path, policy: Policy, *, term: str | None, today: date,
                    write: bool = True) -> Outcome:
    file = display_path(workbook)
    book, issue = open_book(workbook)
    found = [from_issue(file, "", issue)] if issue else []
    if book is None:
        return Outcome(found)
    imported = read_workbook(book, "", policy.area_code)
    read_settlement(imported, book, policy.area_code)
    found += [from_issue(file, where, i) for where, i in imported.findings]
    if imported.fatal:
        return Outcome(found)
    school_id = imported.identity.get("id", "")
    refused = _identity(imported, policy, term)
    path = find_school(schools_dir, school_id, policy)
    source = read_school(path, policy) if path is not None and not refused else None
    if source is None and not refused:
        what = f"学校资料文件 {display_path(path)} 无法读取（格式有错）" if path is not None else ""
        refused = [("", Issue("W924", {"what": what}) if what else Issue("W923", {"value": school_id}))]
    made = new_text(source, imported) if source is not None else None
    if source is not None and made is None:
        what = "资料文件的 fee_disclosures、settlements 或 hotlines 不是逐行书写的格式，无法只替换这一学期的内容"
        refused = [("", Issue("W924", {"what": what}))]
    if refused or made is None or path is None:
        return Outcome(found + [from_issue(file, where, i) for where, i in refused], school_id=school_id)
    text, lines = made
    diagnostics, shown = _checked(schools_dir, path, text.encode("utf-8"), today, write)
    found += relocate([d for d in diagnostics if d.file == shown], shown, file, lines, imported.cells)
    return Outcome(in_order(one_per_cell(found)), path if write else None, school_id)
