"""The student's own view: their good errors, what is still open, and learning that lasted.

Read only from the student's own log files (this lesson's, and those of the other lesson
folders the teacher's configuration names), never from anyone else's. Errors are
counted as progress: a question got wrong first and then right is a *good error*.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import anywidget
import traitlets as t

from .._assets import asset
from ..i18n import catalogue, day_month, language
from ..i18n import text as _say
from ..log import context, eventlog
from .rendering import escape

if TYPE_CHECKING:
    from .summary import Summary


class ProgressView(anywidget.AnyWidget):
    """The progress card: ``gf.progress()``. Built once, from the logs as they are now."""

    _esm = asset("progress.js")
    _css = asset("progress.css")

    lang = t.Unicode("en").tag(sync=True)
    strings = t.Dict().tag(sync=True)
    summary_html = t.Unicode("").tag(sync=True)
    downloads = t.List(t.Dict()).tag(sync=True)

    def __init__(self, files: Sequence[Path], summary_html: str) -> None:
        labels = _download_labels(files)
        super().__init__(
            lang=language(),
            strings={k: v for k, v in catalogue().items() if k.startswith("card.progress.")},
            summary_html=summary_html,
            downloads=[
                {"label": label, "name": path.name}
                for label, path in zip(labels, files, strict=True)
            ],
        )
        self._files = list(files)
        self.on_msg(self._on_msg)

    def __repr__(self) -> str:
        count = len(self._files)
        return f"ProgressView({count} log file{'' if count == 1 else 's'})"

    def set_state(self, sync_data: dict[str, object]) -> None:
        """The summary is the kernel's to write: state sent by a browser is refused."""
        keys = [key for key in sync_data if key in self.keys]
        if keys:
            self.send_state(keys)

    def _on_msg(self, _widget: object, content: object, _buffers: object) -> None:
        """Send one of the student's own files, as it is on disk, for the browser to save."""
        if not isinstance(content, dict) or content.get("type") != "download":
            return
        index = content.get("index")
        if not isinstance(index, int) or isinstance(index, bool):
            return
        if not 0 <= index < len(self._files):
            return
        path = self._files[index]
        self.send({"type": "file", "name": path.name}, buffers=[path.read_bytes()])


def progress(
    folders: Iterable[str | os.PathLike[str]] | None = None,
    *,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> ProgressView:
    """Show the student's progress, from their own logs.

    ``folders`` are log folders to read; by default this lesson's (see ``configure``) and
    those listed in ``GUESSFIRST_LOG_DIRS``. ``today`` and ``tz`` default to the
    computer's date and time zone.
    """
    from .schedule import local_zone
    from .summary import summarize

    student = context.student()
    if student is None:  # no name given yet: the card says to answer a question first
        return ProgressView([], "")
    zone = tz or local_zone()
    day = today or datetime.now(zone).date()
    files = [path for path in context.own_logs(student, folders) if path.is_file()]
    events = [event for path in files for event in eventlog.read_events(path).events]
    return ProgressView(files, _summary_html(summarize(events, day, zone), day) if files else "")


def _download_labels(files: Sequence[Path]) -> list[str]:
    """One button per file; with several, each names its lesson folder."""
    if len(files) == 1:
        return [_say("card.progress.download")]
    return [_say("card.progress.download_named", folder=path.parent.parent.name) for path in files]


def _summary_html(summary: Summary, today: date) -> str:
    """The card's sentences; question ids are the teacher's, escaped all the same."""
    good_today, good_week = summary.good_today, summary.good_week
    parts = [f"<h3>{_say('progress.title')}</h3>"]
    if good_today:
        key = "progress.good_today.one" if len(good_today) == 1 else "progress.good_today.other"
        parts.append(f"<p>{_say(key, count=len(good_today), names=_names(good_today))}</p>")
    else:
        parts.append(f"<p>{_say('progress.good_today.none')}</p>")
    if good_week:
        key = "progress.good_week.one" if len(good_week) == 1 else "progress.good_week.other"
        parts.append(f"<p>{_say(key, count=len(good_week))}</p>")
    still_open = summary.still_open
    if still_open:
        parts.append(f"<p>{_say('progress.open.some', names=_names(still_open))}</p>")
    parts.append(f"<h4>{_say('progress.lasted.title')}</h4>")
    lasted = summary.lasted
    if not lasted:
        parts.append(f"<p>{_say('progress.lasted.none')}</p>")
    else:
        items = "".join(
            "<li>"
            + _say(
                "progress.lasted.item_today" if item.right_on == today else "progress.lasted.item",
                name=f"<em>{escape(item.question)}</em>",
                wrong=day_month(item.wrong_on),
                right=day_month(item.right_on),
            )
            + "</li>"
            for item in lasted
        )
        parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


def _names(questions: Sequence[str]) -> str:
    shown = [f"<em>{escape(question)}</em>" for question in questions]
    if len(shown) == 1:
        return shown[0]
    return _say("list.and", items=_say("list.separator").join(shown[:-1]), last=shown[-1])
