"""Collected logs read by Apache Spark: the same report for a district's or a MOOC's logs.

Spark reads what it can reach (local folders, ``hdfs://``, ``s3a://``), each file whole, so
that every line keeps its number and its sha256 for the hash chain. It judges each line by
the rules DuckDB's reader applies (see :mod:`._engine`; the parity tests hold the two
together), keeps the judged lines in its cache, and from there runs the very SQL of the
chain, the events view, the files, the problems and every metric, rewritten for Spark by
:mod:`._dialect`.

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

from .. import eventlog
from ..collected import NoLogsError
from ._dialect import to_spark
from ._engine import _CHAIN, _EVENTS, _FIELDS, Logs

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
#: On this machine alone: Python workers run this process's Python, a course's logs fit in
#: the heap the judged lines are cached in (Spark's default 1 GiB does not hold 1,000,000),
#: and a shuffle is split for two cores, not for a cluster's two hundred.
_LOCAL_SETTINGS = {
    "spark.pyspark.python": sys.executable,
    "spark.driver.memory": "4g",
    "spark.sql.shuffle.partitions": "8",
}
_SPARK_TYPES = {"JSON": "BIGINT", "VARCHAR": "STRING"}
_SCHEMA = ", ".join(f"`{name}` {_SPARK_TYPES.get(kind, kind)}" for name, kind in _FIELDS.items())
_REQUIRED = "array(" + ", ".join(f"'{name}'" for name in sorted(eventlog.REQUIRED_FIELDS)) + ")"
_HASH_CHARS = len(eventlog.chain_hash(b""))

# Each file's lines, numbered from 1, with their chain hash and the previous line's (taken
# from the file's list of hashes: no window sorts a million lines); the empty piece after a
# final line end is no line, and a last line without one is cut. A line is judged as
# DuckDB's reader judges it, in the same order of faults.
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
        WHEN keys IS NULL AND try_parse_json(text) IS NULL THEN array('not-json', 'not valid JSON')
        WHEN keys IS NULL THEN array('not-json', 'valid JSON, but not an object')
        WHEN array_contains(keys, 'v') AND e.v IS DISTINCT FROM 1 THEN array('unknown-version',
            'format version ' || coalesce(get_json_object(text, '$.v'), 'null')
            || '; this reader knows 1')
        WHEN size(array_except({_REQUIRED}, keys)) > 0 THEN array('missing-field',
            'missing field(s): ' || array_join(array_except({_REQUIRED}, keys), ', '))
    END AS flaw
    -- Each line is parsed once: through a generator, which Spark's optimizer does not
    -- inline into every later use of ``keys`` and ``e`` (it would parse a line 20 times).
    FROM lines LATERAL VIEW inline(array(named_struct(
        'keys', json_object_keys(text),
        'e', from_json(text, '{_SCHEMA}', map('allowNonNumericNumbers', 'false'))))) parsed
)
SELECT file_id, line, h, flaw IS NULL AS counts,
    flaw IS NULL AND e.prev IS DISTINCT FROM expect AS broken,
    flaw IS NULL AND row_number() OVER (
        PARTITION BY flaw IS NULL, e.id ORDER BY file_id, line) > 1 AS duplicate,
    endswith(text, chr(13)) AS cr,
    CASE WHEN line = parts THEN array('truncated-line', 'the last line has no line end ('
        || CASE WHEN flaw IS NULL THEN 'it is kept, being complete' ELSE 'it is skipped' END
        || ')') ELSE flaw END AS fault,
    CASE WHEN flaw IS NULL THEN e END AS e
FROM judged
"""  # noqa: S608 (built from this module's constants)


class SparkLogs(Logs):
    """Logs read by Spark: its cache holds the judged lines, and the report queries them."""

    def __init__(self, spark: SparkSession) -> None:
        self._spark = spark

    def query(self, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
        result = self._spark.sql(to_spark(sql, params))
        frame = result.toPandas()
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
) -> SparkLogs:
    """Read and judge every ``*.jsonl`` log under ``paths`` with Spark (see :func:`session`).

    A path is a file, a folder (searched recursively) or a glob, local or any URI Spark
    reads. ``progress(done, total)`` is called after each of three steps: starting Spark,
    judging every line, and settling the chain. Raises NoLogsError when the paths hold no
    logs.
    """
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
    named = sorted((_shown(uri), uri.replace("file:///", "file:/", 1)) for uri in uris)
    spark.createDataFrame(
        [(number, path, uri) for number, (path, uri) in enumerate(named, start=1)],
        "file_id INT, path STRING, uri STRING",
    ).createOrReplaceTempView("files")
    _cached(spark, "parsed", _JUDGE)
    step(2, 3)
    _cached(spark, "chain", to_spark(_CHAIN))
    spark.sql(to_spark(_EVENTS)).createOrReplaceTempView("events")
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
