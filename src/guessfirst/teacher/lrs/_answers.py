"""What an LRS's answer means: the ids it stored, or one line on why it failed or refused."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
from typing import NamedTuple

# An LRS answers 409 for a statement id it already holds; 413 for a batch too large.
# Either way a smaller batch tells more: halves are sent until one statement is left.
SPLIT = frozenset({409, 413})
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_DETAIL_CHARS = 200


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


def ids(body: bytes) -> list[str] | None:
    """The statement ids a 200 answer lists, or None when it is not a list of them."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: arrays nested deeper than Python
        return None
    return value if isinstance(value, list) and all(isinstance(i, str) for i in value) else None


def duration(seconds: float) -> str:
    """Seconds as a person reads them: 0.5 s, 45 s, 300 s."""
    if seconds >= 1e6:
        return "over 11 days"
    return (f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}").removesuffix(".0") + " s"


def failure(cause: BaseException | str, seconds: float) -> str:
    """One line on what went wrong with a request: the words of an exception vary a lot."""
    if isinstance(cause, TimeoutError):
        return f"no complete answer within {duration(seconds)}"
    if isinstance(cause, http.client.IncompleteRead):
        return f"the answer broke off after {len(cause.partial)} bytes"
    if isinstance(cause, http.client.RemoteDisconnected):
        return "the LRS closed the connection without an answer"
    if isinstance(cause, http.client.HTTPException):
        words = " ".join(str(cause).split())[:_DETAIL_CHARS]
        return f"a malformed answer ({type(cause).__name__}: {words})"
    return str(cause) or type(cause).__name__


def refusal(exc: urllib.error.HTTPError, statements: list[dict]) -> LRSError:
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
    sent = [statement["id"] for statement in statements]
    if index is None:
        named = [found for found in _UUID.findall(text) if found.lower() in sent]
        index = sent.index(named[0].lower()) if named else None
    statement = sent[index] if index is not None and 0 <= index < len(sent) else None
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
