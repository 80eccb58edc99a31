"""Spaced review on the teacher's side: did a first-try error still hold days later?

A review is an ``attempt`` event with ``"review": true``, logged when a question comes back
on a later day. A day is a calendar date in one time zone, so "a day later" means after
that zone's midnight, not 24 hours on. Only first errors, reviews and the few corrections a
return error needs are given a date, and only the questions a student reviewed are read
closely: a course's million other events cost one more scan of the attempts.
"""

from __future__ import annotations

from functools import lru_cache

import duckdb

from ._logs import scalar

#: A review counts from this many calendar days after the first error: the same day, the
#: worked example is still in view, and answering again is recognition rather than recall.
REVIEW_DELAY_DAYS = 1
#: Errors are common enough to judge a question by from this first-try error rate on.
FLAG_ERROR_RATE = 0.4
#: From this delayed retention on, the errors were productive: the question is worth keeping.
PRODUCTIVE_RETENTION = 0.6
#: Below this delayed retention the errors came back: the topic needs teaching again.
RETEACH_RETENTION = 0.4
#: A question is flagged only once this many students' first errors were reviewed: two
#: students are an anecdote.
FLAG_MIN_REVIEWED = 3

# Shares are ratios of small counts: 2 of 5 must meet 0.4 however the division rounds.
_SLACK = 1e-9


#: SQL: an attempt that is practice, not a pretest's guess. A pretest asks before the
#: teaching: its guess is never a first try, a wrong answer, a misconception or a grade.
PRACTICE = "coalesce(mode::VARCHAR, '') <> 'pretest'"
#: SQL: an attempt that can be a first try. A review is a retrieval days later, never a
#: first meeting, even when it starts the count of a variant it asks; an attempt without a
#: verdict (``correct`` null: it could not be checked in time) showed the student nothing,
#: so their next judged attempt is still a try before any help; a pretest's guess came
#: before the teaching. docs/EVENTS.md, "First tries", defines it; every first-try figure
#: reads this one predicate.
FIRST_TRY = f"NOT coalesce(review, false) AND correct IS NOT NULL AND {PRACTICE}"
_NOT_REVIEW = (
    f"type = 'attempt' AND student IS NOT NULL AND NOT coalesce(review, false) AND {PRACTICE}"
)
_TRIES = f"{_NOT_REVIEW} AND correct IS NOT NULL"
_ANSWER = (
    "'correct': correct, 'ts': ts, 'file': file, 'line': line, "
    "'response': response, 'normalized': normalized"
)


def version_tries(rows: str) -> str:
    """SQL: each student's first try at each question version among ``rows``.

    That is their judged attempt outside a review (see FIRST_TRY) with the lowest number,
    ties to the earlier line, as in the other per-version metrics.
    """
    return f"""
    SELECT student, question, qversion, f.* FROM (
        SELECT student, question, qversion, arg_min_null(
            {{{_ANSWER}}}, (coalesce(attempt, 9223372036854775807), file, line)) AS f
        FROM {rows} WHERE {_TRIES} GROUP BY student, question, qversion
    )
    """  # noqa: S608


def question_tries(rows: str, fields: str = f"'qversion': qversion, {_ANSWER}") -> str:
    """SQL: each student's first try at each question id among ``rows``: its ``fields``.

    That is their earliest judged attempt at any version outside a review (see FIRST_TRY),
    by time (ties to the earlier line): versions count their attempts apart, so only the
    clock orders them.
    Counting needs only ``'correct': ...``; carrying the answer's text costs twice the time.
    """
    return f"""
    SELECT student, question, f.* FROM (
        SELECT student, question, arg_min({{{fields}}}, (ts, file, line)) AS f
        FROM {rows} WHERE {_TRIES} GROUP BY student, question
    )
    """  # noqa: S608


#: Per question id, one row per student with an attempt outside a review, judged or not:
#: whether their first try was ``correct`` (null when none was judged), which gives the
#: first-try error rate the verdicts start from.
FIRST_TRIES = f"""
SELECT student, question,
    arg_min_null(correct, (ts, file, line)) FILTER (WHERE correct IS NOT NULL) AS correct
FROM events WHERE {_NOT_REVIEW} GROUP BY student, question
"""  # noqa: S608


#: The attempts at the questions a student reviewed: nothing else can have been reviewed.
REVIEWED_ROWS = "events SEMI JOIN reviews USING (student, question)"


def reviewed(tries: str) -> str:
    """SQL (needs ``$tz``): the first errors among ``tries`` reviewed a day or more later.

    ``tries`` is :func:`version_tries` or :func:`question_tries` of REVIEWED_ROWS. The
    result, ``reviewed``, has one row per such error, keyed as ``tries`` is, with
    ``retained`` (the first review at least REVIEW_DELAY_DAYS calendar days later was
    right), ``returned`` (a return error) and ``same`` (that review repeated the first wrong
    answer). Reviews and same-day corrections count by question id, whatever their version:
    what a student remembers is the question; a review without a verdict is passed over.
    Only errors, reviews and a return error's corrections are given a date.
    """
    return f"""
    reviews AS (
        SELECT student, question, correct, response, normalized,
            ts, file, line, (ts AT TIME ZONE $tz)::DATE AS day
        FROM events
        WHERE type = 'attempt' AND review AND correct IS NOT NULL AND student IS NOT NULL
            AND ts IS NOT NULL
    ), missed AS (
        SELECT *, (ts AT TIME ZONE $tz)::DATE AS day FROM ({tries}) WHERE NOT correct
    ), delayed AS (
        SELECT e.*, arg_min(
            {{'correct': r.correct, 'response': r.response, 'normalized': r.normalized}},
            (r.ts, r.file, r.line)) AS rv
        FROM missed e JOIN reviews r ON r.student = e.student AND r.question = e.question
            AND r.day >= e.day + {REVIEW_DELAY_DAYS}
        GROUP BY ALL
    ), reviewed AS (
        SELECT *, rv.correct AS retained,
            NOT rv.correct AND EXISTS (
                SELECT 1 FROM events x
                WHERE x.student = d.student AND x.question = d.question
                    AND (x.type = 'attempt' AND x.correct OR x.type = 'corrected')
                    AND (x.ts, x.file, x.line) > (d.ts, d.file, d.line)
                    AND (x.ts AT TIME ZONE $tz)::DATE = d.day
            ) AS returned,
            CASE WHEN d.normalized IS NOT NULL AND rv.normalized IS NOT NULL
                 THEN d.normalized = rv.normalized
                 ELSE coalesce(casefold(d.response) = casefold(rv.response), false)
            END AS same
        FROM delayed d
    )
    """  # noqa: S608


def kept(keys: str) -> str:
    """SQL: the rows of ``reviewed`` (see :func:`reviewed`) summed up per ``keys``."""
    return f"""
    SELECT {keys}, count(*) AS reviewed, avg(retained::INT) AS delayed_retention,
        count(*) FILTER (WHERE returned) AS return_errors,
        count(*) FILTER (WHERE returned AND same) AS returned_same
    FROM reviewed GROUP BY ALL
    """  # noqa: S608


def flag(error: str, retention: str, reviewed: str) -> str:
    """SQL: ``'productive'``, ``'reteach'`` or NULL, from a row's three columns so named."""
    return f"""CASE WHEN {reviewed} >= {FLAG_MIN_REVIEWED}
        AND {error} >= {FLAG_ERROR_RATE - _SLACK} THEN CASE
            WHEN {retention} >= {PRODUCTIVE_RETENTION - _SLACK} THEN 'productive'
            WHEN {retention} < {RETEACH_RETENTION - _SLACK} THEN 'reteach' END
    END"""


def time_zone(tz: str | None = None) -> str:
    """The IANA zone whose calendar days the review metrics count, as DuckDB names it.

    None is this machine's own zone, the one a teacher's clock shows. A name is matched
    regardless of case; one DuckDB does not know raises ValueError, so a typo stops a
    report before its logs are read, not after.
    """
    if tz is None:
        with duckdb.connect() as con:
            return str(scalar(con, "SELECT current_setting('TimeZone')"))
    return _named_zone(tz)


@lru_cache(maxsize=64)
def _named_zone(tz: str) -> str:
    """:func:`time_zone` of a name. Remembered: a name always means the same zone, and the
    command, the report and each refresh of a dashboard ask again (a database each time)."""
    with duckdb.connect() as con:
        found = scalar(
            con,
            "SELECT min(name) FROM pg_timezone_names() WHERE lower(name) = lower($tz)",
            {"tz": tz},
        )
    if found is None:
        raise ValueError(
            f"unknown time zone {tz!r}: give an IANA name such as Europe/London or Asia/Hong_Kong"
        )
    return str(found)
