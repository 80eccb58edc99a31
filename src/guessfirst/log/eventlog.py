"""The event log's public face: one JSON Lines file per student, as EVENTS.md says.

The file is the contract with the teacher side, so the log is strict about its format
and knows nothing about widgets or questions. Its parts live in modules of one concern
each; this module gathers the names the rest of guessfirst uses, so a caller needs one
import: ``from guessfirst.log import eventlog``.
"""

from __future__ import annotations

from .clock import clock as clock
from .events import FORMAT_VERSION as FORMAT_VERSION
from .events import MAX_LINE_BYTES as MAX_LINE_BYTES
from .events import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from .events import REQUIRED_FIELDS as REQUIRED_FIELDS
from .events import Event as Event
from .events import chain_hash as chain_hash
from .events import make_event as make_event
from .fallback import EventLog as EventLog
from .names import log_path as log_path
from .names import safe_name as safe_name
from .read import Problem as Problem
from .read import ReadResult as ReadResult
from .read import read_events as read_events
from .verify import verify as verify
from .write import append_event as append_event
from .write import append_events as append_events
