"""Misconceptions followed across questions and lessons, by the tag an attempt carries.

An attempt's ``misconception`` is a tag the teacher gave (``gf.Misconception("tag", ...)``,
or a plain feedback's key); one tag may be shared by many questions, and a student's logs
from several lessons are read together. A pretest's guess came before the teaching: it is
no misconception yet, and none of these figures reads it. Days are calendar dates in the
report's time zone (``$tz``), as the spaced review counts them.
"""

from __future__ import annotations

import pandas as pd

from ._logs import Logs, run
from ._review import FIRST_TRY, PRACTICE, time_zone

#: Each attempt carrying a tag (a wrong one, outside a pretest), and each right answer.
_MADE = f"""
made AS (
    SELECT student::VARCHAR AS student, question::VARCHAR AS question,
        misconception::VARCHAR AS tag, ts, file, line, (ts AT TIME ZONE $tz)::DATE AS day
    FROM events
    WHERE type = 'attempt' AND student IS NOT NULL AND misconception IS NOT NULL
        AND NOT coalesce(correct, false) AND ts IS NOT NULL AND {PRACTICE}
), rights AS (
    SELECT student::VARCHAR AS student, question::VARCHAR AS question, ts, file, line,
        (ts AT TIME ZONE $tz)::DATE AS day
    FROM events
    WHERE type = 'attempt' AND correct AND student IS NOT NULL AND ts IS NOT NULL
        AND {PRACTICE}
)"""  # noqa: S608

#: Per student and tag: ``corrected`` (a right answer to the question where they made it,
#: after it), ``returned`` (made again on a later day than such a correction) and ``open``
#: (their latest attempt carrying it has no right answer to its question after it).
_PER_STUDENT = f"""{_MADE}, fixes AS (
    SELECT m.student, m.tag, m.question, m.ts, m.file, m.line, m.day,
        count(r.day) > 0 AS fixed, min(r.day) AS fixed_day
    FROM made m LEFT JOIN rights r ON r.student = m.student AND r.question = m.question
        AND (r.ts, r.file, r.line) > (m.ts, m.file, m.line)
    GROUP BY m.student, m.tag, m.question, m.ts, m.file, m.line, m.day
), held AS (
    SELECT student, tag, bool_or(fixed) AS corrected,
        coalesce(max(day) > min(fixed_day), false) AS returned,
        NOT arg_max(fixed, (ts, file, line)) AS open
    FROM fixes GROUP BY student, tag
)"""  # noqa: S608

#: Per tag: where it was made, by how many, and what became of it.
MISCONCEPTIONS = f"""
WITH {_PER_STUDENT}, firsts AS (
    SELECT arg_min_null(CASE WHEN NOT correct THEN misconception::VARCHAR END,
        (coalesce(attempt, 9223372036854775807), file, line)) AS tag
    FROM events WHERE type = 'attempt' AND student IS NOT NULL AND {FIRST_TRY}
    GROUP BY student, question, qversion
), first_counts AS (
    SELECT tag, count(*) AS first_errors FROM firsts WHERE tag IS NOT NULL GROUP BY tag
), places AS (
    SELECT tag, string_agg(question, ' ' ORDER BY question) AS questions
    FROM (SELECT DISTINCT tag, question FROM made) GROUP BY tag
), people AS (
    SELECT tag, count(*) AS students, count(*) FILTER (WHERE corrected) AS corrected,
        count(*) FILTER (WHERE returned) AS returned,
        count(*) FILTER (WHERE open) AS still_open
    FROM held GROUP BY tag
)
SELECT tag, questions, students, coalesce(first_errors, 0) AS first_errors, corrected,
    returned, still_open
FROM people JOIN places USING (tag) LEFT JOIN first_counts USING (tag)
ORDER BY students DESC, tag
"""  # noqa: S608

#: A CTE, ``open_tags``: per student with a misconception still open, its tags, sorted
#: and space-joined. For the teacher's eyes only: the class view never reads it.
OPEN_TAGS = f"""{_PER_STUDENT}, open_tags AS (
    SELECT student, string_agg(tag, ' ' ORDER BY tag) AS open_misconceptions
    FROM held WHERE open GROUP BY student
)"""  # noqa: S608
OPEN = f"WITH {OPEN_TAGS} SELECT * FROM open_tags"  # noqa: S608


def misconception_table(source: pd.DataFrame | Logs, tz: str) -> pd.DataFrame:
    """One row per tag (see :data:`MISCONCEPTIONS`); ``tz`` as time_zone() names it."""
    frame = run(source, MISCONCEPTIONS, {"tz": tz})
    counts = ["students", "first_errors", "corrected", "returned", "still_open"]
    return frame.astype({"tag": "string", "questions": "string"} | dict.fromkeys(counts, "int64"))


def open_misconceptions(source: pd.DataFrame | Logs, tz: str) -> dict[str, str]:
    """Student -> the tags of their misconceptions still open, sorted and space-joined."""
    frame = run(source, OPEN, {"tz": tz})
    return dict(zip(frame["student"], frame["open_misconceptions"], strict=True))


def misconceptions(events: pd.DataFrame | Logs, *, tz: str | None = None) -> pd.DataFrame:
    """One row per misconception tag: the questions where it was made, by how many
    students, how many first tries carried it, and how many corrected it, made it again
    on a later day after a correction (``returned``) or have it still open. Days are
    calendar dates in the IANA zone ``tz``, by default this machine's."""
    return misconception_table(events, time_zone(tz))
