"""The teacher's report inside a notebook, refreshed on request or on a timer.

The same HTML as ``guessfirst report`` writes, so the notebook and the file never disagree.
It is shown in a frame with no scripts and no same-origin rights: whatever a student typed
stays text. ``audience="class"`` draws the class view instead, for a projector: no names,
only the wrong answers several students shared (see :mod:`.report._class_view`); then
nothing synced to the browser names a student either.

A live class asks for a refresh every few seconds, and the kernel must stay free for the
teacher's own cells meanwhile. So a refresh first compares what the report would read (each
log's size and modification time, and a collection's ledger) with what it read last time,
and reads nothing when that is unchanged. When something changed, reading the logs and
drawing the page run on a worker thread; only setting the page is left to the kernel's own
loop. Outside a kernel (plain Python, a script) a refresh is done before it returns.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import anywidget
import traitlets as t

from .._assets import asset

if TYPE_CHECKING:
    from .report import Report
    from .report._class_view import Prompt

#: What the report reads, as the file system describes it (see :func:`_signature`).
_Signature = tuple[object, ...]


@dataclass(frozen=True)
class _Drawn:
    """What one refresh found, for the kernel's loop to show: a new page, or None to keep
    the one shown."""

    html: str | None
    status: str


class Dashboard(anywidget.AnyWidget):
    """Watch a class's logs: ``gf.Dashboard("collected-logs/", every=30)``.

    ``audience="class"`` shows the class view, safe on a projector; ``questions`` (the
    lesson's questions) lets its discussion view show each prompt and worked example, and
    ``lang`` its language (by default the one guessfirst speaks now).
    """

    _esm = asset("dashboard.js")
    _css = asset("dashboard.css")

    html = t.Unicode("").tag(sync=True)
    status = t.Unicode("").tag(sync=True)
    every = t.Float(0.0).tag(sync=True)
    height = t.Int(720).tag(sync=True)
    seq = t.Int(0).tag(sync=True)

    def __init__(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        every: float = 0,
        height: int = 720,
        title: str | None = None,
        tz: str | None = None,
        audience: str = "teacher",
        questions: Iterable[object] = (),
        lang: str | None = None,
    ) -> None:
        """``tz``: the IANA zone whose days the spaced review counts; None is this machine's."""
        from .report import time_zone
        from .report._class_view import audience as checked
        from .report._class_view import prompts, spoken

        self._audience = checked(audience)
        self._lang = spoken(lang)
        self._prompts: dict[str, Prompt] = prompts(questions)
        if every < 0:
            raise ValueError(f"every must be a number of seconds, 0 for no timer (got {every!r})")
        self._zone = time_zone(tz)  # a mistyped zone fails here, not at every refresh
        super().__init__(every=float(every), height=int(height))
        self._paths: list[str | os.PathLike[str]] = (
            [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        )
        self._title = title
        # The kernel's own loop (in a notebook, the one that handles the browser's messages):
        # pages are set on it. None outside a kernel: refreshes are then synchronous.
        self._loop = _kernel_loop()
        self._lock = threading.Lock()
        self._running = False  # a worker is reading (one at a time)
        self._again = False  # a refresh was asked for while it read
        # Only the one refresh at work reads or writes these.
        self._seen: _Signature | None = None  # what the page shown was read from
        self._updated: datetime | None = None  # when that page was drawn
        self.on_msg(self._on_msg)
        if self._loop is not None:
            self.status = "Reading the logs…"
        self.refresh()

    def refresh(self) -> None:
        """Read the logs again and redraw; a folder that is empty for now is not an error.

        Inside a running loop the reading is done by a worker thread and the page set when
        it is ready; a refresh asked for meanwhile runs once more after it, with what the
        logs hold then.
        """
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        if not self._live():
            self._work()
            return
        try:
            threading.Thread(target=self._work, name="guessfirst-dashboard", daemon=True).start()
        except BaseException:
            with self._lock:
                self._running = self._again = False
            raise

    def _live(self) -> bool:
        """Whether the loop this dashboard was made in still runs, to hand pages to."""
        return self._loop is not None and self._loop.is_running()

    def _work(self) -> None:
        """Draw, hand the page over, and draw again for as long as refreshes were asked for
        meanwhile. Whether to go again is decided under the lock :meth:`refresh` takes, so a
        request that arrives as the worker ends is never lost."""
        again = True
        try:
            while again:
                self._hand_over(self._draw())
                with self._lock:
                    again, self._again = self._again, False
                    self._running = again
        except BaseException:
            with self._lock:
                self._running = self._again = False
            raise

    def _hand_over(self, drawn: _Drawn) -> None:
        """Set the page on the kernel's loop, or here when there is no loop running."""
        if self._loop is not None and self._live():
            try:
                self._loop.call_soon_threadsafe(self._show, drawn)
            except RuntimeError:  # closed meanwhile: nothing else sets the traits now
                pass
            else:
                return
        self._show(drawn)

    def _draw(self) -> _Drawn:
        """Read the logs and draw the page, unless nothing the report reads has changed.

        Never raises: a failure is told in the status and the last good page is kept.
        """
        from .report import NoLogsError, Report, read

        now = datetime.now(timezone.utc)
        checked = f"{now.astimezone():%H:%M:%S}"
        try:
            seen = _signature(self._paths)
            if seen == self._seen and self._updated is not None:
                return _Drawn(None, f"{self._said_updated()}; checked {checked}, nothing new.")
            report = Report(read(self._paths), tz=self._zone)
            page = self._page(report, now)
        except NoLogsError as err:
            self._seen = None
            return _Drawn(None, f"No logs yet: {err}")
        except Exception as err:  # a log being written or moved, a damaged file: try again later
            self._seen = None
            why = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
            kept = (
                f"still showing the report {self._said_updated().lower()}"
                if self._updated
                else "nothing to show yet"
            )
            return _Drawn(None, f"Could not read the logs at {checked} ({why}); {kept}.")
        self._seen, self._updated = seen, now
        return _Drawn(page, f"Updated {checked}.")

    def _said_updated(self) -> str:
        assert self._updated is not None
        return f"Updated {self._updated.astimezone():%H:%M:%S}"

    def _show(self, drawn: _Drawn) -> None:
        """Set what a refresh found: on the kernel's loop, the only place traits are set."""
        with self.hold_sync():
            if drawn.html is not None:
                self.html = drawn.html
            self.status = drawn.status
            self.seq += 1

    def _page(self, report: Report, now: datetime) -> str:
        """The teacher's full report, or the class view without names."""
        if self._audience == "teacher":
            return report.html(title=self._title or "guessfirst report", generated=now)
        from .report._class_view import class_html

        return class_html(
            report, lang=self._lang, title=self._title, generated=now, questions=self._prompts
        )

    def set_state(self, sync_data: dict[str, object]) -> None:
        """The report is the kernel's to draw: state sent by a browser is refused."""
        keys = [key for key in sync_data if key in self.keys]
        if keys:
            self.send_state(keys)

    def _on_msg(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict) and content.get("type") == "refresh":
            self.refresh()


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The loop a Jupyter kernel handles the browser's messages on, when this runs in one.

    A loop merely marked as running in this thread is not enough: a tool's may be (a
    Playwright session's, for one) that handles nothing while this code runs, and a page
    handed to it would never be shown. Anywhere else, refreshes are synchronous.
    """
    if not _in_kernel():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _in_kernel() -> bool:
    """Whether this runs in an IPython kernel (JupyterLab, Notebook 7, VS Code, Colab)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def _signature(paths: list[str | os.PathLike[str]]) -> _Signature:
    """What the report would read, as the file system describes it: every log the reader
    finds, and each collection's ledger and hub comparison, by path, size, modification time
    and inode; and today's date, which the page's wording of days depends on.

    Raises NoLogsError as the reader would. Costs one listing and a ``stat`` per file.
    """
    from .collect import CONFIRMATIONS, LEDGER
    from .collected import find_logs

    files = [str(log) for log in find_logs(paths)]
    for path in paths:
        folder = Path(path).expanduser()
        if folder.is_dir():
            files += [str(folder / LEDGER), str(folder / CONFIRMATIONS)]
    marks: list[tuple[object, ...]] = []
    for file in files:
        try:
            info = Path(file).stat()
        except OSError:
            marks.append((file,))
        else:
            marks.append((file, info.st_size, info.st_mtime_ns, info.st_ino))
    return (date.today(), *marks)
