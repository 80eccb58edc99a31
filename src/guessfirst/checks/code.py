"""Code questions: write a function; the teacher's test cases run on it."""

from __future__ import annotations

import copy
import inspect
import math
import numbers
import reprlib
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..i18n import text as _say
from . import _running
from ._base import InvalidResponse, Verdict
from ._kind import Kind, Option
from ._misconception import Misconception
from ._timed import _TimedCheck

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


#: A test's arguments, and a test: its arguments and the value expected back.
_Args = tuple[object, ...]
_Test = tuple[_Args, object]


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
    if isinstance(got, float) or isinstance(expected, float):
        first, second = _real(got), _real(expected)
        if first is not None and second is not None:
            return math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-12)
    for kind in (list, tuple):
        if isinstance(got, kind) and isinstance(expected, kind):
            return len(got) == len(expected) and all(map(_same, got, expected))
    if isinstance(got, dict) and isinstance(expected, dict):
        return got.keys() == expected.keys() and all(_same(got[k], expected[k]) for k in got)
    return bool(got == expected)


def _real(value: object) -> float | None:
    """A real number but a bool, as a float (numpy's numbers too); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def _judge(fn: Callable[..., object], args: _Args, expected: object) -> tuple[bool, str]:
    """Call, compare and describe the result: all student code, so all under the limit."""
    got = fn(*args)
    return _same(got, expected), _SHORT.repr(got)


def _source(fn: Callable[..., object]) -> str:
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):  # typed at a prompt, built in, or not a function
        name = getattr(fn, "__qualname__", type(fn).__name__)
        return f"<{name}: source not available>"


class CodeCheck(_TimedCheck):
    """Write a function; the teacher's test cases call it, each within ``timeout``.

    ``tests`` are pairs ``(args, expected)``: ``((1, 2), 3)`` means ``add(1, 2) == 3``.
    Each case gets its own deep copy of the arguments, so a function that changes its
    argument cannot change the next case. ``feedback`` maps a case's index in ``tests``
    to a message; the first failing case with one shows it.
    """

    KIND = Kind(
        name="code",
        title="Code",
        summary="Write a function in a cell; ``q.check(fn)`` runs the teacher's ``tests`` on it.",
        options=(
            Option(
                "tests",
                "Sequence[tuple[tuple, object]]",
                "(arguments, expected) pairs",
                form="list",
                item="test",
            ),
            Option("timeout", "float", "seconds each test may run", 2.0, form="number"),
            Option("name", "str | None", "the function's name, in messages", None, in_banks=False),
        ),
        interaction="other",
        control="cell",
        feedback_keys="int",
    )
    __slots__ = ("_name", "_tests")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        tests: Sequence[tuple[Sequence[object], object]],
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[int, str | Misconception] | None = None,
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
        name = self._name or str(getattr(response, "__name__", type(response).__name__))
        cases = tuple(self._case(response, name, args, expected) for args, expected in self._tests)
        failed = [index for index, case in enumerate(cases) if not case.passed]
        key = next((index for index in failed if index in self._feedback), None)
        calls = [_call(self._name or "f", self._tests[index][0], _SHORT) for index in failed]
        normalized = ("fails " + "; ".join(calls)) if failed else "passes"
        return CodeVerdict(
            correct=not failed,
            response=_source(response),
            normalized=normalized,
            misconception=None if key is None else self._tag(key),
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
        self, fn: Callable[..., object], name: str, args: _Args, expected: object
    ) -> CaseResult:
        shown = _call(name, args, _SHORT)
        ran = _running.call(_judge, (fn, copy.deepcopy(args), expected), timeout=self._timeout)
        expected_text = _SHORT.repr(expected)
        output = ran.output
        if len(output) > _MAX_OUTPUT:
            output = output[: _MAX_OUTPUT - 1] + "…"
        if ran.error is not None:
            return CaseResult(shown, expected_text, ran.error, output, False)
        assert ran.value is not None  # _judge returns a pair whenever it does not raise
        passed, got = ran.value
        return CaseResult(shown, expected_text, got, output, passed)

    def _checked_tests(self, tests: object) -> tuple[_Test, ...]:
        if isinstance(tests, (str, bytes)) or not isinstance(tests, Sequence) or not tests:
            raise self._fail("tests must be a non-empty list of (args, expected) pairs")
        checked: list[_Test] = []
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


def _call(name: str, args: _Args, shown: reprlib.Repr) -> str:
    return f"{name}({', '.join(shown.repr(arg) for arg in args)})"
