"""``guessfirst grades``: one grade per student and question, as CSV for a gradebook."""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from . import _logs
from ._options import (
    Stop,
    add_command,
    add_engine_options,
    add_unconfirmed_option,
    prepared,
    teacher_side,
)
from ._terminal import clean, counted, say

if TYPE_CHECKING:
    import pandas as pd

    from ._options import Commands


def add_parser(commands: Commands) -> None:
    command = add_command(
        commands,
        run,
        "grades",
        "Write one grade per student and question as CSV, for an LMS gradebook.",
        "guessfirst grades collected/ --policy corrected --roster roster.csv -o grades.csv",
    )
    command.add_argument(
        "--policy",
        default="participation",
        help="a point per question when the student attempted it (participation, the default), "
        "answered it correctly at some attempt (corrected), or at attempt 1 (first-try)",
    )
    command.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("grades.csv"),
        metavar="FILE",
        help="where the grades go (default: grades.csv)",
    )
    command.add_argument(
        "--roster",
        type=Path,
        metavar="CSV",
        help="lay the grades out for a Canvas or Moodle import: a CSV with a 'student' "
        "column (ids as in the logs) and any of name, lms_id, sis_id, login_id (or email) "
        "and section",
    )
    command.add_argument(
        "--include-flagged",
        action="store_true",
        help="count the log copies a collection's ledger flags as cut, changed or not their "
        "owner's (left out by default: their lines cannot be trusted); whole copies, unlike "
        "--include-unconfirmed",
    )
    add_unconfirmed_option(command)
    add_engine_options(command)


def run(args: argparse.Namespace) -> int:
    with teacher_side():
        from ..report import POLICIES, grades
        from ..report.export import RosterWarning, write_grades

    if args.policy not in POLICIES:
        raise Stop(f"unknown policy {args.policy!r}; choose one of: {', '.join(POLICIES)}")
    if args.roster is not None and not args.roster.is_file():
        raise Stop(f"no roster file at {clean(args.roster)}")
    logs = _logs.read(args)
    table = grades(
        logs,
        args.policy,
        include_flagged=args.include_flagged,
        include_unconfirmed=args.include_unconfirmed,
    )
    out = prepared(args.output)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RosterWarning)
        try:
            write_grades(out, table, roster=args.roster)
        except ValueError as exc:  # a roster that cannot be matched safely
            raise Stop(clean(exc)) from None
    _say_written(args, table, out)
    left_out = table.attrs.get("left_out", 0)
    if left_out:
        say(
            f"{counted(left_out, 'flagged log copy', 'flagged log copies')} left out of the "
            "grades (see guessfirst verify; --include-flagged counts them)"
        )
    for warning in caught:
        if issubclass(warning.category, RosterWarning):
            say(clean(warning.message))
    _logs.say_hub(logs)
    _logs.say_failing(logs)
    logs.close()
    return 0


def _say_written(args: argparse.Namespace, table: pd.DataFrame, out: Path) -> None:
    """How many rows were written, where, and under which policy."""
    # With a roster, each roster student (with a log or not), then the students with logs
    # the roster does not list.
    count, no_log = len(table), 0
    if args.roster is not None:
        from ..report.export import read_roster

        listed = set(read_roster(args.roster)["student"])
        with_log = set(table["student"].astype(str))
        count, no_log = len(listed | with_log), len(listed - with_log)
    without = f", {no_log} of them in the roster with no log" if no_log else ""
    say(f"Grades for {counted(count, 'student')}{without} (policy: {args.policy}): {clean(out)}")
