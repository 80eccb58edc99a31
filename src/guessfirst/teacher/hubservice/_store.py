"""Where the hub service keeps each student's events, and what it refuses to keep."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ...log import logline
from ...log.eventlog import MAX_LINE_BYTES, append_events, read_events, safe_name

#: Fields the service sets itself; a student's own values for them never reach the file.
SERVICE_FIELDS = ("received", "hub_user", "sent_prev")


class Refused(Exception):
    """An event the service will not store: ``status`` is the HTTP answer to give."""

    def __init__(self, status: int, reason: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Receipt:
    """What the service answers: the event's id, and whether this call stored it.

    ``stored`` is False for an id already kept: a kernel that resends after a lost answer
    is told it is safe, and nothing is written twice.
    """

    id: str
    stored: bool
    received: str | None


def _iso(now: datetime) -> str:
    """``now`` in the form of ``ts``, so both times read alike."""
    if now.tzinfo is None:
        raise ValueError("the service's clock must be timezone-aware")
    moment = now.astimezone(timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _line_bytes(record: dict) -> int:
    """The stored line's size, measured with the longest ``prev`` it can be given."""
    text = json.dumps(
        {**record, "prev": "0" * 16}, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return len(text.encode("utf-8", "backslashreplace"))


class Store:
    """One JSON Lines file per hub user in ``folder``, chained by the service itself.

    The file is the service's, not the student's: identity comes from the hub, never from
    the event, and the chain is over the stored lines, so a line the student cut from their
    own log is still here. The folder is 0700 and the files 0600: only the service reads them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.chmod(0o700)  # mkdir yields to the umask; an old folder too
        self._ids: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def path(self, user: str) -> Path:
        """The file of ``user``'s stored events."""
        return self.folder / f"{safe_name(user)}.jsonl"

    def receive(self, user: str, event: object, now: datetime) -> Receipt:
        """Store ``event`` sent by the hub-authenticated ``user``; raise Refused if not.

        400 for a line that is not valid, 403 for an event in another student's name, 413
        for one whose stored line would pass the log's line limit. The student's ``prev``
        is kept as ``sent_prev``: it shows their own chain, while ``prev`` is the service's.
        """
        found = logline.fault(event)
        if found is not None:
            raise Refused(400, f"not a valid event ({found[0]}): {found[1]}")
        assert isinstance(event, dict)  # fault() finds one in anything else
        if event["student"] != user:
            raise Refused(403, "the event's student is not the signed-in user")
        with self._lock:
            ids = self._known(user)
            if event["id"] in ids:
                return Receipt(event["id"], stored=False, received=None)
            received = _iso(now)
            record = {key: value for key, value in event.items() if key not in SERVICE_FIELDS}
            record["sent_prev"] = record.pop("prev")
            record["received"] = received
            record["hub_user"] = user
            size = _line_bytes(record)
            if size > MAX_LINE_BYTES:
                raise Refused(
                    413, f"the stored line would have {size} bytes, over {MAX_LINE_BYTES}"
                )
            append_events(self.path(user), [record])
            ids.add(event["id"])
        return Receipt(event["id"], stored=True, received=received)

    def _known(self, user: str) -> set[str]:
        """The ids stored for ``user``, read from the file once, then kept up to date."""
        ids = self._ids.get(user)
        if ids is None:
            ids = {stored["id"] for stored in read_events(self.path(user)).events}
            self._ids[user] = ids
        return ids
