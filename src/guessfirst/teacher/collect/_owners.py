"""Whether a log's owner (a home, an LMS entry, an nbgrader folder) is the student its
lines name.

A hub login or an nbgrader folder is the student id itself, so those are compared as
they are. An LMS names people differently (Canvas: ``leeana`` and a user id; Moodle: "Ana
Lee"), and a hub may give pseudonymous ids: a roster, the CSV ``guessfirst grades
--roster`` reads, links each ``student`` to their ``name``, ``lms_id``, ``sis_id`` and
``login_id`` (or ``email``). Without one, an LMS owner is not compared.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ._found import CollectError, Found

_ALIASES = ("name", "lms_id", "sis_id", "login_id", "email", "login")
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass
class Roster:
    #: Every name a student is known by (normalised), by their id.
    names: dict[str, set[str]] = field(default_factory=dict)


def read_roster(path: Path) -> Roster:
    """The roster at ``path``: a header row, a ``student`` column and any of the others."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
            if "student" not in columns:
                raise CollectError(f"the roster {path} has no 'student' column")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CollectError(f"the roster {path} cannot be read: {exc}") from None
    roster = Roster()
    for row in rows:
        student = (row.get(columns["student"]) or "").strip()
        if not student:
            continue
        names = roster.names.setdefault(student, {_plain(student)})
        for alias in _ALIASES:
            value = (row.get(columns[alias]) or "").strip() if alias in columns else ""
            if value:
                names.update(_forms(value))
                if alias in ("email", "login_id") and "@" in value:
                    names.add(_plain(value.split("@", 1)[0]))
    return roster


def same_person(found: Found, student: str, roster: Roster | None) -> bool | None:
    """Whether ``found``'s owner is ``student``; None when that cannot be told."""
    owner = found.owner
    if owner is None:
        return None
    if owner == student or (found.login and _plain(owner) == _plain(student)):
        return True
    if roster is None:
        return False if found.login else None
    known = roster.names.get(student)
    if known is None:
        return False
    return bool(known & ({*_forms(owner)} | {_plain(alias) for alias in found.aliases}))


def _plain(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _forms(name: str) -> set[str]:
    """A name as people and LMSs write it: as given, and run together in any turn of its
    words (Canvas's ``leeana`` for "Ana Lee" or "Lee, Ana")."""
    words = [word for word in _NOT_ALNUM.split(name.casefold()) if word]
    turns = {"".join(words[n:] + words[:n]) for n in range(len(words))}
    return {_plain(name), *turns}
