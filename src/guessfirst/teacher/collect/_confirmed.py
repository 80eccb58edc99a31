"""The comparison with the hub service's copies as written (``hub-confirmations.json``),
read back, and the flags it makes: ``unconfirmed``, ``altered-since-sent``, ``hub-only``.

:mod:`._service` makes the comparison; this reads it, so that the flags of a collection
come from what was written, whichever run wrote it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._ledger import Flag
from ._service import CONFIRMATIONS, FORMAT, KIND


def read(folder: Path) -> dict[str, Any] | None:
    """The comparison written in ``folder``, or None when there is none (or it is damaged)."""
    try:
        value = json.loads((Path(folder) / CONFIRMATIONS).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not (isinstance(value, dict) and value.get("v") == FORMAT):
        return None
    if not (isinstance(value.get("copies"), list) and isinstance(value.get("students"), list)):
        return None
    return value


def flags(folder: Path) -> list[Flag]:
    """The flags of the comparison in ``folder``: a copy's unconfirmed and altered lines,
    and a student's events that only the service holds."""
    found = read(folder)
    if found is None:
        return []
    at = str(found.get("at", ""))
    result: list[Flag] = []
    for copy in found["copies"]:
        if isinstance(copy, dict) and isinstance(copy.get("file"), str):
            result += _copy_flags(copy, at)
    for person in found["students"]:
        if isinstance(person, dict) and isinstance(person.get("student"), str):
            result += _hub_only(person, at)
    return result


#: Per kind of flag on a copy: its key in the comparison, and its words.
_COPY_FLAGS = (
    (
        "unconfirmed",
        "unconfirmed",
        ("was", "were", "never received by the hub service"),
        ": forged, or written while the service could not be reached and never sent",
    ),
    (
        "altered-since-sent",
        "altered",
        ("is", "are", "not what the hub service received"),
        ": edited after it was sent; the hub service's record counts instead",
    ),
)


def _copy_flags(copy: dict[str, Any], at: str) -> list[Flag]:
    """A copy's unconfirmed lines and its altered ones, a flag for each kind it has."""
    students = [s for s in copy.get("students") or [] if isinstance(s, str)]
    student = students[0] if students else None
    owner = copy.get("owner") if isinstance(copy.get("owner"), str) else None
    total = copy.get("lines") if isinstance(copy.get("lines"), int) else 0
    result: list[Flag] = []
    for kind, key, (one, many, said), why in _COPY_FLAGS:
        spans = _spans(copy.get(key))
        count = sum(last - first + 1 for first, last in spans)
        if not count:
            continue
        detail = (
            f"{count} of {total} {'line' if total == 1 else 'lines'} "
            f"({_said(spans)}) {one if count == 1 else many} {said}{why}"
        )
        result.append(
            Flag(
                file=copy["file"],
                student=student,
                kind=kind,
                detail=detail,
                owner=owner,
                source=KIND,
                at=at,
                lines=tuple(spans),
            )
        )
    return result


def _hub_only(person: dict[str, Any], at: str) -> list[Flag]:
    """A flag for the student's events that only the service holds, if it holds any."""
    count = person.get("hub_only")
    service = [s for s in person.get("service") or [] if isinstance(s, str)]
    if not (isinstance(count, int) and count > 0 and service):
        return []
    detail = (
        f"{count} {'event' if count == 1 else 'events'} the hub service received "
        f"{'is' if count == 1 else 'are'} in none of {person['student']}'s collected logs "
        "(cut or deleted from them): kept from the hub service's copy, and counted"
    )
    flag = Flag(
        file=service[-1],
        student=person["student"],
        kind="hub-only",
        detail=detail,
        owner=person["student"],
        source=KIND,
        at=at,
    )
    return [flag]


def _spans(value: object) -> list[tuple[int, int]]:
    if not isinstance(value, list):
        return []
    return [
        (int(pair[0]), int(pair[1]))
        for pair in value
        if isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
        and 0 < pair[0] <= pair[1]
    ]


def _said(spans: list[tuple[int, int]], shown: int = 8) -> str:
    words = [f"{a}" if a == b else f"{a}-{b}" for a, b in spans[:shown]]
    more = f" and {len(spans) - shown} more runs" if len(spans) > shown else ""
    return ("line " if len(spans) == 1 and spans[0][0] == spans[0][1] else "lines ") + (
        ", ".join(words) + more
    )
