# What the files of a folder hash to, for the build record (publish/buildrecord.py): every file read
# and hashed, except the pages the build wrote itself, whose digests their writers took from the bytes
# they wrote (publish/pagewriter.py) while the file is still what they wrote. Nothing here imports MkDocs.
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar


#: What a writer knew of a file it wrote (size, modification and change times in ns, inode) and the
#: SHA-256 of the bytes it wrote.
Signed = tuple[int, int, int, int, str]


def signed(path: str, data: bytes) -> Signed:
    """The signature of ``data`` just written to ``path`` (see ``tree``'s ``known``)."""
    st = os.lstat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, hashlib.sha256(data).hexdigest()


def tree(root: Path, skip: frozenset[str] = frozenset(), known: Mapping[str, Signed] | None = None) -> dict[str, str]:
    """Every file under ``root`` (relative POSIX path → SHA-256), links not followed: a link is
    recorded by where it points, a FIFO or device by its kind (never opened).

    ``known``: files the build wrote itself (their path as written → ``signed``), whose digest is taken
    from the bytes written instead of read back, while the file is still what was written: the same
    size, times and inode (any write changes the change time; a rename or link in its place, the
    inode). Only the build that wrote them passes it; ``verify`` reads every file."""
    found: list[tuple[str, os.DirEntry[str]]] = []
    digests: dict[str, str] = {}
    for relative, entry in _entries(str(root)):
        if relative in skip:
            continue
        sign = known.get(entry.path) if known else None
        if sign is not None and _unchanged(entry.path, sign):
            digests[relative] = sign[4]
        else:
            found.append((relative, entry))
    digests.update(_batched(_digests, found))
    return dict(sorted(digests.items()))


_BATCH = 128
E = TypeVar("E")
R = TypeVar("R")


def _batched(work: Callable[[list[E]], list[R]], items: list[E]) -> Iterator[R]:
    """``work`` over ``items`` in a few threads (reading and hashing release the interpreter lock, so
    they keep the disk and the cores busy), a batch of files per task: a task per file costs more than
    a small file's hashing."""
    batches = [items[start:start + _BATCH] for start in range(0, len(items), _BATCH)]
    with ThreadPoolExecutor(max_workers=min(8, 2 * (os.cpu_count() or 1))) as pool:
        for done in pool.map(work, batches):
            yield from done


def _entries(root: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``root`` but its folders (relative POSIX path, entry), links to folders
    included and not followed; a folder that cannot be listed is left out, as os.walk leaves it."""
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{prefix}{entry.name}/"))
                    else:
                        yield prefix + entry.name, entry
        except OSError:
            continue


def _digests(batch: list[tuple[str, os.DirEntry[str]]]) -> list[tuple[str, str]]:
    return [(relative, _digest(entry)) for relative, entry in batch]


def _digest(entry: os.DirEntry[str]) -> str:
    if entry.is_symlink():
        return "link:" + hashlib.sha256(os.readlink(entry.path).encode()).hexdigest()
    if not entry.is_file(follow_symlinks=False):
        return "special"
    with open(entry.path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def snapshot(root: Path) -> dict[str, Signed]:
    """Every file under ``root`` as ``tree`` lists it (relative path → its size, times and inode, then
    its digest, read after them): the data folder before a build reads it, so that ``touched`` can tell
    afterwards whether the build read exactly these bytes."""
    return dict(sorted(_batched(_signatures, list(_entries(str(root))))))


def _signatures(batch: list[tuple[str, os.DirEntry[str]]]) -> list[tuple[str, Signed]]:
    out: list[tuple[str, Signed]] = []
    for relative, entry in batch:
        try:
            st = os.lstat(entry.path)
        except OSError:  # gone since it was listed: a file that cannot match later
            out.append((relative, (-1, -1, -1, -1, "gone")))
            continue
        try:
            digest = _digest(entry)
        except OSError as exc:  # unreadable: named so, and still unchanged while nobody writes it
            digest = f"unreadable:{exc.errno}"
        out.append((relative, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest)))
    return out


def touched(root: Path, before: Mapping[str, Signed]) -> list[str]:
    """The files under ``root`` added, removed or written (even back to the same bytes) since
    ``before`` (a ``snapshot``), by relative path."""
    now = {relative: entry.path for relative, entry in _entries(str(root))}
    return sorted({*(r for r in now if r not in before or not _unchanged(now[r], before[r], any_kind=True)),
                   *(r for r in before if r not in now)})


def _unchanged(path: str, sign: Signed, any_kind: bool = False) -> bool:
    """Whether ``path`` has the size, times and inode of ``sign`` (and is a regular file, unless ``any_kind``)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == sign[:4] and (any_kind or stat.S_ISREG(st.st_mode))


def total(files: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{digest}  {path}\n" for path, digest in files.items()).encode()).hexdigest()
