"""Telling students the science: the first card a student meets says, once, why it asks for
a guess first; "Got it" is logged in their own log so no later lesson says it again, and
``gf.why()`` says it at any time. The progress card uses the same words."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog
from guessfirst.student import science
from widget_state import ASSETS

EXAMPLE = "Speed is distance over time: one hundred and twenty over one and a half."
TARGETED = "Did you multiply instead of divide?"
HINT = "Speed is distance divided by time."
WHY_EN = "Your brain learns most from a guess it then checks."
WHY_ZH = "正是你記得最牢的那一個"


def speed(qid: str = "speed") -> gf.Numeric:
    return gf.Numeric(
        qid,
        "A train covers 120 km in 1.5 hours. Its speed, in km/h?",
        answer=80,
        example=EXAMPLE,
        feedback={180: TARGETED},
        hints=[HINT],
    )


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def got_it(q: gf.Question) -> None:
    from_browser(q, {"type": "welcomed"})


def welcomes(log_dir: Path, student: str = "ana") -> list[dict]:
    path = eventlog.log_path(log_dir, student)
    found = eventlog.read_events(path).events if path.is_file() else []
    return [event for event in found if event["type"] == "welcomed"]


# -- the first card of a kernel ------------------------------------------------------------


def test_the_first_card_explains_why_it_asks_for_a_guess_and_the_next_cards_do_not():
    first, second = speed(), speed("half")
    assert "Why guess first?" in first.welcome_html and WHY_EN in first.welcome_html
    assert "A confident guess that turns out not quite right" in first.welcome_html
    assert second.welcome_html == ""


def test_the_welcome_is_general_text_that_gives_nothing_of_the_question_away():
    q = speed()
    assert q.welcome_html == science.welcome_html("en")
    for secret in (EXAMPLE, TARGETED, HINT, "80", "180", "120"):
        assert secret not in q.welcome_html
    # The gate is unchanged: before a guess, no feedback, example or hint in the state.
    state = json.dumps({k: v for k, v in q.get_state().items() if k not in ASSETS})
    for secret in (EXAMPLE, TARGETED, HINT):
        assert secret not in state


def test_got_it_hides_the_welcome_and_logs_it_with_the_language(fresh_kernel):
    q = speed()
    got_it(q)
    assert q.welcome_html == ""
    [event] = welcomes(fresh_kernel)
    assert event["lang"] == "en" and event["student"] == "ana" and event["question"] == "speed"
    got_it(q)  # a second click (two views of one card) logs nothing more
    assert len(welcomes(fresh_kernel)) == 1


def test_a_browser_cannot_dismiss_or_write_the_welcome_itself(fresh_kernel):
    q = speed()
    q.set_state({"welcome_html": "<p>anything</p>"})
    assert q.welcome_html == science.welcome_html("en")
    from_browser(speed("half"), {"type": "welcomed"})  # a card that carries none
    assert welcomes(fresh_kernel) == [] and q.welcome_html != ""


def test_once_dismissed_it_is_not_shown_again_after_a_restart(fresh_kernel):
    got_it(speed())
    KERNEL.reset()  # the next lesson's kernel
    assert speed().welcome_html == "" and speed("half").welcome_html == ""


def test_not_dismissed_it_is_shown_again_on_the_first_card_after_a_restart(fresh_kernel):
    speed().submit("180")  # answered, never said "Got it"
    KERNEL.reset()
    assert WHY_EN in speed().welcome_html
    assert welcomes(fresh_kernel) == []


def test_another_student_meets_it_on_their_first_card(fresh_kernel, monkeypatch):
    got_it(speed())
    KERNEL.reset()
    monkeypatch.setenv("GUESSFIRST_STUDENT", "ben")
    assert WHY_EN in speed().welcome_html


def test_a_new_language_is_a_new_first_meeting(fresh_kernel):
    got_it(speed())
    KERNEL.reset()
    gf.configure(lang="zh-HK")
    q = speed()
    assert WHY_ZH in q.welcome_html and "為甚麼要先猜一猜" in q.welcome_html
    got_it(q)
    assert [event["lang"] for event in welcomes(fresh_kernel)] == ["en", "zh-HK"]


def test_a_dismissal_in_another_lesson_folder_counts(fresh_kernel, monkeypatch, tmp_path):
    got_it(speed())  # last week's lesson, in its folder
    KERNEL.reset()
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(tmp_path / "lesson-2" / "guessfirst-logs"))
    assert WHY_EN in speed().welcome_html  # this folder alone does not know of it
    KERNEL.reset()
    monkeypatch.setenv("GUESSFIRST_LOG_DIRS", str(fresh_kernel))
    assert speed().welcome_html == ""


# -- before a name is known ----------------------------------------------------------------


def test_without_a_name_it_shows_and_a_dismissal_is_logged_once_the_name_is_typed(
    fresh_kernel, monkeypatch
):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    q, other = speed(), speed("half")
    assert q.needs_student and WHY_EN in q.welcome_html and other.welcome_html == ""
    got_it(q)
    assert q.welcome_html == ""
    from_browser(other, {"type": "identify", "student": "Ben"})
    assert q.welcome_html == "" and other.welcome_html == ""
    [event] = welcomes(fresh_kernel, "Ben")
    assert event["lang"] == "en"


def test_a_name_typed_before_any_dismissal_finds_it_still_there_or_gone(fresh_kernel, monkeypatch):
    got_it(speed())  # ana said "Got it" in an earlier lesson
    KERNEL.reset()
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    q = speed()
    assert WHY_EN in q.welcome_html  # nobody known yet: it is shown
    from_browser(q, {"type": "identify", "student": "ana"})
    assert q.welcome_html == ""  # ana has met it already
    from_browser(q, {"type": "switch"})
    assert WHY_EN in q.welcome_html  # someone else sat down
    from_browser(q, {"type": "identify", "student": "Ben"})
    assert WHY_EN in q.welcome_html  # and Ben has not met it yet


# -- gf.why() -----------------------------------------------------------------------------


def test_why_shows_the_explanation_again_at_any_time(fresh_kernel):
    got_it(speed())
    shown = gf.why()
    assert WHY_EN in shown._repr_html_() and 'lang="en"' in shown._repr_html_()
    assert repr(shown).splitlines()[0] == "Why guess first?"
    assert WHY_ZH in gf.why("zh_hk")._repr_html_()
    gf.configure(lang="zh-HK")
    assert WHY_ZH in repr(gf.why())


def test_why_names_the_languages_it_knows_when_given_another():
    with pytest.raises(ValueError, match="zh-HK"):
        gf.why("fr")


# -- the progress card uses the same words -------------------------------------------------


def _corrected(question: str, day: date) -> list[dict]:
    when = datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc)
    events = []
    for n, right in ((1, False), (2, True)):
        event = eventlog.make_event(
            "attempt",
            student="ana",
            session="s",
            notebook=None,
            question=question,
            qversion="v",
            attempt=n,
            correct=right,
            response="80" if right else "180",
        )
        event["ts"] = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        events.append(event)
    return events


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (0, "No good errors yet today"),
        (1, "Your brain got 1 good error today: <em>q1</em>, not quite at first"),
        (3, "Your brain got 3 good errors today: <em>q1</em>, <em>q2</em> and <em>q3</em>"),
    ],
)
def test_the_progress_card_says_what_the_brain_got_today(count, words):
    from guessfirst.student.progress import _summary_html
    from guessfirst.student.summary import summarize

    today = date(2026, 12, 4)
    events = [e for n in range(1, count + 1) for e in _corrected(f"q{n}", today)]
    events += _corrected("q9", date(2026, 12, 1))  # an earlier day's: counts for the week
    html = _summary_html(summarize(events, today, timezone.utc), today)
    assert words in html
    assert f"This week: your brain got {count + 1} good error" in html
