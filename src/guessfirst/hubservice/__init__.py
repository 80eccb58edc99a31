"""The hub service's store and limits: a copy of each event kept apart from the student.

A student can rewrite their own log; they cannot rewrite what the service stored. The
HTTP side (authenticated by the hub) hands each event to :class:`Store` after
:class:`Limits` let it through.
"""

from __future__ import annotations

from ._limits import Limits
from ._store import Receipt, Refused, Store

__all__ = ["Limits", "Receipt", "Refused", "Store"]
