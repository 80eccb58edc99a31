from __future__ import annotations

from datetime import date, timezone
from zoneinfo import ZoneInfo

from guessfirst.student.summary import Lasted, Summary, summarize
from test_schedule import at, attempt, log_event, on

UTC = timezone.utc
HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def corrected(question: str, ts: str) -> dict:
    return log_event("corrected", question, ts, attempt=2, errors=1, first_confidence=None)


def week_of_work() -> list[dict]:
    """A student's week in November 2026, and the first hours of the day after it."""
    return [
        # q1: wrong and put right on the 1st, still right in a review the next day.
        attempt("q1", at(1, "09:00"), correct=False),
        attempt("q1", at(1, "09:02"), correct=True),
        corrected("q1", at(1, "09:03")),
        attempt("q1", at(2, "10:00"), correct=True, review=True),
        # q5: right the first time: nothing to say about it.
        attempt("q5", at(2, "11:00"), correct=True),
        # q2: put right on the 3rd, in a log written before "corrected" events existed.
        attempt("q2", at(3, "10:00"), correct=False, confidence=1.0),
        attempt("q2", at(3, "10:05"), correct=True),
        # q6: put right on the 4th, wrong in the review on the 7th, right again on the 8th.
        attempt("q6", at(4, "10:00"), correct=False),
        attempt("q6", at(4, "10:05"), correct=True),
        corrected("q6", at(4, "10:06")),
        attempt("q6", at(7, "10:00"), correct=False, review=True),
        attempt("q6", at(8, "08:00"), correct=True, review=True),
        # q4: wrong on the 5th and again in the review on the 8th; right only on the 9th.
        attempt("q4", at(5, "10:00"), correct=False),
        attempt("q4", at(8, "07:00"), correct=False, review=True),
        # q7: two wrong tries on the 6th, then left.
        attempt("q7", at(6, "10:00"), correct=False),
        attempt("q7", at(6, "10:10"), correct=False),
        # q8: put right on the 7th, wrong again on the 8th.
        attempt("q8", at(7, "10:00"), correct=False),
        attempt("q8", at(7, "10:05"), correct=True),
        corrected("q8", at(7, "10:06")),
        attempt("q8", at(8, "12:00"), correct=False),
        # q3: wrong and put right today, the 8th.
        attempt("q3", at(8, "09:00"), correct=False),
        attempt("q3", at(8, "09:05"), correct=True),
        corrected("q3", at(8, "09:06")),
        # The 9th: after the day the tests look at.
        attempt("q4", at(9, "10:00"), correct=True),
        attempt("q9", at(9, "10:00"), correct=False),
    ]


def test_the_view_at_the_end_of_the_week():
    assert summarize(week_of_work(), on(8), UTC) == Summary(
        good_today=("q6", "q3"),
        good_week=("q2", "q6", "q8", "q3"),
        still_open=("q7", "q4", "q8"),
        lasted=(Lasted("q1", on(1), on(2)), Lasted("q6", on(4), on(8))),
    )


def test_the_view_earlier_in_the_week_knows_nothing_of_later_days():
    assert summarize(week_of_work(), on(3), UTC) == Summary(
        good_today=("q2",),
        good_week=("q1", "q2"),
        still_open=(),
        lasted=(Lasted("q1", on(1), on(2)),),
    )


def test_the_view_the_day_after():
    view = summarize(week_of_work(), on(9), UTC)
    assert view.good_today == ("q4",)
    assert view.still_open == ("q7", "q8", "q9")
    assert Lasted("q4", on(5), on(9)) in view.lasted


def test_this_week_is_today_and_the_six_days_before():
    events = [
        attempt("old", at(1, "09:00"), correct=False),
        corrected("old", at(1, "09:05")),
        attempt("recent", at(2, "09:00"), correct=False),
        corrected("recent", at(2, "09:05")),
    ]
    assert summarize(events, on(8), UTC).good_week == ("recent",)
    assert summarize(events, on(7), UTC).good_week == ("old", "recent")


def test_an_error_put_right_twice_in_a_week_is_listed_once_where_it_first_turned():
    events = [
        attempt("a", at(2, "09:00"), correct=False),
        attempt("a", at(2, "09:05"), correct=True),
        attempt("b", at(3, "09:00"), correct=False),
        attempt("b", at(3, "09:05"), correct=True),
        attempt("a", at(4, "09:00"), correct=False, review=True),
        attempt("a", at(4, "09:05"), correct=True, review=True),
    ]
    view = summarize(events, on(4), UTC)
    assert (view.good_today, view.good_week) == (("a",), ("a", "b"))


def test_a_corrected_event_counts_even_if_its_attempt_line_was_lost():
    assert summarize([corrected("q", at(8))], on(8), UTC).good_today == ("q",)


def test_a_right_answer_after_a_right_answer_is_no_new_good_error():
    events = [
        attempt("q", at(1, "09:00"), correct=False),
        attempt("q", at(1, "09:05"), correct=True),
        attempt("q", at(2, "09:00"), correct=True, review=True),
    ]
    view = summarize(events, on(2), UTC)
    assert (view.good_today, view.good_week) == ((), ("q",))


def test_learning_lasted_only_when_the_right_answer_came_on_a_later_day():
    events = [
        attempt("same-day", at(1, "09:00"), correct=False),
        attempt("same-day", at(1, "09:05"), correct=True),
        attempt("later", at(1, "09:00"), correct=False),
        attempt("later", at(2, "09:00"), correct=False),
        attempt("later", at(4, "09:00"), correct=True),
        attempt("later", at(6, "09:00"), correct=True, review=True),
    ]
    assert summarize(events, on(6), UTC).lasted == (Lasted("later", on(1), on(4)),)


def test_an_error_after_a_first_right_answer_is_still_open():
    events = [
        attempt("q", at(1), correct=True),
        attempt("q", at(2), correct=False),
    ]
    assert summarize(events, on(2), UTC).still_open == ("q",)


def test_days_are_the_students_days_not_utc():
    events = [
        attempt("late", "2026-11-01T23:20:00.000Z", correct=False),  # 07:20 on the 2nd in HK
        attempt("late", "2026-11-01T23:30:00.000Z", correct=True),
        corrected("late", "2026-11-01T23:30:00.500Z"),
        attempt("midnight", "2026-11-01T15:00:00.000Z", correct=False),  # 23:00 in HK
        attempt("midnight", "2026-11-01T16:30:00.000Z", correct=True),  # 00:30 on the 2nd
    ]
    in_hong_kong = summarize(events, on(2), HONG_KONG)
    assert in_hong_kong.good_today == ("midnight", "late")
    assert in_hong_kong.lasted == (Lasted("midnight", on(1), on(2)),)
    in_utc = summarize(events, on(2), UTC)
    assert (in_utc.good_today, in_utc.good_week, in_utc.lasted) == ((), ("midnight", "late"), ())


def test_files_from_two_folders_and_a_second_copy_read_as_one_history():
    lesson_folder = [
        attempt("q", at(1), correct=False),
        attempt("q", at(3), correct=True),
    ]
    review_folder = [attempt("q", at(2), correct=False, review=True)]
    collected_twice = [*review_folder, *lesson_folder, *lesson_folder]
    assert summarize(collected_twice, on(3), UTC) == Summary(
        good_today=("q",),
        good_week=("q",),
        still_open=(),
        lasted=(Lasted("q", on(1), on(3)),),
    )


def test_lines_a_reader_cannot_place_change_nothing():
    broken = [
        "not an event",
        {**attempt("q1", at(8), correct=False), "ts": "8 November"},
        {**attempt("q1", at(8), correct=False), "correct": "no"},
        {**attempt("q1", at(8), correct=False), "question": None},
        {**corrected("q5", at(8)), "ts": None},
        {**attempt("q5", at(8), correct=False), "type": None},
    ]
    assert summarize([*week_of_work(), *broken], on(8), UTC) == summarize(
        week_of_work(), on(8), UTC
    )


def test_a_student_with_no_answers_yet_has_an_empty_view():
    assert summarize([], date(2026, 11, 8), UTC) == Summary((), (), (), ())
