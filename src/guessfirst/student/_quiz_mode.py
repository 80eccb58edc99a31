"""A closed quiz: what it shows (the answer kept, the attempts left), and how it opens.

Until its release time, or the teacher's key typed on this computer, a quiz question
shows no verdict, feedback, example or hint; opening it is logged as a reveal. A pretest
is a quiz that never opens: before the teaching, one guess, thanked and never judged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import text as _say
from ..kernel import KERNEL
from . import words
from ._help import fade_field, open_example, open_hints
from ._last_attempt import restore

if TYPE_CHECKING:
    from .widget import Question


def closed_quiz(card: Question) -> bool:
    """A quiz whose examples have not opened yet, or a pretest (which never opens): no
    verdict, feedback or help shows."""
    quiz = card._quiz
    return quiz is not None and (quiz.pretest or not card._progress.revealed)


def pretest(card: Question) -> bool:
    """The card is a pretest: its progress counts only pretest guesses (see tracker)."""
    return card._quiz is not None and card._quiz.pretest


def used_up(card: Question) -> str:
    """Why another answer is not taken. A pretest's one guess is all it asks for: a
    second would be a guess about the first, with nothing learnt between them, and saying
    "thank you, that is all" keeps the first guess the low-stakes thing it should be."""
    quiz = card._quiz
    assert quiz is not None
    return _say("pretest.one_guess") if quiz.pretest else words.used_up(quiz.attempts)


def _show_pretest(card: Question) -> None:
    """What a pretest shows: the invitation to guess, then thanks and a promise."""
    done = card._progress.attempts > 0
    card.input_error = ""
    card.attempts = card._progress.attempts
    card.last_response = card._check.shown_response(card._progress.last_response or "")
    card.status = "done" if done else "open"
    card.feedback_html = f"<p>{_say('pretest.thanks' if done else 'pretest.intro')}</p>"
    card.attempts_left = 0 if done else 1
    card.release_text = ""
    card.key_entry = False
    card.hints_left = 0


def show_saved(card: Question) -> None:
    """What a closed quiz shows: the answer kept, the attempts left, how it will open."""
    assert card._quiz is not None
    if card._quiz.pretest:
        _show_pretest(card)
        return
    done, quiz = card._progress, card._quiz
    left = max(quiz.attempts - done.attempts, 0)
    card.input_error = ""
    card.attempts = done.attempts
    card.last_response = card._check.shown_response(done.last_response or "")
    card.status = "done" if done.attempts and not left else ("saved" if done.attempts else "open")
    card.feedback_html = words.saved(done, left, card.last_response) if done.attempts else ""
    card.attempts_left = left
    card.release_text = quiz.release_text()
    card.key_entry = quiz.key_digest is not None
    card.hints_left = 0


def open_if_released(card: Question) -> None:
    """Open a closed quiz whose release time has come."""
    if card._quiz is not None and closed_quiz(card) and card._quiz.released():
        open_quiz(card, "release")


def try_key(card: Question, key: str) -> None:
    """The teacher typed their key on this computer: open every quiz question it opens."""
    opened = [
        widget
        for widget in list(KERNEL.live)
        if widget._quiz is not None
        and closed_quiz(widget)
        and widget._student is not None
        and widget._quiz.opens_with(key)
    ]
    for widget in opened:
        open_quiz(widget, "key")
    card.key_error = "" if opened else _say("quiz.wrong_key")
    card.seq += 1


def open_quiz(card: Question, by: str) -> None:
    """Open the examples of a closed quiz: logged, then shown as practice would."""
    if card._student is None:
        return
    card._emit("reveal", attempt=card._progress.attempts, by=by, **fade_field(card))
    with card.hold_sync():
        card.release_text = ""
        card.key_entry = False
        card.key_error = ""
        card.attempts_left = 0
        if card._progress.attempts:
            restore(card)
        else:
            card.status = "open"
            card.feedback_html = ""
            open_example(card)
            open_hints(card)
        card.seq += 1
