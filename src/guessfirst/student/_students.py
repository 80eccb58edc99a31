"""Who is answering: a card binds to a student's log, and lets go when another takes over.

A name typed in one card reaches every card on screen. When someone else sits down,
every card the typed name had opened closes again, gate included: the next student must
not find the last one's worked examples and answers waiting for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kernel import KERNEL
from ..log import context
from . import tracker
from ._last_attempt import restore
from ._own_numbers import ask_for, filed_as
from ._quiz_mode import closed_quiz, open_if_released, pretest, show_saved

if TYPE_CHECKING:
    from .. import checks
    from .widget import Question


def identify(card: Question, name: object) -> None:
    """A student typed their name in ``card``: every card waiting for one takes it."""
    try:
        student = context.remember_student(name if isinstance(name, str) else "")
    except ValueError as err:
        card.student_error = str(err)
        card.seq += 1
        return
    for widget in list(KERNEL.live):
        if widget._student is None:
            widget._meet_student(student)
    card.seq += 1


def switch_student(card: Question) -> None:
    """Someone else is at the keyboard: close every question the typed name had opened."""
    context.forget_student()
    for widget in list(KERNEL.live):
        if widget.student_label:
            widget._leave_student()
    card.seq += 1


def meet_student(card: Question, student: str | None) -> None:
    """Bind to a student: their file, their progress so far, their choice order."""
    ask_for(card, student)  # their own numbers, before anything can be submitted
    if student is None:
        card.needs_student = True
        return
    card._student = student
    recorder = card._recorder = tracker.recorder(student)
    card.student_label = student if context.typed_by_student() else ""
    recorder.subscribe(card._on_notice)
    recorder.watch_school(card._on_school)
    question, qversion = filed_as(card)
    card._progress = tracker.replay(recorder.history(), question, qversion, pretest=pretest(card))
    if card._review:
        # Asked afresh: the example, hints and feedback wait for this review's attempt;
        # only the attempt numbers carry on from the log.
        card._attempts_before = card._progress.attempts
        card._progress = tracker.Progress(attempts=card._attempts_before)
    with card.hold_sync():
        card.needs_student = False
        card.student_error = ""
        card.notice = recorder.notice
        card.choices = listed(card._check, student)
        if closed_quiz(card):
            show_saved(card)
        elif card._progress.judged:
            restore(card)
    open_if_released(card)
    if card._displayed:
        card._show_once()


def leave_student(card: Question) -> None:
    """Forget the student: every per-student trait back to its default, the gate closed."""
    card._student = None
    card._recorder = None
    card._span = None
    card._progress = tracker.Progress()
    with card.hold_sync():
        for name in card.trait_names(per_student=True):
            card.set_trait(name, card.trait_defaults(name))
        card.needs_student = True
    ask_for(card, None)


def listed(check: checks.Check, student: str | None) -> list[dict[str, str]]:
    """What the card lists for ``student`` to pick or arrange: each value, and its HTML."""
    from . import rendering

    return [
        {
            "value": value,
            "html": rendering.render_markdown(check.listed_markdown(value), inline=True),
        }
        for value in check.listed(student)
    ]
