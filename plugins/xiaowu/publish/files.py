# Writing the exports so that nobody ever sees half of them: the whole set is staged beside its place,
# the `data/` folder is swapped for the staged one as a whole (so it holds exactly the current files:
# a deleted school's JSON goes with the old set), every other file is renamed into place, and one
# export at a time holds a folder. Used by `xiaowu export` and the build.
from __future__ import annotations

import ctypes
import os
import shutil
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterable, Iterator, Mapping

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; single runs only
    fcntl = None  # type: ignore[assignment]


class OutputBusy(Exception):
    """Another run is writing into the same folder."""


STAGING_PREFIX = ".xiaowu-new-"
#: Where the previous set waits while the new one moves in (only when the two cannot be exchanged).
OLD_PREFIX = ".xiaowu-old-"
#: The folder the exports own; files in it that are not exports (MkDocs' data page) are carried over.
SWAPPED = "data"
_EXPORT_SUFFIXES = (".json", ".csv")
#: A file's bytes, or its bytes in pieces (written as they come, so a file of hundreds of megabytes is
#: never whole in memory).
Content = bytes | Iterable[bytes]


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.renameat2  # noqa: B018 - glibc 2.28+; older C libraries fall back to two renames
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


def exchange(new: Path, final: Path) -> bool:
    """Swap two existing folders in one step (Linux renameat2 RENAME_EXCHANGE: a reader sees one or
    the other, never neither); False where the system or the file system cannot."""
    if _LIBC is None or not final.is_dir() or final.is_symlink():
        return False
    at_cwd, rename_exchange = -100, 2
    return int(_LIBC.renameat2(at_cwd, os.fsencode(new), at_cwd, os.fsencode(final), rename_exchange)) == 0


def swap(new: Path, final: Path) -> None:
    """Put the folder ``new`` in the place of ``final`` as a whole; the old set is deleted afterwards.
    Without an exchange: ``final`` moves aside, ``new`` moves in, and if that fails the old set is
    moved back; a run killed between the two renames leaves it aside for recover() to restore."""
    if exchange(new, final):
        shutil.rmtree(new, ignore_errors=True)  # now the old set
        return
    old = final.with_name(OLD_PREFIX + final.name)
    if final.exists():
        os.replace(final, old)
    try:
        os.replace(new, final)
    except BaseException:
        if old.exists() and not final.exists():
            os.replace(old, final)
        raise
    _remove(old)


def _remove(path: Path) -> None:
    """Delete a folder we made, or a link in its place (never what the link points to)."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def recover(root: Path, folder: str = SWAPPED) -> None:
    """After a killed run: the set it moved aside goes back if nothing took its place, else it goes;
    its staging folders go."""
    old, final = root / (OLD_PREFIX + folder), root / folder
    if old.is_symlink():
        old.unlink()
    elif old.is_dir():
        if not final.exists() and not final.is_symlink():
            os.replace(old, final)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for stale in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def _carry(old: Path, new: Path, written: set[str]) -> None:
    """Copy into ``new`` the regular files of ``old`` that are not exports (MkDocs' data page)."""
    if not old.is_dir() or old.is_symlink():
        return
    for folder, dirs, names in os.walk(old):  # does not follow links
        for name in names:
            source = Path(folder) / name
            relative = source.relative_to(old)
            if name.endswith(_EXPORT_SUFFIXES) or relative.as_posix() in written \
                    or not stat.S_ISREG(os.lstat(source).st_mode):
                continue
            (new / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, new / relative)
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]


def write_files(root: Path, files: Mapping[str, Content] | Iterable[tuple[str, Content]]) -> int:
    """Write the complete set of export files into ``root``: staged first in a hidden folder inside it,
    then ``data/`` swapped for the staged one as a whole (it holds exactly this set, plus the files
    that are not exports) and each other file renamed into place. A reader, or a run killed at any
    moment, sees the old or the new ``data/`` whole, and each other file whole. ``files`` may be made
    one at a time and each in pieces (publish.exports.exports), so they are never all in memory; the
    number written."""
    root.mkdir(parents=True, exist_ok=True)
    recover(root)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        written = _stage(staging, files)
        inside = {path.removeprefix(SWAPPED + "/") for path in written if path.startswith(SWAPPED + "/")}
        (staging / SWAPPED).mkdir(exist_ok=True)
        _carry(root / SWAPPED, staging / SWAPPED, inside)
        for path in written:
            if not path.startswith(SWAPPED + "/"):
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / path, root / path)
        swap(staging / SWAPPED, root / SWAPPED)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(written)


def _stage(staging: Path, files: Mapping[str, Content] | Iterable[tuple[str, Content]]) -> list[str]:
    written: list[str] = []
    folders: set[Path] = set()
    for path, content in files.items() if isinstance(files, Mapping) else files:
        target = staging / path
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            with open(target, "wb") as handle:
                for piece in content:
                    handle.write(piece)
        written.append(path)
    return written
@contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold a lock beside ``out`` for one whole export; a second run is refused at once (OutputBusy)
    rather than interleaving its files with ours. The lock is released when the process ends,
    however it ends (an advisory ``flock``, where the system has one)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = open(out.parent / f".{out.name}.xiaowu-lock", "a+b")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputBusy(str(out)) from None
        yield
    finally:
        handle.close()
