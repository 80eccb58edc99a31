"""``guessfirst xapi``: the logs as xAPI 1.0.3 statements, written to a file or pushed to
an LRS.

Secrets (the pseudonym salt, the LRS password or token) can come from the environment
instead of the command line, which ``ps`` shows to every user of the machine. The LRS
client (:mod:`guessfirst.teacher.lrs`, with ssl and http) is imported where it is used: it would
add some 35 ms to every ``guessfirst --help``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ._options import Stop, add_command, positive, prepared, seconds, seconds_or_zero
from ._terminal import clean, counted, names, progress_bar, say, shown_path

if TYPE_CHECKING:
    from ...log.eventlog import Problem
    from .. import lrs
    from ._options import Commands

_SALT_VARIABLE = "GUESSFIRST_XAPI_SALT"
_PASSWORD_VARIABLE = "GUESSFIRST_LRS_PASSWORD"  # noqa: S105 (a variable's name)
_TOKEN_VARIABLE = "GUESSFIRST_LRS_TOKEN"  # noqa: S105 (a variable's name)
_LRS_ONLY = ("user", "password", "token", "batch_size", "from_start", "timeout", "retry_budget")


def run(args: argparse.Namespace) -> int:
    from .. import lrs
    from ..collected import NoLogsError, find_logs

    given = any(getattr(args, name) for name in _LRS_ONLY) or args.retry_budget is not None
    if args.output is not None and given:
        raise Stop(
            "--user, --password, --token, --batch-size, --from-start, --timeout and "
            "--retry-budget go with --lrs"
        )
    try:
        options = lrs.Options(args.activity_base, args.home_page, _salt(args), args.text)
        client = None if args.lrs is None else _client(args)
    except ValueError as exc:
        raise Stop(clean(exc)) from None
    try:
        logs = find_logs(args.paths)
    except NoLogsError as exc:
        raise Stop(clean(exc)) from None
    if client is None:
        return _export(logs, options, args.output)
    return _push(logs, options, client, args)


def _client(args: argparse.Namespace) -> lrs.Client:
    from .. import lrs

    timing = {"deadline": args.timeout, "budget": args.retry_budget}
    given = {name: value for name, value in timing.items() if value is not None}
    return lrs.Client(args.lrs, _authorization(args), **given)


def _salt(args: argparse.Namespace) -> str | None:
    """The pseudonym salt; privacy is on by default, so real ids must be asked for."""
    if args.real_ids:
        return None
    salt: str | None = args.pseudonymize or os.environ.get(_SALT_VARIABLE)
    if not salt:
        raise Stop(
            f"say how students are named: --pseudonymize SALT (or {_SALT_VARIABLE}), "
            "an HMAC only the salt's keeper can map back, or --real-ids"
        )
    return salt


def _authorization(args: argparse.Namespace) -> str:
    """The LRS credentials, from the environment where they stay out of ``ps``."""
    from .. import lrs

    if args.user is None:
        if args.password is not None:
            raise Stop("--password goes with --user")
        token = args.token or os.environ.get(_TOKEN_VARIABLE)
        if not token:
            raise Stop(
                f"the LRS needs credentials: --user NAME (password in {_PASSWORD_VARIABLE}), "
                f"or a token in {_TOKEN_VARIABLE}"
            )
        return lrs.token_auth(token)
    password = args.password if args.password is not None else os.environ.get(_PASSWORD_VARIABLE)
    if password is None and sys.stdin is not None and sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"LRS password for {args.user}: ")
    if password is None:
        raise Stop(f"no password for {clean(args.user)}: set {_PASSWORD_VARIABLE}")
    return lrs.basic_auth(args.user, password)


def _export(logs: list[Path], options: lrs.Options, output: str) -> int:
    from .. import lrs

    exported = lrs.export(logs, options, progress=progress_bar(sys.stderr))
    data = lrs.dumps(exported.statements)
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        where, stream = "standard output", sys.stderr
    else:
        out = prepared(Path(output))
        out.write_bytes(data)
        where, stream = clean(out), sys.stdout
    say(
        f"{counted(len(exported.statements), 'statement')} from {counted(len(logs), 'log')} "
        f"({_privacy(options)}): {where}",
        stream,
    )
    _say_unverified(exported.problems, stream)
    return 0


def _push(
    logs: list[Path], options: lrs.Options, client: lrs.Client, args: argparse.Namespace
) -> int:
    from .. import lrs

    bar = progress_bar(sys.stderr, "Sending")
    pushed = lrs.push(
        logs,
        client,
        options,
        batch_size=args.batch_size or lrs.BATCH_SIZE,
        from_start=args.from_start,
        progress=bar,
    )
    if bar and pushed.error is not None:
        bar(1, 1)  # a push that stopped early leaves its bar drawn: erase it
    where = clean(client.url)
    if pushed.sent:
        say(
            f"Sent {counted(pushed.sent, 'statement')} to {where} "
            f"({pushed.held} already there; {_privacy(options)})."
        )
    elif pushed.error is None:
        say(f"Nothing new to send to {where}.")
    for path, reason in pushed.refused.items():
        say(f"Not sent: {clean(shown_path(path))}: {clean(reason)} (--from-start sends it all)")
    _say_unverified(pushed.problems)
    if pushed.error is not None:
        resume = "; the same command resumes from there" if pushed.sent else ""
        raise Stop(clean(pushed.error) + resume, status=1)
    return 1 if pushed.refused else 0


def _privacy(options: lrs.Options) -> str:
    named = "student ids as in the logs" if options.pseudonymize is None else "pseudonymized"
    return named + (", free text included" if options.text else ", no free text")


def _say_unverified(problems: Sequence[Problem], stream: TextIO | None = None) -> None:
    files = dict.fromkeys(Path(problem.file).name for problem in problems)
    if files:
        say(
            f"{counted(len(files), 'log')} failed verification: {names(files)} "
            "(see guessfirst verify)",
            stream,
        )


def add_parser(commands: Commands) -> None:
    command = add_command(
        commands,
        run,
        "xapi",
        "Turn the logs into xAPI 1.0.3 statements: a JSON file, or a push to an LRS.",
        "guessfirst xapi collected/ --activity-base https://school.example/guessfirst "
        '--home-page https://hub.school.example --pseudonymize "$SALT" -o statements.json\n'
        "  GUESSFIRST_LRS_PASSWORD=... guessfirst xapi collected/ --activity-base "
        "https://school.example/guessfirst --home-page https://hub.school.example "
        "--real-ids --lrs https://lrs.school.example/xapi --user teacher",
    )
    where = command.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "-o", "--output", metavar="FILE", help="write the statements to FILE ('-': standard output)"
    )
    where.add_argument(
        "--lrs",
        metavar="URL",
        help="send them to the LRS whose xAPI endpoint is URL; a cursor file beside each log "
        "remembers what is there, so the next run sends only what is new",
    )
    command.add_argument(
        "--activity-base",
        required=True,
        metavar="IRI",
        help="your school's address for guessfirst activities: questions become IRI/questions/<id>",
    )
    command.add_argument(
        "--home-page",
        required=True,
        metavar="URL",
        help="the system the student ids belong to, such as your JupyterHub",
    )
    named = command.add_mutually_exclusive_group()
    named.add_argument(
        "--pseudonymize",
        metavar="SALT",
        help=f"name students by an HMAC of their id; keep the salt (or set {_SALT_VARIABLE})",
    )
    named.add_argument(
        "--real-ids", action="store_true", help="name students by their ids as in the logs"
    )
    command.add_argument(
        "--text",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="include free text: text answers and reflections (default: left out)",
    )
    _add_push_options(command.add_argument_group("pushing to an LRS"))


def _add_push_options(pushing: argparse._ArgumentGroup) -> None:
    who = pushing.add_mutually_exclusive_group()
    who.add_argument(
        "--user", help=f"the LRS user; its password from {_PASSWORD_VARIABLE}, else asked"
    )
    who.add_argument(
        "--token",
        help=f"a bearer token, or a whole 'Basic ...' credential (better: {_TOKEN_VARIABLE})",
    )
    pushing.add_argument(
        "--password", help=f"the password (shown to other users by ps: prefer {_PASSWORD_VARIABLE})"
    )
    pushing.add_argument(
        "--batch-size", type=positive, metavar="N", help="statements per request (default: 100)"
    )
    pushing.add_argument(
        "--from-start",
        action="store_true",
        help="ignore the cursors and send everything again; the LRS keeps what it has",
    )
    pushing.add_argument(
        "--timeout",
        type=seconds,
        metavar="SECONDS",
        help="the longest one request may take, from connecting to the last byte of the "
        "answer, however slowly that comes (default: 60)",
    )
    pushing.add_argument(
        "--retry-budget",
        type=seconds_or_zero,
        metavar="SECONDS",
        help="the most time the whole push may lose to failed requests and the waits before "
        "retrying them; the push stops, to resume later, rather than begin a wait that would "
        "pass it, such as a long Retry-After; 0 never retries (default: 300)",
    )
