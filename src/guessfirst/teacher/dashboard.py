"""The teacher's report inside a notebook, refreshed on request or on a timer.

The same HTML as ``guessfirst report`` writes, so the notebook and the file never disagree.
It is shown in a frame with no scripts and no same-origin rights: whatever a student typed
stays text. ``audience="class"`` draws the class view instead, for a projector: no names,
only the wrong answers several students shared (see :mod:`.report._class_view`); then
nothing synced to the browser names a student either.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import anywidget
import traitlets as t

from .._assets import asset

if TYPE_CHECKING:
    from .report import Report
    from .report._class_view import Prompt


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
        self.on_msg(self._on_msg)
        self.refresh()

    def refresh(self) -> None:
        """Read the logs again and redraw; a folder that is empty for now is not an error."""
        from .report import NoLogsError, Report, read

        now = datetime.now(timezone.utc)
        try:
            report = Report(read(self._paths), tz=self._zone)
        except NoLogsError as err:
            self.status = f"No logs yet: {err}"
        else:
            self.html = self._page(report, now)
            self.status = f"Updated {now.astimezone():%H:%M:%S}."
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
