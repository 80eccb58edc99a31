"""What a collection's ledger flags, as the report and grades use it.

``guessfirst collect`` flags a stored copy whose lines were cut or changed since an
earlier collection, or whose lines name another student than its owner (see
:mod:`guessfirst.teacher.collect`). The report shows every flag; grades leave out the events of
a copy whose lines cannot be trusted, unless the teacher asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Flags of lines compared with the hub service's copy: the unconfirmed lines count only
#: when the teacher asks (``include_unconfirmed``), never the whole copy they are in.
HUB = frozenset({"unconfirmed", "altered-since-sent", "hub-only"})

#: Flags that make a copy's lines untrustworthy: its events earn no grade points. A log
#: gone from its home (``missing``) keeps the copies it had; a damaged ledger line names
#: no log.
LEAVE_OUT = frozenset({"shortened", "changed", "owner-mismatch", "foreign-owner", "copy-altered"})

COLUMNS = {
    "file": "string",
    "student": "string",
    "owner": "string",
    "kind": "string",
    "detail": "string",
    "left_out": "bool",
}


def flags_of(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> pd.DataFrame:
    """One row per flag of every collection folder among ``paths``; ``file`` is the stored
    copy's full path, as the report's ``files`` table names it."""
    from .. import collect

    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    rows = []
    for path in given:
        if not collect.is_collection(path):
            continue
        folder = Path(path).expanduser().resolve()
        for flag in collect.flags(folder):
            rows.append(
                {
                    "file": str((folder / flag.file).resolve()),
                    "student": flag.student,
                    "owner": flag.owner,
                    "kind": flag.kind,
                    "detail": flag.detail,
                    "left_out": flag.kind in LEAVE_OUT,
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(COLUMNS)


def none() -> pd.DataFrame:
    """No flags: logs read from anywhere but a collection folder."""
    return pd.DataFrame(columns=list(COLUMNS)).astype(COLUMNS)


def by_student(flags: pd.DataFrame) -> dict[str, str]:
    """Each student's flags in a few words: those on logs in their name or of their own."""
    said: dict[str, list[str]] = {}
    for student, owner, kind in zip(flags["student"], flags["owner"], flags["kind"], strict=True):
        for who in {student, owner} - {None, pd.NA}:
            if isinstance(who, str):
                said.setdefault(who, [])
                if kind not in said[who]:
                    said[who].append(kind)
    return {who: ", ".join(kinds) for who, kinds in said.items()}


HUB_COLUMNS = {
    "student": "string",
    "hub_confirmed": "float64",
    "received": "int64",
    "unconfirmed": "int64",
    "altered": "int64",
    "hub_only": "int64",
}


@dataclass
class Hub:
    """What the comparison with the hub service's copy (``hub-confirmations.json`` of each
    collection folder among the paths) tells the engine."""

    #: The service's copies, full paths: read first, so that an event they hold counts
    #: from them and a local copy's line with its id is the duplicate.
    service: set[str] = field(default_factory=set)
    #: (full path, line number) of every local line the service never received, or
    #: received otherwise: left out of what counts unless the teacher includes them.
    unconfirmed: list[tuple[str, int]] = field(default_factory=list)
    #: One row per student the service has a copy of: ``hub_confirmed`` is the share of
    #: their distinct events that it received.
    students: pd.DataFrame = field(default_factory=lambda: no_hub())


def no_hub() -> pd.DataFrame:
    return pd.DataFrame(columns=list(HUB_COLUMNS)).astype(HUB_COLUMNS)


def hub_of(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> Hub:
    """The hub service's comparison of every collection folder among ``paths``."""
    from .. import collect

    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    hub, rows = Hub(), {}
    for path in given:
        if not collect.is_collection(path):
            continue
        folder = Path(path).expanduser().resolve()
        found = collect.read_confirmations(folder)
        if found is None:
            continue
        for person in found["students"]:
            if not isinstance(person, dict) or not isinstance(person.get("student"), str):
                continue
            hub.service.update(
                str((folder / stored).resolve())
                for stored in person.get("service") or []
                if isinstance(stored, str)
            )
            counts = [_whole(person.get(name)) for name in list(HUB_COLUMNS)[2:]]
            received, unconfirmed = counts[0], counts[1]
            total = received + unconfirmed
            rows[person["student"]] = [
                person["student"],
                received / total if total else 1.0,
                *counts,
            ]
        for copy in found["copies"]:
            if not isinstance(copy, dict) or not isinstance(copy.get("file"), str):
                continue
            where = str((folder / copy["file"]).resolve())
            for key in ("unconfirmed", "altered"):
                for first, last in _pairs(copy.get(key)):
                    hub.unconfirmed += [(where, line) for line in range(first, last + 1)]
    if rows:
        frame = pd.DataFrame(list(rows.values()), columns=list(HUB_COLUMNS))
        hub.students = frame.astype(HUB_COLUMNS).sort_values("student", ignore_index=True)
    return hub


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _pairs(value: object) -> list[tuple[int, int]]:
    if not isinstance(value, list):
        return []
    return [
        (pair[0], pair[1])
        for pair in value
        if isinstance(pair, list) and len(pair) == 2 and all(_whole(n) for n in pair)
    ]


def service_first(paths: list[str], hub: Hub) -> list[str]:
    """``paths`` in reading order: the hub service's copies first (their events win the
    duplicates), then the rest, each group sorted."""
    return sorted(paths, key=lambda path: (path not in hub.service, path))


def unconfirmed_rows(paths: list[str], hub: Hub) -> pd.DataFrame:
    """The engine's (file_id, line) of each local line the hub service did not confirm."""
    ids = {path: number for number, path in enumerate(paths, start=1)}
    pairs = [(ids[path], line) for path, line in hub.unconfirmed if path in ids]
    return pd.DataFrame(pairs, columns=["file_id", "line"], dtype="int64")
