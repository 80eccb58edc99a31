"""Reading a log: its valid events in file order, and what is wrong with its other lines.

A line counts when logline says it does; every other line is reported as a
:class:`Problem`, never executed nor guessed at. Each new question re-reads the
student's file, so results are cached, and a file that only grew has just its new
lines decoded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import logline
from .events import MAX_LINE_BYTES, Event

_CACHE_ENTRIES = 16


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one line of a log file, for a teacher to read."""

    file: str
    line: int
    kind: str
    detail: str


@dataclass
class ReadResult:
    """A file's events that count, and why its other lines do not."""

    events: list[Event]
    problems: list[Problem]


@dataclass(frozen=True)
class Parsed:
    """What :func:`parse` made of a file's bytes."""

    data: bytes  # the bytes these results came from
    events: list[Event]
    numbers: list[int]  # the 1-based line of each event
    problems: list[Problem]


_cache: dict[str, tuple[tuple[int, int], Parsed]] = {}
_ALONE = object()  # a line the bulk decode could not vouch for
_Fault = tuple[str, str]


def read_events(path: Path) -> ReadResult:
    """Every valid event of ``path`` in file order, and what was wrong with the other lines.

    A missing file reads as empty: a student who has not answered yet has none. Results
    are cached on the file's size and modification time. The events returned are fresh
    dicts, but values inside them are shared with the cache: replace them, never mutate.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ReadResult([], [])
    key, stamp = str(path), (stat.st_size, stat.st_mtime_ns)
    hit = _cache.pop(key, None)
    if hit is None or hit[0] != stamp:
        hit = (stamp, parse(path.read_bytes(), key, hit[1] if hit else None))
    if len(_cache) >= _CACHE_ENTRIES:
        del _cache[next(iter(_cache))]
    _cache[key] = hit
    parsed = hit[1]
    return ReadResult([dict(event) for event in parsed.events], list(parsed.problems))


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in a log")


# Lines are judged by logline's definition: a name given twice is seen (readers keep
# different copies), and a huge integer is a field's fault, not a line Python cannot read.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=logline.object_pairs)
#: For the rare line whose integer is longer than Python makes: a number per call is slow.
_HUGE_INTS = json.JSONDecoder(
    parse_constant=_reject_constant,
    object_pairs_hook=logline.object_pairs,
    parse_int=logline.parse_int,
)


def split_lines(data: bytes) -> tuple[list[bytes], bool]:
    """The file's lines without ``\\n``, and whether the last one was cut short."""
    lines = data.split(b"\n")
    last = lines.pop()  # b"" when the file ends with "\n"
    if last:
        lines.append(last)
    return lines, bool(last)


def parse(data: bytes, file: str, known: Parsed | None = None) -> Parsed:
    """Events and problems of ``data``; lines already in ``known`` are not decoded again."""
    events: list[Event]
    if known is not None and known.data.endswith(b"\n") and data.startswith(known.data):
        events, numbers, problems = list(known.events), list(known.numbers), list(known.problems)
        start = len(known.data)
    else:
        events, numbers, problems = [], [], []
        start = 0
    lines, cut = split_lines(data[start:])
    first = data.count(b"\n", 0, start) + 1
    last = first + len(lines) - 1
    for number, line, value in zip(range(first, last + 1), lines, _bulk_decode(lines), strict=True):
        event, fault = _check_line(line) if value is _ALONE else _check_value(value)
        if cut and number == last:
            kept = "it is kept, being complete" if fault is None else "it is skipped"
            fault = ("truncated-line", f"the last line has no line end ({kept})")
        if event is not None:
            events.append(event)
            numbers.append(number)
        if fault is not None:
            problems.append(Problem(file, number, *fault))
    return Parsed(data, events, numbers, problems)


def _bulk_decode(lines: list[bytes]) -> list[object]:
    """Decode most lines in one call: line by line costs half as much again on a long log.

    Only lines that start with their only ``{`` and end with ``}`` are joined: JSON strings
    cannot hold a raw newline, so such a line's last ``}`` must close the object its first
    character opened, and no object can reach into the next line. The count of values is
    checked all the same. Other lines come back as _ALONE, to be decoded on their own.
    """
    plain = [
        number
        for number, line in enumerate(lines)
        if len(line) <= MAX_LINE_BYTES
        and line.startswith(b"{")
        and line.endswith(b"}")
        and line.count(b"{") == 1
    ]
    decoded: list[object] = [_ALONE] * len(lines)
    if not plain:
        return decoded
    try:
        text = b",\n".join(lines[number] for number in plain).decode("utf-8")
        values = _DECODER.decode(f"[{text}]")
    except (ValueError, RecursionError):
        return decoded
    if len(values) == len(plain):
        for number, value in zip(plain, values, strict=True):
            decoded[number] = value
    return decoded


def _check_line(line: bytes) -> tuple[Event | None, _Fault | None]:
    """The event on ``line``, or why the line does not count."""
    if len(line) > MAX_LINE_BYTES:
        return None, ("too-long", f"the line has {len(line)} bytes, over {MAX_LINE_BYTES}")
    try:
        value = _decode(line.decode("utf-8"))
    except UnicodeDecodeError:
        detail = "the bytes are not UTF-8 text"
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} at column {exc.colno}"
    except ValueError as exc:  # NaN or Infinity
        detail = str(exc)
    except RecursionError:
        detail = "nested too deeply"
    else:
        return _check_value(value)
    return None, ("not-json", f"not valid JSON: {detail}")


def _decode(text: str) -> object:
    """The value of one line; raises ValueError (or RecursionError) when it is no JSON."""
    try:
        value: object = _DECODER.decode(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer over Python's digit limit, or NaN: refused again
        value = _HUGE_INTS.decode(text)
    return value


def _check_value(value: object) -> tuple[Event | None, _Fault | None]:
    """The event ``value`` is, or why it does not count: see :func:`logline.fault`."""
    fault = logline.fault(value)
    if fault is not None:
        return None, fault
    assert isinstance(value, dict)
    return value, None
