from __future__ import annotations

import itertools
from datetime import date, timezone
from zoneinfo import ZoneInfo

import pytest

from guessfirst.student import schedule

UTC = timezone.utc
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
_ids = itertools.count(1)


def log_event(kind: str, question: str, ts: str, **fields) -> dict:
    """An event as the log holds it, at a chosen moment: the tests never read the clock."""
    return {
        "v": 1,
        "id": f"e{next(_ids)}",
        "ts": ts,
        "type": kind,
        "student": "ana",
        "session": "s1",
        "notebook": "lesson.ipynb",
        "question": question,
        "qversion": "v1",
        "prev": "",
        **fields,
    }


def attempt(
    question: str,
    ts: str,
    *,
    correct: bool,
    review: bool = False,
    confidence: float | None = None,
    response: str = "42",
) -> dict:
    extra = {"review": True} if review else {}
    return log_event(
        "attempt",
        question,
        ts,
        attempt=1,
        response=response,
        correct=correct,
        confidence=confidence,
        latency_ms=5000,
        misconception=None,
        **extra,
    )


def at(day: int, clock: str = "10:00") -> str:
    """A log time on ``day`` November 2026, UTC."""
    return f"2026-11-{day:02d}T{clock}:00.000Z"


def on(day: int) -> date:
    return date(2026, 11, day)


def due_ids(events: list[dict], today: date, tz=UTC) -> list[str]:
    return [item.question for item in schedule.due(events, today, tz)]


def test_a_wrong_answer_comes_back_the_next_day_and_stays_until_reviewed():
    events = [attempt("q", at(1), correct=False, confidence=1 / 3, response="180")]
    assert schedule.due(events, on(1), UTC) == []  # not on the day of the error itself
    assert schedule.due(events, on(2), UTC) == [
        schedule.Due(
            question="q",
            due=on(2),
            step=0,
            confident=False,
            last_wrong=on(1),
            last_response="180",
        )
    ]
    assert due_ids(events, on(9)) == ["q"]  # skipped days do not make it vanish


def test_correct_reviews_space_the_question_out_then_retire_it():
    events = [
        attempt("q", at(1), correct=False),
        attempt("q", at(2), correct=True, review=True),
        attempt("q", at(5), correct=True, review=True),
        attempt("q", at(12), correct=True, review=True),
        attempt("q", "2026-12-03T10:00:00.000Z", correct=True, review=True),
    ]
    assert schedule.plan(events[:1], on(1), UTC) == {"q": on(2)}
    assert schedule.plan(events[:2], on(2), UTC) == {"q": on(5)}
    assert schedule.plan(events[:3], on(5), UTC) == {"q": on(12)}
    assert schedule.plan(events[:4], on(12), UTC) == {"q": date(2026, 12, 3)}
    assert schedule.plan(events, date(2026, 12, 3), UTC) == {"q": None}
    assert due_ids(events[:2], on(4)) == []
    assert [item.step for item in schedule.due(events[:2], on(5), UTC)] == [1]
    assert [item.step for item in schedule.due(events[:4], date(2026, 12, 3), UTC)] == [3]
    assert due_ids(events, date(2027, 6, 1)) == []


def test_the_plan_is_as_it_stood_at_the_end_of_the_day_asked_about():
    events = [
        attempt("q", at(1), correct=False),
        attempt("q", at(2), correct=True, review=True),
        attempt("q", at(5), correct=True, review=True),
    ]
    assert schedule.plan(events, on(4), UTC) == {"q": on(5)}
    assert due_ids(events, on(5)) == []  # reviewed on the day it was due
    assert schedule.plan(events, on(1), UTC) == {"q": on(2)}


def test_a_late_review_spaces_from_the_day_it_was_done():
    events = [
        attempt("q", at(1), correct=False),
        attempt("q", at(2), correct=True, review=True),
        attempt("q", at(8), correct=True, review=True),  # due on the 5th, done on the 8th
    ]
    assert schedule.plan(events, on(8), UTC) == {"q": on(15)}


@pytest.mark.parametrize("review", [True, False])
def test_a_wrong_answer_on_a_later_day_starts_the_ladder_again(review):
    events = [
        attempt("q", at(1), correct=False, confidence=0.0),
        attempt("q", at(2), correct=True, review=True),
        attempt("q", at(5), correct=True, review=True),
        attempt("q", at(12), correct=False, review=review, confidence=1.0, response="7"),
    ]
    assert schedule.plan(events, on(12), UTC) == {"q": on(13)}
    (item,) = schedule.due(events, on(13), UTC)
    assert (item.step, item.last_wrong, item.confident, item.last_response) == (
        0,
        on(12),
        True,
        "7",
    )


def test_a_retired_question_answered_wrongly_comes_back():
    events = [
        attempt("q", at(1), correct=False),
        *(attempt("q", at(day), correct=True, review=True) for day in (2, 5, 12)),
        attempt("q", "2026-12-03T10:00:00.000Z", correct=True, review=True),
        attempt("q", "2026-12-20T10:00:00.000Z", correct=False),
    ]
    assert schedule.plan(events, date(2026, 12, 19), UTC) == {"q": None}
    assert schedule.plan(events, date(2026, 12, 20), UTC) == {"q": date(2026, 12, 21)}


def test_two_correct_reviews_on_one_day_count_once():
    events = [
        attempt("q", at(1), correct=False),
        attempt("q", at(2, "09:00"), correct=True, review=True),
        attempt("q", at(2, "18:00"), correct=True, review=True),
    ]
    assert schedule.plan(events, on(2), UTC) == {"q": on(5)}
    assert due_ids(events, on(5)) == ["q"]


def test_a_review_before_the_question_is_due_does_not_climb():
    events = [
        attempt("q", at(1), correct=False),
        attempt("q", at(2), correct=True, review=True),
        attempt("q", at(3), correct=True, review=True),
    ]
    assert schedule.plan(events, on(3), UTC) == {"q": on(5)}


def test_a_correct_retry_outside_review_is_not_a_review():
    events = [
        attempt("q", at(1, "10:00"), correct=False),
        attempt("q", at(1, "10:03"), correct=True),  # minutes after the worked example
        attempt("q", at(2), correct=True),  # the lesson notebook run again
    ]
    assert [(item.question, item.step) for item in schedule.due(events, on(2), UTC)] == [("q", 0)]


def test_a_question_never_answered_wrongly_is_never_due():
    events = [
        attempt("q", at(1), correct=True),
        attempt("q", at(2), correct=True, review=True),
    ]
    assert schedule.plan(events, on(30), UTC) == {}


def test_confident_errors_come_first_then_the_longest_overdue_then_by_id():
    events = [
        attempt("a", at(1), correct=False, confidence=0.0),  # due the 2nd
        attempt("d", at(1), correct=False, confidence=None),  # due the 2nd
        attempt("f", at(1), correct=False, confidence=1.0),
        attempt("f", at(2), correct=False, confidence=0.0),  # the latest error counts: 3rd
        attempt("c", at(2), correct=False, confidence=2 / 3),  # "Fairly sure", due the 3rd
        attempt("b", at(3), correct=False, confidence=1.0),  # "Certain", due the 4th
        attempt("e", at(3), correct=False, confidence=1 / 3),  # due the 4th
    ]
    assert due_ids(events, on(5)) == ["c", "b", "a", "d", "f", "e"]
    assert due_ids(list(reversed(events)), on(5)) == ["c", "b", "a", "d", "f", "e"]


def test_days_are_the_students_days_not_utc():
    late = "2026-11-01T23:30:00.000Z"  # already 07:30 on the 2nd in Hong Kong
    events = [attempt("q", late, correct=False)]
    assert due_ids(events, on(2), UTC) == ["q"]
    assert due_ids(events, on(2), HONG_KONG) == []
    assert schedule.plan(events, on(1), HONG_KONG) == {}  # not yet happened there
    assert [item.last_wrong for item in schedule.due(events, on(3), HONG_KONG)] == [on(2)]


def test_a_review_after_local_midnight_is_on_the_next_day():
    events = [
        attempt("q", at(1, "09:00"), correct=False),  # 17:00 on the 1st in Hong Kong
        attempt("q", at(1, "16:30"), correct=True, review=True),  # 00:30 on the 2nd there
    ]
    assert schedule.plan(events, on(2), HONG_KONG) == {"q": on(5)}
    assert schedule.plan(events, on(2), UTC) == {"q": on(2)}  # same day: not a review


def test_times_with_another_offset_are_placed_correctly():
    events = [
        attempt("q", "2026-11-02T01:00:00+08:00", correct=False),  # 17:00 on the 1st in UTC
        attempt("q", "2026-11-02T10:00:00Z", correct=True, review=True),
    ]
    assert schedule.plan(events, on(2), UTC) == {"q": on(5)}


def test_lines_a_reader_cannot_place_are_left_out_without_raising():
    good = attempt("ok", at(1), correct=False)
    broken = [
        "not an event",
        None,
        {**attempt("no-ts", at(1), correct=False), "ts": None},
        {**attempt("word-ts", at(1), correct=False), "ts": "yesterday"},
        {**attempt("naive-ts", at(1), correct=False), "ts": "2026-11-01T10:00:00"},
        {**attempt("number-ts", at(1), correct=False), "ts": 1793527200},
        {**attempt("year-one", at(1), correct=False), "ts": "0001-01-01T00:00:00.000Z"},
        {**attempt("q", at(1), correct=False), "question": 7},
        {**attempt("q", at(1), correct=False), "question": ""},
        {**attempt("list-type", at(1), correct=False), "type": ["attempt"]},
        {**attempt("unsure", at(1), correct=False), "correct": "no"},
        {**attempt("missing", at(1), correct=False), "correct": None},
        {
            key: value
            for key, value in attempt("typeless", at(1), correct=False).items()
            if key != "type"
        },
        {**attempt("odd", at(1), correct=False), "confidence": "very", "response": ["x"]},
    ]
    # West of UTC, so that year one would fall before the calendar begins.
    result = schedule.due([*broken, good], on(2), ZoneInfo("America/New_York"))
    assert [item.question for item in result] == ["odd", "ok"]
    odd = result[0]
    assert (odd.confident, odd.last_response) == (False, None)


def test_a_review_flag_that_is_not_true_is_not_a_review():
    events = [
        attempt("q", at(1), correct=False),
        {**attempt("q", at(2), correct=True), "review": "yes"},
    ]
    assert schedule.plan(events, on(2), UTC) == {"q": on(2)}


def test_two_collected_copies_of_a_file_count_each_event_once():
    events = [
        attempt("q", at(1), correct=False),
        attempt("q", at(2), correct=True, review=True),
        attempt("r", at(2), correct=False),
    ]
    older_copy = [dict(event) for event in events[:2]]
    joined = [*events, *older_copy]
    assert schedule.answers(joined, on(2), UTC) == schedule.answers(events, on(2), UTC)
    assert len(schedule.answers(joined, on(2), UTC)) == 3
    assert schedule.plan(joined, on(2), UTC) == {"q": on(5), "r": on(3)}


def test_a_broken_copy_of_an_event_does_not_hide_the_readable_one():
    wrong = attempt("q", at(1), correct=False)
    events = [{**wrong, "ts": "garbled"}, wrong]
    assert due_ids(events, on(2)) == ["q"]


def test_answers_come_in_time_order_whatever_order_the_files_came_in():
    first = attempt("q", at(1), correct=False)
    second = attempt("q", at(2), correct=True, review=True)
    corrected = log_event("corrected", "q", at(2, "10:01"), attempt=2, errors=1)
    read = schedule.answers([corrected, second, first], on(2), UTC)
    assert [(answer.kind, answer.day, answer.correct, answer.review) for answer in read] == [
        ("attempt", on(1), False, False),
        ("attempt", on(2), True, True),
        ("corrected", on(2), True, False),
    ]
