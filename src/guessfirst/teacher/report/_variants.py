"""A variant's own figures: questions whose every student gets their own numbers.

A question made with ``per_student=True`` logs a short ``variant`` label on each ``shown``
and ``attempt`` event, and every student shares its version: the questions table pools
the variants, as one question, and this table shows each variant apart. Only events that
carry a variant make rows; reviews and pretests are left out, as in the first tries.
"""

from __future__ import annotations

import pandas as pd

from ._logs import Logs, run
from ._review import FIRST_TRY, PRACTICE

#: Per question version and variant: who answered it, how often, and first tries right.
VARIANTS = f"""
WITH practice AS (
    SELECT question::VARCHAR AS question, qversion::VARCHAR AS qversion,
        variant::VARCHAR AS variant, student, correct, attempt, review, mode, file, line
    FROM events
    WHERE type = 'attempt' AND student IS NOT NULL AND variant IS NOT NULL
        AND NOT coalesce(review, false) AND {PRACTICE}
), firsts AS (
    SELECT question, qversion, variant, student,
        arg_min(correct, (coalesce(attempt, 9223372036854775807), file, line)) AS right_first
    FROM practice WHERE {FIRST_TRY}
    GROUP BY question, qversion, variant, student
), counted AS (
    SELECT question, qversion, variant, count(DISTINCT student) AS students,
        count(*) AS attempts
    FROM practice GROUP BY question, qversion, variant
)
SELECT question, qversion, variant, students, attempts,
    avg(right_first::INT) AS first_try_correct
FROM counted LEFT JOIN firsts USING (question, qversion, variant)
GROUP BY question, qversion, variant, students, attempts
ORDER BY question, qversion, variant
"""  # noqa: S608


def variant_table(source: pd.DataFrame | Logs) -> pd.DataFrame:
    """One row per question version and variant (see :data:`VARIANTS`)."""
    frame = run(source, VARIANTS)
    text = dict.fromkeys(("question", "qversion", "variant"), "string")
    counts = dict.fromkeys(("students", "attempts"), "int64")
    return frame.astype(text | counts | {"first_try_correct": "float64"})
