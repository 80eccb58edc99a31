"""A copy of the student's log for the school's hub service, sent in the background.

On a JupyterHub the school keeps its own copy of every event, which the student cannot
rewrite later. The local log stays the source of truth and the card never waits on the
network: one daemon thread per log file sends the lines past a cursor, woken after each
local append. The cursor (``<log>.hub-cursor.json``) says how many lines the service has
acknowledged or refused for good, with the hashes that show when the lines it counted
were edited or cut since: then everything is sent again, which is safe because the
service keeps each id once. Only the log itself is sent, never the fallback file: its
events go once they are in the log.

The service's address comes from the administrator as ``GUESSFIRST_HUB_SERVICE`` in the
spawner's environment, and the kernel's ``JUPYTERHUB_API_TOKEN`` proves who sends. A
kernel cannot find the service by itself: the hub's API lists services only to tokens
with ``read:services``, which a server's own token does not hold by default. Without
both variables nothing is sent and nothing changes. Failures only delay the card's
"saved to the school" mark; they are logged to the ``guessfirst`` logger, never shown.
The cursor file is kept by ``_hubcursor``, the request made by ``_hubrequest``.
"""

from __future__ import annotations

import atexit
import logging
import os
import random
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from ._hubcursor import CURSOR_SUFFIX as CURSOR_SUFFIX
from ._hubcursor import Cursor as Cursor
from ._hubcursor import advanced, complete_lines, cursor_lock, load_cursor, write_cursor
from ._hubcursor import cursor_path as cursor_path
from ._hubrequest import RETRY_AFTER_CAP as RETRY_AFTER_CAP
from ._hubrequest import Outcome, event_line, opener, post, read_results, retry_after

SERVICE_VARIABLE = "GUESSFIRST_HUB_SERVICE"
TOKEN_VARIABLE = "JUPYTERHUB_API_TOKEN"  # noqa: S105 (a variable's name)

MAX_EVENTS = 100
MAX_BODY_BYTES = 1024 * 1024
TIMEOUT = 10.0
#: Backoff after a network error or a 5xx: doubled from the first delay up to the cap.
BACKOFF_START = 1.0
BACKOFF_CAP = 60.0
#: Backoff when the hub refuses the token itself: the administrator may fix the roles.
DENIED_START = 30.0
DENIED_CAP = 600.0
#: How long interpreter exit waits for a last send.
EXIT_WAIT = 1.0

_log = logging.getLogger("guessfirst")
_log.addHandler(logging.NullHandler())


def service() -> tuple[str, str] | None:
    """The service's URL (ending in ``/``) and the kernel's token, or None when not on a
    hub with the service configured."""
    url = os.environ.get(SERVICE_VARIABLE, "").strip()
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        _log.warning("guessfirst: %s is no http(s) URL: nothing is sent", SERVICE_VARIABLE)
        return None
    if not token:
        _log.warning(
            "guessfirst: %s is set but %s is not: nothing is sent", SERVICE_VARIABLE, TOKEN_VARIABLE
        )
        return None
    return (url if url.endswith("/") else url + "/"), token


class Sender:
    """Sends one log file's lines past its cursor, in order, from a daemon thread.

    ``sleep`` waits between tries (injectable: tests pass one that does not sleep);
    ``listen`` callbacks hear each time more of the log is done, from the thread.
    """

    def __init__(
        self,
        log: Path,
        url: str,
        token: str,
        *,
        sleep: Callable[[float], object] | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        self.log = Path(log)
        self.cursor_file = cursor_path(self.log)
        self.url = url
        self._token = token
        self._timeout = timeout
        self._hurry = threading.Event()
        self._sleep = sleep if sleep is not None else self._hurry.wait
        self._kick = threading.Event()
        self._idle = threading.Event()
        self._stopped = False
        self._listeners: list[weakref.WeakMethod[Callable[[], None]]] = []
        self._opener = opener()
        self._failures = 0
        self._denials = 0
        self._max_events = MAX_EVENTS
        #: Byte offset in the log up to which every line is done, and the ranges refused.
        self.done_bytes = 0
        self.refused_spans: list[tuple[int, int]] = []
        self._thread: threading.Thread | None = None

    # -- what the recorder calls --------------------------------------------------------

    def start(self) -> None:
        """Start the thread; its first round sends what an earlier kernel left."""
        self._kick.set()
        self._thread = threading.Thread(
            target=self._run, name=f"guessfirst-hubsend-{self.log.name}", daemon=True
        )
        self._thread.start()

    def wake(self) -> None:
        """The log grew: send the new lines (never waits)."""
        self._idle.clear()
        self._kick.set()

    def listen(self, callback: Callable[[], None]) -> None:
        ref = weakref.WeakMethod(callback)
        if ref not in self._listeners:
            self._listeners.append(ref)

    def covers(self, span: tuple[int, int] | None) -> bool:
        """True when the service holds every line in ``span`` (byte offsets in the log)."""
        if span is None:
            return False
        start, end = span
        return self.done_bytes >= end and not any(
            a < end and b > start for a, b in self.refused_spans
        )

    def stop(self) -> None:
        self._stopped = True
        self._hurry.set()
        self._kick.set()

    def flush(self, seconds: float) -> bool:
        """Hurry the thread through its waits and wait ``seconds`` at most for it: True
        when everything is done. Cannot hang: it only waits on an event."""
        self._hurry.set()
        self._kick.set()
        return self._idle.wait(seconds)

    # -- the thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopped:
            self._kick.wait()
            self._kick.clear()
            if self._stopped:
                return
            try:
                wait = self.send_round()
            except Exception:  # the thread must outlive any surprise: it tries again later
                _log.warning("guessfirst: sending to the school failed", exc_info=True)
                wait = self._backoff(denied=False)
            if wait is None:
                if not self._kick.is_set():  # a write during the round is not done yet
                    self._idle.set()
            elif self._hurry.is_set():  # exiting: one last try was all there was time for
                return
            else:
                self._sleep(wait)
                self._kick.set()

    def send_round(self) -> float | None:
        """Send batches until the log is all done (None) or a wait is due (its seconds)."""
        while True:
            lines, offsets = complete_lines(self.log)
            if not lines:
                return None
            cursor = self._settle(lines, offsets, None)
            if cursor.lines >= len(lines):
                return None
            batch, lines_after = self._batch(lines, cursor.lines)
            if not batch:  # only lines that are no events: done without a request
                skipped = lines_after - cursor.lines
                self._settle(lines, offsets, advanced(cursor, lines, lines_after, 0, skipped))
                continue
            outcome = self._post([lines[i] for i in batch])
            processed = outcome.held + len(outcome.refused)
            if processed:
                end = lines_after if processed == len(batch) else batch[processed]
                self._failures = self._denials = 0
                for index in outcome.refused:
                    number = batch[index]
                    self.refused_spans.append((offsets[number], offsets[number + 1]))
                skipped = (end - cursor.lines) - processed
                moved = advanced(cursor, lines, end, len(outcome.refused), skipped)
                self._settle(lines, offsets, moved)
            if outcome.wait is not None:
                return outcome.wait

    def _batch(self, lines: list[bytes], start: int) -> tuple[list[int], int]:
        """Line numbers (0-based) of the next events to send, and the line after the batch."""
        chosen: list[int] = []
        size = len(b'{"events":[]}')
        number = start
        while number < len(lines) and len(chosen) < self._max_events:
            line = lines[number]
            if event_line(line):
                if chosen and size + len(line) + 1 > MAX_BODY_BYTES:
                    break
                chosen.append(number)
                size += len(line) + 1
            number += 1
        return chosen, number

    def _post(self, lines: list[bytes]) -> Outcome:
        """Send ``lines`` as one batch; what the service's answer means for the next try."""
        reply = post(self._opener, self.url, self._token, self._timeout, lines)
        if reply is None:
            return Outcome(wait=self._backoff(denied=False))
        status = reply.status
        if status == 200:
            return read_results(reply.body, lines, lambda: self._backoff(denied=False))
        if status in (429, 503):
            wait = retry_after(reply.retry_after, reply.body)
            return Outcome(wait=BACKOFF_START if wait is None else wait)
        if status in (401, 403):
            _log.warning(
                "guessfirst: the school's service refused this kernel's token (%s)", status
            )
            return Outcome(wait=self._backoff(denied=True))
        if status == 413 and len(lines) > 1:  # the batch, not an event, was too big
            self._max_events = max(1, len(lines) // 2)
            return Outcome(wait=0.0)
        if status == 413:
            return Outcome(refused=[0])
        _log.debug("guessfirst: the school's service answered %s", status)
        return Outcome(wait=self._backoff(denied=status in (404, 405)))

    def _backoff(self, *, denied: bool) -> float:
        """1, 2, 4 ... 60 s (or 30 ... 600 s when the token is refused), with jitter."""
        if denied:
            self._denials += 1
            start, cap, count = DENIED_START, DENIED_CAP, self._denials
        else:
            self._failures += 1
            start, cap, count = BACKOFF_START, BACKOFF_CAP, self._failures
        delay = min(cap, start * 2.0 ** min(count - 1, 30))
        return delay * random.uniform(0.75, 1.0)  # noqa: S311 -- jitter, not a secret

    # -- the cursor ---------------------------------------------------------------------

    def _settle(self, lines: list[bytes], offsets: list[int], moved: Cursor | None) -> Cursor:
        """Write ``moved`` unless the cursor on disk is further on (another kernel sent
        more): the cursor never goes back. Return the cursor that holds, and tell
        listeners when more of the log is done."""
        with cursor_lock(self.log):
            stored = load_cursor(self.cursor_file, self.url)
            valid = [c for c in (stored, moved) if c is not None and c.fits(lines)]
            best = max(valid, key=lambda c: c.lines, default=Cursor(self.url))
            if moved is not None and best is moved:
                write_cursor(self.cursor_file, best)
        done = offsets[best.lines]
        changed = done != self.done_bytes
        if done < self.done_bytes:  # the log was edited: what was refused is sent again
            self.refused_spans.clear()
        self.done_bytes = done
        if changed:
            self._tell()
        return best

    def _tell(self) -> None:
        self._listeners = [ref for ref in self._listeners if ref() is not None]
        for ref in self._listeners:
            callback = ref()
            if callback is not None:
                try:
                    callback()
                except Exception:
                    _log.warning(
                        "guessfirst: a card could not show the school's copy", exc_info=True
                    )


_senders: dict[tuple[Path, str], Sender] = {}
_senders_lock = threading.Lock()


def sender_for(log: Path) -> Sender | None:
    """This process's sender for ``log``, started on first call; None without a service."""
    found = service()
    if found is None:
        return None
    url, token = found
    key = (Path(log), url)
    with _senders_lock:
        sender = _senders.get(key)
        if sender is None:
            sender = _senders[key] = Sender(Path(log), url, token)
            sender.start()
    return sender


@atexit.register
def _last_send() -> None:
    """One quick last try at exit, waiting EXIT_WAIT seconds at most in all."""
    deadline = time.monotonic() + EXIT_WAIT
    for sender in list(_senders.values()):
        left = deadline - time.monotonic()
        if left <= 0:
            return
        sender.flush(left)
