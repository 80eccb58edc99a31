"""The base of checks that run code: each run stopped after its ``timeout``."""

from __future__ import annotations

import math
import numbers

from . import _running
from ._base import Check


class _TimedCheck(Check):
    """A question that runs code, each run stopped after ``timeout`` seconds."""

    __slots__ = ("_timeout",)
    #: Each run's limit, in seconds, set by the kind from its ``timeout`` option.
    _timeout: float

    def _checked_timeout(self, timeout: object) -> float:
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, numbers.Real)
            or not math.isfinite(timeout)
            or timeout <= 0
        ):
            raise self._fail(f"timeout must be a positive number of seconds (got {timeout!r})")
        return float(timeout)

    def run_seconds(self) -> float:
        """Each run's limit and the time stopping an overrun may take, for every run."""
        return self._runs() * (self._timeout + _running.STOP_SECONDS)

    def _runs(self) -> int:
        return 1
