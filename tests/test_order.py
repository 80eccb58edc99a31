"""Order questions (Parsons problems): arrange the lines, with distractors and indentation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst import bank
from guessfirst.checks import InvalidResponse, QuestionError
from guessfirst.checks.order import OrderCheck
from guessfirst.log import eventlog
from guessfirst.log.eventlog import make_event
from guessfirst.teacher.xapi import statements
from widget_state import own_state

SWAP = ["a, b = 1, 2", "a, b = b, a", "print(a, b)"]
FUNCTION = ["def double(x):", "    y = 2 * x", "    return y"]
TOO_EARLY = "Can y be returned before it has a value?"
EXAMPLE = "First the names get values, then they swap, then we look."


def swap(**options: object) -> OrderCheck:
    return OrderCheck("swap", "Swap two names, then print them.", items=SWAP, **options)


def events(log_dir: Path, kind: str | None = None) -> list[dict]:
    found = eventlog.read_events(eventlog.log_path(log_dir, "ana")).events
    return [event for event in found if kind is None or event["type"] == kind]


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


# -- checking -------------------------------------------------------------------------


def test_the_lines_in_the_right_order_are_right_and_the_log_keeps_their_positions():
    verdict = swap().check(SWAP)
    assert verdict.correct and verdict.response == "[0, 1, 2]"


def test_a_wrong_order_names_the_first_line_out_of_place():
    verdict = swap().check([SWAP[1], SWAP[0], SWAP[2]])
    assert verdict.correct is False and verdict.response == "[1, 0, 2]"
    assert verdict.message == "Have another look at line 1: a, b = b, a."
    assert verdict.misconception is None


def test_a_distractor_used_is_the_line_named_and_missing_lines_are_said_to_be_missing():
    check = swap(distractors=["print(a)"])
    used = check.check([*SWAP[:2], "print(a)"])
    assert used.response == "[0, 1, 3]" and "line 3: print(a)" in (used.message or "")
    short = check.check(SWAP[:2])
    assert short.correct is False and "some lines are missing" in (short.message or "")


def test_the_answer_may_be_given_apart_from_the_items_and_every_item_is_needed_once():
    check = OrderCheck("q", "Order.", items=["c", "a", "b"], answer=["a", "b", "c"])
    assert check.check(["a", "b", "c"]).correct
    assert check.check(["a", "b", "c"]).response == "[1, 2, 0]"
    with pytest.raises(QuestionError, match="every item once"):
        OrderCheck("q", "Order.", items=["c", "a", "b"], answer=["a", "b"])
    with pytest.raises(QuestionError, match="appears twice"):
        OrderCheck("q", "Order.", items=["a", "b"], distractors=["a"])
    with pytest.raises(QuestionError, match="2 to 40 lines"):
        OrderCheck("q", "Order.", items=["a"])


def test_with_indent_each_lines_indentation_is_part_of_the_answer():
    check = OrderCheck("double", "Write double.", items=FUNCTION, indent=True)
    assert check.check(FUNCTION).correct
    flat = check.check(["def double(x):", "y = 2 * x", "    return y"])
    assert flat.correct is False and flat.response == "[[0, 0], [1, 0], [2, 1]]"
    assert flat.message == "Line 2, `y = 2 * x`, is in its place: is it indented as it should be?"
    with pytest.raises(InvalidResponse):
        check.check(["def double(x):", "  y = 2 * x", "    return y"])  # not a step of 4


def test_teacher_feedback_for_a_whole_wrong_order_shows_instead_and_names_it():
    wrong = (FUNCTION[0], FUNCTION[2], FUNCTION[1])
    check = OrderCheck(
        "double", "Write double.", items=FUNCTION, indent=True, feedback={wrong: TOO_EARLY}
    )
    verdict = check.check(list(wrong))
    assert verdict.message == TOO_EARLY
    assert json.loads(verdict.misconception or "") == list(wrong)
    with pytest.raises(QuestionError, match="would never show"):
        OrderCheck("q", "Order.", items=SWAP, feedback={tuple(SWAP): "Right!"})


def test_anything_but_a_list_of_its_lines_is_not_an_attempt():
    for response in ("a, b = 1, 2", [], [1, 2], ["no such line"], [SWAP[0], SWAP[0]]):
        with pytest.raises(InvalidResponse):
            swap().check(response)


def test_each_student_sees_the_lines_shuffled_their_own_way_and_never_already_solved():
    check = OrderCheck("q", "Order.", items=list("abcdef"), distractors=["x"])
    seen = {tuple(check.listed(student)) for student in ("ana", "ben", "cai", "dev", "eli")}
    assert len(seen) > 1
    assert check.listed("ana") == check.listed("ana")
    for shown in seen:
        assert sorted(shown) == sorted("abcdefx") and list(shown[:6]) != list("abcdef")
    two = OrderCheck("q", "Order.", items=["first", "second"])
    assert all(two.listed(name) == ["second", "first"] for name in ("ana", "ben", "cai"))


def test_the_shuffle_does_not_depend_on_the_order_the_teacher_listed_the_items_in():
    listed = OrderCheck("q", "Order.", items=["a", "b", "c", "d"])
    apart = OrderCheck("q", "Order.", items=["d", "c", "a", "b"], answer=["a", "b", "c", "d"])
    assert listed.listed("ana") == apart.listed("ana")


def test_an_order_question_cannot_be_a_part_of_a_question_in_parts(fresh_kernel):
    with pytest.raises(QuestionError, match="order question cannot be a part"):
        gf.Multi(
            "m",
            "Two parts.",
            parts=[gf.Numeric("a", "One?", answer=1), gf.Order("b", "Order.", items=SWAP)],
        )


# -- the card ---------------------------------------------------------------------------


def test_the_card_lists_the_lines_shuffled_and_holds_no_hint_of_the_right_order(fresh_kernel):
    q = gf.Order("swap", "Swap, then print.", items=SWAP, example=EXAMPLE, hints=["Use a tuple."])
    assert q.kind == "order" and q.control == "order"
    assert sorted(choice["value"] for choice in q.choices) == sorted(SWAP)
    assert [choice["value"] for choice in q.choices] != SWAP
    state = own_state(q)
    for secret in (EXAMPLE, "Use a tuple.", "\\n".join(SWAP), "[0, 1, 2]"):
        assert secret not in state


def test_submitting_from_the_card_logs_positions_and_shows_the_lines_back(fresh_kernel):
    q = gf.Order("double", "Write double.", items=FUNCTION, indent=True, example=EXAMPLE)
    assert all("<code>" in choice["html"] for choice in q.choices)
    arranged = [FUNCTION[0], "    return y", "    y = 2 * x"]
    from_browser(q, {"type": "submit", "response": arranged, "confidence": 3})
    assert q.status == "wrong" and EXAMPLE in q.example_html
    assert "Have another look at line 2" in q.feedback_html
    assert "def double(x): / return y / y = 2 * x" in q.feedback_html
    assert json.loads(q.last_response) == arranged
    (attempt,) = events(fresh_kernel, "attempt")
    assert attempt["response"] == "[[0, 0], [2, 1], [1, 1]]" and attempt["correct"] is False

    assert q.submit(FUNCTION, confidence="Certain").correct
    assert q.status == "correct"


def test_a_restarted_kernel_shows_the_last_arrangement_from_the_log(fresh_kernel):
    from guessfirst.kernel import KERNEL

    gf.Order("swap", "Swap, then print.", items=SWAP).submit(list(reversed(SWAP)), 0)
    KERNEL.reset()
    again = gf.Order("swap", "Swap, then print.", items=SWAP)
    assert json.loads(again.last_response) == list(reversed(SWAP))
    assert "print(a, b)" in again.feedback_html


# -- banks and xAPI -----------------------------------------------------------------------

BANK = """\
---
id: double
kind: order
indent: true
---
Put the lines of `double` in order.

## Items

- def double(x):
-     y = 2 * x
-     return y

## Distractors

- return x

## Feedback for ["def double(x):", "    return y", "    y = 2 * x"]

Can y be returned before it has a value?
"""


def test_a_bank_lists_the_items_in_the_right_order_with_distractors_and_feedback(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_text(BANK, encoding="utf-8")
    loaded = gf.load(path)
    check = loaded["double"]
    assert isinstance(check, OrderCheck) and check.indent
    assert check.distractors == ("return x",)
    assert check.check(FUNCTION).correct
    assert check.check([FUNCTION[0], FUNCTION[2], FUNCTION[1]]).message == TOO_EARLY
    sealed = gf.load(bank.seal(path))
    assert sealed["double"].qversion == check.qversion


def test_a_bank_order_question_needs_no_distractors(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_text("---\nid: q\nkind: order\n---\nOrder.\n\n## Items\n\n- a\n- b\n", "utf-8")
    assert gf.load(path)["q"].check(["a", "b"]).correct


def test_a_bank_order_question_without_items_is_refused_at_its_line(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_text("---\nid: q\nkind: order\n---\nOrder them.\n", encoding="utf-8")
    with pytest.raises(bank.BankError, match="needs a ## Items section") as error:
        gf.load(path)
    assert error.value.line == 1


def test_an_order_attempt_is_a_sequencing_interaction_in_xapi():
    shown = make_event("shown", student="ana", session="s", notebook="n.ipynb", question="q",
                       qversion="v", kind="order")  # fmt: skip
    attempt = make_event("attempt", student="ana", session="s", notebook="n.ipynb", question="q",
                         qversion="v", attempt=1, response="[1, 0, 2]", correct=False,
                         confidence=None)  # fmt: skip
    for event in (shown, attempt):
        event["prev"] = ""
    (statement,) = statements(
        [shown, attempt], activity_base="https://school.example", home_page="https://school.example"
    )
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "sequencing"
    assert statement["result"]["response"] == "1[,]0[,]2"  # positions, not the student's words
