"""The whole page: its sections in order, the definitions at the end, the head."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

import pandas as pd

from .. import _flags
from .._logs import Logs
from .._metrics import activity, confidence_table
from .._pretests import ClassPretests
from ._format import _e
from ._integrity import _flag_section, _hub_section, _problem_section, _student_section, _summary
from ._learned import (
    MISCONCEPTION_TERMS,
    OPEN_TERMS,
    PRETEST_TERMS,
    VARIANT_TERMS,
    _misconception_section,
    _pretest_section,
    _variant_section,
)
from ._learning import _confidence_section, _question_section, _review_section, _wrong_section
from ._style import _CSP, _CSS
from ._terms import (
    CONFIDENCE_TERMS,
    PROBLEM_TERMS,
    QUESTION_TERMS,
    REVIEW_TERMS,
    STUDENT_TERMS,
    WRONG_TERMS,
)


def render_report(
    *,
    questions: pd.DataFrame,
    students: pd.DataFrame,
    wrong: pd.DataFrame,
    retention: pd.DataFrame,
    problems: pd.DataFrame,
    files: pd.DataFrame,
    intact: pd.Series,
    events: pd.DataFrame | Logs,
    zone: str,
    title: str = "guessfirst report",
    generated: datetime | None = None,
    flags: pd.DataFrame | None = None,
    hub: pd.DataFrame | None = None,
    include_unconfirmed: bool = False,
    misconceptions: pd.DataFrame | None = None,
    variants: pd.DataFrame | None = None,
    pretests: ClassPretests | None = None,
    confidence: pd.DataFrame | None = None,
) -> str:
    """The whole report as one HTML document; the inputs are the engine's tables.

    ``intact`` maps each student to whether all of their log files passed verification:
    students whose logs failed are marked wherever they appear, never left out.
    ``events`` may be the Logs themselves: the summary and the confidence table are then
    counted where the events are, in DuckDB. ``zone`` names the time zone the review
    tables counted days in, which the page states. ``flags`` are a collection ledger's
    (see :mod:`guessfirst.teacher.report._flags`): listed under Problems, and their students marked
    as those whose logs failed verification. ``hub`` is the share of each student's
    events the hub service confirmed (see ``_flags.Hub``), stated in its own section;
    ``include_unconfirmed`` whether the lines it never received were counted. The
    ``misconceptions``, ``variants`` and ``pretests`` sections show where there is any.
    ``confidence`` is :func:`confidence_table` of ``events``, when it was built already.
    """
    when = (generated or datetime.now(timezone.utc)).astimezone(timezone.utc)
    flags = _flags.none() if flags is None else flags
    intact, failed = _marked(intact, flags)
    body = "".join(
        [
            f"<header><h1>{_e(title)}</h1>"
            f'<p class="muted">Generated {when:%Y-%m-%d %H:%M} UTC.</p></header>',
            _summary(questions, students, problems, files, intact, activity(events), failed),
            _question_section(questions),
            _pretest_section(questions, pretests),
            _review_section(retention, zone),
            _confidence_section(confidence_table(events) if confidence is None else confidence),
            _wrong_section(wrong, questions),
            _misconception_section(misconceptions),
            _variant_section(variants),
            _student_section(students, set(failed)),
            _problem_section(problems, files),
            _hub_section(_flags.no_hub() if hub is None else hub, include_unconfirmed),
            _flag_section(flags),
            _glossary(zone),
        ]
    )
    return _document(title, body)


def _marked(intact: pd.Series, flags: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Each student's intact, false too for those a ledger flags; and the students not."""
    intact = intact.copy()
    for student in _flags.by_student(flags):
        intact[student] = False
    return intact, sorted(str(student) for student, ok in intact.items() if not ok)


def _document(title: str, body: str) -> str:
    """The page around ``body``: its own style, and a policy that lets no script run."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _glossary(zone: str) -> str:
    groups: list[tuple[str, Iterable[tuple[str, str, str]]]] = [
        ("Per question", ((k, *v) for k, v in QUESTION_TERMS.items())),
        ("Spaced review", ((k, *v) for k, v in REVIEW_TERMS.items())),
        ("Confidence", ((k, *v) for k, v in CONFIDENCE_TERMS.items())),
        ("Pretests", ((k, *v) for k, v in PRETEST_TERMS.items())),
        ("Wrong answers", ((k, *v) for k, v in WRONG_TERMS.items())),
        ("Misconceptions", ((k, *v) for k, v in MISCONCEPTION_TERMS.items())),
        ("Variants", ((k, *v) for k, v in VARIANT_TERMS.items())),
        ("Per student", ((k, *v) for k, v in {**STUDENT_TERMS, **OPEN_TERMS}.items())),
        ("Problems", ((k, k, v) for k, v in PROBLEM_TERMS.items())),
    ]
    notes = {
        "Spaced review": "<p>A review is an attempt the student made when a question came back "
        "on a later day; it is never a first try, even when it asks a variant of the question "
        "(another version, whose count it starts). Nor is an answer that could not be checked "
        "in time: the student saw no verdict. In the Questions table a first-try error is a "
        "version's wrong first try; a version answered only in reviews shows how many "
        "students reviewed it instead. Per student and in the Spaced review table a question "
        "counts once, from the student's first try at it: their earliest attempt at any "
        f"version outside a review that got a verdict. A day is a calendar date in {_e(zone)}."
        "</p>"
    }
    parts = ['<section aria-labelledby="terms"><h2 id="terms">Definitions</h2>']
    for heading, terms in groups:
        items = "".join(
            f"<dt>{_e(label)}"
            + (f' <code class="muted">{_e(key)}</code>' if key != label else "")
            + f"</dt><dd>{_e(text)}</dd>"
            for key, label, text in terms
        )
        parts.append(f'<h3>{heading}</h3><dl class="terms">{items}</dl>{notes.get(heading, "")}')
    parts.append(
        "<p>Confidence steps as the student saw them: Just guessing 0, Unsure 1/3, Fairly "
        "sure 2/3, Certain 1. Column names in <code>code</code> are those of the CSV files.</p>"
        "</section>"
    )
    return "".join(parts)
