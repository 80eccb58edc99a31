"""``guessfirst verify``: every log's hash chain and lines, and a collection's ledger."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from . import _logs
from ._options import add_command
from ._terminal import clean, counted, plural, say, shown_path

if TYPE_CHECKING:
    from ..report import Logs
    from ._options import Commands


def add_parser(commands: Commands) -> None:
    add_command(
        commands,
        run,
        "verify",
        "Check every log's hash chain and lines, and a collection folder's ledger; exit 0 "
        "only when all are intact and nothing is flagged.",
        "guessfirst verify collected/",
    )


def run(args: argparse.Namespace) -> int:
    from .. import collect

    collections = [Path(path) for path in args.paths if collect.is_collection(path)]
    args.paths = collect.without_ledgers(args.paths)  # a ledger is collect's, not a log
    logs = _logs.read(args)
    failing = _say_files(logs)
    total = len(logs.files)
    if failing:
        say(f"{failing} of {total} {plural(total, 'file')} failed verification.")
    else:
        say(f"All {counted(total, 'file')} intact.")
    flagged = 0
    for folder in collections:
        found = collect.flags(folder)
        flagged += len(found)
        ledger = clean(shown_path(folder / collect.LEDGER))
        say(f"Ledger {ledger}: " + (counted(len(found), "flag") if found else "no flags"))
        _logs.say_flags(folder, found)
    return 1 if failing or flagged else 0


def _say_files(logs: Logs) -> int:
    """OK or PROBLEMS per file, each problem with its line; return how many failed."""
    problems = logs.problems.sort_values(["file", "line"], kind="stable")
    by_file = {file: rows for file, rows in problems.groupby("file", sort=False)}
    failing = 0
    for file, intact in zip(logs.files["file"], logs.files["intact"], strict=True):
        if intact:
            say(f"OK       {clean(shown_path(file))}")
            continue
        failing += 1
        say(f"PROBLEMS {clean(shown_path(file))}")
        rows = by_file.get(file)
        if rows is not None:
            for line, kind, detail in zip(rows["line"], rows["kind"], rows["detail"], strict=True):
                say(f"  line {line}: {clean(kind)}: {clean(detail)}")
    return failing
