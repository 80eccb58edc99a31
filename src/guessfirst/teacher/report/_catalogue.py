"""Every column of the report's tables, defined once: name, heading, definition, format.

The report's SQL computes the columns (:mod:`._metrics`, :mod:`._grades`); this catalogue
says what each one means, in a teacher's words. The HTML page takes its headings, the
definitions it shows on hover and under Definitions, and the way it writes each value
from here; the CSV files take their columns and their order; docs/EVENTS.md and
docs/teacher.md list the same definitions, and the tests hold all of them equal to it.
The module is long because it is data: one record per column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import _catalogue_learning as learning
from ._review import (
    FLAG_ERROR_RATE,
    FLAG_MIN_REVIEWED,
    PRODUCTIVE_RETENTION,
    RETEACH_RETENTION,
    REVIEW_DELAY_DAYS,
)

#: How a value is written: a whole number, a share (as a percentage on the page and a
#: fraction from 0 to 1 in a CSV), percentage points, a plain number, a word, or text.
FORMATS = ("count", "share", "points", "number", "verdict", "text")
#: Each table, with the CSV file it is written to.
TABLES = {
    "questions": "questions.csv",
    "students": "students.csv",
    "wrong_answers": "wrong_answers.csv",
    "retention": "retention.csv",
    "grades": "grades.csv",
    "misconceptions": "misconceptions.csv",
    "variants": "variants.csv",
}
#: The grades table's columns of points, one per question, stand between ``student`` and
#: ``total`` under this name in the catalogue.
POINTS = "<question id>"


@dataclass(frozen=True)
class Metric:
    """One column of one table: what the CSV calls it, what the page calls it, what it is."""

    name: str
    label: str
    definition: str
    format: str
    table: str
    #: Present only in some reports: where the hub service or a collection ledger speaks.
    optional: bool = False


_FIRST_TRY = (
    "their first try: of their attempts at this version outside a review that got a verdict, "
    "the one with the smallest number"
)
_LATER = f"at least {REVIEW_DELAY_DAYS} calendar day{'s' if REVIEW_DELAY_DAYS > 1 else ''} later"

_QUESTION = ("question", "Question", "The question id the teacher gave.", "text")
_QVERSION = (
    "qversion",
    "Version",
    "The question's version: an edited question is a new version, counted on its own.",
    "text",
)
_HUB_CONFIRMED = (
    "hub_confirmed",
    "Confirmed by the hub",
    "Share of this student's events that the school's hub service received as they were "
    "written. Blank: the service has no copy of this student's events.",
    "share",
)

#: The spaced review's columns, alike in the questions, students and retention tables.
_REVIEW = (
    (
        "reviewed",
        "Reviewed",
        f"First-try errors that the student met again in a review {_LATER}. A review of any "
        "version of the question counts: what is remembered is the question, not one wording.",
        "count",
    ),
    (
        "delayed_retention",
        "Delayed retention",
        f"Of the reviewed first-try errors, the share whose first review {_LATER} was correct. "
        "Blank when none was reviewed.",
        "share",
    ),
    (
        "return_errors",
        "Return errors",
        "Reviewed first-try errors the student corrected on the day they made them (a correct "
        "attempt, in a review or not, or a corrected event, that same day), yet got wrong at "
        f"their first review {_LATER}: the correction did not last.",
        "count",
    ),
    (
        "returned_same",
        "Same error back",
        "Return errors whose wrong review answer was the first error's answer again: compared "
        "as the question normalised them when both attempts carry that, otherwise trimmed and "
        "case-folded.",
        "count",
    ),
)
_VERDICT = (
    "review_flag",
    "Verdict",
    f"productive: first-try error ≥ {FLAG_ERROR_RATE:.0%} and delayed retention ≥ "
    f"{PRODUCTIVE_RETENTION:.0%}: the errors were worth making, keep the question. "
    f"reteach: first-try error ≥ {FLAG_ERROR_RATE:.0%} and delayed retention below "
    f"{RETEACH_RETENTION:.0%}: the errors came back, teach it again. Either needs at least "
    f"{FLAG_MIN_REVIEWED} students reviewed; blank otherwise.",
    "verdict",
)

_QUESTIONS = (
    _QUESTION,
    _QVERSION,
    ("kind", "Kind", "The kind of question (choice, numeric, text, …) as it was shown.", "text"),
    (
        "attempted",
        "Attempted",
        "Students with at least one attempt at this question version outside a review, "
        "including one that could not be checked in time.",
        "count",
    ),
    (
        "first_try_correct",
        "First try correct",
        f"Share of the students who attempted it whose first try was correct: {_FIRST_TRY}. "
        "A review is never a first try, nor is an answer that got no verdict.",
        "share",
    ),
    (
        "first_try_error",
        "First-try error",
        "1 − first try correct: the first try was wrong.",
        "share",
    ),
    (
        "corrected",
        "Corrected",
        "Of the students whose first try was wrong, the share who answered correctly at a "
        "later attempt (in a review too). Blank when nobody's first try was wrong.",
        "share",
    ),
    (
        "attempts_to_correct",
        "Attempts to correct",
        "Median attempt number of the correcting attempt, over the corrected students.",
        "number",
    ),
    (
        "hypercorrection",
        "Hyper\u00adcorrection",
        "Corrected among first errors made with confidence ≥ 0.75 (Certain) minus corrected "
        "among first errors made with confidence ≤ 0.25 (Just guessing), in percentage "
        "points. Blank unless each group has at least 3 students. Above 0: confident "
        "errors were corrected more often.",
        "points",
    ),
    (
        "top_wrong",
        "Top wrong answers",
        "The three most common wrong answers outside reviews, compared after the question's "
        "own normalisation, each with how many students gave it and its misconception tag.",
        "text",
    ),
    (
        "reflections",
        "Reflections",
        "Number of reflections students wrote on this question.",
        "count",
    ),
    ("first_errors", "First-try errors", "Students whose first try was wrong.", "count"),
    (
        "high_confidence_errors",
        "Confident errors",
        "Students whose wrong first try came with confidence ≥ 0.75.",
        "count",
    ),
    ("students_shown", "Shown", "Students this question version was displayed to.", "count"),
    (
        "students_hinted",
        "Hinted",
        "Students who opened at least one hint (hints open only after a first attempt).",
        "count",
    ),
    (
        "students_reviewing",
        "In reviews",
        "Students who answered this version in a review. A review may ask a variant of a "
        "question, whose count it then starts; it is still a retrieval days later, never a "
        "first try, so it counts here and in the Spaced review, not in the first-try figures.",
        "count",
    ),
    *_REVIEW,
    _VERDICT,
    *learning.PRETEST,
)
_STUDENTS = (
    ("student", "Student", "The student's id, as in the logs.", "text"),
    (
        "attempted",
        "Attempted",
        "Questions this student attempted at least once outside a review, one per version.",
        "count",
    ),
    ("first_try_correct", "First try correct", "Questions whose first try was correct.", "count"),
    ("first_try_errors", "First-try errors", "Questions whose first try was wrong.", "count"),
    (
        "corrected",
        "Good errors",
        "Questions whose first try was wrong and that the student later answered correctly.",
        "count",
    ),
    (
        "not_corrected",
        "Errors still open",
        "Questions whose first try was wrong and that have no correct attempt since.",
        "count",
    ),
    ("reflections", "Reflections", "Reflections this student wrote.", "count"),
    ("hints", "Hints", "Hints this student opened (only possible after a first attempt).", "count"),
    *_REVIEW,
    *learning.OPEN,
    _HUB_CONFIRMED,
)
_WRONG_ANSWERS = (
    _QUESTION,
    _QVERSION,
    (
        "answer",
        "Wrong answer",
        "A wrong response after the question's own normalisation, so answers that only "
        "differ in spacing or case count as one.",
        "text",
    ),
    ("students", "Students", "Distinct students who gave this answer.", "count"),
    ("attempts", "Attempts", "Attempts with this answer, repeats included.", "count"),
    (
        "misconception",
        "Misconception",
        "The tag of the teacher's targeted feedback that matched this answer "
        "(gf.Misconception's tag, or a plain feedback's answer key).",
        "text",
    ),
    ("example", "Example", "One response with this answer exactly as a student typed it.", "text"),
)
_RETENTION = (
    _QUESTION,
    (
        "attempted",
        "Attempted",
        "Students with at least one attempt outside a review, at any version of this question.",
        "count",
    ),
    (
        "first_try_error",
        "First-try error",
        "Share of them whose first try was wrong: their earliest attempt at any version "
        "outside a review that got a verdict.",
        "share",
    ),
    ("first_errors", "First-try errors", "Students whose first try was wrong.", "count"),
    *_REVIEW,
    _VERDICT,
)
_GRADES = (
    ("student", "Student", "The student's id, as in the logs.", "text"),
    (
        POINTS,
        "Question",
        "One column per question, in the lesson's order: 1 when the student earned its point "
        "under the chosen policy, else 0. Any version of the question earns it.",
        "count",
    ),
    ("total", "Total", "The student's points, summed over the questions.", "count"),
    _HUB_CONFIRMED,
    (
        "flags",
        "Flags",
        "What the collection ledger flags in this student's logs, in a few words. Flagged "
        "copies earn no point unless the teacher includes them.",
        "text",
    ),
)
_OPTIONAL = {("students", "hub_confirmed"), ("grades", "hub_confirmed"), ("grades", "flags")}


def _records(table: str, rows: tuple[tuple[str, str, str, str], ...]) -> tuple[Metric, ...]:
    return tuple(
        Metric(name, label, text, kind, table, optional=(table, name) in _OPTIONAL)
        for name, label, text, kind in rows
    )


#: Every column of every table, table by table, each in the order the CSV file has them.
METRICS: tuple[Metric, ...] = (
    *_records("questions", _QUESTIONS),
    *_records("students", _STUDENTS),
    *_records("wrong_answers", _WRONG_ANSWERS),
    *_records("retention", _RETENTION),
    *_records("grades", _GRADES),
    *_records("misconceptions", learning.MISCONCEPTIONS),
    *_records("variants", (_QUESTION, _QVERSION, *learning.VARIANTS)),
)


def table(name: str) -> tuple[Metric, ...]:
    """The columns of the table ``name`` (a key of TABLES), in order."""
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; the report has: {', '.join(TABLES)}")
    return tuple(metric for metric in METRICS if metric.table == name)


def metric(table_name: str, name: str) -> Metric:
    """The column ``name`` of the table ``table_name``."""
    for found in table(table_name):
        if found.name == name:
            return found
    raise KeyError(f"{table_name} has no column {name!r}")


def columns(name: str, present: Iterable[object] = ()) -> list[str]:
    """The table's columns in order: every one that is always there, and of the optional
    ones those among ``present`` (a frame's columns, say)."""
    given = set(present)
    return [m.name for m in table(name) if not m.optional or m.name in given]


def terms(table_name: str, names: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Heading and definition of each of ``names``, as the page shows them."""
    found = [metric(table_name, name) for name in names]
    return {m.name: (m.label, m.definition) for m in found}


def markdown() -> str:
    """The catalogue as the Markdown table that docs/EVENTS.md holds, one row per column."""
    rows = ["| table | column | heading in the report | definition |", "|---|---|---|---|"]
    for found in METRICS:
        label = found.label.replace("\u00ad", "")
        rows.append(f"| {TABLES[found.table]} | `{found.name}` | {label} | {found.definition} |")
    return "\n".join(rows) + "\n"
