"""What time it is for the log: the computer's clock, except inside :func:`clock`.

A simulated class that spans several days (a test, a demonstration) must write each
day's events with that day's time, without threading a clock through every caller.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime, timezone


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


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


def now() -> str:
    """The time to stamp an event with: UTC, to the millisecond, ending in ``Z``."""
    moment = _clock().astimezone(timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
