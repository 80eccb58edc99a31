"""The ``guessfirst`` command: a teacher's report, grades and integrity check from collected logs,
and the sealing of a question bank.

Only the standard library is imported here. Each command imports ``guessfirst.report``
(and with it DuckDB and pandas) when it runs, so ``guessfirst --help`` answers at once and
a missing teacher extra is a one-line message, not a traceback. Everything printed that
came from a log (ids, file names, details) is passed through :func:`_clean` first: a log
is student-controlled and must not be able to drive the teacher's terminal.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from . import __version__

_EXTRA_MODULES = frozenset({"duckdb", "pandas", "numpy"})
_SPARK_MODULES = frozenset({"pyspark", "py4j", "sqlglot"})
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ID_WIDTH = 32
_SUMMARY_ROWS = 20
_NAMED_STUDENTS = 10
_BAR_WIDTH = 30
#: Seconds a run must last before a progress bar appears: short runs stay quiet.
_BAR_DELAY = 0.5

# Problems that break the hash chain; every other kind is a line that could not be read.
_CHAIN_KINDS = frozenset({"edited-or-reordered", "removed"})
_PATH_HELP = "log files, folders (searched recursively for *.jsonl) or glob patterns"


def _install_hint(extra: str) -> str:
    """How to add an extra today: guessfirst is not on PyPI yet, so from a clone or a wheel."""
    wheel = f"dist/guessfirst-{__version__}-py3-none-any.whl"
    return f"pip install -e '.[{extra}]' in a clone, or pip install '{wheel}[{extra}]'"


class _Stop(Exception):
    """A failure the teacher can act on: printed as one line, then exit with ``status``."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``guessfirst`` with ``argv`` (default: the command line); return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader stopped listening (``| head``): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except _Stop as stop:
        _say(f"guessfirst {args.command}: error: {stop}", sys.stderr)
        return stop.status
    except OSError as exc:
        where = f" {_clean(exc.filename)}" if exc.filename else ""
        _say(f"guessfirst {args.command}: error:{where}: {exc.strerror or exc}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


# -- the commands ----------------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    report = _teacher()
    from .report.export import write_csvs

    zone = _zone(report, args.tz)
    logs = _read(report, args)
    built = report.Report(logs, tz=zone)
    page = built.html(title=args.title)
    out = _prepared(args.output)
    out.write_text(page, encoding="utf-8")
    _say_lines([*_summary_table(built.questions), _counts(built)])
    _say_hub(logs)
    _say_failing(logs)
    _say(f"Report: {_clean(out)}")
    if args.csv is not None:
        tables = {
            "questions": built.questions,
            "students": built.students,
            "wrong": built.wrong,
            "retention": built.retention,
        }
        for written in write_csvs(args.csv, **tables):
            _say(f"CSV: {_clean(written)}")
    logs.close()
    return 0


def _grades(args: argparse.Namespace) -> int:
    report = _teacher()
    from .report.export import RosterWarning, read_roster, write_grades

    if args.policy not in report.POLICIES:
        raise _Stop(f"unknown policy {args.policy!r}; choose one of: {', '.join(report.POLICIES)}")
    if args.roster is not None and not args.roster.is_file():
        raise _Stop(f"no roster file at {_clean(args.roster)}")
    logs = _read(report, args)
    table = report.grades(
        logs,
        args.policy,
        include_flagged=args.include_flagged,
        include_unconfirmed=args.include_unconfirmed,
    )
    out = _prepared(args.output)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RosterWarning)
        try:
            write_grades(out, table, roster=args.roster)
        except ValueError as exc:  # a roster that cannot be matched safely
            raise _Stop(_clean(exc)) from None
    # The rows written: with a roster, each roster student (with a log or not), then the
    # students with logs the roster does not list.
    count, no_log = len(table), 0
    if args.roster is not None:
        listed = set(read_roster(args.roster)["student"])
        with_log = set(table["student"].astype(str))
        count, no_log = len(listed | with_log), len(listed - with_log)
    without = f", {no_log} of them in the roster with no log" if no_log else ""
    _say(
        f"Grades for {count} {_plural(count, 'student')}{without} "
        f"(policy: {args.policy}): {_clean(out)}"
    )
    left_out = table.attrs.get("left_out", 0)
    if left_out:
        _say(
            f"{left_out} flagged log {_plural(left_out, 'copy', 'copies')} left out of the "
            "grades (see guessfirst verify; --include-flagged counts them)"
        )
    for warning in caught:
        if issubclass(warning.category, RosterWarning):
            _say(_clean(warning.message))
    _say_hub(logs)
    _say_failing(logs)
    logs.close()
    return 0


def _verify(args: argparse.Namespace) -> int:
    report = _teacher()
    from . import collect

    collections = [Path(path) for path in args.paths if collect.is_collection(path)]
    args.paths = collect.without_ledgers(args.paths)  # a ledger is collect's, not a log
    logs = _read(report, args)
    problems = logs.problems.sort_values(["file", "line"], kind="stable")
    by_file = {file: rows for file, rows in problems.groupby("file", sort=False)}
    failing = 0
    for file, intact in zip(logs.files["file"], logs.files["intact"], strict=True):
        if intact:
            _say(f"OK       {_clean(_shown_path(file))}")
            continue
        failing += 1
        _say(f"PROBLEMS {_clean(_shown_path(file))}")
        rows = by_file.get(file)
        if rows is not None:
            for line, kind, detail in zip(rows["line"], rows["kind"], rows["detail"], strict=True):
                _say(f"  line {line}: {_clean(kind)}: {_clean(detail)}")
    total = len(logs.files)
    if failing:
        _say(f"{failing} of {total} {_plural(total, 'file')} failed verification.")
    else:
        _say(f"All {total} {_plural(total, 'file')} intact.")
    flagged = 0
    for folder in collections:
        found = collect.flags(folder)
        flagged += len(found)
        ledger = _clean(_shown_path(folder / collect.LEDGER))
        count = len(found)
        _say(f"Ledger {ledger}: " + (f"{count} {_plural(count, 'flag')}" if found else "no flags"))
        _say_flags(folder, found)
    return 1 if failing or flagged else 0


def _collect(args: argparse.Namespace) -> int:
    from . import collect

    if not args.sources and not args.homes and args.service_store is None:
        raise _Stop("say where the logs are: --homes PATH, LMS zips, nbgrader folders or files")
    try:
        done = collect.collect(
            args.sources,
            into=args.output,
            homes=args.homes,
            roster=args.roster,
            service_store=args.service_store,
            progress=_progress_bar(sys.stderr, "Collecting"),
        )
    except collect.CollectError as exc:
        raise _Stop(_clean(exc)) from None
    total = len(done.new) + len(done.updated) + done.unchanged
    _say(
        f"Collected {total} {_plural(total, 'log')} into {_clean(_shown_path(done.folder))}: "
        f"{len(done.new)} new, {len(done.updated)} updated, {done.unchanged} unchanged."
    )
    for source, why in done.skipped:
        _say(f"Skipped {_clean(_shown_path(source))}: {_clean(why)}")
    for line, why in done.problems:
        _say(f"Ledger line {line} is damaged and was not read: {_clean(why)}")
    if done.confirmations is not None:
        _say_confirmations(done.confirmations)
    if done.flags:
        _say(f"{len(done.flags)} {_plural(len(done.flags), 'flag')}:")
        _say_flags(done.folder, done.flags)
    return 1 if done.flags or done.skipped or done.problems else 0


def _say_confirmations(found: dict) -> None:
    """What the comparison with the hub service's copies found, per student."""
    people = [p for p in found.get("students", []) if isinstance(p, dict)]
    copies = len(found.get("copies", []))
    _say(
        f"Compared {copies} local {_plural(copies, 'copy', 'copies')} with the hub service's "
        f"copies of {len(people)} {_plural(len(people), 'student')}:"
    )
    for person in people[:_SUMMARY_ROWS]:
        received, unconfirmed = person.get("received", 0), person.get("unconfirmed", 0)
        total = received + unconfirmed
        _say(
            f"  {_clean(person.get('student'), _ID_WIDTH)}: {received} of {total} "
            f"{_plural(total, 'event')} confirmed by the hub"
            + (f", {unconfirmed} never received" if unconfirmed else "")
            + (f", {person.get('altered')} edited since sent" if person.get("altered") else "")
            + (f", {person.get('hub_only')} only at the hub" if person.get("hub_only") else "")
        )
    if len(people) > _SUMMARY_ROWS:
        _say(f"  ... and {len(people) - _SUMMARY_ROWS} more students")


def _say_flags(folder: Path, flags: Sequence[Any]) -> None:
    """One line per flag: its kind, the stored copy and what the teacher should know."""
    for flag in flags:
        _say(f"  {flag.kind}: {_clean(_shown_path(folder / flag.file))}: {_clean(flag.detail)}")


def _seal(args: argparse.Namespace) -> int:
    from . import bank

    if not args.source.is_file():
        raise _Stop(f"no question bank at {_clean(args.source)}")
    output = None if args.output is None else _prepared(args.output)
    try:
        written = bank.seal(args.source, output)
    except bank.BankError as exc:
        raise _Stop(_clean(exc)) from None
    count = len(bank.load(written))  # read back: what students get must load
    _say(
        f"Sealed {count} {_plural(count, 'question')} from {_clean(args.source)}: {_clean(written)}"
    )
    return 0


# Where secrets can come from instead of the command line, which ``ps`` shows to all.
_SALT_VARIABLE = "GUESSFIRST_XAPI_SALT"
_PASSWORD_VARIABLE = "GUESSFIRST_LRS_PASSWORD"  # noqa: S105 (a variable's name)
_TOKEN_VARIABLE = "GUESSFIRST_LRS_TOKEN"  # noqa: S105 (a variable's name)
_LRS_ONLY = ("user", "password", "token", "batch_size", "from_start", "timeout", "retry_budget")


def _xapi(args: argparse.Namespace) -> int:
    from . import lrs

    given = any(getattr(args, name) for name in _LRS_ONLY) or args.retry_budget is not None
    if args.output is not None and given:
        raise _Stop(
            "--user, --password, --token, --batch-size, --from-start, --timeout and "
            "--retry-budget go with --lrs"
        )
    try:
        options = lrs.Options(args.activity_base, args.home_page, _salt(args), args.text)
        client = None if args.lrs is None else _xapi_client(lrs, args)
    except ValueError as exc:
        raise _Stop(_clean(exc)) from None
    from .collected import NoLogsError, find_logs

    try:
        logs = find_logs(args.paths)
    except NoLogsError as exc:
        raise _Stop(_clean(exc)) from None
    if client is None:
        return _xapi_export(lrs, logs, options, args.output)
    return _xapi_push(lrs, logs, options, client, args)


def _xapi_client(lrs: ModuleType, args: argparse.Namespace) -> Any:
    timing = {"deadline": args.timeout, "budget": args.retry_budget}
    given = {name: value for name, value in timing.items() if value is not None}
    return lrs.Client(args.lrs, _authorization(lrs, args), **given)


def _salt(args: argparse.Namespace) -> str | None:
    """The pseudonym salt; privacy is on by default, so real ids must be asked for."""
    if args.real_ids:
        return None
    salt = args.pseudonymize or os.environ.get(_SALT_VARIABLE)
    if not salt:
        raise _Stop(
            f"say how students are named: --pseudonymize SALT (or {_SALT_VARIABLE}), "
            "an HMAC only the salt's keeper can map back, or --real-ids"
        )
    return salt


def _authorization(lrs: ModuleType, args: argparse.Namespace) -> str:
    """The LRS credentials, from the environment where they stay out of ``ps``."""
    if args.user is None:
        if args.password is not None:
            raise _Stop("--password goes with --user")
        token = args.token or os.environ.get(_TOKEN_VARIABLE)
        if not token:
            raise _Stop(
                f"the LRS needs credentials: --user NAME (password in {_PASSWORD_VARIABLE}), "
                f"or a token in {_TOKEN_VARIABLE}"
            )
        return lrs.token_auth(token)
    password = args.password if args.password is not None else os.environ.get(_PASSWORD_VARIABLE)
    if password is None and sys.stdin is not None and sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"LRS password for {args.user}: ")
    if password is None:
        raise _Stop(f"no password for {_clean(args.user)}: set {_PASSWORD_VARIABLE}")
    return lrs.basic_auth(args.user, password)


def _xapi_export(lrs: ModuleType, logs: list[Path], options: Any, output: str) -> int:
    exported = lrs.export(logs, options, progress=_progress_bar(sys.stderr))
    data = lrs.dumps(exported.statements)
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        where, stream = "standard output", sys.stderr
    else:
        out = _prepared(Path(output))
        out.write_bytes(data)
        where, stream = _clean(out), sys.stdout
    count, files = len(exported.statements), len(logs)
    _say(
        f"{count} {_plural(count, 'statement')} from {files} {_plural(files, 'log')} "
        f"({_privacy(options)}): {where}",
        stream,
    )
    _say_unverified(exported.problems, stream)
    return 0


def _xapi_push(
    lrs: ModuleType, logs: list[Path], options: Any, client: Any, args: argparse.Namespace
) -> int:
    bar = _progress_bar(sys.stderr, "Sending")
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
    where = _clean(client.url)
    if pushed.sent:
        _say(
            f"Sent {pushed.sent} {_plural(pushed.sent, 'statement')} to {where} "
            f"({pushed.held} already there; {_privacy(options)})."
        )
    elif pushed.error is None:
        _say(f"Nothing new to send to {where}.")
    for path, reason in pushed.refused.items():
        _say(f"Not sent: {_clean(_shown_path(path))}: {_clean(reason)} (--from-start sends it all)")
    _say_unverified(pushed.problems)
    if pushed.error is not None:
        resume = "; the same command resumes from there" if pushed.sent else ""
        raise _Stop(_clean(pushed.error) + resume, status=1)
    return 1 if pushed.refused else 0


def _privacy(options: Any) -> str:
    names = "student ids as in the logs" if options.pseudonymize is None else "pseudonymized"
    return names + (", free text included" if options.text else ", no free text")


def _say_unverified(problems: Sequence[Any], stream: TextIO | None = None) -> None:
    files = dict.fromkeys(Path(problem.file).name for problem in problems)
    if files:
        count = len(files)
        _say(
            f"{count} {_plural(count, 'log')} failed verification: {_names(files)} "
            "(see guessfirst verify)",
            stream,
        )


# -- shared steps ----------------------------------------------------------------------


def _teacher() -> ModuleType:
    """``guessfirst.report``, or a clear message when the teacher extra is not installed."""
    try:
        from . import report
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in _EXTRA_MODULES:
            raise
        raise _Stop(f"the teacher side needs {exc.name}: {_install_hint('teacher')}") from None
    return report


def _read(report: ModuleType, args: argparse.Namespace) -> Any:
    engine = getattr(args, "engine", "duckdb")
    try:
        return report.read(
            args.paths,
            engine=engine,
            master=getattr(args, "master", None),
            progress=_progress_bar(sys.stderr),
            include_unconfirmed=getattr(args, "include_unconfirmed", False),
        )
    except report.NoLogsError as exc:
        raise _Stop(_clean(exc)) from None
    except ModuleNotFoundError as exc:
        if engine != "spark" or (exc.name or "").split(".")[0] not in _SPARK_MODULES:
            raise
        raise _Stop(f"the spark engine needs {exc.name}: {_install_hint('spark')}") from None


def _zone(report: ModuleType, tz: str | None) -> str:
    """The report's time zone, checked before a long read: a typo is one line, at once."""
    try:
        return report.time_zone(tz)
    except ValueError as exc:
        raise _Stop(_clean(exc)) from None


def _prepared(path: Path) -> Path:
    """``path`` with its folder made, so ``-o week3/report.html`` just works."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _summary_table(table: Any) -> list[str]:
    """Per question: attempted, first-try error, corrected; error questions come first."""
    if table.empty:
        return ["No attempts in these logs yet."]
    repeated = set(table["question"][table["question"].duplicated()])
    shown = table.head(_SUMMARY_ROWS)
    labels = [
        _clean(f"{question} [{qversion}]" if question in repeated else question, _ID_WIDTH)
        for question, qversion in zip(shown["question"], shown["qversion"], strict=True)
    ]
    width = max(len("question"), *(len(label) for label in labels))
    lines = [f"{'question':<{width}}  attempted  first-try error  corrected"]
    columns = (shown["attempted"], shown["first_try_error"], shown["corrected"])
    for label, attempted, error, corrected in zip(labels, *columns, strict=True):
        lines.append(
            f"{label:<{width}}  {attempted:>9}  {_share(error):>15}  {_share(corrected):>9}"
        )
    if len(table) > len(shown):
        lines.append(f"... and {len(table) - len(shown)} more questions in the report")
    return lines


def _counts(built: Any) -> str:
    """What was read: students, events, and lines skipped as unreadable."""
    # The events that count: without the lines the hub service never received, unless asked.
    counted = built.logs.query("SELECT count(*) AS n FROM events")["n"]
    students, events = len(built.students), int(counted.iloc[0])
    files, problems = len(built.logs.files), built.logs.problems
    bad = int((~problems["kind"].isin(_CHAIN_KINDS)).sum())
    return (
        f"{students} {_plural(students, 'student')}, {events} {_plural(events, 'event')}, "
        f"{bad} bad {_plural(bad, 'line')} in {files} {_plural(files, 'file')}"
    )


def _say_hub(logs: Any) -> None:
    """The share of each student's events the school's hub confirmed, where it has a copy."""
    hub = logs.hub
    if hub.empty:
        return
    shares = [
        f"{_clean(student, _ID_WIDTH)} {_share(share)}"
        for student, share in zip(hub["student"], hub["hub_confirmed"], strict=True)
    ]
    shown = ", ".join(shares[:_NAMED_STUDENTS])
    if len(shares) > _NAMED_STUDENTS:
        shown += f" and {len(shares) - _NAMED_STUDENTS} more"
    unconfirmed = int(hub["unconfirmed"].sum())
    _say(f"Confirmed by the school's hub: {shown}")
    if unconfirmed:
        how = (
            "counted (--include-unconfirmed)"
            if logs.include_unconfirmed
            else "left out (--include-unconfirmed counts them)"
        )
        _say(f"{unconfirmed} {_plural(unconfirmed, 'event')} the hub never received {how}")


def _say_failing(logs: Any) -> None:
    """Name whose logs fail verification: their results count, but are not to be trusted;
    and how much a collection's ledger flags."""
    flags = logs.flags
    if not flags.empty:
        count = len(flags)
        whose = sorted({str(s) for s in flags["student"].dropna()})
        _say(
            f"The collection ledger flags {count} {_plural(count, 'thing')}"
            + (f" in the logs of {_names(dict.fromkeys(whose))}" if whose else "")
            + " (see guessfirst verify)"
        )
    failing = logs.files[~logs.files["intact"].astype(bool)]
    if failing.empty:
        return
    owners = [
        name
        for students, file in zip(failing["students"], failing["file"], strict=True)
        for name in (students.split(", ") if students else [_shown_path(file)])
    ]
    count = len(failing)
    _say(
        f"{count} {_plural(count, 'log')} failed verification: "
        f"{_names(dict.fromkeys(owners))} (see guessfirst verify)"
    )


# -- terminal output -------------------------------------------------------------------


def _clean(text: object, width: int | None = None) -> str:
    """``text`` from a log made safe to print: no control or formatting characters.

    They are shown as escapes (``\\x1b``, ``\\r``, ``\\u202e``) rather than dropped, so a
    teacher can see that an id carried them. A ``width`` cuts the result with an ellipsis.
    """
    shown = "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in _ESCAPED_CATEGORIES
        else char
        for char in str(text)
    )
    if width is not None and len(shown) > width:
        return shown[: width - 1] + "…"
    return shown


def _names(names: Iterable[object]) -> str:
    """A short, cleaned list of names: a class of 1,000 must not flood the terminal."""
    listed = list(names)
    shown = ", ".join(_clean(name, _ID_WIDTH) for name in listed[:_NAMED_STUDENTS])
    extra = len(listed) - _NAMED_STUDENTS
    return shown + (f" and {extra} more" if extra > 0 else "")


def _share(value: object) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(number) else f"{number:.0%}"


def _plural(count: int, word: str, words: str | None = None) -> str:
    return word if count == 1 else (words or word + "s")


def _shown_path(file: object) -> str:
    """``file`` relative to the current folder when it is inside it: shorter to read."""
    path = Path(str(file))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text``; characters the stream cannot encode become escapes, not a crash."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def _say_lines(lines: Iterable[str]) -> None:
    for line in lines:
        _say(line)


def _progress_bar(stream: TextIO, label: str = "Reading logs") -> Callable[[int, int], None] | None:
    """A ``progress`` callback drawing a bar on ``stream``, or None when it is not a terminal.

    Pipes, files and CI logs get nothing. On a terminal the bar waits for _BAR_DELAY
    seconds, so a short run prints no bar at all, and it erases itself when done.
    """
    if not getattr(stream, "isatty", lambda: False)():
        return None
    started = time.monotonic()
    drawn = ""

    def draw(done: int, total: int) -> None:
        nonlocal drawn
        if done >= total:
            if drawn:
                stream.write("\r" + " " * len(drawn) + "\r")
                stream.flush()
            return
        if drawn or time.monotonic() - started >= _BAR_DELAY:
            filled = _BAR_WIDTH * done // total
            drawn = f"{label} [{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{total}"
            stream.write("\r" + drawn)
            stream.flush()

    return draw


# -- the parser ------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guessfirst",
        description="Reports, grades and integrity checks from collected guessfirst logs, "
        "and sealed question banks for students.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = _command(
        commands,
        _report,
        "report",
        "Write a self-contained HTML report and print a summary per question.",
        "guessfirst report collected/ -o week3.html --csv week3-csv/",
    )
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("guessfirst-report.html"),
        metavar="FILE",
        help="where the HTML report goes (default: guessfirst-report.html)",
    )
    report.add_argument(
        "--csv",
        type=Path,
        metavar="DIR",
        help="also write questions.csv, students.csv and wrong_answers.csv into DIR",
    )
    report.add_argument(
        "--title",
        default="guessfirst report",
        help="the report's heading (default: guessfirst report)",
    )
    report.add_argument(
        "--tz",
        metavar="ZONE",
        help="the IANA time zone whose calendar days the spaced review counts, for example "
        "Asia/Hong_Kong (default: this computer's)",
    )
    _unconfirmed_option(report)
    _engine_options(report)

    grades = _command(
        commands,
        _grades,
        "grades",
        "Write one grade per student and question as CSV, for an LMS gradebook.",
        "guessfirst grades collected/ --policy corrected --roster roster.csv -o grades.csv",
    )
    grades.add_argument(
        "--policy",
        default="participation",
        help="a point per question when the student attempted it (participation, the default), "
        "answered it correctly at some attempt (corrected), or at attempt 1 (first-try)",
    )
    grades.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("grades.csv"),
        metavar="FILE",
        help="where the grades go (default: grades.csv)",
    )
    grades.add_argument(
        "--roster",
        type=Path,
        metavar="CSV",
        help="lay the grades out for a Canvas or Moodle import: a CSV with a 'student' "
        "column (ids as in the logs) and any of name, lms_id, sis_id, login_id (or email) "
        "and section",
    )
    grades.add_argument(
        "--include-flagged",
        action="store_true",
        help="count the log copies a collection's ledger flags as cut, changed or not their "
        "owner's (left out by default: their lines cannot be trusted); whole copies, unlike "
        "--include-unconfirmed",
    )
    _unconfirmed_option(grades)
    _engine_options(grades)

    _command(
        commands,
        _verify,
        "verify",
        "Check every log's hash chain and lines, and a collection folder's ledger; exit 0 "
        "only when all are intact and nothing is flagged.",
        "guessfirst verify collected/",
    )

    collect = _command(
        commands,
        _collect,
        "collect",
        "Copy logs from hub homes, LMS downloads, nbgrader and folders into one folder, "
        "keeping every earlier copy, and flag what changed since the last collection.",
        "guessfirst collect --homes /home -o collected/\n"
        "  guessfirst collect submissions.zip nbgrader/submitted -o collected/",
        logs=False,
    )
    collect.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="LMS downloads (Canvas or Moodle .zip), nbgrader submitted/ or inbound/ folders, "
        "log files, folders or glob patterns",
    )
    collect.add_argument(
        "--homes",
        action="append",
        default=[],
        metavar="PATH",
        help="a folder of user homes, as on a hub (/home): each subfolder is one user, and "
        "every guessfirst-logs/*.jsonl in it is theirs; may be given more than once",
    )
    collect.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="the collection folder: one folder per owner, and ledger.jsonl",
    )
    collect.add_argument(
        "--roster",
        type=Path,
        metavar="CSV",
        help="who is who: a CSV with a 'student' column (ids as in the logs) and any of name, "
        "lms_id, sis_id, login_id (or email), to compare LMS owners and pseudonymous ids",
    )
    collect.add_argument(
        "--service-store",
        type=Path,
        metavar="PATH",
        help="the guessfirst hub service's store folder (one <user>.jsonl per hub user): "
        "copy each file into DIR/hub-service/ and compare every student's logs with it, "
        "event by event; lines the service never received are flagged as unconfirmed",
    )

    seal = _command(
        commands,
        _seal,
        "seal",
        "Check a Markdown question bank and write the sealed copy students get.",
        "guessfirst seal lesson3.md -o students/lesson3.gfq",
        logs=False,
    )
    seal.add_argument("source", type=Path, metavar="BANK", help="the bank, in Markdown")
    seal.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where the sealed bank goes (default: BANK's name with .gfq)",
    )

    from .hubservice import _cli as hub_service

    served = _command(
        commands,
        hub_service.run,
        "hub-service",
        "Keep a copy of every student's events that they cannot edit: a JupyterHub service, "
        "started by the hub, that each kernel sends its events to.",
        "guessfirst hub-service --print-config --store /var/lib/guessfirst/store "
        "--public-url https://hub.school.example",
        logs=False,
    )
    hub_service.add_arguments(served)

    xapi = _command(
        commands,
        _xapi,
        "xapi",
        "Turn the logs into xAPI 1.0.3 statements: a JSON file, or a push to an LRS.",
        "guessfirst xapi collected/ --activity-base https://school.example/guessfirst "
        '--home-page https://hub.school.example --pseudonymize "$SALT" -o statements.json\n'
        "  GUESSFIRST_LRS_PASSWORD=... guessfirst xapi collected/ --activity-base "
        "https://school.example/guessfirst --home-page https://hub.school.example "
        "--real-ids --lrs https://lrs.school.example/xapi --user teacher",
    )
    where = xapi.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "-o", "--output", metavar="FILE", help="write the statements to FILE ('-': standard output)"
    )
    where.add_argument(
        "--lrs",
        metavar="URL",
        help="send them to the LRS whose xAPI endpoint is URL; a cursor file beside each log "
        "remembers what is there, so the next run sends only what is new",
    )
    xapi.add_argument(
        "--activity-base",
        required=True,
        metavar="IRI",
        help="your school's address for guessfirst activities: questions become IRI/questions/<id>",
    )
    xapi.add_argument(
        "--home-page",
        required=True,
        metavar="URL",
        help="the system the student ids belong to, such as your JupyterHub",
    )
    names = xapi.add_mutually_exclusive_group()
    names.add_argument(
        "--pseudonymize",
        metavar="SALT",
        help=f"name students by an HMAC of their id; keep the salt (or set {_SALT_VARIABLE})",
    )
    names.add_argument(
        "--real-ids", action="store_true", help="name students by their ids as in the logs"
    )
    xapi.add_argument(
        "--text",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="include free text: text answers and reflections (default: left out)",
    )
    pushing = xapi.add_argument_group("pushing to an LRS")
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
        "--batch-size",
        type=_positive,
        metavar="N",
        help="statements per request (default: 100)",
    )
    pushing.add_argument(
        "--from-start",
        action="store_true",
        help="ignore the cursors and send everything again; the LRS keeps what it has",
    )
    pushing.add_argument(
        "--timeout",
        type=_xapi_seconds,
        metavar="SECONDS",
        help="the longest one request may take, from connecting to the last byte of the "
        "answer, however slowly that comes (default: 60)",
    )
    pushing.add_argument(
        "--retry-budget",
        type=_xapi_budget,
        metavar="SECONDS",
        help="the most time the whole push may lose to failed requests and the waits before "
        "retrying them; the push stops, to resume later, rather than begin a wait that would "
        "pass it, such as a long Retry-After; 0 never retries (default: 300)",
    )
    return parser


def _xapi_budget(text: str) -> float:
    return _xapi_seconds(text, zero=True)


def _xapi_seconds(text: str, *, zero: bool = False) -> float:
    """A time for the push: nan, inf and negative ones would make no bound at all."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and (seconds > 0 or (zero and seconds == 0))):
        least = "0 or more" if zero else "above 0"
        raise argparse.ArgumentTypeError(f"a number of seconds {least}, not {text!r}")
    return seconds


def _unconfirmed_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--include-unconfirmed",
        action="store_true",
        help="count the lines of a student's logs that the hub service never received "
        "(collect --service-store flags them as unconfirmed; left out by default). Only "
        "those lines: unlike --include-flagged, which counts whole flagged copies",
    )


def _engine_options(command: argparse.ArgumentParser) -> None:
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


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not {text!r}")
    return int(text)


def _command(
    commands: Any,
    run: Callable[[argparse.Namespace], int],
    name: str,
    summary: str,
    example: str,
    *,
    logs: bool = True,
) -> argparse.ArgumentParser:
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
