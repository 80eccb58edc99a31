"""Collected logs: turning what a teacher types (files, folders, glob patterns) into the log
files to read. Standard library only, so that commands which need no report can use it."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

_MAGIC = frozenset("*?[")


class NoLogsError(FileNotFoundError):
    """A path that does not exist, or paths that hold no ``*.jsonl`` log at all."""


def find_logs(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> list[Path]:
    """The log files ``paths`` name, sorted and each once.

    A file counts as given, whatever its name; a folder is searched recursively for
    ``*.jsonl``; a pattern is expanded (``**`` reaches into sub-folders). A path that
    exists is taken literally even when its name holds ``[`` or ``*``, because collected
    folders are named by people. A file reached twice (a folder and a pattern inside it,
    or through a link) is read once.
    """
    given = [Path(path).expanduser() for path in _listed(paths)]
    found: set[Path] = set()
    for path in given:
        if path.exists():
            found.update(_logs_at(path))
            continue
        # Path.glob takes no absolute pattern, and teachers type absolute ones.
        matches = glob.glob(str(path), recursive=True) if _MAGIC & set(str(path)) else []  # noqa: PTH207
        if not matches:
            raise NoLogsError(f"No such file or folder: {path}")
        for match in matches:
            found.update(_logs_at(Path(match)))
    if not found:
        names = ", ".join(str(path) for path in given) or "(no path given)"
        raise NoLogsError(f"No guessfirst logs (*.jsonl files) in: {names}")
    return sorted(found, key=str)


def _listed(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
) -> list[str | os.PathLike[str]]:
    # A lone path is iterable too (a str by characters): a teacher in a notebook writes
    # load("logs") as often as load(["logs"]).
    return [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)


def _logs_at(path: Path) -> list[Path]:
    """The logs in a folder, or a file given by name; a collection's own ledger, found in
    its folder, is the teacher's record and no student's log."""
    if path.is_dir():
        return [
            log.resolve() for log in path.rglob("*.jsonl") if log.is_file() and not _ledger(log)
        ]
    return [path.resolve()] if path.is_file() else []


def _ledger(path: Path) -> bool:
    from .collect import LEDGER, is_ledger

    return path.name == LEDGER and is_ledger(path)
