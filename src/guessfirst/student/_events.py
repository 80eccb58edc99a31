"""What a card writes to the student's log: its events, an attempt and what it opens.

An attempt's number, and whether it corrects an error, come from the file under the
writers' lock, so two kernels of one student never use one number twice. Each write also
moves the card's "saved to the school" mark back until the school's service holds it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import checks
from ..log import context, eventlog
from . import _recall, tracker
from ._quiz_mode import closed_quiz

if TYPE_CHECKING:
    from .widget import Question

#: One event as the log takes it: field names to JSON values.
Event = dict[str, object]


def new_event(
    card: Question, event_type: str, about: tuple[str, str] | None, fields: dict[str, object]
) -> Event:
    """A new event about the card's question, or ``about`` another (question id, qversion).

    In a review every event says so (``review: true``): the teacher's delayed measures
    and the student's schedule tell a retrieval days later from a retry.
    """
    assert card._student is not None
    question, qversion = about or (card._check.qid, card._check.qversion)
    if card._review and event_type != "shown":
        fields["review"] = True
    made: Event = eventlog.make_event(
        event_type,
        student=card._student,
        session=context.SESSION,
        notebook=context.notebook_name(),
        question=question,
        qversion=qversion,
        **fields,
    )
    return made


def attempt_events(
    card: Question,
    verdict: checks.Verdict,
    level: float | None,
    was: tracker.Progress,
    about: tuple[str, str] | None,
    extra: dict[str, object],
) -> list[Event]:
    """The ``attempt``, and ``corrected`` when it is the first right answer after wrong
    ones; ``was`` is the progress before it."""
    number = was.attempts + 1
    if verdict.reason is not None:
        extra = {**extra, "reason": verdict.reason}
    events = [
        card._event(
            "attempt",
            about=about,
            attempt=number,
            response=verdict.response,
            correct=verdict.correct,
            confidence=level,
            latency_ms=round((time.monotonic() - card._since) * 1000),
            misconception=verdict.misconception,
            normalized=verdict.normalized,
            **extra,
        )
    ]
    if verdict.correct and not was.solved and was.errors:
        events.append(
            card._event(
                "corrected",
                about=about,
                attempt=number,
                errors=was.errors,
                first_error=was.first_error,
                first_confidence=was.first_confidence,
            )
        )
    return events


def log_attempt(
    card: Question,
    verdict: checks.Verdict,
    level: float | None,
    progress: tracker.Progress,
    *,
    about: tuple[str, str] | None,
    allowed: Callable[[tracker.Progress], bool],
    then: Callable[[tracker.Progress], list[Event]],
    extra: dict[str, object],
) -> tracker.Progress | None:
    """Log one attempt and what it opens (``then``); return the progress before it, or
    None when ``allowed`` says no (a quiz's attempts used up): nothing is logged then.

    A wrong answer naming a misconception the student met before is remembered for the
    feedback (see ``_recall``), from the history the attempt was numbered from.
    """
    assert card._recorder is not None
    question, qversion = about or (card._check.qid, card._check.qversion)
    before: list[tracker.Progress] = []
    read: list[list[Event]] = []

    def build(history: list[Event]) -> list[Event]:
        read[:] = [history]
        was = tracker.replay(history, question, qversion, pretest=progress.pretest)
        if card._review:  # a review's own progress; only the numbers carry on
            was = dataclasses.replace(progress, attempts=max(progress.attempts, was.attempts))
        if not allowed(was):
            return []
        before.append(was)
        return [*attempt_events(card, verdict, level, was, about, extra), *then(was)]

    made = card._recorder.write_built(build)
    school_waits(card)
    if not before:
        return None
    was = before[0]
    progress.take(dataclasses.replace(was, reflected=set(was.reflected), steps=dict(was.steps)))
    for written in made:
        card._progress_of(written).apply(written)
    # Only a card that shows its feedback now: not a part of a question, a quiz, a pretest.
    shown = question == card._check.qid and not closed_quiz(card) and bool(read)
    _recall.note(card, _recall.recall(card, verdict, read[0], made) if shown else None)
    return was


def record(card: Question, *events: Event) -> None:
    """Log events that belong together in one append, then count them as done."""
    assert card._recorder is not None
    card._recorder.write(*events)
    school_waits(card)
    for written in events:
        card._progress_of(written).apply(written)


def school_waits(card: Question) -> None:
    """The card wrote: its mark waits until the school's service holds that too."""
    recorder = card._recorder
    if recorder is not None and recorder.sender is not None:
        with recorder.school_lock:
            card._span = recorder.last_span
            card._on_school()
