"""``guessfirst seal``: a Markdown question bank checked, and the sealed copy students get."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ._options import Stop, add_command, prepared
from ._terminal import clean, counted, say

if TYPE_CHECKING:
    from ._options import Commands


def add_parser(commands: Commands) -> None:
    command = add_command(
        commands,
        run,
        "seal",
        "Check a Markdown question bank and write the sealed copy students get.",
        "guessfirst seal lesson3.md -o students/lesson3.gfq",
        logs=False,
    )
    command.add_argument("source", type=Path, metavar="BANK", help="the bank, in Markdown")
    command.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where the sealed bank goes (default: BANK's name with .gfq)",
    )


def run(args: argparse.Namespace) -> int:
    from ...bank import BankError, load, seal

    if not args.source.is_file():
        raise Stop(f"no question bank at {clean(args.source)}")
    output = None if args.output is None else prepared(args.output)
    try:
        written = seal(args.source, output)
    except BankError as exc:
        raise Stop(clean(exc)) from None
    count = len(load(written))  # read back: what students get must load
    say(f"Sealed {counted(count, 'question')} from {clean(args.source)}: {clean(written)}")
    return 0
