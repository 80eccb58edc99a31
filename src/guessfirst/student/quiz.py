"""Quiz mode: attempts are recorded and counted, and nothing says whether they are right.

Practice is the default everywhere: there an error is free, and the worked example
follows it at once. A quiz measures performance instead, so the verdict, the targeted
feedback, hints and the worked example wait until the teacher's release time has
passed or the teacher types their key on the student's computer.

A pretest comes before the teaching: one guess at something nobody expects the student
to know yet, which helps them learn it later (the pretesting effect). It is a quiz that
never opens: its verdict is logged for the teacher and never shown.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone

from ..checks import QuestionError
from ..i18n import month_name, weekday_name
from ..i18n import text as _say

MODES = ("practice", "quiz", "pretest")


@dataclass(frozen=True)
class Quiz:
    """The rules of one quiz question: how many attempts, and what opens the examples."""

    attempts: int = 1
    release: datetime | None = None
    key_digest: str | None = None
    #: "quiz", or "pretest": what the attempt events say in their ``mode``.
    mode: str = "quiz"

    @property
    def pretest(self) -> bool:
        """A pretest: one guess before the teaching, whose verdict is never shown."""
        return self.mode == "pretest"

    @classmethod
    def from_options(
        cls,
        qid: str,
        *,
        mode: str,
        attempts: int | None,
        release: datetime | None,
        key: str | None,
    ) -> Quiz | None:
        """The quiz a question's keyword arguments describe; None for practice.

        Raises QuestionError for arguments that cannot work, naming the question: a quiz
        whose examples could never open, a release time without a time zone (it would
        mean another moment on the student's computer), quiz options on a practice one or
        a pretest (one guess, and nothing opens: the teaching that follows is the answer).
        """
        if mode not in MODES:
            raise QuestionError(f"Question {qid!r}: mode must be one of {', '.join(MODES)}")
        if mode != "quiz":
            if attempts is not None or release is not None or key is not None:
                raise QuestionError(
                    f"Question {qid!r}: attempts, release and key are for mode='quiz'"
                )
            return cls(mode="pretest") if mode == "pretest" else None
        if attempts is None:
            attempts = 1
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise QuestionError(f"Question {qid!r}: attempts must be a whole number from 1")
        if release is None and key is None:
            raise QuestionError(
                f"Question {qid!r}: a quiz needs release= (a datetime) or key= (a word the "
                "teacher types), or its worked example could never open"
            )
        if release is not None and (
            not isinstance(release, datetime) or release.utcoffset() is None
        ):
            raise QuestionError(
                f"Question {qid!r}: release must be a datetime with a time zone, e.g. "
                "datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo('Asia/Hong_Kong'))"
            )
        if key is not None and (not isinstance(key, str) or not key.strip()):
            raise QuestionError(f"Question {qid!r}: key must be a non-empty string")
        return cls(attempts, release, None if key is None else digest(key))

    def released(self, now: datetime | None = None) -> bool:
        """True once the release time has passed."""
        if self.release is None:
            return False
        return (now or datetime.now(timezone.utc)) >= self.release

    def release_text(self) -> str:
        """When the examples open, in the kernel's local time, for the card to say."""
        if self.release is None:
            return ""
        when = self.release.astimezone()
        return _say(
            "quiz.opens",
            weekday=weekday_name(when),
            day=when.day,
            month=month_name(when),
            time=f"{when:%H:%M}",
        )

    def opens_with(self, key: str) -> bool:
        """True when ``key`` is the teacher's key (spaces around it and capitals ignored)."""
        if self.key_digest is None or not isinstance(key, str):
            return False
        return hmac.compare_digest(digest(key), self.key_digest)


def digest(key: str) -> str:
    """Only a digest of the key is kept: it never sits in a widget or its state."""
    return hashlib.sha256(key.strip().casefold().encode()).hexdigest()
