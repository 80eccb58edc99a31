"""How much the hub service takes from each student, and from everyone at once.

A student makes a few events a minute; an answer makes two or three at once, and a kernel
that was offline resends what waited. The defaults let all of that through and stop a loop
in one student's kernel from filling the disk or starving the class.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ._store import Refused

#: Sustained events per second per student: 30 a minute, ten times a busy student's pace.
RATE = 0.5
#: Events a student may send at once: a reconnecting kernel's backlog of a lesson.
BURST = 60
#: Bytes a student may send per UTC day: some 20,000 typical events.
DAILY_BYTES = 20 * 1024 * 1024
#: Events being stored at once, across the school, before the service answers 503. Each
#: kernel has one request out at a time, so this is about the kernels sending at the same
#: moment: at 64, a school's 200 kernels sending together drew some 1,000 needless 503s
#: (bench/bench_hubservice.py); 256 of the log's largest lines still fit in 16 MiB.
IN_FLIGHT = 256
#: Seconds a client is told to wait when the service is busy.
BUSY_RETRY = 1.0


@dataclass
class _Allowance:
    tokens: float
    stamp: datetime
    day: str
    used: int


class Limits:
    """A token bucket and a daily byte quota per user, and one cap on work in flight.

    Each user's allowance is their own: one student's flood is refused without touching
    anyone else's. Time is always passed in, so tests need no sleeping.
    """

    def __init__(
        self,
        rate: float = RATE,
        burst: int = BURST,
        daily_bytes: int = DAILY_BYTES,
        in_flight: int = IN_FLIGHT,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.daily_bytes = daily_bytes
        self.in_flight = in_flight
        self._busy = 0
        self._users: dict[str, _Allowance] = {}

    def check(self, user: str, size: int, now: datetime) -> None:
        """Charge ``user`` one event of ``size`` bytes, or raise Refused (429 or 503).

        Nothing is charged when the event is refused, so a refused retry costs nothing.
        """
        if self._busy >= self.in_flight:
            raise Refused(503, "the service is busy", retry_after=BUSY_RETRY)
        now = now.astimezone(timezone.utc)
        allowance = self._allowance(user, now)
        if allowance.tokens < 1:
            wait = (1 - allowance.tokens) / self.rate
            raise Refused(429, "too many events; slow down", retry_after=wait)
        if allowance.used + size > self.daily_bytes:
            tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
            wait = (tomorrow.replace(tzinfo=timezone.utc) - now).total_seconds()
            raise Refused(429, "today's quota of event bytes is used up", retry_after=wait)
        allowance.tokens -= 1
        allowance.used += size

    @contextlib.contextmanager
    def admit(self, user: str, size: int, now: datetime) -> Iterator[None]:
        """:meth:`check`, then hold one of the in-flight places while the event is stored."""
        self.check(user, size, now)
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1

    def _allowance(self, user: str, now: datetime) -> _Allowance:
        """``user``'s allowance refilled to ``now``; a new UTC day starts a new quota."""
        day = now.date().isoformat()
        allowance = self._users.get(user)
        if allowance is None:
            allowance = self._users[user] = _Allowance(float(self.burst), now, day, 0)
        elapsed = max(0.0, (now - allowance.stamp).total_seconds())
        allowance.tokens = min(float(self.burst), allowance.tokens + elapsed * self.rate)
        allowance.stamp = max(now, allowance.stamp)
        if day != allowance.day:
            allowance.day, allowance.used = day, 0
        return allowance
