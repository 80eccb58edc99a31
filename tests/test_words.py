"""What the card says after an attempt: plain when right, curious when not, never shaming."""

from __future__ import annotations

import pytest

from guessfirst import i18n
from guessfirst.checks import Verdict
from guessfirst.student import tracker, words


def wrong(response: str = "180", message: str | None = None) -> Verdict:
    return Verdict(False, response, response, "180" if message else None, message)


@pytest.mark.parametrize(
    ("attempt", "opening"),
    [
        (1, "Not quite — interesting."),
        (2, "Not yet. How did you get to"),
        (5, "Not there yet, and that is fine."),
    ],
)
def test_a_wrong_answer_is_met_with_curiosity_that_moves_on_with_each_try(attempt, opening):
    said = words.after_attempt(wrong(), None, attempt, attempt - 1)
    assert said.startswith(f"<p>{opening}")
    assert "wrong" not in said.casefold()  # curious, never a verdict on the student


def test_a_sure_error_is_called_a_great_one_to_learn_from():
    assert "You felt sure" in words.after_attempt(wrong(), 1.0, 1, 0)
    assert "You felt sure" not in words.after_attempt(wrong(), 1 / 3, 1, 0)


def test_the_students_answer_is_quoted_as_text():
    said = words.after_attempt(wrong("<img src=x onerror=alert(1)>"), None, 1, 0)
    assert "<img" not in said and "<q>&lt;img src=x" in said


def test_right_after_wrong_is_named_as_learning_and_a_part_says_when_the_example_opens():
    right = Verdict(True, "80", "80", None, None)
    assert "that is a good error" in words.after_attempt(right, None, 2, 1)
    waiting = words.after_attempt(wrong(), None, 1, 0, example_open=False)
    assert "opens once every part has an answer" in waiting


def test_a_closed_quiz_says_the_answer_is_kept_and_how_many_tries_are_left():
    done = tracker.Progress(attempts=1, last_response="120")
    assert (
        words.saved(done, 1)
        == "<p>Your answer <q>120</q> is saved. You can change it once more.</p>"
    )
    assert "last attempt" in words.saved(done, 0)
    assert words.used_up(2) == "You have used all 2 attempts: your last answer is saved."


def test_the_words_follow_the_chosen_language():
    i18n.set_language("zh-HK")
    assert not words.after_attempt(wrong(), None, 1, 0).replace("<q>180</q>", "").isascii()
