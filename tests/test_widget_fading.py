"""Faded worked examples: the last steps stay blank until the student has written them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.checks import QuestionError
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog

STEPS = [
    "Speed is distance divided by time.",
    "Here that is 120 km divided by 1.5 h.",
    "120 / 1.5 = **80**, so the speed is 80 km/h.",
]


def speed(fade: int = 1, **options: object) -> gf.Numeric:
    return gf.Numeric(
        "speed",
        "A train covers 120 km in 1.5 hours. Its speed, in km/h?",
        answer=80,
        example=STEPS,
        fade=fade,
        **options,
    )


def events(log_dir: Path) -> list[dict]:
    return eventlog.read_events(eventlog.log_path(log_dir, "ana")).events


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def test_the_faded_steps_are_blank_after_the_attempt_and_the_fade_is_logged(fresh_kernel):
    q = speed(fade=2)
    q.submit("180")

    assert "Speed is distance divided by time." in q.example_html
    shown = json.dumps(q.get_state())
    assert "120 km divided by 1.5 h" not in shown and "so the speed is" not in shown
    assert (q.steps_left, q.next_step) == (2, 2)
    reveal = next(e for e in events(fresh_kernel) if e["type"] == "reveal")
    assert reveal["fade"] == 2


def test_each_step_opens_only_after_the_student_writes_it_in_order(fresh_kernel):
    q = speed(fade=2)
    q.submit("180")

    from_browser(q, {"type": "step", "text": "   "})
    assert q.faded_steps == []

    from_browser(q, {"type": "step", "text": "divide 120 by 1.5"})
    assert [(s["n"], s["yours"]) for s in q.faded_steps] == [(2, "divide 120 by 1.5")]
    assert "120 km divided by 1.5 h" in q.faded_steps[0]["html"]
    assert "so the speed is" not in json.dumps(q.get_state())
    assert (q.steps_left, q.next_step) == (1, 3)

    assert q.fill_step("<b>80</b>") == STEPS[2]
    assert q.faded_steps[1]["yours"] == "<b>80</b>"  # kept as text: the card shows it as text
    assert (q.steps_left, q.next_step) == (0, 0)
    assert q.fill_step("more") is None

    steps = [(e["n"], e["text"]) for e in events(fresh_kernel) if e["type"] == "step"]
    assert steps == [(2, "divide 120 by 1.5"), (3, "<b>80</b>")]
    assert eventlog.verify(eventlog.log_path(fresh_kernel, "ana")) == []


def test_no_step_can_be_filled_before_the_attempt(fresh_kernel):
    q = speed()
    assert q.fill_step("divide") is None
    assert q.faded_steps == [] and q.example_html == ""
    assert not any(e["type"] == "step" for e in events(fresh_kernel))


def test_filled_steps_come_back_after_a_restart(fresh_kernel, monkeypatch):
    q = speed(fade=2)
    q.submit("180")
    q.fill_step("divide 120 by 1.5")

    KERNEL.reset()  # a restart
    again = speed(fade=2)
    assert [s["yours"] for s in again.faded_steps] == ["divide 120 by 1.5"]
    assert again.next_step == 3


def test_without_fade_the_whole_example_opens(fresh_kernel):
    q = speed(fade=0)
    q.submit("180")
    assert "so the speed is" in q.example_html
    assert q.next_step == 0
    assert "fade" not in next(e for e in events(fresh_kernel) if e["type"] == "reveal")


@pytest.mark.parametrize(
    ("example", "fade", "problem"),
    [
        (STEPS, 3, "every step"),
        (STEPS, -1, "whole number"),
        ("One paragraph only.", 1, "every step"),
        ([STEPS[0], b"\x89PNG\r\n\x1a\n" + b"\0" * 16], 1, "not an image"),
    ],
)
def test_a_fade_the_example_cannot_give_is_refused_when_written(example, fade, problem):
    with pytest.raises(QuestionError, match=problem):
        gf.Numeric("speed", "Speed?", answer=80, example=example, fade=fade)
