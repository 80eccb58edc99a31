"""The front-end files: inside the wheel, or in ``js/`` of a source checkout.

The question card's script is built from ``js/src`` into ``js/dist/widget.js`` (``npm run
build``; an install runs it, see ``hatch_build.py``); the other files are shipped as written.
"""

from __future__ import annotations

from pathlib import Path

#: Files built from sources, by name: in a checkout they are in js/dist/.
_BUILT = frozenset({"widget.js"})


def asset(name: str) -> Path:
    here = Path(__file__).parent
    js = here.parent.parent / "js"
    candidate = here / "_static" / name
    if candidate.is_file():
        return candidate
    candidate = js / "dist" / name if name in _BUILT else js / name
    if candidate.is_file():
        return candidate
    if name in _BUILT:
        raise FileNotFoundError(
            f"guessfirst's front end is missing: {name} is built from js/src "
            "(cd js && npm ci && npm run build, with Node 20 or later)"
        )
    raise FileNotFoundError(f"guessfirst's front end is missing: {name}")
