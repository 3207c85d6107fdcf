# Watching a preview's data folder. MkDocs' own watcher polls: every half second it looks at every
# file it watches, which for a province's data folder (20,000 school files) is 0.2 s of a core per
# look, every look, beside every rebuild, and a save is seen up to half a second late. The system's
# file events (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) tell of a save
# at once and cost nothing between saves. Some folders get no events for changes made elsewhere (a
# network drive, a folder shared into a container or WSL), so a slow look stays: when it finds a
# change that no event told of, the folder is looked at every half second from then on, as MkDocs does.
from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("mkdocs.plugins.xiaowu")

#: size, mtime_ns, ctime_ns, inode, the kind of file (stat.S_IFMT) and whether it is reached through a link
Stamp = tuple[int, int, int, int, int, bool]
#: Seconds between looks at the folder: while its events are trusted, and once one was missed; how
#: long an event may take to reach us after the change it tells of.
SLOW, FAST, LATE = 3.0, 0.5, 0.25
#: The events that tell of a change (not of a file opened or read: the check reads every file).
TOLD = frozenset({"created", "deleted", "modified", "moved", "closed"})


def stamps(roots: Iterable[str]) -> dict[str, Stamp]:
    """Every file under ``roots`` (files or folders; hidden entries left out, as MkDocs and the check
    leave them out), by path; and every folder, by its path and a trailing separator, by its inode
    alone (so that a folder added, removed or replaced is seen, and a file saved by renaming a new one
    over it is not taken for a change of its folder)."""
    found: dict[str, Stamp] = {}
    seen: set[tuple[int, int]] = set()  # folders walked (links are followed, as MkDocs follows them)
    pending = [(os.path.abspath(root), os.path.islink(root)) for root in roots if root]
    while pending:
        path, linked = pending.pop()
        try:
            st = os.stat(path)
            if stat.S_ISDIR(st.st_mode):
                found[path + os.sep] = (0, 0, 0, st.st_ino, stat.S_IFDIR, linked)
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    pending += [(entry.path, linked or entry.is_symlink()) for entry in os.scandir(path)
                                if not entry.name.startswith(".")]
                continue
        except OSError:
            continue
        found[path] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, stat.S_IFMT(st.st_mode), linked)
    return found


class DataWatch:
    """State by nature (one per `mkdocs serve`): the folder's events and its slow look, each calling
    ``poke`` (ask the server for a rebuild) on a change of a file that is not hidden."""

    __slots__ = ("folder", "poke", "observer", "looker", "stopped", "told", "interval")

    def __init__(self, folder: str, poke: Callable[[], None]) -> None:
        self.folder, self.poke = os.path.abspath(folder), poke
        self.observer: Any = None
        self.looker: threading.Thread | None = None
        self.stopped = threading.Event()
        self.told, self.interval = 0, SLOW  # events that told of a change so far

    def start(self) -> bool:
        """Watch; False (nothing started) where the system gives no file events or refuses the watch
        (too many watched folders): then the caller's polling watches the folder."""
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
            from watchdog.observers.polling import PollingObserver
        except ImportError:  # pragma: no cover - watchdog comes with MkDocs
            return False
        observer = Observer()
        if isinstance(observer, PollingObserver):  # no events on this system
            return False
        handler = FileSystemEventHandler()
        handler.on_any_event = self.event  # type: ignore[method-assign]
        try:
            observer.schedule(handler, self.folder, recursive=True)
            observer.start()
        except OSError as exc:
            log.info(f"预览：系统不能通知数据文件夹的改动（{exc.strerror or exc}），改为每半秒检查一次。")
            return False
        self.observer = observer
        self.looker = threading.Thread(target=self._look, name="xiaowu-watch", daemon=True)
        self.looker.start()
        return True

    def event(self, event: Any) -> None:
        if event.event_type not in TOLD or (event.is_directory and event.event_type == "modified"):
            return  # a folder's times change with every file saved in it; that file's own event tells
        if any(self._shown(path) for path in (event.src_path, getattr(event, "dest_path", "")) if path):
            self.told += 1
            self.poke()

    def _shown(self, path: str | bytes) -> bool:
        relative = os.path.relpath(os.fsdecode(path), self.folder)
        return not any(part.startswith(".") for part in relative.split(os.sep))

    def _look(self) -> None:
        # A change this look finds was made after the last look stat-ed its file, so its event came
        # after the last look began (``told``: the count then), and at the latest shortly after this
        # look (through the observer's two threads, LATE).
        told, last = self.told, stamps([self.folder])
        while not self.stopped.wait(self.interval):
            before, now = self.told, stamps([self.folder])
            if now != last and self.told == told and not self.stopped.wait(LATE) and self.told == told:
                if self.interval != FAST:
                    log.info("预览：数据文件夹的改动没有收到系统的通知（网络盘、容器或 WSL 的共享文件夹常见），"
                             "改为每半秒检查一次。")
                self.interval = FAST
                self.poke()
            told, last = before, now

    def stop(self) -> None:
        self.stopped.set()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join()
            self.observer = None
        if self.looker is not None:
            self.looker.join()
            self.looker = None


def watch_data(server: Any, folder: str) -> DataWatch | None:
    """The data folder watched through the system's file events (DataWatch), where the server lets a
    plugin ask for a rebuild the way its own watcher does (its private flag and condition, MkDocs 1.2
    to 1.6); else, or where the system gives no events, by the server's polling."""
    wanted = getattr(server, "_rebuild_cond", None)
    if wanted is not None and hasattr(server, "_want_rebuild"):
        def poke() -> None:
            with wanted:
                server._want_rebuild = True
                wanted.notify_all()
        watching = DataWatch(folder, poke)
        if watching.start():
            log.info(f"预览：数据文件夹 {os.path.basename(watching.folder)} 的改动由系统随时通知，另每 {SLOW:g} 秒查看一遍。")
            return watching
    server.watch(folder)
    return None
