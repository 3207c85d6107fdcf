# Where a school's file is and what it holds, for the spreadsheet commands: the roster names the
# county folder; the file is read with the same size limit and checks as `xiaowu check`.
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xiaowu.read.fields import valid_id
from xiaowu.check.file import check_file
from xiaowu.read.files import display_path, read_limited
from xiaowu.model.school import School
from xiaowu.model.policy import Policy
from xiaowu.read.text import MAX_BYTES


@dataclass(frozen=True)
class SchoolFile:
    path: Path
    raw: bytes
    school: School


def find_school(schools_dir: Path, school_id: str, policy: Policy) -> Path | None:
    """The school's file; None for an id that is not one (a workbook's id cell is typed data)."""
    if not valid_id(school_id):
        return None
    entry = policy.roster.get(school_id)
    county = entry.county if entry else ""
    candidates = [schools_dir / county / f"{school_id}.yml"] if county else []
    candidates += sorted(schools_dir.glob(f"*/{school_id}.yml"))
    return next((p for p in candidates if p.is_file() and not p.is_symlink()), None)


def read_school(path: Path, policy: Policy) -> SchoolFile | None:
    """The school's bytes and typed model; None when the file cannot be read as YAML at all."""
    file = display_path(path)
    raw, _ = read_limited(path, MAX_BYTES, file)
    if raw is None:
        return None
    result = check_file(raw, file, path.stem, path.parent.name, policy)
    return SchoolFile(path, raw, result.data) if result.data is not None else None


def county_schools(schools_dir: Path, county: str) -> list[Path]:
    return sorted(p for p in (schools_dir / county).glob("*.yml") if p.is_file() and not p.is_symlink())
