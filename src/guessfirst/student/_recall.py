"""Remembering a misconception: where and when the student met it before, said kindly.

After a wrong answer that names a misconception, the card looks for the same tag in the
student's earlier wrong attempts: in this lesson's log (the history the attempt was
numbered from, already read) and in their other lesson folders (``own_logs``), each read
once and read again only when its file has changed, so an answer never waits on a
folder of old lessons. A declared tag (``gf.Misconception``) is followed across
questions; a plain feedback key names an answer of its own question only, so it is
followed on that question. A retry of the same question on the same day is not news,
and a pretest guess came before the teaching: neither counts.

Whatever the other logs hold, this never stops an answer: an unreadable or broken file
is read as holding nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import day_month, weekday_name
from ..i18n import text as _say
from ..log import context, eventlog
from . import schedule

if TYPE_CHECKING:
    from .. import checks
    from .widget import Question


@dataclass(frozen=True)
class Sighting:
    """An earlier wrong attempt that showed a misconception."""

    tag: str
    question: str
    at: datetime
    event: str | None  # its id: two copies of one file count it once


@dataclass(frozen=True)
class Recall:
    """What an attempt that named a misconception adds: words, and a step to emphasise."""

    html: str
    step: int | None


#: Each other lesson folder's file: its size and time when last read, and what it showed.
_read: dict[Path, tuple[tuple[int, int], tuple[Sighting, ...]]] = {}
#: What the card's next opening of the example adds, set by the attempt just logged.
_waiting: weakref.WeakKeyDictionary[Question, Recall] = weakref.WeakKeyDictionary()


def note(card: Question, recall: Recall | None) -> None:
    """Keep what the attempt just logged adds, for the card's example to open with."""
    if recall is None:
        _waiting.pop(card, None)
    else:
        _waiting[card] = recall


def take(card: Question) -> Recall | None:
    """What the attempt just logged adds, once."""
    return _waiting.pop(card, None)


def recall(
    card: Question,
    verdict: checks.Verdict,
    history: Iterable[Mapping[str, object]],
    made: Iterable[Mapping[str, object]],
) -> Recall | None:
    """What to add after ``verdict``, given the history before it and the events it made;
    None when it names no misconception, or when anything about the logs goes wrong."""
    tag = verdict.misconception
    if verdict.correct is not False or tag is None or card._student is None:
        return None
    try:
        return _recall(card, card._student, tag, history, made)
    except Exception:  # logs are data: whatever they hold, the answer still goes through
        return None


def _recall(
    card: Question,
    student: str,
    tag: str,
    history: Iterable[Mapping[str, object]],
    made: Iterable[Mapping[str, object]],
) -> Recall | None:
    check = card._check
    declared = check.misconception(tag)
    step = declared.step if declared is not None else None
    now = next((at for event in made if (at := _moment(event.get("ts"))) is not None), None)
    if now is None:
        return None
    zone = schedule.local_zone()
    own = card._recorder.log.path if card._recorder is not None else None
    seen = [*_sightings(history), *_elsewhere(student, own)]
    last = _last(seen, tag, check.qid, declared is not None, now, zone)
    if last is None:
        if step is None:
            return None
        return Recall(f'<p class="gf-recall">{_say("misconception.look_at", step=step)}</p>', step)
    where = f"<em>{_escape(last.question)}</em>"
    values = {"where": where, "when": _when(last.at, now, zone)}
    if step is None:
        words = _say("misconception.again", **values)
    else:
        words = _say("misconception.again_step", step=step, **values)
    return Recall(f'<p class="gf-recall">{words}</p>', step)


def _last(
    seen: Iterable[Sighting], tag: str, question: str, across: bool, now: datetime, zone: tzinfo
) -> Sighting | None:
    """The latest earlier sighting of ``tag`` that is news to the student."""
    today = now.astimezone(zone).date()
    counted: dict[str | None, Sighting] = {}
    for sighting in seen:
        if sighting.tag != tag or sighting.at >= now:
            continue
        same = sighting.question == question
        if (not same and not across) or (same and sighting.at.astimezone(zone).date() == today):
            continue
        key = sighting.event if sighting.event is not None else f"{id(sighting)}"
        counted[key] = sighting
    return max(counted.values(), key=lambda sighting: sighting.at, default=None)


def _elsewhere(student: str, own: Path | None) -> list[Sighting]:
    """What the student's other lesson folders showed, each file read once per change."""
    mine = own.resolve() if own is not None else None
    found: list[Sighting] = []
    for path in context.own_logs(student):
        if path != mine:
            found.extend(_read_once(path))
    return found


def _read_once(path: Path) -> tuple[Sighting, ...]:
    try:
        stat = path.stat()
    except OSError:
        return ()
    stamp = (stat.st_size, stat.st_mtime_ns)
    known = _read.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    try:
        events = eventlog.read_events(path).events
    except (OSError, ValueError):  # not a file, not readable: nothing known from it
        events = []
    found = tuple(_sightings(events))
    _read[path] = (stamp, found)
    return found


def _sightings(events: Iterable[Mapping[str, object]]) -> list[Sighting]:
    """The wrong attempts that named a misconception, outside pretests."""
    found: list[Sighting] = []
    for event in events:
        if event.get("type") != "attempt" or event.get("correct") is not False:
            continue
        tag, question = event.get("misconception"), event.get("question")
        if event.get("mode") == "pretest" or not isinstance(tag, str) or not tag:
            continue
        at = _moment(event.get("ts"))
        if at is None or not isinstance(question, str):
            continue
        made = event.get("id")
        found.append(Sighting(tag, question, at, made if isinstance(made, str) else None))
    return found


def _when(at: datetime, now: datetime, zone: tzinfo) -> str:
    """When, as the student would say it: earlier today, yesterday, a weekday, a date."""
    day, today = at.astimezone(zone).date(), now.astimezone(zone).date()
    ago = (today - day).days
    if ago <= 0:
        return _say("misconception.when.today")
    if ago == 1:
        return _say("misconception.when.yesterday")
    if ago < 7:
        key = "this_week" if day.weekday() < today.weekday() else "last_week"
        return _say(f"misconception.when.{key}", weekday=weekday_name(day))
    return _say("misconception.when.date", date=day_month(day))


def _moment(ts: object) -> datetime | None:
    """The moment a log's ``ts`` names; None for one without a readable time and offset."""
    if not isinstance(ts, str):
        return None
    try:
        at = datetime.fromisoformat(ts)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _escape(text: str) -> str:
    from .rendering import escape

    return escape(text)
