"""The hub service: a copy of each event kept apart from the student.

A student can rewrite their own log; they cannot rewrite what the service stored. The
HTTP side (:func:`make_app`, authenticated by the hub) hands each event to :class:`Store`
after :class:`Limits` let it through. It needs JupyterHub and tornado, so it is imported
only when asked for: the store and limits stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._limits import Limits
from ._store import Receipt, Refused, Store

if TYPE_CHECKING:
    from ._app import make_app, serve

__all__ = ["Limits", "Receipt", "Refused", "Store", "make_app", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("make_app", "serve"):
        from . import _app

        return getattr(_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
