"""Collected logs as xAPI statements: written to a file, or pushed to a Learning Record Store.

Standard library only (urllib), like the rest of the student side. Three parts that know
little of each other: a log read into the statements it owes (one per
event that makes one, see :mod:`guessfirst.teacher.xapi`), the :class:`Client` that posts one batch
and retries what may pass on a second try, and the cursor file beside each log.

The cursor (``<log>.lrs-cursor.json``) says, per LRS, how many of the log's events are in
that LRS, with a SHA-256 of those events: a log that grew sends only its new events, and a
log edited in the part already sent is reported instead of being silently skipped. It is
written after the LRS has answered a batch, so an interrupted push resumes where it stopped.
The one gap, between the LRS's answer and the cursor write, costs a resend that the LRS
recognises: statement ids are derived from event ids, and an LRS keeps one statement per id.

Nothing an LRS does can hold a push for long: each request has a deadline for the whole of it
(connecting, sending, every read of the answer), and the retries of a push, with the waits
between them, share one budget; a wait that does not fit in what is left is not begun.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import functools
import hashlib
import hmac
import http.client
import io
import json
import math
import os
import re
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..log import eventlog
from . import xapi

CURSOR_SUFFIX = ".lrs-cursor.json"
BATCH_SIZE = 100
TRIES = 6
#: Seconds one request may take in all, from connecting to the answer's last byte.
DEADLINE = 60.0
#: Seconds a whole push may spend on failed requests, retries and the waits between them.
RETRY_BUDGET = 300.0
#: The first wait before a retry, doubled each time: 1, 2, 4, 8, 16 seconds.
FIRST_WAIT = 1.0
_LONGEST_WAIT = 300.0
#: An answer is a list of statement ids: more than this is not read.
_ANSWER_BYTES = 16 * 2**20
#: A request's body goes out in pieces this size, each within what is left of the deadline.
_SEND_BYTES = 16 * 2**10
#: Retry-After in seconds, as RFC 9110 has it or as a decimal; anything else is a date.
_DELAY = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?", re.ASCII)
_CURSOR_FORMAT = 1
# An LRS answers 409 for a statement id it already holds; 413 for a batch too large.
# Either way a smaller batch tells more: halves are sent until one statement is left.
_SPLIT = frozenset({409, 413})
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_DETAIL_CHARS = 200

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Options:
    """How events become statements; see :func:`guessfirst.teacher.xapi.statements`."""

    activity_base: str
    home_page: str
    pseudonymize: str | None = None
    text: bool = False

    def __post_init__(self) -> None:
        # An LRS refuses a statement whose IRIs are relative: better one line now.
        for what, value in (("activity base", self.activity_base), ("home page", self.home_page)):
            parts = urllib.parse.urlsplit(value)
            if not (parts.scheme and parts.netloc):
                raise ValueError(
                    f"the {what} must be a full address such as https://school.example"
                )

    def statements(self, events: Sequence[dict]) -> list[dict]:
        return xapi.statements(
            events,
            activity_base=self.activity_base,
            home_page=self.home_page,
            pseudonymize=self.pseudonymize,
            text=self.text,
        )

    def fingerprint(self) -> dict:
        """What the cursor keeps, so that one LRS does not get a log under two sets of options.

        The salt stays out: only an HMAC of a fixed word under it, which tells two salts
        apart and gives nothing that the logs beside the cursor do not already hold.
        """
        if self.pseudonymize is None:
            names = "real"
        else:
            key = self.pseudonymize.encode("utf-8", "surrogatepass")
            names = "hmac:" + hmac.new(key, b"guessfirst-cursor", hashlib.sha256).hexdigest()[:16]
        return {
            "activity_base": self.activity_base,
            "home_page": self.home_page,
            "names": names,
            "text": self.text,
        }


# -- logs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Log:
    path: Path
    events: list[dict]
    #: Each statement the log gives, with the number of events up to and including its own.
    owed: list[tuple[int, dict]]


def _read(path: Path, options: Options) -> _Log:
    events = eventlog.read_events(path).events
    statements = options.statements(events)
    return _Log(path, events, list(zip(_ends(events, options), statements, strict=True)))


def _ends(events: list[dict], options: Options) -> list[int]:
    """Where each statement's event is: the statements are one per distinct usable event,
    in order, and whether an event is usable does not depend on the others."""
    seen: set[str] = set()
    ends = []
    for number, event in enumerate(events, start=1):
        if options.statements([event]) and event["id"] not in seen:
            seen.add(event["id"])
            ends.append(number)
    return ends


@dataclass
class Export:
    """The statements of some logs, and what is wrong with those logs."""

    statements: list[dict]
    problems: list[eventlog.Problem]


def export(logs: Sequence[Path], options: Options, *, progress: Progress | None = None) -> Export:
    """Every statement the logs give, in log order; an event in two copies of a log once."""
    seen: set[str] = set()
    statements: list[dict] = []
    problems: list[eventlog.Problem] = []
    for done, path in enumerate(logs, start=1):
        for _, statement in _read(path, options).owed:
            if statement["id"] not in seen:
                seen.add(statement["id"])
                statements.append(statement)
        problems.extend(eventlog.verify(path))
        if progress:
            progress(done, len(logs))
    return Export(statements, problems)


def dumps(statements: list[dict]) -> bytes:
    """A JSON array with one statement a line: what an LRS takes in a POST, and greppable."""
    lines = ",\n".join(json.dumps(statement, ensure_ascii=False) for statement in statements)
    # A lone surrogate from a browser cannot be UTF-8: backslashreplace writes the very
    # escape JSON would, and it can only stand inside a JSON string.
    return f"[\n{lines}\n]\n".encode("utf-8", "backslashreplace") if statements else b"[]\n"


# -- the LRS ---------------------------------------------------------------------------


class LRSError(Exception):
    """The LRS refused a batch, or could not be reached in any try; ``statement`` is the id of
    the statement it named, when it named one."""

    def __init__(self, message: str, statement: str | None = None) -> None:
        super().__init__(message)
        self.statement = statement


class Answer(NamedTuple):
    """An LRS's answer to a batch it did not refuse: 2xx, or 409 / 413 to split on."""

    status: int
    #: The ids a 200 answer listed, or None when it listed none.
    ids: list[str] | None


def statements_url(endpoint: str) -> str:
    """The statements resource of the LRS at ``endpoint`` (``.../statements`` is added once).

    Credentials in the address are refused: it is written into every cursor file.
    """
    parts = urllib.parse.urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) address: {endpoint}")
    if parts.username is not None or parts.password is not None:
        raise ValueError("give the credentials apart, not in the address: it goes into the cursors")
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def basic_auth(user: str, password: str) -> str:
    """The ``Authorization`` header for a user name and password."""
    pair = f"{user}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def token_auth(token: str) -> str:
    """The ``Authorization`` header for a token: a bearer token, or a ready ``Basic ...`` one
    as LRSs hand out for a key and secret."""
    token = token.strip()
    scheme = token.split(" ", 1)[0].lower()
    return token if scheme in ("basic", "bearer") else f"Bearer {token}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST comes back as a GET, whose 200 would read as stored: refuse it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# A socket timeout bounds one read, and an LRS that sends a byte a second never reaches it.
# So every step of a request (each address tried, each piece sent, each read of the answer,
# through a proxy's tunnel and the TLS handshake too) is given the time left before one
# deadline. Name resolution is the system's, with the system's own timeouts.


class _Deadline:
    """The moment a request is abandoned, on the monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; TimeoutError once there are none (a timeout of 0 would not block)."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request's deadline passed")
        return left


class _BoundedReader(io.RawIOBase):
    """A socket's reads, each with the time left as its timeout."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # keeps the socket open until closed
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int | None:  # type: ignore[override]
        self._sock.settimeout(self._deadline.left())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _BoundedSocket:
    """What an HTTPResponse takes its reader from: the only use it makes of the socket."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_BoundedReader(self._sock, self._deadline))


class _BoundedResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: object, deadline: _Deadline, **kwargs: object):
        super().__init__(_BoundedSocket(sock, deadline), *args, **kwargs)  # type: ignore[arg-type]


class _Bounded:
    """What an HTTP(S)Connection does differently to keep within ``deadline``."""

    sock: socket.socket | None

    def __init__(self, *args: object, deadline: _Deadline, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._deadline = deadline
        self._create_connection = self._connect
        self.response_class = functools.partial(_BoundedResponse, deadline=deadline)

    def _connect(
        self, address: tuple[str, int], timeout: object = None, source: object = None
    ) -> socket.socket:
        """socket.create_connection, each address with the time left, not the whole timeout."""
        host, port = address
        error: OSError = OSError(f"no address for {host}")
        for family, kind, protocol, _, where in socket.getaddrinfo(
            host, port, 0, socket.SOCK_STREAM
        ):
            sock = socket.socket(family, kind, protocol)
            try:
                sock.settimeout(self._deadline.left())
                if source:
                    sock.bind(source)  # type: ignore[arg-type]
                sock.connect(where)
            except OSError as exc:
                sock.close()
                if isinstance(exc, TimeoutError):
                    raise
                error = exc
            else:
                sock.settimeout(self._deadline.left())  # and so the TLS handshake
                return sock
        raise error

    def send(self, data: object) -> None:
        if not isinstance(data, bytes | bytearray):
            super().send(data)  # type: ignore[misc]
            return
        for start in range(0, max(len(data), 1), _SEND_BYTES):
            if self.sock is not None:
                self.sock.settimeout(self._deadline.left())
            super().send(data[start : start + _SEND_BYTES])  # type: ignore[misc]


class _BoundedHTTP(_Bounded, http.client.HTTPConnection):
    pass


class _BoundedHTTPS(_Bounded, http.client.HTTPSConnection):
    pass


class _BoundedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_BoundedHTTP, req, deadline=self._deadline)


class _BoundedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_BoundedHTTPS, req, context=self._context, deadline=self._deadline)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib as usual (proxies from the environment, no redirects), within ``deadline``."""
    return urllib.request.build_opener(
        _NoRedirects, _BoundedHTTPHandler(deadline), _BoundedHTTPSHandler(deadline)
    )


class Client:
    """One LRS's statements resource, and the retry budget of the push that uses it.

    ``deadline`` bounds each request, ``budget`` the time the push loses to requests that
    failed and to the waits after them, in all; ``sleep`` waits between tries (tests pass
    their own: what it is asked to wait is what the budget counts).
    """

    def __init__(
        self,
        endpoint: str,
        authorization: str,
        *,
        tries: int = TRIES,
        deadline: float = DEADLINE,
        budget: float = RETRY_BUDGET,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = statements_url(endpoint)
        self._headers = {
            "Authorization": authorization,
            "Content-Type": "application/json",
            "X-Experience-API-Version": xapi.XAPI_VERSION,
            "User-Agent": f"guessfirst/{__version__}",
        }
        self._tries = tries
        self._deadline = deadline
        self._budget = budget
        self._sleep = sleep
        #: Seconds of the budget spent so far; nothing until a request fails.
        self._spent = 0.0

    def post(self, statements: list[dict]) -> Answer:
        """Post one batch; retry on 429, 5xx, malformed answers and network errors, waiting
        longer each time, as long as the budget allows.

        Returns a 2xx answer, or a 409 or 413 for the caller to split the batch on; raises
        LRSError for anything else, after the last try, and when the next wait does not
        fit in the budget: the push then stops at once instead of sleeping first.
        """
        body = dumps(statements)
        attempt = 1
        while True:
            # Once the budget is in use, a request may not outlast what is left of it.
            seconds = self._deadline if not self._spent else min(self._deadline, self._left())
            started = time.monotonic()
            asked = None
            try:
                return self._exchange(body, seconds)
            except urllib.error.HTTPError as exc:
                if exc.code in _SPLIT:
                    return Answer(exc.code, None)
                if exc.code != 429 and exc.code < 500:
                    raise _refusal(exc, statements) from None
                reason = f"{exc.code} {exc.reason}"
                asked = _retry_after(exc.headers.get("Retry-After"))
                exc.close()
            except (OSError, http.client.HTTPException) as exc:
                cause = getattr(exc, "reason", exc)
                if isinstance(cause, ssl.SSLCertVerificationError):
                    raise LRSError(f"the LRS's certificate is not trusted: {cause}") from None
                reason = _failure(cause, seconds)
            # A healthy LRS's time is its own: the budget counts what failures cost.
            self._spent += time.monotonic() - started
            if attempt == self._tries:
                raise LRSError(f"no answer from the LRS after {self._tries} tries: {reason}")
            wait = asked if asked is not None else _backoff(attempt)
            if wait >= self._left():
                tries = f"{attempt} {'try' if attempt == 1 else 'tries'}"
                if asked:
                    raise LRSError(
                        f"the LRS asks to wait {_duration(asked)} before the next try, more "
                        f"than is left of the {self._budget:g} s retry budget: {reason}"
                    )
                raise LRSError(
                    f"no answer from the LRS within the {self._budget:g} s retry budget "
                    f"({tries}): {reason}"
                )
            self._sleep(wait)
            self._spent += wait
            attempt += 1

    def _left(self) -> float:
        return self._budget - self._spent

    def _exchange(self, body: bytes, seconds: float) -> Answer:
        """One request and all of its answer, within ``seconds``; HTTPError for a non-2xx."""
        deadline = _Deadline(seconds)
        # statements_url admitted only http and https.
        request = urllib.request.Request(self.url, body, self._headers, method="POST")  # noqa: S310
        with _opener(deadline).open(request, timeout=seconds) as response:
            data = response.read(_ANSWER_BYTES)
            if response.length:  # read(amount) does not say when the answer broke off
                raise http.client.IncompleteRead(data, response.length)
            return Answer(response.status, _ids(data))


def _failure(cause: BaseException | str, seconds: float) -> str:
    """One line on what went wrong with a request: the words of an exception vary a lot."""
    if isinstance(cause, TimeoutError):
        return f"no complete answer within {_duration(seconds)}"
    if isinstance(cause, http.client.IncompleteRead):
        return f"the answer broke off after {len(cause.partial)} bytes"
    if isinstance(cause, http.client.RemoteDisconnected):
        return "the LRS closed the connection without an answer"
    if isinstance(cause, http.client.HTTPException):
        words = " ".join(str(cause).split())[:_DETAIL_CHARS]
        return f"a malformed answer ({type(cause).__name__}: {words})"
    return str(cause) or type(cause).__name__


def _backoff(attempt: int) -> float:
    return min(FIRST_WAIT * 2 ** (attempt - 1), _LONGEST_WAIT)


def _duration(seconds: float) -> str:
    """Seconds as a person reads them: 0.5 s, 45 s, 300 s."""
    if seconds >= 1e6:
        return "over 11 days"
    return (f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}").removesuffix(".0") + " s"


def _ids(body: bytes) -> list[str] | None:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: arrays nested deeper than Python
        return None
    return value if isinstance(value, list) and all(isinstance(i, str) for i in value) else None


def _retry_after(value: str | None) -> float | None:
    """The seconds a Retry-After asks for (a date past is 0), or None when it says nothing
    usable: negative, not a number, not a date. A huge wait is kept, for the budget to refuse."""
    if value is None:
        return None
    text = value.strip()
    if _DELAY.fullmatch(text):
        return float(text)  # inf for a number too long for a float: still a wait too long
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    seconds = (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    return max(seconds, 0.0) if math.isfinite(seconds) else None


def _refusal(exc: urllib.error.HTTPError, statements: list[dict]) -> LRSError:
    """One line on why the LRS said no, naming the statement when its answer does."""
    reason = f"{exc.code} {exc.reason}"
    if exc.code in (401, 403):
        return LRSError(f"the LRS refused the credentials ({reason})")
    if exc.code == 404:
        return LRSError(f"no xAPI statements resource at {exc.url} ({reason}): check the address")
    if 300 <= exc.code < 400:
        where = exc.headers.get("Location", "another address")
        return LRSError(f"the LRS answered {reason}, pointing to {where}: give that address")
    try:
        text = exc.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        text = ""
    detail, index = _detail(text)
    ids = [statement["id"] for statement in statements]
    if index is None:
        named = [found for found in _UUID.findall(text) if found.lower() in ids]
        index = ids.index(named[0].lower()) if named else None
    statement = ids[index] if index is not None and 0 <= index < len(ids) else None
    what = f"statement {statement}" if statement else "the batch"
    detail = " ".join(detail.split())[:_DETAIL_CHARS]
    return LRSError(
        f"the LRS refused {what} ({reason})" + (f": {detail}" if detail else ""), statement
    )


def _detail(text: str) -> tuple[str, int | None]:
    """The LRS's own words, and the batch position it names: a validation error's ``loc``
    is ``["body", position, ...]`` in Ralph and other FastAPI-based LRSs."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return text, None
    detail = value.get("detail", value.get("message", text)) if isinstance(value, dict) else value
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        first = detail[0]
        loc = first.get("loc")
        loc = loc if isinstance(loc, list) else []
        index = loc[1] if len(loc) > 1 else None
        message = f"{'.'.join(map(str, loc))}: {first.get('msg', '')}"
        return message, index if isinstance(index, int) else None
    return str(detail), None


# -- cursors ---------------------------------------------------------------------------


def cursor_path(log: Path) -> Path:
    """The cursor file of ``log``: beside it, not matching ``*.jsonl``."""
    return log.with_name(log.name + CURSOR_SUFFIX)


class _Refused(Exception):
    """A log that is not pushed, and why; the other logs still are."""


def _digest(events: Sequence[dict]) -> str:
    """SHA-256 of the events as values: an edit shows, a line's spacing does not."""
    digest = hashlib.sha256()
    for event in events:
        digest.update(json.dumps(event, sort_keys=True).encode("ascii") + b"\n")
    return digest.hexdigest()


class _Cursor:
    """A log's cursor file; ``renew`` starts afresh from one that cannot be read."""

    def __init__(self, log: Path, *, renew: bool = False) -> None:
        self.path = cursor_path(log)
        try:
            self.entries = self._load()
        except _Refused:
            if not renew:
                raise
            self.entries = {}

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise _Refused(f"its cursor {self.path.name} cannot be read ({exc})") from None
        if not (
            isinstance(data, dict)
            and data.get("format") == _CURSOR_FORMAT
            and isinstance(data.get("lrs"), dict)
        ):
            raise _Refused(f"its cursor {self.path.name} is not a guessfirst cursor")
        return data["lrs"]

    def start(self, url: str, events: list[dict], options: Options) -> int:
        """How many of ``events`` this LRS already has."""
        entry = self.entries.get(url)
        if entry is None:
            return 0
        if not isinstance(entry, dict) or entry.get("options") != options.fingerprint():
            raise _Refused("it was sent to this LRS with other options")
        count = entry.get("events")
        if (
            type(count) is not int
            or not 0 <= count <= len(events)
            or _digest(events[:count]) != entry.get("sha256")
        ):
            raise _Refused("it changed in the part already sent to this LRS")
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


# -- the push --------------------------------------------------------------------------


@dataclass
class Pushed:
    """What a push did: for the summary a teacher reads, and the exit status."""

    sent: int = 0
    #: Of ``sent``, the statements the LRS said it already held.
    held: int = 0
    #: The logs not sent, each with the reason.
    refused: dict[Path, str] = field(default_factory=dict)
    problems: list[eventlog.Problem] = field(default_factory=list)
    #: Why the push stopped before the end, or None when it did not.
    error: str | None = None


@dataclass
class _Batch:
    statements: list[dict] = field(default_factory=list)
    #: Per log, how many of its events the LRS holds once this batch is in.
    marks: dict[Path, int] = field(default_factory=dict)
    #: Per statement id, the log and event it comes from, to name it if refused.
    sources: dict[str, tuple[Path, str]] = field(default_factory=dict)


def push(
    logs: Sequence[Path],
    client: Client,
    options: Options,
    *,
    batch_size: int = BATCH_SIZE,
    from_start: bool = False,
    progress: Progress | None = None,
) -> Pushed:
    """Send each log's events the LRS does not have yet, in log order and in batches.

    ``from_start`` ignores the cursors and sends everything again: the LRS keeps what it
    already has. A cursor that cannot be written stops the push before anything is sent.
    """
    pushed = Pushed()
    plans: list[tuple[_Log, int]] = []
    cursors: dict[Path, _Cursor] = {}
    for path in logs:
        pushed.problems.extend(eventlog.verify(path))
        log = _read(path, options)
        try:
            cursor = _Cursor(path, renew=from_start)
            start = 0 if from_start else cursor.start(client.url, log.events, options)
        except _Refused as refused:
            pushed.refused[path] = str(refused)
            continue
        if len(log.events) > start:
            cursor.save(client.url, log.events, start, options)
            cursors[path] = cursor
            plans.append((log, start))
    batches = list(_batches(plans, batch_size))
    total = sum(len(batch.statements) for batch in batches)
    events = {log.path: log.events for log, _ in plans}
    for batch in batches:
        try:
            held = _deliver(client, batch.statements) if batch.statements else 0
        except LRSError as exc:
            pushed.error = _named(exc, batch)
            break
        for path, count in batch.marks.items():
            cursors[path].save(client.url, events[path], count, options)
        pushed.sent += len(batch.statements)
        pushed.held += held
        if progress:
            progress(pushed.sent, total)
    return pushed


def _batches(plans: list[tuple[_Log, int]], size: int) -> Iterator[_Batch]:
    """Batches of at most ``size`` statements, across logs, none with an id twice.

    An event in two copies of a log is sent with the first; the second copy's cursor moves
    with the batch that holds it, or a later one.
    """
    seen: set[str] = set()
    batch = _Batch()
    for log, start in plans:
        for end, statement in log.owed:
            if end <= start:
                continue
            if statement["id"] not in seen:
                if len(batch.statements) == size:
                    yield batch
                    batch = _Batch()
                seen.add(statement["id"])
                batch.statements.append(statement)
                batch.sources[statement["id"]] = (log.path, log.events[end - 1]["id"])
            batch.marks[log.path] = end
        batch.marks[log.path] = len(log.events)
    if batch.marks:
        yield batch


def _deliver(client: Client, statements: list[dict]) -> int:
    """Post ``statements``, halving on 409 and 413; return how many the LRS already held."""
    answer = client.post(statements)
    if answer.status in _SPLIT:
        if len(statements) > 1:
            middle = len(statements) // 2
            return _deliver(client, statements[:middle]) + _deliver(client, statements[middle:])
        if answer.status == 409:
            return 1
        raise LRSError("the LRS says this statement is too large (413)", statements[0]["id"])
    if answer.status == 204:  # nothing new: every one was already there
        return len(statements)
    if answer.ids is None:
        return 0
    return len({statement["id"] for statement in statements} - set(answer.ids))


def _named(exc: LRSError, batch: _Batch) -> str:
    source = batch.sources.get(exc.statement or "")
    if source is None:
        return str(exc)
    path, event = source
    return f"{exc} (from {path.name}, event {event})"
