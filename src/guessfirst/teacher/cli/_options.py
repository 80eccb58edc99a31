"""What the commands share: their declaration, common options and types, and how a
failure the teacher can act on (a typo, a missing extra) becomes one line, not a traceback.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ... import __version__

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

_TEACHER_MODULES = frozenset({"duckdb", "pandas", "numpy"})
_SPARK_MODULES = frozenset({"pyspark", "py4j", "sqlglot"})
_PATH_HELP = "log files, folders (searched recursively for *.jsonl) or glob patterns"


class Stop(Exception):
    """A failure the teacher can act on: printed as one line, then exit with ``status``."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def install_hint(extra: str) -> str:
    """How to add an extra today: guessfirst is not on PyPI yet, so from a clone or a wheel."""
    wheel = f"dist/guessfirst-{__version__}-py3-none-any.whl"
    return f"pip install -e '.[{extra}]' in a clone, or pip install '{wheel}[{extra}]'"


@contextmanager
def _needs(what: str, extra: str, modules: frozenset[str]) -> Iterator[None]:
    try:
        yield
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in modules:
            raise
        raise Stop(f"{what} needs {exc.name}: {install_hint(extra)}") from None


def teacher_side() -> AbstractContextManager[None]:
    """Wrap the imports of :mod:`guessfirst.teacher.report`: without DuckDB or pandas, say how to
    install the ``teacher`` extra."""
    return _needs("the teacher side", "teacher", _TEACHER_MODULES)


def spark_engine() -> AbstractContextManager[None]:
    """Wrap a read with ``--engine spark``: without PySpark, say how to install ``spark``."""
    return _needs("the spark engine", "spark", _SPARK_MODULES)


def add_command(
    commands: Commands,
    run: Callable[[argparse.Namespace], int],
    name: str,
    summary: str,
    example: str,
    *,
    logs: bool = True,
) -> argparse.ArgumentParser:
    """A subcommand that runs ``run``, explained by ``summary`` and one ``example``; with
    ``logs``, its positional arguments are the logs to read."""
    command = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if logs:
        command.add_argument("paths", nargs="+", metavar="PATH", help=_PATH_HELP)
    command.set_defaults(run=run)
    return command


def add_unconfirmed_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--include-unconfirmed",
        action="store_true",
        help="count the lines of a student's logs that the hub service never received "
        "(collect --service-store flags them as unconfirmed; left out by default). Only "
        "those lines: unlike --include-flagged, which counts whole flagged copies",
    )


def add_engine_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="duckdb (the default) reads local logs on this computer, fast; spark reads any "
        "path Spark reaches (hdfs://, s3a://) on a cluster: needs guessfirst[spark]",
    )
    command.add_argument(
        "--master",
        metavar="URL",
        help="with --engine spark: the cluster, such as spark://host:7077, yarn or local[4] "
        "(default: Spark's own configuration, else this computer)",
    )
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="read every line again and keep no cache (by default a folder's report keeps "
        "DIR/.guessfirst-cache/, so the next one judges only the lines added since)",
    )


def positive(text: str) -> int:
    """A whole number of 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not {text!r}")
    return int(text)


def seconds(text: str, *, zero: bool = False) -> float:
    """A time limit: nan, inf and negative ones would make no bound at all."""
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and (number > 0 or (zero and number == 0))):
        least = "0 or more" if zero else "above 0"
        raise argparse.ArgumentTypeError(f"a number of seconds {least}, not {text!r}")
    return number


def seconds_or_zero(text: str) -> float:
    return seconds(text, zero=True)


def prepared(path: Path) -> Path:
    """``path`` with its folder made, so ``-o week3/report.html`` just works."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
