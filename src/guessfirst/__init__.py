"""guessfirst: attempt-first questions for Jupyter lessons.

The student answers and says how sure they are; only then does the worked example
open. Every step goes to a local log the teacher collects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .checks import InvalidResponse, QuestionError, Verdict, kind_names
from .checks._misconception import Misconception
from .log.context import configure

if TYPE_CHECKING:
    from .bank import Bank as Bank
    from .bank import load as load
    from .student.progress import progress as progress
    from .student.review import review as review
    from .student.science import why as why
    from .student.widget import CONFIDENCE_LEVELS, Question
    from .teacher.dashboard import Dashboard as Dashboard

__version__ = "0.1.0"

# Loaded on first use: the widgets pull in anywidget and ipywidgets, which the teacher's
# command line never needs; the dashboard reads logs with the `teacher` extra (DuckDB,
# pandas) only when it refreshes, so a student's kernel never imports them. A bank loads
# the widgets when it asks a question.
_LAZY = {
    "Bank": "bank",
    "load": "bank",
    "CONFIDENCE_LEVELS": "student.widget",
    "Question": "student.widget",
    "Dashboard": "teacher.dashboard",
    "progress": "student.progress",
    "review": "student.review",
    "why": "student.science",
}


#: Each kind of question by the class a teacher calls: ``gf.Numeric`` is the kind "numeric".
_KINDS = {name.capitalize(): name for name in kind_names()}


def __getattr__(name: str) -> Any:
    """A kind's class or a lazy name, loaded once. Any to a type checker: each kind's class
    is made at run time from its declaration, so ``gf.Numeric(...)`` in a teacher's checked
    code is not an error (the lazy names above are typed by their imports)."""
    from importlib import import_module

    if name in _KINDS:
        value: object = import_module(".student.questions", __name__).question_class(_KINDS[name])
    elif name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'guessfirst' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_KINDS})


__all__ = [
    "CONFIDENCE_LEVELS",
    "Bank",
    "Dashboard",
    "InvalidResponse",
    "Misconception",
    "Question",
    "QuestionError",
    "Verdict",
    "__version__",
    "configure",
    "load",
    "progress",
    "review",
    "why",
    *_KINDS,  # Choice, Code, Expression, Multi, Numeric, Predict, Text, ...
]
