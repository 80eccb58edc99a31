"""A question in parts: each part gated on its own, one worked example once all are tried."""

from __future__ import annotations

from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst import checks
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog
from widget_state import own_state

EXAMPLE = "Speed is distance over time: one hundred and twenty over one and a half."
UNITS = "Check the units: kilometres, not metres."


def trip() -> gf.Multi:
    return gf.Multi(
        "trip",
        "A train trip in three parts.",
        parts=[
            gf.Numeric("a", "How far does it go, in km?", answer=120, feedback={12: UNITS}),
            gf.Numeric("b", "For how many hours?", answer=1.5),
            gf.Choice("c", "Faster than a cyclist?", choices=["yes", "no"], answer="yes"),
        ],
        example=EXAMPLE,
        hints=["Read the timetable again."],
    )


def events(log_dir: Path) -> list[dict]:
    return eventlog.read_events(eventlog.log_path(log_dir, "ana")).events


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def test_before_any_attempt_the_card_holds_each_parts_prompt_and_nothing_else(fresh_kernel):
    q = trip()
    shown = own_state(q)
    assert [p["label"] for p in q.parts] == ["(a)", "(b)", "(c)"]
    assert "How far does it go" in shown
    for secret in (EXAMPLE, UNITS, "120", "timetable"):
        assert secret not in shown


def test_each_part_gets_its_own_feedback_and_the_example_waits_for_every_part(fresh_kernel):
    q = trip()
    q.submit("12", "Certain", part="a")
    a, b, _ = q.parts
    assert a["status"] == "wrong" and UNITS in a["feedback_html"]
    assert "opens once every part has an answer" in a["feedback_html"]
    assert b["status"] == "open" and b["feedback_html"] == ""
    assert q.example_html == "" and EXAMPLE not in own_state(q)

    q.submit("1.5", part="b")
    assert q.example_html == ""
    from_browser(q, {"type": "submit", "part": 2, "response": "yes", "confidence": 3})
    assert "one hundred and twenty" in q.example_html
    assert [p["status"] for p in q.parts] == ["wrong", "correct", "correct"]
    assert "opens once" not in q.parts[0]["feedback_html"]  # no longer waiting

    q.submit("120", part="a")
    assert "that is a good error" in q.parts[0]["feedback_html"]


def test_parts_are_logged_as_questions_of_their_own(fresh_kernel):
    q = trip()
    q._repr_mimebundle_()
    for part, answer in (("a", "12"), ("b", "1.5"), ("c", "yes"), ("a", "120")):
        q.submit(answer, part=part)
    log = [(e["type"], e["question"]) for e in events(fresh_kernel)]
    assert log[:4] == [
        ("shown", "trip"),
        ("shown", "trip/a"),
        ("shown", "trip/b"),
        ("shown", "trip/c"),
    ]
    assert log[4:] == [
        ("attempt", "trip/a"),
        ("attempt", "trip/b"),
        ("attempt", "trip/c"),
        ("reveal", "trip"),
        ("attempt", "trip/a"),
        ("corrected", "trip/a"),
    ]
    shown_c = next(e for e in events(fresh_kernel) if e["question"] == "trip/c")
    assert shown_c["kind"] == "choice"
    assert eventlog.verify(eventlog.log_path(fresh_kernel, "ana")) == []


def test_a_hint_opens_after_any_part_has_been_tried(fresh_kernel):
    q = trip()
    assert q.hint() is None
    q.submit("12", part="a")
    assert q.hint() == "Read the timetable again."


def test_parts_come_back_after_a_restart(fresh_kernel, monkeypatch):
    q = trip()
    q.submit("12", part="a")
    KERNEL.reset()  # a restart
    again = trip()
    assert again.parts[0]["last_response"] == "12"
    assert "Last time you answered" in again.parts[0]["feedback_html"]
    assert again.parts[1]["status"] == "open"
    assert again.example_html == ""


def test_an_unreadable_part_answer_is_explained_under_that_part(fresh_kernel):
    q = trip()
    assert q.submit("twelve-ish", part="a") is None
    assert q.parts[0]["input_error"] and not q.parts[1]["input_error"]
    assert not any(e["type"] == "attempt" for e in events(fresh_kernel))


def test_part_ids_may_repeat_across_questions_but_not_within_one(fresh_kernel):
    trip()
    other = gf.Multi("other", "Again.", parts=[gf.Numeric("a", "How many?", answer=3)])
    assert other.parts[0]["id"] == "a"
    with pytest.raises(checks.QuestionError, match=r"already used|repeated"):
        gf.Multi(
            "bad", "Twice.", parts=[gf.Numeric("a", "x?", answer=1), gf.Text("a", "y?", answer="y")]
        )


def test_a_part_that_is_not_a_question_is_refused():
    with pytest.raises(checks.QuestionError, match="must be"):
        gf.Multi("bad", "Parts?", parts=["a string"])
    with pytest.raises(ValueError, match="no part"):
        trip().submit("1", part="z")
