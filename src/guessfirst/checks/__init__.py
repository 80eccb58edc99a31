"""Checking answers: one module per kind of question, each a ``Check`` that knows its kind.

Every public module here is a kind, named for it (``numeric`` holds ``NumericCheck``,
declared as the kind ``"numeric"`` that teachers call ``gf.Numeric``); shared parts are
private. So a new kind is one new module: :func:`kinds` finds it, and banks, the card,
the xAPI export and the docs read its declaration (:class:`Kind`).

Checks are pure: no widget, rendering or I/O, so the student's card and the teacher's
report agree on what counts as correct wherever they run. :func:`judge` runs a check
within a time limit, in a worker process for a kind that computes inside C code.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import pkgutil
from collections.abc import Mapping

from ._base import Check, InvalidResponse, QuestionError, Verdict, check_fade, unjudged
from ._kind import REQUIRED, Kind, Option
from ._numbers import parse_number

__all__ = [
    "REQUIRED",
    "Check",
    "InvalidResponse",
    "Kind",
    "Option",
    "QuestionError",
    "Verdict",
    "check_class",
    "check_fade",
    "judge",
    "kind_names",
    "kinds",
    "parse_number",
    "unjudged",
    "warm",
]


def kind_names() -> tuple[str, ...]:
    """Every kind's name, from the module names alone: nothing is imported."""
    return tuple(
        sorted(
            info.name
            for info in pkgutil.iter_modules(__path__)
            if not info.name.startswith("_") and not info.ispkg
        )
    )


@functools.cache
def kinds() -> Mapping[str, type[Check]]:
    """Every kind's check class by kind name, each module imported once."""
    found: dict[str, type[Check]] = {}
    for name in kind_names():
        module = importlib.import_module(f"{__name__}.{name}")
        declared = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Check)
            and value.__module__ == module.__name__
            and "KIND" in vars(value)
        ]
        if len(declared) != 1 or declared[0].KIND.name != name:
            raise ImportError(f"{module.__name__} must declare one Check whose KIND is {name!r}")
        found[name] = declared[0]
    return found


def check_class(name: str) -> type[Check]:
    """The check class of kind ``name``; KeyError naming the kinds there are."""
    try:
        return kinds()[name]
    except KeyError:
        raise KeyError(f"no kind {name!r}; the kinds are: {', '.join(kinds())}") from None


def warm(check: Check) -> None:
    """Start the worker a compute-bound check needs, so the first answer does not wait."""
    if check.compute_bound:
        from . import _isolation

        _isolation.warm()


def judge(check: Check, response: object, seconds: float) -> Verdict:
    """``check.check(response)`` within ``seconds``, or ``TimeoutError`` past them.

    ``InvalidResponse`` (not an attempt) and ``QuestionError`` pass through, as does any
    other failure inside a check, for the caller to log as the check's, not the student's.
    """
    from . import _isolation, _running  # loaded with the first answer, not the import

    try:
        if check.compute_bound:
            with contextlib.suppress(_isolation.Unavailable):
                return _isolation.check(check, response, seconds)
        return _running.within(functools.partial(check.check, response), seconds)
    except _running.Overrun as overrun:
        raise TimeoutError(str(overrun)) from None
