"""The front-end files: inside the wheel, or in ``js/`` of a source checkout."""

from __future__ import annotations

from pathlib import Path


def asset(name: str) -> Path:
    here = Path(__file__).parent
    for candidate in (here / "_static" / name, here.parent.parent / "js" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"guessfirst's front end is missing: {name}")
