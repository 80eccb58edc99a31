"""Grades: a point per question under a policy, from the first tries the metrics define.

Where a collection's ledger flags a copy, or the hub service holds a student's events,
the grades say so beside the points: ``flags`` and ``hub_confirmed`` are notes for the
teacher, not points.
"""

from __future__ import annotations

import re

import pandas as pd

from . import _flags
from ._catalogue import POINTS, table
from ._logs import Logs, run
from ._metrics import _FIRSTS

POLICIES = ("participation", "corrected", "first-try")

#: Per student and question id: whether they earned a point under each policy.
_POINTS = f"""
WITH {_FIRSTS}
SELECT student::VARCHAR AS student, question::VARCHAR AS question,
    true AS participation, bool_or(solved) AS corrected,
    coalesce(bool_or(right_first), false) AS "first-try"
FROM firsts GROUP BY student, question
"""  # noqa: S608
#: The questions in the order they first appear (by file, then line): the lesson's order.
_ORDER = """
SELECT question::VARCHAR AS question FROM {view} WHERE question IS NOT NULL
GROUP BY question ORDER BY min((file, line))
"""
_STUDENTS = (
    "SELECT DISTINCT student::VARCHAR AS student FROM {view} "
    "WHERE student IS NOT NULL ORDER BY student"
)
#: Columns of ours: a question so named gets " (question)" after its name.
_OWN_COLUMNS = frozenset(metric.name for metric in table("grades")) - {POINTS}
_EVENTS_SOURCE = re.compile(r"\bFROM events\b")


def grades(
    events: pd.DataFrame | Logs,
    policy: str = "participation",
    *,
    include_flagged: bool = False,
    include_unconfirmed: bool | None = None,
) -> pd.DataFrame:
    """One row per student: a point per question under ``policy``, then ``total``.

    From a collection folder, the events of copies its ledger flags as cut, changed or
    not the owner's (``_flags.LEAVE_OUT``) earn no point unless ``include_flagged``; the
    table then ends with ``flags``, each student's flags in a few words, and
    ``left_out`` in its ``attrs`` counts the copies left out.

    Where the hub service has a copy of a student's events (``collect --service-store``),
    its records are what counts, and their local lines it never received earn a point
    only with ``include_unconfirmed`` (None: as the logs were read, see :func:`read`);
    the table then has ``hub_confirmed``, the share of each student's events the service
    received (blank for a student it has no copy of), before ``flags``.

    Any version of a question earns its point. ``participation`` counts any attempt,
    ``corrected`` a correct one, ``first-try`` a right first try as docs/EVENTS.md's
    "First tries" defines it: a review, of a variant too, is never one, and an attempt
    without a verdict is passed over. Questions are in the order they first appear in the
    logs (by file, then line), which is the lesson's order. Passing the :class:`Logs`
    itself spares building the events frame on a large course.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown grade policy {policy!r}; choose one of: {', '.join(POLICIES)}")
    flags = events.flags if isinstance(events, Logs) else _flags.none()
    left_out = [] if include_flagged else _left_out_ids(events, flags)
    view = "events"
    if isinstance(events, Logs) and include_unconfirmed is not None:
        view = "events_all" if include_unconfirmed else "events_confirmed"
    table = _points(events, policy, left_out, view)
    hub = events.hub if isinstance(events, Logs) else _flags.no_hub()
    if not hub.empty:
        shares = dict(zip(hub["student"], hub["hub_confirmed"], strict=True))
        table["hub_confirmed"] = pd.array(
            [shares.get(student) for student in table["student"]], dtype="Float64"
        )
    if not flags.empty:
        said = _flags.by_student(flags)
        table["flags"] = [said.get(student, "") for student in table["student"]]
    table.attrs["left_out"] = len(left_out)
    return table


def _points(
    events: pd.DataFrame | Logs, policy: str, left_out: list[int], view: str
) -> pd.DataFrame:
    """``student``, a 1 or 0 per question in the lesson's order, and ``total``."""
    points = run(events, _graded(_POINTS, left_out, view))
    order = run(events, _ORDER.format(view=view))
    students = run(events, _STUDENTS.format(view=view))
    table = (
        points.pivot(index="student", columns="question", values=policy)
        .reindex(index=list(students["student"]), columns=list(order["question"]))
        .fillna(False)
        .astype("int64")
    )
    # A question may be called "student" or "total" too; its column must not pass for ours.
    table.columns = [f"{q} (question)" if q in _OWN_COLUMNS else q for q in table.columns]
    table["total"] = table.sum(axis=1)
    return table.rename_axis("student").reset_index()


def _left_out_ids(logs: pd.DataFrame | Logs, flags: pd.DataFrame) -> list[int]:
    """The engine's ids of the files whose events earn no grade."""
    files = set(flags.loc[flags["left_out"], "file"])
    if not files or not isinstance(logs, Logs):
        return []
    known = logs.query("SELECT file_id, path FROM files")
    pairs = zip(known["file_id"], known["path"], strict=True)
    return sorted(int(file_id) for file_id, path in pairs if path in files)


def _graded(sql: str, left_out: list[int], view: str = "events") -> str:
    """``sql`` over the events of ``view`` (``events``, or one of the hub's views: see
    :func:`event_views`) from every file but those left out (the engine's file ids)."""
    if not left_out:
        return _EVENTS_SOURCE.sub(f"FROM {view}", sql)
    ids = ", ".join(str(int(i)) for i in left_out)
    head, rest = sql.split("WITH", 1)
    kept = f"graded AS (SELECT * FROM {view} WHERE file NOT IN ({ids})),"  # noqa: S608
    return f"{head}WITH {kept}{_EVENTS_SOURCE.sub('FROM graded', rest)}"
