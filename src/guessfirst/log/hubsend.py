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
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import os
import random
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ._lock import NO_FOLLOW, locked
from .events import MAX_LINE_BYTES

SERVICE_VARIABLE = "GUESSFIRST_HUB_SERVICE"
TOKEN_VARIABLE = "JUPYTERHUB_API_TOKEN"  # noqa: S105 (a variable's name)
CURSOR_SUFFIX = ".hub-cursor.json"

MAX_EVENTS = 100
MAX_BODY_BYTES = 1024 * 1024
TIMEOUT = 10.0
#: Backoff after a network error or a 5xx: doubled from the first delay up to the cap.
BACKOFF_START = 1.0
BACKOFF_CAP = 60.0
#: Backoff when the hub refuses the token itself: the administrator may fix the roles.
DENIED_START = 30.0
DENIED_CAP = 600.0
#: The longest wait a Retry-After is obeyed for: a day's quota must not silence a kernel.
RETRY_AFTER_CAP = 3600.0
#: How long interpreter exit waits for a last send.
EXIT_WAIT = 1.0

_HELD = frozenset({200, 201})
_REFUSED = frozenset({400, 403, 413})

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


def cursor_path(log: Path) -> Path:
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


@dataclass
class _Outcome:
    """What one request did: events held and refused (in the batch's order), and how long
    to wait before the next one (None: go on)."""

    held: int = 0
    refused: list[int] = field(default_factory=list)  # indexes in the batch
    wait: float | None = None
    denied: bool = False  # the hub refused the token: back off long


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
        import urllib.request  # only with a service: a lesson's first cell stays light

        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
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
            lines, offsets = _complete_lines(self.log)
            if not lines:
                return None
            cursor = self._settle(lines, offsets, None)
            if cursor.lines >= len(lines):
                return None
            batch, lines_after = self._batch(lines, cursor.lines)
            if not batch:  # only lines that are no events: done without a request
                skipped = lines_after - cursor.lines
                self._settle(lines, offsets, _advanced(cursor, lines, lines_after, 0, skipped))
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
                moved = _advanced(cursor, lines, end, len(outcome.refused), skipped)
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
            if _event_line(line):
                if chosen and size + len(line) + 1 > MAX_BODY_BYTES:
                    break
                chosen.append(number)
                size += len(line) + 1
            number += 1
        return chosen, number

    def _post(self, lines: list[bytes]) -> _Outcome:
        import urllib.error
        import urllib.request

        body = b'{"events":[' + b",".join(lines) + b"]}"
        request = urllib.request.Request(  # noqa: S310 -- service() let only http(s) through
            self.url + "api/events",
            data=body,
            method="POST",
            headers={"Authorization": f"token {self._token}", "Content-Type": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                status, answer = response.status, response.read()
                headers = response.headers
        except urllib.error.HTTPError as err:
            status, headers, answer = err.code, err.headers, b""
            with contextlib.suppress(OSError):
                answer = err.read()
        except (OSError, ValueError) as err:  # refused, unreachable, timed out, bad URL
            _log.debug("guessfirst: the school's service cannot be reached: %s", err)
            return _Outcome(wait=self._backoff(denied=False))
        if status == 200:
            return self._read_results(answer, lines)
        if status in (429, 503):
            return _Outcome(wait=_retry_after(headers.get("Retry-After"), answer))
        if status in (401, 403):
            _log.warning(
                "guessfirst: the school's service refused this kernel's token (%s)", status
            )
            return _Outcome(wait=self._backoff(denied=True))
        if status == 413 and len(lines) > 1:  # the batch, not an event, was too big
            self._max_events = max(1, len(lines) // 2)
            return _Outcome(wait=0.0)
        if status == 413:
            return _Outcome(refused=[0])
        _log.debug("guessfirst: the school's service answered %s", status)
        return _Outcome(wait=self._backoff(denied=status in (404, 405)))

    def _read_results(self, answer: bytes, lines: list[bytes]) -> _Outcome:
        """The processed prefix of the batch; a wait when the service stopped early."""
        outcome = _Outcome()
        try:
            reply = json.loads(answer)
            results, stopped = reply["results"], reply.get("stopped")
        except (ValueError, KeyError, TypeError):
            _log.debug("guessfirst: the school's service gave an unreadable answer")
            return _Outcome(wait=self._backoff(denied=False))
        for index, result in enumerate(results[: len(lines)] if isinstance(results, list) else []):
            status = result.get("status") if isinstance(result, dict) else None
            sent_id = json.loads(lines[index]).get("id")
            if status not in _HELD | _REFUSED or (
                isinstance(sent_id, str) and result.get("id") != sent_id
            ):
                _log.debug("guessfirst: unexpected result %r for event %s", result, sent_id)
                outcome.wait = self._backoff(denied=False)
                return outcome
            if status in _HELD:
                outcome.held += 1
            else:
                _log.warning(
                    "guessfirst: the school's service refused event %s (%s): %s",
                    sent_id,
                    status,
                    result.get("reason"),
                )
                outcome.refused.append(index)
        processed = outcome.held + len(outcome.refused)
        if isinstance(stopped, dict):
            outcome.wait = _seconds(stopped.get("retry_after"))
            if outcome.wait is None:
                outcome.wait = self._backoff(denied=False)
        elif processed < len(lines):
            outcome.wait = self._backoff(denied=False)
        return outcome

    def _backoff(self, *, denied: bool) -> float:
        """1, 2, 4 ... 60 s (or 30 ... 600 s when the token is refused), with jitter."""
        if denied:
            self._denials += 1
            start, cap, count = DENIED_START, DENIED_CAP, self._denials
        else:
            self._failures += 1
            start, cap, count = BACKOFF_START, BACKOFF_CAP, self._failures
        delay = min(cap, start * 2 ** min(count - 1, 30))
        return delay * random.uniform(0.75, 1.0)  # noqa: S311 -- jitter, not a secret

    # -- the cursor ---------------------------------------------------------------------

    def _settle(self, lines: list[bytes], offsets: list[int], moved: Cursor | None) -> Cursor:
        """Write ``moved`` unless the cursor on disk is further on (another kernel sent
        more): the cursor never goes back. Return the cursor that holds, and tell
        listeners when more of the log is done."""
        with _cursor_lock(self.log):
            stored = self._load()
            valid = [c for c in (stored, moved) if c is not None and c.fits(lines)]
            best = max(valid, key=lambda c: c.lines, default=Cursor(self.url))
            if moved is not None and best is moved:
                _write_cursor(self.cursor_file, best)
        done = offsets[best.lines]
        changed = done != self.done_bytes
        if done < self.done_bytes:  # the log was edited: what was refused is sent again
            self.refused_spans.clear()
        self.done_bytes = done
        if changed:
            self._tell()
        return best

    def _load(self) -> Cursor | None:
        try:
            data = json.loads(self.cursor_file.read_text(encoding="utf-8"))
            cursor = Cursor(**{key: data[key] for key in Cursor.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if cursor.url != self.url or not isinstance(cursor.lines, int):
            return None
        return cursor

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


def _advanced(cursor: Cursor, lines: list[bytes], to: int, refused: int, skipped: int) -> Cursor:
    done = lines[:to]
    return Cursor(
        url=cursor.url,
        lines=to,
        sha256=hashlib.sha256(done[-1]).hexdigest() if done else "",
        prefix_sha256=_prefix_hash(done) if done else "",
        refused=cursor.refused + refused,
        skipped=cursor.skipped + skipped,
    )


def _complete_lines(log: Path) -> tuple[list[bytes], list[int]]:
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


def _reject(name: str) -> object:
    raise ValueError(name)


def _event_line(line: bytes) -> bool:
    """True for a line that is one JSON object of a size the service takes."""
    if len(line) > MAX_LINE_BYTES or not line.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(line, parse_constant=_reject), dict)
    except (ValueError, RecursionError):
        return False


def _seconds(value: object) -> float | None:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _retry_after(header: str | None, answer: bytes) -> float:
    """The wait a 429 or 503 asks for: the header, else the body's, else one second."""
    wait = _seconds(header)
    if wait is None:
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            wait = _seconds(json.loads(answer).get("retry_after"))
    return BACKOFF_START if wait is None else wait


@contextlib.contextmanager
def _cursor_lock(log: Path):  # type: ignore[no-untyped-def]
    """The log's own writers' lock, held for the moment of reading and writing the cursor:
    two kernels of one student then never move it back."""
    fd = os.open(log, os.O_RDONLY | NO_FOLLOW | getattr(os, "O_BINARY", 0))
    try:
        with locked(fd, log):
            yield
    finally:
        os.close(fd)


def _write_cursor(path: Path, cursor: Cursor) -> None:
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
