"""A student's progress on one question, and the kernel's record of it.

The log is the single source of truth: a live widget folds each event it writes into
its :class:`Progress` exactly as a restarted kernel folds the events it reads back, so
"what the student did" never has two definitions.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import text as _say
from ..kernel import KERNEL
from ..log import context, eventlog, hubsend


@dataclass
class Progress:
    """What the log says about one student, question and question version.

    A pretest's guesses and the later askings of its question (the post-test) are kept
    apart: a pretest card's progress counts only pretest attempts (``pretest``), any
    other card's only the rest. Attempt numbers carry on across both, so none is used
    twice.
    """

    attempts: int = 0
    judged: int = 0  # attempts with a verdict: one whose check overran opens nothing
    errors: int = 0
    solved: bool = False
    last_response: str | None = None
    last_correct: bool = False
    first_error: str | None = None
    first_confidence: float | None = None
    revealed: bool = False
    hints: int = 0  # how many of the question's hints the student has opened
    reflected: set[int] = field(default_factory=set)
    steps: dict[int, str] = field(default_factory=dict)  # faded steps filled in, by number
    pretest: bool = False  # a pretest card's progress: see above

    def apply(self, event: Mapping[str, object]) -> None:
        kind = event.get("type")
        if kind == "attempt":
            self.attempts = max(self.attempts, _count(event.get("attempt")))
            if (event.get("mode") == "pretest") != self.pretest:
                return
            if event.get("correct") is None:
                return
            self.judged += 1
            self.last_response = str(event.get("response", ""))
            self.last_correct = bool(event.get("correct"))
            if self.last_correct:
                self.solved = True
            elif not self.solved:
                self.errors += 1
                if self.first_error is None:
                    first, level = event.get("id"), event.get("confidence")
                    self.first_error = first if isinstance(first, str) else None
                    self.first_confidence = _level(level)
        elif kind == "reveal":
            self.revealed = True
        elif kind == "hint":
            self.hints = max(self.hints, _count(event.get("n")))
        elif kind == "reflection":
            self.reflected.add(_count(event.get("attempt")))
        elif kind == "step" and _count(event.get("n")):
            self.steps[_count(event.get("n"))] = str(event.get("text", ""))

    def take(self, other: Progress) -> None:
        """Become ``other``: what the file said when the writers' lock was held."""
        vars(self).update(vars(other))


def _counted(key: str, events: Iterable[Mapping[str, object]], **values: object) -> str:
    answers = sum(event.get("type") == "attempt" for event in events)
    form = "work" if not answers else ("one" if answers == 1 else "other")
    # The language given as None (the kernel's) by position: no value can be taken for it.
    return _say(f"{key}.{form}", None, count=answers, **values)


def _count(value: object) -> int:
    """A count from the log, which is data: a hand-edited line must not stop the lesson."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _level(value: object) -> float | None:
    """A confidence from the log, or None where a hand-edited line holds something else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def replay(
    events: Iterable[Mapping[str, object]], question: str, qversion: str, *, pretest: bool = False
) -> Progress:
    progress = Progress(pretest=pretest)
    for event in events:
        if event.get("question") == question and event.get("qversion") == qversion:
            progress.apply(event)
    return progress


class Recorder:
    """The kernel's writer for one student's file, shared by every question on the page.

    Widgets subscribe so that a write failure or a successful retry shows on all of
    them, not just on the one whose event happened to fail. On a hub with the school's
    service, a sender copies the file there in the background (see :mod:`hubsend`):
    started here, so a restarted kernel sends what was left before any new answer.
    """

    def __init__(self, path: Path, fallback: Path | None = None) -> None:
        self.log = eventlog.EventLog(path, fallback)
        self._listeners: list[weakref.WeakMethod[Callable[[str], None]]] = []
        self._told = ""  # the notice listeners last heard: each write need not repeat it
        #: Byte offsets in the log around the last write, None when it did not reach the log.
        self.last_span: tuple[int, int] | None = None
        #: Held while a card reads its span and sets its mark, and while the sender tells
        #: the cards: whichever comes last sees the newest of both.
        self.school_lock = threading.RLock()
        self._school: list[weakref.WeakMethod[Callable[[], None]]] = []
        self.sender = hubsend.sender_for(self.log.path)
        if self.sender is not None:
            self.sender.listen(self._school_heard)

    @property
    def notice(self) -> str:
        """What the student should know of where their work is: nothing while it is all in
        the log; otherwise where it is kept, counting answers (not events)."""
        log = self.log
        if log.error is None:
            return ""
        values = {"folder": log.path.parent, "reason": log.error or _say("notice.disk_refused")}
        if log.pending:
            return _counted("notice.cannot_save", log.pending, **values)
        return _counted("notice.kept_aside", log.aside(), place=log.fallback, **values)

    def subscribe(self, callback: Callable[[str], None]) -> None:
        """Call a widget's bound method with the notice whenever it changes.

        A subscriber reads :attr:`notice` for the notice as it stands.
        """
        ref = weakref.WeakMethod(callback)
        if ref not in self._listeners:
            self._listeners.append(ref)

    def write(self, *events: dict[str, object]) -> None:
        """Write events that belong together (an attempt and its reveal) in one append."""
        start = self._size()
        self.log.append(*events)
        self._written(start)
        self._tell()

    def write_built(
        self, build: Callable[[list[dict[str, object]]], Sequence[dict[str, object]]]
    ) -> list[dict[str, object]]:
        """Write the events ``build`` makes from the history as it stands under the
        writers' lock, and return them: see :meth:`eventlog.EventLog.append_built`."""
        start = self._size()
        made = self.log.append_built(build)
        self._written(start)
        self._tell()
        return made

    def retry(self) -> bool:
        ok = self.log.retry()
        if ok and self.sender is not None:
            self.sender.wake()
        self._tell()
        return ok

    # -- the school's copy ---------------------------------------------------------------

    def watch_school(self, callback: Callable[[], None]) -> None:
        """Call a widget's bound method, from the sender's thread and under
        :attr:`school_lock`, whenever the service holds more of the log."""
        ref = weakref.WeakMethod(callback)
        if ref not in self._school:
            self._school.append(ref)

    def school_holds(self, span: tuple[int, int] | None) -> bool:
        """True when the school's service holds every line of ``span`` (a
        :attr:`last_span`); always False without a service."""
        return self.sender is not None and self.sender.covers(span)

    def _size(self) -> int:
        if self.sender is None:
            return 0
        try:
            return self.log.path.stat().st_size
        except OSError:
            return 0

    def _written(self, start: int) -> None:
        """Note where the write went and wake the sender: only once it is in the log
        itself, never from the fallback file."""
        if self.sender is None:
            return
        self.last_span = (start, self._size()) if self.log.error is None else None
        if self.last_span is not None:
            self.sender.wake()

    def _school_heard(self) -> None:
        with self.school_lock:
            self._school = [ref for ref in self._school if ref() is not None]
            for ref in self._school:
                callback = ref()
                if callback is not None:
                    callback()

    def history(self) -> list[dict[str, object]]:
        """Everything this student has done: on disk, then still waiting in memory."""
        return self.log.history()

    def _tell(self) -> None:
        # Every question on the page listens: telling them of every saved event would cost
        # each answer time in proportion to the lesson's length.
        notice = self.notice
        if notice == self._told:
            return
        self._told = notice
        self._listeners = [ref for ref in self._listeners if ref() is not None]
        for ref in self._listeners:
            callback = ref()
            if callback is not None:
                callback(notice)


def recorder(student: str) -> Recorder:
    path = eventlog.log_path(context.log_dir(), student)
    if path not in KERNEL.recorders:
        KERNEL.recorders[path] = Recorder(path, context.fallback_path(path))
    return KERNEL.recorders[path]


def first_showing(student: str, question: str, qversion: str) -> bool:
    """True once per kernel, student and question version: when ``shown`` is due."""
    key = (student, question, qversion)
    if key in KERNEL.shown:
        return False
    KERNEL.shown.add(key)
    return True


@atexit.register
def _last_try() -> None:
    # A kernel shutting down is the last chance for events the disk refused earlier.
    for rec in KERNEL.recorders.values():
        if rec.log.pending:
            rec.log.retry()
