"""Expression questions: an algebraic answer, accepted in any equivalent form.

Student text is never evaluated: it is split into numbers, names, operators and brackets
(nothing else gets through), parsed by ``ast`` and rebuilt in SymPy from a whitelist of
nodes. Limits on length, digits, powers and expanded size keep one answer from stalling
the kernel. SymPy takes seconds to import, so it is imported only when an expression is
read: a lesson without these questions never waits for it.
"""

from __future__ import annotations

import ast
import cmath
import hashlib
import keyword
import math
import operator
import random
import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from ..i18n import text as _say
from . import _base
from ._base import InvalidResponse, Verdict
from ._kind import Kind, Option
from ._numbers import _quote

if TYPE_CHECKING:
    import sympy

#: Past these, input is a slip or an attempt to stall the kernel, not a school answer.
_MAX_LENGTH, _MAX_NODES = 200, 250
#: A float keeps 15 digits, so a number read through ``ast`` is the number typed.
_MAX_DIGITS = 15
#: Bounds every number in an exponent, and the bits of a number a power works out.
_MAX_EXPONENT, _MAX_BITS = 100, 4000
#: Terms expanding may write out; operations simplifying may start from.
_MAX_TERMS, _MAX_SIMPLIFY_OPS = 500, 40

#: What a student may call; ``log`` is the calculator's base-10 log, ``ln`` the natural one.
_FUNCTIONS = frozenset({"sqrt", "sin", "cos", "tan", "exp", "ln", "log", "abs"})
_SYMPY_NAMES = {"ln": "log", "abs": "Abs"}
_CONSTANTS = {"pi": "pi", "e": "E"}
#: Points are worked out in machine precision, where a huge value fails at once.
_NUMERIC = dict(sin=cmath.sin, cos=cmath.cos, tan=cmath.tan, exp=cmath.exp, log=cmath.log, Abs=abs)

_NAME = r"[A-Za-z][A-Za-z0-9_]*"
_DIGITS = "0123456789."
_TOKEN = re.compile(rf"\s*(?:(?P<number>\d+(?:\.\d+)?|\.\d+)|(?P<name>{_NAME})|\*\*|[-+*/()])")
_TYPOGRAPHY = str.maketrans(
    {"\u2212": "-", "×": "*", "·": "*", "\u22c5": "*", "÷": "/", "^": "**", "π": " pi "}
)
_ROOT = re.compile(rf"√\s*(\d+(?:\.\d+)?|{_NAME})?")
_SUPERSCRIPT = re.compile("⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def parse_expression(text: str, variables: Collection[str] | None = None) -> sympy.Expr:
    """Read what a student types ("2(x+1)", "x²−1", "√x/2") as a SymPy expression.

    Only ``variables`` may appear, besides ``pi``/``π``, ``e`` and the whitelisted
    functions; with ``None`` any other name is a variable (how answers are first read).
    A word that names nothing is read as the names in it, else letters: "2pir" is 2·π·r.
    """
    shown = text.strip()
    if not shown:
        raise InvalidResponse(_say("input.empty"))
    if len(shown) > _MAX_LENGTH:
        raise InvalidResponse(_say("input.expression.too_long"))
    try:
        tree = ast.parse(" ".join(_tokens(_typed(shown), variables)), mode="eval")
        if sum(1 for _ in ast.walk(tree)) > _MAX_NODES:
            raise InvalidResponse(_say("input.expression.too_long"))
        expr = _build(tree.body, variables)
    except SyntaxError:
        raise InvalidResponse(_say("input.expression.unreadable", typed=_quote(shown))) from None
    _check_size(expr)
    return expr


def _typed(shown: str) -> str:
    """Keyboard and phone spellings of operators, roots and powers, in plain ASCII."""
    text = _ROOT.sub(
        lambda root: f"sqrt({root[1]})" if root[1] else "sqrt", shown.translate(_TYPOGRAPHY)
    )
    text = _SUPERSCRIPT.sub(lambda power: f"**({power[0].translate(_SUPERSCRIPT_DIGITS)})", text)
    return text.strip()


def _tokens(text: str, variables: Collection[str] | None) -> list[str]:
    """Whitelisted tokens, with the multiplications students leave out written in."""
    known = sorted({*_FUNCTIONS, *_CONSTANTS, *(variables or ())}, key=len, reverse=True)
    words = re.compile("|".join([*known, "."]))
    tokens: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise SyntaxError(text[position:])
        position = match.end()
        token = match[0].strip()
        if match["number"] and sum(char.isdigit() for char in token) > _MAX_DIGITS:
            typed = _quote(token)
            raise InvalidResponse(_say("input.expression.too_many_digits", typed=typed))
        if match["name"] and token.isalpha() and token not in known:
            spelled = words.findall(token)
        else:
            spelled = [(token.lstrip("0") or "0") if token.isdigit() else token]
        for part in spelled:
            if tokens and _implicit(tokens[-1], part):
                tokens.append("*")
            tokens.append(part)
    return tokens


def _implicit(before: str, after: str) -> bool:
    """Whether a multiplication is left out between two tokens, as in 2x, 3(x+1) or (x)(y)."""
    if before in _FUNCTIONS or before[0] in "+-*/(" or after[0] in "+-*/)":
        return False
    return not (before[0] in _DIGITS and after[0] in _DIGITS)


def _build(node: ast.AST, variables: Collection[str] | None) -> sympy.Expr:
    """SymPy's form of a parsed node; a node not listed here is as unreadable as bad syntax."""
    import sympy

    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _build(node.left, variables), _build(node.right, variables)
        return _OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        operand = _build(node.operand, variables)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sympy.Rational(repr(node.value))
    if isinstance(node, ast.Name):
        return _name(node.id, variables)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
    ):
        name, argument = node.func.id, _build(node.args[0], variables)
        if name == "exp":
            return _power(sympy.E, argument)
        if name == "log":
            return sympy.log(argument, 10)
        return getattr(sympy, _SYMPY_NAMES.get(name, name))(argument)
    raise SyntaxError(ast.dump(node))


def _name(name: str, variables: Collection[str] | None) -> sympy.Expr:
    import sympy

    if name in _FUNCTIONS:
        raise InvalidResponse(_say("input.expression.needs_brackets", name=name))
    if name in (variables or ()) or (variables is None and name not in _CONSTANTS):
        # Real, as in school: then sqrt(x²) is |x|, and points may be negative.
        return sympy.Symbol(name, real=True)
    if name in _CONSTANTS:
        return getattr(sympy, _CONSTANTS[name])
    raise InvalidResponse(_unknown(name, variables))


def _power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    """Refused before SymPy works out a number of millions of digits (``9^9^9``) or a tower
    (``e^e^e^x``) whose value at a point no precision can reach."""
    import sympy

    bits = sum(n.p.bit_length() + n.q.bit_length() for n in base.atoms(sympy.Rational))
    if (
        not _small(exponent)
        or any(not power.exp.is_Rational for power in exponent.atoms(sympy.Pow, sympy.exp))
        or (base.is_number and exponent.is_Rational and bits * abs(exponent.p) > _MAX_BITS)
    ):
        raise InvalidResponse(_say("input.expression.too_big"))
    return base**exponent


_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: _power,
}


def _small(exponent: sympy.Expr) -> bool:
    import sympy

    numbers = exponent.atoms(sympy.Rational)
    return all(abs(n.p) <= _MAX_EXPONENT and n.q <= _MAX_EXPONENT for n in numbers)


def _check_size(expr: sympy.Expr) -> None:
    """Refuse what has no value, or would take minutes to expand; SymPy merges powers, so
    ``(x^99)^99`` is checked here, once built."""
    import sympy

    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InvalidResponse(_say("input.expression.divide_by_zero"))
    if not all(_small(power.exp) for power in expr.atoms(sympy.Pow, sympy.exp)):
        raise InvalidResponse(_say("input.expression.too_big"))
    if _terms(expr) > _MAX_TERMS:
        raise InvalidResponse(_say("input.expression.too_long"))


def _terms(expr: sympy.Expr) -> int:
    """An upper bound, capped, on the terms ``sympy.expand`` would write out."""
    if expr.is_Add:
        count = sum(map(_terms, expr.args))
    elif expr.is_Pow and expr.exp.is_Rational:
        power = max(1, int(abs(expr.exp)))
        count = math.comb(_terms(expr.base) + power - 1, power)
    else:
        count = math.prod(map(_terms, expr.args))
    return min(count, _MAX_TERMS + 1)


def _unknown(name: str, variables: Collection[str]) -> str:
    named = sorted(variables)
    if not named:
        return _say("input.expression.no_letters", name=name)
    letters = named[-1]
    if len(named) > 1:
        letters = _say("list.or", items=_say("list.separator").join(named[:-1]), last=letters)
    return _say("input.expression.use_letters", name=name, letters=letters)


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
    return difference.is_zero


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
        self._variables = None if variables is None else self._checked_variables(variables)
        self._answers = tuple(self._read(text, "the answer") for text in given)
        if self._variables is None:
            found = {symbol.name for expr in self._answers for symbol in expr.free_symbols}
            self._variables = tuple(sorted(found))
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= 100:
            raise self._fail(f"points must be a whole number from 0 to 100 (got {points!r})")
        self._points = points
        self._samples = _samples(qid, self._variables, points)
        self._keys = tuple((key, self._read(key, "the feedback key")) for key in self._feedback)
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

    def _read(self, text: object, what: str) -> sympy.Expr:
        if not isinstance(text, str):
            raise self._fail(f"{what} {text!r} must be an expression in a string")
        try:
            return parse_expression(text, self._variables)
        except InvalidResponse as err:
            raise self._fail(f"{what} {text!r} cannot be read: {err}") from None

    def _checked_variables(self, variables: object) -> tuple[str, ...]:
        if isinstance(variables, str) or not isinstance(variables, Sequence):
            raise self._fail("variables must be a list of names, like ['x', 'y']")
        for name in variables:
            if (
                not isinstance(name, str)
                or not re.fullmatch(_NAME, name)
                or name in _FUNCTIONS
                or keyword.iskeyword(name)
            ):
                raise self._fail(
                    f"{name!r} cannot be a variable: use a letter, or a word of letters "
                    "and digits that is not a function name or a Python keyword"
                )
        return tuple(sorted(set(variables)))
