"""One collection: every source's logs into the collection folder, each compared with the
ledger, copied when new or changed, and recorded. What a folder holds once collected (its
flags) is :mod:`._folder`'s.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from . import _compare, _confirmed, _service, _store
from ._compare import Change, digest
from ._found import CollectError, Found, Scan, Skip
from ._found import stem as stem_of
from ._ledger import Flag, Ledger, Record
from ._owners import Roster, read_roster, same_person
from ._plain import scan_sources

#: Sources whose keys are weak (an LMS download's name): a log is also followed there by
#: its first line, which a log keeps for ever, through renamed zips and re-uploads.
_WEAK_KEYS = frozenset({"canvas", "moodle", "zip"})
#: Copies made durable together, then recorded.
_BATCH = 64


@dataclass
class Collected:
    """What one collection did."""

    folder: Path
    #: Logs seen for the first time, and new versions of logs seen before.
    new: list[Record] = field(default_factory=list)
    updated: list[Record] = field(default_factory=list)
    unchanged: int = 0
    #: Files that could not be taken, with why.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: What this collection flagged, and the ledger lines it could not read.
    flags: list[Flag] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: The comparison with the hub service's copies (see :mod:`._service`), when the
    #: collection holds any: what ``hub-confirmations.json`` says.
    confirmations: dict | None = None


def collect(
    sources: Iterable[str | os.PathLike[str]] = (),
    *,
    into: str | os.PathLike[str],
    homes: Iterable[str | os.PathLike[str]] = (),
    roster: str | os.PathLike[str] | None = None,
    service_store: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> Collected:
    """Collect every log of ``sources`` and ``homes`` into the folder ``into``.

    Sources are LMS zips, nbgrader ``submitted/`` or ``inbound/`` folders, and log files,
    folders and glob patterns; ``homes`` are folders of hub homes. A source that cannot be
    read raises CollectError before anything is copied. ``progress(done, total)`` is
    called after each log.

    ``service_store`` is the hub service's store folder: each of its files is copied into
    ``hub-service/`` and every local copy of the collection is compared with them (see
    :mod:`._service`); a collection that holds such copies is compared again at each run.
    """
    folder = Path(into).expanduser().resolve()
    people = None if roster is None else read_roster(Path(roster))
    scan = _scan(sources, homes, folder, service_store)
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    at = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    done = Collected(folder, skipped=list(scan.skipped))
    try:
        with Ledger(folder) as ledger:
            known = ledger.read()
            done.problems = known.problems
            run = _Run(folder, at, uuid.uuid4().hex, people, known.records, ledger, done)
            try:
                _take_all(run, scan, progress)
            finally:
                run.abandon()
            before = {_said(flag) for flag in _confirmed.flags(folder)}
            done.confirmations = _service.compare(folder, ledger.read().records, at)
            if done.confirmations is not None:
                done.flags += [f for f in _confirmed.flags(folder) if _said(f) not in before]
    finally:
        scan.close()
    return done


def _scan(
    sources: Iterable[str | os.PathLike[str]],
    homes: Iterable[str | os.PathLike[str]],
    folder: Path,
    service_store: str | os.PathLike[str] | None,
) -> Scan:
    """Every log the sources, homes and service store hold, with ``folder`` made ready for
    them; CollectError (the scan closed) before anything is copied."""
    scan = scan_sources([os.fspath(s) for s in sources], [os.fspath(h) for h in homes], folder)
    try:
        if service_store is not None:
            scan.extend(_service.scan_store(Path(service_store).expanduser().absolute()))
        if not (scan.found or scan.skipped or scan.scopes):
            raise CollectError("No guessfirst logs (*.jsonl files) in the sources given")
        folder.mkdir(parents=True, exist_ok=True)
    except BaseException:
        scan.close()
        raise
    return scan


def _take_all(run: _Run, scan: Scan, progress: Callable[[int, int], None] | None) -> None:
    """Each log found, then the ones no longer where they were, all recorded."""
    total = len(scan.found)
    for number, found in enumerate(scan.found, start=1):
        run.take(found)
        if progress is not None:
            progress(number, total)
    run.missing(scan.scopes, {found.key for found in scan.found})
    run.flush()


def _said(flag: Flag) -> tuple[str, str, str]:
    return (flag.file, flag.kind, flag.detail)


class _Run:
    """One collection's state: the ledger's index, updated as each log is recorded."""

    def __init__(
        self,
        folder: Path,
        at: str,
        run: str,
        roster: Roster | None,
        records: list[Record],
        ledger: Ledger,
        done: Collected,
    ) -> None:
        self.folder, self.at, self.run, self.roster = folder, at, run, roster
        self.ledger, self.done = ledger, done
        self.by_key: dict[str, Record] = {}
        self.by_first: dict[tuple[str | None, str], Record] = {}
        self.flagged: dict[str, set[tuple[str, str]]] = {}
        self.taken: dict[str, str] = {}
        #: Records waiting for their copies to be durable, with each copy's partial file.
        self.pending: list[tuple[Record, Path | None]] = []
        self.pending_copies: set[str] = set()
        for record in records:
            self._index(record)

    def _index(self, record: Record) -> None:
        self.by_key[record.key] = record
        if record.first_line is not None:
            self.by_first[(record.owner, record.first_line)] = record
        flagged = self.flagged.setdefault(record.key, set())
        flagged.update((flag["kind"], flag["detail"]) for flag in record.flags)
        folder, stem, _ = _store.parsed(record.stored)
        self.taken.setdefault(f"{folder}/{stem}", record.key)

    def take(self, found: Found) -> None:
        try:
            data = found.read()
        except Skip as why:
            self.done.skipped.append((found.source, str(why)))
            return
        previous = self._previous(found, _compare.first_line(data))
        facts = _compare.facts(data, None if previous is None else previous.size)
        if previous is not None and (previous.size, previous.sha256) == (facts.size, facts.sha256):
            record = self._record(found, facts, previous.stored, False, previous, [], None, [])
            self._queue(record, None)
            self.done.unchanged += 1
            return
        if previous is not None and previous.stored in self.pending_copies:
            self.flush()  # the copy to compare with must be there first
        change, notes = self._change(found, previous, data, facts)
        added = _compare.students(change.added)
        if previous is None:
            folder = (
                _service.FOLDER
                if found.kind == _service.KIND
                else _store.folder_for(found.owner, added)
            )
            stem = _store.unique_stem(
                self.folder, folder, stem_of(found.parts), found.key, self.taken
            )
            version = 1
        else:
            folder, stem, version = _store.parsed(previous.stored)
            version += 1
        stored = _store.plan(self.folder, folder, stem, version)
        partial = _store.write_partial(self.folder, stored, data)
        record = self._record(found, facts, stored, True, previous, notes, change, added)
        self._queue(record, partial)
        (self.done.updated if previous else self.done.new).append(record)

    def _queue(self, record: Record, partial: Path | None) -> None:
        self.pending.append((record, partial))
        if partial is not None:
            self.pending_copies.add(record.stored)
            if len(self.pending_copies) >= _BATCH:
                self.flush()

    def flush(self) -> None:
        """Make the waiting copies durable and named, then record them in the ledger: a
        ledger line never names a copy a crash could lose."""
        copies = [(record, partial) for record, partial in self.pending if partial is not None]
        named = _store.settle(self.folder, [(partial, record.stored) for record, partial in copies])
        for (record, _), stored in zip(copies, named, strict=True):
            record.stored = stored  # another name only if one appeared meanwhile
        for record, _ in self.pending:
            self.ledger.append(record)
            self.done.flags.extend(record.flag_list())
        self.pending.clear()
        self.pending_copies.clear()

    def abandon(self) -> None:
        """Remove the partial copies of a collection that stopped before recording them."""
        for _, partial in self.pending:
            if partial is not None:
                partial.unlink(missing_ok=True)
        self.pending.clear()

    def missing(self, scopes: set[str], seen: set[str]) -> None:
        """Record the logs no longer in a home or submission that was searched whole."""
        for key, last in list(self.by_key.items()):
            if key in seen or last.missing or not _within(key, scopes):
                continue
            detail = (
                f"the log collected on {_compare.day(last.at, self.at)} ({last.lines} "
                f"{'line' if last.lines == 1 else 'lines'}) is no longer {_place(last)} "
                f"(the earlier copy keeps it: {last.stored})"
            )
            flag = {
                "kind": "missing",
                "detail": detail,
                "student": last.students[0] if last.students else None,
                "lines": [[1, last.lines]] if last.lines else [],
            }
            record = replace(last, at=self.at, run=self.run, copied=False, missing=True)
            record.flags = [flag]
            self._index(record)
            self._queue(record, None)

    def _previous(self, found: Found, first_line: str | None) -> Record | None:
        same_key = self.by_key.get(found.key)
        if found.kind not in _WEAK_KEYS or first_line is None:
            return same_key
        if same_key is not None and same_key.first_line == first_line:
            return same_key
        return self.by_first.get((found.owner, first_line), same_key)

    def _change(
        self, found: Found, previous: Record | None, data: bytes, facts: _compare.Facts
    ) -> tuple[Change, list[tuple[str, str, list[tuple[int, int]]]]]:
        """How the log changed since ``previous``, and the flags that makes."""
        everything = [[1, facts.lines, self.at]] if facts.lines else []
        if previous is None:
            return Change(since=everything, added=data), []
        if facts.prefix_sha256 == previous.sha256:  # it only grew: the common case
            since, size, lines = previous.since, previous.size, previous.lines
            return _compare.grown(since, size, lines, data, facts.lines, self.at), []
        old = self._earlier_copy(previous)
        if old is None:
            when = _compare.day(previous.at, self.at)
            detail = (
                f"differs from the copy collected on {when} in its earlier lines, and that copy "
                f"({previous.stored}) is no longer as collected, so the lines cannot be named"
            )
            change = Change(kind="changed", detail=detail, since=everything, added=data)
            return change, [("changed", detail, [])]
        change = _compare.compare(old, data, previous.since, self.at, previous.stored)
        notes = [] if change.kind is None else [(change.kind, change.detail, change.lines)]
        return change, notes

    def _earlier_copy(self, previous: Record) -> bytes | None:
        try:
            old = (self.folder / previous.stored).read_bytes()
        except OSError:
            return None
        return old if digest(old) == previous.sha256 else None

    def _record(
        self,
        found: Found,
        facts: _compare.Facts,
        stored: str,
        copied: bool,
        previous: Record | None,
        notes: list[tuple[str, str, list[tuple[int, int]]]],
        change: Change | None,
        added: list[str],
    ) -> Record:
        known = list(previous.students) if previous else []
        students = list(dict.fromkeys([*known, *added]))[: _compare.MAX_STUDENTS]
        student = students[0] if students else None
        flags = [(kind, detail, student, lines) for kind, detail, lines in notes]
        flags += [(kind, detail, student, []) for kind, detail in found.notes]
        for name in added:
            if same_person(found, name, self.roster) is False:
                detail = f"{_whose(found)}, but its lines are those of student {name!r}"
                flags.append(("owner-mismatch", detail, name, []))
        already = self.flagged.get(found.key, set())
        record = Record(
            at=self.at,
            run=self.run,
            kind=found.kind,
            source=found.source,
            key=found.key,
            owner=found.owner,
            stored=stored,
            copied=copied,
            size=facts.size,
            lines=facts.lines,
            sha256=facts.sha256,
            first_line=facts.first_line,
            last_line=facts.last_line,
            students=students,
            since=change.since if change else list(previous.since if previous else []),
            flags=[
                {"kind": kind, "detail": detail, "student": who, "lines": [list(r) for r in lines]}
                for kind, detail, who, lines in flags
                if (kind, detail) not in already
            ],
        )
        self._index(record)
        return record


def _whose(found: Found) -> str:
    where = {
        "home": f"in {found.owner}'s home",
        "nbgrader": f"submitted by {found.owner}",
        "canvas": f"uploaded to Canvas by {found.owner}",
        "moodle": f"uploaded to Moodle by {found.owner}",
    }
    return where.get(found.kind, f"from {found.owner}")


def _place(record: Record) -> str:
    if record.kind == "home":
        return f"in {record.owner}'s home"
    if record.kind == _service.KIND:
        return "in the hub service's store"
    assignment = record.key.split("/")[2]
    return f"in {record.owner}'s submission of {assignment}"


def _within(key: str, scopes: set[str]) -> bool:
    parts = key.split("/")
    return any("/".join(parts[:n]) in scopes for n in range(1, len(parts)))
