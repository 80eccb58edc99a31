"""What each column of the report's tables means, in a teacher's words.

The columns of the tables the CSV files hold take their headings and definitions from the
catalogue (:mod:`.._catalogue`); each dict here picks the columns a section of the page
shows, in the order its Definitions list them. The confidence chart's counts and the kinds
of problem are the page's own, and defined here.
"""

from __future__ import annotations

from collections.abc import Callable

from .._catalogue import table, terms
from ._format import _count, _num, _pct, _points, _verdict

QUESTION_TERMS = terms(
    "questions",
    (
        "attempted",
        "students_shown",
        "students_hinted",
        "first_try_correct",
        "first_try_error",
        "corrected",
        "attempts_to_correct",
        "hypercorrection",
        "high_confidence_errors",
        "reflections",
        "students_reviewing",
    ),
)
#: The Questions table's columns that read first tries: a version only ever answered in
#: reviews has none, and shows its review count in their place.
_FIRST_TRY_COLUMNS = (
    "first_try_correct",
    "first_try_error",
    "corrected",
    "attempts_to_correct",
    "hypercorrection",
    "high_confidence_errors",
)
REVIEW_TERMS = terms(
    "questions", ("reviewed", "delayed_retention", "return_errors", "returned_same", "review_flag")
)
#: The spaced review table counts each question once, over all its versions.
RETENTION_TERMS = terms("retention", ("attempted", "first_try_error"))
_TERMS = {**QUESTION_TERMS, **REVIEW_TERMS}
STUDENT_TERMS = terms(
    "students",
    ("attempted", "first_try_correct", "corrected", "not_corrected", "reflections", "hints"),
)
#: The students table's column where the hub service has a copy of some students' events.
HUB_TERMS = terms("students", ("hub_confirmed",))
WRONG_TERMS = terms("wrong_answers", ("answer", "students", "attempts", "misconception", "example"))

#: How the page writes a value of each of the catalogue's formats; text is escaped apart.
_WRITERS: dict[str, Callable[[object], str]] = {
    "count": _count,
    "share": _pct,
    "points": _points,
    "number": _num,
    "verdict": _verdict,
}


def formats(table_name: str) -> dict[str, Callable[[object], str]]:
    """Column -> how the page writes its values, for the table ``table_name``."""
    return {m.name: _WRITERS[m.format] for m in table(table_name) if m.format in _WRITERS}


CONFIDENCE_TERMS: dict[str, tuple[str, str]] = {
    "first": ("First tries", "Students' first try at a question, one per question version."),
    "right": ("Right", "The first try was correct."),
    "wrong": ("Wrong", "The first try was wrong."),
    "fixed": ("Later corrected", "Wrong at the first try, correct at a later attempt."),
    "open": ("Still open", "Wrong at the first try, with no correct attempt since."),
}


PROBLEM_TERMS: dict[str, str] = {
    "not-json": "The line is not a JSON object (for example cut off or garbled); skipped.",
    "missing-field": "The line lacks a field every event needs; skipped.",
    "unknown-version": "The line is in a format version this reader does not know; skipped.",
    "truncated-line": "The last line was only half written; skipped.",
    "too-long": "The line is longer than 64 KiB; skipped.",
    "edited-or-reordered": "The hash chain breaks here: a line was edited or lines were moved.",
    "removed": "The hash chain breaks here: lines before this one were removed.",
}
