"""Logs as an engine left them: the views the report's tables query in place.

The events stay where the engine read them (an in-memory DuckDB database, or Spark), and
every table of the report is SQL over them; :func:`run` runs the same SQL over an events
frame instead, so the metrics take either.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property
from typing import Any

import duckdb
import pandas as pd

from . import _flags
from ._schema import _DTYPES, _FIELDS, _FILES, _LABELS, _PROBLEMS


class Logs(ABC):
    """What :func:`read` found: the events that count, and what was wrong with the rest.

    The events stay where the engine read them (an in-memory DuckDB database, or Spark),
    as the views ``events`` and ``files``, which the report's tables query in place:
    ``events`` builds the DataFrame of every field only when first asked for. ``flags``
    holds what the ledger of a collection folder among the paths flags (see
    :mod:`guessfirst.teacher.collect`), one row per flag. ``hub`` holds, per student the hub
    service has a copy of (``collect --service-store``), the share of their events it
    received; ``include_unconfirmed`` says whether the local lines it never received
    count in ``events`` (see :func:`read`).
    """

    #: Whether tables created by :meth:`query` stay for later queries (DuckDB's do; Spark
    #: keeps none), so that the report can work shared parts out once (see :mod:`._shared`).
    keeps_tables: bool = False
    flags: pd.DataFrame = _flags.none()
    hub: pd.DataFrame = _flags.no_hub()
    include_unconfirmed: bool = False

    @abstractmethod
    def query(self, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
        """``sql``, written in DuckDB's dialect, over the views the logs were read into."""

    @abstractmethod
    def close(self) -> None:
        """Let go of the engine's memory; the tables already built stay usable."""

    @cached_property
    def problems(self) -> pd.DataFrame:
        """One row per line that does not count or breaks the chain, in file order."""
        frame = self.query(_PROBLEMS)
        return frame.astype(
            {"file": "string", "line": "int64", "kind": "string", "detail": "string"}
        )

    @cached_property
    def files(self) -> pd.DataFrame:
        """One row per file read: its students, lines, events, duplicates and problems."""
        frame = self.query(_FILES)
        counts = dict.fromkeys(("lines", "events", "duplicates", "problems"), "int64")
        return frame.astype({"file": "string", "students": "string", **counts, "intact": "bool"})

    @cached_property
    def events(self) -> pd.DataFrame:
        """One row per distinct event (the first copy wins), in file order."""
        frame = self._event_rows()
        # Files finish in any order; sorting here is cheaper than in SQL, wide rows and all.
        frame = frame.sort_values(["file", "line"], ignore_index=True)
        paths = list(self.query("SELECT path FROM files ORDER BY file_id")["path"])
        codes = frame.pop("file").astype("int64") - 1
        frame.insert(0, "file", pd.Categorical.from_codes(codes, paths, ordered=True))
        dtypes: dict[str, object] = {
            name: _DTYPES[kind]
            for name, kind in _FIELDS.items()
            if kind in _DTYPES and name not in _LABELS
        }
        dtypes.update(v="Int64", ts="datetime64[ns, UTC]", line="int64")
        for name in _LABELS:
            if not isinstance(frame[name].dtype, pd.CategoricalDtype):
                labels = sorted(frame[name].dropna().unique())
                dtypes[name] = pd.CategoricalDtype(labels, ordered=True)
        return frame.astype(dtypes)

    def _event_rows(self) -> pd.DataFrame:
        """Every counted event's fields, ``file`` as its number and ``v`` as 1."""
        columns = ", ".join("1 AS v" if name == "v" else name for name in _FIELDS)
        return self.query(f"SELECT file, line, {columns} FROM events")  # noqa: S608

    def student_intact(self) -> pd.Series:
        """Student -> True when every file their counted events came from passed verification.

        A tampered second copy whose lines all duplicate an intact first copy changes no
        number in the report, so it does not mark the student; ``files`` still lists it.
        """
        intact = self.files.set_index("file")["intact"]
        pairs = self.query(
            "SELECT DISTINCT student::VARCHAR AS student, path AS file "
            "FROM events JOIN files ON file = file_id WHERE student IS NOT NULL",
        ).astype(str)
        verdict = pairs["file"].map(intact).fillna(False).astype(bool)
        return verdict.groupby(pairs["student"]).all().rename("intact")


def run(
    source: pd.DataFrame | Logs, sql: str, params: dict[str, object] | None = None
) -> pd.DataFrame:
    """``sql`` over the relation ``events``: a frame, or the view :func:`read` left."""
    if isinstance(source, Logs):
        return source.query(sql, params)
    # A frame from before a field was read (``mode``, ``variant``) has it as null.
    missing = [name for name in _FIELDS if name not in source.columns]
    if missing:
        source = source.assign(
            **{name: pd.Series(pd.NA, index=source.index, dtype="string") for name in missing}
        )
    with connect() as con:
        con.register("events", source)
        return con.execute(sql, params).df()


def connect() -> duckdb.DuckDBPyConnection:
    """A database for the metrics; its cursors share the settings and the function."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    # Python's casefold, not SQL's lower(): it is what the student side compares with.
    con.create_function("casefold", _casefold, ["VARCHAR"], "VARCHAR")
    return con


def scalar(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> Any:
    """The one value of a query that always gives one row (an aggregate, a setting)."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"no row from {sql}")
    return row[0]


def _casefold(text: str) -> str:
    return text.strip().casefold()
