"""A log read into the statements it owes, and statements written as one JSON array."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...log import eventlog
from ._options import Options, Progress


@dataclass(frozen=True)
class Log:
    path: Path
    events: list[dict]
    #: Each statement the log gives, with the number of events up to and including its own.
    owed: list[tuple[int, dict]]


def read_log(path: Path, options: Options) -> Log:
    events = eventlog.read_events(path).events
    statements = options.statements(events)
    return Log(path, events, list(zip(_ends(events, options), statements, strict=True)))


def _ends(events: list[dict], options: Options) -> list[int]:
    """Where each statement's event is: the statements are one per distinct usable event,
    in order, and whether an event is usable does not depend on the others."""
    seen: set[str] = set()
    ends = []
    for number, event in enumerate(events, start=1):
        if options.statements([event]) and event["id"] not in seen:
            seen.add(event["id"])
            ends.append(number)
    return ends


@dataclass
class Export:
    """The statements of some logs, and what is wrong with those logs."""

    statements: list[dict]
    problems: list[eventlog.Problem]


def export(logs: Sequence[Path], options: Options, *, progress: Progress | None = None) -> Export:
    """Every statement the logs give, in log order; an event in two copies of a log once."""
    seen: set[str] = set()
    statements: list[dict] = []
    problems: list[eventlog.Problem] = []
    for done, path in enumerate(logs, start=1):
        for _, statement in read_log(path, options).owed:
            if statement["id"] not in seen:
                seen.add(statement["id"])
                statements.append(statement)
        problems.extend(eventlog.verify(path))
        if progress:
            progress(done, len(logs))
    return Export(statements, problems)


def dumps(statements: list[dict]) -> bytes:
    """A JSON array with one statement a line: what an LRS takes in a POST, and greppable."""
    lines = ",\n".join(json.dumps(statement, ensure_ascii=False) for statement in statements)
    # A lone surrogate from a browser cannot be UTF-8: backslashreplace writes the very
    # escape JSON would, and it can only stand inside a JSON string.
    return f"[\n{lines}\n]\n".encode("utf-8", "backslashreplace") if statements else b"[]\n"
