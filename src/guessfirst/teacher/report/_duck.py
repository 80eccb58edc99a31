"""Collected logs read by DuckDB on this machine: the default engine, and the fast one.

A course's logs hold a million lines, so every per-line step (splitting, validating,
parsing) runs inside DuckDB, a batch of files at a time, and the events stay there: the
report's tables are SQL over them, and the pandas frame of every field is built only when
a notebook user asks for it. The one per-line step in Python is the chain's sha256, which
hashlib (OpenSSL) does several times faster than DuckDB's; it runs in the batch's thread
while the other batches' SQL runs outside the GIL. Python splits lines itself only in the
rare file that is not UTF-8. Much of the module is the reader's SQL, kept as data.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import duckdb
import pandas as pd

from ...log import eventlog, logline
from ..collected import find_logs
from . import _cache, _flags
from ._logs import Logs, connect, scalar
from ._schema import (
    _CHAIN,
    _COUNTED,
    _FIELD_FAULT,
    _FIELDS,
    _LABELS,
    _PATHS,
    _REPEATED,
    _REPEATED_FAULT,
    _SOUND,
    _STRUCT,
    _kind,
    event_views,
)

_BATCH_BYTES = 32 * 1024 * 1024  # bytes judged per DuckDB pass: bounds memory, paces progress
_READ_BYTES = 2 * _BATCH_BYTES  # bytes read per pass, where the cache spares most judging
_DIGEST_CHARS = 64  # a sha256 in hex: a file's digests are one string, cut in SQL
_HASH_CHARS = len(eventlog.chain_hash(b""))  # the chain keeps a digest's start


class _DuckLogs(Logs):
    """Logs read by DuckDB on this machine: the default engine, and the fast one."""

    keeps_tables = True

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


def read_with_duckdb(
    paths: list[str | os.PathLike[str]],
    progress: Callable[[int, int], None] | None,
    hub: _flags.Hub,
    include_unconfirmed: bool,
    cache: bool = True,
) -> Logs:
    found = _flags.service_first([str(path) for path in find_logs(paths)], hub)
    files = [Path(path) for path in found]
    total = len(files) + 1
    folder = _cache.folder_of(paths) if cache else None
    kept = _cache.Cache(folder, _reader()) if folder is not None else None
    con = connect()
    try:
        _create_tables(con, files)
        con.register("unconfirmed_rows", _flags.unconfirmed_rows(found, hub))
        con.execute("CREATE TABLE unconfirmed AS SELECT * FROM unconfirmed_rows")
        con.unregister("unconfirmed_rows")
        if kept is not None:
            kept.open(con)
        # A batch's lines flow through DuckDB on one thread: batches run side by side.
        workers = int(scalar(con, "SELECT current_setting('threads')"))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            running = [
                pool.submit(_read_batch, con.cursor(), batch, kept)
                for batch in _batches(files, kept)
            ]
            done = 0
            for finished in as_completed(running):
                done += finished.result()
                if progress is not None:
                    progress(done, total)
        if kept is not None:
            with con.cursor() as cursor:
                kept.restore(cursor)
                kept.save(cursor)
                kept.close(cursor)
        logs = _assemble(con, include_unconfirmed)
    except BaseException:
        con.close()
        raise
    if progress is not None:
        progress(total, total)
    return logs


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


# A batch's lines, split as lists per file so that each line meets the previous line's
# hash without a window function (which would sort a million lines). ``blobs`` holds each
# file's bytes as read once (from where the cache's rows end: ``base`` lines in, the first
# line expecting ``expect``), and its lines' sha256 digests as one string.
_BLOB_LINES = f"""
SELECT file_id, base + n AS line, text,
    substr(digests, {_DIGEST_CHARS} * (n - 1) + 1, {_HASH_CHARS}) AS h,
    CASE WHEN n > 1 THEN substr(digests, {_DIGEST_CHARS} * (n - 2) + 1, {_HASH_CHARS})
         ELSE expect END AS expect,
    n = parts AS cut, n >= parts - 1 AS last
FROM (
    SELECT file_id, base, expect, digests, unnest(texts) AS text,
        generate_subscripts(texts, 1) AS n, len(texts) AS parts
    FROM (
        SELECT file_id, base, expect, digests,
            string_split(try(decode(content)), chr(10)) AS texts
        FROM blobs
    )
)
WHERE n < parts OR text <> ''
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


@functools.cache
def _reader() -> str:
    """Whose judgments a cache holds: rows another reader judged are never restored."""
    return _cache.signature(_BLOB_LINES, _HAND_LINES, _JUDGE, _disown(_BLOB_LINES))


def _create_tables(con: duckdb.DuckDBPyConnection, files: list[Path]) -> None:
    con.execute(
        "CREATE TABLE files AS SELECT generate_subscripts($paths, 1) AS file_id, "
        "unnest($paths) AS path",
        {"paths": [str(path) for path in files]},
    )
    con.register("hand_lines", _hand_lines(0, b""))  # no lines: only the table's shape
    con.execute(f"CREATE TABLE parsed AS WITH lines AS ({_HAND_LINES}) {_JUDGE}")


def _batches(files: list[Path], kept: _cache.Cache | None) -> Iterator[list[tuple[int, Path]]]:
    """Files in batches of about _BATCH_BYTES to judge, and _READ_BYTES to read and hash.

    Each batch pays for compiling the judging SQL, so a re-run whose files the cache
    holds reads them in a few large batches: only their new lines are judged.
    """
    batch: list[tuple[int, Path]] = []
    judged = read = 0
    for file_id, path in enumerate(files, start=1):
        batch.append((file_id, path))
        size = path.stat().st_size
        read += size
        judged += kept.to_judge(path, size) if kept is not None else size
        if judged >= _BATCH_BYTES or read >= _READ_BYTES:
            yield batch
            batch, judged, read = [], 0, 0
    if batch:
        yield batch


def _read_batch(
    cursor: duckdb.DuckDBPyConnection,
    batch: list[tuple[int, Path]],
    kept: _cache.Cache | None,
) -> int:
    """Judge every line of ``batch`` into ``parsed``; return how many files it held.

    Each file is read once, here: DuckDB splits and parses the very bytes that were
    hashed, even while a student's kernel is appending to the file. A file whose verified
    prefix the cache holds is judged from where its kept rows end. A file DuckDB cannot
    decode (not UTF-8 throughout) is split in Python and then judged by the same SQL. The
    batch runs on its own ``cursor`` (one per thread, as DuckDB asks), closed when done.
    """
    contents = [path.read_bytes() for _, path in batch]
    starts = [
        kept.start(file_id, path, data) if kept is not None else _cache.FRESH
        for (file_id, path), data in zip(batch, contents, strict=True)
    ]
    tails = [
        data[start.offset :] if start.offset else data
        for data, start in zip(contents, starts, strict=True)
    ]
    blobs = pd.DataFrame(
        {
            "file_id": [file_id for file_id, _ in batch],
            "content": tails,
            "digests": list(map(_digests, tails)),
            "base": pd.array([start.base for start in starts], dtype="int64"),
            "expect": [start.expect for start in starts],
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
        for (file_id, _), data, start in zip(batch, tails, starts, strict=True):
            if file_id not in gaps and data:
                con.register("hand_lines", _hand_lines(file_id, data, start))
                con.execute(f"INSERT INTO parsed WITH lines AS ({_HAND_LINES}) {_JUDGE}")
                con.execute(_disown(_HAND_LINES), {"first": file_id, "last": file_id})
    return len(batch)


def _digests(data: bytes) -> str:
    """Each line's sha256 in hex, end to end: what eventlog.chain_hash cuts, without a
    function call per line, which costs most of a second on a course's logs."""
    return "".join([hashlib.sha256(line).hexdigest() for line in data.split(b"\n")])


def _hand_lines(file_id: int, data: bytes, start: _cache.Start = _cache.FRESH) -> pd.DataFrame:
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
            "line": range(start.base + 1, start.base + count + 1),
            "text": texts,
            "h": hashes,
            "expect": [start.expect, *hashes][:count],
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
    withheld = scalar(con, "SELECT count(*) FROM unconfirmed") > 0
    for name, sql in event_views(include_unconfirmed, withheld=withheld):
        con.execute(f"CREATE VIEW {name} AS {sql}")
    return _DuckLogs(con)


def _event_column(name: str) -> str:
    if name == "v":
        return "1 AS v"  # only lines of version 1 count
    if name in _LABELS:
        return f"{name}::{name}_label AS {name}"
    return name
