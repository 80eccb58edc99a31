"""Reading numbers the way students write them: "1 1/2", "0,5", "80 km/h", "3/4"."""

from __future__ import annotations

import math
import numbers
import re
from fractions import Fraction

from ..i18n import text as _say
from ._base import InvalidResponse

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


def _exact(value: Fraction | float) -> Fraction:
    """A float is taken as the shortest decimal that prints as it: what the teacher typed."""
    if isinstance(value, Fraction):
        return value
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
    return _finite(value) is not None


def _finite(value: object) -> Fraction | None:
    """The exact value of a finite real number but a bool, as ``_exact`` takes it; None for
    anything else. ``numbers`` rather than ``int | float``: numpy's numbers pass too."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    number = float(value)
    return _exact(number) if math.isfinite(number) else None
