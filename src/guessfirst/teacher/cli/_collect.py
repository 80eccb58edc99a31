"""``guessfirst collect``: logs from hub homes, LMS downloads, nbgrader and folders into
one collection folder, and what changed since the last collection."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _logs
from ._options import Stop, add_command
from ._terminal import ID_WIDTH, SUMMARY_ROWS, clean, counted, progress_bar, say, shown_path

if TYPE_CHECKING:
    from ._options import Commands


def add_parser(commands: Commands) -> None:
    command = add_command(
        commands,
        run,
        "collect",
        "Copy logs from hub homes, LMS downloads, nbgrader and folders into one folder, "
        "keeping every earlier copy, and flag what changed since the last collection.",
        "guessfirst collect --homes /home -o collected/\n"
        "  guessfirst collect submissions.zip nbgrader/submitted -o collected/",
        logs=False,
    )
    command.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="LMS downloads (Canvas or Moodle .zip), nbgrader submitted/ or inbound/ folders, "
        "log files, folders or glob patterns",
    )
    command.add_argument(
        "--homes",
        action="append",
        default=[],
        metavar="PATH",
        help="a folder of user homes, as on a hub (/home): each subfolder is one user, and "
        "every guessfirst-logs/*.jsonl in it is theirs; may be given more than once",
    )
    command.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="the collection folder: one folder per owner, and ledger.jsonl",
    )
    command.add_argument(
        "--roster",
        type=Path,
        metavar="CSV",
        help="who is who: a CSV with a 'student' column (ids as in the logs) and any of name, "
        "lms_id, sis_id, login_id (or email), to compare LMS owners and pseudonymous ids",
    )
    command.add_argument(
        "--service-store",
        type=Path,
        metavar="PATH",
        help="the guessfirst hub service's store folder (one <user>.jsonl per hub user): "
        "copy each file into DIR/hub-service/ and compare every student's logs with it, "
        "event by event; lines the service never received are flagged as unconfirmed",
    )


def run(args: argparse.Namespace) -> int:
    from ..collect import CollectError, collect

    if not args.sources and not args.homes and args.service_store is None:
        raise Stop("say where the logs are: --homes PATH, LMS zips, nbgrader folders or files")
    try:
        done = collect(
            args.sources,
            into=args.output,
            homes=args.homes,
            roster=args.roster,
            service_store=args.service_store,
            progress=progress_bar(sys.stderr, "Collecting"),
        )
    except CollectError as exc:
        raise Stop(clean(exc)) from None
    total = len(done.new) + len(done.updated) + done.unchanged
    say(
        f"Collected {counted(total, 'log')} into {clean(shown_path(done.folder))}: "
        f"{len(done.new)} new, {len(done.updated)} updated, {done.unchanged} unchanged."
    )
    for source, why in done.skipped:
        say(f"Skipped {clean(shown_path(source))}: {clean(why)}")
    for line, why in done.problems:
        say(f"Ledger line {line} is damaged and was not read: {clean(why)}")
    if done.confirmations is not None:
        _say_confirmations(done.confirmations)
    if done.flags:
        say(f"{counted(len(done.flags), 'flag')}:")
        _logs.say_flags(done.folder, done.flags)
    return 1 if done.flags or done.skipped or done.problems else 0


def _say_confirmations(found: dict[str, Any]) -> None:
    """What the comparison with the hub service's copies found, per student.

    ``found`` is ``hub-confirmations.json`` as read: JSON, so each value is checked.
    """
    people = [p for p in found.get("students", []) if isinstance(p, dict)]
    copies = len(found.get("copies", []))
    say(
        f"Compared {counted(copies, 'local copy', 'local copies')} with the hub service's "
        f"copies of {counted(len(people), 'student')}:"
    )
    for person in people[:SUMMARY_ROWS]:
        received, unconfirmed = person.get("received", 0), person.get("unconfirmed", 0)
        total = received + unconfirmed
        say(
            f"  {clean(person.get('student'), ID_WIDTH)}: {received} of "
            f"{counted(total, 'event')} confirmed by the hub"
            + (f", {unconfirmed} never received" if unconfirmed else "")
            + (f", {person.get('altered')} edited since sent" if person.get("altered") else "")
            + (f", {person.get('hub_only')} only at the hub" if person.get("hub_only") else "")
        )
    if len(people) > SUMMARY_ROWS:
        say(f"  ... and {len(people) - SUMMARY_ROWS} more students")
