"""Question checking: each question validates itself, checks a response, states its content.

Standard library only (and ``regex`` for a teacher's ``match`` pattern), and no widget,
rendering or I/O: the student widget and the teacher report must agree on what counts as
correct and as the same answer, wherever they run.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import random
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

from .i18n import text as _say

if TYPE_CHECKING:
    import regex

#: How long a teacher's ``match`` pattern may try one answer; past it, the check overran.
MATCH_SECONDS = 1.0


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


def unjudged(response: str, reason: str) -> Verdict:
    """The verdict of an attempt whose check could not finish: no verdict at all."""
    return Verdict(None, response, response, None, None, reason)


# -- reading numbers the way students write them ----------------------------------------


#: Typographic minus and the spaces people (and keyboards) put between digit groups.
_TYPOGRAPHY = str.maketrans(
    {"\u2212": "-", "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " "}
)

#: A longer number is a typing slip, and exact arithmetic on huge ones would stall the kernel.
_MAX_DIGITS = 30
#: No number a student writes is longer ("1 234 567.891 km/h" is 18): more is not read.
_MAX_NUMBER_CHARS = 100

_NUMBER = re.compile(
    r"""
    (?P<sign>[+-]?)
    (?:
        (?P<whole>\d+)[ ]+(?P<num>\d+)[ ]*/[ ]*(?P<den>\d+)             # mixed number: 1 1/2
      | (?P<fnum>\d+)[ ]*/[ ]*(?P<fden>\d+)                              # fraction: 3/4
      | (?P<int>[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,2}(?:[ ]\d{3})+|\d*)   # 1,000 or 1 000 or 80
        (?:(?P<point>[.,])(?P<frac>\d+))?                                # .5 or ,5
        (?:[eE](?P<exp>[+-]?\d+))?                                       # e-3
    )
    [ ]*(?P<unit>(?:[%‰°]|[^\W\d_])\D*)?                                 # %, km/h, cm²
    """,
    re.VERBOSE,
)


def parse_number(text: str) -> Fraction | float:
    """Read one number as a student would write it, or say kindly why it cannot be read.

    A percent sign or unit after the number is ignored: the prompt asks for the unit, so
    "80 km/h" and "80" are the same answer, and "75%" is 75 (not 0.75). A comma followed
    by exactly three digits groups thousands ("1,000"); any other comma is a decimal comma
    ("1,5"). Exact input stays a ``Fraction`` ("0.1" is one tenth); only exponent forms
    ("8e1") become ``float``.
    """
    shown = text.strip()
    if not shown:
        raise InvalidResponse(_say("input.empty"))
    if len(shown) > _MAX_NUMBER_CHARS:
        raise InvalidResponse(_unreadable(shown[:_MAX_NUMBER_CHARS]))
    match = _NUMBER.fullmatch(shown.translate(_TYPOGRAPHY))
    if match is None or not _well_formed(match):
        raise InvalidResponse(_unreadable(shown))
    if sum(len(run) for run in re.findall(r"\d+", shown)) > _MAX_DIGITS:
        raise InvalidResponse(_say("input.number.too_many_digits", typed=_quote(shown)))
    value = _value(match, shown)
    return -value if match["sign"] == "-" else value


#: A unit is a word or two ("km/h", "square metres"); more is a sentence, not a number.
_MAX_UNIT_WORDS, _MAX_UNIT_CHARS = 2, 16


def _well_formed(match: re.Match[str]) -> bool:
    """Digits are present, a unit is short, and a comma does not both group and point."""
    unit = match["unit"] or ""
    if len(unit) > _MAX_UNIT_CHARS or len(unit.split()) > _MAX_UNIT_WORDS:
        return False
    whole = match["int"]
    if whole is None:
        return True
    return bool(whole or match["frac"]) and not ("," in whole and match["point"] == ",")


def _value(match: re.Match[str], shown: str) -> Fraction | float:
    if match["den"] is not None:
        return int(match["whole"]) + _fraction(match["num"], match["den"], shown)
    if match["fden"] is not None:
        return _fraction(match["fnum"], match["fden"], shown)
    whole = match["int"].replace(",", "").replace(" ", "")
    decimals = match["frac"] or ""
    if match["exp"] is None:
        return Fraction(int(whole + decimals), 10 ** len(decimals))
    number = float(f"{whole or 0}.{decimals or 0}e{match['exp']}")
    if not math.isfinite(number):
        raise InvalidResponse(_say("input.number.too_big", typed=_quote(shown)))
    return number


def _fraction(top: str, bottom: str, shown: str) -> Fraction:
    if int(bottom) == 0:
        raise InvalidResponse(_say("input.number.divide_by_zero", typed=_quote(shown)))
    return Fraction(int(top), int(bottom))


def _unreadable(shown: str) -> str:
    if len(re.findall(r"\d+(?:[.,]\d+)?", shown)) > 1:
        return _say("input.number.several", typed=_quote(shown))
    return _say("input.number.unreadable", typed=_quote(shown))


def _quote(text: str, limit: int = 40) -> str:
    """Long input is cut in messages so the student still sees the advice after it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _exact(value: numbers.Real) -> Fraction:
    """A float is taken as the shortest decimal that prints as it: what the teacher typed."""
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    return Fraction(repr(float(value)))


def _canonical(value: Fraction | float) -> str:
    """One spelling per number, so "3/4", "0.75" and "7.5e-1" group as one wrong answer."""
    exact = Fraction(format(value, ".12g")) if isinstance(value, float) else value
    bottom, twos, fives = exact.denominator, 0, 0
    while bottom % 2 == 0:
        bottom, twos = bottom // 2, twos + 1
    while bottom % 5 == 0:
        bottom, fives = bottom // 5, fives + 1
    if bottom != 1:
        return str(exact)
    places = max(twos, fives)
    whole, decimals = divmod(abs(exact.numerator) * 10**places // exact.denominator, 10**places)
    sign = "-" if exact < 0 else ""
    return f"{sign}{whole}.{decimals:0{places}d}" if places else f"{sign}{whole}"


def _is_finite_real(value: object) -> bool:
    """True for any finite real number but a bool: numpy values from a teacher's sums pass."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return isinstance(value, numbers.Rational) or math.isfinite(value)


def _fail(qid: object, problem: str) -> QuestionError:
    """One sentence about the question; a problem quoting a full sentence keeps its own stop."""
    problem = problem.rstrip()
    stop = "" if problem.endswith((".", "!", "?", "。")) else "."
    return QuestionError(f"Question {qid!r}: {problem}{stop}")


# -- questions ------------------------------------------------------------------------


class Question(ABC):
    """What every question knows: id, prompt, worked example, targeted feedback and hints.

    Read-only once built: its ``qversion`` labels logged attempts, so it must not drift.
    """

    kind: ClassVar[str]
    #: Whether a check may compute for long inside C code, where no thread can stop it:
    #: the widget then checks in a worker process it can end.
    compute_bound: ClassVar[bool] = False
    __slots__ = ("_example", "_feedback", "_hints", "_prompt", "_qid", "_qversion")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        example: str | bytes | Sequence[str | bytes],
        feedback: Mapping[object, str] | None,
        hints: Sequence[str] = (),
    ) -> None:
        if not isinstance(qid, str) or not qid.strip():
            raise _fail(qid, "the id must be a non-empty string")
        self._qid = qid
        if not isinstance(prompt, str) or not prompt.strip():
            raise self._fail("the prompt is empty")
        self._prompt = prompt
        self._example = self._checked_example(example)
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
    def feedback(self) -> dict:
        """A copy: editing it must not change a question whose attempts are already logged."""
        return dict(self._feedback)

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
        content = {
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
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    @abstractmethod
    def check(self, response: object) -> Verdict:
        """Judge one attempt; raises InvalidResponse when the input is not an attempt."""

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
        return Verdict(correct, response, normalized, str(key), self._feedback[key])

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

    def _checked_feedback(self, feedback: object) -> dict:
        if feedback is None:
            return {}
        if not isinstance(feedback, Mapping):
            raise self._fail("feedback must be a dict from a wrong answer to its message")
        for key, text in feedback.items():
            if not isinstance(text, str) or not text.strip():
                raise self._fail(f"the feedback for {key!r} must be a non-empty message")
        return dict(feedback)

    def _checked_hints(self, hints: object) -> tuple[str, ...]:
        if isinstance(hints, (str, bytes)) or not isinstance(hints, Sequence):
            raise self._fail("hints must be a list of Markdown texts")
        for number, hint in enumerate(hints, start=1):
            if not isinstance(hint, str) or not hint.strip():
                raise self._fail(f"hint {number} must be non-empty Markdown text (got {hint!r})")
        return tuple(hints)


class NumericQuestion(Question):
    """A number, accepted within ``tol`` or ``rtol`` times the answer, whichever is wider."""

    kind: ClassVar[str] = "numeric"
    __slots__ = ("_answer", "_keys", "_rtol", "_tol")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        answer: int | float | str | Fraction,
        tol: float = 0.0,
        rtol: float = 1e-9,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[object, str] | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._answer = self._number(answer, "the answer")
        self._tol = self._tolerance(tol, "tolerance")
        self._rtol = self._tolerance(rtol, "relative tolerance")
        self._keys = tuple(
            (key, self._number(key, f"feedback key {key!r}")) for key in self._feedback
        )
        for key, value in self._keys:
            if self._within(value, self._answer):
                raise self._never_shows(key)

    def check(self, response: object) -> Verdict:
        text = str(response) if _is_finite_real(response) else response
        if not isinstance(text, str):
            raise InvalidResponse(_unreadable(str(response)))
        parsed = parse_number(text)
        value = _exact(parsed)
        correct = self._within(value, self._answer)
        return self._verdict(
            correct, text, _canonical(parsed), None if correct else self._near(value)
        )

    def answers(self) -> list[str]:
        return [_canonical(self._answer)]

    def _rules(self) -> dict[str, object]:
        return {"tol": _canonical(self._tol), "rtol": _canonical(self._rtol)}

    def _within(self, value: Fraction, target: Fraction) -> bool:
        return abs(value - target) <= max(self._tol, self._rtol * abs(target))

    def _near(self, value: Fraction) -> object:
        """The feedback key nearest the response, among those within tolerance of it."""
        close = [
            (abs(value - number), key) for key, number in self._keys if self._within(value, number)
        ]
        return min(close, key=lambda pair: pair[0])[1] if close else None

    def _number(self, value: object, what: str) -> Fraction:
        if isinstance(value, str):
            try:
                return _exact(parse_number(value))
            except InvalidResponse:
                raise self._fail(f"{what} {value!r} is not a number") from None
        if not _is_finite_real(value):
            raise self._fail(f"{what} must be a finite number (got {value!r})")
        return _exact(value)

    def _tolerance(self, value: object, what: str) -> Fraction:
        if not _is_finite_real(value):
            raise self._fail(f"{what} must be a finite number (got {value!r})")
        if value < 0:
            raise self._fail(f"{what} must not be negative (got {value!r})")
        return _exact(value)


class ChoiceQuestion(Question):
    """Pick one of the choices, or tick several when the answer is given as a list."""

    kind: ClassVar[str] = "choice"
    __slots__ = ("_answer", "_choices", "_multiple", "_shuffle")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        choices: Sequence[str],
        answer: str | Sequence[str],
        shuffle: bool = False,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._choices = self._checked_choices(choices)
        self._multiple = isinstance(answer, (list, tuple, set, frozenset))
        self._answer = self._checked_answer(answer)
        self._shuffle = bool(shuffle)
        for key in self._feedback:
            if key not in self._choices:
                raise self._fail(f"feedback key {key!r} is not one of the choices")
            if not self._multiple and key in self._answer:
                raise self._never_shows(key)

    @property
    def choices(self) -> tuple[str, ...]:
        return self._choices

    @property
    def multiple(self) -> bool:
        return self._multiple

    def order(self, student: str) -> list[str]:
        """The display order: per student when shuffled, and the same every time they look.

        Only ``Random.random`` is used, the one method Python promises to keep reproducible
        for a given seed, so a student sees the same order in every kernel and version.
        """
        shown = list(self._choices)
        if self._shuffle:
            digest = hashlib.sha256(f"{student}\0{self._qid}".encode()).digest()
            rng = random.Random(int.from_bytes(digest, "big"))  # noqa: S311 -- an order, not a secret
            for last in range(len(shown) - 1, 0, -1):
                pick = int(rng.random() * (last + 1))
                shown[last], shown[pick] = shown[pick], shown[last]
        return shown

    def check(self, response: object) -> Verdict:
        if self._multiple:
            return self._check_ticked(response)
        if not isinstance(response, str) or response not in self._choices:
            raise InvalidResponse(_say("input.choose_one"))
        correct = response in self._answer
        key = response if not correct and response in self._feedback else None
        return self._verdict(correct, response, response, key)

    def answers(self) -> list[str]:
        return [choice for choice in self._choices if choice in self._answer]

    def _rules(self) -> dict[str, object]:
        return {
            "choices": list(self._choices),
            "multiple": self._multiple,
            "shuffle": self._shuffle,
        }

    def _check_ticked(self, response: object) -> Verdict:
        if (
            not isinstance(response, (list, tuple))
            or not response
            or not all(isinstance(item, str) and item in self._choices for item in response)
            or len(set(response)) != len(response)
        ):
            raise InvalidResponse(_say("input.tick_one"))
        ticked = frozenset(response)
        text = json.dumps([c for c in self._choices if c in ticked], ensure_ascii=False)
        correct = ticked == self._answer
        return self._verdict(correct, text, text, None if correct else self._slip(ticked))

    def _slip(self, ticked: frozenset[str]) -> str | None:
        """The first wrongly ticked choice with feedback, else the first wrongly unticked one."""
        wrong = [c for c in self._choices if c in ticked - self._answer]
        missed = [c for c in self._choices if c in self._answer - ticked]
        return next((c for c in wrong + missed if c in self._feedback), None)

    def _checked_choices(self, choices: object) -> tuple[str, ...]:
        if isinstance(choices, str) or not isinstance(choices, Sequence):
            raise self._fail("choices must be a list of strings")
        seen: set[str] = set()
        for number, choice in enumerate(choices, start=1):
            if not isinstance(choice, str):
                raise self._fail(f"choice {number} must be a string (got {choice!r})")
            if not choice.strip():
                raise self._fail(f"choice {number} is empty")
            if choice in seen:
                raise self._fail(f"the choice {choice!r} appears twice")
            seen.add(choice)
        if len(choices) < 2:
            raise self._fail(f"needs at least 2 choices (got {len(choices)})")
        return tuple(choices)

    def _checked_answer(self, answer: object) -> frozenset[str]:
        given = list(answer) if self._multiple else [answer]
        if not given or answer is None:
            raise self._fail("has no answer: say which choice is correct")
        listed = ", ".join(repr(choice) for choice in self._choices)
        for item in given:
            if not isinstance(item, str) or item not in self._choices:
                raise self._fail(f"the answer {item!r} is not one of the choices ({listed})")
        return frozenset(given)


class TextQuestion(Question):
    """A short written answer: one of the accepted answers, or a ``match`` pattern.

    By default capitals, spacing, compatibility characters and one final "." or "!" (or
    "。") do not count, so "  canberra. " is "Canberra"; ``exact=True`` ignores only
    surrounding space.
    """

    kind: ClassVar[str] = "text"
    __slots__ = ("_accepted", "_answers", "_exact", "_pattern")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        answer: str | Sequence[str] | None = None,
        match: str | None = None,
        exact: bool = False,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._exact = bool(exact)
        self._answers = self._checked_answers(answer)
        self._pattern = self._compiled(match)
        if not self._answers and self._pattern is None:
            raise self._fail("needs an answer or a match pattern")
        self._accepted = frozenset(self._normalize(text) for text in self._answers)
        for key in self._feedback:
            if not isinstance(key, str) or not self._normalize(key):
                raise self._fail(f"feedback key {key!r} must be a non-empty string")
            if self._accepts(self._normalize(key)):
                raise self._never_shows(key)

    def check(self, response: object) -> Verdict:
        if not isinstance(response, str):
            raise InvalidResponse(_say("input.type_in_box"))
        if not response.strip():
            raise InvalidResponse(_say("input.empty"))
        normalized = self._normalize(response)
        correct = self._accepts(normalized)
        key = None
        if not correct:
            key = next((k for k in self._feedback if self._normalize(k) == normalized), None)
        return self._verdict(correct, response, normalized, key)

    def answers(self) -> list[str]:
        """The accepted answers as the teacher wrote them, without surrounding space."""
        return list(self._answers)

    def _rules(self) -> dict[str, object]:
        pattern = None if self._pattern is None else self._pattern.pattern
        return {"match": pattern, "exact": self._exact}

    def _normalize(self, text: str) -> str:
        if self._exact:
            return text.strip()
        folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
        return folded[:-1].rstrip() if folded.endswith((".", "!", "。")) else folded

    def _accepts(self, normalized: str) -> bool:
        if normalized in self._accepted:
            return True
        if self._pattern is None:
            return False
        # The stdlib's re holds the interpreter while it backtracks, so nothing could stop
        # a pattern like (a+)+b on a long answer; regex stops itself, and lets go meanwhile.
        return (
            self._pattern.fullmatch(normalized, timeout=MATCH_SECONDS, concurrent=True) is not None
        )

    def _checked_answers(self, answer: object) -> tuple[str, ...]:
        if answer is None:
            return ()
        given = [answer] if isinstance(answer, str) else answer
        if not isinstance(given, (list, tuple)):
            raise self._fail(f"the answer must be a string or a list of strings (got {answer!r})")
        for text in given:
            if not isinstance(text, str) or not self._normalize(text):
                raise self._fail(f"an accepted answer is empty or not a string (got {text!r})")
        return tuple(text.strip() for text in given)

    def _compiled(self, match: object) -> regex.Pattern[str] | None:
        if match is None:
            return None
        if not isinstance(match, str) or not match:
            raise self._fail(f"match must be a regular expression string (got {match!r})")
        import regex

        try:
            return regex.compile(match, 0 if self._exact else regex.IGNORECASE)
        except regex.error as err:
            raise self._fail(f"the match pattern {match!r} does not compile: {err}") from None


class MultiQuestion(Question):
    """A question in parts (a, b, c), each checked by its own question of any kind.

    Each part is gated on its own; the one worked example covers them all. A part's
    attempts are its own: the widget logs them under ``<id>/<part id>``.
    """

    kind: ClassVar[str] = "multi"
    __slots__ = ("_parts",)

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        parts: Sequence[Question],
        example: str | bytes | Sequence[str | bytes] = (),
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=None, hints=hints)
        if isinstance(parts, (str, bytes)) or not isinstance(parts, Sequence) or not parts:
            raise self._fail("parts must be a list of questions, one for each part")
        for part in parts:
            if not isinstance(part, Question) or isinstance(part, MultiQuestion):
                raise self._fail(f"a part must be a single question (got {type(part).__name__})")
        ids = [part.qid for part in parts]
        repeated = sorted({qid for qid in ids if ids.count(qid) > 1})
        if repeated:
            raise self._fail(f"each part needs its own id; repeated: {', '.join(repeated)}")
        self._parts = tuple(parts)

    @property
    def parts(self) -> tuple[Question, ...]:
        return self._parts

    def check(self, response: object) -> Verdict:
        """Check one part: ``response`` is ``(part id, that part's response)``."""
        if not (isinstance(response, tuple) and len(response) == 2):
            raise InvalidResponse(_say("input.type_in_box"))
        qid, answer = response
        part = next((part for part in self._parts if part.qid == qid), None)
        if part is None:
            raise InvalidResponse(_say("input.type_in_box"))
        return part.check(answer)

    def answers(self) -> list[str]:
        return [f"{part.qid}: {answer}" for part in self._parts for answer in part.answers()]

    def run_seconds(self) -> float:
        return max(part.run_seconds() for part in self._parts)

    def _rules(self) -> dict[str, object]:
        return {"parts": [[part.kind, part.qversion] for part in self._parts]}


def check_fade(check: Question, fade: object) -> None:
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
