"""Pretests on the teacher's side: a guess before the teaching set against the answer after.

A pretest attempt (``"mode": "pretest"``) is a guess before the lesson: it is never a first
try, a wrong answer or a grade (see ``PRACTICE``). The same question id asked later in
practice is its post-test: the student's first judged attempt there, outside a review and
after their pretest, in the same lesson or a later one. docs/EVENTS.md defines the figures;
:mod:`._catalogue_learning` holds each column's words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ._logs import Logs, run

#: Each student's first judged guess at each pretest (question id and version).
GUESSES = """
guesses AS (
    SELECT student, question, qversion,
        arg_min({'correct': correct, 'ts': ts, 'file': file, 'line': line},
            (ts, file, line)) AS g
    FROM events
    WHERE type = 'attempt' AND mode::VARCHAR = 'pretest' AND correct IS NOT NULL
        AND student IS NOT NULL AND ts IS NOT NULL
    GROUP BY student, question, qversion
)"""

#: One row per student and pretest (question id and the version the guess answered):
#: ``pre`` whether their first judged pretest guess was right, ``post`` whether their
#: post-test was (null until there is one). Attempts are ordered by clock, then line: a
#: post-test may be in another lesson's log, whose lines only the clock orders.
PAIRS = f"""{GUESSES}, posts AS (
    SELECT p.student, p.question, p.qversion,
        arg_min(x.correct, (x.ts, x.file, x.line)) AS post
    FROM guesses p JOIN events x ON x.student = p.student AND x.question = p.question
    WHERE x.type = 'attempt' AND x.correct IS NOT NULL AND x.ts IS NOT NULL
        AND NOT coalesce(x.review, false) AND coalesce(x.mode::VARCHAR, '') <> 'pretest'
        AND (x.ts, x.file, x.line) > (p.g.ts, p.g.file, p.g.line)
    GROUP BY p.student, p.question, p.qversion
), pairs AS (
    SELECT g.student::VARCHAR AS student, g.question::VARCHAR AS question,
        g.qversion::VARCHAR AS qversion, g.g.correct AS pre, posts.post
    FROM guesses g LEFT JOIN posts USING (student, question, qversion)
)
"""  # noqa: S608

#: The four figures over the pairs of ``pairs``, grouped as the query around them says. The
#: gain is the class's normalised gain (Hake 1998) over the students with both a pretest
#: and a post-test: how much of what was left to learn the class learned.
_FIGURES = """
    avg(pre::INT) AS pretest_correct, avg(post::INT) AS posttest_correct,
    CASE WHEN avg(pre::INT) FILTER (WHERE post IS NOT NULL) < 1
        THEN (avg(post::INT) - avg(pre::INT) FILTER (WHERE post IS NOT NULL))
            / (1 - avg(pre::INT) FILTER (WHERE post IS NOT NULL)) END AS pretest_gain,
    count(*) FILTER (WHERE NOT pre AND post) AS pretest_errors_fixed
"""

#: A CTE, ``pretests``: the figures per question version that had a pretest.
PER_QUESTION = f"""{PAIRS}, pretests AS (
    SELECT question, qversion, {_FIGURES} FROM pairs GROUP BY question, qversion
)"""  # noqa: S608

#: The pretest columns' types in the questions table: blank (NA) without a pretest.
DTYPES = {
    "pretest_correct": "float64",
    "posttest_correct": "float64",
    "pretest_gain": "float64",
    "pretest_errors_fixed": "Int64",
}

#: The class's figures: every pretest of every question, pooled.
CLASS = f"""
WITH {PAIRS}
SELECT count(*) AS pretests, count(post) AS posttests, {_FIGURES} FROM pairs
"""  # noqa: S608


@dataclass(frozen=True)
class ClassPretests:
    """The class's pretest figures over all questions: ``pretests`` (students' pretest
    guesses, one per student and question), ``posttests`` (of them, those with a
    post-test yet), then the four figures the questions table has per question."""

    pretests: int
    posttests: int
    pretest_correct: float | None
    posttest_correct: float | None
    pretest_gain: float | None
    pretest_errors_fixed: int


def class_pretests(source: pd.DataFrame | Logs) -> ClassPretests:
    """The pretest figures of the whole class (see :data:`CLASS`)."""
    row = run(source, CLASS).iloc[0]
    return ClassPretests(
        pretests=int(row["pretests"]),
        posttests=int(row["posttests"]),
        pretest_correct=_share(row["pretest_correct"]),
        posttest_correct=_share(row["posttest_correct"]),
        pretest_gain=_share(row["pretest_gain"]),
        pretest_errors_fixed=0
        if pd.isna(row["pretest_errors_fixed"])
        else int(row["pretest_errors_fixed"]),
    )


def _share(value: object) -> float | None:
    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]
