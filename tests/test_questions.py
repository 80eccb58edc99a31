"""The kinds a teacher writes beyond the core three, as a student meets them in the card."""

from __future__ import annotations

from pathlib import Path

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog
from widget_state import own_state


def events(log_dir: Path) -> list[dict]:
    return eventlog.read_events(eventlog.log_path(log_dir, "ana")).events


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def restart() -> None:
    KERNEL.reset()


# -- Expression --------------------------------------------------------------------------


def expand() -> gf.Expression:
    return gf.Expression(
        "expand",
        "Expand $2(x+1)$.",
        answer="2*x + 2",
        example="Multiply each term inside the bracket by two.",
        feedback={"2*x + 1": "Did the 1 get multiplied by 2 as well?"},
    )


def test_an_equivalent_expression_is_right_however_it_is_written(fresh_kernel):
    q = expand()
    assert "2*x + 2" not in own_state(q) and "each term" not in own_state(q)
    q.submit("2x + 1", "Certain")
    assert "Did the 1 get multiplied" in q.feedback_html
    q.submit("2(x+1)")
    assert q.status == "correct"
    attempts = [e for e in events(fresh_kernel) if e["type"] == "attempt"]
    assert [e["correct"] for e in attempts] == [False, True]
    assert attempts[1]["response"] == "2(x+1)"
    assert [e["type"] for e in events(fresh_kernel)][-1] == "corrected"


def test_an_unreadable_expression_is_explained_and_not_counted(fresh_kernel):
    q = expand()
    assert q.submit("__import__('os')") is None
    assert q.input_error
    assert not any(e["type"] == "attempt" for e in events(fresh_kernel))


# -- Predict -----------------------------------------------------------------------------


def squares() -> gf.Predict:
    return gf.Predict(
        "loop",
        "What does this print?",
        code="for i in range(3):\n    print(i * i)",
        example="`range(3)` gives 0, 1 and 2; each is squared.",
    )


def test_the_snippet_is_shown_but_its_output_only_after_the_prediction(fresh_kernel):
    q = squares()
    assert "range" in q.prompt_html  # the code is the question
    assert q.kind == "predict"
    before = own_state(q)
    assert "What it printed" not in before and "gives 0, 1 and 2" not in before

    q.submit("0\n1\n2", "Fairly sure")
    assert q.status == "wrong"
    assert "What it printed" in q.outcome_html
    assert "<pre>0\n1\n4</pre>" in q.outcome_html and "<pre>0\n1\n2</pre>" in q.outcome_html
    q.submit("0  \n1\n4\n\n")
    assert q.status == "correct"


def test_a_prediction_is_shown_back_as_text(fresh_kernel):
    q = squares()
    q.submit("<img src=x onerror=alert(1)>")
    assert "<img" not in q.outcome_html and "&lt;img" in q.outcome_html


def test_the_comparison_comes_back_after_a_restart(fresh_kernel, monkeypatch):
    squares().submit("0\n1\n2")
    restart()
    again = squares()
    assert "<pre>0\n1\n2</pre>" in again.outcome_html and "<pre>0\n1\n4</pre>" in again.outcome_html


# -- Code --------------------------------------------------------------------------------


def adder() -> gf.Code:
    return gf.Code(
        "add",
        "Write `add(a, b)` that returns the sum.",
        tests=[((1, 2), 3), ((-1, 1), 0), ((1000, 337), 1337)],
        example="`return a + b` is all it takes.",
        feedback={1: "Check a negative number."},
    )


def test_no_test_case_or_example_reaches_the_card_before_the_first_check(fresh_kernel):
    q = adder()
    before = own_state(q)
    for secret in ("add(1, 2)", "add(1000, 337)", "1337", "return a + b", "negative number"):
        assert secret not in before
    assert "check(your_function)" in q.instructions


def test_a_check_is_an_attempt_whose_response_is_the_functions_source(fresh_kernel):
    q = adder()

    def add(a, b):
        return abs(a) + b

    verdict = q.check(add, "Certain")
    assert verdict is not None and not verdict.correct
    assert "<td><code>add(-1, 1)</code></td><td><code>0</code></td><td><code>2</code></td>" in (
        q.outcome_html
    )
    assert q.outcome_html.count(">passed<") == 2 and q.outcome_html.count(">not yet<") == 1
    assert "Check a negative number." in q.feedback_html
    assert "return a + b" in q.example_html
    attempt = next(e for e in events(fresh_kernel) if e["type"] == "attempt")
    assert "return abs(a) + b" in attempt["response"]
    assert attempt["confidence"] == 1.0


def test_the_confidence_picked_on_the_card_goes_with_the_next_check(fresh_kernel):
    q = adder()
    from_browser(q, {"type": "confidence", "confidence": 0})
    q.check(lambda a, b: a + b)
    q.check(lambda a, b: a + b)
    confidences = [e["confidence"] for e in events(fresh_kernel) if e["type"] == "attempt"]
    assert confidences == [0.0, None]  # picked once, for one check


def test_passing_a_call_instead_of_a_function_is_explained(fresh_kernel):
    q = adder()
    assert q.check(3) is None
    assert "Pass your function itself" in q.input_error
    assert not any(e["type"] == "attempt" for e in events(fresh_kernel))


def test_the_card_names_the_variable_the_teacher_bound_the_question_to(fresh_kernel):
    from IPython.testing.globalipapp import start_ipython

    shell = start_ipython()
    shell.user_ns["q_add"] = question = adder()
    try:
        question._repr_mimebundle_()
        assert "q_add.check(your_function)" in question.instructions
    finally:
        del shell.user_ns["q_add"]
