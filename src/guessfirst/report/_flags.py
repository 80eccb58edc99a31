"""What a collection's ledger flags, as the report and grades use it.

``guessfirst collect`` flags a stored copy whose lines were cut or changed since an
earlier collection, or whose lines name another student than its owner (see
:mod:`guessfirst.collect`). The report shows every flag; grades leave out the events of
a copy whose lines cannot be trusted, unless the teacher asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

#: Flags that make a copy's lines untrustworthy: its events earn no grade points. A log
#: gone from its home (``missing``) keeps the copies it had; a damaged ledger line names
#: no log.
LEAVE_OUT = frozenset({"shortened", "changed", "owner-mismatch", "foreign-owner", "copy-altered"})

COLUMNS = {
    "file": "string",
    "student": "string",
    "owner": "string",
    "kind": "string",
    "detail": "string",
    "left_out": "bool",
}


def flags_of(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> pd.DataFrame:
    """One row per flag of every collection folder among ``paths``; ``file`` is the stored
    copy's full path, as the report's ``files`` table names it."""
    from .. import collect

    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    rows = []
    for path in given:
        if not collect.is_collection(path):
            continue
        folder = Path(path).expanduser().resolve()
        for flag in collect.flags(folder):
            rows.append(
                {
                    "file": str((folder / flag.file).resolve()),
                    "student": flag.student,
                    "owner": flag.owner,
                    "kind": flag.kind,
                    "detail": flag.detail,
                    "left_out": flag.kind in LEAVE_OUT,
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(COLUMNS)


def none() -> pd.DataFrame:
    """No flags: logs read from anywhere but a collection folder."""
    return pd.DataFrame(columns=list(COLUMNS)).astype(COLUMNS)


def by_student(flags: pd.DataFrame) -> dict[str, str]:
    """Each student's flags in a few words: those on logs in their name or of their own."""
    said: dict[str, list[str]] = {}
    for student, owner, kind in zip(flags["student"], flags["owner"], flags["kind"], strict=True):
        for who in {student, owner} - {None, pd.NA}:
            if isinstance(who, str):
                said.setdefault(who, [])
                if kind not in said[who]:
                    said[who].append(kind)
    return {who: ", ".join(kinds) for who, kinds in said.items()}
