"""The parts several of the report's tables share, worked out once for the whole report.

Each table is one query (see :mod:`._metrics`), and several start from the same relations:
each student's first try at each question version (``firsts``: the questions, students and
confidence tables), the wrong answers (the questions and wrong-answers tables), the
misconceptions each student made and still holds (the students and misconceptions tables)
and the pretest pairs (the questions table and the class's pretests). Written as CTEs, each
query works them out again from a course's million events. While a :class:`Report` builds
its tables, DuckDB keeps them as tables instead, and the queries read them there: the same
SQL, with each shared CTE's text swapped for a read of its table, so every engine still runs
one definition of every metric. Spark, which keeps no table between queries, runs the
queries as they are written.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from ._logs import Logs
from ._metrics import _FIRSTS, _WRONG
from ._misconceptions import _MADE, _PER_STUDENT
from ._pretests import GUESSES, PAIRS

#: Each shared CTE text, as the queries hold it, and the relations of it that the rest of a
#: query reads (the others are steps on the way). A text may hold an earlier one: it is then
#: worked out from that one's tables, and stands in queries for both (the pretests' guesses,
#: which are often none, are kept first so that nothing is joined to them in vain).
_SHARED: tuple[tuple[str, tuple[str, ...]], ...] = (
    (_FIRSTS, ("firsts",)),
    (_WRONG, ("wrong_answers",)),
    (_MADE, ("made", "rights")),
    (_PER_STUDENT, ("held",)),
    (GUESSES, ("guesses",)),
    (PAIRS, ("pairs",)),
)
_REPORTS = itertools.count(1)  # names each report's tables apart, should two be built at once


class _SharedLogs(Logs):
    """The logs a report's tables are built from, reading the shared parts from tables."""

    def __init__(self, logs: Logs, swaps: dict[str, str]) -> None:
        self._logs = logs
        self._swaps = swaps

    def query(self, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
        sql = _swapped(sql, self._swaps)
        return self._logs.query(sql, _used(sql, params))

    def close(self) -> None:
        self._logs.close()


@contextmanager
def shared(logs: Logs, tz: str) -> Iterator[Logs]:
    """``logs`` with the shared parts kept as tables until the block ends (DuckDB's logs;
    any other engine's are given as they are). ``tz`` is the zone the days count in."""
    if not logs.keeps_tables:
        yield logs
        return
    report = next(_REPORTS)
    tables: list[str] = []
    try:
        swaps: dict[str, str] = {}
        for text, names in _SHARED:
            # Within this text, the earlier ones are read from their tables.
            within = _swapped(text, swaps)
            reads = [read for earlier, read in swaps.items() if earlier in text]
            for name in names:
                table = f"report_{report}_{name}"
                sql = f"WITH {within} SELECT * FROM {name}"  # noqa: S608 -- our own SQL
                logs.query(f"CREATE TABLE {table} AS {sql}", _used(sql, {"tz": tz}))
                tables.append(table)
                reads.append(f"{name} AS (SELECT * FROM {table})")  # noqa: S608
            swaps[text] = ", ".join(reads)
        yield _SharedLogs(logs, swaps)
    finally:
        for table in tables:
            logs.query(f"DROP TABLE IF EXISTS {table}")


def _swapped(sql: str, swaps: dict[str, str]) -> str:
    """``sql`` with each shared text in ``swaps`` read from its tables; the later texts
    first, as they may hold earlier ones."""
    for text, read in reversed(swaps.items()):
        sql = sql.replace(text, read)
    return sql


def _used(sql: str, params: dict[str, object] | None) -> dict[str, object] | None:
    """The ``params`` that ``sql`` names: DuckDB refuses one a query has no place for, and a
    swapped query may have lost its only use of ``$tz``."""
    kept = {name: value for name, value in (params or {}).items() if f"${name}" in sql}
    return kept or None
