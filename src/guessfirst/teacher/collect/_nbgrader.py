"""Logs in nbgrader's folders, where the student folder's name says whose each file is.

- ``submitted/<student>/<assignment>/...``: the course folder after ``nbgrader collect``;
- ``inbound/<student>+<assignment>+<timestamp>[+<random>]/...``: the exchange, one folder
  per submission, read oldest first so each later one is compared with the one before.

Both give a log the key ``nbgrader/<student>/<assignment>/<path>``, so the same log is
followed from the exchange to the course folder. Only ``guessfirst-logs/*.jsonl`` count:
an assignment's own ``data.jsonl`` is not a log.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._found import Found, Scan, reader, same_path, uid_of_user, unix_owner_note, walk_logs

_SUBMITTED, _INBOUND = "submitted", "inbound"


def nbgrader_roots(folder: Path) -> list[tuple[str, Path]]:
    """Each (``submitted`` or ``inbound``, folder of student folders) ``folder`` is or holds:
    itself, a course folder, or the exchange with a folder per course. Empty: not nbgrader's."""
    for kind in (_SUBMITTED, _INBOUND):
        if folder.name == kind:
            return [(kind, folder)]
        if (folder / kind).is_dir():
            return [(kind, folder / kind)]
    courses = sorted(child for child in folder.iterdir() if (child / _INBOUND).is_dir())
    return [(_INBOUND, course / _INBOUND) for course in courses]


def scan_nbgrader(kind: str, root: Path, avoid: Path) -> Scan:
    scan = Scan()
    submissions: list[tuple[str, str, str, Path]] = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink() or same_path(folder, avoid):
            continue
        if kind == _SUBMITTED:
            for work in sorted(folder.iterdir()):
                if work.is_dir() and not work.is_symlink():
                    submissions.append(("", folder.name, work.name, work))
            continue
        student, _, rest = folder.name.partition("+")
        assignment, _, when = rest.partition("+")
        if student and assignment:
            submissions.append((when, student, assignment, folder))
    for _when, student, assignment, folder in sorted(submissions, key=lambda s: (s[1], s[2], s[0])):
        expected = uid_of_user(student) if kind == _INBOUND and os.name == "posix" else None
        scan.scopes.add(f"nbgrader/{student}/{assignment}")
        for path, why_not in walk_logs(folder, logs_folders_only=True, avoid=avoid):
            if why_not is not None:
                scan.skipped.append((str(path), why_not))
                continue
            parts = (assignment, *path.relative_to(folder).parts)
            found = Found(
                source=str(path),
                kind="nbgrader",
                key="nbgrader/" + "/".join((student, *parts)),
                owner=student,
                parts=parts,
                read=reader(path),
                login=True,
            )
            try:
                note = unix_owner_note(path.lstat(), expected, f"{student}'s submission")
            except OSError:
                note = None
            if note is not None:
                found.notes.append(("foreign-owner", note))
            scan.found.append(found)
    return scan
