"""The hub cursor beside a log: how far the school's service has the log's lines.

The cursor (``<log>.hub-cursor.json``) says how many lines the service has acknowledged
or refused for good, with the hashes that show when the lines it counted were edited or
cut since: then everything is sent again, which is safe because the service keeps each
id once. It is read and written under the log's own writers' lock, so two kernels of one
student never move it back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ._lock import NO_FOLLOW, locked

CURSOR_SUFFIX = ".hub-cursor.json"

_log = logging.getLogger("guessfirst")


def cursor_path(log: Path) -> Path:
    """Where the cursor of ``log`` is kept: beside it."""
    return log.with_name(log.name + CURSOR_SUFFIX)


@dataclass
class Cursor:
    """How far the service has the log: lines done (held or refused for good)."""

    url: str
    lines: int = 0
    sha256: str = ""  # of the last line done, without its "\n"
    prefix_sha256: str = ""  # of every byte done: an edit anywhere before shows
    refused: int = 0
    skipped: int = 0  # lines that were no JSON object, never sent

    def fits(self, lines: list[bytes]) -> bool:
        """True when the lines it counted are still the log's first lines, unchanged."""
        if not 0 <= self.lines <= len(lines):
            return False
        if self.lines == 0:
            return True
        done = lines[: self.lines]
        return (
            hashlib.sha256(done[-1]).hexdigest() == self.sha256
            and _prefix_hash(done) == self.prefix_sha256
        )


def _prefix_hash(lines: list[bytes]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line + b"\n")
    return digest.hexdigest()


def advanced(cursor: Cursor, lines: list[bytes], to: int, refused: int, skipped: int) -> Cursor:
    """``cursor`` moved on to line ``to``, counting ``refused`` and ``skipped`` more."""
    done = lines[:to]
    return Cursor(
        url=cursor.url,
        lines=to,
        sha256=hashlib.sha256(done[-1]).hexdigest() if done else "",
        prefix_sha256=_prefix_hash(done) if done else "",
        refused=cursor.refused + refused,
        skipped=cursor.skipped + skipped,
    )


def complete_lines(log: Path) -> tuple[list[bytes], list[int]]:
    """The log's lines that end with ``\\n`` (one being written may not yet), and the byte
    offset where each starts, plus the end."""
    try:  # never through a link: the log is never written through one either
        fd = os.open(log, os.O_RDONLY | NO_FOLLOW | getattr(os, "O_BINARY", 0))
    except OSError:
        return [], [0]
    with os.fdopen(fd, "rb") as file:
        data = file.read()
    lines = data[: data.rfind(b"\n") + 1].split(b"\n")[:-1]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    return lines, offsets


@contextlib.contextmanager
def cursor_lock(log: Path) -> Iterator[None]:
    """The log's own writers' lock, held for the moment of reading and writing the cursor:
    two kernels of one student then never move it back."""
    fd = os.open(log, os.O_RDONLY | NO_FOLLOW | getattr(os, "O_BINARY", 0))
    try:
        with locked(fd, log):
            yield
    finally:
        os.close(fd)


def load_cursor(path: Path, url: str) -> Cursor | None:
    """The cursor stored at ``path`` for the service at ``url``; None when there is none
    that can be read, or it counts for another service."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cursor = Cursor(**{key: data[key] for key in Cursor.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if cursor.url != url or not isinstance(cursor.lines, int):
        return None
    return cursor


def write_cursor(path: Path, cursor: Cursor) -> None:
    """Replace the cursor file at once (mode 0600): a reader sees the old or the new."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    text = json.dumps(vars(cursor), separators=(",", ":")).encode("utf-8")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NO_FOLLOW, 0o600)
        try:
            os.write(fd, text)
        finally:
            os.close(fd)
        temporary.replace(path)
    except OSError as err:  # the next round recomputes it: only a resend is lost time
        _log.debug("guessfirst: the cursor %s could not be written: %s", path, err)
        with contextlib.suppress(OSError):
            temporary.unlink()
