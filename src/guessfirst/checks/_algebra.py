"""Reading algebra as students type it: "2(x+1)", "x²−1", "√x/2", into SymPy.

Student text is never evaluated: it is split into numbers, names, operators and brackets
(nothing else gets through), parsed by ``ast`` and rebuilt in SymPy from a whitelist of
nodes. Limits on length, digits, powers and expanded size keep one answer from stalling
the kernel. SymPy is imported inside the functions that need it, only when an expression
is read. Kept apart from ``expression``, which compares what is read here.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from ..i18n import text as _say
from ._base import InvalidResponse
from ._numbers import _quote

if TYPE_CHECKING:
    import sympy

#: Past these, input is a slip or an attempt to stall the kernel, not a school answer.
_MAX_LENGTH, _MAX_NODES = 200, 250
#: A float keeps 15 digits, so a number read through ``ast`` is the number typed.
_MAX_DIGITS = 15
#: Bounds every number in an exponent, and the bits of a number a power works out.
_MAX_EXPONENT, _MAX_BITS = 100, 4000
#: Terms expanding may write out.
_MAX_TERMS = 500

#: What a student may call; ``log`` is the calculator's base-10 log, ``ln`` the natural one.
FUNCTIONS = frozenset({"sqrt", "sin", "cos", "tan", "exp", "ln", "log", "abs"})
_SYMPY_NAMES = {"ln": "log", "abs": "Abs"}
_CONSTANTS = {"pi": "pi", "e": "E"}
NAME = r"[A-Za-z][A-Za-z0-9_]*"
_DIGITS = "0123456789."
_TOKEN = re.compile(rf"\s*(?:(?P<number>\d+(?:\.\d+)?|\.\d+)|(?P<name>{NAME})|\*\*|[-+*/()])")
_TYPOGRAPHY = str.maketrans(
    {"\u2212": "-", "×": "*", "·": "*", "\u22c5": "*", "÷": "/", "^": "**", "π": " pi "}
)
_ROOT = re.compile(rf"√\s*(\d+(?:\.\d+)?|{NAME})?")
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
    known = sorted({*FUNCTIONS, *_CONSTANTS, *(variables or ())}, key=len, reverse=True)
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
    if before in FUNCTIONS or before[0] in "+-*/(" or after[0] in "+-*/)":
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
        and node.func.id in FUNCTIONS
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

    if name in FUNCTIONS:
        raise InvalidResponse(_say("input.expression.needs_brackets", name=name))
    if name in (variables or ()) or (variables is None and name not in _CONSTANTS):
        # Real, as in school: then sqrt(x²) is |x|, and points may be negative.
        return sympy.Symbol(name, real=True)
    if name in _CONSTANTS:
        return getattr(sympy, _CONSTANTS[name])
    raise InvalidResponse(_unknown(name, variables or ()))  # None reads every name


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
