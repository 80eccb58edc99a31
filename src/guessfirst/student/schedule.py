"""Spaced review: which questions come back today, and in what order.

The rules, in plain words:

- A question comes back once the student has answered it wrongly on an earlier day, in a
  lesson or in a review. It is due the day after the last wrong answer.
- Each correct review moves the next one further away: 3 days after that review, then 7,
  then 21. After a fourth correct review in a row the question is retired, and comes back
  only if it is answered wrongly again.
- A wrong answer, in a review or not, starts the spacing again from that day.
- Only a correct review on or after the day the question is due counts. A correct answer
  minutes after the worked example, outside a review, is recognition rather than recall,
  and a second correct review on the same day adds no spacing.
- Questions the student was sure of ("Fairly sure" or "Certain") and still got wrong come
  first: a confident error is a belief to replace, not a gap to fill. Then the longest
  overdue, then by question id.

A day is a calendar date in the student's time zone, so a new day starts at their
midnight. Everything is worked out from the log and the date the caller gives, as it
stood at the end of that day, never from the clock: the same log and date always give the
same plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

#: Days until the next review: after the last wrong answer, then after each correct review.
SPACING = (1, 3, 7, 21)

_FAIRLY_SURE = 2 / 3  # the confidence scale's "Fairly sure"; "Certain" is 1
_TS_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z")
#: A tuple, not a set: a hand-edited type may be unhashable.
_READ_TYPES: tuple[Literal["attempt", "corrected"], ...] = ("attempt", "corrected")


@dataclass(frozen=True)
class Answer:
    """An attempt, or the ``corrected`` record of one, placed on the student's calendar."""

    question: str
    kind: Literal["attempt", "corrected"]
    at: datetime
    day: date
    correct: bool  # always True for "corrected"
    review: bool
    confidence: float | None
    response: str | None


@dataclass(frozen=True)
class Due:
    """A question to re-ask, and why it is on the list."""

    question: str
    due: date
    step: int  # correct reviews counted since the last wrong answer, 0 to 3
    confident: bool  # the last wrong answer was given "Fairly sure" or "Certain"
    last_wrong: date
    last_response: str | None  # what the student answered then


def answers(events: Iterable[Mapping[str, object]], today: date, tz: tzinfo) -> list[Answer]:
    """The student's attempts and corrections up to the end of ``today``, oldest first.

    Events may come from several collected copies of a file, so an event counts once
    however many copies carry its id, and the result is in time order whatever order the
    files came in. An event a reader cannot place (no readable time, question or type, or
    an attempt without a true or false ``correct``) is left out rather than raising: logs
    are data, and a hand-edited line must not stop a student's page. Events after
    ``today`` have not happened yet as far as that day is concerned.
    """
    seen: set[str] = set()
    found: list[Answer] = []
    for event in events:
        answer = _answer(event, tz) if isinstance(event, dict) else None
        if answer is None or answer.day > today:
            continue
        event_id = event.get("id")
        if isinstance(event_id, str):
            if event_id in seen:
                continue
            seen.add(event_id)
        found.append(answer)
    return sorted(found, key=lambda answer: answer.at)


def plan(events: Iterable[Mapping[str, object]], today: date, tz: tzinfo) -> dict[str, date | None]:
    """Every question ever answered wrongly, with its next review day; None once retired.

    A question answered wrongly only today is here, due tomorrow.
    """
    return {
        question: None if ladder is None else ladder.due
        for question, ladder in _ladders(events, today, tz).items()
    }


def due(events: Iterable[Mapping[str, object]], today: date, tz: tzinfo) -> list[Due]:
    """The questions to re-ask on ``today``, in the order to ask them."""
    waiting = [
        ladder
        for ladder in _ladders(events, today, tz).values()
        if ladder is not None and ladder.due <= today
    ]
    return sorted(waiting, key=lambda ladder: (not ladder.confident, ladder.due, ladder.question))


def _ladders(
    events: Iterable[Mapping[str, object]], today: date, tz: tzinfo
) -> dict[str, Due | None]:
    """Each question's place on the spacing ladder at the end of ``today``; None: retired."""
    ladders: dict[str, Due | None] = {}
    for answer in answers(events, today, tz):
        if answer.kind != "attempt":
            continue
        if not answer.correct:
            ladders[answer.question] = Due(
                question=answer.question,
                due=answer.day + timedelta(days=SPACING[0]),
                step=0,
                confident=answer.confidence is not None and answer.confidence >= _FAIRLY_SURE,
                last_wrong=answer.day,
                last_response=answer.response,
            )
            continue
        ladder = ladders.get(answer.question)
        if answer.review and ladder is not None and answer.day >= ladder.due:
            step = ladder.step + 1
            ladders[answer.question] = (
                replace(ladder, step=step, due=answer.day + timedelta(days=SPACING[step]))
                if step < len(SPACING)
                else None
            )
    return ladders


def _answer(event: Mapping[str, object], tz: tzinfo) -> Answer | None:
    given, question = event.get("type"), event.get("question")
    kind = next((read for read in _READ_TYPES if read == given), None)
    if kind is None or not isinstance(question, str) or not question:
        return None
    if event.get("mode") == "pretest":  # a guess before the teaching: nothing to review yet
        return None
    correct = True if kind == "corrected" else event.get("correct")
    if not isinstance(correct, bool):
        return None
    at = _moment(event.get("ts"))
    if at is None:
        return None
    try:
        day = at.astimezone(tz).date()
    except OverflowError:  # a hand-typed year 1 or 9999 pushed past the calendar's end
        return None
    confidence = event.get("confidence")
    response = event.get("response")
    return Answer(
        question=question,
        kind=kind,
        at=at,
        day=day,
        correct=correct,
        review=event.get("review") is True,
        confidence=(
            float(confidence)
            if isinstance(confidence, (int, float)) and not isinstance(confidence, bool)
            else None
        ),
        response=response if isinstance(response, str) else None,
    )


def local_zone() -> tzinfo:
    """This computer's time zone now: the zone of an aware time, which is never None."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def _moment(ts: object) -> datetime | None:
    """The moment ``ts`` names, or None; a time without its offset names no moment."""
    if not isinstance(ts, str):
        return None
    for form in _TS_FORMATS:
        try:
            return datetime.strptime(ts, form)
        except ValueError:
            continue
    return None
