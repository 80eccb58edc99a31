"""Collected logs into DataFrames, and the metrics and grades EVENTS.md defines.

A course's logs hold a million lines, so every per-line step (splitting, validating,
parsing) runs inside DuckDB, a batch of files at a time, and the events stay there: the
report's tables are SQL over them, and the pandas frame of every field is built only when
a notebook user asks for it. The one per-line step in Python is the chain's sha256, which
hashlib (OpenSSL) does several times faster than DuckDB's; it runs in the batch's thread
while the other batches' SQL runs outside the GIL. Python splits lines itself only in the
rare file that is not UTF-8.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd

from .. import eventlog, logline
from ..collected import find_logs
from . import _flags
from ._review import (
    FIRST_TRIES,
    FIRST_TRY,
    REVIEWED_ROWS,
    flag,
    kept,
    question_tries,
    reviewed,
    time_zone,
    version_tries,
)

POLICIES = ("participation", "corrected", "first-try")

#: Each event field as DuckDB reads it. ``v`` stays JSON text so that ``1.0``, ``"1"`` or
#: ``true`` are told apart from the integer ``1``, as the student side does.
_FIELDS: dict[str, str] = {
    "v": "JSON",
    "id": "VARCHAR",
    "ts": "VARCHAR",
    "type": "VARCHAR",
    "student": "VARCHAR",
    "session": "VARCHAR",
    "notebook": "VARCHAR",
    "question": "VARCHAR",
    "qversion": "VARCHAR",
    "prev": "VARCHAR",
    "kind": "VARCHAR",
    "attempt": "BIGINT",
    "response": "VARCHAR",
    "correct": "BOOLEAN",
    "confidence": "DOUBLE",
    "latency_ms": "BIGINT",
    "misconception": "VARCHAR",
    "normalized": "VARCHAR",
    "n": "BIGINT",
    "text": "VARCHAR",
    "errors": "BIGINT",
    "first_error": "VARCHAR",
    "first_confidence": "DOUBLE",
    "truncated": "BOOLEAN",
    "review": "BOOLEAN",
}
#: Columns with few distinct values (a course has 1,000 students, not a million) come back
#: as pandas categoricals: a string object per row would double the memory of a report.
_LABELS = (
    "type",
    "student",
    "session",
    "notebook",
    "question",
    "qversion",
    "kind",
    "misconception",
)
_DTYPES: dict[str, str] = {
    "VARCHAR": "string",
    "BIGINT": "Int64",
    "BOOLEAN": "boolean",
    "DOUBLE": "Float64",
}

_BATCH_BYTES = 32 * 1024 * 1024  # files read per DuckDB pass: bounds memory, paces progress
_DIGEST_CHARS = 64  # a sha256 in hex: a file's digests are one string, cut in SQL
_HASH_CHARS = len(eventlog.chain_hash(b""))  # the chain keeps a digest's start


class Logs(ABC):
    """What :func:`read` found: the events that count, and what was wrong with the rest.

    The events stay where the engine read them (an in-memory DuckDB database, or Spark),
    as the views ``events`` and ``files``, which the report's tables query in place:
    ``events`` builds the DataFrame of every field only when first asked for. ``flags``
    holds what the ledger of a collection folder among the paths flags (see
    :mod:`guessfirst.collect`), one row per flag. ``hub`` holds, per student the hub
    service has a copy of (``collect --service-store``), the share of their events it
    received; ``include_unconfirmed`` says whether the local lines it never received
    count in ``events`` (see :func:`read`).
    """

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


class _DuckLogs(Logs):
    """Logs read by DuckDB on this machine: the default engine, and the fast one."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def query(self, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
        with self._con.cursor() as con:
            return con.execute(sql, params).df()

    def close(self) -> None:
        self._con.close()

    def _event_rows(self) -> pd.DataFrame:
        # Labels as DuckDB enums: a string object per row would double a report's memory.
        with self._con.cursor() as con:
            for name in _LABELS:
                con.execute(
                    f"CREATE TYPE {name}_label AS ENUM (SELECT DISTINCT {name} FROM events "  # noqa: S608
                    f"WHERE {name} IS NOT NULL ORDER BY 1)"
                )
            columns = ", ".join(map(_event_column, _FIELDS))
            return con.execute(f"SELECT file, line, {columns} FROM events").df()  # noqa: S608


ENGINES = ("duckdb", "spark")


def read(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    engine: str = "duckdb",
    master: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    include_unconfirmed: bool = False,
) -> Logs:
    """Read, validate and verify every log under ``paths``.

    ``engine="duckdb"`` (the default, and the fast one on one machine) reads local files;
    ``engine="spark"`` reads whatever Spark reaches (``hdfs://``, ``s3a://`` too), on the
    cluster ``master`` names or Spark's configured default, and needs the ``spark`` extra.
    Both give the same tables. ``progress(done, total)`` is called as work completes.
    Raises NoLogsError when ``paths`` hold no logs.

    A collection folder holding the hub service's copies (``collect --service-store``)
    is read so that no event counts twice: the service's copy of an event is the one that
    counts (its copies are read first, and a later copy of an id is a duplicate), and a
    local line the service never received (or received otherwise) counts only with
    ``include_unconfirmed``. Students the service has no copy of count as before.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    hub = _flags.hub_of(paths)
    if engine == "spark":
        from ..collect import without_ledgers
        from ._spark import read as read_with_spark

        # Spark lists folders itself: a collection's ledger is named away here.
        logs = read_with_spark(
            without_ledgers(paths),
            master=master,
            progress=progress,
            hub=hub,
            include_unconfirmed=include_unconfirmed,
        )
    else:
        logs = _read_with_duckdb(paths, progress, hub, include_unconfirmed)
    logs.flags = _flags.flags_of(paths)
    logs.hub = hub.students
    logs.include_unconfirmed = include_unconfirmed
    return logs


def service_first(paths: list[str], hub: _flags.Hub) -> list[str]:
    """``paths`` in reading order: the hub service's copies first (their events win the
    duplicates), then the rest, each group sorted."""
    return sorted(paths, key=lambda path: (path not in hub.service, path))


def unconfirmed_rows(paths: list[str], hub: _flags.Hub) -> pd.DataFrame:
    """The engine's (file_id, line) of each local line the hub service did not confirm."""
    ids = {path: number for number, path in enumerate(paths, start=1)}
    pairs = [(ids[path], line) for path, line in hub.unconfirmed if path in ids]
    return pd.DataFrame(pairs, columns=["file_id", "line"], dtype="int64")


def _read_with_duckdb(
    paths: list[str | os.PathLike[str]],
    progress: Callable[[int, int], None] | None,
    hub: _flags.Hub,
    include_unconfirmed: bool,
) -> Logs:
    found = service_first([str(path) for path in find_logs(paths)], hub)
    files = [Path(path) for path in found]
    total = len(files) + 1
    con = _connect()
    try:
        _create_tables(con, files)
        con.register("unconfirmed_rows", unconfirmed_rows(found, hub))
        con.execute("CREATE TABLE unconfirmed AS SELECT * FROM unconfirmed_rows")
        con.unregister("unconfirmed_rows")
        # A batch's lines flow through DuckDB on one thread: batches run side by side.
        workers = int(con.execute("SELECT current_setting('threads')").fetchone()[0])
        with ThreadPoolExecutor(max_workers=workers) as pool:
            running = [pool.submit(_read_batch, con.cursor(), batch) for batch in _batches(files)]
            done = 0
            for finished in as_completed(running):
                done += finished.result()
                if progress is not None:
                    progress(done, total)
        logs = _assemble(con, include_unconfirmed)
    except BaseException:
        con.close()
        raise
    if progress is not None:
        progress(total, total)
    return logs


def load(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> pd.DataFrame:
    """The events under ``paths``, one row per distinct event (see :func:`read`)."""
    return read(paths).events


# -- reading ---------------------------------------------------------------------------

_SURROGATE = r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
_LENIENT_DETAIL = "'not valid JSON: NaN, Infinity or a trailing comma'"
#: The faults found in a line read as JSON: a line only DuckDB reads as JSON has none.
_AFTER_JSON = f"('{logline.UNKNOWN_VERSION}', '{logline.MISSING_FIELD}', '{logline.BAD_FIELD}')"


def _lenient(column: str) -> str:
    """SQL: ``column`` holds NaN, Infinity or a trailing comma outside its strings.

    DuckDB's JSON reader takes these, Python's does not, and no writer of this format
    produces them: such a line was written by hand.
    """
    outside_strings = f"""regexp_replace({column}, '"(?:[^"\\\\]|\\\\.)*"', '""', 'g')"""
    return f"regexp_matches({outside_strings}, '(?i)nan|inf|,\\s*[\\]}}]')"


# -- what a valid line is, in SQL ------------------------------------------------------
#
# Generated from logline's definition, which the student side applies in Python: every
# reader counts the same lines. The SQL reads three columns an engine gives each line:
# ``e``, its fields typed as _READ says; ``t``, the JSON type of each field of _NAMES in
# turn, as DuckDB's json_type names it (null when the line lacks the field); and
# ``repeated``, the first name the line gives twice. The Spark reader runs the same text
# through sqlglot.

_SQL_TYPES = {
    "string": "VARCHAR",
    "time": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
}
#: What a line is read into: the report's columns, then the fields only the judge reads.
_READ: dict[str, str] = _FIELDS | {
    field.name: _SQL_TYPES[field.rule.type]
    for field in logline.fields()
    if field.name not in _FIELDS
}
_STRUCT = json.dumps(_READ)
#: The JSON types a rule takes, as json_type names them: a float is never a count.
_JSON_TYPES = {
    "string": "'VARCHAR'",
    "time": "'VARCHAR'",
    "integer": "'BIGINT', 'UBIGINT'",
    "number": "'BIGINT', 'UBIGINT', 'DOUBLE'",
    "boolean": "'BOOLEAN'",
}
_NAMES = logline.names()
_PATHS = "[" + ", ".join(f"'$.{name}'" for name in _NAMES) + "]"
#: A line's ``repeated`` from its names, ``keys``: none when it has no name but those of
#: _NAMES and each once (the cheap test), else the first name given a second time.
_REPEATED = (
    "CASE WHEN len(keys) = list_aggregate(t, 'count') THEN NULL "
    "ELSE list_filter(keys, lambda key, i: list_position(keys, key) < i)[1] END"
)
#: The fields of every event but ``v`` (whose fault is its own), then those of any event.
_CHECKED = [field for field in (*logline.CORE, *logline.COMMON) if field.name != "v"]


def _text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _kind(name: str) -> str:
    """SQL: the JSON type of the line's field ``name``; null when the line lacks it."""
    return f"t[{_NAMES.index(name) + 1}]"


def _kept(field: logline.Field) -> str:
    """SQL, never null: the line lacks ``field``, or its value keeps the field's rule."""
    rule, kind, value = field.rule, _kind(field.name), f"e.{field.name}"
    tests = [f"{kind} IN ({_JSON_TYPES[rule.type]})"]
    if rule.non_empty:
        tests.append(f"{value} <> ''")
    if rule.low is not None:
        tests.append(f"{value} BETWEEN {rule.low} AND {rule.high}")
    if rule.type == "time":
        tests += [
            f"length({value}) = {len(logline.TIME_EXAMPLE)}",
            f"regexp_matches({value}, '^{logline.TIME_PATTERN}$')",
        ]
    test = " AND ".join(tests)
    if rule.null:
        test = f"{kind} = 'NULL' OR {test}"
    return f"({kind} IS NULL OR coalesce({test}, false))"


def _missing() -> str:
    """SQL: the fields the line must carry and lacks, by name, ', '-joined ('' for none)."""
    needed: dict[str, list[str]] = {field.name: [] for field in logline.CORE}
    for event_type, own in logline.BY_TYPE.items():
        for field in own:
            if field.required:
                needed.setdefault(field.name, []).append(event_type)
    names = []
    for name in sorted(needed):
        lacks = f"{_kind(name)} IS NULL"
        if needed[name]:
            lacks += f" AND e.type IN ({', '.join(map(_text, needed[name]))})"
        names.append(f"CASE WHEN {lacks} THEN '{name}' END")
    return f"concat_ws(', ', {', '.join(names)})"


def _bad(field: logline.Field, event_type: str | None = None) -> str:
    """A WHEN clause: the line's ``field`` breaks its rule (on lines of ``event_type``)."""
    where = "" if event_type is None else f"e.type = {_text(event_type)} AND "
    fault = f"[{_text(logline.BAD_FIELD)}, {_text(logline.detail(field))}]"
    return f"WHEN {where}NOT {_kept(field)} THEN {fault}"


def _sound() -> str:
    """SQL: a line's fields are all there and all keep their rules (the cheap test)."""
    own_types = " ".join(
        f"WHEN {_text(event_type)} THEN "
        + " AND ".join(
            [f"{_kind(field.name)} IS NOT NULL" for field in own if field.required]
            + [_kept(field) for field in own]
        )
        for event_type, own in logline.BY_TYPE.items()
    )
    return " AND ".join(
        [
            "repeated IS NULL",
            *(f"{_kind(field.name)} IS NOT NULL" for field in logline.CORE),
            *map(_kept, _CHECKED),
            f"CASE e.type {own_types} ELSE true END",
        ]
    )


def _field_fault() -> str:
    """SQL: a line's first missing or bad field as [kind, detail], in logline.fault's order.

    For a line whose version is known to be right: the engines look at that themselves.
    """
    missing = _missing()
    missing_fault = (
        f"[{_text(logline.MISSING_FIELD)}, {_text(logline.missing_detail([]))} || {missing}]"
    )
    whens = [f"WHEN {missing} <> '' THEN {missing_fault}", *map(_bad, _CHECKED)]
    whens += [
        _bad(field, event_type) for event_type, own in logline.BY_TYPE.items() for field in own
    ]
    return "CASE " + " ".join(whens) + " END"


def _counted() -> str:
    """SQL: a counted line's fields as the report reads them, ``e`` of the events view.

    A field the line's type does not define is null, as any unknown field: engines would
    read it differently (DuckDB makes 5 of "5", Spark nothing), and no metric reads it.
    """
    everywhere = {field.name for field in (*logline.CORE, *logline.COMMON)}
    owners: dict[str, list[str]] = {}
    for event_type, own in logline.BY_TYPE.items():
        for field in own:
            owners.setdefault(field.name, []).append(event_type)
    values = [
        f"'{name}': e.{name}"
        if name in everywhere
        else f"'{name}': CASE WHEN e.type IN ({', '.join(map(_text, owners[name]))}) "
        f"THEN e.{name} END"
        for name in _FIELDS
    ]
    return "{" + ", ".join(values) + "}"


_SOUND = _sound()
_FIELD_FAULT = _field_fault()
_COUNTED = _counted()
_BEFORE, _AFTER = logline.repeated_detail("{}").split("{}")
#: SQL: the fault of a line that gives ``repeated`` twice.
_REPEATED_FAULT = f"[{_text(logline.BAD_FIELD)}, {_text(_BEFORE)} || repeated || {_text(_AFTER)}]"


# A batch's lines, split as lists per file so that each line meets the previous line's
# hash without a window function (which would sort a million lines). ``blobs`` holds each
# file's bytes as read once, and its lines' sha256 digests as one string.
_BLOB_LINES = f"""
SELECT file_id, line, text,
    substr(digests, {_DIGEST_CHARS} * (line - 1) + 1, {_HASH_CHARS}) AS h,
    CASE WHEN line > 1 THEN substr(digests, {_DIGEST_CHARS} * (line - 2) + 1, {_HASH_CHARS})
         ELSE '' END AS expect,
    line = parts AS cut, line >= parts - 1 AS last
FROM (
    SELECT file_id, digests, unnest(texts) AS text, generate_subscripts(texts, 1) AS line,
        len(texts) AS parts
    FROM (
        SELECT file_id, digests, string_split(try(decode(content)), chr(10)) AS texts
        FROM blobs
    )
)
WHERE line < parts OR text <> ''
"""  # noqa: S608
_HAND_LINES = """
SELECT file_id::INTEGER AS file_id, line::BIGINT AS line, text::VARCHAR AS text,
    h::VARCHAR AS h, expect::VARCHAR AS expect, cut::BOOLEAN AS cut, last::BOOLEAN AS last
FROM hand_lines
"""

# One row per line: why it does not count (fault), whether a counted event's prev breaks
# the chain, and whether the line ends in a carriage return. The cheap test for a sound
# line (every field logline defines present where required and keeping its rule) runs
# first; the tests that name a fault run only on lines that fail it. Each line is parsed
# three times (its fields, their JSON types, its names), each in one call.
_JUDGE = f"""
, parsed AS (
    SELECT *, {_REPEATED} AS repeated FROM (
        SELECT *, from_json(src, '{_STRUCT}') AS e, json_type(src, {_PATHS}) AS t,
            json_keys(src) AS keys
        FROM (
        SELECT *, CASE
            WHEN too_long THEN NULL
            WHEN json_valid(text) THEN text
            WHEN regexp_matches(text, '{_SURROGATE}')
                 AND json_valid(regexp_replace(text, '{_SURROGATE}', '\\\\ufffd', 'g'))
                THEN regexp_replace(text, '{_SURROGATE}', '\\\\ufffd', 'g')
        END AS src
        FROM (SELECT *, strlen(text) > {eventlog.MAX_LINE_BYTES} AS too_long FROM lines)
        )
    )
), judged AS (
    SELECT *, CASE
        WHEN too_long THEN ['too-long', format('the line has {{}} bytes, over {{}}',
                                               strlen(text), {eventlog.MAX_LINE_BYTES})]
        WHEN text IS NULL THEN ['not-json', 'not valid JSON: the bytes are not UTF-8 text']
        WHEN src IS NULL THEN ['not-json', 'not valid JSON']
        WHEN last AND {_lenient("src")} THEN ['not-json', {_LENIENT_DETAIL}]
        WHEN e.v = '1' AND {_SOUND} THEN NULL
        WHEN json_type(src) <> 'OBJECT' THEN ['not-json', 'valid JSON, but not an object']
        WHEN repeated IS NOT NULL THEN {_REPEATED_FAULT}
        WHEN {_kind("v")} IS NOT NULL AND e.v IS DISTINCT FROM '1'
            THEN ['unknown-version',
                  format('format version {{}}; this reader knows 1', coalesce(e.v, 'null'))]
        ELSE {_FIELD_FAULT}
    END AS flaw
    FROM parsed
)
SELECT file_id, line, h, flaw IS NULL AS counts,
    flaw IS NULL AND e.prev IS DISTINCT FROM expect AS broken,
    false AS duplicate, suffix(text, chr(13)) AS cr,
    CASE WHEN cut THEN ['truncated-line', 'the last line has no line end ('
        || CASE WHEN flaw IS NULL THEN 'it is kept, being complete' ELSE 'it is skipped' END
        || ')'] ELSE flaw END AS fault,
    CASE WHEN flaw IS NULL THEN {_COUNTED} END AS e
FROM judged
"""  # noqa: S608 (all SQL here is built from this module's constants)


def _disown(lines: str) -> str:
    """SQL: skip a line its successor does not vouch for and only DuckDB reads as JSON.

    The student side skips such a line as not JSON, so this reader does too, whatever
    it found in the line's fields. The test is costly and
    a successor that does not vouch (not counted, or with another prev) is rare: it runs
    once a batch is judged, with ``lines`` giving again the lines of ``$first``..``$last``.
    """
    return f"""
    UPDATE parsed SET counts = false, broken = false, e = NULL,
        fault = ['not-json', {_LENIENT_DETAIL}]
    FROM (
        WITH unvouched AS MATERIALIZED (
            SELECT file_id, line - 1 AS line FROM parsed
            WHERE file_id BETWEEN $first AND $last AND (NOT counts OR broken)
        )
        SELECT file_id, line FROM ({lines}) SEMI JOIN unvouched USING (file_id, line)
        WHERE {_lenient("text")}
    ) d
    WHERE parsed.file_id = d.file_id AND parsed.line = d.line
        AND (parsed.counts OR parsed.fault[1] IN {_AFTER_JSON})
    """  # noqa: S608


_DUPLICATES = """
UPDATE parsed SET duplicate = true FROM (
    SELECT file_id, line FROM parsed
    WHERE counts AND e.id IN (
        SELECT e.id FROM parsed WHERE counts GROUP BY e.id HAVING count(*) > 1)
    QUALIFY row_number() OVER (PARTITION BY e.id ORDER BY file_id, line) > 1
) d
WHERE parsed.file_id = d.file_id AND parsed.line = d.line
"""

# Mirrors eventlog.verify's reading of a break, plus the commonest innocent cause: a file
# whose line ends were turned into CRLF changes every line's bytes.
_CHAIN = """
WITH broken AS (
    SELECT b.file_id, b.line, b.e.prev AS prev, p.cr AS after_cr
    FROM parsed b LEFT JOIN parsed p ON p.file_id = b.file_id AND p.line = b.line - 1
    WHERE b.broken
), moved AS (
    SELECT b.file_id, b.prev, max(p.line) AS earlier
    FROM broken b JOIN parsed p ON p.file_id = b.file_id AND p.h = b.prev
    GROUP BY ALL
)
SELECT file_id, line, CASE
    WHEN prev = '' THEN ['edited-or-reordered', 'this line says it is the first, but it is not']
    WHEN earlier IS NOT NULL THEN ['edited-or-reordered',
        'this line was written right after line ' || earlier || ': lines were moved']
    WHEN line = 1 THEN ['removed', 'the lines before this one are missing']
    WHEN after_cr THEN ['edited-or-reordered', 'line ' || (line - 1) || ' ends in a carriage '
        || 'return: its line ends were changed (to CRLF) after it was written']
    ELSE ['edited-or-reordered',
        'line ' || (line - 1) || ' was edited, or lines between it and this one were removed']
END AS fault
FROM broken LEFT JOIN moved USING (file_id, prev)
"""


def _create_tables(con: duckdb.DuckDBPyConnection, files: list[Path]) -> None:
    con.execute(
        "CREATE TABLE files AS SELECT generate_subscripts($paths, 1) AS file_id, "
        "unnest($paths) AS path",
        {"paths": [str(path) for path in files]},
    )
    con.register("hand_lines", _hand_lines(0, b""))  # no lines: only the table's shape
    con.execute(f"CREATE TABLE parsed AS WITH lines AS ({_HAND_LINES}) {_JUDGE}")


def _batches(files: list[Path]) -> Iterator[list[tuple[int, Path]]]:
    batch: list[tuple[int, Path]] = []
    size = 0
    for file_id, path in enumerate(files, start=1):
        batch.append((file_id, path))
        size += path.stat().st_size
        if size >= _BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _read_batch(cursor: duckdb.DuckDBPyConnection, batch: list[tuple[int, Path]]) -> int:
    """Judge every line of ``batch`` into ``parsed``; return how many files it held.

    Each file is read once, here: DuckDB splits and parses the very bytes that were
    hashed, even while a student's kernel is appending to the file. A file DuckDB cannot
    decode (not UTF-8 throughout) is split in Python and then judged by the same SQL. The
    batch runs on its own ``cursor`` (one per thread, as DuckDB asks), closed when done.
    """
    contents = [path.read_bytes() for _, path in batch]
    blobs = pd.DataFrame(
        {
            "file_id": [file_id for file_id, _ in batch],
            "content": contents,
            "digests": list(map(_digests, contents)),
        }
    )
    with cursor as con:
        # Copied into DuckDB first: scanning Python objects would hold the GIL per value.
        con.register("batch", blobs)
        con.execute("CREATE TEMP TABLE blobs AS SELECT * FROM batch")
        con.execute(f"INSERT INTO parsed WITH lines AS ({_BLOB_LINES}) {_JUDGE}")
        bounds = {"first": batch[0][0], "last": batch[-1][0]}
        gaps = dict(
            con.execute(
                "SELECT file_id, bool_or(NOT counts OR broken) FROM parsed "
                "WHERE file_id BETWEEN $first AND $last GROUP BY file_id",
                bounds,
            ).fetchall()
        )
        if any(gaps.values()):
            con.execute(
                "DELETE FROM blobs WHERE NOT list_contains($gaps, file_id)",
                {"gaps": [file_id for file_id, gap in gaps.items() if gap]},
            )
            con.execute(_disown(_BLOB_LINES), bounds)
        for (file_id, _), data in zip(batch, contents, strict=True):
            if file_id not in gaps and data:
                con.register("hand_lines", _hand_lines(file_id, data))
                con.execute(f"INSERT INTO parsed WITH lines AS ({_HAND_LINES}) {_JUDGE}")
                con.execute(_disown(_HAND_LINES), {"first": file_id, "last": file_id})
    return len(batch)


def _digests(data: bytes) -> str:
    """Each line's sha256 in hex, end to end: what eventlog.chain_hash cuts, without a
    function call per line, which costs most of a second on a course's logs."""
    return "".join([hashlib.sha256(line).hexdigest() for line in data.split(b"\n")])


def _hand_lines(file_id: int, data: bytes) -> pd.DataFrame:
    """The lines of ``data`` as _BLOB_LINES gives them; a line that is not UTF-8 has no text."""
    lines = data.split(b"\n")
    rest = lines.pop()  # b"" when the file ends with a line end
    if rest:
        lines.append(rest)
    count = len(lines)
    texts = [_utf8(line) for line in lines]
    hashes = [eventlog.chain_hash(line) for line in lines]
    return pd.DataFrame(
        {
            "file_id": [file_id] * count,
            "line": range(1, count + 1),
            "text": texts,
            "h": hashes,
            "expect": ["", *hashes][:count],
            "cut": [bool(rest) and number == count for number in range(1, count + 1)],
            "last": [number == count for number in range(1, count + 1)],
        }
    )


def _utf8(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _assemble(con: duckdb.DuckDBPyConnection, include_unconfirmed: bool) -> Logs:
    """Settle what needs every line at hand; the events stay in DuckDB, as a view."""
    con.execute(_DUPLICATES)
    con.execute(f"CREATE TABLE chain AS {_CHAIN}")
    withheld = con.execute("SELECT count(*) FROM unconfirmed").fetchone()[0] > 0
    for name, sql in event_views(include_unconfirmed, withheld=withheld):
        con.execute(f"CREATE VIEW {name} AS {sql}")
    return _DuckLogs(con)


#: The events with every local line the hub service did not confirm left out.
_CONFIRMED = """
SELECT * FROM events_all a
WHERE NOT EXISTS (SELECT 1 FROM unconfirmed u WHERE u.file_id = a.file AND u.line = a.line)
"""


def event_views(include_unconfirmed: bool, *, withheld: bool) -> list[tuple[str, str]]:
    """The views every engine makes, in order: ``events_all`` (every counted event),
    ``events_confirmed`` (without the lines the hub service did not confirm) and
    ``events``, one of them as the logs were read. Without such lines, all three are one."""
    if not withheld:
        return [
            ("events", _EVENTS),
            ("events_all", "SELECT * FROM events"),
            ("events_confirmed", "SELECT * FROM events"),
        ]
    chosen = "events_all" if include_unconfirmed else "events_confirmed"
    return [
        ("events_all", _EVENTS),
        ("events_confirmed", _CONFIRMED),
        ("events", f"SELECT * FROM {chosen}"),  # noqa: S608 -- a name of ours
    ]


# The counted events, with the columns (and, for the report, the types) of the events
# frame: the metrics below run on either. ``file`` is the file's number, which orders as
# the frame's ordered categorical does; pandas keeps nanoseconds, which reach from 1677 to
# 2262 only. Like the chain's faults, the problems and the files, it is written once for
# every engine (see :mod:`._dialect`), over the ``parsed`` lines each engine judges.
_EVENTS = f"""
SELECT file_id AS file, line,
    {", ".join(f"e.{name} AS {name}" for name in _FIELDS if name != "ts")},
    CASE WHEN try_cast(e.ts AS TIMESTAMPTZ) BETWEEN '1678-01-01'::TIMESTAMPTZ
         AND '2261-12-31'::TIMESTAMPTZ THEN try_cast(e.ts AS TIMESTAMPTZ) END AS ts
FROM parsed WHERE counts AND NOT duplicate
"""  # noqa: S608


def _event_column(name: str) -> str:
    if name == "v":
        return "1 AS v"  # only lines of version 1 count
    if name in _LABELS:
        return f"{name}::{name}_label AS {name}"
    return name


_PROBLEMS = """
SELECT f.path AS file, line, fault[1] AS kind, fault[2] AS detail FROM (
    SELECT file_id, line, fault, 0 AS after FROM parsed WHERE fault IS NOT NULL
    UNION ALL SELECT file_id, line, fault, 1 FROM chain
) JOIN files f USING (file_id)
ORDER BY file_id, line, after
"""

_FILES = """
WITH counted AS (
    SELECT file_id, count(*) AS lines,
        count(*) FILTER (WHERE counts AND NOT duplicate) AS events,
        count(*) FILTER (WHERE duplicate) AS duplicates,
        count(*) FILTER (WHERE fault IS NOT NULL) AS bad,
        string_agg(DISTINCT e.student, ', ' ORDER BY e.student) AS students
    FROM parsed GROUP BY file_id
), breaks AS (
    SELECT file_id, count(*) AS breaks FROM chain GROUP BY file_id
)
SELECT path AS file, coalesce(students, '') AS students, coalesce(lines, 0) AS lines,
    coalesce(events, 0) AS events, coalesce(duplicates, 0) AS duplicates,
    coalesce(bad, 0) + coalesce(breaks, 0) AS problems,
    coalesce(bad, 0) + coalesce(breaks, 0) = 0 AS intact
FROM files LEFT JOIN counted USING (file_id) LEFT JOIN breaks USING (file_id)
ORDER BY file_id
"""


# -- metrics ---------------------------------------------------------------------------

#: One row per student, question and version they answered. Their first try there is their
#: judged attempt outside a review (FIRST_TRY) with the lowest number, ties to the earlier
#: line: ``right_first`` and its ``confidence``, both null when there is none. ``tried``:
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
                FROM events WHERE type = 'attempt' AND student IS NOT NULL
            )
            GROUP BY question, qversion, student
        )
    )
)
"""  # noqa: S608

#: Wrong answers outside reviews (a review's answers count in the spaced review), grouped
#: as the question normalised them when checking (or, for events without ``normalized``,
#: the response stripped and casefolded); the most frequent misconception key wins, ties
#: by key. An attempt without a verdict is no wrong answer.
_WRONG = """
wrong AS (
    SELECT question, qversion, student, coalesce(normalized, casefold(response)) AS answer,
        response, misconception, file, line
    FROM events
    WHERE type = 'attempt' AND correct = false AND NOT coalesce(review, false)
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
"""

_TOP_WRONG = 3
_TOP_WRONG_CHARS = 40


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
    :mod:`guessfirst.report`).
    """
    return retention_table(events, time_zone(tz))


def wrong_answers(events: pd.DataFrame) -> pd.DataFrame:
    """One row per wrong answer to each question version, the most common first.

    Answers are compared as the question normalised them when checking (``normalized``);
    for events without it, the response stripped and casefolded.
    """
    return wrong_table(events)


# The tables behind the public functions above take either an events frame or the Logs
# that read() left in DuckDB: one SQL definition of every metric, and the report never
# builds the frame.


def question_table(source: pd.DataFrame | Logs, tz: str) -> pd.DataFrame:
    """:func:`per_question` of a frame, or of logs in place; ``tz`` as time_zone() names it."""
    errors = reviewed(version_tries(REVIEWED_ROWS))
    by_version = kept("question::VARCHAR AS question, qversion::VARCHAR AS qversion")
    return _run(
        source,
        f"""
        WITH {_FIRSTS}, {_WRONG}, {errors}, review_counts AS ({by_version}), seen AS (
            SELECT question::VARCHAR AS question, qversion::VARCHAR AS qversion,
                mode(kind) FILTER (WHERE type = 'shown')::VARCHAR AS kind,
                count(DISTINCT student) FILTER (WHERE type = 'shown') AS students_shown,
                count(*) FILTER (WHERE type = 'reflection') AS reflections,
                count(DISTINCT student) FILTER (WHERE type = 'hint') AS students_hinted
            FROM events WHERE question IS NOT NULL GROUP BY question, qversion
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
            coalesce(high, 0) AS high_confidence_errors, students_shown, students_hinted,
            coalesce(students_reviewing, 0) AS students_reviewing, {_REVIEW_COLUMNS},
            {flag("1 - first_try_correct", "delayed_retention", "reviewed")} AS review_flag
        FROM seen LEFT JOIN scored USING (question, qversion)
            LEFT JOIN top USING (question, qversion)
            LEFT JOIN review_counts USING (question, qversion)
        ORDER BY first_try_error DESC NULLS LAST, question, qversion
        """,  # noqa: S608
        {"tz": tz},
    )


# The review counts of a row that had nothing reviewed are 0, and its retention undefined.
_REVIEW_COLUMNS = """coalesce(reviewed, 0) AS reviewed, delayed_retention,
    coalesce(return_errors, 0) AS return_errors, coalesce(returned_same, 0) AS returned_same"""


def student_table(source: pd.DataFrame | Logs, tz: str) -> pd.DataFrame:
    """:func:`per_student` of a frame, or of logs in place; ``tz`` as time_zone() names it."""
    errors = reviewed(question_tries(REVIEWED_ROWS))
    frame = _run(
        source,
        f"""
        WITH {_FIRSTS}, {errors}, review_counts AS ({kept("student::VARCHAR AS student")}),
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
            {_REVIEW_COLUMNS}
        FROM everyone LEFT JOIN tried USING (student) LEFT JOIN review_counts USING (student)
        ORDER BY student
        """,  # noqa: S608
        {"tz": tz},
    )
    counts = [name for name in frame.columns if name not in ("student", "delayed_retention")]
    return frame.astype(dict.fromkeys(counts, "int64") | {"delayed_retention": "float64"})


def retention_table(source: pd.DataFrame | Logs, tz: str) -> pd.DataFrame:
    """:func:`retention` of a frame, or of logs in place; ``tz`` as time_zone() names it."""
    errors = reviewed(question_tries(REVIEWED_ROWS))
    frame = _run(
        source,
        f"""
        WITH {errors}, review_counts AS ({kept("question::VARCHAR AS question")}), tried AS (
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
        """,  # noqa: S608
        {"tz": tz},
    )
    counts = ("attempted", "first_errors", "reviewed", "return_errors", "returned_same")
    return frame.astype(
        dict.fromkeys(counts, "int64")
        | {"first_try_error": "float64", "delayed_retention": "float64"}
    )


def wrong_table(source: pd.DataFrame | Logs) -> pd.DataFrame:
    """:func:`wrong_answers` of a frame, or of logs in place."""
    frame = _run(
        source,
        f"""
        WITH {_WRONG}
        SELECT * FROM wrong_answers ORDER BY question, qversion, students DESC, answer
        """,  # noqa: S608
    )
    return frame.astype({"students": "int64", "attempts": "int64"})


#: The steps of the confidence scale a student picks from (0, 1/3, 2/3, 1).
_CONFIDENCE_STEPS = 4


def confidence_table(source: pd.DataFrame | Logs) -> pd.DataFrame:
    """First tries per confidence step: how many, how many right, how many corrected.

    One row per step that occurs (``step`` 0 to 3, the nearest step to the stated
    confidence; null when none was given). First tries and corrections are those of
    :func:`per_question`, one per student and question version.
    """
    frame = _run(
        source,
        f"""
        WITH {_FIRSTS}
        SELECT CASE WHEN NOT isnan(confidence) THEN floor(
                least(greatest(confidence, 0), 1) * {_CONFIDENCE_STEPS - 1} + 0.5)::INT
            END AS step,
            count(*) AS "first", count(*) FILTER (WHERE right_first) AS "right",
            count(*) FILTER (WHERE fixed AND NOT right_first) AS fixed
        FROM firsts WHERE right_first IS NOT NULL GROUP BY step ORDER BY step
        """,  # noqa: S608
    )
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
    count, first, last, notebooks = _run(
        source,
        "SELECT count(*) AS events, min(ts) AS first, max(ts) AS last, coalesce(list(DISTINCT "
        "notebook::VARCHAR) FILTER (WHERE notebook IS NOT NULL), []) AS notebooks FROM events",
    ).iloc[0]
    return Activity(int(count), _utc(first), _utc(last), sorted(notebooks))


def _utc(value: object) -> pd.Timestamp | None:
    return None if pd.isna(value) else pd.Timestamp(value).tz_convert("UTC")


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
    points = _run(
        events,
        _graded(
            f"""
            WITH {_FIRSTS}
            SELECT student::VARCHAR AS student, question::VARCHAR AS question,
                true AS participation, bool_or(solved) AS corrected,
                coalesce(bool_or(right_first), false) AS "first-try"
            FROM firsts GROUP BY student, question
            """,  # noqa: S608
            left_out,
            view,
        ),
    )
    order = _run(
        events,
        f"""
        SELECT question::VARCHAR AS question FROM {view} WHERE question IS NOT NULL
        GROUP BY question ORDER BY min((file, line))
        """,  # noqa: S608 -- a view's name of ours
    )
    students = _run(
        events,
        f"SELECT DISTINCT student::VARCHAR AS student FROM {view} "  # noqa: S608
        "WHERE student IS NOT NULL ORDER BY student",
    )
    table = (
        points.pivot(index="student", columns="question", values=policy)
        .reindex(index=list(students["student"]), columns=list(order["question"]))
        .fillna(False)
        .astype("int64")
    )
    # A question may be called "student" or "total" too; its column must not pass for ours.
    table.columns = [f"{q} (question)" if q in _OWN_COLUMNS else q for q in table.columns]
    table["total"] = table.sum(axis=1)
    table = table.rename_axis("student").reset_index()
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


_OWN_COLUMNS = frozenset({"student", "total", "flags", "hub_confirmed"})


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


_EVENTS_SOURCE = re.compile(r"\bFROM events\b")


def _run(
    source: pd.DataFrame | Logs, sql: str, params: dict[str, object] | None = None
) -> pd.DataFrame:
    """``sql`` over the relation ``events``: a frame, or the view :func:`read` left."""
    if isinstance(source, Logs):
        return source.query(sql, params)
    with _connect() as con:
        con.register("events", source)
        return con.execute(sql, params).df()


def _connect() -> duckdb.DuckDBPyConnection:
    """A database for the metrics; its cursors share the settings and the function."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    # Python's casefold, not SQL's lower(): it is what the student side compares with.
    con.create_function("casefold", _casefold, ["VARCHAR"], "VARCHAR")
    return con


def _casefold(text: str) -> str:
    return text.strip().casefold()
