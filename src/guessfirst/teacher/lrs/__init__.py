"""Collected logs as xAPI statements: written to a file, or pushed to a Learning Record Store.

Standard library only (urllib), like the rest of the student side. Parts that know little
of each other: a log read into the statements it owes (:mod:`._export`, one per event that
makes one, see :mod:`guessfirst.teacher.xapi`), the :class:`Client` that posts one batch
(:mod:`._client`) and retries what may pass on a second try (:mod:`._retry`), each request
within its deadline (:mod:`._transport`), and the cursor file beside each log (:mod:`._cursor`),
which the push (:mod:`._push`) moves.

The cursor (``<log>.lrs-cursor.json``) says, per LRS, how many of the log's events are in
that LRS, with a SHA-256 of those events: a log that grew sends only its new events, and a
log edited in the part already sent is reported instead of being silently skipped. It is
written after the LRS has answered a batch, so an interrupted push resumes where it stopped.
The one gap, between the LRS's answer and the cursor write, costs a resend that the LRS
recognises: statement ids are derived from event ids, and an LRS keeps one statement per id.

Nothing an LRS does can hold a push for long: each request has a deadline for the whole of it
(connecting, sending, every read of the answer), and the retries of a push, with the waits
between them, share one budget; a wait that does not fit in what is left is not begun.
"""

from __future__ import annotations

from ._answers import Answer, LRSError
from ._client import DEADLINE, RETRY_BUDGET, TRIES, Client, basic_auth, statements_url, token_auth
from ._cursor import CURSOR_SUFFIX, cursor_path
from ._export import Export, dumps, export
from ._options import Options, Progress
from ._push import BATCH_SIZE, Pushed, push

__all__ = [
    "BATCH_SIZE",
    "CURSOR_SUFFIX",
    "DEADLINE",
    "RETRY_BUDGET",
    "TRIES",
    "Answer",
    "Client",
    "Export",
    "LRSError",
    "Options",
    "Progress",
    "Pushed",
    "basic_auth",
    "cursor_path",
    "dumps",
    "export",
    "push",
    "statements_url",
    "token_auth",
]
