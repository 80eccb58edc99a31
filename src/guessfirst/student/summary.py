"""What a student's own progress view says: errors turned right, errors still open, and
learning that lasted from one day to another.

The words are the teacher report's: an error is a wrong attempt, a question is known by
its id whatever version of it was asked, and a day is a date in the student's time zone.
Like :mod:`guessfirst.student.schedule`, this reads only the events and the date it is given, as
they stood at the end of that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from .schedule import Answer, answers

#: Days in "this week": today and the six before it.
WEEK = 7


@dataclass(frozen=True)
class Lasted:
    """A question answered wrongly on one day and correctly on a later one."""

    question: str
    wrong_on: date  # the first day it was answered wrongly
    right_on: date  # the first later day it was answered correctly


@dataclass(frozen=True)
class Summary:
    """Question ids for each part of the view, in the order things happened.

    Each count the view shows is the length of its tuple.
    """

    good_today: tuple[str, ...]  # good errors: wrong, then right, the turn made today
    good_week: tuple[str, ...]  # the same over today and the six days before
    still_open: tuple[str, ...]  # the latest attempt is wrong
    lasted: tuple[Lasted, ...]


def summarize(events: Iterable[Mapping[str, object]], today: date, tz: tzinfo) -> Summary:
    """One student's view on ``today``; ``events`` may join several copies of their file."""
    record = answers(events, today, tz)
    turns = list(_turns(record))
    week_start = today - timedelta(days=WEEK - 1)
    return Summary(
        good_today=_once(turn.question for turn in turns if turn.day == today),
        good_week=_once(turn.question for turn in turns if turn.day >= week_start),
        still_open=_still_open(record),
        lasted=_lasted(record),
    )


def _turns(record: list[Answer]) -> Iterator[Answer]:
    """Every moment a question went from wrong to right.

    A ``corrected`` event says so; a correct attempt right after a wrong one says the same
    where that event is missing, as in a log from before it was written, or after a wrong
    review. Where both exist they fall on the same moment, and each question is listed once.
    """
    last_correct: dict[str, bool] = {}
    for answer in record:
        if answer.kind == "corrected":
            yield answer
            continue
        if answer.correct and last_correct.get(answer.question) is False:
            yield answer
        last_correct[answer.question] = answer.correct


def _still_open(record: list[Answer]) -> tuple[str, ...]:
    latest: dict[str, bool] = {}
    for answer in record:
        if answer.kind == "attempt":
            latest.pop(answer.question, None)  # keep questions in the order of their latest try
            latest[answer.question] = answer.correct
    return tuple(question for question, correct in latest.items() if not correct)


def _lasted(record: list[Answer]) -> tuple[Lasted, ...]:
    first_wrong: dict[str, date] = {}
    found: dict[str, Lasted] = {}
    for answer in record:
        if answer.kind != "attempt" or answer.question in found:
            continue
        wrong_on = first_wrong.get(answer.question)
        if not answer.correct:
            first_wrong.setdefault(answer.question, answer.day)
        elif wrong_on is not None and answer.day > wrong_on:
            found[answer.question] = Lasted(answer.question, wrong_on, answer.day)
    return tuple(found.values())


def _once(questions: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(questions))
