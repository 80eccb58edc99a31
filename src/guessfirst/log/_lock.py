"""The writers' lock on a log file, the same on every system a class uses.

Every writer of a log (a student's kernels, the teacher's collector, the hub service)
takes this lock before it reads the last line and appends after it, so that no two
writers chain to the same line. Windows locks are mandatory and would stop a teacher
from even reading the log, so there the lock lives on a sidecar ``.lock`` file instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

#: Opening a log refuses a symbolic link where the system can tell (not on Windows).
NO_FOLLOW: int = getattr(os, "O_NOFOLLOW", 0)

if sys.platform == "win32":
    import msvcrt

    @contextlib.contextmanager
    def locked(fd: int, path: Path) -> Iterator[None]:
        """Hold the writers' exclusive lock on ``path``: on its sidecar ``.lock`` file."""
        lock_fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o666)
        try:
            msvcrt.locking(lock_fd, msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                os.lseek(lock_fd, 0, os.SEEK_SET)
                msvcrt.locking(lock_fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(lock_fd)

else:
    import fcntl

    @contextlib.contextmanager
    def locked(fd: int, path: Path) -> Iterator[None]:
        """Hold the writers' exclusive lock on ``path``, open as ``fd``."""
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
