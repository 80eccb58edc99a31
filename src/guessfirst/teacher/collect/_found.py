"""What every source yields: a log found somewhere, not yet read, with whose it is.

A source is student-controlled (a home, an upload), so a file is read only as bytes, only
when it is a regular file and not a link, and only up to MAX_LOG_BYTES: a FIFO named
``ana.jsonl`` must not hang the teacher's command, nor a link make it copy another file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...log.eventlog import safe_name

#: The largest log read: a year of daily lessons is a few MB, so this is never a real one.
MAX_LOG_BYTES = 256 * 2**20
LOGS_FOLDER = "guessfirst-logs"
SUFFIX = ".jsonl"

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NON_BLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class CollectError(Exception):
    """A source that cannot be read at all (a refused zip, a missing folder): nothing is
    collected, so a teacher never gets half of a class's download."""


class Skip(Exception):
    """One file that cannot be collected; the others still are. The message says why."""


@dataclass
class Found:
    """One log in a source, and everything known about it before it is read."""

    #: Where it is, for people: a path, or ``download.zip!member``.
    source: str
    #: ``home``, ``canvas``, ``moodle``, ``zip``, ``nbgrader`` or ``file``.
    kind: str
    #: The same log's key in every collection: a home's relative path, not the hub's mount.
    key: str
    #: Whose it is, where the source says so (a home, an LMS entry, an nbgrader folder).
    owner: str | None
    #: The folders and file that name the stored copy, before they are made safe.
    parts: tuple[str, ...]
    read: Callable[[], bytes]
    #: Whether ``owner`` is a login, comparable as it is with the ids in the log's lines.
    login: bool = False
    #: Other names of the owner a roster may use: Canvas's user id.
    aliases: tuple[str, ...] = ()
    #: Flags found before reading, such as a file owned by another unix user.
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Scan:
    """The logs of some sources, and the files that could not be taken, with why."""

    found: list[Found] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: What to close once the logs are read (an open zip).
    closing: list[Callable[[], None]] = field(default_factory=list)
    #: Key prefixes searched whole (a home, an nbgrader submission): a log recorded under
    #: one of them before and not found now is missing.
    scopes: set[str] = field(default_factory=set)

    def extend(self, other: Scan) -> None:
        self.found.extend(other.found)
        self.skipped.extend(other.skipped)
        self.closing.extend(other.closing)
        self.scopes.update(other.scopes)

    def close(self) -> None:
        for close in self.closing:
            close()
        self.closing.clear()


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, a regular file that is not a link; Skip says why not."""
    try:
        fd = os.open(path, os.O_RDONLY | _NO_FOLLOW | _NON_BLOCK | _BINARY)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Skip("a link: not followed") from None
        raise Skip(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Skip("not a regular file")
        if info.st_size > MAX_LOG_BYTES:
            raise Skip(f"{info.st_size:,} bytes, more than any log ({MAX_LOG_BYTES:,})")
        chunks, left = [], MAX_LOG_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise Skip(f"grew past {MAX_LOG_BYTES:,} bytes while it was read")
        return b"".join(chunks)
    except OSError as exc:
        raise Skip(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def reader(path: Path) -> Callable[[], bytes]:
    return lambda: read_file(path)


def walk_logs(
    root: Path, *, logs_folders_only: bool, avoid: Path | None = None
) -> Iterator[tuple[Path, str | None]]:
    """Each ``*.jsonl`` below ``root``, in a stable order, with why it is skipped (or None).

    Links to folders are not entered and links to files are skipped: in a student's home
    either could point into someone else's. With ``logs_folders_only``, only files directly
    in a ``guessfirst-logs`` folder count (a student's own ``data.jsonl`` is not a log).
    ``avoid`` (the collection's own folder, resolved) is never entered: no link is
    followed below the resolved root, so comparing names is enough.
    """
    start = root.resolve()
    refused: list[OSError] = []  # a folder that cannot be read is said, not passed over
    for folder, folders, files in os.walk(start, onerror=refused.append, followlinks=False):
        here = Path(folder)
        folders[:] = sorted(name for name in folders if here / name != avoid)
        yield from _refused(refused, root, start)
        if logs_folders_only and here.name != LOGS_FOLDER:
            continue
        for name in sorted(files):
            if not name.endswith(SUFFIX):
                continue
            path = root / (here / name).relative_to(start)
            yield path, ("a link: not followed" if path.is_symlink() else None)
    yield from _refused(refused, root, start)


def _refused(errors: list[OSError], root: Path, start: Path) -> Iterator[tuple[Path, str]]:
    for error in errors:
        where = Path(error.filename or start)
        shown = root / where.relative_to(start) if where.is_relative_to(start) else where
        yield shown, f"cannot be searched: {error.strerror or error}"
    errors.clear()


def same_path(path: Path, other: Path | None) -> bool:
    """Whether ``path`` resolves to ``other`` (already resolved)."""
    if other is None:
        return False
    try:
        return path.resolve() == other
    except OSError:
        return False


def stem(parts: Iterable[str]) -> str:
    """The stored copy's name without ``.jsonl``: the folders between the source's root and
    the file, without ``guessfirst-logs``, joined by ``__``, then made safe for any disk.

    ``lesson1/guessfirst-logs/ana.jsonl`` gives ``lesson1__ana``.
    """
    kept = [part for part in parts if part and part not in (LOGS_FOLDER, ".", "..")]
    if kept and kept[-1].endswith(SUFFIX):
        kept[-1] = kept[-1][: -len(SUFFIX)]
    return safe_name("__".join(kept) or "log")


def unix_owner_note(info: os.stat_result, expected: int | None, where: str) -> str | None:
    """Why a file ``where`` (``alice's home``) should not be owned as it is, or None."""
    if expected is None or info.st_uid == expected:
        return None
    return f"in {where}, but the file belongs to {user_name(info.st_uid)}"


def uid_of_user(name: str) -> int | None:
    """The uid of unix user ``name``, or None where there is none (or no ``pwd``)."""
    try:
        import pwd
    except ImportError:  # Windows
        return None
    try:
        return pwd.getpwnam(name).pw_uid
    except (KeyError, ValueError):
        return None


def user_name(uid: int) -> str:
    try:
        import pwd

        return f"user {pwd.getpwuid(uid).pw_name!r}"
    except (ImportError, KeyError):
        return f"uid {uid}"
