"""The cursor beside each log: how many of its events each LRS confirmed, and their digest."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ._options import Options

CURSOR_SUFFIX = ".lrs-cursor.json"
_CURSOR_FORMAT = 1


def cursor_path(log: Path) -> Path:
    """The cursor file of ``log``: beside it, not matching ``*.jsonl``."""
    return log.with_name(log.name + CURSOR_SUFFIX)


class Refused(Exception):
    """A log that is not pushed, and why; the other logs still are."""


def _digest(events: Sequence[dict]) -> str:
    """SHA-256 of the events as values: an edit shows, a line's spacing does not."""
    digest = hashlib.sha256()
    for event in events:
        digest.update(json.dumps(event, sort_keys=True).encode("ascii") + b"\n")
    return digest.hexdigest()


class Cursor:
    """A log's cursor file; ``renew`` starts afresh from one that cannot be read."""

    def __init__(self, log: Path, *, renew: bool = False) -> None:
        self.path = cursor_path(log)
        try:
            self.entries = self._load()
        except Refused:
            if not renew:
                raise
            self.entries = {}

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise Refused(f"its cursor {self.path.name} cannot be read ({exc})") from None
        if not (
            isinstance(data, dict)
            and data.get("format") == _CURSOR_FORMAT
            and isinstance(data.get("lrs"), dict)
        ):
            raise Refused(f"its cursor {self.path.name} is not a guessfirst cursor")
        return data["lrs"]

    def start(self, url: str, events: list[dict], options: Options) -> int:
        """How many of ``events`` this LRS already has."""
        entry = self.entries.get(url)
        if entry is None:
            return 0
        if not isinstance(entry, dict) or entry.get("options") != options.fingerprint():
            raise Refused("it was sent to this LRS with other options")
        count = entry.get("events")
        if (
            type(count) is not int
            or not 0 <= count <= len(events)
            or _digest(events[:count]) != entry.get("sha256")
        ):
            raise Refused("it changed in the part already sent to this LRS")
        return count

    def save(self, url: str, events: list[dict], count: int, options: Options) -> None:
        self.entries[url] = {
            "events": count,
            "sha256": _digest(events[:count]),
            "options": options.fingerprint(),
        }
        data = {"format": _CURSOR_FORMAT, "lrs": self.entries}
        _write_atomically(self.path, json.dumps(data, indent=2).encode("ascii") + b"\n")


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` whole: a crash leaves the old cursor, never half of one."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
