"""Spaced review: questions the student got wrong on an earlier day, asked again, fresh.

Which questions and in what order is ``schedule``'s decision, from the student's own logs
and today's date. Each is asked as a new question: the worked example, hints and
feedback wait for the new attempt, and every event of it says ``review: true``. A
question with a ``variant=`` comes back with other numbers, the same each time it is
asked on one day.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, tzinfo

import ipywidgets

from ..i18n import day_month
from ..i18n import text as _say
from ..kernel import KERNEL, Made
from ..log import context, eventlog
from . import schedule, widget
from ._own_numbers import called_with, drawn_from

#: Makes the question with this id afresh, given the day's random numbers.
Maker = Callable[[random.Random], widget.Question]


# ipywidgets ships no types, so mypy sees VBox as Any.
class Review(ipywidgets.VBox):  # type: ignore[misc]
    """The questions due today, under a line that says how many and why."""

    def __init__(
        self, due: list[schedule.Due], questions: list[widget.Question], note: str
    ) -> None:
        super().__init__([ipywidgets.HTML(note), *questions])
        self.due = due
        self.questions = questions

    def __repr__(self) -> str:
        return f"Review({', '.join(q.qid for q in self.questions) or 'nothing due'})"


def review(
    questions: Iterable[Callable[[], widget.Question]] = (),
    *,
    folders: Iterable[str | os.PathLike[str]] | None = None,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> Review:
    """Ask again the questions that are due for review today.

    ``questions``: the functions a lesson module shows its questions with (for example
    ``gf.review(lesson.ALL)``); each is called once so this kernel knows the question,
    and nothing is shown or logged for it. The questions made in this kernel already
    count too. A bank's questions: ``bank.review()``.
    """
    for make in questions:
        make().close()
    return ask_due(_kernel_makers(), folders=folders, today=today, tz=tz)


def ask_due(
    makers: Mapping[str, Maker],
    *,
    folders: Iterable[str | os.PathLike[str]] | None = None,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> Review:
    """The due questions among ``makers``, most urgent first, each made for today."""
    student = context.student()
    if student is None:  # no name given yet: there is no log of theirs to read
        return Review([], [], f"<p>{_say('review.no_student')}</p>")
    zone = tz or schedule.local_zone()
    day = today or datetime.now(zone).date()
    events = [
        event
        for path in context.own_logs(student, folders)
        if path.is_file()
        for event in eventlog.read_events(path).events
    ]
    due = [item for item in schedule.due(events, day, zone) if item.question in makers]
    token = widget._reviewing.set(True)
    try:
        # The same numbers all day for one student and question, other numbers tomorrow.
        seeds = [f"{student}|{item.question}|{day.isoformat()}" for item in due]
        questions = [
            makers[item.question](random.Random(seed))  # noqa: S311 -- numbers for a lesson
            for item, seed in zip(due, seeds, strict=True)
        ]
    finally:
        widget._reviewing.reset(token)
    return Review(due, questions, _note(len(due), _next_day(events, day, zone, makers)))


def remake(made: Made) -> Maker:
    """A maker for a question made as ``made`` records: a variant of it when it has one.

    A variant's function returns the arguments that change (``prompt``, ``answer``,
    ``example``...); the id stays, so its attempts count as the same question's. A
    question with numbers of each student's own is asked with numbers drawn from the
    review's seed, filed under the question as written like its first asking.
    """
    kind, args, options = made

    def make(rng: random.Random) -> widget.Question:
        if options.get("per_student"):  # the card draws its own numbers, from the review's
            with drawn_from(rng):
                return kind(*args, **options)
        variant = options.get("variant")
        given, changed = called_with(made, dict(variant(rng)) if variant is not None else {})
        return kind(*given, **changed)

    return make


def _kernel_makers() -> dict[str, Maker]:
    return {qid: remake(made) for qid, made in KERNEL.makers.items()}


def _next_day(
    events: Iterable[Mapping[str, object]], today: date, tz: tzinfo, makers: Mapping[str, Maker]
) -> date | None:
    """When the next question comes back, for a day with nothing due."""
    later = [
        when
        for qid, when in schedule.plan(events, today, tz).items()
        if when is not None and when > today and qid in makers
    ]
    return min(later, default=None)


def _note(count: int, next_day: date | None) -> str:
    if count == 1:
        return f"<p>{_say('review.some.one')}</p>"
    if count:
        return f"<p>{_say('review.some.other', count=count)}</p>"
    if next_day is None:
        return f"<p>{_say('review.none')}</p>"
    return f"<p>{_say('review.none_until', day=day_month(next_day))}</p>"
