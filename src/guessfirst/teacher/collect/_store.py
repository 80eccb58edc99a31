"""The stored copies: where each log goes in the collection folder, written so that no
copy collected earlier is ever overwritten.

A log's first copy is ``<owner>/<stem>.jsonl`` (the owner, or the one student of a log
with no known owner, else ``_unknown``); each later version of it is a new copy beside the
first, ``<stem>.v2.jsonl``, ``<stem>.v3.jsonl``, ... The stem is the lesson folders and
the file name (``lesson1__ana``); when two logs would share one, the later one's stem
gets 8 hex digits of its key's hash. A copy is written to a hidden ``.partial`` file,
synced, then linked to its name, which fails rather than replace anything there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ...log.eventlog import safe_name

UNKNOWN = "_unknown"
_STORED = re.compile(r"(?P<stem>.+?)(?:\.v(?P<version>\d+))?\.jsonl")
_VERSION_LIKE = re.compile(r".*\.v\d+")
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
#: Copies synced at once: a disk commits concurrent syncs together.
_SYNC_THREADS = 8


def folder_for(owner: str | None, students: list[str]) -> str:
    if owner:
        return safe_name(owner)
    return safe_name(students[0]) if len(students) == 1 else UNKNOWN


def parsed(stored: str) -> tuple[str, str, int]:
    """(folder, stem, version) of a stored copy's relative path."""
    folder, _, name = stored.rpartition("/")
    match = _STORED.fullmatch(name)
    if match is None:
        return folder, name, 1
    return folder, match["stem"], int(match["version"] or 1)


def unique_stem(into: Path, folder: str, stem: str, key: str, taken: dict[str, str]) -> str:
    """``stem``, or it with a hash of ``key`` when another log has it (in the ledger or on
    disk), or when it would read as a version (``x.v2``)."""
    owner = taken.get(f"{folder}/{stem}")
    free = owner == key or (owner is None and not (into / folder / f"{stem}.jsonl").exists())
    if free and not _VERSION_LIKE.fullmatch(stem):
        return stem
    return f"{stem}-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def plan(into: Path, folder: str, stem: str, version: int) -> str:
    """The path, relative to ``into``, of version ``version`` of ``stem``, or of the next
    version whose name is free."""
    while True:
        name = f"{stem}.jsonl" if version <= 1 else f"{stem}.v{version}.jsonl"
        target = into / folder / name
        if not (target.exists() or target.is_symlink()):
            return f"{folder}/{name}"
        version += 1


def write_partial(into: Path, stored: str, data: bytes) -> Path:
    """Write ``data`` beside where ``stored`` will be, under a hidden ``.partial`` name that
    no reader takes for a log; :func:`settle` makes it durable and names it."""
    target = into / stored
    _make_folder(target.parent)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    mode = 0o640 if target.parent.stat().st_mode & stat.S_ISGID else 0o600
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NO_FOLLOW | _BINARY
    fd = os.open(partial, flags, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return partial


def settle(into: Path, written: list[tuple[Path, str]]) -> list[str]:
    """Make the partial copies durable, then give each its name, never replacing a file;
    return the names given (the next version's, when one was taken meanwhile).

    The copies are synced together, on a few threads, which costs a disk far less than a
    sync per copy; their folders' new names are synced after.
    """
    with ThreadPoolExecutor(_SYNC_THREADS) as pool:
        list(pool.map(_sync, [partial for partial, _ in written], [os.O_RDWR] * len(written)))
    named = []
    try:
        for partial, stored in written:
            named.append(_link(into, partial, stored))
    finally:
        for partial, _ in written:
            with contextlib.suppress(OSError):
                partial.unlink()
    if os.name != "nt":  # Windows opens no folder, and needs no such step
        folders = {(into / stored).parent for stored in named} | {into}
        with ThreadPoolExecutor(_SYNC_THREADS) as pool:
            list(pool.map(_sync, folders, [os.O_RDONLY] * len(folders)))
    return named


def _link(into: Path, partial: Path, stored: str) -> str:
    folder, stem, version = parsed(stored)
    while True:
        try:
            os.link(partial, into / stored)
            return stored
        except FileExistsError:
            version += 1
            stored = plan(into, folder, stem, version)
        except OSError:  # a disk without hard links: create-exclusive instead
            mode = partial.stat().st_mode & 0o777
            try:
                fd = os.open(into / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, mode)
            except FileExistsError:
                version += 1
                stored = plan(into, folder, stem, version)
                continue
            _copy_into(fd, partial)
            return stored


def _copy_into(fd: int, partial: Path) -> None:
    try:
        view = memoryview(partial.read_bytes())
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_folder(folder: Path) -> None:
    """A folder of student logs, private to the teacher (to the teachers' group in a setgid
    folder, which the new folder inherits)."""
    if folder.is_dir():
        return
    shared = bool(folder.parent.stat().st_mode & stat.S_ISGID)
    folder.mkdir(mode=0o750 if shared else 0o700, parents=True, exist_ok=True)


def _sync(path: Path, mode: int) -> None:
    fd = os.open(path, mode | _BINARY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
