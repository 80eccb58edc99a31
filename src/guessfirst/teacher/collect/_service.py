"""The hub service's copy: each student's collected logs compared with what the service
received, event by event.

The hub service (:mod:`guessfirst.teacher.hubservice`) keeps its own file per hub user, written as
each event arrived, out of the student's reach. ``collect --service-store PATH`` copies
each of those files into the collection (``hub-service/<user>.jsonl``, recorded in the
ledger like every copy, so a later change to a copy is seen), then compares every local
copy's lines with them by event ``id``. A line of a student the service has a file for is

- *confirmed* when the service holds its id with the same fields (the event without
  ``prev``, against the record without the service's ``prev``, ``sent_prev``,
  ``received`` and ``hub_user``);
- *altered* when the service holds its id with other fields: the line was edited after
  it was sent, and the service's record is the one that counts;
- *unconfirmed* when the service never received its id: forged, or written while the
  service could not be reached and never sent.

Records the service holds that no local copy has are *hub-only*: kept and counted. Lines
naming a student the service has no file for are not compared. What was found is written
to ``hub-confirmations.json`` in the collection (one document, never read as a log), from
which :func:`._confirmed.flags` makes the ledger's flags ``unconfirmed``, ``altered-since-sent`` and
``hub-only``, and the report leaves out the unconfirmed lines.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._compare import digest, split
from ._found import SUFFIX, CollectError, Found, Scan, Skip, read_file, reader
from ._ledger import Record

#: The ledger's kind of a copy of the service's file, and the folder its copies go to.
KIND = "hub-service"
FOLDER = "hub-service"
#: The comparison, in the collection folder: JSON, not JSON Lines, so no reader takes it
#: for a log.
CONFIRMATIONS = "hub-confirmations.json"
FORMAT = 1
#: Fields the service sets on its records; ``prev`` is its own chain's.
_SERVICE_FIELDS = frozenset({"prev", "sent_prev", "received", "hub_user"})
_FIRST_LINE_BYTES = 64 * 1024


def scan_store(store: Path) -> Scan:
    """Every ``<user>.jsonl`` of the service's store folder, owned by its hub user."""
    if not store.is_dir():
        raise CollectError(f"no hub service store at {store}")
    scan = Scan(scopes={KIND})
    try:
        paths = sorted(store.iterdir())
    except OSError as exc:
        raise CollectError(
            f"the hub service store {store} cannot be read: {exc.strerror or exc}"
        ) from None
    for path in paths:
        name = path.name
        if not name.endswith(SUFFIX) or name.startswith("."):
            continue
        if path.is_symlink():
            scan.skipped.append((str(path), "a link: not followed"))
            continue
        user = _hub_user(path) or name[: -len(SUFFIX)]
        scan.found.append(
            Found(
                source=str(path),
                kind=KIND,
                key=f"{KIND}/{name}",
                owner=user,
                parts=(name,),
                read=reader(path),
                login=True,
            )
        )
    return scan


def _hub_user(path: Path) -> str | None:
    """The ``hub_user`` of the file's first record: the name its file was made from."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(_FIRST_LINE_BYTES)
        value = json.loads(first)
    except (OSError, ValueError, RecursionError):
        return None
    user = value.get("hub_user") if isinstance(value, dict) else None
    return user if isinstance(user, str) and user else None


@dataclass
class Copy:
    """One local copy compared: its line numbers by what the service says of them."""

    file: str
    owner: str | None
    sha256: str
    lines: int
    students: list[str] = field(default_factory=list)
    confirmed: int = 0
    unconfirmed: list[int] = field(default_factory=list)
    altered: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "owner": self.owner,
            "sha256": self.sha256,
            "lines": self.lines,
            "students": self.students,
            "confirmed": self.confirmed,
            "unconfirmed": ranges(self.unconfirmed),
            "altered": ranges(self.altered),
        }


@dataclass
class Student:
    """One hub user's events: those the service holds, and those only their logs hold."""

    student: str
    service: list[str] = field(default_factory=list)
    #: Distinct events the service holds (each is confirmed and counts).
    received: int = 0
    #: Of those, the ones no local copy has.
    hub_only: int = 0
    #: Distinct events in local copies that the service never received.
    unconfirmed: int = 0
    #: Distinct events whose local line differs from the service's record.
    altered: int = 0

    @property
    def share(self) -> float:
        total = self.received + self.unconfirmed
        return self.received / total if total else 1.0

    def as_json(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "service": self.service,
            "received": self.received,
            "hub_only": self.hub_only,
            "unconfirmed": self.unconfirmed,
            "altered": self.altered,
            "confirmed_share": self.share,
        }


def compare(folder: Path, records: Iterable[Record], at: str) -> dict[str, Any] | None:
    """Compare every local copy in ``folder`` with the service's copies the ledger records,
    write CONFIRMATIONS and return it; None (and nothing written) when there are none."""
    records = list(records)
    services = [r for r in records if r.kind == KIND and r.copied]
    if not services:
        return None
    tally = _Tally(*_held(folder, services))
    copies: list[Copy] = []
    for record in _distinct(r for r in records if r.kind != KIND and r.copied):
        data = _read(folder, record)
        if data is None:
            continue
        copy = tally.compare(
            Copy(record.stored, record.owner, record.sha256, len(split(data))), data
        )
        if copy.students:
            copies.append(copy)
    students = tally.students
    for user, person in students.items():
        person.hub_only = len(set(tally.held.get(user, {})) - tally.seen.get(user, set()))
        person.unconfirmed = len(tally.unconfirmed.get(user, set()))
        person.altered = len(tally.altered.get(user, set()))
    result = {
        "v": FORMAT,
        "at": at,
        "copies": [copy.as_json() for copy in copies],
        "students": [students[user].as_json() for user in sorted(students)],
    }
    _write(folder / CONFIRMATIONS, result)
    return result


def _held(
    folder: Path, services: list[Record]
) -> tuple[dict[str, dict[str, dict]], dict[str, Student]]:
    """Per hub user, the events the service's copies hold by id (as the student sent them),
    and the user's :class:`Student` with those copies and that count."""
    held: dict[str, dict[str, dict]] = {}
    students: dict[str, Student] = {}
    for record in _distinct(services):
        user = record.owner or (record.students[0] if record.students else None)
        data = _read(folder, record)
        if user is None or data is None:
            continue
        person = students.setdefault(user, Student(user))
        person.service.append(record.stored)
        kept = held.setdefault(user, {})
        for value in _values(data):
            if isinstance(value.get("id"), str):
                kept.setdefault(value["id"], _own(value))
    for user, person in students.items():
        person.received = len(held.get(user, {}))
    return held, students


@dataclass
class _Tally:
    """The service's events, and per student the distinct ids the local copies hold: all of
    them, those the service never received, and those it received otherwise."""

    held: dict[str, dict[str, dict]]
    students: dict[str, Student]
    seen: dict[str, set[str]] = field(default_factory=dict)
    unconfirmed: dict[str, set[str]] = field(default_factory=dict)
    altered: dict[str, set[str]] = field(default_factory=dict)

    def compare(self, copy: Copy, data: bytes) -> Copy:
        """Each line of ``copy`` (its bytes ``data``) against the service's record of it."""
        for number, line in enumerate(split(data), start=1):
            value = _value(line)
            if value is None:
                continue
            student, ident = value.get("student"), value.get("id")
            if not (isinstance(student, str) and isinstance(ident, str)):
                continue
            if student not in self.students:
                continue  # the service has no file of theirs: nothing to compare with
            if student not in copy.students:
                copy.students.append(student)
            self.seen.setdefault(student, set()).add(ident)
            theirs = self.held[student].get(ident) if student in self.held else None
            if theirs is None:
                copy.unconfirmed.append(number)
                self.unconfirmed.setdefault(student, set()).add(ident)
            elif theirs == {k: v for k, v in value.items() if k != "prev"}:
                copy.confirmed += 1
            else:
                copy.altered.append(number)
                self.altered.setdefault(student, set()).add(ident)
        return copy


def ranges(numbers: list[int]) -> list[list[int]]:
    """``[first, last]`` runs of consecutive line numbers."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return runs


def _distinct(records: Iterable[Record]) -> list[Record]:
    """Each stored copy once, as its last record has it, in the ledger's order."""
    by_stored: dict[str, Record] = {}
    for record in records:
        by_stored.pop(record.stored, None)
        by_stored[record.stored] = record
    return list(by_stored.values())


def _read(folder: Path, record: Record) -> bytes | None:
    """The stored copy, when it is still what the ledger recorded (else copy-altered says
    so, and it is not compared)."""
    try:
        data = read_file(folder / record.stored)
    except (Skip, OSError):  # the copy is not compared
        return None
    return data if digest(data) == record.sha256 else None


def _own(record: dict) -> dict:
    """A service record's fields as the student sent them, without their ``prev``."""
    return {key: value for key, value in record.items() if key not in _SERVICE_FIELDS}


def _values(data: bytes) -> list[dict]:
    return [value for value in map(_value, split(data)) if value is not None]


def _reject(name: str) -> None:
    raise ValueError(name)


def _value(line: bytes) -> dict | None:
    try:
        value = json.loads(line.decode("utf-8"), parse_constant=_reject)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _write(path: Path, value: dict[str, Any]) -> None:
    """Write ``value`` whole or not at all: a new file, synced, then put in place."""
    data = json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8", "backslashreplace")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    mode = 0o640 if path.parent.stat().st_mode & 0o2000 else 0o600
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), mode)
    try:
        view = memoryview(data + b"\n")
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        partial.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
