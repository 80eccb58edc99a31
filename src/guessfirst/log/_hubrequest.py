"""One request to the school's hub service, and what its answer means for the sender.

Only the standard library is used, and only once a service is configured: a lesson's
first cell stays light. A proxy from the environment is never used: the service is
inside the hub, and the kernel's token must not travel anywhere else.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .events import MAX_LINE_BYTES

if TYPE_CHECKING:
    from urllib.request import OpenerDirector

#: The longest wait a Retry-After is obeyed for: a day's quota must not silence a kernel.
RETRY_AFTER_CAP = 3600.0

HELD = frozenset({200, 201})
REFUSED = frozenset({400, 403, 413})

_log = logging.getLogger("guessfirst")


@dataclass
class Outcome:
    """What one request did: events held and refused (in the batch's order), and how long
    to wait before the next one (None: go on)."""

    held: int = 0
    refused: list[int] = field(default_factory=list)  # indexes in the batch
    wait: float | None = None


@dataclass(frozen=True)
class Reply:
    """The service's answer: its status, its Retry-After header, and its body."""

    status: int
    retry_after: str | None
    body: bytes


def opener() -> OpenerDirector:
    """An opener that ignores the environment's proxies."""
    import urllib.request  # only with a service: a lesson's first cell stays light

    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post(
    through: OpenerDirector, url: str, token: str, timeout: float, lines: list[bytes]
) -> Reply | None:
    """POST ``lines`` (JSON objects) as one batch; None when the service cannot be reached."""
    import urllib.error
    import urllib.request

    body = b'{"events":[' + b",".join(lines) + b"]}"
    request = urllib.request.Request(  # noqa: S310 -- service() let only http(s) through
        url + "api/events",
        data=body,
        method="POST",
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    try:
        with through.open(request, timeout=timeout) as response:
            status, answer = response.status, response.read()
            headers = response.headers
    except urllib.error.HTTPError as err:
        status, headers, answer = err.code, err.headers, b""
        with contextlib.suppress(OSError):
            answer = err.read()
    except (OSError, ValueError) as err:  # refused, unreachable, timed out, bad URL
        _log.debug("guessfirst: the school's service cannot be reached: %s", err)
        return None
    return Reply(status, headers.get("Retry-After"), answer)


def read_results(answer: bytes, lines: list[bytes], backoff: Callable[[], float]) -> Outcome:
    """The processed prefix of the batch; a wait (``backoff()`` unless the service named
    one) when the service stopped early or its answer cannot be read."""
    outcome = Outcome()
    try:
        reply = json.loads(answer)
        results, stopped = reply["results"], reply.get("stopped")
    except (ValueError, KeyError, TypeError):
        _log.debug("guessfirst: the school's service gave an unreadable answer")
        return Outcome(wait=backoff())
    for index, result in enumerate(results[: len(lines)] if isinstance(results, list) else []):
        status = result.get("status") if isinstance(result, dict) else None
        sent_id = json.loads(lines[index]).get("id")
        if status not in HELD | REFUSED or (
            isinstance(sent_id, str) and result.get("id") != sent_id
        ):
            _log.debug("guessfirst: unexpected result %r for event %s", result, sent_id)
            outcome.wait = backoff()
            return outcome
        if status in HELD:
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
        outcome.wait = seconds(stopped.get("retry_after"))
        if outcome.wait is None:
            outcome.wait = backoff()
    elif processed < len(lines):
        outcome.wait = backoff()
    return outcome


def seconds(value: object) -> float | None:
    """``value`` as a wait in seconds, within 0 and RETRY_AFTER_CAP; None if it is none."""
    if not isinstance(value, str | int | float):
        return None
    try:
        wait = float(value)
    except ValueError:
        return None
    if wait != wait:  # NaN
        return None
    return min(max(wait, 0.0), RETRY_AFTER_CAP)


def retry_after(header: str | None, answer: bytes) -> float | None:
    """The wait a 429 or 503 asks for: the header's, else the body's, else None."""
    wait = seconds(header)
    if wait is None:
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            wait = seconds(json.loads(answer).get("retry_after"))
    return wait


def _reject(name: str) -> object:
    raise ValueError(name)


def event_line(line: bytes) -> bool:
    """True for a line that is one JSON object of a size the service takes."""
    if len(line) > MAX_LINE_BYTES or not line.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(line, parse_constant=_reject), dict)
    except (ValueError, RecursionError):
        return False
