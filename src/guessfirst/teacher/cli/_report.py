"""``guessfirst report``: the HTML report, a summary per question, and CSV tables."""

from __future__ import annotations

import argparse
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
from ._terminal import ID_WIDTH, SUMMARY_ROWS, clean, counted, say, say_lines, share, table

if TYPE_CHECKING:
    import pandas as pd

    from ..report import Report
    from ._options import Commands

# Problems that break the hash chain; every other kind is a line that could not be read.
_CHAIN_KINDS = frozenset({"edited-or-reordered", "removed"})


def add_parser(commands: Commands) -> None:
    command = add_command(
        commands,
        run,
        "report",
        "Write a self-contained HTML report and print a summary per question.",
        "guessfirst report collected/ -o week3.html --csv week3-csv/",
    )
    command.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("guessfirst-report.html"),
        metavar="FILE",
        help="where the HTML report goes (default: guessfirst-report.html)",
    )
    command.add_argument(
        "--csv",
        type=Path,
        metavar="DIR",
        help="also write questions.csv, students.csv, wrong_answers.csv, retention.csv, "
        "misconceptions.csv and variants.csv into DIR",
    )
    command.add_argument(
        "--title",
        help="the report's heading (default: guessfirst report, or the class view's own)",
    )
    command.add_argument(
        "--audience",
        choices=("teacher", "class"),
        default="teacher",
        help="teacher: the full report, with names (default); class: a page safe for a "
        "projector, with no names and only the wrong answers several students shared",
    )
    command.add_argument(
        "--lang",
        metavar="LANG",
        help="the class view's language, for example zh-HK (default: guessfirst's own choice)",
    )
    command.add_argument(
        "--tz",
        metavar="ZONE",
        help="the IANA time zone whose calendar days the spaced review counts, for example "
        "Asia/Hong_Kong (default: this computer's)",
    )
    add_unconfirmed_option(command)
    add_engine_options(command)


def run(args: argparse.Namespace) -> int:
    with teacher_side():
        from ..report import Report, time_zone
        from ..report.export import write_csvs

    try:  # checked before a long read: a typo is one line, at once
        zone = time_zone(args.tz)
        lang = _language(args)
    except ValueError as exc:
        raise Stop(clean(exc)) from None
    logs = _logs.read(args)
    built = Report(logs, tz=zone)
    page = _page(built, args, lang)
    out = prepared(args.output)
    out.write_text(page, encoding="utf-8")
    say_lines([*_summary(built.questions), _counts(built)])
    _logs.say_hub(logs)
    _logs.say_failing(logs)
    say(f"Report: {clean(out)}")
    if args.csv is not None:
        tables = {
            "questions": built.questions,
            "students": built.students,
            "wrong": built.wrong,
            "retention": built.retention,
            "misconceptions": built.misconceptions,
            "variants": built.variants,
        }
        for written in write_csvs(args.csv, **tables):
            say(f"CSV: {clean(written)}")
    logs.close()
    return 0


def _language(args: argparse.Namespace) -> str:
    """The class view's language; a CSV beside it is refused, for its tables name students."""
    from ..report._class_view import spoken

    if args.audience == "class" and args.csv is not None:
        raise ValueError("the class view writes no CSV: the tables name students")
    return spoken(args.lang)


def _page(built: Report, args: argparse.Namespace, lang: str) -> str:
    if args.audience == "teacher":
        return built.html(title=args.title or "guessfirst report")
    from ..report._class_view import class_html

    return class_html(built, lang=lang, title=args.title)


def _summary(questions: pd.DataFrame) -> list[str]:
    """Per question: attempted, first-try error, corrected; error questions come first."""
    if questions.empty:
        return ["No attempts in these logs yet."]
    repeated = set(questions["question"][questions["question"].duplicated()])
    shown = questions.head(SUMMARY_ROWS)
    labels = [
        clean(f"{question} [{qversion}]" if question in repeated else question, ID_WIDTH)
        for question, qversion in zip(shown["question"], shown["qversion"], strict=True)
    ]
    columns = (shown["attempted"], shown["first_try_error"], shown["corrected"])
    rows = [
        [label, str(attempted), share(error), share(corrected)]
        for label, attempted, error, corrected in zip(labels, *columns, strict=True)
    ]
    lines = table(["question", "attempted", "first-try error", "corrected"], rows)
    if len(questions) > len(shown):
        lines.append(f"... and {len(questions) - len(shown)} more questions in the report")
    return lines


def _counts(built: Report) -> str:
    """What was read: students, events, and lines skipped as unreadable."""
    # The events that count: without the lines the hub service never received, unless asked.
    events = int(built.logs.query("SELECT count(*) AS n FROM events")["n"].iloc[0])
    problems = built.logs.problems
    bad = int((~problems["kind"].isin(_CHAIN_KINDS)).sum())
    return (
        f"{counted(len(built.students), 'student')}, {counted(events, 'event')}, "
        f"{counted(bad, 'bad line', 'bad lines')} in {counted(len(built.logs.files), 'file')}"
    )
