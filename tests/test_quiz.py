"""Quiz mode: answers are kept and counted, and nothing tells whether they are right until
the teacher's release time passes or the teacher types their key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.checks import QuestionError
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog
from guessfirst.student import quiz
from widget_state import own_state

EXAMPLE = "Speed is distance over time: one hundred and twenty over one and a half."
TARGETED = "Did you multiply instead of divide?"
NOW = datetime.now(timezone.utc)


def speed(**options: object) -> gf.Numeric:
    return gf.Numeric(
        "speed",
        "A train covers 120 km in 1.5 hours. Its speed, in km/h?",
        answer=80,
        example=EXAMPLE,
        feedback={180: TARGETED},
        hints=["Speed is distance divided by time."],
        mode="quiz",
        **options,
    )


def events(log_dir: Path) -> list[dict]:
    return eventlog.read_events(eventlog.log_path(log_dir, "ana")).events


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


# -- a closed quiz says nothing about right or wrong -----------------------------------


@pytest.mark.parametrize("answer", ["180", "80"])
def test_a_quiz_attempt_is_saved_without_a_verdict_feedback_or_example(fresh_kernel, answer):
    q = speed(key="owl")
    q.submit(answer, "Certain")

    shown = own_state(q)
    for secret in (EXAMPLE, TARGETED, "right", "correct", "Not quite", "Speed is distance"):
        assert secret not in shown
    assert q.status == "done"
    assert f"<q>{answer}</q> is saved" in q.feedback_html
    assert q.example_html == "" and q.hints_html == [] and q.reflection_for == 0

    attempt = [e for e in events(fresh_kernel) if e["type"] == "attempt"]
    assert attempt[0]["mode"] == "quiz"
    assert attempt[0]["correct"] is (answer == "80")
    assert not any(e["type"] == "reveal" for e in events(fresh_kernel))


def test_a_quiz_allows_a_fixed_number_of_attempts(fresh_kernel):
    q = speed(key="owl", attempts=2)
    q.submit("180")
    assert (q.status, q.attempts_left) == ("saved", 1)
    assert "change it once more" in q.feedback_html
    q.submit("100")
    assert (q.status, q.attempts_left) == ("done", 0)

    assert q.submit("80") is None
    assert "used all 2 attempts" in q.input_error
    assert [e["response"] for e in events(fresh_kernel) if e["type"] == "attempt"] == ["180", "100"]


def test_no_hint_opens_in_a_closed_quiz(fresh_kernel):
    q = speed(key="owl", attempts=2)
    q.submit("180")
    assert q.hint() is None
    assert q.hints_left == 0
    assert not any(e["type"] == "hint" for e in events(fresh_kernel))


# -- what opens it ---------------------------------------------------------------------


def test_the_teachers_key_opens_every_quiz_question_it_belongs_to(fresh_kernel):
    q = speed(key="Owl")
    other = gf.Text(
        "capital",
        "Capital of Australia?",
        answer="Canberra",
        example="Canberra.",
        mode="quiz",
        key="owl",
    )
    q.submit("180", "Certain")

    from_browser(q, {"type": "key", "key": "wrong"})
    assert q.key_error and q.example_html == ""

    from_browser(q, {"type": "key", "key": "  OWL "})
    assert "one hundred and twenty" in q.example_html
    assert "Canberra." in other.example_html
    assert q.status == "wrong" and q.key_entry is False
    reveals = [e for e in events(fresh_kernel) if e["type"] == "reveal"]
    assert [(e["question"], e["by"]) for e in reveals] == [("speed", "key"), ("capital", "key")]


def test_the_key_itself_never_reaches_the_browser_or_the_widget(fresh_kernel):
    q = speed(key="secret-owl")
    assert "secret-owl" not in own_state(q)
    assert "secret-owl" not in repr(q)
    assert "secret-owl" not in repr(q._quiz)


def test_a_passed_release_time_opens_the_examples_and_logs_it_once(fresh_kernel, monkeypatch):
    q = speed(release=NOW + timedelta(hours=1))
    q.submit("180")
    assert "opens on" in q.release_text
    from_browser(q, {"type": "open"})
    assert q.example_html == ""

    monkeypatch.setattr(quiz.Quiz, "released", lambda self, now=None: True)
    from_browser(q, {"type": "open"})
    from_browser(q, {"type": "open"})
    assert "one hundred and twenty" in q.example_html
    assert TARGETED not in q.feedback_html  # a restored attempt: "Last time you answered"
    assert "Last time you answered" in q.feedback_html
    assert [e.get("by") for e in events(fresh_kernel) if e["type"] == "reveal"] == ["release"]


def test_a_quiz_whose_release_has_passed_is_practice(fresh_kernel):
    q = speed(release=NOW - timedelta(minutes=1))
    assert q.release_text == ""
    q.submit("180", "Certain")
    assert TARGETED in q.feedback_html
    assert "one hundred and twenty" in q.example_html


def test_a_closed_quiz_stays_closed_after_a_restart(fresh_kernel, monkeypatch):
    speed(key="owl").submit("180")
    KERNEL.reset()  # a restart
    again = speed(key="owl")
    assert again.status == "done"
    assert "is saved" in again.feedback_html and "Last time" not in again.feedback_html
    assert again.example_html == ""


# -- authoring -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({}, "could never open"),
        ({"key": "owl", "attempts": 0}, "whole number"),
        ({"release": datetime(2026, 12, 1, 9)}, "time zone"),
        ({"key": "  "}, "non-empty"),
    ],
)
def test_a_quiz_that_cannot_work_is_refused_when_written(options, problem):
    with pytest.raises(QuestionError, match=problem):
        speed(**options)


def test_quiz_options_on_a_practice_question_are_refused():
    with pytest.raises(QuestionError, match="mode='quiz'"):
        gf.Numeric("n", "How many?", answer=3, key="owl")
    with pytest.raises(QuestionError, match="mode must be"):
        gf.Numeric("n", "How many?", answer=3, mode="exam")
