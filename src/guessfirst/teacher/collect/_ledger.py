"""The ledger: ``ledger.jsonl`` in the collection folder, collect's own append-only record.

One JSON line per log per collection: where it came from, whose it is, the stored copy,
its size, line count, the sha256 of the whole file (the prefix the next collection
compares) and of its first and last lines, the students in its lines, when each of its
lines was first collected, and what was flagged. The ledger is data: read with ``json``
only, a damaged line is reported and skipped, never a crash. It is appended under the
writers' lock of the event log, held for a whole collection, so two teachers collecting
into one folder take turns.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ...log._lock import locked as _locked

LEDGER = "ledger.jsonl"
FORMAT = 1
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FIRST_LINE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Flag:
    """Something a teacher should look at in one collected log.

    ``kind`` is ``shortened`` (lines cut off its end), ``changed`` (earlier lines edited,
    removed or added among them), ``missing`` (no longer in the home or nbgrader submission
    it was collected from), ``owner-mismatch`` (the lines are another student's than
    the owner's), ``foreign-owner`` (the file belongs to another unix user than its home's),
    ``copy-altered`` (a stored copy no longer matches the ledger), ``damaged-ledger``
    (a ledger line that cannot be read; ``file`` is then the ledger itself), or, from the
    comparison with the hub service's copy, ``unconfirmed`` (lines the service never
    received), ``altered-since-sent`` (lines other than what the service received) and
    ``hub-only`` (events the service holds that no collected log has).
    """

    #: The stored copy, relative to the collection folder (``/``-separated).
    file: str
    #: The student id its lines carry (as the report knows them), where there is one.
    student: str | None
    kind: str
    detail: str
    owner: str | None = None
    source: str = ""
    #: When it was found: the collection's time, UTC, ISO 8601.
    at: str = ""
    #: The line ranges it names, in the earlier copy's numbering (shortened, changed).
    lines: tuple[tuple[int, int], ...] = ()


@dataclass
class Record:
    """One ledger line: one log as one collection found it."""

    at: str
    run: str
    kind: str
    source: str
    key: str
    owner: str | None
    stored: str
    copied: bool
    size: int
    lines: int
    sha256: str
    first_line: str | None
    last_line: str | None
    students: list[str] = field(default_factory=list)
    #: When each line was first collected: ``[first, last, at]`` ranges, 1-based.
    since: list[list[Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    #: Not found where it was before: the rest of the record is its last version.
    missing: bool = False
    v: int = FORMAT

    def line(self) -> bytes:
        fields = asdict(self)
        ordered = {"v": fields.pop("v"), **fields}
        data = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
        return data.encode("utf-8", "backslashreplace") + b"\n"

    def flag_list(self) -> list[Flag]:
        return [
            Flag(
                file=self.stored,
                student=flag.get("student"),
                kind=flag["kind"],
                detail=flag["detail"],
                owner=self.owner,
                source=self.source,
                at=self.at,
                lines=tuple((int(a), int(b)) for a, b in flag.get("lines") or ()),
            )
            for flag in self.flags
        ]


@dataclass
class Read:
    records: list[Record]
    #: (line number, what is wrong) for each ledger line that does not count.
    problems: list[tuple[int, str]]


def read_ledger(folder: Path) -> Read:
    """The records of ``folder``'s ledger, and its damaged lines; empty when there is none."""
    try:
        data = (Path(folder) / LEDGER).read_bytes()
    except FileNotFoundError:
        return Read([], [])
    return parse(data)


def parse(data: bytes) -> Read:
    records, problems = [], []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        try:
            records.append(_record(line))
        except ValueError as exc:
            problems.append((number, str(exc)))
    return Read(records, problems)


def is_ledger(path: Path) -> bool:
    """Whether ``path`` is a collection's ledger: named so, and its first line a record."""
    if Path(path).name != LEDGER:
        return False
    try:
        with Path(path).open("rb") as handle:
            first = handle.readline(_FIRST_LINE_BYTES)
    except OSError:
        return False
    try:
        _record(first.rstrip(b"\n"))
    except ValueError:
        return False
    return True


class Ledger:
    """The ledger opened for one collection: locked until closed, so runs take turns."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LEDGER
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | _NO_FOLLOW | _BINARY
        shared = Path(folder).stat().st_mode & stat.S_ISGID  # a teachers' group folder
        self._fd = os.open(self.path, flags, 0o640 if shared else 0o600)
        self._stack = contextlib.ExitStack()
        try:
            self._stack.enter_context(_locked(self._fd, self.path))
        except BaseException:
            os.close(self._fd)
            raise
        self._ended = True

    def read(self) -> Read:
        """What earlier collections recorded, read under the lock."""
        data = _read_all(self._fd)
        self._ended = not data or data.endswith(b"\n")
        return parse(data)

    def append(self, record: Record) -> None:
        line = record.line()
        if not self._ended:  # a run that died mid-line: start afresh, never fuse lines
            line = b"\n" + line
            self._ended = True
        view = memoryview(line)
        while view:
            view = view[os.write(self._fd, view) :]

    def close(self) -> None:
        try:
            os.fsync(self._fd)
        finally:
            self._stack.close()
            os.close(self._fd)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


# -- reading one line, as data -----------------------------------------------------------


def _reject(name: str) -> None:
    raise ValueError(f"{name} is not a number a ledger holds")


def _record(line: bytes) -> Record:
    try:
        value = json.loads(line.decode("utf-8"), parse_constant=_reject)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValueError("not valid JSON") from None
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    if value.get("v") != FORMAT:
        raise ValueError(f"unknown ledger format {value.get('v')!r}")
    for name in ("at", "run", "kind", "source", "key", "stored", "sha256"):
        if not isinstance(value.get(name), str):
            raise ValueError(f"{name!r} should be text")
    for name in ("size", "lines"):
        number = value.get(name)
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise ValueError(f"{name!r} should be a whole number")
    for name in ("copied", "missing"):
        if not isinstance(value.get(name, False), bool):
            raise ValueError(f"{name!r} should be true or false")
    if "copied" not in value:
        raise ValueError("'copied' should be true or false")
    if value.get("owner") is not None and not isinstance(value["owner"], str):
        raise ValueError("'owner' should be text or null")
    if not _HEX64.fullmatch(value["sha256"]):
        raise ValueError("'sha256' should be 64 hex digits")
    for name in ("first_line", "last_line"):
        digest = value.get(name)
        if digest is not None and not (isinstance(digest, str) and _HEX64.fullmatch(digest)):
            raise ValueError(f"{name!r} should be 64 hex digits or null")
    if not _inside(value["stored"]):
        raise ValueError("'stored' should be a path inside the collection folder")
    students = value.get("students", [])
    if not (isinstance(students, list) and all(isinstance(s, str) for s in students)):
        raise ValueError("'students' should be a list of text")
    since = value.get("since", [])
    if not (isinstance(since, list) and all(_is_range(item) for item in since)):
        raise ValueError("'since' should be a list of [first, last, time]")
    flags = value.get("flags", [])
    if not (isinstance(flags, list) and all(_is_flag(item) for item in flags)):
        raise ValueError("'flags' should be a list of flags")
    return Record(
        at=value["at"],
        run=value["run"],
        kind=value["kind"],
        source=value["source"],
        key=value["key"],
        owner=value.get("owner"),
        stored=value["stored"],
        copied=value["copied"],
        size=value["size"],
        lines=value["lines"],
        sha256=value["sha256"],
        first_line=value.get("first_line"),
        last_line=value.get("last_line"),
        students=students,
        since=since,
        flags=flags,
        missing=value.get("missing", False),
    )


def _inside(stored: str) -> bool:
    """A relative path without ``..``: the ledger never points outside its folder."""
    path = PurePosixPath(stored)
    return (
        bool(stored)
        and not path.is_absolute()
        and "\\" not in stored
        and ":" not in stored
        and all(part not in ("..", ".", "") for part in stored.split("/"))
    )


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_range(item: object) -> bool:
    return (
        isinstance(item, list)
        and len(item) == 3
        and _is_whole(item[0])
        and _is_whole(item[1])
        and isinstance(item[2], str)
    )


def _is_flag(item: object) -> bool:
    if not isinstance(item, dict):
        return False
    if not (isinstance(item.get("kind"), str) and isinstance(item.get("detail"), str)):
        return False
    if item.get("student") is not None and not isinstance(item["student"], str):
        return False
    lines = item.get("lines", [])
    return isinstance(lines, list) and all(
        isinstance(pair, list) and len(pair) == 2 and all(_is_whole(n) for n in pair)
        for pair in lines
    )
