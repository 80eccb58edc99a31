"""The question widget: what the student sees, and the gate in front of the answer.

Python decides; the browser asks. Every synced trait (declared in ``_traits``) is written
by the card's Python side only, and nothing that gives an answer away (accepted answers,
targeted feedback, the worked example, hints) becomes a trait before the student's first
attempt. The front end sends requests (submit, hint, reflect, identify, retry); state
sent back by a browser is ignored. This module is the card and what a teacher or student
calls on it; each concern behind that is a private module beside it.
"""

from __future__ import annotations

import contextvars
import functools
import random
import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import ipywidgets

from .. import checks
from ..i18n import text as _say
from ..kernel import KERNEL, Made
from ..log import context
from . import science, tracker, words
from ._cells import claim_id, replace_in_cell
from ._cells import current_cell as _current_cell
from ._confidence import CONFIDENCE_LEVELS as CONFIDENCE_LEVELS
from ._confidence import confidence_value, level_at
from ._events import Event, log_attempt, new_event, record
from ._help import Fade, fade_field, open_example, open_hints, step_to_fill
from ._judging import judge, one_line
from ._last_attempt import show_judged
from ._messages import answer_request, fail_softly, submit_from_browser
from ._options import CHECK_SECONDS as CHECK_SECONDS
from ._options import QuestionOptions as QuestionOptions
from ._options import checked_limit, checked_variant
from ._own_numbers import filed, filed_as, numbers
from ._quiz_mode import closed_quiz, open_if_released, show_saved, used_up
from ._students import leave_student, meet_student
from ._students import listed as listed
from ._traits import CardTraits, first_state
from .plaintext import plain_text
from .quiz import Quiz

# Kept under their old names too: the card in parts reads them here.
_level_at = level_at
_confidence_value = confidence_value

#: Set while a review makes its questions (see ``review``): they are asked afresh.
_reviewing: contextvars.ContextVar[bool] = contextvars.ContextVar("reviewing", default=False)
#: The prompt in a saved notebook's plain text is cut here: a reader sees the card for more.
_PLAIN_PROMPT_CHARS = 300


class Question(CardTraits):
    """One attempt-first question; the kinds a teacher writes are in ``questions``.

    A kind may change what the card shows around the answer: the prompt (a snippet to
    predict), the field's placeholder, and what the attempt turned out to be
    (``_outcome``: a program's real output, or the test cases it ran), which is gated
    with the feedback.
    """

    #: How the question was made (the kind the teacher called, and its arguments).
    _made_with: Made

    def __init_subclass__(cls, kind: str | None = None, **kwargs: Any) -> None:
        """A card class names its kind; each kind remembers how a question was made, so
        a review can make it again."""
        super().__init_subclass__(**kwargs)
        if kind is not None:
            _cards[kind] = cls
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def made(self: Question, *args: Any, **options: Any) -> None:
            if not hasattr(self, "_made_with"):  # the kind the teacher called, not a base
                self._made_with = (type(self), args, options)
            init(self, *args, **options)

        cls.__init__ = made  # type: ignore[method-assign]

    def __init__(
        self,
        check: checks.Check,
        *,
        confidence: bool = True,
        mode: str = "practice",
        attempts: int | None = None,
        release: datetime | None = None,
        key: str | None = None,
        fade: int = 0,
        variant: Callable[[random.Random], Mapping[str, object]] | None = None,
        per_student: bool = False,
        check_timeout: float = CHECK_SECONDS,
    ) -> None:
        checked_variant(check.qid, variant, per_student)
        limit = checked_limit(check.qid, check_timeout)
        review = _reviewing.get()
        checks.check_fade(check, fade)
        quiz = Quiz.from_options(check.qid, mode=mode, attempts=attempts, release=release, key=key)
        if review:  # days later it is practice: the retrieval is the point, not a score
            quiz = None
        cell = _current_cell()
        if not review:  # a review may ask another variant under the id: not a clash
            claim_id(check, cell)
        mode = quiz.mode if quiz is not None else "practice"
        state = first_state(check, self._prompt_markdown(check), confidence, mode)
        # AnyWidget.__init__ adds `_esm` and `_anywidget_id` to each instance as new traits,
        # which makes a class per question (milliseconds of the cell's run, before the
        # browser hears of the widget); here they are class traits, so the plain widget
        # init does. Colab still needs anywidget's own, which turns on its widget manager.
        if "google.colab" in sys.modules:
            super().__init__(**state)
        else:
            ipywidgets.DOMWidget.__init__(self, **state)
        self._check = check
        self._limit = limit + check.run_seconds()
        checks.warm(check)
        self._quiz = quiz
        self._fade = fade
        self._numbers = numbers(self, variant, per_student)  # a student's own, or as written
        self._review = review
        self._attempts_before = 0  # in a review: the attempts made before it began
        self._student: str | None = None
        self._recorder: tracker.Recorder | None = None
        self._span: tuple[int, int] | None = None  # where this card's last write went
        self._progress = tracker.Progress()
        self._displayed = False
        self._since = time.monotonic()
        self._picked: float | None = None  # a confidence picked on the card, not yet sent
        self.choices = listed(check, None)  # reordered once the student is known
        self._made()
        self.on_msg(self._on_msg)
        KERNEL.live[self] = None
        replace_in_cell(cell, self)
        if not review and hasattr(self, "_made_with"):
            KERNEL.makers[check.qid] = self._made_with
        self._meet_student(context.student())
        science.greet(self)  # why a guess comes first: on a kernel's first card

    # -- what a teacher or a test calls ------------------------------------------------

    def submit(
        self, response: object, confidence: float | str | None = None
    ) -> checks.Verdict | None:
        """Answer as the student's Submit button does: check, log, update, return the verdict.

        Returns None when the response cannot be read (a number that is not a number):
        that is not counted as an attempt, and the widget tells the student why.
        """
        level = confidence_value(confidence) if confidence is not None else self._picked
        if self._student is None or self._recorder is None:
            raise RuntimeError(
                f"Question {self.qid!r}: no student id yet, so nothing could be logged. "
                "Set GUESSFIRST_STUDENT or call guessfirst.configure(student=...)."
            )
        try:
            verdict = self._judge(self._check, response)
        except checks.InvalidResponse as err:
            self._refuse(str(err))
            return None
        self._show_once()
        open_if_released(self)
        quiz = self._quiz if closed_quiz(self) else None

        def opens(was: tracker.Progress) -> list[Event]:
            if was.revealed or quiz is not None or verdict.correct is None:
                return []
            return [self._event("reveal", attempt=was.attempts + 1, **fade_field(self))]

        was = log_attempt(
            self,
            verdict,
            level,
            self._progress,
            about=filed_as(self),
            allowed=lambda was: quiz is None or was.judged < quiz.attempts,
            then=opens,
            extra={"mode": quiz.mode} if quiz is not None else {},
        )
        if was is None:
            self._refuse(used_up(self))
            return None
        self._picked = None
        self._since = time.monotonic()
        if verdict.correct is None:
            self._refuse(words.unjudged(verdict))
            return verdict
        with self.hold_sync():
            if quiz is not None:
                show_saved(self)
            else:
                show_judged(self, verdict, level, was)
            self.seq += 1
        return verdict

    def hint(self) -> str | None:
        """Open the next hint, as the student's hint button does, and return its Markdown.

        None before the first attempt (a guess comes before any help) and once every hint
        is open: what the browser asks for does not decide that, the log does.
        """
        done = self._progress
        if (
            self._recorder is None
            or closed_quiz(self)
            or not self._attempted()
            or done.hints >= len(self._check.hints)
        ):
            self.seq += 1
            return None
        number = done.hints + 1
        self._emit("hint", n=number, attempt=done.attempts)
        with self.hold_sync():
            open_hints(self)
            self.seq += 1
        return self._check.hints[number - 1]

    def reflect(self, text: str) -> None:
        """Keep the student's note on why their answer came out that way."""
        if self._recorder is None or self._progress.attempts == 0:
            return
        if text.strip():
            self._emit("reflection", text=text, attempt=self._progress.attempts)
            self.reflection_saved = True
        self.seq += 1

    def fill_step(self, text: str) -> str | None:
        """Take the student's own version of the next faded step, then show the real one.

        Returns the step's Markdown; None when no faded step is waiting (the example is
        not open yet, or every step is already shown) or the text is empty.
        """
        shown = step_to_fill(self, text)
        if shown is None:
            self.seq += 1
            return None
        self._emit("step", n=shown + 1, text=text, attempt=self._progress.attempts)
        with self.hold_sync():
            open_example(self)
            self.seq += 1
        step = self._check.example[shown]
        return step if isinstance(step, str) else None

    def close(self) -> None:
        KERNEL.live.pop(self, None)
        super().close()

    # -- what a kind may change -----------------------------------------------------------

    def _made(self) -> None:
        """Called once the card is made, before any message arrives: nothing, for most kinds."""

    @classmethod
    def _prompt_markdown(cls, check: checks.Check) -> str:
        return check.prompt

    def _outcome(self, verdict: checks.Verdict) -> str:
        """HTML shown under the feedback after an attempt: nothing, for most kinds."""
        return ""

    def _restored_outcome(self, done: tracker.Progress) -> str:
        """The outcome of the last attempt, rebuilt from the log after a restart."""
        return ""

    # -- display and repr: stable, and never the answer --------------------------------

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.qid!r}): {one_line(plain_text(self._check.prompt))}"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        self._displayed = True
        self._show_once()
        bundle = super()._repr_mimebundle_(**kwargs)
        # What a saved notebook shows where no widget runs (GitHub, nbconvert): an
        # instruction and the prompt in plain words, never the class, the id or raw TeX.
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = self._plain_instruction()
        return bundle

    def _plain_instruction(self) -> str:
        prompt = one_line(plain_text(self._check.prompt), _PLAIN_PROMPT_CHARS)
        return _say("card.plain.run_to_answer", prompt=prompt)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Refuse state written by a browser, and send the kernel's own values back.

        Unlocking happens only in :meth:`submit`; a front end that sets ``example_html``
        or ``status`` itself gets the truth back instead.
        """
        keys = [key for key in sync_data if key in self.keys]
        if keys:
            self.send_state(keys)

    # -- requests from the front end, and the student at the keyboard --------------------

    def _on_msg(self, _widget: object, content: object, _buffers: object) -> None:
        """Answer a request from the card; whatever fails, the card hears of it and the
        lesson goes on (a raise here would leave the card waiting, with no word)."""
        try:
            answer_request(self, content)
        except Exception as exc:
            fail_softly(self, exc)

    def _submit_from_browser(self, content: dict[str, Any]) -> None:
        submit_from_browser(self, content)

    def _meet_student(self, student: str | None) -> None:
        meet_student(self, student)

    def _leave_student(self) -> None:
        leave_student(self)

    def _on_notice(self, _notice: str) -> None:
        # Read from the widget's own recorder: after a switch of student, an old one may call.
        self.notice = self._recorder.notice if self._recorder is not None else ""

    def _on_school(self) -> None:
        # Called from the sender's thread too; the recorder's school_lock is held.
        recorder = self._recorder
        self.school_saved = recorder is not None and recorder.school_holds(self._span)

    # -- internals a kind builds on --------------------------------------------------------

    def _refuse(self, why: str) -> None:
        """The answer was not taken: say why under the field."""
        self.input_error = why
        self.seq += 1

    def _judge(self, check: checks.Check, response: object) -> checks.Verdict:
        """``check.check(response)`` within the question's time limit (see ``_judging``)."""
        return judge(check, response, self._limit)

    def _show_once(self) -> None:
        if self._student is None:
            return
        if tracker.first_showing(self._student, *filed_as(self)):
            self._emit("shown", kind=self._check.kind)
            self._since = time.monotonic()

    def _emit(
        self, event_type: str, /, *, about: tuple[str, str] | None = None, **fields: object
    ) -> None:
        record(self, new_event(self, event_type, *filed(self, event_type, about, fields)))

    def _event(
        self, event_type: str, /, *, about: tuple[str, str] | None = None, **fields: object
    ) -> Event:
        """A new event about this question, or ``about`` another (question id, qversion)."""
        return new_event(self, event_type, *filed(self, event_type, about, fields))

    def _log_attempt(
        self,
        verdict: checks.Verdict,
        level: float | None,
        progress: tracker.Progress,
        *,
        about: tuple[str, str] | None = None,
        allowed: Callable[[tracker.Progress], bool] = lambda was: True,
        then: Callable[[tracker.Progress], list[Event]] = lambda was: [],
        **extra: object,
    ) -> tracker.Progress | None:
        """Log one attempt and what it opens; the progress before it (see ``_events``)."""
        return log_attempt(
            self, verdict, level, progress, about=about, allowed=allowed, then=then, extra=extra
        )

    def _progress_of(self, event: Event) -> tracker.Progress:
        """The progress an event counts towards: this question's, for a single question."""
        return self._progress

    def _attempted(self) -> bool:
        return self._progress.judged > 0

    def _open_example(self) -> None:
        open_example(self)

    def _open_hints(self) -> None:
        open_hints(self)

    def _fade_field(self) -> Fade:
        return fade_field(self)


#: The card class of each kind whose card does more than the plain one (``kind=``).
_cards: dict[str, type[Question]] = {}


def card_class(kind: str) -> type[Question]:
    """The card a kind's questions are made on: its own, or the plain ``Question``."""
    return _cards.get(kind, Question)
