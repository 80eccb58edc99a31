"""Appending events to a log: locked, chained, flushed, all or none.

Several kernels may write one student's file, so the writers' lock covers reading the
last line and writing the new ones: otherwise two writers could chain to the same line.
A write that fails leaves the file as it was, so no half-written event is ever read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from ._lock import NO_FOLLOW, locked
from .events import Event, chain_hash, encode, fitted
from .read import read_events

_TAIL_BLOCK = 8192

#: What to append: the events, or a function of the file's events that makes them.
Appended = Sequence[Event] | Callable[[list[Event]], Sequence[Event]]


def append_event(path: Path, event: Event) -> Event:
    """Append ``event`` durably and return it as written, with ``prev``."""
    return append_events(path, [event])[0]


def append_events(path: Path, events: Appended) -> list[Event]:
    """Append ``events`` in order, durably and all or none; return them as written.

    One answer makes several events (an attempt, then the reveal it opens): written
    together they cost one lock and one fsync, which is most of an answer's wait. The
    events themselves are not changed. ``events`` may be a function of the file's events,
    called under the lock: what it makes (an attempt's number) then follows from every
    writer's events, not just this kernel's. A new file is readable by its owner only
    (and by the group, in a folder with the setgid bit: a school's drop folder). Raises
    OSError when the disk refuses, when the file is a link, or when it belongs to another
    user (a log is never written through a link, nor into someone else's file); the file
    is then left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ready = None if callable(events) else [fitted(event) for event in events]
    fd = _open_log(path)
    try:
        _refuse_foreign(fd, path)
        with locked(fd, path):
            if ready is None:
                assert callable(events)
                ready = [fitted(event) for event in events(read_events(path).events)]
            return _append_locked(fd, path, ready)
    finally:
        os.close(fd)


def _open_log(path: Path) -> int:
    """``path`` open for appending, made if new; never through a link."""
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags | NO_FOLLOW, _new_file_mode(path.parent))
    except OSError as exc:
        if exc.errno == errno.ELOOP and path.is_symlink():
            raise OSError(
                errno.ELOOP, f"{path.name} is a link, and a log is never written through one"
            ) from None
        raise


def _append_locked(fd: int, path: Path, events: list[Event]) -> list[Event]:
    """Chain ``events`` to the file's last line and write them; the lock is held."""
    size = os.fstat(fd).st_size
    if size == 0:
        _sync_folder(path.parent)
    last, ended = _last_line(fd, size)
    written, lines = [], []
    prev = chain_hash(last) if size else ""
    for event in events:
        chained = {**event, "prev": prev}
        line = encode(chained)
        written.append(chained)
        lines.append(line)
        prev = chain_hash(line)
    # A writer that died mid-line left no "\n": start afresh rather than fuse lines.
    payload = (b"\n" if size and not ended else b"") + b"".join(line + b"\n" for line in lines)
    _write_durably(fd, payload, size)
    return written


def _write_durably(fd: int, payload: bytes, size: int) -> None:
    """Write ``payload`` whole and fsync it, or cut the file back to ``size`` and raise."""
    try:
        count = os.write(fd, payload)
        if count != len(payload):
            raise OSError(errno.EIO, f"only {count} of {len(payload)} bytes written")
        os.fsync(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def _read_at(fd: int, offset: int, count: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, count)


def _last_line(fd: int, size: int) -> tuple[bytes, bool]:
    """The file's last line without ``\\n``, and whether the file ends with ``\\n``.

    Read backwards block by block, so appending costs the same on a long log.
    """
    ended = size > 0 and _read_at(fd, size - 1, 1) == b"\n"
    blocks: list[bytes] = []
    end = size - 1 if ended else size
    while end > 0:
        start = max(0, end - _TAIL_BLOCK)
        block = _read_at(fd, start, end - start)
        cut = block.rfind(b"\n")
        if cut >= 0:
            blocks.append(block[cut + 1 :])
            break
        blocks.append(block)
        end = start
    return b"".join(reversed(blocks)), ended


def _new_file_mode(folder: Path) -> int:
    """0600, or 0640 in a setgid folder, whose group is then the class's teachers."""
    try:
        setgid = bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        setgid = False
    return 0o640 if setgid else 0o600


def _refuse_foreign(fd: int, path: Path) -> None:
    """Raise when the open file belongs to another user: in a shared folder, a file made
    first by someone else in a student's name must not receive that student's work."""
    if os.name != "posix":
        return
    owner = os.fstat(fd).st_uid
    if owner != os.geteuid():
        raise OSError(errno.EPERM, f"{path.name} belongs to another user")


def _sync_folder(folder: Path) -> None:
    """Make a new file's name durable before its first event is reported as saved.

    Windows cannot open a folder and needs no such step.
    """
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
