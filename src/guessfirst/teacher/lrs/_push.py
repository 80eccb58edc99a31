"""A push: each log's new events, in batches across logs, a cursor moved after each batch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...log import eventlog
from ._answers import SPLIT, LRSError
from ._client import Client
from ._cursor import Cursor, Refused
from ._export import Log, read_log
from ._options import Options, Progress

BATCH_SIZE = 100


@dataclass
class Pushed:
    """What a push did: for the summary a teacher reads, and the exit status."""

    sent: int = 0
    #: Of ``sent``, the statements the LRS said it already held.
    held: int = 0
    #: The logs not sent, each with the reason.
    refused: dict[Path, str] = field(default_factory=dict)
    problems: list[eventlog.Problem] = field(default_factory=list)
    #: Why the push stopped before the end, or None when it did not.
    error: str | None = None


@dataclass
class _Batch:
    statements: list[dict] = field(default_factory=list)
    #: Per log, how many of its events the LRS holds once this batch is in.
    marks: dict[Path, int] = field(default_factory=dict)
    #: Per statement id, the log and event it comes from, to name it if refused.
    sources: dict[str, tuple[Path, str]] = field(default_factory=dict)


@dataclass
class _Plan:
    """The logs with events to send, each from where its cursor stands."""

    starts: list[tuple[Log, int]] = field(default_factory=list)
    cursors: dict[Path, Cursor] = field(default_factory=dict)


def push(
    logs: Sequence[Path],
    client: Client,
    options: Options,
    *,
    batch_size: int = BATCH_SIZE,
    from_start: bool = False,
    progress: Progress | None = None,
) -> Pushed:
    """Send each log's events the LRS does not have yet, in log order and in batches.

    ``from_start`` ignores the cursors and sends everything again: the LRS keeps what it
    already has. A cursor that cannot be written stops the push before anything is sent.
    """
    pushed = Pushed()
    plan = _plan(logs, client.url, options, pushed, from_start=from_start)
    batches = list(_batches(plan.starts, batch_size))
    total = sum(len(batch.statements) for batch in batches)
    events = {log.path: log.events for log, _ in plan.starts}
    for batch in batches:
        try:
            held = _deliver(client, batch.statements) if batch.statements else 0
        except LRSError as exc:
            pushed.error = _named(exc, batch)
            break
        for path, count in batch.marks.items():
            plan.cursors[path].save(client.url, events[path], count, options)
        pushed.sent += len(batch.statements)
        pushed.held += held
        if progress:
            progress(pushed.sent, total)
    return pushed


def _plan(
    logs: Sequence[Path], url: str, options: Options, pushed: Pushed, *, from_start: bool
) -> _Plan:
    """Each log read, its problems and refusals noted in ``pushed``, and its cursor written
    where it starts: a cursor that cannot be written fails here, before anything is sent."""
    plan = _Plan()
    for path in logs:
        pushed.problems.extend(eventlog.verify(path))
        log = read_log(path, options)
        try:
            cursor = Cursor(path, renew=from_start)
            start = 0 if from_start else cursor.start(url, log.events, options)
        except Refused as refused:
            pushed.refused[path] = str(refused)
            continue
        if len(log.events) > start:
            cursor.save(url, log.events, start, options)
            plan.cursors[path] = cursor
            plan.starts.append((log, start))
    return plan


def _batches(plans: list[tuple[Log, int]], size: int) -> Iterator[_Batch]:
    """Batches of at most ``size`` statements, across logs, none with an id twice.

    An event in two copies of a log is sent with the first; the second copy's cursor moves
    with the batch that holds it, or a later one.
    """
    seen: set[str] = set()
    batch = _Batch()
    for log, start in plans:
        for end, statement in log.owed:
            if end <= start:
                continue
            if statement["id"] not in seen:
                if len(batch.statements) == size:
                    yield batch
                    batch = _Batch()
                seen.add(statement["id"])
                batch.statements.append(statement)
                batch.sources[statement["id"]] = (log.path, log.events[end - 1]["id"])
            batch.marks[log.path] = end
        batch.marks[log.path] = len(log.events)
    if batch.marks:
        yield batch


def _deliver(client: Client, statements: list[dict]) -> int:
    """Post ``statements``, halving on 409 and 413; return how many the LRS already held."""
    answer = client.post(statements)
    if answer.status in SPLIT:
        if len(statements) > 1:
            middle = len(statements) // 2
            return _deliver(client, statements[:middle]) + _deliver(client, statements[middle:])
        if answer.status == 409:
            return 1
        raise LRSError("the LRS says this statement is too large (413)", statements[0]["id"])
    if answer.status == 204:  # nothing new: every one was already there
        return len(statements)
    if answer.ids is None:
        return 0
    return len({statement["id"] for statement in statements} - set(answer.ids))


def _named(exc: LRSError, batch: _Batch) -> str:
    source = batch.sources.get(exc.statement or "")
    if source is None:
        return str(exc)
    path, event = source
    return f"{exc} (from {path.name}, event {event})"
