"""Making events: the fields every line carries, the limits of a line, and its bytes.

What is decided here is what the teacher side reads, so it follows EVENTS.md to the
byte: the field order of a new event, the JSON spelling of a line, the cut of a text
that would make a line too long, and the hash that chains a line to the one before.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from .clock import now as _now

#: One decoded line: field names to JSON values, whose types logline checks per field.
Event = dict[str, Any]

FORMAT_VERSION = 1
MAX_LINE_BYTES = 64 * 1024
MAX_TEXT_CHARS = 10_000
REQUIRED_FIELDS: frozenset[str] = frozenset(
    {"v", "id", "ts", "type", "student", "session", "notebook", "question", "qversion", "prev"}
)

#: What a student typed, or what the kernel made of it: cut first when a line is too long.
_TEXT_FIELDS = ("response", "normalized", "text")
_SET_BY_LOG = frozenset({"v", "id", "ts", "prev"})


def make_event(
    type: str,
    *,
    student: str,
    session: str,
    notebook: str | None,
    question: str,
    qversion: str,
    **fields: object,
) -> Event:
    """A new event with the fields every line needs; ``prev`` is added when it is written.

    What the student controls (``response``, ``normalized``, ``text``) is cut to
    MAX_TEXT_CHARS here, not at write time, so the kernel's own view of the event matches
    what the teacher will read.
    """
    clash = _SET_BY_LOG & fields.keys()
    if clash:
        raise ValueError(f"the log sets these fields itself: {', '.join(sorted(clash))}")
    event: Event = {
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


def encode(event: Event) -> bytes:
    """The line ``event`` is written as, without its ``\\n``."""
    # UTF-8 cannot carry a lone surrogate (a browser can send one); backslashreplace gives it
    # the same \uXXXX escape JSON would, and it can only occur inside a JSON string.
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8", "backslashreplace")


def _line_size(event: Event) -> int:
    # Measured with the longest possible prev, so the line fits whatever prev it gets.
    return len(encode({**event, "prev": "0" * 16}))


def fitted(event: Event) -> Event:
    """``event``, or a copy with shorter text, whose line fits in MAX_LINE_BYTES.

    What the student typed is cut first, then any other text the contract does not
    require (a long matched key): an attempt is never lost for its length. Escapes make a
    character cost 1 to 12 bytes, so each cut is found by bisection. Raises ValueError
    (or TypeError, for a value JSON cannot hold) when no cut makes it fit.
    """
    if _line_size(event) <= MAX_LINE_BYTES:
        return event
    shorter = {**event, "truncated": True}
    others = sorted(
        (
            key
            for key, value in event.items()
            if isinstance(value, str) and key not in REQUIRED_FIELDS
        ),
        key=lambda key: -len(event[key]),
    )
    for key in dict.fromkeys([*_TEXT_FIELDS, *others]):
        value = shorter.get(key)
        if not isinstance(value, str):
            continue
        shorter[key] = value[: _longest_fit(shorter, key, value)]
        if _line_size(shorter) <= MAX_LINE_BYTES:
            return shorter
    raise ValueError(f"event is over {MAX_LINE_BYTES} bytes even without its text")


def _longest_fit(event: Event, key: str, value: str) -> int:
    """How many characters of ``value`` fit as ``event[key]`` (bisection)."""
    keep, drop = 0, len(value) + 1
    while drop - keep > 1:
        middle = (keep + drop) // 2
        if _line_size({**event, key: value[:middle]}) <= MAX_LINE_BYTES:
            keep = middle
        else:
            drop = middle
    return keep
