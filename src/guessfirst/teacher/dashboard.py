"""The teacher's report inside a notebook, refreshed on request or on a timer.

The same HTML as ``guessfirst report`` writes, so the notebook and the file never disagree.
It is shown in a frame with no scripts and no same-origin rights: whatever a student typed
stays text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timezone

import anywidget
import traitlets as t

from .._assets import asset


class Dashboard(anywidget.AnyWidget):
    """Watch a class's logs: ``gf.Dashboard("collected-logs/", every=30)``."""

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
        title: str = "guessfirst report",
        tz: str | None = None,
    ) -> None:
        """``tz``: the IANA zone whose days the spaced review counts; None is this machine's."""
        from .report import time_zone

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
            self.html = report.html(title=self._title, generated=now)
            self.status = f"Updated {now.astimezone():%H:%M:%S}."
        except NoLogsError as err:
            self.status = f"No logs yet: {err}"
        self.seq += 1

    def set_state(self, sync_data: dict[str, object]) -> None:
        """The report is the kernel's to draw: state sent by a browser is refused."""
        keys = [key for key in sync_data if key in self.keys]
        if keys:
            self.send_state(keys)

    def _on_msg(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict) and content.get("type") == "refresh":
            self.refresh()
