"""Simulate a class working through the demo lesson, to try the teacher's report on.

    python docs/example_class.py demo-logs
    guessfirst report demo-logs -o demo-report.html

Every event is written by the real widgets, through ``q.submit`` and ``q.reflect``,
exactly as a student's clicks would write it. Wrong answers come from each question's
targeted feedback (its expected misconceptions) or are near misses; a student who is wrong
tries again with some probability. The lesson is held two days ago (the log's clock is set
back for it), and today each student opens ``gf.review``: what they got wrong comes back,
and an error corrected at the time is kept more often than one left open. The same seed
gives the same class.
"""

from __future__ import annotations

import itertools
import os
import random
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "notebooks"))

import fractions_and_rates_questions as lesson

import guessfirst as gf
from guessfirst.log import eventlog

REVIEW_DAYS = 2
LEVELS = [label for label, _ in gf.CONFIDENCE_LEVELS]
REFLECTIONS = (
    "I rushed it.",
    "I added the tops and the bottoms.",
    "I thought bigger numbers meant a bigger fraction.",
    "I mixed up which one to divide by.",
)


def _wrong(question: gf.Question, rng: random.Random) -> object:
    check = question._check
    expected = [key for key in check.feedback if rng.random() < 0.8]
    if expected:
        return rng.choice(expected)
    if check.kind == "choice":
        wrong = [c for c in check.choices if c not in check.answers()]
        return [rng.choice(wrong)] if check.multiple else rng.choice(wrong)
    if check.kind == "numeric":
        return str(float(check.answers()[0].split("/")[0]) * rng.choice((2, 10, 0.5)) + 1)
    return rng.choice(("numerator", "fraction", "I don't know"))


def _right(question: gf.Question) -> object:
    answers = question._check.answers()
    return answers if getattr(question._check, "multiple", False) else answers[0]


def simulate(folder: Path, students: int = 28, seed: int = 7) -> None:
    rng = random.Random(seed)
    gf.configure(log_dir=folder)
    now = datetime.now(timezone.utc)
    for number in range(1, students + 1):
        os.environ["GUESSFIRST_STUDENT"] = f"student-{number:02d}"
        with eventlog.clock(_ticking(now - timedelta(days=REVIEW_DAYS, hours=2))):
            solved = _lesson(rng)
        _review(rng, solved)


def _ticking(start: datetime) -> Callable[[], datetime]:
    """The lesson's clock for one student: a minute on with each event."""
    minutes = itertools.count()
    return lambda: start + timedelta(minutes=next(minutes))


def _lesson(rng: random.Random) -> dict[str, bool]:
    """One student's lesson; for each question they got wrong first, whether they put it
    right before the lesson ended."""
    skill = rng.uniform(0.3, 0.9)
    first_errors: dict[str, bool] = {}
    for position, make in enumerate(lesson.ALL):
        if rng.random() < position * 0.008:
            break  # ran out of lesson time
        question = make()
        question._repr_mimebundle_()
        for attempt in range(1, 4):
            right = rng.random() < skill + 0.25 * (attempt - 1)
            confidence = rng.choice(LEVELS[2:] if right else LEVELS)
            question.submit(_right(question) if right else _wrong(question, rng), confidence)
            if attempt == 1 and not right:
                first_errors[question.qid] = False
            if right:
                if question.qid in first_errors:
                    first_errors[question.qid] = True
                break
            if rng.random() < 0.35:
                break
            if rng.random() < 0.3:
                question.reflect(rng.choice(REFLECTIONS))
    return first_errors


def _review(rng: random.Random, solved: dict[str, bool]) -> None:
    """Today's review: an error put right at the time is kept more often than one left
    open, and a wrong review is often the very answer first given."""
    if rng.random() < 0.15:
        return  # absent on review day
    for question in gf.review(lesson.ALL).questions:
        kept = rng.random() < (0.7 if solved.get(question.qid) else 0.35)
        answer = _right(question) if kept else _wrong(question, rng)
        question.submit(answer, rng.choice(LEVELS[2:] if kept else LEVELS))


if __name__ == "__main__":
    simulate(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-logs"))
