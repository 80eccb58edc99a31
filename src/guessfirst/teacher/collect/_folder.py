"""What a collection folder holds once collected: whether a folder is one, and its flags."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from . import _compare, _confirmed
from ._compare import digest
from ._ledger import LEDGER, Flag, Record, is_ledger, read_ledger


def is_collection(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` is a collection folder: one with a ledger."""
    return (Path(folder) / LEDGER).is_file()


def flags(folder: str | os.PathLike[str], *, copies: bool = True) -> list[Flag]:
    """Every flag of the collection in ``folder``, oldest first: what each collection
    found, a damaged ledger line, and (with ``copies``) a stored copy that is missing or
    no longer what the ledger recorded, which reads every copy once."""
    folder = Path(folder)
    known = read_ledger(folder)
    found = [flag for record in known.records for flag in record.flag_list()]
    found += [
        Flag(file=LEDGER, student=None, kind="damaged-ledger", detail=f"line {line}: {why}")
        for line, why in known.problems
    ]
    if copies:
        found += _altered_copies(folder, known.records)
    found += _confirmed.flags(folder)
    return found


def _altered_copies(folder: Path, records: list[Record]) -> list[Flag]:
    flags, checked = [], set()
    now = datetime.now(timezone.utc).isoformat()
    for record in records:
        if not record.copied or (record.stored, record.sha256) in checked:
            continue
        checked.add((record.stored, record.sha256))
        try:
            data = (folder / record.stored).read_bytes()
        except FileNotFoundError:
            why = "is missing"
        except OSError as exc:
            why = f"cannot be read ({exc.strerror or exc})"
        else:
            if len(data) == record.size and digest(data) == record.sha256:
                continue
            why = "is no longer what was collected"
        day = _compare.day(record.at, now)
        flags.append(
            Flag(
                file=record.stored,
                student=record.students[0] if record.students else None,
                kind="copy-altered",
                detail=f"the copy collected on {day} {why}",
                owner=record.owner,
                source=record.source,
                at=record.at,
            )
        )
    return flags


def without_ledgers(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """``paths`` with each collection folder replaced by its logs: its own ledger is not one."""
    from ..collected import find_logs

    kept: list[str] = []
    for path in paths:
        if is_collection(path):
            kept += [str(log) for log in find_logs([path]) if not is_ledger(log)]
        else:
            kept.append(os.fspath(path))
    return kept
