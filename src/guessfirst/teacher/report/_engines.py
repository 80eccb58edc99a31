"""The engine choice, in one place: DuckDB on this machine, or Spark on a cluster.

Spark is imported here alone, and only when asked for: the default engine never pays
for it, and the Spark reader imports the schema and the metrics, never this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import pandas as pd

from . import _flags
from ._duck import read_with_duckdb
from ._logs import Logs

ENGINES = ("duckdb", "spark")


def read(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    engine: str = "duckdb",
    master: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    include_unconfirmed: bool = False,
    cache: bool = True,
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

    A read of one folder with DuckDB keeps a cache in ``DIR/.guessfirst-cache/``, so the
    next read judges only what was appended since (see :mod:`._cache`); ``cache=False``
    neither reads nor writes it. A cache that cannot be used is a :class:`CacheWarning`.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    hub = _flags.hub_of(paths)
    logs: Logs
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
        logs = read_with_duckdb(paths, progress, hub, include_unconfirmed, cache)
    logs.flags = _flags.flags_of(paths)
    logs.hub = hub.students
    logs.include_unconfirmed = include_unconfirmed
    return logs


def load(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> pd.DataFrame:
    """The events under ``paths``, one row per distinct event (see :func:`read`)."""
    return read(paths).events
