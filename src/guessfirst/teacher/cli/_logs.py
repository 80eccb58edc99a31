"""What report, grades and verify share: reading the logs as the options say, and what
to tell the teacher about them beyond the numbers (the hub's confirmations, the logs that
fail verification, a collection's flags).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from ._options import Stop, spark_engine, teacher_side
from ._terminal import (
    ID_WIDTH,
    NAMED_STUDENTS,
    clean,
    counted,
    names,
    progress_bar,
    say,
    share,
    shown_path,
)

if TYPE_CHECKING:
    from ..collect import Flag
    from ..report import Logs


def read(args: argparse.Namespace) -> Logs:
    """The logs under ``args.paths``, read by ``args.engine`` (DuckDB when the command has
    no such option); no logs there, or a missing extra, is one line."""
    with teacher_side():
        from ..report import CacheWarning, NoLogsError, read

    engine = getattr(args, "engine", "duckdb")
    try:
        with (
            spark_engine() if engine == "spark" else nullcontext(),
            warnings.catch_warnings(record=True) as notes,
        ):
            warnings.simplefilter("always", CacheWarning)
            logs = read(
                args.paths,
                engine=engine,
                master=getattr(args, "master", None),
                progress=progress_bar(sys.stderr),
                include_unconfirmed=getattr(args, "include_unconfirmed", False),
                cache=not getattr(args, "no_cache", False),
            )
    except NoLogsError as exc:
        raise Stop(clean(exc)) from None
    for note in notes:
        if issubclass(note.category, CacheWarning):
            say(f"Note: {clean(note.message)}")
        else:
            warnings.warn_explicit(note.message, note.category, note.filename, note.lineno)
    return logs


def say_hub(logs: Logs) -> None:
    """The share of each student's events the school's hub confirmed, where it has a copy."""
    hub = logs.hub
    if hub.empty:
        return
    shares = [
        f"{clean(student, ID_WIDTH)} {share(part)}"
        for student, part in zip(hub["student"], hub["hub_confirmed"], strict=True)
    ]
    shown = ", ".join(shares[:NAMED_STUDENTS])
    if len(shares) > NAMED_STUDENTS:
        shown += f" and {len(shares) - NAMED_STUDENTS} more"
    unconfirmed = int(hub["unconfirmed"].sum())
    say(f"Confirmed by the school's hub: {shown}")
    if unconfirmed:
        how = (
            "counted (--include-unconfirmed)"
            if logs.include_unconfirmed
            else "left out (--include-unconfirmed counts them)"
        )
        say(f"{counted(unconfirmed, 'event')} the hub never received {how}")


def say_failing(logs: Logs) -> None:
    """Name whose logs fail verification: their results count, but are not to be trusted;
    and how much a collection's ledger flags."""
    flags = logs.flags
    if not flags.empty:
        whose = sorted({str(s) for s in flags["student"].dropna()})
        say(
            f"The collection ledger flags {counted(len(flags), 'thing')}"
            + (f" in the logs of {names(dict.fromkeys(whose))}" if whose else "")
            + " (see guessfirst verify)"
        )
    failing = logs.files[~logs.files["intact"].astype(bool)]
    if failing.empty:
        return
    owners = [
        name
        for students, file in zip(failing["students"], failing["file"], strict=True)
        for name in (students.split(", ") if students else [shown_path(file)])
    ]
    say(
        f"{counted(len(failing), 'log')} failed verification: "
        f"{names(dict.fromkeys(owners))} (see guessfirst verify)"
    )


def say_flags(folder: Path, flags: Sequence[Flag]) -> None:
    """One line per flag: its kind, the stored copy and what the teacher should know."""
    for flag in flags:
        say(f"  {flag.kind}: {clean(shown_path(folder / flag.file))}: {clean(flag.detail)}")
