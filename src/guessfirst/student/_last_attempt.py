"""What the card shows of the student's last attempt: as it is judged, or rebuilt from
the log after a restart, a re-run cell, or a student's return.

The log is the one record of what the student did; a rebuilt card shows what it says,
as the card did after that attempt, with whatever the attempt opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import tracker, words
from ._help import open_example, open_hints

if TYPE_CHECKING:
    from .. import checks
    from .widget import Question


def show_judged(
    card: Question, verdict: checks.Verdict, level: float | None, was: tracker.Progress
) -> None:
    """What a practice attempt opens: its verdict and feedback, the example, hints;
    ``was`` is the progress before it."""
    number = was.attempts + 1
    card.input_error = ""
    card.attempts = number
    card.status = "correct" if card._progress.solved else "wrong"
    card.feedback_html = words.after_attempt(verdict, level, number, was.errors)
    card.outcome_html = card._outcome(verdict)
    card.last_response = card._check.shown_response(verdict.response)
    open_example(card)
    open_hints(card)
    card.reflection_for = 0 if verdict.correct else number
    card.reflection_saved = False


def restore(card: Question) -> None:
    """Show the student's last attempt, its feedback, and the help it opened."""
    done = card._progress
    card.attempts = done.attempts
    card.status = "correct" if done.solved else "wrong"
    card.last_response = card._check.shown_response(done.last_response or "")
    card.feedback_html = words.last_time(done, card.last_response)
    card.outcome_html = card._restored_outcome(done)
    open_example(card)
    open_hints(card)
    wrong_last = not done.last_correct
    card.reflection_for = done.attempts if wrong_last else 0
    card.reflection_saved = done.attempts in done.reflected
