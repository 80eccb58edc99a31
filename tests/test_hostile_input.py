"""What a hostile student found, each kept fixed: every submit returns with a verdict or a
message, logs exactly one attempt, and leaves a log that verifies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.log import eventlog
from guessfirst.student import widget

MEGABYTE = "7" * 1_000_000


def attempts(log_dir: Path, student: str = "ana") -> list[dict]:
    path = eventlog.log_path(log_dir, student)
    assert eventlog.verify(path) == []
    return [e for e in eventlog.read_events(path).events if e["type"] == "attempt"]


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


# -- an attempt is never lost for its size ----------------------------------------------


def test_an_expression_whose_expanded_form_is_huge_is_logged_once(fresh_kernel):
    q = gf.Expression("e", "Simplify 2(x+1)", answer="2*x + 2", example="2x + 2")
    verdict = q.submit("(x+2^100)^100")
    assert verdict is not None and verdict.correct is False
    (logged,) = attempts(fresh_kernel)
    assert logged["truncated"] is True
    assert len(logged["normalized"]) == eventlog.MAX_TEXT_CHARS
    assert q.example_html  # a real attempt, so the worked example opened


def test_a_long_text_answer_is_cut_to_the_limit_in_every_field(fresh_kernel):
    q = gf.Text("t", "The capital of Australia?", answer=["Canberra"])
    q.submit("a" * 70_000)
    q.submit("b" * 20_000)
    first, second = attempts(fresh_kernel)
    for logged in (first, second):
        assert logged["truncated"] is True
        assert len(logged["response"]) == len(logged["normalized"]) == eventlog.MAX_TEXT_CHARS
    assert [first["attempt"], second["attempt"]] == [1, 2]


@pytest.mark.parametrize(
    "make",
    [
        lambda: gf.Numeric("n", "2 + 2?", answer=4),
        lambda: gf.Text("t", "Say hi", answer="hi"),
        lambda: gf.Choice("c", "Pick", choices=["a", "b"], answer="a"),
        lambda: gf.Expression("e", "2x?", answer="2x"),
        lambda: gf.Predict("p", "What prints?", code="print(1)"),
    ],
    ids=["numeric", "text", "choice", "expression", "predict"],
)
def test_a_megabyte_answer_from_the_card_gets_a_reply_and_at_most_one_attempt(fresh_kernel, make):
    q = make()
    seq = q.seq
    from_browser(q, {"type": "submit", "response": MEGABYTE, "confidence": 3})
    assert q.seq > seq  # the card heard back
    logged = attempts(fresh_kernel) if eventlog.log_path(fresh_kernel, "ana").exists() else []
    if q.input_error:  # not readable as an answer of this kind: said, and nothing counted
        assert logged == [] or logged[0]["correct"] is None
    else:
        assert len(logged) == 1 and logged[0]["truncated"] is True


def test_each_part_of_a_multi_question_takes_a_megabyte_answer(fresh_kernel):
    q = gf.Multi(
        "m",
        "Two parts",
        parts=[gf.Text("a", "Say hi", answer="hi"), gf.Predict("b", "Prints?", code="print(2)")],
        example="Both.",
    )
    q.submit("h" * 1_000_000, part="a")
    q.submit("2\n" * 500_000, part="b")
    logged = attempts(fresh_kernel)
    assert [e["question"] for e in logged] == ["m/a", "m/b"]
    assert all(e["truncated"] for e in logged)


def test_a_reflection_or_a_faded_step_of_a_megabyte_is_cut_not_refused(fresh_kernel):
    q = gf.Numeric("n", "2 + 2?", answer=4, example=["Two and two", "make four."], fade=1)
    q.submit("5")
    q.reflect("r" * 1_000_000)
    q.fill_step("s" * 1_000_000)
    path = eventlog.log_path(fresh_kernel, "ana")
    written = {e["type"]: e for e in eventlog.read_events(path).events}
    assert len(written["reflection"]["text"]) == eventlog.MAX_TEXT_CHARS
    assert len(written["step"]["text"]) == eventlog.MAX_TEXT_CHARS


# -- no answer stalls the kernel --------------------------------------------------------

STALLING = [
    ("2*x + 2", "sqrt(sin(x)**100-cos(x)**100)"),
    ("2*x + 2", "log(sin(x)**100+cos(x)**100)"),
    ("sin(x)", "sin(x)**99*cos(x)**99"),
    ("x", "log(((99)^100)-(log(99)))"),
    ("x", "(log(x))+((0.5)^-62)"),
]


@pytest.mark.parametrize(("answer", "typed"), STALLING)
def test_an_answer_too_slow_to_compare_is_logged_without_a_verdict(fresh_kernel, answer, typed):
    q = gf.Expression("e", "Write it", answer=answer, example="The worked example.")
    started = time.monotonic()
    verdict = q.submit(typed, confidence="Certain")
    assert time.monotonic() - started < 30  # it came back; the bench measures how fast
    assert verdict is not None and verdict.correct is None and verdict.reason == "timeout"
    assert "more simply" in q.input_error
    assert q.example_html == "" and q.feedback_html == "" and q.status == "open"
    (logged,) = attempts(fresh_kernel)
    assert logged["correct"] is None and logged["reason"] == "timeout"
    assert logged["response"] == typed
    # The card is usable at once, and the next judged attempt is still a try before help.
    assert q.submit(answer).correct is True
    assert q.example_html


def test_a_teacher_can_give_a_question_more_time(fresh_kernel):
    q = gf.Expression("e", "Write it", answer="x", check_timeout=0.05)
    assert q.submit("sin(x)**99*cos(x)**99").reason == "timeout"
    with pytest.raises(gf.QuestionError, match="check_timeout"):
        gf.Expression("f", "Write it", answer="x", check_timeout=0)


def test_a_teachers_pattern_that_backtracks_forever_is_stopped(fresh_kernel):
    q = gf.Text("t", "Write some a's", match=r"(a|aa)+$", example="aaaa")
    verdict = q.submit("a" * 40 + "b")
    assert verdict is not None and verdict.correct is None and verdict.reason == "timeout"
    assert q.submit("aaaa").correct is True


def test_a_number_a_megabyte_long_is_refused_at_once(fresh_kernel):
    q = gf.Numeric("n", "2 + 2?", answer=4)
    assert q.submit("1" * 1_000_000) is None
    assert "couldn't read" in q.input_error
    assert not eventlog.log_path(fresh_kernel, "ana").exists()


def test_a_quiz_answer_without_a_verdict_does_not_use_up_the_attempt(fresh_kernel):
    q = gf.Expression("e", "Write it", answer="x", mode="quiz", key="open", check_timeout=0.05)
    assert q.submit("sin(x)**99*cos(x)**99").correct is None
    assert q.submit("x") is not None and q.status == "done"
    assert [e["attempt"] for e in attempts(fresh_kernel)] == [1, 2]


# -- the browser path never fails silently ----------------------------------------------


def test_a_failure_while_handling_a_submit_shows_a_message_and_is_logged(fresh_kernel, monkeypatch):
    q = gf.Numeric("n", "2 + 2?", answer=4)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the words could not be made")

    monkeypatch.setattr(widget.words, "after_attempt", broken)
    seq = q.seq
    from_browser(q, {"type": "submit", "response": "4", "confidence": 2})
    assert q.seq > seq and "not with your answer" in q.input_error
    path = eventlog.log_path(fresh_kernel, "ana")
    kinds = [e["type"] for e in eventlog.read_events(path).events]
    assert kinds == ["shown", "attempt", "reveal", "error"]
    (error,) = [e for e in eventlog.read_events(path).events if e["type"] == "error"]
    assert "the words could not be made" in error["detail"]
    monkeypatch.undo()
    from_browser(q, {"type": "submit", "response": "4", "confidence": 2})
    assert q.status == "correct" and q.input_error == ""


def test_a_request_the_log_cannot_take_still_gets_a_message(fresh_kernel, monkeypatch):
    q = gf.Numeric("n", "2 + 2?", answer=4)
    q.submit("5")

    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("the log is broken")

    monkeypatch.setattr(q._recorder, "write", refuse)
    from_browser(q, {"type": "hint"})
    from_browser(q, {"type": "reflect", "text": "because"})
    assert "not with your answer" in q.input_error


# -- one student, two kernels -----------------------------------------------------------

_KERNEL = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import guessfirst as gf
    q = gf.Numeric("n", "2 + 2?", answer=4, example="Four.")
    go = Path(sys.argv[1])
    while not go.exists():
        time.sleep(0.01)
    for n in range(20):
        q.submit("5" if n % 2 else "4")
    """
)


def test_two_kernels_of_one_student_never_share_an_attempt_number(fresh_kernel, tmp_path):
    go = tmp_path / "go"
    env = {**os.environ, "GUESSFIRST_LOG_DIR": str(fresh_kernel), "GUESSFIRST_STUDENT": "ana"}
    kernels = [
        subprocess.Popen([sys.executable, "-c", _KERNEL, str(go)], env=env) for _ in range(2)
    ]
    go.touch()
    assert [kernel.wait(120) for kernel in kernels] == [0, 0]
    logged = attempts(fresh_kernel)
    assert sorted(e["attempt"] for e in logged) == list(range(1, 41))
    path = eventlog.log_path(fresh_kernel, "ana")
    corrected = [e for e in eventlog.read_events(path).events if e["type"] == "corrected"]
    # Whichever kernel answered first decided: one correction at most, never two.
    assert len(corrected) <= 1


# -- the log file itself ----------------------------------------------------------------


def test_a_log_file_that_is_a_link_is_never_written_through(fresh_kernel, tmp_path):
    elsewhere = tmp_path / "someone-elses.jsonl"
    elsewhere.write_text("")
    fresh_kernel.mkdir(parents=True)
    eventlog.log_path(fresh_kernel, "ana").symlink_to(elsewhere)
    q = gf.Numeric("n", "2 + 2?", answer=4)
    assert q.submit("4").correct is True
    assert elsewhere.read_text() == ""
    assert "link" in q.notice


def test_every_event_the_widgets_write_is_a_field_the_format_defines(fresh_kernel):
    """What a widget logs is in the shared contract or in docs/EVENTS.md's extensions."""
    root = Path(__file__).parents[1]
    documented = (root / "docs" / "EVENTS.md").read_text(encoding="utf-8")
    q = gf.Expression("e", "Write it", answer="x", example=["a", "b"], fade=1, check_timeout=0.05)
    q.submit("sin(x)**99*cos(x)**99")
    q.submit("2x")
    q.submit("x")
    q.reflect("why")
    q.fill_step("b")
    path = eventlog.log_path(fresh_kernel, "ana")
    for event in eventlog.read_events(path).events:
        assert f"`{event['type']}`" in documented
        for field in event:
            assert f"`{field}`" in documented or f"`{field}:" in documented, field
    assert json.loads(path.read_bytes().splitlines()[0])["prev"] == ""


def test_brackets_typed_thirty_thousand_deep_are_quoted_back_not_parsed(fresh_kernel):
    q = gf.Text("t", "Say hello", answer="hello")
    verdict = q.submit("[" * 30_000)
    assert verdict is not None and verdict.correct is False
    assert "[[[" in q.feedback_html and len(q.feedback_html) < 2_000
