"""guessfirst: attempt-first questions for Jupyter lessons.

The student answers and says how sure they are; only then does the worked example
open. Every step goes to a local log the teacher collects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .checking import InvalidResponse, QuestionError, Verdict
from .context import configure

if TYPE_CHECKING:
    from .bank import Bank as Bank
    from .bank import load as load
    from .multi import Multi
    from .questions import Choice, Code, Expression, Numeric, Predict, Text
    from .report.dashboard import Dashboard as Dashboard
    from .review import review as review
    from .student_view import progress as progress
    from .widget import CONFIDENCE_LEVELS, Question

__version__ = "0.1.0"

# Loaded on first use: the widgets pull in anywidget and ipywidgets, which the teacher's
# command line never needs, and the dashboard needs the `teacher` extra (DuckDB, pandas),
# which a student's kernel never imports. A bank loads the widgets when it asks a question.
_LAZY = {
    "Bank": "bank",
    "load": "bank",
    "CONFIDENCE_LEVELS": "widget",
    "Question": "widget",
    "Choice": "questions",
    "Code": "questions",
    "Expression": "questions",
    "Multi": "multi",
    "Numeric": "questions",
    "Predict": "questions",
    "Text": "questions",
    "Dashboard": "report.dashboard",
    "progress": "student_view",
    "review": "review",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'guessfirst' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "CONFIDENCE_LEVELS",
    "Bank",
    "Choice",
    "Code",
    "Expression",
    "InvalidResponse",
    "Multi",
    "Numeric",
    "Predict",
    "Question",
    "QuestionError",
    "Text",
    "Verdict",
    "__version__",
    "configure",
    "load",
    "progress",
    "review",
]
