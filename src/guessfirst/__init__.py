"""guessfirst: attempt-first questions for Jupyter lessons.

The student answers and says how sure they are; only then does the worked example
open. Every step goes to a local log the teacher collects.
"""

from __future__ import annotations

from .checking import InvalidResponse, QuestionError, Verdict
from .context import configure
from .widget import CONFIDENCE_LEVELS, Choice, Numeric, Question, Text

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The teacher's dashboard needs the `teacher` extra (DuckDB, pandas): loaded on first
    # use only, so a student's `import guessfirst` never pays for it.
    if name == "Dashboard":
        from .report.dashboard import Dashboard

        return Dashboard
    raise AttributeError(f"module 'guessfirst' has no attribute {name!r}")


__all__ = [
    "CONFIDENCE_LEVELS",
    "Choice",
    "InvalidResponse",
    "Numeric",
    "Question",
    "QuestionError",
    "Text",
    "Verdict",
    "__version__",
    "configure",
]
