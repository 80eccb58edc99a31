"""Collected logs read by Apache Spark: the same report for a district's or a MOOC's logs.

Spark reads what it can reach (local folders, ``hdfs://``, ``s3a://``), each file whole, so
that every line keeps its number and its sha256 for the hash chain. It judges each line by
the definition of :mod:`guessfirst.log.logline`, through the SQL DuckDB's reader runs (see
:mod:`._schema`; the parity tests hold the two together), keeps the judged lines in its
cache, and from there runs the very SQL of the chain, the events view, the files, the
problems and every metric, rewritten for Spark by :mod:`._dialect`.

Two rare lines read differently: a line that only a lenient JSON reader accepts (NaN,
Infinity, a trailing comma) is "not valid JSON" here wherever it is, and a line that is
not UTF-8 is read with replacement characters, so the chain breaks after it instead.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
from pyspark import SparkConf, SparkContext
from pyspark.errors import AnalysisException
from pyspark.java_gateway import launch_gateway
from pyspark.sql import SparkSession

from ...log import eventlog
from ..collected import NoLogsError
from ._dialect import to_spark
from ._flags import Hub, service_first, unconfirmed_rows
from ._logs import Logs
from ._schema import _CHAIN, _COUNTED, _FIELD_FAULT, _NAMES, _READ, _REPEATED_FAULT, event_views

# PySpark warns, on each conversion to pandas, that pandas 3 is newer than it was tested
# with and that its own calls use deprecated pandas arguments: words for PySpark's authors,
# not for a teacher. The report's results are small tables of plain types, and the parity
# tests compare them with the DuckDB engine's.
warnings.filterwarnings("ignore", module="pyspark")

#: Where the Java process behind Spark writes what it prints: a teacher's terminal shows
#: the report's words only.
SPARK_LOG = Path(tempfile.gettempdir()) / "guessfirst-spark.log"
#: Spark's own log lines, errors only.
_LOG_SETTINGS = Path(__file__).with_name("spark-log4j2.properties")
_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",  # as the DuckDB engine: days come from $tz
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_LOG_SETTINGS.as_uri()}",
    # Without pyarrow, Spark would warn on every result before converting it row by row.
    "spark.sql.execution.arrow.pyspark.enabled": "false",
}
#: Set on every session the report runs in, a new one or not: a line that gives a name
#: twice is still read as JSON, so that the judge names the field, as the other readers do.
_SQL_SETTINGS = {"spark.sql.variant.allowDuplicateKeys": "true"}
#: On this machine alone: Python workers run this process's Python, a course's logs fit in
#: the heap the judged lines are cached in (Spark's default 1 GiB does not hold 1,000,000),
#: and a shuffle is split for two cores, not for a cluster's two hundred.
_LOCAL_SETTINGS = {
    "spark.pyspark.python": sys.executable,
    "spark.driver.memory": "4g",
    "spark.sql.shuffle.partitions": "8",
}
_SPARK_TYPES = {"JSON": "BIGINT", "VARCHAR": "STRING"}
_SCHEMA = ", ".join(f"`{name}` {_SPARK_TYPES.get(kind, kind)}" for name, kind in _READ.items())
_HASH_CHARS = len(eventlog.chain_hash(b""))

#: Spark's JSON parser reads no number of over 1,000 characters. In the rare line that may
#: hold one, each such number is written again as the double it is (1e999 when infinite),
#: as DuckDB and the student side read it: a field holding one is then named as theirs is.
_LONG_NUMBER = 1000
#: A line's strings, numbers and the rest, in turn (Java's regular expressions).
_TOKENS = r"""'"[^"\\\\]*+(?:\\\\.[^"\\\\]*+)*+"|-?[0-9][0-9.eE+-]*|[^"0-9-]+|[\\s\\S]'"""
_AS_READ = f"""CASE
    WHEN text NOT RLIKE '[0-9.eE+-]{{{_LONG_NUMBER + 1}}}' THEN text
    ELSE array_join(transform(regexp_extract_all(text, {_TOKENS}, 0), token -> CASE
        WHEN length(token) <= {_LONG_NUMBER} OR token NOT RLIKE '^-?[0-9]' THEN token
        WHEN try_cast(token AS DOUBLE) IS NULL THEN token
        WHEN try_cast(token AS DOUBLE) = double('Infinity') THEN '1e999'
        WHEN try_cast(token AS DOUBLE) = double('-Infinity') THEN '-1e999'
        ELSE cast(try_cast(token AS DOUBLE) AS STRING) END), '')
END"""
#: Spark's name of the type of a field's value ``s``, as DuckDB's json_type names it.
_JSON_TYPE = """CASE WHEN s = 'STRING' THEN 'VARCHAR' WHEN s = 'VOID' THEN 'NULL'
    WHEN s = 'DOUBLE' OR s LIKE 'DECIMAL%' THEN 'DOUBLE' WHEN s LIKE 'ARRAY%' THEN 'ARRAY'
    WHEN s LIKE 'OBJECT%' THEN 'OBJECT' ELSE s END"""
#: ``t`` as the judge's SQL reads it: the type of each field of _NAMES, null when absent.
_TYPES = (
    "transform(array("
    + ", ".join(f"schema_of_variant(variant_get(j, '$.{name}'))" for name in _NAMES)
    + f"), s -> {_JSON_TYPE})"
)
#: A lone surrogate (a browser sends one) is no JSON to Spark's parser: a line that is no
#: JSON with one is read with U+FFFD in place of each, as DuckDB's reader reads it.
_LONE = r"'\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}'"
_FFFD = r"'\\\\ufffd'"
#: The first name a line gives a second time.
_REPEATED = "try_element_at(filter(keys, (key, i) -> array_position(keys, key) <= i), 1)"

# Each file's lines, numbered from 1, with their chain hash and the previous line's (taken
# from the file's list of hashes: no window sorts a million lines); the empty piece after a
# final line end is no line, and a last line without one is cut. A line is judged as
# DuckDB's reader judges it, in the same order of faults, by the same SQL from the first
# name given twice on (see :mod:`._schema`), rewritten for Spark.
_JUDGE = f"""
WITH files_read AS (
    SELECT /*+ BROADCAST(f) */ f.file_id, r.texts,
        transform(r.texts, text -> substr(sha2(text, 256), 1, {_HASH_CHARS})) AS hashes
    FROM (SELECT regexp_replace(uri, '^file:///', 'file:/') AS uri,
              split(value, '\\n', -1) AS texts
          FROM raw) r
    JOIN files f ON f.uri = r.uri  -- a few rows: sent to every task, the logs stay put
), lines AS (
    SELECT file_id, piece.pos + 1 AS line, piece.text, hashes[piece.pos] AS h,
        CASE WHEN piece.pos > 0 THEN hashes[piece.pos - 1] ELSE '' END AS expect,
        size(texts) AS parts
    FROM files_read LATERAL VIEW posexplode(texts) piece AS pos, text
    WHERE piece.pos + 1 < size(texts) OR piece.text <> ''
), judged AS (
    SELECT *, CASE
        WHEN octet_length(text) > {eventlog.MAX_LINE_BYTES} THEN array('too-long',
            'the line has ' || octet_length(text) || ' bytes, over {eventlog.MAX_LINE_BYTES}')
        WHEN j IS NULL THEN array('not-json', 'not valid JSON')
        WHEN keys IS NULL THEN array('not-json', 'valid JSON, but not an object')
        WHEN repeated IS NOT NULL THEN {to_spark(_REPEATED_FAULT)}
        WHEN array_contains(keys, 'v') AND e.v IS DISTINCT FROM 1 THEN array('unknown-version',
            'format version ' || coalesce(get_json_object(src, '$.v'), 'null')
            || '; this reader knows 1')
        ELSE {to_spark(_FIELD_FAULT)}
    END AS flaw
    -- Each line is parsed once for each of its readings: through generators, which
    -- Spark's optimizer does not inline into every later use of what they give (it would
    -- parse a line 20 times).
    FROM lines
    LATERAL VIEW inline(array(named_struct('read', {_AS_READ}))) numbers
    LATERAL VIEW inline(array(named_struct('first', try_parse_json(read)))) strict
    LATERAL VIEW inline(array(named_struct('src', CASE WHEN first IS NULL AND read RLIKE {_LONE}
        THEN regexp_replace(read, {_LONE}, {_FFFD}) ELSE read END))) unpaired
    LATERAL VIEW inline(array(named_struct(
        'keys', json_object_keys(src),
        'e', from_json(src, '{_SCHEMA}', map('allowNonNumericNumbers', 'false')),
        'j', coalesce(first, try_parse_json(src))))) parsed
    LATERAL VIEW inline(array(named_struct('t', {_TYPES}, 'repeated', {_REPEATED}))) typed
)
SELECT file_id, line, h, flaw IS NULL AS counts,
    flaw IS NULL AND e.prev IS DISTINCT FROM expect AS broken,
    flaw IS NULL AND row_number() OVER (
        PARTITION BY flaw IS NULL, e.id ORDER BY file_id, line) > 1 AS duplicate,
    endswith(text, chr(13)) AS cr,
    CASE WHEN line = parts THEN array('truncated-line', 'the last line has no line end ('
        || CASE WHEN flaw IS NULL THEN 'it is kept, being complete' ELSE 'it is skipped' END
        || ')') ELSE flaw END AS fault,
    CASE WHEN flaw IS NULL THEN {to_spark(_COUNTED)} END AS e
FROM judged
"""  # noqa: S608 (built from this module's constants)


class SparkLogs(Logs):
    """Logs read by Spark: its cache holds the judged lines, and the report queries them."""

    def __init__(self, spark: SparkSession) -> None:
        self._spark = spark

    def query(self, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
        result = self._spark.sql(to_spark(sql, params))
        frame: pd.DataFrame = result.toPandas()
        # Spark's TIMESTAMP is an instant shown in the session's zone, UTC, as DuckDB's is.
        for name, kind in result.dtypes:
            if kind == "timestamp":
                frame[name] = pd.to_datetime(frame[name]).dt.tz_localize("UTC")
        return frame

    def close(self) -> None:
        self._spark.catalog.clearCache()


def session(master: str | None = None) -> SparkSession:
    """The Spark session the report runs in: ``master``'s, or Spark's configured default.

    A session already running in this process is used as it is. A new one writes what
    Java and Spark print to :data:`SPARK_LOG`, not to the teacher's terminal.
    """
    spark = SparkSession.getActiveSession()
    if spark is None:
        conf = SparkConf().setAppName("guessfirst report").setAll(list(_SETTINGS.items()))
        if master is not None:
            conf.setMaster(master)
        if (master or "local").startswith("local"):
            conf.setAll(list(_LOCAL_SETTINGS.items()))
        with SPARK_LOG.open("wb") as log:
            gateway = launch_gateway(conf, popen_kwargs={"stdout": log, "stderr": log})
        SparkContext(conf=conf, gateway=gateway)
        spark = SparkSession.builder.getOrCreate()
    for key, value in _SQL_SETTINGS.items():
        spark.conf.set(key, value)
    # PySpark logs every failed query's stack as JSON; the report says what went wrong.
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    # Python's casefold, not SQL's lower(): it is what the student side compares with. The
    # function refers to nothing of guessfirst, so a cluster's workers need only Python.
    spark.udf.register(
        "casefold", lambda text: None if text is None else text.strip().casefold(), "string"
    )
    return spark


def read(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    master: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    hub: Hub | None = None,
    include_unconfirmed: bool = False,
) -> SparkLogs:
    """Read and judge every ``*.jsonl`` log under ``paths`` with Spark (see :func:`session`).

    A path is a file, a folder (searched recursively) or a glob, local or any URI Spark
    reads. ``progress(done, total)`` is called after each of three steps: starting Spark,
    judging every line, and settling the chain. Raises NoLogsError when the paths hold no
    logs. ``hub`` and ``include_unconfirmed`` are as the DuckDB engine takes them: the hub
    service's copies are numbered first, and the lines it did not confirm left out.
    """
    hub = hub or Hub()
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    step = progress or (lambda done, total: None)
    spark = session(master)
    step(1, 3)
    try:
        raw = spark.read.text(
            [_spark_path(path) for path in given],
            wholetext=True,
            recursiveFileLookup=True,
            pathGlobFilter="*.jsonl",
        )
    except AnalysisException as exc:
        missing = (exc.getMessageParameters() or {}).get("path")
        if missing is None:
            raise
        raise NoLogsError(f"No such file or folder: {_shown(missing)}") from None
    uris = raw.inputFiles()
    if not uris:
        raise NoLogsError(f"No guessfirst logs (*.jsonl files) in: {', '.join(map(str, given))}")
    raw.selectExpr("_metadata.file_path AS uri", "value").createOrReplaceTempView("raw")
    uri_of = {_shown(uri): uri.replace("file:///", "file:/", 1) for uri in uris}
    order = service_first(list(uri_of), hub)
    spark.createDataFrame(
        [(number, path, uri_of[path]) for number, path in enumerate(order, start=1)],
        "file_id INT, path STRING, uri STRING",
    ).createOrReplaceTempView("files")
    withheld = unconfirmed_rows(order, hub)
    spark.createDataFrame(
        [(int(a), int(b)) for a, b in zip(withheld["file_id"], withheld["line"], strict=True)],
        "file_id INT, line INT",
    ).createOrReplaceTempView("unconfirmed")
    _cached(spark, "parsed", _JUDGE)
    step(2, 3)
    _cached(spark, "chain", to_spark(_CHAIN))
    for name, sql in event_views(include_unconfirmed, withheld=not withheld.empty):
        spark.sql(to_spark(sql)).createOrReplaceTempView(name)
    step(3, 3)
    return SparkLogs(spark)


def _cached(spark: SparkSession, name: str, sql: str) -> None:
    """Run ``sql`` once, now, and keep its rows: every later query starts from them."""
    frame = spark.sql(sql).cache()
    frame.count()
    frame.createOrReplaceTempView(name)


def _spark_path(path: str | os.PathLike[str]) -> str:
    """A path as Spark reads it: a URI as given, a local path with ``~`` expanded."""
    text = os.fspath(path)
    return text if "://" in text else str(Path(text).expanduser().absolute())


def _shown(uri: str) -> str:
    """A file as the report names it: a local path as the DuckDB engine does, else the URI."""
    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" else uri
