# Writing files so that nobody ever sees half of one: each file is staged and renamed into place, and
# one export at a time holds a folder. Used for the exports, `xiaowu export` and the build.
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterable, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; single runs only
    fcntl = None  # type: ignore[assignment]


class OutputBusy(Exception):
    """Another run is writing into the same folder."""


STAGING_PREFIX = ".xiaowu-new-"


def write_files(root: Path, files: dict[str, bytes] | Iterable[tuple[str, bytes]]) -> int:
    """Write every file into a hidden staging folder inside ``root`` first, then move each into place
    with one rename: a reader, or a run killed at any moment, sees each file whole, old or new, never
    half-written. Staging folders left by a killed run are removed by the next one. ``files`` may be
    made one at a time (publish.exports.exports), so they are never all in memory; the number written."""
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    written: list[str] = []
    folders: set[Path] = set()
    try:
        for path, content in files.items() if isinstance(files, dict) else files:
            target = staging / path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(content)
            written.append(path)
        folders.clear()
        for path in written:
            final = root / path
            if final.parent not in folders:
                final.parent.mkdir(parents=True, exist_ok=True)
                folders.add(final.parent)
            os.replace(staging / path, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(written)


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
