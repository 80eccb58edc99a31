"""Collecting logs: from wherever a school's logs are into one folder, with a ledger that
remembers each collection, so what a log loses between two collections is seen.

The chain inside a log shows an edited line, but not lines cut off its end, nor a file
whose chain was computed again: a record kept apart from the student does. So
``collect`` copies each log into the collection folder, never overwriting or deleting
an earlier copy, and appends a line per log to ``ledger.jsonl`` there. The next
collection compares each log with the copy before it and flags what was cut or changed,
naming the lines and when they had been collected, logs gone from a home, and logs whose
owner is not the student their lines name. Standard library only: it needs no teacher extra.

- Sources (one module each): hub homes (``_homes``), LMS zips from Canvas and Moodle
  (``_lms``), nbgrader folders (``_nbgrader``), plain files, folders and patterns
  (``_plain``); what each yields is a ``Found`` (``_found``).
- The ledger (``_ledger``), the comparison of two versions (``_compare``), owners and
  rosters (``_owners``), the stored copies (``_store``), one collection (``_collection``),
  and what a collection folder holds (``_folder``).

Stored copies: ``<folder>/<stem>.jsonl``, where the folder is the owner made safe for a
file name (for a log with no owner, the one student its lines name, else ``_unknown``)
and the stem is the lesson folders and the file's name (``lesson1/guessfirst-logs/
ana.jsonl`` in alice's home is ``alice/lesson1__ana.jsonl``). Each later version of a
log is a new copy beside the first: ``lesson1__ana.v2.jsonl``, ``.v3``... Two logs that
would share a stem are told apart by 8 hex digits of the later one's key.

The hub service's copies (``--service-store``): ``hub-service/<user>.jsonl``, and each
local copy's lines compared with them in ``hub-confirmations.json`` (``_service``), and
the flags read back from it (``_confirmed``).
"""

from __future__ import annotations

from ._collection import Collected, collect
from ._confirmed import read as read_confirmations
from ._folder import flags, is_collection, without_ledgers
from ._found import MAX_LOG_BYTES, CollectError
from ._ledger import LEDGER, Flag, Record, is_ledger, read_ledger
from ._lms import MAX_ZIP_BYTES
from ._service import CONFIRMATIONS

#: What a flag can say, for readers that group them.
KINDS = (
    "shortened",
    "changed",
    "missing",
    "owner-mismatch",
    "foreign-owner",
    "copy-altered",
    "damaged-ledger",
    "unconfirmed",
    "altered-since-sent",
    "hub-only",
)

__all__ = [
    "CONFIRMATIONS",
    "KINDS",
    "LEDGER",
    "MAX_LOG_BYTES",
    "MAX_ZIP_BYTES",
    "CollectError",
    "Collected",
    "Flag",
    "Record",
    "collect",
    "flags",
    "is_collection",
    "is_ledger",
    "read_confirmations",
    "read_ledger",
    "without_ledgers",
]
