"""Comparing a log with the copy collected before it: which earlier lines are gone or
changed, and when they had been collected, so a flag can name them.

A log only ever grows, so the common case costs one hash: the new file starting with the
old file's bytes. Only a log that did not just grow is split into lines and diffed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Students kept per log in the ledger: a log is one student's; more is a sign, not a list.
MAX_STUDENTS = 20
_STUDENT = re.compile(rb'"student":"((?:[^"\\\n]|\\.)*)"')


@dataclass
class Facts:
    """What the ledger keeps of one version of a log."""

    size: int
    lines: int
    sha256: str
    first_line: str | None
    last_line: str | None
    #: The sha256 of the first ``prefix`` bytes, when asked: the earlier version's size.
    prefix_sha256: str | None = None


def first_line(data: bytes) -> str | None:
    """The sha256 of the first line: a log keeps it for ever, wherever it is moved."""
    if not data:
        return None
    end = data.find(b"\n")
    return digest(data if end < 0 else data[:end])


def facts(data: bytes, prefix: int | None = None) -> Facts:
    """The facts of ``data``, in one pass of the hash however long the log (the prefix's
    hash is a step of the whole file's)."""
    ended = not data or data.endswith(b"\n")
    count = data.count(b"\n") + (0 if ended else 1)
    body = len(data) - (1 if data and ended else 0)
    last = data[data.rfind(b"\n", 0, body) + 1 : body] if data else None
    view = memoryview(data)
    hashing, prefix_sha256 = hashlib.sha256(), None
    if prefix is not None and prefix <= len(data):
        hashing.update(view[:prefix])
        prefix_sha256 = hashing.hexdigest()
        view = view[prefix:]
    hashing.update(view)
    return Facts(
        size=len(data),
        lines=count,
        sha256=hashing.hexdigest(),
        first_line=first_line(data),
        last_line=None if last is None else digest(last),
        prefix_sha256=prefix_sha256,
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def split(data: bytes) -> list[bytes]:
    """The lines of ``data`` without their ``\n``; a last line without one counts."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return lines


@dataclass
class Change:
    """How a new version differs from the old one: ``kind`` None when it only grew."""

    kind: str | None = None
    detail: str = ""
    #: Line ranges of the old version that are gone or changed.
    lines: list[tuple[int, int]] = field(default_factory=list)
    #: When each line of the new version was first collected.
    since: list[list[Any]] = field(default_factory=list)
    #: The lines that are new in this version, whose students are looked at.
    added: bytes = b""


def grown(
    since: list[list[Any]], old_size: int, old_lines: int, new: bytes, new_lines: int, at: str
) -> Change:
    """The Change of a log that only grew past its old ``old_size`` bytes: new lines are
    dated ``at``. A last line the old copy had without its ``\n`` is the same line, finished,
    and is looked at again."""
    ended = old_size == 0 or new[old_size - 1] == ord("\n")
    start = old_size if ended else new.rfind(b"\n", 0, old_size) + 1
    kept = [list(entry) for entry in since]
    if new_lines > old_lines:
        kept.append([old_lines + 1, new_lines, at])
    return Change(since=kept, added=new[start:])


def compare(old: bytes, new: bytes, since: list[list[Any]], at: str, kept: str) -> Change:
    """How ``new`` differs from ``old``, whose lines were first collected as ``since`` says.

    ``kept`` (the earlier copy) is named in the detail: the lines are not lost.
    """
    old_lines, new_lines = split(old), split(new)
    if new.startswith(old):
        return grown(since, len(old), len(old_lines), new, len(new_lines), at)
    if old.startswith(new):
        # Cut off the end; a line cut in its middle is gone too.
        cut = bool(new) and not new.endswith(b"\n")
        gone = [(len(new_lines) + (0 if cut else 1), len(old_lines))]
        words = _dated(gone, since, at)
        return Change(
            kind="shortened",
            detail=f"{words}, {_are(gone)} gone (the earlier copy keeps them: {kept})",
            lines=gone,
            since=_clip(since, len(new_lines)),
        )
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    pieces: list[str] = []
    ranges: list[tuple[int, int]] = []
    dates: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            dates.extend((j1 + n + 1, _date_of(since, i1 + n + 1, at)) for n in range(i2 - i1))
            continue
        dates.extend((j + 1, at) for j in range(j1, j2))
        if tag == "insert":
            if i1 < len(old_lines):
                count = j2 - j1
                pieces.append(
                    f"{count} {'line was' if count == 1 else 'lines were'} added before "
                    f"line {i1 + 1}"
                )
            continue
        span = [(i1 + 1, i2)]
        ranges.extend(span)
        verb = "changed" if tag == "replace" else "removed"
        pieces.append(f"{_dated(span, since, at)}, {_were(span)} {verb}")
    added = b"\n".join(new_lines[line - 1] for line, when in dates if when == at)
    if not pieces:  # only lines after the old ones, and the old last line finished
        return Change(since=_runs(dates), added=added)
    return Change(
        kind="changed",
        detail="; ".join(pieces) + f" (the earlier copy keeps them: {kept})",
        lines=ranges,
        since=_runs(dates),
        added=added,
    )


def students(text: bytes) -> list[str]:
    """The distinct student ids of the lines in ``text``, in order of first appearance.

    A log as guessfirst writes it is read by a pattern, which costs a tenth of decoding
    every line; any other is decoded, plain objects in one call and the rest one by one (a
    line that is not JSON has no student).
    """
    fast = _students_by_pattern(text)
    if fast is not None:
        return fast
    plain, other = [], []
    for line in split(text) if text else []:
        stripped = line.strip()
        if stripped.startswith(b"{") and stripped.endswith(b"}") and stripped.count(b"{") == 1:
            plain.append(stripped)
        elif stripped:
            other.append(stripped)
    values: list[object] = []
    if plain:
        try:
            values = json.loads(b"[" + b",".join(plain) + b"]")
            if len(values) != len(plain):
                raise ValueError("the lines did not decode one by one")
        except (ValueError, RecursionError):
            values, other = [], plain + other
    for line in other:
        try:
            values.append(json.loads(line))
        except (ValueError, RecursionError):
            continue
    found: dict[str, None] = {}
    for value in values:
        if isinstance(value, dict) and isinstance(value.get("student"), str):
            found[value["student"]] = None
            if len(found) >= MAX_STUDENTS:
                break
    return list(found)


def _students_by_pattern(data: bytes) -> list[str] | None:
    """The students of ``lines`` read by a pattern, or None when that could miss one.

    Safe when nothing is written as a ``\\u`` escape (the only one that could spell
    ``student``), every line starts with its only ``{`` (no nested object), and the text
    ``"student"`` occurs as often as there are lines, each time as a key with a string
    value: a ``"`` inside a string is escaped, so each is a line's top-level key. A line
    holding it twice is refused by every reader, and one then lacking it has no student.
    """
    data = data.rstrip(b"\n")
    count = data.count(b"\n") + 1
    if not data or b"\\u" in data or data.count(b"{") != count:
        return None
    if data.count(b"\n{") + data.startswith(b"{") != count or data.count(b'"student"') != count:
        return None
    first = _STUDENT.search(data)
    if first is None:
        return None
    if data.count(first.group(0)) == count:  # one student throughout: the usual log
        found = [first.group(1)]
    else:
        found = _STUDENT.findall(data)
        if len(found) != count:
            return None
    names: dict[str, None] = {}
    for raw in dict.fromkeys(found):
        try:
            name = json.loads(b'"' + raw + b'"')
        except ValueError:
            return None
        names[name] = None
        if len(names) >= MAX_STUDENTS:
            break
    return list(names)


def day(at: str, now: str) -> str:
    """``2 December`` in this computer's zone; with the year when it is not ``now``'s."""
    when, today = _local(at), _local(now)
    text = f"{when.day} {_MONTHS[when.month - 1]}"
    return text if when.year == today.year else f"{text} {when.year}"


def _local(at: str) -> datetime:
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(timezone.utc).astimezone()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone()


def _date_of(since: Sequence[Sequence[Any]], line: int, default: str) -> str:
    for first, last, when in since:
        if first <= line <= last:
            return str(when)
    return default


def _dated(ranges: list[tuple[int, int]], since: list[list[Any]], now: str) -> str:
    """``lines 31-40, collected on 25 November, and lines 41-48, collected on 2 December``."""
    parts = []
    for first, last in ranges:
        run_start, run_date = first, _date_of(since, first, now)
        for line in range(first + 1, last + 2):
            when = _date_of(since, line, now) if line <= last else None
            if when != run_date:
                parts.append(f"{_span(run_start, line - 1)}, collected on {day(run_date, now)}")
                run_start, run_date = line, when or now
    return ", and ".join(parts)


def _span(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _are(ranges: list[tuple[int, int]]) -> str:
    return "is" if _count(ranges) == 1 else "are"


def _were(ranges: list[tuple[int, int]]) -> str:
    return "was" if _count(ranges) == 1 else "were"


def _count(ranges: list[tuple[int, int]]) -> int:
    return sum(last - first + 1 for first, last in ranges)


def _clip(since: list[list[Any]], lines: int) -> list[list[Any]]:
    return [[first, min(last, lines), when] for first, last, when in since if first <= lines]


def _runs(dates: list[tuple[int, str]]) -> list[list[Any]]:
    """``[first, last, when]`` ranges of consecutive lines first collected at one time."""
    runs: list[list[Any]] = []
    for line, when in dates:
        if runs and runs[-1][2] == when and runs[-1][1] == line - 1:
            runs[-1][1] = line
        else:
            runs.append([line, line, when])
    return runs
