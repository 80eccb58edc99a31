"""How big a bank and each value in it may be: past a bound a bank is refused, not read.

A teacher writes a bank, but a sealed copy can come from anywhere, and either can be
damaged or made to hurt: a list nested 10,000 deep, a number of 5,000 digits, a sealed
file that unpacks to gigabytes. Python answers those with RecursionError, ValueError,
OverflowError or a machine out of memory; a bank answers them with a ``BankError``.

Each bound is about ten times what a large real bank needs. The largest bank in sight is
the notebooks' lesson (9 questions, 220 lines, 5 KB); that lesson for each of 100 school
days (900 questions, 22,000 lines, 0.5 MB; 0.48 MB sealed and unpacked) is the large real
bank, and ``bench/bench_bank.py`` builds it. No real bank meets a bound, and a bank at every bound
still loads in seconds and tens of MB. Both readers hold a bank to the same bounds, so a
bank that loads from Markdown also seals and loads from its sealed copy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from fractions import Fraction

from ._spec import Spec, forms

#: A Markdown bank's file, and a sealed bank's questions once unpacked.
MAX_BANK_BYTES = 5 * 2**20
#: A sealed file: base64 of the compressed questions, and their ids in the clear.
MAX_SEALED_FILE_BYTES = 3 * MAX_BANK_BYTES
MAX_LINES = 200_000
MAX_QUESTIONS = 10_000
#: List items, feedback sections, hints and example steps, in all of a bank's questions.
MAX_PARTS = 50_000
#: One front matter value or list item, a feedback heading's answer, an id.
MAX_VALUE_CHARS = 2_000
#: A predict question's snippet, shown in full on the card.
MAX_CODE_CHARS = 20_000
#: Lists and objects in lists and objects: a front matter list needs 1, a sealed file 4.
MAX_DEPTH = 32
#: A number (``tol: 1e-9``): its length and its exponent's digits, bounded before reading.
MAX_NUMBER_CHARS, MAX_EXPONENT_DIGITS = 100, 4
#: A whole number (``attempts: 3``): points go to 100, fade and attempts stay small.
MAX_WHOLE_DIGITS = 6
#: The longest a code question's run may take; threads refuse a wait much longer than this.
MAX_TIMEOUT = 600.0


def form(key: str) -> tuple[str, str]:
    """How a bank writes option ``key``, as its kind declares it (``checks.Option.form``),
    with what one item of a list is called; ``("", "")`` for no option of any kind."""
    return forms().get(key, ("", ""))


_WHOLE = re.compile(r"[+-]?\d+")
_EXPONENT = re.compile(r"[eE][-+]?([\d_]*)")
#: A JSON string, or the rest of the text when it is never closed: it never fails to
#: match, so removing strings stays linear however many quotes the text has.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def shown(value: object) -> str:
    """A value as an error message quotes it: whole when short, cut when long."""
    return cut(repr(value))


def cut(text: str | None, limit: int = 80) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mib(size: int) -> str:
    return f"{size / 2**20:g} MiB"


def json_problem(text: str, containers: int, values: int | None = None) -> str | None:
    """Why JSON text is nested too deep, or holds too many lists and objects or values, to
    parse: checked before ``json.loads``, which recurses once per level (deep enough, that
    is a RecursionError, or with a raised recursion limit a crash) and makes an object of
    each value (a 15 MiB file of numbers would take 150 MB)."""
    bare = _STRING.sub("", text)
    opened = bare.count("[") + bare.count("{")
    if opened > containers:
        return f"it holds {opened:,} lists and objects, more than the {containers:,} allowed"
    if values is not None and bare.count(",") > values:
        return f"it holds more than the {values:,} values allowed"
    depth = deepest = 0
    for mark in _BRACKET.finditer(bare):
        depth += 1 if mark[0] in "[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        return f"it is nested {deepest} deep, more than the {MAX_DEPTH} allowed"
    return None


def number(key: str, text: object) -> float:
    """A number as written (``0.5``, ``1e-9``, ``1/2``): its size is bounded before it is
    read, since ``Fraction('1e99999999')`` would compute for minutes."""
    if not isinstance(text, str):
        raise ValueError(f"{key} must be a number (got {shown(text)})")
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(
            f"{key} must be a number of at most {MAX_NUMBER_CHARS} characters (got {len(text):,})"
        )
    exponent = _EXPONENT.search(text)
    if exponent and len(exponent[1].replace("_", "").lstrip("0")) > MAX_EXPONENT_DIGITS:
        raise ValueError(
            f"{key} is out of range (got {shown(text)}): an exponent has at most "
            f"{MAX_EXPONENT_DIGITS} digits"
        )
    try:
        value = float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{key} must be a number (got {shown(text)})") from None
    except OverflowError:
        raise ValueError(
            f"{key} is out of range (got {shown(text)}): a number here is below 1e308"
        ) from None
    return _within(key, value)


def whole(key: str, text: object) -> int:
    """A whole number as written, its digits counted before ``int()`` (which refuses more
    than 4,300 of them, and is slow long before)."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        raise ValueError(f"{key} must be a whole number (got {shown(text)})")
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > MAX_WHOLE_DIGITS:
        raise ValueError(
            f"{key} must be a whole number of at most {MAX_WHOLE_DIGITS} digits "
            f"(got one of {len(digits):,} digits)"
        )
    return int(text)


def value_problem(key: str, value: object) -> str | None:
    """Why an option's value, as a question's ``Spec`` holds it, is not one a Markdown
    bank could give: the same rules for a sealed copy, whose values come typed."""
    written, _ = form(key)
    if written == "bool":
        return None if isinstance(value, bool) else f"{key} is true or false (got {shown(value)})"
    if written == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{key} must be a number (got {shown(value)})"
        try:
            _within(key, value)
        except ValueError as error:
            return str(error)
        return None
    if written == "whole":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{key} must be a whole number (got {shown(value)})"
        if abs(value) >= 10**MAX_WHOLE_DIGITS:
            return f"{key} must be a whole number of at most {MAX_WHOLE_DIGITS} digits"
        return None
    if written == "code":
        if not isinstance(value, str):
            return f"the code is the text of a snippet (got {shown(value)})"
        return too_long("the code", value, MAX_CODE_CHARS)
    if written in ("list", "lines", "answer"):
        items = [value] if written == "answer" and isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return f"{key} is a list of texts (got {shown(value)})"
        what = f"the {key}" if isinstance(value, str) else f"an item of {key}"
        return next((p for item in items if (p := too_long(what, item)) is not None), None)
    if written == "text":
        if not isinstance(value, str):
            return f"{key} is one piece of text, not {shown(value)}"
        return too_long(f"the {key}", value)
    return None


def spec_problem(spec: Spec) -> tuple[str, str] | None:
    """The first part of a question over a bound, and why: ``(option or "id", problem)``.

    The Markdown reader finds each at its line first; this holds a sealed copy, whose
    questions come typed, to the same rules.
    """
    if (problem := too_long("the id", spec.qid)) is not None:
        return "id", problem
    for key, value in spec.options.items():
        if (problem := value_problem(key, value)) is not None:
            return key, problem
    for key in spec.feedback:
        if (problem := too_long("the answer a feedback is for", key)) is not None:
            return "feedback", problem
    return None


def parts(specs: Iterable[Spec]) -> int:
    """List items, feedback sections, hints and steps: what a bank's size grows with."""
    return sum(_parts(spec) for spec in specs)


def _parts(spec: Spec) -> int:
    lists = sum(len(value) for value in spec.options.values() if isinstance(value, list))
    steps = len(spec.example) if isinstance(spec.example, tuple) else 0
    return lists + len(spec.feedback) + len(spec.hints) + steps


def too_long(what: str, text: str, limit: int = MAX_VALUE_CHARS) -> str | None:
    if len(text) <= limit:
        return None
    return f"{what} is {len(text):,} characters long, more than the {limit:,} allowed"


def _within(key: str, value: float) -> float:
    """A finite number, and for a timeout one that a thread can wait for."""
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise ValueError(f"{key} must be a finite number (got {shown(value)})")
    if key == "timeout" and value > MAX_TIMEOUT:
        raise ValueError(f"timeout is at most {MAX_TIMEOUT:g} seconds (got {value:g})")
    return float(value)
