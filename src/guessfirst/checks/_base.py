"""What every check shares: the errors, the verdict, and ``Check``, the base of every kind.

Standard library only, and no widget, rendering or I/O: the student's card and the
teacher's report must agree on what counts as correct and as the same answer, wherever
they run.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from . import _misconception
from ._kind import Kind
from ._misconception import Misconception


class QuestionError(ValueError):
    """A question is authored wrongly; raised when it is built, so the teacher sees it first."""


class InvalidResponse(ValueError):
    """The student's input cannot be read. Not an attempt: the message is shown to the student."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one attempt, in the shape the ``attempt`` event logs it.

    ``correct`` is None for an attempt that could not be judged (``reason`` says why:
    ``"timeout"`` when the check overran its time): it opens nothing and counts as
    neither right nor wrong.
    """

    correct: bool | None
    response: str
    normalized: str
    misconception: str | None
    message: str | None
    reason: str | None = None
    #: How the feedback quotes the answer, when the logged response is not how it reads
    #: (an order's line positions); None to quote the response.
    shown: str | None = None


def unjudged(response: str, reason: str) -> Verdict:
    """The verdict of an attempt whose check could not finish: no verdict at all."""
    return Verdict(None, response, response, None, None, reason)


def _fail(qid: object, problem: str) -> QuestionError:
    """One sentence about the question; a problem quoting a full sentence keeps its own stop."""
    problem = problem.rstrip()
    stop = "" if problem.endswith((".", "!", "?", "。")) else "."
    return QuestionError(f"Question {qid!r}: {problem}{stop}")


class Check(ABC):
    """What every question knows: id, prompt, worked example, targeted feedback and hints.

    Read-only once built: its ``qversion`` labels logged attempts, so it must not drift.
    """

    #: The kind's declaration; every kind's class has one (see ``_kind``).
    KIND: ClassVar[Kind]
    #: The kind's name, as events and banks write it: ``KIND.name``.
    kind: ClassVar[str]
    #: Whether a check may compute for long inside C code, where no thread can stop it:
    #: the widget then checks in a worker process it can end.
    compute_bound: ClassVar[bool] = False
    __slots__ = ("_example", "_feedback", "_hints", "_prompt", "_qid", "_qversion", "_tags")

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "KIND" in vars(cls):
            cls.kind = cls.KIND.name

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        example: str | bytes | Sequence[str | bytes],
        feedback: Mapping[Any, str | Misconception] | None,
        hints: Sequence[str] = (),
    ) -> None:
        if not isinstance(qid, str) or not qid.strip():
            raise _fail(qid, "the id must be a non-empty string")
        self._qid = qid
        if not isinstance(prompt, str) or not prompt.strip():
            raise self._fail("the prompt is empty")
        self._prompt = prompt
        self._example = self._checked_example(example)
        self._tags: dict[object, Misconception] = {}
        self._feedback = self._checked_feedback(feedback)
        self._hints = self._checked_hints(hints)
        self._qversion: str | None = None

    @property
    def qid(self) -> str:
        return self._qid

    @property
    def prompt(self) -> str:
        return self._prompt

    @property
    def example(self) -> tuple[str | bytes, ...]:
        return self._example

    @property
    def feedback(self) -> dict[object, str]:
        """A copy: editing it must not change a question whose attempts are already logged."""
        return dict(self._feedback)

    @property
    def misconceptions(self) -> dict[object, Misconception]:
        """The feedback declared as a :class:`Misconception`, by the answer it is for."""
        return dict(self._tags)

    def misconception(self, tag: str | None) -> Misconception | None:
        """The misconception this question declares under ``tag``, if any: a plain
        feedback key names no misconception beyond its own question."""
        return next((m for m in self._tags.values() if m.tag == tag), None)

    @property
    def hints(self) -> tuple[str, ...]:
        """Markdown, in the order a student may open them, each only after an attempt."""
        return self._hints

    @property
    def qversion(self) -> str:
        """A short hash of everything that decides a verdict or what the student sees.

        Beside kind, prompt, accepted answers and worked example, the checking rules
        (tolerances, pattern, shuffle, feedback) go under "check": a widened tolerance
        changes who is correct, so attempts before and after it must not be pooled.
        Hints count only when there are some, so a question written before hints existed
        keeps the version its logged attempts carry. Worked out once: every event has it.
        """
        if self._qversion is None:
            self._qversion = self._version()
        return self._qversion

    def _version(self) -> str:
        content: dict[str, object] = {
            "kind": self.kind,
            "prompt": self._prompt,
            "answers": self.answers(),
            "example": [
                part if isinstance(part, str) else "sha256:" + hashlib.sha256(part).hexdigest()
                for part in self._example
            ],
            "check": {
                **self._rules(),
                "feedback": sorted([str(key), text] for key, text in self._feedback.items()),
            },
        }
        if self._hints:
            content["hints"] = list(self._hints)
        if self._tags:  # only when there are some: older questions keep their version
            content["misconceptions"] = _misconception.payload(self._tags)
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    @abstractmethod
    def check(self, response: object) -> Verdict:
        """Judge one attempt; raises InvalidResponse when the input is not an attempt."""

    def listed(self, student: str | None) -> list[str]:
        """What the card lists for this student to pick from or arrange, in the order they
        see it (None: before the student is known); nothing, for a kind that lists none."""
        return []

    def control_options(self) -> dict[str, object]:
        """What the card part of this kind needs to know of this question, besides what
        it lists (``KIND.control``): nothing, for most kinds. Never part of an answer."""
        return {}

    def listed_markdown(self, value: str) -> str:
        """How the card shows a listed value: as Markdown, for most kinds."""
        return value

    @staticmethod
    def xapi_response(logged: str) -> str:
        """A logged response in its xAPI interaction type's format: as logged, for most."""
        return logged

    def shown_response(self, logged: str) -> str:
        """A logged response as the card shows it again: as logged, for most kinds."""
        return logged

    def run_seconds(self) -> float:
        """How long a check may spend running code under its own time limits (0 for a
        kind that runs none): the time limit of the whole check comes on top of it."""
        return 0.0

    @abstractmethod
    def answers(self) -> list[str]:
        """The accepted answers in canonical string form."""

    @abstractmethod
    def _rules(self) -> dict[str, object]:
        """How this kind of question checks, as JSON-ready content for ``qversion``."""

    def _fail(self, problem: str) -> QuestionError:
        return _fail(self._qid, problem)

    def _never_shows(self, key: object) -> QuestionError:
        return self._fail(f"feedback for {key!r} would never show: it is a correct answer")

    def _verdict(self, correct: bool, response: str, normalized: str, key: object) -> Verdict:
        if key is None:
            return Verdict(correct, response, normalized, None, None)
        return Verdict(correct, response, normalized, self._tag(key), self._feedback[key])

    def _tag(self, key: object, plain: str | None = None) -> str:
        """What the log calls the misconception behind feedback ``key``: its declared tag,
        else ``plain`` (how the kind writes the key), else the key as text."""
        declared = self._tags.get(key)
        if declared is not None:
            return declared.tag
        return str(key) if plain is None else plain

    def _checked_example(self, example: object) -> tuple[str | bytes, ...]:
        parts = (example,) if isinstance(example, (str, bytes)) else example
        if not isinstance(parts, (list, tuple)):
            raise self._fail("the example must be Markdown text, image bytes or a list of them")
        for part in parts:
            if not isinstance(part, (str, bytes)):
                raise self._fail(
                    f"an example part must be Markdown text or image bytes "
                    f"(got {type(part).__name__})"
                )
        return tuple(parts)

    def _checked_feedback(self, feedback: object) -> dict[object, str]:
        if feedback is None:
            return {}
        if not isinstance(feedback, Mapping):
            raise self._fail("feedback must be a dict from a wrong answer to its message")
        given, self._tags = _misconception.checked(feedback, len(self._example), self._fail)
        messages: dict[object, str] = {}
        for key, text in given.items():
            if not isinstance(text, str) or not text.strip():
                raise self._fail(f"the feedback for {key!r} must be a non-empty message")
            messages[key] = text
        return messages

    def _checked_hints(self, hints: object) -> tuple[str, ...]:
        if isinstance(hints, (str, bytes)) or not isinstance(hints, Sequence):
            raise self._fail("hints must be a list of Markdown texts")
        for number, hint in enumerate(hints, start=1):
            if not isinstance(hint, str) or not hint.strip():
                raise self._fail(f"hint {number} must be non-empty Markdown text (got {hint!r})")
        return tuple(hints)


def check_fade(check: Check, fade: object) -> None:
    """Refuse a fade the example cannot give: at least one step stays worked out."""
    parts = check.example
    if isinstance(fade, bool) or not isinstance(fade, int) or fade < 0:
        raise QuestionError(
            f"Question {check.qid!r}: fade must be a whole number of steps (got {fade!r})"
        )
    if fade and fade >= len(parts):
        raise QuestionError(
            f"Question {check.qid!r}: fade={fade} would blank every step of a {len(parts)}-step "
            "example; write the example as a list of steps and keep at least the first"
        )
    if any(isinstance(part, bytes) for part in parts[len(parts) - fade :]):
        raise QuestionError(
            f"Question {check.qid!r}: a faded step must be text the student can write, not an image"
        )
