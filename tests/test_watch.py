"""Watching a preview's data folder (plugins/xiaowu/watch.py): the system's file events ask for a
rebuild at once, for any change of a file that is not hidden, and never for a file only read; where
no event tells of a change, the slow look finds it and the folder is looked at every half second
from then on; where the server or the system cannot do it, MkDocs' polling watches the folder."""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from xiaowu import watch
from xiaowu.watch import FAST, DataWatch, watch_data


def _folder(tmp_path: Path) -> Path:
    data = tmp_path / "schools"
    (data / "a").mkdir(parents=True)
    (data / "a" / "a-1.yml").write_text("school:\n  id: a-1\n", "utf-8")
    return data


def _pokes(watching: DataWatch, count: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if watching.told >= count:
            return True
        time.sleep(0.01)
    return False


def test_a_save_asks_for_a_rebuild_at_once_and_a_read_or_a_hidden_file_does_not(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    pokes: list[float] = []
    watching = DataWatch(str(data), lambda: pokes.append(time.monotonic()))
    assert watching.start()
    try:
        (data / "a" / "a-1.yml").read_bytes()  # the check reads every file: opened and closed, not changed
        (data / "a" / ".a-1.yml.swp").write_text("editor", "utf-8")  # hidden, as the check and the stamps leave it
        (data / ".git").mkdir()
        (data / ".git" / "index").write_text("x", "utf-8")
        time.sleep(0.5)
        assert pokes == [] and watching.told == 0
        saved = time.monotonic()
        (data / "a" / "a-1.yml").write_text("school:\n  id: a-1\n  name: 新\n", "utf-8")
        assert _pokes(watching, 1)
        assert pokes[0] - saved < 1.0  # (MkDocs' polling: up to half a second, then a look of every file)
        told = watching.told
        renamed = data / "a" / ".a-2.yml.tmp"  # an editor's safe save: a hidden file renamed to a school's
        renamed.write_text("school:\n  id: a-2\n", "utf-8")
        renamed.replace(data / "a" / "a-2.yml")
        assert _pokes(watching, told + 1)
        told = watching.told
        (data / "b").mkdir()  # a folder added (its name may be refused by the check)
        assert _pokes(watching, told + 1)
    finally:
        watching.stop()
    assert watching.observer is None and watching.looker is None


def test_a_change_no_event_told_of_is_found_and_the_folder_then_looked_at_often(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A network drive or a folder shared into a container: changes made elsewhere give no event."""
    data = _folder(tmp_path)
    monkeypatch.setattr(watch, "SLOW", 0.2)
    poked = threading.Event()
    watching = DataWatch(str(data), poked.set)
    monkeypatch.setattr(DataWatch, "event", lambda self, event: None)  # the system tells of nothing
    assert watching.start()
    try:
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.xiaowu"):
            time.sleep(0.3)
            assert not poked.is_set()
            (data / "a" / "a-1.yml").write_text("school:\n  id: a-1\n  name: 改\n", "utf-8")
            assert poked.wait(5)
        assert watching.interval == FAST
        assert "改为每半秒检查一次" in caplog.text
    finally:
        watching.stop()


def test_a_change_an_event_told_of_is_not_asked_for_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _folder(tmp_path)
    monkeypatch.setattr(watch, "SLOW", 0.2)
    pokes: list[int] = []
    watching = DataWatch(str(data), lambda: pokes.append(1))
    assert watching.start()
    try:
        (data / "a" / "a-1.yml").write_text("school:\n  id: a-1\n  name: 改\n", "utf-8")
        assert _pokes(watching, 1)
        time.sleep(0.8)  # several looks: each saw what an event told of
        assert len(pokes) == watching.told and watching.interval == watch.SLOW
    finally:
        watching.stop()


class _Server:
    """A server without the private flag a plugin's events set: only its polling can watch."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


class _MkDocsServer(_Server):
    def __init__(self) -> None:
        super().__init__()
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False


def test_the_server_is_asked_as_its_own_watcher_asks_or_polls_the_folder_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _folder(tmp_path)
    other = _Server()
    assert watch_data(other, str(data)) is None and other.watched == [str(data)]
    server = _MkDocsServer()
    watching = watch_data(server, str(data))
    assert watching is not None and server.watched == []
    try:
        (data / "a" / "a-1.yml").write_text("school:\n  id: a-1\n  name: 改\n", "utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=5)
    finally:
        watching.stop()

    def refused(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "inotify watch limit reached")

    from watchdog.observers.api import BaseObserver
    monkeypatch.setattr(BaseObserver, "schedule", refused)  # too many folders watched already
    polled = _MkDocsServer()
    assert watch_data(polled, str(data)) is None and polled.watched == [str(data)]


def test_an_event_that_arrives_just_after_the_look_is_not_taken_for_a_missed_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An event reaches the watcher through the observer's threads a little after the change: a look
    that already sees the change waits LATE for it before it calls the event missed."""
    data = _folder(tmp_path)
    monkeypatch.setattr(watch, "SLOW", 0.1)
    looks: list[int] = []
    pokes: list[int] = []
    watching = DataWatch(str(data), lambda: pokes.append(1))

    def seen(roots: Any) -> dict[str, Any]:
        looks.append(1)
        if len(looks) == 2:  # the second look sees a change whose event comes 0.05 s after it
            threading.Timer(0.05, lambda: setattr(watching, "told", watching.told + 1)).start()
        return {"look": len(looks) >= 2}

    monkeypatch.setattr(watch, "stamps", seen)
    monkeypatch.setattr(DataWatch, "event", lambda self, event: None)
    assert watching.start()
    try:
        deadline = time.monotonic() + 5
        while len(looks) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(looks) >= 5 and pokes == [] and watching.interval == watch.SLOW
    finally:
        watching.stop()
