"""Pretests: a guess before the teaching, thanked and never judged on screen, and the same
question asked again later in practice (the post-test); the report sets one against the
other, and no grade counts the guess."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.checks import QuestionError
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog
from guessfirst.student import schedule
from widget_state import ASSETS

EXAMPLE = "Speed is distance over time: one hundred and twenty over one and a half."
TARGETED = "Did you multiply instead of divide?"
HINT = "Speed is distance divided by time."


def speed(mode: str = "pretest") -> gf.Numeric:
    return gf.Numeric(
        "speed",
        "A train covers 120 km in 1.5 hours. Its speed, in km/h?",
        answer=80,
        example=EXAMPLE,
        feedback={180: TARGETED},
        hints=[HINT],
        mode=mode,
    )


def attempts(log_dir: Path, student: str = "ana") -> list[dict]:
    found = eventlog.read_events(eventlog.log_path(log_dir, student)).events
    return [event for event in found if event["type"] == "attempt"]


# -- the card ------------------------------------------------------------------------------


def test_a_pretest_invites_a_guess_and_says_nobody_expects_an_answer_yet(fresh_kernel):
    q = speed()
    assert q.mode == "pretest" and q.status == "open"
    assert "Nobody expects you to know this yet" in q.feedback_html


@pytest.mark.parametrize("answer", ["180", "80"])
def test_after_the_guess_the_card_holds_no_verdict_feedback_example_or_hint(fresh_kernel, answer):
    q = speed()
    q.submit(answer, "Just guessing")

    # Not the card's code and own words, nor the science of guessing it may tell first:
    # the same on every card, and about no answer.
    general = {*ASSETS, "strings", "welcome_html"}
    shown = json.dumps({k: v for k, v in q.get_state().items() if k not in general})
    verdicts = ("That's right", "Not quite", "Not yet", "Not there yet", "Last time")
    for secret in (EXAMPLE, TARGETED, HINT, "correct", "wrong", *verdicts):
        assert secret not in shown
    assert q.status == "done"
    assert "Thanks for your guess! We'll learn this soon." in q.feedback_html
    assert q.example_html == "" and q.hints_html == [] and q.hints_left == 0
    assert q.hint() is None
    assert q.fill_step("my own step") is None


@pytest.mark.parametrize(("answer", "right"), [("180", False), ("80", True)])
def test_the_log_keeps_the_verdict_the_card_does_not_show(fresh_kernel, answer, right):
    speed().submit(answer)
    events = eventlog.read_events(eventlog.log_path(fresh_kernel, "ana")).events
    [attempt] = [e for e in events if e["type"] == "attempt"]
    assert attempt["mode"] == "pretest"
    assert attempt["correct"] is right
    assert not any(e["type"] in ("reveal", "corrected", "hint") for e in events)


def test_a_second_guess_is_refused_kindly_and_not_logged(fresh_kernel):
    q = speed()
    q.submit("180")
    assert q.submit("80") is None
    assert "thank you" in q.input_error
    assert [e["response"] for e in attempts(fresh_kernel)] == ["180"]


def test_the_teachers_key_and_a_restart_open_nothing(fresh_kernel):
    speed().submit("180")
    KERNEL.reset()  # a restart
    again = speed()
    assert again.status == "done" and again.example_html == ""
    assert "Thanks for your guess" in again.feedback_html
    again._handle_msg(
        {
            "content": {"data": {"method": "custom", "content": {"type": "key", "key": "x"}}},
            "buffers": [],
        }
    )
    assert again.example_html == ""


def test_pretest_options_that_belong_to_a_quiz_are_refused():
    with pytest.raises(QuestionError, match="mode='quiz'"):
        gf.Numeric("n", "How many?", answer=3, mode="pretest", key="owl")


# -- asked again: the post-test ------------------------------------------------------------


def test_the_same_id_asked_in_practice_later_is_judged_normally(fresh_kernel):
    speed().submit("180")  # before the lesson
    post = speed("practice")  # the same kernel, the same id: no clash
    assert post.status == "open" and post.example_html == ""
    assert post.submit("180").correct is False
    assert TARGETED in post.feedback_html and EXAMPLE.split(":")[0] in post.example_html
    post.submit("80")
    assert post.status == "correct"

    logged = attempts(fresh_kernel)
    assert [(e.get("mode"), e["attempt"], e["correct"]) for e in logged] == [
        ("pretest", 1, False),
        (None, 2, False),
        (None, 3, True),
    ]


def test_a_post_test_in_a_later_session_starts_fresh(fresh_kernel):
    speed().submit("80")
    KERNEL.reset()  # another lesson, another kernel
    post = speed("practice")
    assert post.status == "open" and post.feedback_html == ""
    assert post.submit("80").correct is True
    assert post.status == "correct"


def test_an_id_still_belongs_to_one_content(fresh_kernel):
    speed()
    with pytest.raises(QuestionError, match="already used"):
        gf.Numeric("speed", "Another question", answer=3)


def test_a_wrong_guess_schedules_no_review(fresh_kernel):
    speed().submit("180")
    events = eventlog.read_events(eventlog.log_path(fresh_kernel, "ana")).events
    zone = schedule.local_zone()
    assert schedule.plan(events, datetime.now(zone).date() + timedelta(days=2), zone) == {}
