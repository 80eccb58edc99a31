"""When to try a batch again: Retry-After read defensively, backoff, and the push's budget."""

from __future__ import annotations

import datetime
import email.utils
import math
import re
from typing import NamedTuple

from ._answers import LRSError, duration

#: The first wait before a retry, doubled each time: 1, 2, 4, 8, 16 seconds.
FIRST_WAIT = 1.0
_LONGEST_WAIT = 300.0
#: Retry-After in seconds, as RFC 9110 has it or as a decimal; anything else is a date.
_DELAY = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?", re.ASCII)


class Failed(NamedTuple):
    """A try that may pass on another: why it failed, and the wait the LRS asked for."""

    reason: str
    asked: float | None = None


class Budget:
    """The seconds a push may lose to requests that failed and to the waits after them."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        #: Spent so far; nothing until a request fails.
        self.spent = 0.0

    def left(self) -> float:
        return self.seconds - self.spent

    def limit(self, deadline: float) -> float:
        """A request's deadline: once the budget is in use, no more than is left of it."""
        return deadline if not self.spent else min(deadline, self.left())

    def wait(self, attempt: int, failed: Failed) -> float:
        """The wait before try ``attempt + 1``, counted as spent; LRSError when it does not
        fit in what is left, so that the push stops at once instead of sleeping first."""
        wait = failed.asked if failed.asked is not None else backoff(attempt)
        if wait >= self.left():
            if failed.asked:
                raise LRSError(
                    f"the LRS asks to wait {duration(failed.asked)} before the next try, more "
                    f"than is left of the {self.seconds:g} s retry budget: {failed.reason}"
                )
            tries = f"{attempt} {'try' if attempt == 1 else 'tries'}"
            raise LRSError(
                f"no answer from the LRS within the {self.seconds:g} s retry budget "
                f"({tries}): {failed.reason}"
            )
        self.spent += wait
        return wait


def backoff(attempt: int) -> float:
    return min(FIRST_WAIT * 2 ** (attempt - 1), _LONGEST_WAIT)


def retry_after(value: str | None) -> float | None:
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
