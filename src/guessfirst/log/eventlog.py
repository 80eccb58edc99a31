"""The event log: one JSON Lines file per student, written and read as EVENTS.md says.

The file is the contract with the teacher side, so this module is strict about its
format and knows nothing about widgets or questions. Each line carries the hash of the
line before it (``prev``), which lets :func:`verify` show a teacher where a collected
file was edited, cut or shuffled.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import logline

if os.name == "nt":
    import msvcrt
else:
    import fcntl

#: Opening a log refuses a symbolic link where the system can tell (not on Windows).
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)

FORMAT_VERSION = 1
MAX_LINE_BYTES = 64 * 1024
MAX_TEXT_CHARS = 10_000
REQUIRED_FIELDS: frozenset[str] = frozenset(
    {"v", "id", "ts", "type", "student", "session", "notebook", "question", "qversion", "prev"}
)

#: What a student typed, or what the kernel made of it: cut first when a line is too long.
_TEXT_FIELDS = ("response", "normalized", "text")
_SET_BY_LOG = frozenset({"v", "id", "ts", "prev"})
_MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
# Names Windows reserves whatever follows the first dot: "con" and "nul.x" get a "_" in front.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)
_TAIL_BLOCK = 8192
_CACHE_ENTRIES = 16


def safe_name(student: str) -> str:
    """A file name for ``student``'s log, safe on every system a class folder travels to.

    Only ASCII letters, digits, ``.``, ``_`` and ``-`` survive: accented letters are stored
    differently by macOS and Windows, so the same id could otherwise map to two files.
    Whenever the id had to be changed (a character replaced, a leading dot, a reserved or
    empty name, a cut for length), 8 hex digits of its SHA-256 are appended, so that
    "Ana María" and "Ana_Mar_a" do not share a file. Unchanged ids stay readable.
    """
    name = _UNSAFE.sub("_", student)
    if name.startswith("."):
        name = "_" + name[1:]
    if name.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        name = "_" + name
    if name == student and name and len(name) <= _MAX_NAME_CHARS:
        return name
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{(name or '_')[: _MAX_NAME_CHARS - 9]}-{digest}"


def log_path(log_dir: Path, student: str) -> Path:
    """Where ``student``'s events go inside ``log_dir``."""
    return Path(log_dir) / f"{safe_name(student)}.jsonl"


def make_event(
    type: str,
    *,
    student: str,
    session: str,
    notebook: str | None,
    question: str,
    qversion: str,
    **fields: object,
) -> dict:
    """A new event with the fields every line needs; ``prev`` is added when it is written.

    What the student controls (``response``, ``normalized``, ``text``) is cut to
    MAX_TEXT_CHARS here, not at write time, so the kernel's own view of the event matches
    what the teacher will read.
    """
    clash = _SET_BY_LOG & fields.keys()
    if clash:
        raise ValueError(f"the log sets these fields itself: {', '.join(sorted(clash))}")
    event: dict = {
        "v": FORMAT_VERSION,
        "id": str(uuid.uuid4()),
        "ts": _now(),
        "type": type,
        "student": student,
        "session": session,
        "notebook": notebook,
        "question": question,
        "qversion": qversion,
        **fields,
    }
    for key in _TEXT_FIELDS:
        value = event.get(key)
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            event[key] = value[:MAX_TEXT_CHARS]
            event["truncated"] = True
    return event


def chain_hash(line: bytes) -> str:
    """The ``prev`` value for the line after ``line`` (its exact bytes, without ``\\n``)."""
    return hashlib.sha256(line).hexdigest()[:16]


def append_event(path: Path, event: dict) -> dict:
    """Append ``event`` durably and return it as written, with ``prev``."""
    return append_events(path, [event])[0]


def append_events(
    path: Path, events: Sequence[dict] | Callable[[list[dict]], Sequence[dict]]
) -> list[dict]:
    """Append ``events`` in order, durably and all or none; return them as written.

    One answer makes several events (an attempt, then the reveal it opens): written
    together they cost one lock and one fsync, which is most of an answer's wait. The
    events themselves are not changed. Several kernels may write the same file, so the
    lock covers reading the last line and writing the new ones: otherwise two writers
    could chain to the same line. ``events`` may be a function of the file's events,
    called under the lock: what it makes (an attempt's number) then follows from every
    writer's events, not just this kernel's. A new file is readable by its owner only
    (and by the group, in a folder with the setgid bit: a school's drop folder). Raises
    OSError when the disk refuses, when the file is a link, or when it belongs to another
    user (a log is never written through a link, nor into someone else's file); the file
    is then left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fitted = None if callable(events) else [_fitted(event) for event in events]
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | _NO_FOLLOW, _new_file_mode(path.parent))
    except OSError as exc:
        if exc.errno == errno.ELOOP and path.is_symlink():
            raise OSError(
                errno.ELOOP, f"{path.name} is a link, and a log is never written through one"
            ) from None
        raise
    try:
        _refuse_foreign(fd, path)
        with _locked(fd, path):
            if fitted is None:
                assert callable(events)
                fitted = [_fitted(event) for event in events(read_events(path).events)]
            size = os.fstat(fd).st_size
            if size == 0:
                _sync_folder(path.parent)
            last, ended = _last_line(fd, size)
            written, lines = [], []
            prev = chain_hash(last) if size else ""
            for event in fitted:
                chained = {**event, "prev": prev}
                line = _encode(chained)
                written.append(chained)
                lines.append(line)
                prev = chain_hash(line)
            # A writer that died mid-line left no "\n": start afresh rather than fuse lines.
            payload = (b"\n" if size and not ended else b"") + b"".join(
                line + b"\n" for line in lines
            )
            try:
                count = os.write(fd, payload)
                if count != len(payload):
                    raise OSError(errno.EIO, f"only {count} of {len(payload)} bytes written")
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
    finally:
        os.close(fd)
    return written


class EventLog:
    """Events for one student's file, kept safe while that file cannot be written.

    A full disk, a folder gone read-only, or a file that belongs to someone else must not
    cost the student their work, nor stop the lesson. Events then go to ``fallback``, a
    file of the student's own (under their home), and failing that wait here in memory;
    at the next write that works, they move to the log itself, first and in order, with
    the chain continued there.
    """

    def __init__(self, path: Path, fallback: Path | None = None) -> None:
        self.path = Path(path)
        self.fallback = None if fallback is None else Path(fallback)
        self.pending: list[dict] = []
        self.error: str | None = None

    def append(self, *events: dict) -> bool:
        """Queue ``events`` and write all that is waiting; True when it is all in the log.

        An event that can never be written (not JSON-serialisable, or too large without
        its text) raises ValueError or TypeError at once instead of blocking the queue.
        """
        for event in events:
            _fitted(event)
        self.pending.extend(events)
        return self.retry()

    def append_built(self, build: Callable[[list[dict]], Sequence[dict]]) -> list[dict]:
        """Write what ``build`` makes of the student's history, and return it.

        ``build`` is called once, under the writers' lock, with the file's events and then
        those waiting, so another kernel's events count too. When the log refuses before
        the lock is taken, it is called with the history that can be read, and its events
        wait with the others.
        """
        made: list[dict] = []

        def under_lock(waiting: list[dict]) -> Callable[[list[dict]], list[dict]]:
            def events(on_disk: list[dict]) -> list[dict]:
                made[:] = build([*on_disk, *waiting])
                for event in made:
                    _fitted(event)
                return [*waiting, *made]

            return events

        try:
            self._write(under_lock)
        except OSError as exc:
            if not made:
                made[:] = build(self.history())
                for event in made:
                    _fitted(event)
            self.pending.extend(made)
            self._set_aside(exc)
            return made
        self.pending.clear()
        self.error = None
        return made

    def history(self) -> list[dict]:
        """Every event of this student's: in the log, set aside, then waiting here."""
        return [*_readable_events(self.path), *self.aside(), *self.pending]

    def aside(self) -> list[dict]:
        """The events in the fallback file, waiting to move to the log."""
        return _readable_events(self.fallback) if self.fallback is not None else []

    def retry(self) -> bool:
        """Move everything waiting to the log, oldest first; False if it still refuses."""
        if self.pending or (self.fallback is not None and self.fallback.exists()):
            try:
                self._write(lambda waiting: lambda _on_disk: waiting)
            except OSError as exc:
                self._set_aside(exc)
                return False
            self.pending.clear()
        self.error = None
        return True

    def _write(
        self, events: Callable[[list[dict]], Callable[[list[dict]], Sequence[dict]]]
    ) -> None:
        """Append to the log what ``events`` makes of all that waits (set aside, then here).

        The fallback file stays locked meanwhile, and is emptied only once its events are
        in the log, so two kernels cannot move them twice, nor can they be lost.
        """
        if self.fallback is None or not self.fallback.exists():
            append_events(self.path, events(list(self.pending)))
            return
        fd = os.open(self.fallback, os.O_RDWR | _NO_FOLLOW | getattr(os, "O_BINARY", 0))
        try:
            with _locked(fd, self.fallback):
                moved = [_unchained(event) for event in _readable_events(self.fallback)]
                append_events(self.path, events([*moved, *self.pending]))
                os.ftruncate(fd, 0)
                with contextlib.suppress(OSError):
                    self.fallback.unlink()
        finally:
            os.close(fd)

    def _set_aside(self, exc: OSError) -> None:
        """The log refused: keep what waits in memory in the fallback file, if it takes it."""
        self.error = exc.strerror or str(exc)
        if self.fallback is None or not self.pending:
            return
        try:
            append_events(self.fallback, self.pending)
        except OSError:
            return  # neither takes it: it waits in memory, and the notice says so
        self.pending.clear()


def _readable_events(path: Path | None) -> list[dict]:
    if path is None:
        return []
    try:
        return read_events(path).events
    except OSError:  # unreadable now: it is not part of what is known
        return []


def _unchained(event: dict) -> dict:
    """An event as it was made, before a file's chain was added to it."""
    return {key: value for key, value in event.items() if key != "prev"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one line of a log file, for a teacher to read."""

    file: str
    line: int
    kind: str
    detail: str


@dataclass
class ReadResult:
    """A file's events that count, and why its other lines do not."""

    events: list[dict]
    problems: list[Problem]


def read_events(path: Path) -> ReadResult:
    """Every valid event of ``path`` in file order, and what was wrong with the other lines.

    A missing file reads as empty: a student who has not answered yet has none. Each new
    question re-reads the file, so results are cached on its size and modification time,
    and a file that only grew has just its new lines decoded. The events returned are fresh
    dicts, but values inside them are shared with the cache: replace them, never mutate.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ReadResult([], [])
    key, stamp = str(path), (stat.st_size, stat.st_mtime_ns)
    hit = _cache.pop(key, None)
    if hit is None or hit[0] != stamp:
        hit = (stamp, _parse(path.read_bytes(), key, hit[1] if hit else None))
    if len(_cache) >= _CACHE_ENTRIES:
        del _cache[next(iter(_cache))]
    _cache[key] = hit
    parsed = hit[1]
    return ReadResult([dict(event) for event in parsed.events], list(parsed.problems))


def verify(path: Path) -> list[Problem]:
    """All problems of ``path``, including every break of the hash chain; [] when intact.

    An edited line breaks the link to the line after it; a removed line breaks the link
    where it used to be; a moved line breaks the links around both places. Removing or
    editing the very last line cannot be seen by a chain and is not reported.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    parsed = _parse(data, str(path))
    lines, _ = _split(data)
    hashes = [chain_hash(line) for line in lines]
    position = {digest: number for number, digest in enumerate(hashes, start=1)}
    problems = list(parsed.problems)
    for number, event in zip(parsed.numbers, parsed.events, strict=True):
        if event["prev"] != (hashes[number - 2] if number > 1 else ""):
            problems.append(
                Problem(str(path), number, *_chain_break(event["prev"], number, position))
            )
    return sorted(problems, key=lambda problem: problem.line)


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


#: What time it is for the log: the computer's clock, except inside ``clock(...)``.
_clock: Callable[[], datetime] = _system_clock


@contextlib.contextmanager
def clock(now: Callable[[], datetime]) -> Iterator[None]:
    """Stamp the events made inside with ``now()`` (timezone-aware): a simulated class
    that spans several days writes each day's events with that day's time."""
    global _clock
    previous, _clock = _clock, now
    try:
        yield
    finally:
        _clock = previous


def _now() -> str:
    moment = _clock().astimezone(timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _encode(event: dict) -> bytes:
    # UTF-8 cannot carry a lone surrogate (a browser can send one); backslashreplace gives it
    # the same \uXXXX escape JSON would, and it can only occur inside a JSON string.
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8", "backslashreplace")


def _line_size(event: dict) -> int:
    # Measured with the longest possible prev, so the line fits whatever prev it gets.
    return len(_encode({**event, "prev": "0" * 16}))


def _fitted(event: dict) -> dict:
    """``event``, or a copy with shorter text, whose line fits in MAX_LINE_BYTES.

    What the student typed is cut first, then any other text the contract does not
    require (a long matched key): an attempt is never lost for its length. Escapes make a
    character cost 1 to 12 bytes, so each cut is found by bisection.
    """
    if _line_size(event) <= MAX_LINE_BYTES:
        return event
    fitted = {**event, "truncated": True}
    others = sorted(
        (
            key
            for key, value in event.items()
            if isinstance(value, str) and key not in REQUIRED_FIELDS
        ),
        key=lambda key: -len(event[key]),
    )
    for key in dict.fromkeys([*_TEXT_FIELDS, *others]):
        value = fitted.get(key)
        if not isinstance(value, str):
            continue
        keep, drop = 0, len(value) + 1
        while drop - keep > 1:
            middle = (keep + drop) // 2
            if _line_size({**fitted, key: value[:middle]}) <= MAX_LINE_BYTES:
                keep = middle
            else:
                drop = middle
        fitted[key] = value[:keep]
        if _line_size(fitted) <= MAX_LINE_BYTES:
            return fitted
    raise ValueError(f"event is over {MAX_LINE_BYTES} bytes even without its text")


@contextlib.contextmanager
def _locked(fd: int, path: Path) -> Iterator[None]:
    """Hold the writers' exclusive lock on ``path``.

    Windows locks are mandatory and would stop a teacher from even reading the log, so
    there the lock lives on a sidecar ``.lock`` file instead.
    """
    if os.name != "nt":
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return
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


@dataclass(frozen=True)
class _Parsed:
    data: bytes  # the bytes these results came from
    events: list[dict]
    numbers: list[int]  # the 1-based line of each event
    problems: list[Problem]


_cache: dict[str, tuple[tuple[int, int], _Parsed]] = {}
_ALONE = object()  # a line the bulk decode could not vouch for


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in a log")


# Lines are judged by logline's definition: a name given twice is seen (readers keep
# different copies), and a huge integer is a field's fault, not a line Python cannot read.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=logline.object_pairs)
#: For the rare line whose integer is longer than Python makes: a number per call is slow.
_HUGE_INTS = json.JSONDecoder(
    parse_constant=_reject_constant,
    object_pairs_hook=logline.object_pairs,
    parse_int=logline.parse_int,
)


def _split(data: bytes) -> tuple[list[bytes], bool]:
    """The file's lines without ``\\n``, and whether the last one was cut short."""
    lines = data.split(b"\n")
    last = lines.pop()  # b"" when the file ends with "\n"
    if last:
        lines.append(last)
    return lines, bool(last)


def _parse(data: bytes, file: str, known: _Parsed | None = None) -> _Parsed:
    """Events and problems of ``data``; lines already in ``known`` are not decoded again."""
    if known is not None and known.data.endswith(b"\n") and data.startswith(known.data):
        events, numbers, problems = list(known.events), list(known.numbers), list(known.problems)
        start = len(known.data)
    else:
        events, numbers, problems = [], [], []
        start = 0
    lines, cut = _split(data[start:])
    first = data.count(b"\n", 0, start) + 1
    last = first + len(lines) - 1
    for number, line, value in zip(range(first, last + 1), lines, _bulk_decode(lines), strict=True):
        event, fault = _check_line(line) if value is _ALONE else _check_value(value)
        if cut and number == last:
            kept = "it is kept, being complete" if fault is None else "it is skipped"
            fault = ("truncated-line", f"the last line has no line end ({kept})")
        if event is not None:
            events.append(event)
            numbers.append(number)
        if fault is not None:
            problems.append(Problem(file, number, *fault))
    return _Parsed(data, events, numbers, problems)


def _bulk_decode(lines: list[bytes]) -> list[object]:
    """Decode most lines in one call: line by line costs half as much again on a long log.

    Only lines that start with their only ``{`` and end with ``}`` are joined: JSON strings
    cannot hold a raw newline, so such a line's last ``}`` must close the object its first
    character opened, and no object can reach into the next line. The count of values is
    checked all the same. Other lines come back as _ALONE, to be decoded on their own.
    """
    plain = [
        number
        for number, line in enumerate(lines)
        if len(line) <= MAX_LINE_BYTES
        and line.startswith(b"{")
        and line.endswith(b"}")
        and line.count(b"{") == 1
    ]
    decoded: list[object] = [_ALONE] * len(lines)
    if not plain:
        return decoded
    try:
        text = b",\n".join(lines[number] for number in plain).decode("utf-8")
        values = _DECODER.decode(f"[{text}]")
    except (ValueError, RecursionError):
        return decoded
    if len(values) == len(plain):
        for number, value in zip(plain, values, strict=True):
            decoded[number] = value
    return decoded


def _check_line(line: bytes) -> tuple[dict | None, tuple[str, str] | None]:
    """The event on ``line``, or why the line does not count."""
    if len(line) > MAX_LINE_BYTES:
        return None, ("too-long", f"the line has {len(line)} bytes, over {MAX_LINE_BYTES}")
    try:
        value = _decode(line.decode("utf-8"))
    except UnicodeDecodeError:
        detail = "the bytes are not UTF-8 text"
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} at column {exc.colno}"
    except ValueError as exc:  # NaN or Infinity
        detail = str(exc)
    except RecursionError:
        detail = "nested too deeply"
    else:
        return _check_value(value)
    return None, ("not-json", f"not valid JSON: {detail}")


def _decode(text: str) -> object:
    """The value of one line; raises ValueError (or RecursionError) when it is no JSON."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer over Python's digit limit, or NaN: refused again
        return _HUGE_INTS.decode(text)


def _check_value(value: object) -> tuple[dict | None, tuple[str, str] | None]:
    """The event ``value`` is, or why it does not count: see :func:`logline.fault`."""
    fault = logline.fault(value)
    if fault is not None:
        return None, fault
    assert isinstance(value, dict)
    return value, None


def _chain_break(prev: object, number: int, position: dict[str, int]) -> tuple[str, str]:
    """Kind and detail for line ``number`` whose ``prev`` does not match the line before."""
    if prev == "":
        return "edited-or-reordered", "this line says it is the first, but it is not"
    earlier = position.get(prev) if isinstance(prev, str) else None
    if earlier is not None:
        return (
            "edited-or-reordered",
            f"this line was written right after line {earlier}: lines were moved",
        )
    if number == 1:
        return "removed", "the lines before this one are missing"
    return (
        "edited-or-reordered",
        f"line {number - 1} was edited, or lines between it and this one were removed",
    )
