"""A question in parts (a, b, c): each part answered and gated on its own, one worked example.

The parts are ordinary questions (``gf.Numeric(...)``, ``gf.Text(...)``...), written as
anywhere else; the card asks them in order. A part's attempts are logged as the
question ``<id>/<part id>``, so the report shows each part's errors and corrections, and
the worked example, which covers every part, opens once each part has had an attempt.
"""

from __future__ import annotations

import string
import time
from collections.abc import Mapping, Sequence

import traitlets as t

from .. import checks
from ..checks.multi import MultiCheck
from ..kernel import KERNEL
from . import tracker, widget, words
from .widget import Question


class Multi(Question, kind="multi"):
    """A question in several parts, each a question of its own kind; one worked example."""

    parts = t.List(
        t.Dict(),
        help="Each part as its card shows it: label, prompt, its kind's choices, status, "
        "feedback, last answer and input error; nothing of a part's answer before its attempt.",
    ).tag(sync=True)

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        parts: Sequence[Question | checks.Check],
        example: object = None,
        fade: int = 0,
        hints: Sequence[str] = (),
        confidence: bool = True,
        check_timeout: float = widget.CHECK_SECONDS,
    ) -> None:
        from .questions import _prepared

        check = MultiCheck(
            id,
            prompt,
            parts=[_taken(part) for part in parts],
            example=_prepared(example),
            hints=hints,
        )
        self._done = [tracker.Progress() for _ in check.parts]
        self._errors = [""] * len(check.parts)
        self._said = [""] * len(check.parts)  # the feedback each part last got
        super().__init__(check, confidence=confidence, fade=fade, check_timeout=check_timeout)
        for part in check.parts:
            checks.warm(part)

    @property
    def _multi(self) -> MultiCheck:
        assert isinstance(self._check, MultiCheck)
        return self._check

    def submit(
        self, response: object, confidence: float | str | None = None, *, part: str | int = 0
    ) -> checks.Verdict | None:
        """Answer one part (by id or position), as that part's Check button does."""
        index = self._index(part)
        level = widget._confidence_value(confidence) if confidence is not None else self._picked
        if self._student is None or self._recorder is None:
            raise RuntimeError(f"Question {self.qid!r}: no student id yet, so nothing is logged.")
        check = self._multi.parts[index]
        try:
            verdict = self._judge(check, response)
        except checks.InvalidResponse as err:
            self._errors[index] = str(err)
            self._sync_parts()
            self.seq += 1
            return None
        self._show_once()
        others = [done for i, done in enumerate(self._done) if i != index]
        opening = (
            verdict.correct is not None
            and all(done.judged for done in others)
            and not self._progress.revealed
        )

        def opens(was: tracker.Progress) -> list[dict[str, object]]:
            if not opening:
                return []
            tried = sum(done.attempts for done in others) + was.attempts + 1
            return [self._event("reveal", attempt=tried, **self._fade_field())]

        was = self._log_attempt(
            verdict, level, self._done[index], about=self._about(index), then=opens
        )
        assert was is not None
        number = was.attempts + 1
        self._picked = None
        self._since = time.monotonic()
        if verdict.correct is None:
            self._errors[index] = words.unjudged(verdict)
            with self.hold_sync():
                self._show_parts()
                self.seq += 1
            return verdict
        self._errors[index] = ""
        if opening:  # what the other parts said about the example waiting is now out of date
            self._said = [words.last_time(done) if done.attempts else "" for done in self._done]
        self._said[index] = words.after_attempt(
            verdict, level, number, was.errors, example_open=self._progress.revealed
        )
        with self.hold_sync():
            self._show_parts()
            self.seq += 1
        return verdict

    # -- the base question's hooks -----------------------------------------------------

    def _submit_from_browser(self, content: Mapping[str, object]) -> None:
        response, part = content.get("response"), content.get("part")
        if not isinstance(response, (str, list)) or not isinstance(part, int):
            self.seq += 1
            return
        if not 0 <= part < len(self._done):
            self.seq += 1
            return
        self.submit(response, widget._level_at(content.get("confidence")), part=part)

    def _meet_student(self, student: str | None) -> None:
        super()._meet_student(student)
        if self._recorder is None:
            self._sync_parts()
            return
        history = self._recorder.history()
        for index in range(len(self._done)):
            question, qversion = self._about(index)
            self._done[index] = tracker.replay(history, question, qversion)
            done = self._done[index]
            self._said[index] = words.last_time(done) if done.attempts else ""
        with self.hold_sync():
            self._show_parts()

    def _leave_student(self) -> None:
        self._done = [tracker.Progress() for _ in self._done]
        self._errors = [""] * len(self._done)
        self._said = [""] * len(self._done)
        super()._leave_student()
        self._sync_parts()

    def _show_once(self) -> None:
        if self._student is None:
            return
        super()._show_once()
        for index, check in enumerate(self._multi.parts):
            question, qversion = self._about(index)
            if tracker.first_showing(self._student, question, qversion):
                self._emit("shown", about=(question, qversion), kind=check.kind)

    def _progress_of(self, event: Mapping[str, object]) -> tracker.Progress:
        for index in range(len(self._done)):
            if event.get("question") == self._about(index)[0]:
                return self._done[index]
        return self._progress

    def _attempted(self) -> bool:
        return any(done.judged for done in self._done)

    # -- internals ---------------------------------------------------------------------

    def _about(self, index: int) -> tuple[str, str]:
        part = self._multi.parts[index]
        return f"{self.qid}/{part.qid}", part.qversion

    def _index(self, part: str | int) -> int:
        ids = [check.qid for check in self._multi.parts]
        if isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(ids):
            return part
        if isinstance(part, str) and part in ids:
            return ids.index(part)
        raise ValueError(f"Question {self.qid!r} has no part {part!r}; its parts: {ids}")

    def _show_parts(self) -> None:
        """The parts as they stand, and the example and hints once every part is tried."""
        self.attempts = sum(done.attempts for done in self._done)
        self._sync_parts()
        if self._progress.revealed:
            self._open_example()
            self._open_hints()

    def _sync_parts(self) -> None:
        """What the card shows of each part: its prompt, field, and its own feedback only."""
        from . import rendering

        shown = []
        for index, check in enumerate(self._multi.parts):
            done = self._done[index]
            entry = {
                "id": check.qid,
                "label": f"({string.ascii_lowercase[index % 26]})",
                "kind": check.kind,
                "prompt_html": rendering.render_markdown(check.prompt),
                "choices": widget.listed(check, self._student),
                "multiple": bool(getattr(check, "multiple", False)),
                "status": "open" if not done.judged else ("correct" if done.solved else "wrong"),
                "feedback_html": self._said[index],
                "last_response": done.last_response or "",
                "input_error": self._errors[index],
            }
            shown.append(entry)
        self.parts = shown


def _taken(part: object) -> checks.Check:
    """A part's checker; a part given as a widget is retired, as it is never shown alone."""
    if isinstance(part, Multi):
        raise checks.QuestionError("a part of a Multi question cannot itself be a Multi")
    if isinstance(part, Question):
        if part._numbers.variant is not None:  # one student's numbers would be everyone's
            raise checks.QuestionError("a part of a Multi question cannot be per_student")
        check = part._check
        part.close()
        if KERNEL.defined.get(check.qid, (None,))[0] == check.qversion:
            del KERNEL.defined[check.qid]  # its id lives on only inside this question
        return check
    if isinstance(part, checks.Check):
        return part
    raise checks.QuestionError(
        f"a part must be a question such as gf.Numeric(...) (got {type(part).__name__})"
    )
