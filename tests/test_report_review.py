"""Spaced review in the teacher's report: did first-try errors still hold days later?

The class below is written at chosen times, never the clock's, so every number can be
worked out by hand from the script. Times are UTC; Hong Kong is UTC+8 all year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from guessfirst.log import eventlog
from guessfirst.teacher import report
from report_columns import QUESTION_COLUMNS, RETENTION_COLUMNS, STUDENT_COLUMNS

MON, TUE, WED, THU = "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"
HONG_KONG = "Asia/Hong_Kong"


@dataclass
class Pupil:
    """One student's log, written as the widgets would, at the times a test gives."""

    folder: Path
    name: str
    _count: dict[tuple[str, str], int] = field(default_factory=dict)

    def answer(
        self,
        day: str,
        time: str,
        question: str,
        response: str,
        correct: bool,
        *,
        version: str = "v1",
        review: bool = False,
        normalized: str | bool = True,
    ) -> dict:
        """An attempt, numbered per question version as the widget numbers it.

        ``normalized`` is the question's reading of the response: by default the response
        trimmed and case-folded, False for an event written without it.
        """
        number = self._count[question, version] = self._count.get((question, version), 0) + 1
        fields: dict[str, object] = {
            "attempt": number,
            "response": response,
            "correct": correct,
            "confidence": 1.0,
            "latency_ms": 4000,
            "misconception": None,
        }
        if normalized is True:
            fields["normalized"] = response.strip().casefold()
        elif normalized:
            fields["normalized"] = normalized
        if review:
            fields["review"] = True
        return self._write(day, time, "attempt", question, version, **fields)

    def corrected(self, day: str, time: str, question: str, first_error: dict) -> dict:
        return self._write(
            day,
            time,
            "corrected",
            question,
            first_error["qversion"],
            attempt=2,
            errors=1,
            first_error=first_error["id"],
            first_confidence=1.0,
        )

    def _write(self, day: str, time: str, kind: str, question: str, version: str, **fields):
        event = eventlog.make_event(
            kind,
            student=self.name,
            session=f"{self.name}-{day}",
            notebook="fractions.ipynb",
            question=question,
            qversion=version,
            **fields,
        )
        event["ts"] = f"{day}T{time}:00.000Z"
        return eventlog.append_event(eventlog.log_path(self.folder, self.name), event)


@pytest.fixture
def week(tmp_path: Path) -> Path:
    """Thirteen students, three questions, a lesson on Monday and reviews later in the week."""
    folder = tmp_path / "week"
    ana, ben, cy, dee, eve, fay, gus, hal, ivy, jo, kim, lee, mo = (
        Pupil(folder, name)
        for name in ("ana", "ben", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jo", "kim",
                     "lee", "mo")
    )  # fmt: skip

    # speed (80): a first error reviewed two days later, corrected on Monday, came back
    first = ana.answer(MON, "10:00", "speed", "180", False)
    ana.answer(MON, "10:02", "speed", "80", True)
    ana.corrected(MON, "10:02", "speed", first)
    ana.answer(WED, "09:00", "speed", "180.0", False, review=True, normalized="180")  # again
    first = ben.answer(MON, "10:00", "speed", "90", False)
    ben.answer(MON, "10:03", "speed", "80", True)
    ben.corrected(MON, "10:03", "speed", first)
    ben.answer(WED, "09:00", "speed", "100", False, review=True)  # another wrong answer
    ben.answer(THU, "09:00", "speed", "80", True, review=True)  # only the first review counts
    cy.answer(MON, "10:00", "speed", "180", False)
    cy.answer(TUE, "09:00", "speed", "180", False, review=True)  # never corrected: no return
    dee.answer(MON, "10:00", "speed", "180", False)
    dee.answer(MON, "10:05", "speed", "80", True, review=True)  # the same day: not delayed
    dee.answer(THU, "09:00", "speed", "80", True, review=True)  # retained
    eve.answer(MON, "10:00", "speed", "180", False)  # never reviewed
    fay.answer(MON, "10:00", "speed", "80", True)  # no first error to retain
    fay.answer(WED, "09:00", "speed", "80", True, review=True)

    # capital (Canberra): where the day ends decides what counts
    gus.answer(MON, "23:30", "capital", "Sydney", False)  # Tuesday 07:30 in Hong Kong
    gus.answer(TUE, "10:00", "capital", "Canberra", True, review=True)  # Tuesday 18:00 there
    first = hal.answer(MON, "15:00", "capital", "Sydney", False)  # Monday 23:00 there
    hal.answer(MON, "23:30", "capital", "Canberra", True)  # Tuesday 07:30 there
    hal.corrected(MON, "23:30", "capital", first)
    hal.answer(WED, "10:00", "capital", "  SYDNEY ", False, review=True, normalized=False)
    first = lee.answer(MON, "10:00", "capital", "Perth", False)
    lee.corrected(MON, "10:03", "capital", first)  # its attempt is not in this copy
    lee.answer(WED, "10:00", "capital", "Melbourne", False, review=True)

    # pick (b): edited on Monday; reviews show the new version, p2
    ivy.answer(MON, "10:00", "pick", "a", False, version="p1")
    ivy.answer(THU, "09:00", "pick", "b", True, version="p2", review=True)  # p2's attempt 1
    first = jo.answer(MON, "10:00", "pick", "c", False, version="p1")
    jo.answer(MON, "10:01", "pick", "b", True, version="p1")
    jo.corrected(MON, "10:01", "pick", first)
    jo.answer(THU, "09:00", "pick", "c", False, version="p2", review=True)
    kim.answer(MON, "14:00", "pick", "a", False, version="p2")
    kim.answer(WED, "09:00", "pick", "b", True, version="p2", review=True)
    mo.answer(WED, "09:00", "pick", "a", False, version="p2", review=True)  # no first try:
    mo.answer(THU, "09:00", "pick", "b", True, version="p2", review=True)  # reviews only
    return folder


def records(table: pd.DataFrame, key: str | list[str]) -> dict:
    return table.set_index(key).to_dict("index")


def review(reviewed: int, retention: float, returned: int, same: int) -> dict:
    """The review columns of a row, as a teacher reads them off the report."""
    return {
        "reviewed": reviewed,
        "delayed_retention": retention,
        "return_errors": returned,
        "returned_same": same,
    }


def assert_rows(got: dict, expected: dict) -> None:
    assert sorted(got) == sorted(expected)
    for key, values in expected.items():
        for name, value in values.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                assert pd.isna(got[key][name]), (key, name)
            elif isinstance(value, float):
                assert got[key][name] == pytest.approx(value), (key, name)
            else:
                assert got[key][name] == value, (key, name)


def test_review_attempts_are_read_as_a_column_of_the_events(week: Path):
    events = report.load(week)
    assert str(events["review"].dtype) == "boolean"
    reviews = events[events["review"].fillna(False)]
    assert len(reviews) == 15 and set(reviews["type"].astype(str)) == {"attempt"}
    assert events.loc[events["type"] == "corrected", "review"].isna().all()


def test_retention_by_question_id_matches_the_hand_count(week: Path):
    table = report.retention(report.load(week), tz="UTC")
    assert list(table.columns) == RETENTION_COLUMNS
    assert table["question"].tolist() == ["capital", "pick", "speed"]  # most missed first
    assert_rows(
        records(table, "question"),
        {
            # ana, ben, cy and dee reviewed; dee alone right; eve never reviewed, so not
            # counted; ana and ben had corrected it on Monday, and ana said 180 again
            "speed": {
                "attempted": 6,
                "first_errors": 5,
                "first_try_error": 5 / 6,
                **review(4, 1 / 4, 2, 1),
                "review_flag": "reteach",
            },
            # gus right; hal (Sydney again, typed "  SYDNEY ") and lee (corrected by the
            # event alone) came back wrong
            "capital": {
                "attempted": 3,
                "first_errors": 3,
                "first_try_error": 1.0,
                **review(3, 1 / 3, 2, 1),
                "review_flag": "reteach",
            },
            # reviews of p2 count for errors made on p1: ivy and kim right, jo's c returned
            "pick": {
                "attempted": 3,
                "first_errors": 3,
                "first_try_error": 1.0,
                **review(3, 2 / 3, 1, 1),
                "review_flag": "productive",
            },
        },
    )


def test_each_version_counts_its_own_errors_whatever_version_the_review_showed(week: Path):
    table = report.per_question(report.load(week), tz="UTC")
    assert list(table.columns) == QUESTION_COLUMNS
    assert_rows(
        records(table, ["question", "qversion"]),
        {
            ("speed", "v1"): {
                "first_try_error": 5 / 6,
                **review(4, 1 / 4, 2, 1),
                "review_flag": "reteach",
            },
            ("capital", "v1"): {
                "first_try_error": 1.0,
                **review(3, 1 / 3, 2, 1),
                "review_flag": "reteach",
            },
            # ivy's and jo's errors were made on p1, their reviews shown on p2
            ("pick", "p1"): {"first_try_error": 1.0, **review(2, 1 / 2, 1, 1), "review_flag": None},
            # kim's error alone is p2's; the reviews of ivy, jo and mo start p2's count, yet a
            # review is never a first try: with kim's, they are p2's students_reviewing
            ("pick", "p2"): {
                "attempted": 1,
                "first_try_error": 1.0,
                "students_reviewing": 4,
                **review(1, 1.0, 0, 0),
                "review_flag": None,
            },
        },
    )


def test_per_student_counts_each_question_once(week: Path):
    table = report.per_student(report.load(week), tz="UTC")
    assert list(table.columns) == STUDENT_COLUMNS
    nan = float("nan")
    assert_rows(
        records(table, "student"),
        {
            "ana": review(1, 0.0, 1, 1),
            "ben": review(1, 0.0, 1, 0),
            "cy": review(1, 0.0, 0, 0),
            "dee": review(1, 1.0, 0, 0),
            "eve": review(0, nan, 0, 0),
            "fay": review(0, nan, 0, 0),
            "gus": review(1, 1.0, 0, 0),
            "hal": review(1, 0.0, 1, 1),
            "ivy": review(1, 1.0, 0, 0),
            "jo": review(1, 0.0, 1, 1),
            "kim": review(1, 1.0, 0, 0),
            "lee": review(1, 0.0, 1, 0),
            "mo": review(0, nan, 0, 0),
        },
    )


def test_a_day_is_a_calendar_date_in_the_chosen_time_zone(week: Path):
    events = report.load(week)
    capital = records(report.retention(events, tz=HONG_KONG), "question")["capital"]
    # gus answered at 07:30 and reviewed at 18:00 the same Tuesday: not reviewed. hal's
    # fix came on Tuesday, after Monday's error: not a return error. lee's fix was Monday's.
    assert_rows({"capital": capital}, {"capital": {**review(2, 0.0, 1, 0), "review_flag": None}})
    students = records(report.per_student(events, tz=HONG_KONG), "student")
    assert_rows(
        {name: students[name] for name in ("gus", "hal", "lee")},
        {
            "gus": review(0, float("nan"), 0, 0),
            "hal": review(1, 0.0, 0, 0),
            "lee": review(1, 0.0, 1, 0),
        },
    )


def test_a_first_try_is_the_earliest_in_time_whichever_folder_holds_it(tmp_path: Path):
    # Collected twice: the folder read first holds the later lesson, on a new version.
    Pupil(tmp_path / "a-week2", "nan").answer(WED, "10:00", "q", "80", True, version="v2")
    earlier = Pupil(tmp_path / "b-week1", "nan")
    earlier.answer(MON, "10:00", "q", "180", False, version="v1")
    earlier.answer(TUE, "10:00", "q", "80", True, version="v1", review=True)
    table = report.retention(report.load(tmp_path), tz="UTC")
    assert_rows(
        records(table, "question"),
        {"q": {"attempted": 1, "first_errors": 1, **review(1, 1.0, 0, 0)}},
    )


def test_the_default_zone_is_the_teachers_own(week: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", HONG_KONG)
    assert report.time_zone() == HONG_KONG
    events = report.load(week)
    pd.testing.assert_frame_equal(
        report.per_question(events), report.per_question(events, tz=HONG_KONG)
    )
    assert report.Report(report.read(week)).zone == HONG_KONG


def test_a_time_zone_is_an_iana_name_in_any_case():
    assert report.time_zone("asia/hong_kong") == HONG_KONG
    with pytest.raises(ValueError, match=r"unknown time zone 'Mars/Olympus'.*IANA"):
        report.time_zone("Mars/Olympus")


# -- the verdicts at their thresholds --------------------------------------------------


@pytest.mark.parametrize(
    ("right_first", "kept", "lost", "unreviewed", "verdict"),
    [
        (9, 3, 2, 1, "productive"),  # first-try error 6/15 = 40%, retention 3/5 = 60%
        (10, 3, 2, 1, None),  # first-try error 6/16, under 40%
        (0, 2, 3, 0, None),  # retention 2/5 = 40%: not below it
        (0, 1, 2, 0, "reteach"),  # retention 1/3, three students reviewed
        (0, 0, 2, 0, None),  # retention 0, but two students are too few
        (0, 3, 0, 0, "productive"),  # three students, all right
    ],
)
def test_verdicts_at_their_thresholds(
    tmp_path: Path, right_first: int, kept: int, lost: int, unreviewed: int, verdict: str | None
):
    outcomes = ["right"] * right_first + ["kept"] * kept + ["lost"] * lost + ["open"] * unreviewed
    for number, outcome in enumerate(outcomes):
        pupil = Pupil(tmp_path, f"s{number:02d}")
        pupil.answer(MON, "10:00", "q", "x", outcome == "right")
        if outcome in ("kept", "lost"):
            pupil.answer(TUE, "10:00", "q", "x", outcome == "kept", review=True)
    events = report.load(tmp_path)
    by_id = report.retention(events, tz="UTC")["review_flag"].tolist()
    by_version = report.per_question(events, tz="UTC")["review_flag"].tolist()
    assert by_id == by_version == [verdict]


# -- the page --------------------------------------------------------------------------


def test_the_page_names_the_verdicts_and_defines_every_new_metric(week: Path):
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text: list[str] = []
            self.titles: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.titles += [
                value or "" for name, value in attrs if tag == "abbr" and name == "title"
            ]

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    page = Text()
    when = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
    page.feed(report.Report(report.read(week), tz=HONG_KONG).html(generated=when))
    text = " ".join(" ".join(page.text).split())
    review_part = text.split("Spaced review", 1)[1].split("Confidence and correctness")[0]
    assert "Days are calendar dates in Asia/Hong_Kong." in review_part
    assert "Reteach (teach it again): speed." in review_part
    assert "Productive (worth keeping): pick." in review_part
    # question, attempted, first-try error, reviewed, retention, return errors, same, verdict
    assert "capital 3 100% 2 0% 1 0 —" in review_part
    assert "speed 6 83% 4 25% 2 1 reteach" in review_part

    glossary = text.split("Definitions")[-1]
    for column, words in [
        ("reviewed", "met again in a review at least 1 calendar day later"),
        ("delayed_retention", "the share whose first review at least 1 calendar day later"),
        ("return_errors", "corrected on the day they made them"),
        ("returned_same", "the first error's answer again"),
        ("review_flag", "first-try error ≥ 40% and delayed retention ≥ 60%"),
    ]:
        assert f" {column} " in glossary and words in glossary
    assert "delayed retention below 40%" in glossary and "at least 3 students" in glossary
    assert "A day is a calendar date in Asia/Hong_Kong." in glossary
    assert "never a first try" in glossary
    assert sum("A review of any version of the question counts" in t for t in page.titles) == 3
