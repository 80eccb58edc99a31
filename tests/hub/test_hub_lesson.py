"""A class at a real JupyterHub: three unix users log in, open the demo lesson and answer.

What only a hub shows: the student id is the hub's login, each kernel runs as its own
unix user, and each log lands in that student's home, owned by them and readable by
them alone, with its chain intact.
"""

from __future__ import annotations

import stat

import pytest
from hub_page import choose, log_in, open_lessons, run_all
from hub_server import STUDENTS, Hub
from playwright.sync_api import Browser

from guessfirst.log import eventlog

pytestmark = pytest.mark.hub

FIRST = "lesson.bigger_fraction()"  # the lesson's first question, a Choice
#: What each student answers, in order: ben is wrong first.
ANSWERS = {"ana": ["2/5"], "ben": ["3/8", "2/5"], "cleo": ["2/5"]}


def test_three_students_answer_the_first_question(hub: Hub, browser: Browser) -> None:
    students = [hub.students[short] for short in STUDENTS]
    # Logging in starts each server: all three start together.
    pages = {student: log_in(browser, hub, student) for student in students}
    outside: list[str] = []
    local = (hub.url, "data:", "blob:")
    for page in pages.values():
        page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
    try:
        lessons = open_lessons(pages, hub)
        run_all(lessons)
        for lesson in lessons:
            card = lesson.card(FIRST)
            *wrong, right = ANSWERS[lesson.student.short]
            for answer in wrong:
                choose(card, answer, "Fairly sure", "wrong")
            choose(card, right, "Fairly sure", "correct")
    finally:
        for page in pages.values():
            page.context.close()
    assert outside == [], "a page reached beyond the hub"

    # Read as root, from each home: each student's own file, in their name and theirs alone.
    for student in students:
        log = student.log
        assert sorted(p.name for p in student.log_dir.glob("*.jsonl")) == [log.name]
        owner = log.stat()
        assert (owner.st_uid, owner.st_gid) == (student.uid, student.gid), log
        assert stat.S_IMODE(owner.st_mode) == 0o600, oct(owner.st_mode)
        assert student.log_dir.stat().st_uid == student.uid
        read = eventlog.read_events(log)
        assert read.problems == []
        assert {e["student"] for e in read.events} == {student.name}
        attempts = [
            (e["response"], e["correct"])
            for e in read.events
            if e["type"] == "attempt" and e["question"] == "bigger-fraction"
        ]
        answers = ANSWERS[student.short]
        assert attempts == [(a, a == "2/5") for a in answers], student.short
        corrected = [e for e in read.events if e["type"] == "corrected"]
        assert len(corrected) == (len(answers) > 1), student.short
        assert eventlog.verify(log) == [], student.short
