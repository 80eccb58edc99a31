"""Checking one answer within the question's time, and what the log keeps when it cannot.

An answer that cannot be compared in time gets no verdict (``correct`` None): the lesson
goes on, and the attempt is still logged. An error inside a check is not the student's
doing either: it is logged the same way, with its reason.
"""

from __future__ import annotations

import json
import logging

from .. import checks
from ..log import eventlog

#: Failures the card reports to the student are logged here too, for a developer who
#: configures logging; by default nothing is printed into the student's notebook.
log = logging.getLogger("guessfirst")
log.addHandler(logging.NullHandler())


def judge(check: checks.Check, response: object, limit: float) -> checks.Verdict:
    """``check.check(response)`` within ``limit`` seconds, or a verdict-less one."""
    try:
        return checks.judge(check, response, limit)
    except TimeoutError:
        reason = "timeout"
    except (checks.InvalidResponse, checks.QuestionError):
        raise
    except Exception as exc:
        log.error("guessfirst: checking an answer failed", exc_info=exc)
        reason = "error"
    return checks.unjudged(as_text(response), reason)


def as_text(response: object) -> str:
    """An answer as the log keeps it when no check could say how it reads."""
    if isinstance(response, str):
        return response
    if isinstance(response, (list, tuple)) and all(isinstance(item, str) for item in response):
        return json.dumps(list(response), ensure_ascii=False)
    return one_line(repr(response), eventlog.MAX_TEXT_CHARS)


def one_line(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
