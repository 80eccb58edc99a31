"""The question widget: what the student sees, and the gate in front of the answer.

Python decides; the browser asks. Every synced trait is written here and only here,
and nothing that gives an answer away (accepted answers, targeted feedback, the worked
example, hints) becomes a trait before the student's first attempt. The front end sends
requests (submit, hint, reflect, identify, retry); state sent back by a browser is ignored.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import hashlib
import logging
import math
import random
import sys
import time
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypedDict

import anywidget
import ipywidgets
import traitlets as t

from .. import checks
from .._assets import asset
from ..i18n import catalogue, language
from ..i18n import text as _say
from ..kernel import KERNEL
from ..log import context, eventlog
from . import tracker, words
from .plaintext import plain_text
from .quiz import Quiz

#: The confidence choice the student sees, and the value stored in the log.
CONFIDENCE_LEVELS: tuple[tuple[str, float], ...] = (
    ("Just guessing", 0.0),
    ("Unsure", 1 / 3),
    ("Fairly sure", 2 / 3),
    ("Certain", 1.0),
)
_SCRIPT = asset("widget.js").read_text(encoding="utf-8")
#: How long checking one answer may take, unless a question says otherwise (``check_timeout``).
CHECK_SECONDS = 1.0
_LONGEST_CHECK = 60.0
#: Failures the card reports to the student are logged here too, for a developer who
#: configures logging; by default nothing is printed into the student's notebook.
_log = logging.getLogger("guessfirst")
_log.addHandler(logging.NullHandler())


def _version(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


#: Set while a review makes its questions (see ``review``): they are asked afresh.
_reviewing: contextvars.ContextVar[bool] = contextvars.ContextVar("reviewing", default=False)


class QuestionOptions(TypedDict, total=False):
    """What every kind of question also takes, after what counts as right.

    ``confidence``: ask how sure the student is (default True). ``mode``: "practice"
    (default) or "quiz", with ``attempts`` (default 1) and ``release`` (a datetime with a
    time zone) or ``key`` (the teacher's word) to open the examples. ``fade``: leave the
    last steps of a stepped example blank for the student to write. ``variant``: a
    function of a ``random.Random`` giving other arguments for the same question (other
    numbers, another answer and example), which a review asks instead of the original.
    ``check_timeout``: the seconds checking one answer may take (default 1); an answer
    that takes longer is logged without a verdict, and the student asked to write it
    more simply. Code that a question runs has its own ``timeout`` on top.
    """

    confidence: bool
    mode: str
    attempts: int | None
    release: datetime | None
    key: str | None
    fade: int
    variant: Callable[[random.Random], Mapping[str, object]] | None
    check_timeout: float


class Question(anywidget.AnyWidget):
    """One attempt-first question; the kinds a teacher writes are in ``questions``.

    A kind may change what the card shows around the answer: the prompt (a snippet to
    predict), the field's placeholder, and what the attempt turned out to be
    (``_outcome``: a program's real output, or the test cases it ran), which is gated
    with the feedback.
    """

    # anywidget would import `_esm` afresh for every question: a small loader evaluates
    # the card's script once per page and version (see loader.js). Not anywidget's `_css`
    # either, which rewrites the style sheet for every new question and so restyles the
    # whole page each time: the card adds it once per page (see widget.js).
    _esm = t.Unicode(asset("loader.js").read_text(encoding="utf-8")).tag(sync=True)
    _anywidget_id = t.Unicode("guessfirst.student.widget.Question").tag(sync=True)
    script = t.Unicode(_SCRIPT, read_only=True).tag(sync=True)
    script_version = t.Unicode(_version(_SCRIPT), read_only=True).tag(sync=True)
    css = t.Unicode(asset("widget.css").read_text(encoding="utf-8"), read_only=True).tag(sync=True)

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

    # Traits tagged per_student describe one student's progress: they are reset, and the
    # gate closes again, when another student takes over the computer.
    qid = t.Unicode("").tag(sync=True)
    kind = t.Unicode("").tag(sync=True)
    control = t.Unicode(
        "text",
        help="The card part that takes the answer, as the kind declares it: a module of "
        "js/src/controls/ (text, choice, cell, parts, order).",
    ).tag(sync=True)
    control_options = t.Dict(
        help="What that card part needs to know of this question beyond its choices (an "
        "order question's indent); never part of an answer.",
    ).tag(sync=True)
    prompt_html = t.Unicode("").tag(sync=True)
    choices = t.List(t.Dict()).tag(sync=True)
    multiple = t.Bool(False).tag(sync=True)
    ask_confidence = t.Bool(True).tag(sync=True)
    placeholder = t.Unicode("").tag(sync=True)
    needs_student = t.Bool(False).tag(sync=True)
    student_error = t.Unicode("").tag(sync=True)
    student_label = t.Unicode("").tag(sync=True, per_student=True)
    status = t.Unicode("open").tag(sync=True, per_student=True)
    attempts = t.Int(0).tag(sync=True, per_student=True)
    input_error = t.Unicode("").tag(sync=True, per_student=True)
    feedback_html = t.Unicode("").tag(sync=True, per_student=True)
    outcome_html = t.Unicode("").tag(sync=True, per_student=True)
    instructions = t.Unicode("").tag(sync=True)
    mode = t.Unicode("practice").tag(sync=True)
    # The card's own words (buttons, labels), in the language chosen when it was made.
    lang = t.Unicode("en").tag(sync=True)
    strings = t.Dict().tag(sync=True)
    attempts_left = t.Int(0).tag(sync=True, per_student=True)
    release_text = t.Unicode("").tag(sync=True, per_student=True)
    key_entry = t.Bool(False).tag(sync=True, per_student=True)
    key_error = t.Unicode("").tag(sync=True, per_student=True)
    # Faded worked examples: the last steps blank until the student has written them.
    faded_steps = t.List(t.Dict()).tag(sync=True, per_student=True)
    steps_left = t.Int(0).tag(sync=True, per_student=True)
    next_step = t.Int(0).tag(sync=True, per_student=True)  # its number in the example
    example_html = t.Unicode("").tag(sync=True, per_student=True)
    hints_html = t.List(t.Unicode()).tag(sync=True, per_student=True)
    hints_left = t.Int(0).tag(sync=True, per_student=True)
    last_response = t.Unicode("").tag(sync=True, per_student=True)
    reflection_for = t.Int(0).tag(sync=True, per_student=True)
    reflection_saved = t.Bool(False).tag(sync=True, per_student=True)
    notice = t.Unicode("").tag(sync=True, per_student=True)
    school_saved = t.Bool(
        False,
        help="True once the school's hub service holds the last events this card wrote: "
        "the card's small 'saved to the school' mark. Never True without a service.",
    ).tag(sync=True, per_student=True)
    seq = t.Int(0).tag(sync=True)

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
        check_timeout: float = CHECK_SECONDS,
    ) -> None:
        from . import rendering  # only once a question exists: keeps `import guessfirst` light

        if variant is not None and not callable(variant):
            raise checks.QuestionError(
                f"Question {check.qid!r}: variant must be a function of a random.Random"
            )
        limit = _checked_limit(check.qid, check_timeout)
        review = _reviewing.get()

        checks.check_fade(check, fade)

        quiz = Quiz.from_options(check.qid, mode=mode, attempts=attempts, release=release, key=key)
        if review:  # days later it is practice: the retrieval is the point, not a score
            quiz = None
        # A review may ask another variant of a question under its id: not a clash.
        cell = _current_cell() if review else _claim_id(check)
        state = dict(
            qid=check.qid,
            kind=check.kind,
            control=check.KIND.control,
            control_options=check.control_options(),
            prompt_html=rendering.render_markdown(self._prompt_markdown(check)),
            ask_confidence=bool(confidence),
            multiple=getattr(check, "multiple", False),
            placeholder=_say(check.KIND.placeholder) if check.KIND.placeholder else "",
            mode="quiz" if quiz is not None else "practice",
            lang=language(),
            strings=_card_strings(),
        )
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
        self._variant = variant
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
        _replace_in_cell(cell, self)
        if not review and hasattr(self, "_made_with"):
            KERNEL.makers[check.qid] = self._made_with
        self._meet_student(context.student())

    # -- what a teacher or a test calls ------------------------------------------------

    def submit(
        self, response: object, confidence: float | str | None = None
    ) -> checks.Verdict | None:
        """Answer as the student's Submit button does: check, log, update, return the verdict.

        Returns None when the response cannot be read (a number that is not a number):
        that is not counted as an attempt, and the widget tells the student why.
        """
        level = _confidence_value(confidence) if confidence is not None else self._picked
        if self._student is None or self._recorder is None:
            raise RuntimeError(
                f"Question {self.qid!r}: no student id yet, so nothing could be logged. "
                "Set GUESSFIRST_STUDENT or call guessfirst.configure(student=...)."
            )
        try:
            verdict = self._judge(self._check, response)
        except checks.InvalidResponse as err:
            self.input_error = str(err)
            self.seq += 1
            return None
        self._show_once()
        self._open_if_released()
        quiz = self._quiz if self._closed_quiz() else None

        def opens(was: tracker.Progress) -> list[dict]:
            if was.revealed or quiz is not None or verdict.correct is None:
                return []
            return [self._event("reveal", attempt=was.attempts + 1, **self._fade_field())]

        was = self._log_attempt(
            verdict,
            level,
            self._progress,
            allowed=lambda was: quiz is None or was.judged < quiz.attempts,
            then=opens,
            **({"mode": "quiz"} if quiz is not None else {}),
        )
        if was is None:
            assert quiz is not None
            self.input_error = words.used_up(quiz.attempts)
            self.seq += 1
            return None
        number = was.attempts + 1
        self._picked = None
        self._since = time.monotonic()
        if verdict.correct is None:
            self.input_error = words.unjudged(verdict)
            self.seq += 1
            return verdict
        if quiz is not None:
            with self.hold_sync():
                self._show_saved()
                self.seq += 1
            return verdict
        with self.hold_sync():
            self.input_error = ""
            self.attempts = number
            self.status = "correct" if self._progress.solved else "wrong"
            self.feedback_html = words.after_attempt(verdict, level, number, was.errors)
            self.outcome_html = self._outcome(verdict)
            self.last_response = self._check.shown_response(verdict.response)
            self._open_example()
            self._open_hints()
            self.reflection_for = 0 if verdict.correct else number
            self.reflection_saved = False
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
            or self._closed_quiz()
            or not self._attempted()
            or done.hints >= len(self._check.hints)
        ):
            self.seq += 1
            return None
        number = done.hints + 1
        self._emit("hint", n=number, attempt=done.attempts)
        with self.hold_sync():
            self._open_hints()
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
        shown = len(self._check.example) - self._fade + len(self._progress.steps)
        if (
            self._recorder is None
            or not self.example_html
            or shown >= len(self._check.example)
            or not text.strip()
        ):
            self.seq += 1
            return None
        self._emit("step", n=shown + 1, text=text, attempt=self._progress.attempts)
        with self.hold_sync():
            self._open_example()
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
        return f"{type(self).__name__}({self.qid!r}): {_one_line(plain_text(self._check.prompt))}"

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
        prompt = _one_line(plain_text(self._check.prompt), _PLAIN_PROMPT_CHARS)
        return _say("card.plain.run_to_answer", prompt=prompt)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Refuse state written by a browser, and send the kernel's own values back.

        Unlocking happens only in :meth:`submit`; a front end that sets ``example_html``
        or ``status`` itself gets the truth back instead.
        """
        keys = [key for key in sync_data if key in self.keys]
        if keys:
            self.send_state(keys)

    # -- requests from the front end ---------------------------------------------------

    def _on_msg(self, _widget: object, content: object, _buffers: object) -> None:
        """Answer a request from the card; whatever fails, the card hears of it and the
        lesson goes on (a raise here would leave the card waiting, with no word)."""
        try:
            self._answer_request(content)
        except Exception as exc:
            self._fail_softly(exc)

    def _answer_request(self, content: object) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "submit" and self._student is not None:
            self._submit_from_browser(content)
        elif kind == "confidence":
            self._picked = _level_at(content.get("confidence"))
        elif kind == "hint":
            self.hint()
        elif kind == "reflect" and isinstance(content.get("text"), str):
            self.reflect(content["text"])
        elif kind == "identify":
            self._identify(content.get("student"))
        elif kind == "switch" and self.student_label:
            self._switch_student()
        elif kind == "step" and isinstance(content.get("text"), str):
            self.fill_step(content["text"])
        elif kind == "open":
            self._open_if_released()
            self.seq += 1
        elif kind == "key" and isinstance(content.get("key"), str):
            self._try_key(content["key"])
        elif kind == "retry" and self._recorder is not None:
            self._recorder.retry()
            self.seq += 1

    def _fail_softly(self, exc: Exception) -> None:
        """Tell the student something went wrong on the kernel's side, and log it if the
        log can take it: the teacher sees it in the logs, the student gets on."""
        _log.error("guessfirst: a request from the card failed", exc_info=exc)
        if self._student is not None and self._recorder is not None:
            try:
                self._recorder.write(
                    self._event("error", detail=_one_line(f"{type(exc).__name__}: {exc}", 500))
                )
            except Exception as again:  # the log itself is what failed: the message still shows
                _log.error("guessfirst: the failure could not be logged", exc_info=again)
        with self.hold_sync():
            self.input_error = _say("input.failed")
            self.seq += 1

    def _submit_from_browser(self, content: dict[str, Any]) -> None:
        response = content.get("response")
        if not isinstance(response, (str, list)):
            self.seq += 1
            return
        self.submit(response, _level_at(content.get("confidence")))

    def _identify(self, name: object) -> None:
        try:
            student = context.remember_student(name if isinstance(name, str) else "")
        except ValueError as err:
            self.student_error = str(err)
            self.seq += 1
            return
        for widget in list(KERNEL.live):
            if widget._student is None:
                widget._meet_student(student)
        self.seq += 1

    def _switch_student(self) -> None:
        """Someone else is at the keyboard: close every question the typed name had opened.

        The gate closes again too: the next student must not find the last one's worked
        examples and answers waiting for them.
        """
        context.forget_student()
        for widget in list(KERNEL.live):
            if widget.student_label:
                widget._leave_student()
        self.seq += 1

    # -- internals ---------------------------------------------------------------------

    def _meet_student(self, student: str | None) -> None:
        """Bind to a student: their file, their progress so far, their choice order."""
        if student is None:
            self.needs_student = True
            return
        self._student = student
        self._recorder = tracker.recorder(student)
        self.student_label = student if context.typed_by_student() else ""
        self._recorder.subscribe(self._on_notice)
        self._recorder.watch_school(self._on_school)
        self._progress = tracker.replay(
            self._recorder.history(), self._check.qid, self._check.qversion
        )
        if self._review:
            # Asked afresh: the example, hints and feedback wait for this review's attempt;
            # only the attempt numbers carry on from the log.
            self._attempts_before = self._progress.attempts
            self._progress = tracker.Progress(attempts=self._attempts_before)
        with self.hold_sync():
            self.needs_student = False
            self.student_error = ""
            self.notice = self._recorder.notice
            self.choices = listed(self._check, student)
            if self._closed_quiz():
                self._show_saved()
            elif self._progress.judged:
                self._restore()
        self._open_if_released()
        if self._displayed:
            self._show_once()

    def _leave_student(self) -> None:
        self._student = None
        self._recorder = None
        self._span = None
        self._progress = tracker.Progress()
        with self.hold_sync():
            for name in self.trait_names(per_student=True):
                self.set_trait(name, self.trait_defaults(name))
            self.needs_student = True

    def _restore(self) -> None:
        done = self._progress
        self.attempts = done.attempts
        self.status = "correct" if done.solved else "wrong"
        self.last_response = self._check.shown_response(done.last_response or "")
        self.feedback_html = words.last_time(done, self.last_response)
        self.outcome_html = self._restored_outcome(done)
        self._open_example()
        self._open_hints()
        wrong_last = not done.last_correct
        self.reflection_for = done.attempts if wrong_last else 0
        self.reflection_saved = done.attempts in done.reflected

    # -- quiz mode ---------------------------------------------------------------------

    def _closed_quiz(self) -> bool:
        """A quiz whose examples have not opened yet: no verdict, feedback or help shows."""
        return self._quiz is not None and not self._progress.revealed

    def _show_saved(self) -> None:
        """What a closed quiz shows: the answer kept, the attempts left, how it will open."""
        assert self._quiz is not None
        done, quiz = self._progress, self._quiz
        left = max(quiz.attempts - done.attempts, 0)
        self.input_error = ""
        self.attempts = done.attempts
        self.last_response = self._check.shown_response(done.last_response or "")
        self.status = (
            "done" if done.attempts and not left else ("saved" if done.attempts else "open")
        )
        self.feedback_html = words.saved(done, left, self.last_response) if done.attempts else ""
        self.attempts_left = left
        self.release_text = quiz.release_text()
        self.key_entry = quiz.key_digest is not None
        self.hints_left = 0

    def _open_if_released(self) -> None:
        if self._quiz is not None and self._closed_quiz() and self._quiz.released():
            self._open_quiz("release")

    def _try_key(self, key: str) -> None:
        """The teacher typed their key on this computer: open every quiz question it opens."""
        opened = [
            widget
            for widget in list(KERNEL.live)
            if widget._quiz is not None
            and widget._closed_quiz()
            and widget._student is not None
            and widget._quiz.opens_with(key)
        ]
        for widget in opened:
            widget._open_quiz("key")
        self.key_error = "" if opened else _say("quiz.wrong_key")
        self.seq += 1

    def _open_quiz(self, by: str) -> None:
        """Open the examples of a closed quiz: logged, then shown as practice would."""
        if self._student is None:
            return
        self._emit("reveal", attempt=self._progress.attempts, by=by, **self._fade_field())
        with self.hold_sync():
            self.release_text = ""
            self.key_entry = False
            self.key_error = ""
            self.attempts_left = 0
            if self._progress.attempts:
                self._restore()
            else:
                self.status = "open"
                self.feedback_html = ""
                self._open_example()
                self._open_hints()
            self.seq += 1

    def _open_example(self) -> None:
        """Show the worked example; with fading, its last steps stay blank until filled in."""
        from . import rendering

        parts = self._check.example
        if not parts:
            return
        worked = len(parts) - self._fade
        if not self.example_html:
            self.example_html = rendering.render_example(parts[:worked])
        filled = self._progress.steps
        if len(self.faded_steps) < len(filled):
            self.faded_steps = [
                {"n": n, "html": rendering.render_example(parts[n - 1 : n]), "yours": filled[n]}
                for n in range(worked + 1, worked + 1 + len(filled))
                if n in filled
            ]
        self.steps_left = self._fade - len(self.faded_steps)
        self.next_step = worked + len(self.faded_steps) + 1 if self.steps_left else 0

    def _fade_field(self) -> dict[str, int]:
        """``fade`` on a reveal event: how many steps the example left for the student."""
        return {"fade": self._fade} if self._fade else {}

    def _open_hints(self) -> None:
        """Render the hints the log says are open, and offer the rest: only after an attempt."""
        from . import rendering

        hints = self._check.hints
        opened = min(self._progress.hints, len(hints))
        if len(self.hints_html) < opened:
            fresh = hints[len(self.hints_html) : opened]
            self.hints_html = [*self.hints_html, *(rendering.render_markdown(h) for h in fresh)]
        self.hints_left = len(hints) - opened

    def _show_once(self) -> None:
        if self._student is None:
            return
        if tracker.first_showing(self._student, self._check.qid, self._check.qversion):
            self._emit("shown", kind=self._check.kind)
            self._since = time.monotonic()

    def _emit(self, event_type: str, /, **fields: object) -> None:
        self._record(self._event(event_type, **fields))

    def _event(
        self, event_type: str, /, *, about: tuple[str, str] | None = None, **fields: object
    ) -> dict:
        """A new event about this question, or ``about`` another (question id, qversion).

        In a review every event says so (``review: true``): the teacher's delayed measures
        and the student's schedule tell a retrieval days later from a retry.
        """
        assert self._student is not None
        question, qversion = about or (self._check.qid, self._check.qversion)
        if self._review and event_type != "shown":
            fields["review"] = True
        return eventlog.make_event(
            event_type,
            student=self._student,
            session=context.SESSION,
            notebook=context.notebook_name(),
            question=question,
            qversion=qversion,
            **fields,
        )

    def _attempt_events(
        self,
        verdict: checks.Verdict,
        level: float | None,
        was: tracker.Progress,
        *,
        about: tuple[str, str] | None = None,
        **extra: object,
    ) -> list[dict]:
        """The ``attempt``, and ``corrected`` when it is the first right answer after wrong
        ones; ``was`` is the progress before it."""
        number = was.attempts + 1
        if verdict.reason is not None:
            extra = {**extra, "reason": verdict.reason}
        events = [
            self._event(
                "attempt",
                about=about,
                attempt=number,
                response=verdict.response,
                correct=verdict.correct,
                confidence=level,
                latency_ms=round((time.monotonic() - self._since) * 1000),
                misconception=verdict.misconception,
                normalized=verdict.normalized,
                **extra,
            )
        ]
        if verdict.correct and not was.solved and was.errors:
            events.append(
                self._event(
                    "corrected",
                    about=about,
                    attempt=number,
                    errors=was.errors,
                    first_error=was.first_error,
                    first_confidence=was.first_confidence,
                )
            )
        return events

    def _judge(self, check: checks.Check, response: object) -> checks.Verdict:
        """``check.check(response)`` within the question's time limit.

        An answer that cannot be compared in time gets no verdict (``correct`` None):
        the lesson goes on, and the attempt is still logged. An error inside a check is
        not the student's doing either: it is logged the same way, with its reason.
        """
        try:
            return checks.judge(check, response, self._limit)
        except TimeoutError:
            reason = "timeout"
        except (checks.InvalidResponse, checks.QuestionError):
            raise
        except Exception as exc:
            _log.error("guessfirst: checking an answer failed", exc_info=exc)
            reason = "error"
        return checks.unjudged(_as_text(response), reason)

    def _log_attempt(
        self,
        verdict: checks.Verdict,
        level: float | None,
        progress: tracker.Progress,
        *,
        about: tuple[str, str] | None = None,
        allowed: Callable[[tracker.Progress], bool] = lambda was: True,
        then: Callable[[tracker.Progress], list[dict]] = lambda was: [],
        **extra: object,
    ) -> tracker.Progress | None:
        """Log one attempt and what it opens (``then``); return the progress before it.

        Its number, and whether it corrects an error, come from the file under the
        writers' lock, so two kernels of one student never use one number twice. None
        when ``allowed`` says no (a quiz's attempts used up); nothing is logged then.
        """
        assert self._recorder is not None
        question, qversion = about or (self._check.qid, self._check.qversion)
        before: list[tracker.Progress] = []

        def build(history: list[dict]) -> list[dict]:
            was = tracker.replay(history, question, qversion)
            if self._review:  # a review's own progress; only the numbers carry on
                was = dataclasses.replace(progress, attempts=max(progress.attempts, was.attempts))
            if not allowed(was):
                return []
            before.append(was)
            events = self._attempt_events(verdict, level, was, about=about, **extra)
            return [*events, *then(was)]

        made = self._recorder.write_built(build)
        self._school_waits()
        if not before:
            return None
        was = before[0]
        progress.take(dataclasses.replace(was, reflected=set(was.reflected), steps=dict(was.steps)))
        for event in made:
            self._progress_of(event).apply(event)
        return was

    def _record(self, *events: dict) -> None:
        """Log events that belong together in one append, then count them as done."""
        assert self._recorder is not None
        self._recorder.write(*events)
        self._school_waits()
        for event in events:
            self._progress_of(event).apply(event)

    def _progress_of(self, event: dict) -> tracker.Progress:
        """The progress an event counts towards: this question's, for a single question."""
        return self._progress

    def _attempted(self) -> bool:
        return self._progress.judged > 0

    def _on_notice(self, _notice: str) -> None:
        # Read from the widget's own recorder: after a switch of student, an old one may call.
        self.notice = self._recorder.notice if self._recorder is not None else ""

    def _school_waits(self) -> None:
        """The card wrote: its mark waits until the school's service holds that too."""
        recorder = self._recorder
        if recorder is not None and recorder.sender is not None:
            with recorder.school_lock:
                self._span = recorder.last_span
                self._on_school()

    def _on_school(self) -> None:
        # Called from the sender's thread too; the recorder's school_lock is held.
        recorder = self._recorder
        self.school_saved = recorder is not None and recorder.school_holds(self._span)


#: The card class of each kind whose card does more than the plain one (``kind=``).
_cards: dict[str, type[Question]] = {}


def card_class(kind: str) -> type[Question]:
    """The card a kind's questions are made on: its own, or the plain ``Question``."""
    return _cards.get(kind, Question)


def _claim_id(check: checks.Check) -> str | None:
    """Refuse a second question under an id already used for different content.

    Two questions sharing an id would pool their students' attempts in the report. A
    teacher re-running the cell they just edited is not that, when the front end tells
    the kernel which cell is running.
    """
    cell = _current_cell()
    known = KERNEL.defined.get(check.qid)
    if known and known[0] != check.qversion and (cell is None or known[1] != cell):
        raise checks.QuestionError(
            f"Question {check.qid!r}: this id is already used by a different question in "
            "this notebook. Give each question its own id (if you edited this one, "
            "restart the kernel)."
        )
    KERNEL.defined[check.qid] = (check.qversion, cell)
    return cell


def _replace_in_cell(cell: str | None, widget: Question) -> None:
    """Close the widget a re-run cell made before: its view is gone, and every model left
    open would be saved into the notebook again with the widget state."""
    if cell is None:
        return
    key = (cell, widget.qid)
    earlier = KERNEL.made_in_cell.get(key)
    old = earlier() if earlier is not None else None
    if old is not None and old is not widget:
        old.close()
    KERNEL.made_in_cell[key] = weakref.ref(widget)


def _current_cell() -> str | None:
    try:
        from IPython import get_ipython

        parent = get_ipython().kernel.get_parent()
    except Exception:  # not in a kernel, or a kernel that does not say
        return None
    cell = (parent or {}).get("metadata", {}).get("cellId")
    return cell if isinstance(cell, str) else None


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


def _card_strings() -> dict[str, str]:
    """The catalogue's words the card itself draws (``card.*``), in the current language."""
    return {key: text for key, text in catalogue().items() if key.startswith("card.")}


def _level_at(index: object) -> float | None:
    """The stored value of the confidence a browser names by its place on the scale."""
    if (
        isinstance(index, int)
        and not isinstance(index, bool)
        and 0 <= index < len(CONFIDENCE_LEVELS)
    ):
        return CONFIDENCE_LEVELS[index][1]
    return None


def _confidence_value(confidence: float | str | None) -> float | None:
    if confidence is None:
        return None
    if isinstance(confidence, str):
        for label, value in CONFIDENCE_LEVELS:
            if label.casefold() == confidence.strip().casefold():
                return value
        names = ", ".join(label for label, _ in CONFIDENCE_LEVELS)
        raise ValueError(f"confidence must be a number from 0 to 1 or one of: {names}")
    value = float(confidence)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (got {confidence!r})")
    return value


def _checked_limit(qid: str, seconds: object) -> float:
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not math.isfinite(seconds)
        or not 0 < seconds <= _LONGEST_CHECK
    ):
        raise checks.QuestionError(
            f"Question {qid!r}: check_timeout must be a number of seconds above 0 and at "
            f"most {_LONGEST_CHECK:g} (got {seconds!r})"
        )
    return float(seconds)


def _as_text(response: object) -> str:
    """An answer as the log keeps it when no check could say how it reads."""
    if isinstance(response, str):
        return response
    if isinstance(response, (list, tuple)) and all(isinstance(item, str) for item in response):
        import json

        return json.dumps(list(response), ensure_ascii=False)
    return _one_line(repr(response), eventlog.MAX_TEXT_CHARS)


#: The prompt in a saved notebook's plain text is cut here: a reader sees the card for more.
_PLAIN_PROMPT_CHARS = 300


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
