"""A student's log that never loses an event while its file cannot be written.

A full disk, a folder gone read-only, or a file that belongs to someone else must not
cost the student their work, nor stop the lesson: events wait in a fallback file, or in
memory, and move to the log at the next write that works.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ._lock import NO_FOLLOW, locked
from .events import Event, fitted
from .read import read_events
from .write import append_events

#: Given what waits, the events to append given the file's events (called under the lock).
_Waiting = Callable[[list[Event]], Callable[[list[Event]], Sequence[Event]]]


class EventLog:
    """Events for one student's file, kept safe while that file cannot be written.

    Events then go to ``fallback``, a file of the student's own (under their home), and
    failing that wait here in memory; at the next write that works, they move to the log
    itself, first and in order, with the chain continued there.
    """

    def __init__(self, path: Path, fallback: Path | None = None) -> None:
        self.path = Path(path)
        self.fallback = None if fallback is None else Path(fallback)
        self.pending: list[Event] = []
        self.error: str | None = None

    def append(self, *events: Event) -> bool:
        """Queue ``events`` and write all that is waiting; True when it is all in the log.

        An event that can never be written (not JSON-serialisable, or too large without
        its text) raises ValueError or TypeError at once instead of blocking the queue.
        """
        for event in events:
            fitted(event)
        self.pending.extend(events)
        return self.retry()

    def append_built(self, build: Callable[[list[Event]], Sequence[Event]]) -> list[Event]:
        """Write what ``build`` makes of the student's history, and return it.

        ``build`` is called once, under the writers' lock, with the file's events and then
        those waiting, so another kernel's events count too. When the log refuses before
        the lock is taken, it is called with the history that can be read, and its events
        wait with the others.
        """
        made: list[Event] = []

        def under_lock(waiting: list[Event]) -> Callable[[list[Event]], list[Event]]:
            def events(on_disk: list[Event]) -> list[Event]:
                made[:] = build([*on_disk, *waiting])
                for event in made:
                    fitted(event)
                return [*waiting, *made]

            return events

        try:
            self._write(under_lock)
        except OSError as exc:
            if not made:
                made[:] = build(self.history())
                for event in made:
                    fitted(event)
            self.pending.extend(made)
            self._set_aside(exc)
            return made
        self.pending.clear()
        self.error = None
        return made

    def history(self) -> list[Event]:
        """Every event of this student's: in the log, set aside, then waiting here."""
        return [*_readable_events(self.path), *self.aside(), *self.pending]

    def aside(self) -> list[Event]:
        """The events in the fallback file, waiting to move to the log."""
        return _readable_events(self.fallback) if self.fallback is not None else []

    def retry(self) -> bool:
        """Move everything waiting to the log, oldest first; False if it still refuses."""
        if self.pending or (self.fallback is not None and self.fallback.exists()):
            try:
                self._write(lambda waiting: lambda _on_disk: waiting)
            except OSError as exc:
                self._set_aside(exc)
                return False
            self.pending.clear()
        self.error = None
        return True

    def _write(self, events: _Waiting) -> None:
        """Append to the log what ``events`` makes of all that waits (set aside, then here).

        The fallback file stays locked meanwhile, and is emptied only once its events are
        in the log, so two kernels cannot move them twice, nor can they be lost.
        """
        if self.fallback is None or not self.fallback.exists():
            append_events(self.path, events(list(self.pending)))
            return
        fd = os.open(self.fallback, os.O_RDWR | NO_FOLLOW | getattr(os, "O_BINARY", 0))
        try:
            with locked(fd, self.fallback):
                moved = [_unchained(event) for event in _readable_events(self.fallback)]
                append_events(self.path, events([*moved, *self.pending]))
                os.ftruncate(fd, 0)
                with contextlib.suppress(OSError):
                    self.fallback.unlink()
        finally:
            os.close(fd)

    def _set_aside(self, exc: OSError) -> None:
        """The log refused: keep what waits in memory in the fallback file, if it takes it."""
        self.error = exc.strerror or str(exc)
        if self.fallback is None or not self.pending:
            return
        try:
            append_events(self.fallback, self.pending)
        except OSError:
            return  # neither takes it: it waits in memory, and the notice says so
        self.pending.clear()


def _readable_events(path: Path | None) -> list[Event]:
    if path is None:
        return []
    try:
        return read_events(path).events
    except OSError:  # unreadable now: it is not part of what is known
        return []


def _unchained(event: Event) -> Event:
    """An event as it was made, before a file's chain was added to it."""
    return {key: value for key, value in event.items() if key != "prev"}
