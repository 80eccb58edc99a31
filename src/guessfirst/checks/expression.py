"""Expression questions: an algebraic answer, accepted in any equivalent form.

Answers are read by ``_algebra`` (whitelisted tokens rebuilt in SymPy, never evaluated),
then compared here. SymPy takes seconds to import, so it is imported only when an
expression is read: a lesson without these questions never waits for it.
"""

from __future__ import annotations

import cmath
import hashlib
import keyword
import math
import random
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from ..i18n import text as _say
from . import _base
from ._algebra import FUNCTIONS, NAME, parse_expression
from ._base import InvalidResponse, Verdict
from ._kind import Kind, Option

if TYPE_CHECKING:
    import sympy

#: Operations simplifying may start from: a long simplification could stall the lesson.
_MAX_SIMPLIFY_OPS = 40

#: Points are worked out in machine precision, where a huge value fails at once.
_NUMERIC: dict[str, Callable[[complex], complex]] = {
    "sin": cmath.sin,
    "cos": cmath.cos,
    "tan": cmath.tan,
    "exp": cmath.exp,
    "log": cmath.log,
    "Abs": abs,
}

__all__ = ["ExpressionCheck", "parse_expression"]


def _canonical(expr: sympy.Expr) -> str:
    """One spelling per expanded form, so the report groups "2(x+1)" with "2x+2"."""
    import sympy

    return str(sympy.expand(expr))


def _proven(a: sympy.Expr, b: sympy.Expr) -> bool | None:
    """Whether SymPy can show ``a`` equals ``b``, or None when it cannot tell."""
    import sympy

    difference = sympy.expand(a - b)
    if difference != 0 and sympy.count_ops(difference) <= _MAX_SIMPLIFY_OPS:
        difference = sympy.simplify(difference)
    zero = difference.is_zero
    return None if zero is None else bool(zero)


def _agree(a: sympy.Expr, b: sympy.Expr, samples: Sequence[Mapping[str, float]]) -> bool:
    try:
        pairs = [(_value(a, point), _value(b, point)) for point in samples]
    except (ArithmeticError, LookupError, TypeError, ValueError):
        return False
    return all(
        cmath.isfinite(left) and cmath.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)
        for left, right in pairs
    )


def _value(expr: sympy.Expr, point: Mapping[str, float]) -> complex:
    if expr.is_Symbol:
        return point[expr.name]
    if expr.is_number:
        return complex(expr)
    values = [_value(arg, point) for arg in expr.args]
    if expr.is_Add:
        return sum(values)
    if expr.is_Mul:
        return math.prod(values)
    if expr.is_Pow:
        return values[0] ** values[1]
    return _NUMERIC[expr.func.__name__](*values)


def _samples(qid: str, variables: Sequence[str], count: int) -> tuple[dict[str, float], ...]:
    """Points of both signs, away from 0, the same for a question in every kernel: only
    ``Random.random`` is used, which Python keeps reproducible for a given seed."""
    rng = random.Random(int.from_bytes(hashlib.sha256(qid.encode()).digest(), "big"))  # noqa: S311
    return tuple(
        {name: (0.5 + 2.5 * rng.random()) * (1 if rng.random() < 0.5 else -1) for name in variables}
        for _ in range(count)
    )


class ExpressionCheck(_base.Check):
    """An expression, accepted in any form equal to one of the answers.

    Equal means SymPy shows the difference is zero: expanded, then simplified when still
    short (a long simplification could stall the lesson). When SymPy can show neither
    equal nor different and ``points`` > 0, the two are compared at that many points
    drawn from the question id, so a verdict is the same wherever it is checked, and
    agreeing at every point counts as equal. With ``points=0`` what cannot be shown equal
    is wrong. ``variables`` defaults to the names in the answers; as on a calculator,
    ``log`` is base 10 and ``ln`` natural.
    """

    KIND = Kind(
        name="expression",
        title="Expression",
        summary="A formula, such as ``2(x+1)``, right when it equals ``answer`` for every value.",
        options=(
            Option(
                "answer", "str | Sequence[str]", "the right expression, or several", form="answer"
            ),
            Option(
                "variables",
                "Sequence[str] | None",
                "the letters that are variables",
                None,
                form="list",
                item="name",
            ),
            Option(
                "points", "int", "values to compare at when algebra cannot tell", 0, form="whole"
            ),
        ),
        interaction="fill-in",
        placeholder="answer.placeholder.expression",
    )
    compute_bound: ClassVar[bool] = True
    __slots__ = ("_answers", "_keys", "_points", "_samples", "_variables")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        answer: str | Sequence[str],
        variables: Sequence[str] | None = None,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
        points: int = 0,
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        given = [answer] if isinstance(answer, str) else answer
        if not isinstance(given, (list, tuple)) or not given:
            raise self._fail("the answer must be an expression or a list of them")
        chosen = None if variables is None else self._checked_variables(variables)
        self._answers = tuple(self._read(text, "the answer", chosen) for text in given)
        found = {symbol.name for expr in self._answers for symbol in expr.free_symbols}
        self._variables: tuple[str, ...] = tuple(sorted(found)) if chosen is None else chosen
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= 100:
            raise self._fail(f"points must be a whole number from 0 to 100 (got {points!r})")
        self._points = points
        self._samples = _samples(qid, self._variables, points)
        self._keys = tuple(
            (key, self._read(key, "the feedback key", self._variables)) for key in self._feedback
        )
        for key, expr in self._keys:
            if self._accepts(expr):
                raise self._never_shows(key)

    def check(self, response: object) -> Verdict:
        if not isinstance(response, str):
            raise InvalidResponse(_say("input.type_in_box"))
        expr = parse_expression(response, self._variables)
        correct = self._accepts(expr)
        key = None
        if not correct:
            key = next((key for key, wrong in self._keys if self._same(expr, wrong)), None)
        return self._verdict(correct, response, _canonical(expr), key)

    def answers(self) -> list[str]:
        return [_canonical(expr) for expr in self._answers]

    def _rules(self) -> dict[str, object]:
        return {"variables": list(self._variables), "points": self._points}

    def _accepts(self, expr: sympy.Expr) -> bool:
        return any(self._same(expr, answer) for answer in self._answers)

    def _same(self, a: sympy.Expr, b: sympy.Expr) -> bool:
        proven = _proven(a, b)
        if proven is None and self._points:
            return _agree(a, b, self._samples)
        return bool(proven)

    def _read(self, text: object, what: str, variables: Collection[str] | None) -> sympy.Expr:
        """An authored expression; with ``variables`` None, any name in it is a variable."""
        if not isinstance(text, str):
            raise self._fail(f"{what} {text!r} must be an expression in a string")
        try:
            return parse_expression(text, variables)
        except InvalidResponse as err:
            raise self._fail(f"{what} {text!r} cannot be read: {err}") from None

    def _checked_variables(self, variables: object) -> tuple[str, ...]:
        if isinstance(variables, str) or not isinstance(variables, Sequence):
            raise self._fail("variables must be a list of names, like ['x', 'y']")
        for name in variables:
            if (
                not isinstance(name, str)
                or not re.fullmatch(NAME, name)
                or name in FUNCTIONS
                or keyword.iskeyword(name)
            ):
                raise self._fail(
                    f"{name!r} cannot be a variable: use a letter, or a word of letters "
                    "and digits that is not a function name or a Python keyword"
                )
        return tuple(sorted(set(variables)))
