"""Questions for programming lessons: predict what code prints, or write a function.

Pure checking, like :mod:`guessfirst.checking`: the widget wraps these. Code runs in the
kernel under :mod:`guessfirst.running`'s time limit.
"""

from __future__ import annotations

import copy
import inspect
import math
import numbers
import re
import reprlib
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from . import running
from .checking import InvalidResponse, Question, Verdict
from .i18n import text as _say


class _TimedQuestion(Question):
    """A question that runs code, each run stopped after ``timeout`` seconds."""

    __slots__ = ("_timeout",)

    def _checked_timeout(self, timeout: object) -> float:
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, numbers.Real)
            or not math.isfinite(timeout)
            or timeout <= 0
        ):
            raise self._fail(f"timeout must be a positive number of seconds (got {timeout!r})")
        return float(timeout)

    def run_seconds(self) -> float:
        """Each run's limit and the time stopping an overrun may take, for every run."""
        return self._runs() * (self._timeout + running.STOP_SECONDS)

    def _runs(self) -> int:
        return 1


# -- predict the output ---------------------------------------------------------------

_SPACES = re.compile(r"[^\S\r\n]+")


def _normalize_output(text: str) -> str:
    """Output as a student would type it: only line breaks and where the words are count.

    Each run of spaces or tabs counts as one space (indentation counts only as present or
    absent), trailing spaces and blank lines at the end do not count.
    """
    lines = [_SPACES.sub(" ", line).rstrip() for line in text.splitlines()]
    return "\n".join(lines).rstrip("\n")


class PredictQuestion(_TimedQuestion):
    """What does this code print? The student predicts before running it (PRIMM).

    The teacher's code runs at most once per question, the first time its output is
    needed, never when the lesson is built. A snippet that raises, overruns ``timeout`` or
    prints nothing is an authoring error (``QuestionError``), reported then: an error
    message is not what a prediction exercise asks for, and if it were, the teacher can
    print it from a ``try``. The code should print the same every run: each kernel runs
    it afresh.
    """

    kind: ClassVar[str] = "predict"
    __slots__ = ("_code", "_hashing", "_keys", "_run")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        code: str,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
        timeout: float = 2.0,
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._timeout = self._checked_timeout(timeout)
        self._code = self._compiled(code)
        self._keys: dict[str, str] = {}
        for key in self._feedback:
            normalized = _normalize_output(key) if isinstance(key, str) else ""
            if not normalized:
                raise self._fail(f"feedback key {key!r} must be a predicted output (text)")
            self._keys.setdefault(normalized, key)
        self._run: running.Run | None = None
        self._hashing = False

    @property
    def code(self) -> str:
        return self._code

    @property
    def output(self) -> str:
        """What the code really prints; runs it the first time it is asked for."""
        if self._run is None:
            self._run = running.run_code(self._code, timeout=self._timeout, filename=self._filename)
        return self._checked_output(self._run)

    def check(self, response: object) -> Verdict:
        if not isinstance(response, str):
            raise InvalidResponse(_say("input.predict.type_in_box"))
        normalized = _normalize_output(response)
        if not normalized:
            raise InvalidResponse(_say("input.predict.empty"))
        correct = normalized == _normalize_output(self.output)
        key = None if correct else self._keys.get(normalized)
        return self._verdict(correct, response, normalized, key)

    def answers(self) -> list[str]:
        """The real output, or the code while ``qversion`` is worked out (see ``_version``)."""
        return [self._code] if self._hashing else [self.output]

    def _version(self) -> str:
        """Hash the code in place of its output, so labelling an event never runs it.

        The code decides the output, so an edited snippet is a new version all the same.
        The base class's hash is reused so that every kind follows one format.
        """
        self._hashing = True
        try:
            return super()._version()
        finally:
            self._hashing = False

    def _rules(self) -> dict[str, object]:
        return {}

    @property
    def _filename(self) -> str:
        return f"<{self._qid}>"

    def _compiled(self, code: object) -> str:
        if not isinstance(code, str) or not code.strip():
            raise self._fail("code must be the Python source to run, as a string")
        try:
            compile(code, self._filename, "exec")
        except SyntaxError as err:
            raise self._fail(f"the code does not compile: {err.msg} (line {err.lineno})") from None
        return code

    def _checked_output(self, run: running.Run) -> str:
        if run.timed_out:
            raise self._fail(f"the code {run.error}; it must finish quickly to be predicted")
        if run.error is not None:
            where = "" if run.line is None else f" at line {run.line}"
            raise self._fail(f"the code stops with {run.error}{where}; it must run to the end")
        real = _normalize_output(run.output)
        if not real:
            raise self._fail("the code prints nothing, so there is nothing to predict")
        if real in self._keys:
            raise self._never_shows(self._keys[real])
        return run.output


# -- write a function -----------------------------------------------------------------

#: Values as shown to the student: long strings and containers cut, sets sorted.
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60


def _unlimited() -> reprlib.Repr:
    full = reprlib.Repr()
    for limit in vars(full):
        if limit.startswith("max"):
            setattr(full, limit, sys.maxsize)
    return full


#: Values as hashed into ``qversion``: nothing cut, sets sorted so the text is the same in
#: every kernel (a set's own repr follows string hashing, which differs per process).
_FULL = _unlimited()

#: Printed output is shown up to this many characters.
_MAX_OUTPUT = 200


@dataclass(frozen=True)
class CaseResult:
    """One test case as the student sees it after an attempt."""

    call: str
    """The call as written in code, ``add(1, 2)``, with the arguments before the call."""
    expected: str
    got: str
    """The value returned, or the error (``TypeError: ...``, ``took longer than 2 s``)."""
    output: str
    """What the function printed: shows a student who prints where they should return."""
    passed: bool


@dataclass(frozen=True)
class CodeVerdict(Verdict):
    """A verdict with every test case's result, to show which failed and why."""

    cases: tuple[CaseResult, ...] = ()


def _same(got: object, expected: object) -> bool:
    """``==``, but floats within a relative 1e-9, also inside lists, tuples and dict values.

    ``0.1 + 0.2`` is 0.3 to a student. Within 1e-12 of each other also counts, because a
    sum that should be 0.0 lands near zero, where no relative tolerance reaches.
    """
    if (isinstance(got, float) or isinstance(expected, float)) and (
        _is_number(got) and _is_number(expected)
    ):
        return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)
    for kind in (list, tuple):
        if isinstance(got, kind) and isinstance(expected, kind):
            return len(got) == len(expected) and all(map(_same, got, expected))
    if isinstance(got, dict) and isinstance(expected, dict):
        return got.keys() == expected.keys() and all(_same(got[k], expected[k]) for k in got)
    return bool(got == expected)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _judge(fn: Callable[..., object], args: tuple, expected: object) -> tuple[bool, str]:
    """Call, compare and describe the result: all student code, so all under the limit."""
    got = fn(*args)
    return _same(got, expected), _SHORT.repr(got)


def _source(fn: Callable[..., object]) -> str:
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):  # typed at a prompt, built in, or not a function
        name = getattr(fn, "__qualname__", type(fn).__name__)
        return f"<{name}: source not available>"


class CodeQuestion(_TimedQuestion):
    """Write a function; the teacher's test cases call it, each within ``timeout``.

    ``tests`` are pairs ``(args, expected)``: ``((1, 2), 3)`` means ``add(1, 2) == 3``.
    Each case gets its own deep copy of the arguments, so a function that changes its
    argument cannot change the next case. ``feedback`` maps a case's index in ``tests``
    to a message; the first failing case with one shows it.
    """

    kind: ClassVar[str] = "code"
    __slots__ = ("_name", "_tests")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        tests: Sequence[tuple[tuple, object]],
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[int, str] | None = None,
        hints: Sequence[str] = (),
        timeout: float = 2.0,
        name: str | None = None,
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._timeout = self._checked_timeout(timeout)
        if name is not None and (not isinstance(name, str) or not name.isidentifier()):
            raise self._fail(f"name must be a function name (got {name!r})")
        self._name = name
        self._tests = self._checked_tests(tests)
        for key in self._feedback:
            if isinstance(key, bool) or not isinstance(key, int):
                raise self._fail(f"feedback key {key!r} must be a test's index, like 0")
            if not 0 <= key < len(self._tests):
                raise self._fail(
                    f"feedback key {key} is not a test's index (0 to {len(self._tests) - 1})"
                )

    def check(self, response: object) -> CodeVerdict:
        """Run every case, even after one fails: the student sees the whole picture.

        ``normalized`` lists the failing calls, so the report groups wrong functions by
        what they get wrong rather than by how they are spelled. The calls carry the
        question's ``name`` (``f`` without one), not the student's, so that every
        student's failures group alike.
        """
        if not callable(response):
            raise InvalidResponse(_say("input.code.pass_function"))
        name = self._name or getattr(response, "__name__", type(response).__name__)
        cases = tuple(self._case(response, name, args, expected) for args, expected in self._tests)
        failed = [index for index, case in enumerate(cases) if not case.passed]
        key = next((index for index in failed if index in self._feedback), None)
        calls = [_call(self._name or "f", self._tests[index][0], _SHORT) for index in failed]
        normalized = ("fails " + "; ".join(calls)) if failed else "passes"
        return CodeVerdict(
            correct=not failed,
            response=_source(response),
            normalized=normalized,
            misconception=None if key is None else str(key),
            message=None if key is None else self._feedback[key],
            cases=cases,
        )

    def answers(self) -> list[str]:
        """Each case as ``name(args) == expected``, in full; ``f`` when no name was given."""
        return [
            f"{_call(self._name or 'f', args, _FULL)} == {_FULL.repr(expected)}"
            for args, expected in self._tests
        ]

    def _rules(self) -> dict[str, object]:
        return {"name": self._name, "timeout": self._timeout}

    def _runs(self) -> int:
        return len(self._tests)

    def _case(
        self, fn: Callable[..., object], name: str, args: tuple, expected: object
    ) -> CaseResult:
        shown = _call(name, args, _SHORT)
        ran = running.call(_judge, (fn, copy.deepcopy(args), expected), timeout=self._timeout)
        expected_text = _SHORT.repr(expected)
        output = ran.output
        if len(output) > _MAX_OUTPUT:
            output = output[: _MAX_OUTPUT - 1] + "…"
        if ran.error is not None:
            return CaseResult(shown, expected_text, ran.error, output, False)
        passed, got = ran.value
        return CaseResult(shown, expected_text, got, output, passed)

    def _checked_tests(self, tests: object) -> tuple[tuple[tuple, object], ...]:
        if isinstance(tests, (str, bytes)) or not isinstance(tests, Sequence) or not tests:
            raise self._fail("tests must be a non-empty list of (args, expected) pairs")
        checked = []
        for index, test in enumerate(tests):
            if not isinstance(test, (tuple, list)) or len(test) != 2:
                raise self._fail(
                    f"test {index} must be a pair (args, expected), like ((1, 2), 3) "
                    f"for add(1, 2) == 3 (got {test!r})"
                )
            args, expected = test
            if not isinstance(args, (tuple, list)):
                raise self._fail(
                    f"test {index}'s arguments must be a tuple, like ((5,), 25) "
                    f"for square(5) == 25 (got {args!r})"
                )
            try:
                checked.append((tuple(copy.deepcopy(args)), copy.deepcopy(expected)))
            except Exception as err:
                raise self._fail(f"test {index} cannot be copied for each run: {err}") from None
        return tuple(checked)


def _call(name: str, args: tuple, shown: reprlib.Repr) -> str:
    return f"{name}({', '.join(shown.repr(arg) for arg in args)})"
