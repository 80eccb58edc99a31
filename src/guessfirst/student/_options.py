"""What every kind of question also takes, after what counts as right: how the card asks.

Each option is checked as the question is made, so a teacher hears of a mistake in the
cell that made it, not from a student's card later.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypedDict

from .. import checks

#: How long checking one answer may take, unless a question says otherwise (``check_timeout``).
CHECK_SECONDS = 1.0
LONGEST_CHECK = 60.0


class QuestionOptions(TypedDict, total=False):
    """What every kind of question also takes, after what counts as right.

    ``confidence``: ask how sure the student is (default True). ``mode``: "practice"
    (default) or "quiz", with ``attempts`` (default 1) and ``release`` (a datetime with a
    time zone) or ``key`` (the teacher's word) to open the examples; or "pretest", one
    guess before the teaching, never judged on screen. ``fade``: leave the
    last steps of a stepped example blank for the student to write. ``variant``: a
    function of a ``random.Random`` giving other arguments for the same question (other
    numbers, another answer and example), which a review asks instead of the original;
    with ``per_student=True``, each student is also asked their own numbers the first time,
    the same on every run (see ``_own_numbers``).
    ``check_timeout``: the seconds checking one answer may take (default 1); an answer
    that takes longer is logged without a verdict, and the student asked to write it
    more simply. Code that a question runs has its own ``timeout`` on top.
    """

    confidence: bool
    mode: str
    attempts: int | None
    release: datetime | None
    key: str | None
    fade: int
    variant: Callable[[random.Random], Mapping[str, object]] | None
    per_student: bool
    check_timeout: float


def checked_variant(qid: str, variant: object, per_student: object = False) -> None:
    """Refuse a ``variant`` that is not a function (of a ``random.Random``), and own
    numbers for each student without one to draw them."""
    if variant is not None and not callable(variant):
        raise checks.QuestionError(
            f"Question {qid!r}: variant must be a function of a random.Random"
        )
    if not isinstance(per_student, bool):
        raise checks.QuestionError(
            f"Question {qid!r}: per_student must be True or False (got {per_student!r})"
        )
    if per_student and variant is None:
        raise checks.QuestionError(
            f"Question {qid!r}: per_student=True needs variant=, a function of a "
            "random.Random that returns each student's own numbers (prompt, answer, example...)"
        )


def checked_limit(qid: str, seconds: object) -> float:
    """A question's ``check_timeout``, refused unless it is a sensible number of seconds."""
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not math.isfinite(seconds)
        or not 0 < seconds <= LONGEST_CHECK
    ):
        raise checks.QuestionError(
            f"Question {qid!r}: check_timeout must be a number of seconds above 0 and at "
            f"most {LONGEST_CHECK:g} (got {seconds!r})"
        )
    return float(seconds)
