"""The ``guessfirst`` command: a teacher's report, grades and integrity check from collected
logs, the collection itself, sealed question banks, xAPI statements, and the hub service.

One module per command, each with its options (``add_parser``) and its ``run(args)``,
which parses, calls the teacher's library and prints. Only the standard library is
imported until a command runs: the report's imports (DuckDB, pandas) are inside the
commands that need them, so ``guessfirst --help`` answers at once and a missing teacher
extra is a one-line message, not a traceback (:func:`._options.teacher_side`). Everything
printed that came from a log goes through :func:`._terminal.clean` first.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ... import __version__
from . import _collect, _grades, _hub_service, _report, _seal, _verify, _xapi
from ._options import Stop
from ._terminal import clean, say

__all__ = ["main", "parser"]

#: The commands, in the order ``guessfirst --help`` lists them.
_COMMANDS = (_report, _grades, _verify, _collect, _seal, _hub_service, _xapi)


def parser() -> argparse.ArgumentParser:
    """The whole command line, every command's options included."""
    whole = argparse.ArgumentParser(
        prog="guessfirst",
        description="Reports, grades and integrity checks from collected guessfirst logs, "
        "and sealed question banks for students.",
    )
    whole.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = whole.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        command.add_parser(commands)
    return whole


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``guessfirst`` with ``argv`` (default: the command line); return the exit status."""
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except BrokenPipeError:
        # The reader stopped listening (``| head``): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Stop as stop:
        say(f"guessfirst {args.command}: error: {stop}", sys.stderr)
        return stop.status
    except OSError as exc:
        where = f" {clean(exc.filename)}" if exc.filename else ""
        say(f"guessfirst {args.command}: error:{where}: {exc.strerror or exc}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return status
