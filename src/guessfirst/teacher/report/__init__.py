"""The teacher's side: collected logs into tables, metrics, grades and a verdict on integrity.

Needs the ``teacher`` extra (``pip install -e ".[teacher]"`` in a clone): DuckDB and pandas are
imported here and never by ``import guessfirst``, so a student's kernel stays light.
"""

from __future__ import annotations

from ..collected import NoLogsError, find_logs
from ._build import Report
from ._cache import CacheWarning
from ._engines import load, read
from ._grades import POLICIES, grades
from ._logs import Logs
from ._metrics import per_question, per_student, retention, wrong_answers
from ._misconceptions import misconceptions
from ._pretests import ClassPretests
from ._pretests import class_pretests as pretests
from ._review import (
    FLAG_ERROR_RATE,
    FLAG_MIN_REVIEWED,
    PRODUCTIVE_RETENTION,
    RETEACH_RETENTION,
    REVIEW_DELAY_DAYS,
    time_zone,
)
from ._variants import variant_table as variants

__all__ = [
    "FLAG_ERROR_RATE",
    "FLAG_MIN_REVIEWED",
    "POLICIES",
    "PRODUCTIVE_RETENTION",
    "RETEACH_RETENTION",
    "REVIEW_DELAY_DAYS",
    "CacheWarning",
    "ClassPretests",
    "Logs",
    "NoLogsError",
    "Report",
    "find_logs",
    "grades",
    "load",
    "misconceptions",
    "per_question",
    "per_student",
    "pretests",
    "read",
    "retention",
    "time_zone",
    "variants",
    "wrong_answers",
]
