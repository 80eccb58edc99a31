"""Logs in a hub's home folders: each folder under ``--homes`` is one user, named by it.

Every lesson folder has its own ``guessfirst-logs/``, so a home is searched at any depth.
Where unix users exist, each file's owner is checked against the home's: a file that
another user put in alice's home (or that alice made bob's) is flagged.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._found import (
    CollectError,
    Found,
    Scan,
    reader,
    same_path,
    uid_of_user,
    unix_owner_note,
    walk_logs,
)


def scan_homes(homes: Path, avoid: Path) -> Scan:
    """The logs of every home in ``homes``, owned by the home's name."""
    if not homes.is_dir():
        raise CollectError(f"no folder of homes at {homes}")
    scan, base = Scan(), homes.resolve()
    for home in sorted(homes.iterdir()):
        if home.name.startswith(".") or not home.is_dir():
            continue
        if base / home.name == avoid or (home.is_symlink() and same_path(home, avoid)):
            continue
        try:
            home_info = home.stat()
        except OSError as exc:
            scan.skipped.append((str(home), exc.strerror or str(exc)))
            continue
        expected = _expected_uid(home.name, home_info.st_uid)
        scan.scopes.add(f"home/{home.name}")
        for path, why_not in walk_logs(home, logs_folders_only=True, avoid=avoid):
            if why_not is not None:
                scan.skipped.append((str(path), why_not))
                continue
            relative = path.relative_to(home).parts
            found = Found(
                source=str(path),
                kind="home",
                key="home/" + "/".join((home.name, *relative)),
                owner=home.name,
                parts=relative,
                read=reader(path),
                login=True,
            )
            try:
                note = unix_owner_note(path.lstat(), expected, f"{home.name}'s home")
            except OSError:
                note = None  # gone since: reading it says so
            if note is not None:
                found.notes.append(("foreign-owner", note))
            scan.found.append(found)
    return scan


def _expected_uid(name: str, home_uid: int) -> int | None:
    """Whose files a home should hold: the unix user of its name, else the home's owner
    (on a hub whose users are not unix users, every home belongs to one service uid)."""
    if os.name != "posix":
        return None
    known = uid_of_user(name)
    return home_uid if known is None else known
