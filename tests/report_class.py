"""A small class over two lessons, written with the project's own event writer: a pretest
and its post-tests, misconception tags shared by two questions, per-student variants, and
two tags a student could have typed to attack a spreadsheet or a page.

Lesson 1 is Monday (its logs in ``lesson1/``), lesson 2 Wednesday (``lesson2/``), in
UTC. Every expected figure in the tests is worked out by hand from the story below.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from guessfirst.log import eventlog

MON = datetime(2026, 11, 23, tzinfo=timezone.utc)
WED = MON + timedelta(days=2)
VERSION = "0123456789ab"
FORMULA_TAG = "=cmd|' /C calc'!A0"
SCRIPT_TAG = "<script>alert(1)</script>"
STUDENTS = ("ana", "ben", "cy", "dan", "eve", "fay")

# (lesson, student, hh:mm, question, response, correct, tag, extra fields), in time order.
# speed: a pretest at 09:00 (ana 180, ben 80, cy 180, dan 5, fay 80; eve takes none),
#   then practice: ana right; ben 180 [mult] then right; cy 180 [mult] and no more;
#   eve 180 [mult] then right; dan only on Wednesday, right. fay never practises.
# rate: eve 12 [mult] then right on Monday, after her speed correction (the same day);
#   on Wednesday ben 12 [mult] (two days after correcting it on speed) then right, and
#   cy 12 [mult], never corrected.
# area: dan 20 [units] on Monday and again on Wednesday; eve and ana each one wrong
#   answer whose tag is hostile text. None of them corrected.
# share (per_student variants): ana a1b2 wrong then right, ben c3d4 right, cy a1b2
#   right; dan's review of c3d4 on Wednesday is no practice.
_STORY: list[tuple[str, str, str, str, str, bool, str | None, dict[str, object]]] = [
    ("lesson1", "ana", "09:00", "speed", "180", False, "mult", {"mode": "pretest"}),
    ("lesson1", "ben", "09:00", "speed", "80", True, None, {"mode": "pretest"}),
    ("lesson1", "cy", "09:00", "speed", "180", False, "mult", {"mode": "pretest"}),
    ("lesson1", "dan", "09:00", "speed", "5", False, None, {"mode": "pretest"}),
    ("lesson1", "fay", "09:00", "speed", "80", True, None, {"mode": "pretest"}),
    ("lesson1", "ana", "10:00", "speed", "80", True, None, {}),
    ("lesson1", "ben", "10:00", "speed", "180", False, "mult", {}),
    ("lesson1", "ben", "10:01", "speed", "80", True, None, {}),
    ("lesson1", "cy", "10:00", "speed", "180", False, "mult", {}),
    ("lesson1", "eve", "10:00", "speed", "180", False, "mult", {}),
    ("lesson1", "eve", "10:01", "speed", "80", True, None, {}),
    ("lesson1", "eve", "10:05", "rate", "12", False, "mult", {}),
    ("lesson1", "eve", "10:06", "rate", "3", True, None, {}),
    ("lesson1", "dan", "10:10", "area", "20", False, "units", {}),
    ("lesson1", "eve", "10:10", "area", "9", False, FORMULA_TAG, {}),
    ("lesson1", "ana", "10:10", "area", "10", False, SCRIPT_TAG, {}),
    ("lesson1", "ana", "11:00", "share", "7", False, None, {"variant": "a1b2"}),
    ("lesson1", "ana", "11:01", "share", "6", True, None, {"variant": "a1b2"}),
    ("lesson1", "ben", "11:00", "share", "9", True, None, {"variant": "c3d4"}),
    ("lesson1", "cy", "11:00", "share", "6", True, None, {"variant": "a1b2"}),
    ("lesson2", "dan", "10:00", "speed", "80", True, None, {}),
    ("lesson2", "ben", "10:00", "rate", "12", False, "mult", {}),
    ("lesson2", "ben", "10:01", "rate", "3", True, None, {}),
    ("lesson2", "cy", "10:00", "rate", "12", False, "mult", {}),
    ("lesson2", "dan", "10:10", "area", "20", False, "units", {}),
    ("lesson2", "dan", "11:00", "share", "9", False, None, {"variant": "c3d4", "review": True}),
]


def write_class(folder: Path, *, pretests: bool = True) -> Path:
    """The class's logs under ``folder``; without ``pretests``, the same logs with no
    pretest attempt in them (what a grade must come to all the same)."""
    lines: dict[tuple[str, str], list[dict]] = {}
    numbers: dict[tuple[str, str, str], int] = {}
    for lesson, student, clock, question, response, right, tag, extra in _STORY:
        day = MON if lesson == "lesson1" else WED
        hour, minute = map(int, clock.split(":"))
        ts = day.replace(hour=hour, minute=minute)
        shown_extra = {"variant": extra["variant"]} if "variant" in extra else {}
        events = lines.setdefault((lesson, student), [])
        key = (lesson, student, question)
        if key not in numbers:
            events.append(
                _event(student, lesson, "shown", question, ts, kind="numeric", **shown_extra)
            )
            numbers[key] = 0
        if extra.get("mode") == "pretest" and not pretests:
            continue
        numbers[key] += 1
        fields = {"misconception": tag, **extra}
        events.append(
            _event(
                student,
                lesson,
                "attempt",
                question,
                ts + timedelta(seconds=30),
                attempt=numbers[key],
                response=response,
                correct=right,
                confidence=0.5,
                latency_ms=4000,
                **fields,
            )
        )
    for (lesson, student), events in lines.items():
        eventlog.append_events(folder / lesson / f"{student}.jsonl", events)
    return folder


def _event(
    student: str, lesson: str, type_: str, question: str, ts: datetime, **fields: object
) -> dict:
    event = eventlog.make_event(
        type_,
        student=student,
        session=f"{lesson}-{student}",
        notebook=f"{lesson}.ipynb",
        question=question,
        qversion=VERSION,
        **fields,
    )
    event["ts"] = ts.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return event
