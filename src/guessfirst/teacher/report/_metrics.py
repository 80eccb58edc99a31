"""The report's metrics: per question, per student, spaced review, wrong answers, confidence.

Each table is one named SQL query over the relation ``events``, written once in DuckDB's
dialect: :func:`._logs.run` runs it over the logs an engine left (DuckDB, or Spark through
:mod:`._dialect`) or over an events frame. The queries are long, and kept as data at
module level; the functions only run them and type the results. docs/EVENTS.md defines
the metrics, and :mod:`._catalogue` holds each column's name, label and definition.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import _pretests as pretests
from ._catalogue import columns
from ._catalogue import table as catalogue
from ._logs import Logs, run
from ._misconceptions import OPEN_TAGS
from ._review import (
    FIRST_TRIES,
    FIRST_TRY,
    PRACTICE,
    REVIEWED_ROWS,
    flag,
    kept,
    question_tries,
    reviewed,
    time_zone,
    version_tries,
)

#: One row per student, question and version they answered. Their first try there is their
#: judged attempt outside a review (FIRST_TRY) with the lowest number, ties to the earlier
#: line: ``right_first`` and its ``confidence``, both null when there is none. A pretest's
#: guess (see PRACTICE) is none of these rows' attempts: it came before the teaching. ``tried``:
#: an attempt outside a review, judged or not; ``reviewing``: one in a review. ``fixed_at``:
#: the number of the first correct attempt after the first try (a review's too), and
#: ``fixed`` whether there is one; ``solved``: a correct attempt at all. An attempt without
#: a verdict is neither right nor wrong. Labels stay categorical (DuckDB enums) until the
#: small results: cheaper to group than strings.
_FIRSTS = f"""
firsts AS (
    SELECT question, qversion, student, tried, reviewing, right_first, confidence, solved,
        fixed_at IS NOT NULL AS fixed, fixed_at
    FROM (
        SELECT question, qversion, student, tried, reviewing, right_first, confidence, solved,
            list_min(list_filter(rights, lambda number: number > first_at)) AS fixed_at
        FROM (
            SELECT question, qversion, student, bool_or(NOT review) AS tried,
                bool_or(review) AS reviewing,
                arg_min_null(correct, (number, file, line)) FILTER (WHERE first_try)
                    AS right_first,
                arg_min_null(confidence, (number, file, line)) FILTER (WHERE first_try)
                    AS confidence,
                min(number) FILTER (WHERE first_try) AS first_at,
                list(number) FILTER (WHERE correct) AS rights,
                coalesce(bool_or(correct), false) AS solved
            FROM (
                SELECT question, qversion, student, correct, confidence, file, line,
                    coalesce(attempt, 9223372036854775807) AS number,
                    coalesce(review, false) AS review, {FIRST_TRY} AS first_try
                FROM events WHERE type = 'attempt' AND student IS NOT NULL AND {PRACTICE}
            )
            GROUP BY question, qversion, student
        )
    )
)
"""  # noqa: S608

#: Wrong answers outside reviews (a review's answers count in the spaced review), grouped
#: as the question normalised them when checking (or, for events without ``normalized``,
#: the response stripped and casefolded); the most frequent misconception key wins, ties
#: by key. An attempt without a verdict is no wrong answer, nor is a pretest's guess.
_WRONG = f"""
wrong AS (
    SELECT question, qversion, student, coalesce(normalized, casefold(response)) AS answer,
        response, misconception, file, line
    FROM events
    WHERE type = 'attempt' AND correct = false AND NOT coalesce(review, false) AND {PRACTICE}
), keys AS (
    SELECT question, qversion, answer, misconception FROM wrong
    WHERE misconception IS NOT NULL
    GROUP BY question, qversion, answer, misconception
    QUALIFY row_number() OVER (
        PARTITION BY question, qversion, answer ORDER BY count(*) DESC, misconception) = 1
), answers AS (
    SELECT question, qversion, answer, count(DISTINCT student) AS students,
        count(*) AS attempts, arg_min(response, (file, line)) AS example
    FROM wrong GROUP BY question, qversion, answer
), wrong_answers AS (
    SELECT question::VARCHAR AS question, qversion::VARCHAR AS qversion, answer, students,
        attempts, misconception::VARCHAR AS misconception, example
    FROM answers LEFT JOIN keys USING (question, qversion, answer)
)
"""  # noqa: S608

_TOP_WRONG = 3
_TOP_WRONG_CHARS = 40


# The review counts of a row that had nothing reviewed are 0, and its retention undefined.
_REVIEW_COLUMNS = """coalesce(reviewed, 0) AS reviewed, delayed_retention,
    coalesce(return_errors, 0) AS return_errors, coalesce(returned_same, 0) AS returned_same"""

#: Per question version: who saw it, tried it, got it wrong first, corrected it, reviewed it.
#: Those who opened a hint are counted over the hint events alone (``hinted``): a filtered
#: DISTINCT in ``seen`` would pass over every event once more.
QUESTIONS = f"""
WITH {_FIRSTS}, {_WRONG}, {reviewed(version_tries(REVIEWED_ROWS))},
review_counts AS ({kept("question::VARCHAR AS question, qversion::VARCHAR AS qversion")}),
{pretests.PER_QUESTION}, seen AS (
    SELECT question::VARCHAR AS question, qversion::VARCHAR AS qversion,
        mode(kind) FILTER (WHERE type = 'shown')::VARCHAR AS kind,
        count(DISTINCT student) FILTER (WHERE type = 'shown') AS students_shown,
        count(*) FILTER (WHERE type = 'reflection') AS reflections
    FROM events WHERE question IS NOT NULL GROUP BY question, qversion
), hinted AS (
    SELECT question::VARCHAR AS question, qversion::VARCHAR AS qversion,
        count(DISTINCT student) AS students_hinted
    FROM events WHERE type = 'hint' AND question IS NOT NULL GROUP BY question, qversion
), scored AS (
    SELECT question::VARCHAR AS question, qversion::VARCHAR AS qversion,
        count(*) FILTER (WHERE tried) AS attempted,
        count(*) FILTER (WHERE reviewing) AS students_reviewing,
        avg(right_first::INT) AS first_try_correct,
        count(*) FILTER (WHERE NOT right_first) AS first_errors,
        avg(fixed::INT) FILTER (WHERE NOT right_first) AS corrected,
        median(fixed_at) FILTER (WHERE NOT right_first AND fixed)
            AS attempts_to_correct,
        count(*) FILTER (WHERE NOT right_first AND confidence >= 0.75) AS high,
        count(*) FILTER (WHERE NOT right_first AND confidence <= 0.25) AS low,
        avg(fixed::INT) FILTER (WHERE NOT right_first AND confidence >= 0.75)
            - avg(fixed::INT) FILTER (WHERE NOT right_first AND confidence <= 0.25)
            AS gap
    FROM firsts GROUP BY question, qversion
), top AS (
    SELECT question, qversion,
        string_agg(label, '; ' ORDER BY students DESC, answer) AS top_wrong
    FROM (
        SELECT question, qversion, students, answer,
            CASE WHEN length(answer) > {_TOP_WRONG_CHARS}
                 THEN left(answer, {_TOP_WRONG_CHARS - 1}) || '…' ELSE answer END
            || ' ×' || students || coalesce(' [' || misconception || ']', '') AS label
        FROM wrong_answers
        QUALIFY row_number() OVER (
            PARTITION BY question, qversion ORDER BY students DESC, answer
        ) <= {_TOP_WRONG}
    )
    GROUP BY ALL
)
SELECT question, qversion, kind, coalesce(attempted, 0) AS attempted,
    first_try_correct, 1 - first_try_correct AS first_try_error,
    corrected, attempts_to_correct,
    CASE WHEN high >= 3 AND low >= 3 THEN gap END AS hypercorrection,
    top_wrong, reflections, coalesce(first_errors, 0) AS first_errors,
    coalesce(high, 0) AS high_confidence_errors, students_shown,
    coalesce(students_hinted, 0) AS students_hinted,
    coalesce(students_reviewing, 0) AS students_reviewing, {_REVIEW_COLUMNS},
    {flag("1 - first_try_correct", "delayed_retention", "reviewed")} AS review_flag,
    pretest_correct, posttest_correct, pretest_gain, pretest_errors_fixed
FROM seen LEFT JOIN scored USING (question, qversion)
    LEFT JOIN hinted USING (question, qversion) LEFT JOIN top USING (question, qversion)
    LEFT JOIN review_counts USING (question, qversion)
    LEFT JOIN pretests USING (question, qversion)
ORDER BY first_try_error DESC NULLS LAST, question, qversion
"""  # noqa: S608

#: Per student: their first tries, corrections, reflections, hints and reviews.
STUDENTS = f"""
WITH {_FIRSTS}, {reviewed(question_tries(REVIEWED_ROWS))},
review_counts AS ({kept("student::VARCHAR AS student")}), {OPEN_TAGS},
everyone AS (
    SELECT student::VARCHAR AS student,
        count(*) FILTER (WHERE type = 'reflection') AS reflections,
        count(*) FILTER (WHERE type = 'hint') AS hints
    FROM events WHERE student IS NOT NULL GROUP BY student
), tried AS (
    SELECT student::VARCHAR AS student, count(*) FILTER (WHERE tried) AS attempted,
        count(*) FILTER (WHERE right_first) AS first_try_correct,
        count(*) FILTER (WHERE NOT right_first) AS first_try_errors,
        count(*) FILTER (WHERE NOT right_first AND fixed) AS corrected
    FROM firsts GROUP BY student
)
SELECT student, coalesce(attempted, 0) AS attempted,
    coalesce(first_try_correct, 0) AS first_try_correct,
    coalesce(first_try_errors, 0) AS first_try_errors,
    coalesce(corrected, 0) AS corrected,
    coalesce(first_try_errors - corrected, 0) AS not_corrected, reflections, hints,
    {_REVIEW_COLUMNS}, coalesce(open_misconceptions, '') AS open_misconceptions
FROM everyone LEFT JOIN tried USING (student) LEFT JOIN review_counts USING (student)
    LEFT JOIN open_tags USING (student)
ORDER BY student
"""  # noqa: S608

#: Per question id, all its versions together: the spaced review of its first errors.
RETENTION = f"""
WITH {reviewed(question_tries(REVIEWED_ROWS))},
review_counts AS ({kept("question::VARCHAR AS question")}), tried AS (
    SELECT question::VARCHAR AS question, count(*) AS attempted,
        count(correct) AS judged, count(*) FILTER (WHERE NOT correct) AS first_errors
    FROM ({FIRST_TRIES}) GROUP BY question
)
SELECT question, attempted, first_errors / nullif(judged, 0) AS first_try_error,
    first_errors, {_REVIEW_COLUMNS},
    {flag("first_errors / nullif(judged, 0)", "delayed_retention", "reviewed")}
        AS review_flag
FROM tried LEFT JOIN review_counts USING (question)
ORDER BY first_try_error DESC NULLS LAST, question
"""  # noqa: S608

#: Per question version and wrong answer.
WRONG_ANSWERS = f"""
WITH {_WRONG}
SELECT * FROM wrong_answers ORDER BY question, qversion, students DESC, answer
"""  # noqa: S608

#: The steps of the confidence scale a student picks from (0, 1/3, 2/3, 1).
_CONFIDENCE_STEPS = 4

#: Per confidence step: first tries, right ones, and wrong ones corrected later.
CONFIDENCE = f"""
WITH {_FIRSTS}
SELECT CASE WHEN NOT isnan(confidence) THEN floor(
        least(greatest(confidence, 0), 1) * {_CONFIDENCE_STEPS - 1} + 0.5)::INT
    END AS step,
    count(*) AS "first", count(*) FILTER (WHERE right_first) AS "right",
    count(*) FILTER (WHERE fixed AND NOT right_first) AS fixed
FROM firsts WHERE right_first IS NOT NULL GROUP BY step ORDER BY step
"""  # noqa: S608

ACTIVITY = (
    "SELECT count(*) AS events, min(ts) AS first, max(ts) AS last, coalesce(list(DISTINCT "
    "notebook::VARCHAR) FILTER (WHERE notebook IS NOT NULL), []) AS notebooks FROM events"
)


# The tables behind the public functions below take either an events frame or the Logs
# that read() left in DuckDB: one SQL definition of every metric, and the report never
# builds the frame.


def question_table(source: pd.DataFrame | Logs, tz: str) -> pd.DataFrame:
    """:func:`per_question` of a frame, or of logs in place; ``tz`` as time_zone() names it."""
    frame = _ordered(run(source, QUESTIONS, {"tz": tz}), "questions")
    # Blank without a pretest: every engine gives the same types, however many are blank.
    return frame.astype(pretests.DTYPES)


def student_table(source: pd.DataFrame | Logs, tz: str) -> pd.DataFrame:
    """:func:`per_student` of a frame, or of logs in place; ``tz`` as time_zone() names it."""
    return _typed(_ordered(run(source, STUDENTS, {"tz": tz}), "students"), "students")


def retention_table(source: pd.DataFrame | Logs, tz: str) -> pd.DataFrame:
    """:func:`retention` of a frame, or of logs in place; ``tz`` as time_zone() names it."""
    return _typed(_ordered(run(source, RETENTION, {"tz": tz}), "retention"), "retention")


def wrong_table(source: pd.DataFrame | Logs) -> pd.DataFrame:
    """:func:`wrong_answers` of a frame, or of logs in place."""
    frame = run(source, WRONG_ANSWERS)
    return _typed(_ordered(frame, "wrong_answers"), "wrong_answers")


#: The type of a column of each format where a table is typed: counts are whole numbers
#: (0 where nothing was counted), shares fractions (NaN where undefined).
_DTYPES = {"count": "int64", "share": "float64"}


def _ordered(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with the catalogue's columns of ``table``, in its order. A verdict column
    with no verdict at all holds None, as DuckDB gives it (Spark would type it as text)."""
    frame = frame[columns(table, frame.columns)]
    for m in catalogue(table):
        if m.format == "verdict" and m.name in frame.columns and frame[m.name].isna().all():
            blank = frame[m.name].astype(object)
            frame = frame.assign(**{m.name: blank.where(blank.notna(), None)})
    return frame


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with each count and share of ``table`` in its type (see _DTYPES)."""
    kinds = {m.name: _DTYPES[m.format] for m in catalogue(table) if m.format in _DTYPES}
    return frame.astype({name: kind for name, kind in kinds.items() if name in frame.columns})


def confidence_table(source: pd.DataFrame | Logs) -> pd.DataFrame:
    """First tries per confidence step: how many, how many right, how many corrected.

    One row per step that occurs (``step`` 0 to 3, the nearest step to the stated
    confidence; null when none was given). First tries and corrections are those of
    :func:`per_question`, one per student and question version.
    """
    frame = run(source, CONFIDENCE)
    return frame.astype({"step": "Int64", "first": "int64", "right": "int64", "fixed": "int64"})


@dataclass(frozen=True)
class Activity:
    """The events as a whole, for a report's summary."""

    events: int
    first: pd.Timestamp | None  # the earliest readable time stamp
    last: pd.Timestamp | None
    notebooks: list[str]


def activity(source: pd.DataFrame | Logs) -> Activity:
    """How many events, over what time, from which notebooks."""
    count, first, last, notebooks = run(source, ACTIVITY).iloc[0]
    return Activity(int(count), _utc(first), _utc(last), sorted(notebooks))


def _utc(value: object) -> pd.Timestamp | None:
    return None if pd.isna(value) else pd.Timestamp(value).tz_convert("UTC")


def per_question(events: pd.DataFrame, *, tz: str | None = None) -> pd.DataFrame:
    """One row per question and version, the questions most often missed first.

    First tries are as docs/EVENTS.md's "First tries" defines them: a student's first
    judged attempt at the version outside a review. Besides EVENTS.md's metrics:
    ``first_errors`` (students whose first try was wrong), ``high_confidence_errors``
    (those who were at least 0.75 sure), ``students_shown``, ``students_hinted`` (those who
    opened at least one hint), ``students_reviewing`` (those who answered this version in a
    review: a variant a review asked counts there, not in the first-try figures), and the
    spaced review of this version's first errors: ``reviewed``, ``delayed_retention``,
    ``return_errors``, ``returned_same`` and ``review_flag`` (see :func:`retention`). Days
    are calendar dates in the IANA zone ``tz``, by default this machine's.
    """
    return question_table(events, time_zone(tz))


def per_student(events: pd.DataFrame, *, tz: str | None = None) -> pd.DataFrame:
    """One row per student: what they attempted, got right, got wrong and then right.

    Counts are per question version, as in :func:`per_question`: a student who answered
    a question before and after the teacher edited it met two versions of it, while a
    variant only a review asked them is no version they attempted. The spaced
    review columns (``reviewed``, ``delayed_retention``, ``return_errors``,
    ``returned_same``) count each question once, as :func:`retention` does.
    """
    return student_table(events, time_zone(tz))


def retention(events: pd.DataFrame, *, tz: str | None = None) -> pd.DataFrame:
    """One row per question id: how its first-try errors held up in a review days later.

    A student's first try is their earliest judged attempt at any version outside a review
    (docs/EVENTS.md, "First tries"); their review may be of any version too, since what is
    remembered is the question. ``attempted`` counts every student with an attempt outside
    a review, and ``first_try_error`` is the share of those with a first try.
    ``reviewed`` counts first errors reviewed at least REVIEW_DELAY_DAYS calendar days later
    (days in the IANA zone ``tz``, by default this machine's), ``delayed_retention`` is the
    share whose first such review was right, ``return_errors`` those corrected the same day
    yet wrong at that review, ``returned_same`` those whose review repeated the first wrong
    answer, and ``review_flag`` says ``productive`` or ``reteach`` (see the thresholds in
    :mod:`guessfirst.teacher.report`).
    """
    return retention_table(events, time_zone(tz))


def wrong_answers(events: pd.DataFrame) -> pd.DataFrame:
    """One row per wrong answer to each question version, the most common first.

    Answers are compared as the question normalised them when checking (``normalized``);
    for events without it, the response stripped and casefolded.
    """
    return wrong_table(events)
