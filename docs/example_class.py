"""Simulate a class working through the demo lesson, to try the teacher's report on.

    python docs/example_class.py demo-logs
    guessfirst report demo-logs -o demo-report.html

Every lesson event is written by the real widgets, through ``q.submit`` and ``q.reflect``,
exactly as a student's clicks would write it. Wrong answers come from each question's
targeted feedback (its expected misconceptions) or are near misses; a student who is wrong
tries again with some probability. Two days later the class reviews its first-try errors:
those attempts are written with the log's own API, marked ``"review": true`` and dated
then, so the report has delayed retention to show. The same seed gives the same class.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "notebooks"))

import fractions_and_rates_questions as lesson

import guessfirst as gf
from guessfirst import eventlog

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
    if isinstance(check, gf.checking.ChoiceQuestion):
        wrong = [c for c in check.choices if c not in check.answers()]
        return [rng.choice(wrong)] if check.multiple else rng.choice(wrong)
    if isinstance(check, gf.checking.NumericQuestion):
        return str(float(check.answers()[0].split("/")[0]) * rng.choice((2, 10, 0.5)) + 1)
    return rng.choice(("numerator", "fraction", "I don't know"))


def _right(question: gf.Question) -> object:
    answers = question._check.answers()
    return answers if getattr(question._check, "multiple", False) else answers[0]


def simulate(folder: Path, students: int = 28, seed: int = 7) -> None:
    rng = random.Random(seed)
    gf.configure(log_dir=folder)
    for number in range(1, students + 1):
        os.environ["GUESSFIRST_STUDENT"] = f"student-{number:02d}"
        skill = rng.uniform(0.3, 0.9)
        for position, make in enumerate(lesson.ALL):
            if rng.random() < position * 0.008:
                break  # ran out of lesson time
            question = make()
            question._repr_mimebundle_()
            for attempt in range(1, 4):
                right = rng.random() < skill + 0.25 * (attempt - 1)
                confidence = rng.choice(LEVELS[2:] if right else LEVELS)
                question.submit(_right(question) if right else _wrong(question, rng), confidence)
                if right or rng.random() < 0.35:
                    break
                if rng.random() < 0.3:
                    question.reflect(rng.choice(REFLECTIONS))
    review(folder, random.Random(seed + 1))


def review(folder: Path, rng: random.Random) -> None:
    """The next lesson opens by asking each student their first-try errors again.

    An error corrected at the time is kept more often than one left open, and a wrong
    review is often the very answer the student first gave.
    """
    questions = {question._check.qid: question for question in (make() for make in lesson.ALL)}
    for path in sorted(folder.glob("*.jsonl")):
        if rng.random() < 0.15:
            continue  # absent on review day
        tried: dict[str, list[dict]] = {}
        for event in eventlog.read_events(path).events:
            if event["type"] == "attempt":
                tried.setdefault(event["question"], []).append(event)
        session = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        for qid, attempts in tried.items():
            first, question = attempts[0], questions[qid]
            if first["correct"]:
                continue
            solved = any(attempt["correct"] for attempt in attempts)
            again = {key: first.get(key) for key in _VERDICT}  # the first error, repeated
            if rng.random() < (0.7 if solved else 0.35):
                answer = _checked(question, _right(question)) or again
            elif rng.random() < 0.6:
                answer = again
            else:
                answer = _checked(question, _wrong(question, rng)) or again
            _log_review(path, first, attempts, answer, session, solved, rng)


_VERDICT = ("response", "correct", "normalized", "misconception")


def _checked(question: gf.Question, response: object) -> dict | None:
    """The logged fields of ``response``; None when the question cannot read it."""
    try:
        verdict = question._check.check(response)
    except gf.checking.InvalidResponse:
        return None
    return {key: getattr(verdict, key) for key in _VERDICT}


def _log_review(
    path: Path,
    first: dict,
    attempts: list[dict],
    answer: dict,
    session: str,
    solved: bool,
    rng: random.Random,
) -> None:
    """Append a review attempt, and ``corrected`` when it is the first right answer."""
    common = {
        "student": first["student"],
        "session": session,
        "notebook": first["notebook"],
        "question": first["question"],
        "qversion": first["qversion"],
    }
    number = len(attempts) + 1
    events = [
        eventlog.make_event(
            "attempt",
            **common,
            attempt=number,
            confidence=rng.choice([value for _, value in gf.CONFIDENCE_LEVELS]),
            latency_ms=rng.randrange(4_000, 60_000),
            review=True,
            **answer,
        )
    ]
    if answer["correct"] and not solved:
        events.append(
            eventlog.make_event(
                "corrected",
                **common,
                attempt=number,
                errors=len(attempts),
                first_error=first["id"],
                first_confidence=first["confidence"],
            )
        )
    lesson_end = datetime.fromisoformat(attempts[-1]["ts"].replace("Z", "+00:00"))
    when = lesson_end + timedelta(days=REVIEW_DAYS, minutes=rng.randrange(5, 40))
    for event in events:
        event["ts"] = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    eventlog.append_events(path, events)


if __name__ == "__main__":
    simulate(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-logs"))
