"""The teacher's report as one self-contained HTML document.

The file is mailed around, opened from a USB stick and printed, so it carries its own CSS
and hand-drawn SVG charts and asks the network for nothing. It runs no script at all, and
its Content-Security-Policy forbids any: every value that came from a log (ids, answers,
misconception keys, file names) is student-controlled and only ever reaches the page
escaped, as text.
"""

from __future__ import annotations

from ._format import NAMED_STUDENTS
from ._integrity import PROBLEM_ROWS
from ._learning import ANSWERS_PER_QUESTION
from ._page import render_report
from ._terms import (
    CONFIDENCE_TERMS,
    HUB_TERMS,
    PROBLEM_TERMS,
    QUESTION_TERMS,
    RETENTION_TERMS,
    REVIEW_TERMS,
    STUDENT_TERMS,
    WRONG_TERMS,
)

__all__ = [
    "ANSWERS_PER_QUESTION",
    "CONFIDENCE_TERMS",
    "HUB_TERMS",
    "NAMED_STUDENTS",
    "PROBLEM_ROWS",
    "PROBLEM_TERMS",
    "QUESTION_TERMS",
    "RETENTION_TERMS",
    "REVIEW_TERMS",
    "STUDENT_TERMS",
    "WRONG_TERMS",
    "render_report",
]
