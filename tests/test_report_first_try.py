"""First tries in the teacher's report: a review is never one, nor an answer without a verdict.

A first try is a student meeting a question version for the first time: their first judged
attempt at it outside a review (docs/EVENTS.md, "First tries"). Every figure below is
worked out by hand from the class that writes it, and read from both engines.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import context, eventlog
from guessfirst.teacher import report
from guessfirst.teacher.report import _metrics

MON = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
TUE = MON + timedelta(days=1)
WED = MON + timedelta(days=2)
MASTER = "local[2]"
NAN = float("nan")


# -- reading a class on either engine --------------------------------------------------


@pytest.fixture(scope="module")
def spark_session(need_java: None) -> Iterator[object]:
    pytest.importorskip("pyspark")
    from guessfirst.teacher.report import _spark

    session = _spark.session(MASTER)
    yield session
    session.stop()


@pytest.fixture(params=["duckdb", "spark"])
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "spark":
        request.getfixturevalue("spark_session")
    return request.param


@dataclass
class Tables:
    """What a teacher reads off one class: the report's tables and every grade policy."""

    questions: pd.DataFrame
    students: pd.DataFrame
    retention: pd.DataFrame
    wrong: pd.DataFrame
    confidence: pd.DataFrame
    grades: dict[str, pd.DataFrame]
    page: str | None


def read(folder: Path, engine: str) -> Tables:
    """The tables off ``engine``; the page only off DuckDB, since it is drawn from the
    same tables (which the parity tests hold equal) and each query costs Spark seconds."""
    logs = report.read(folder, engine=engine, master=MASTER)
    try:
        made = report.Report(logs, tz="UTC")
        return Tables(
            questions=made.questions,
            students=made.students,
            retention=made.retention,
            wrong=made.wrong,
            confidence=_metrics.confidence_table(logs),
            grades={policy: report.grades(logs, policy) for policy in report.POLICIES},
            page=made.html() if engine == "duckdb" else None,
        )
    finally:
        logs.close()


def assert_rows(table: pd.DataFrame, key: str | list[str], expected: dict) -> None:
    """``table``'s rows, keyed by ``key``, hold ``expected``'s values (NaN for undefined)."""
    got = table.set_index(key).to_dict("index")
    assert sorted(got) == sorted(expected)
    for row, values in expected.items():
        for name, value in values.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                assert pd.isna(got[row][name]), (row, name, got[row][name])
            elif isinstance(value, float):
                assert got[row][name] == pytest.approx(value), (row, name)
            else:
                assert got[row][name] == value, (row, name)


def points(grades: pd.DataFrame) -> dict[str, list[int]]:
    return {row[0]: list(row[1:]) for row in grades.itertuples(index=False)}


# -- a review of a variant, on the day others meet the question ------------------------


def _section_b_numbers(_rng: random.Random) -> dict[str, object]:
    return {"prompt": "90 km in 1.5 h: km/h?", "answer": 60}


def speed(km: int = 120) -> gf.Numeric:
    """Section A's lesson has 120 km; section B's, on Tuesday, the 90 km that the variant
    gives every review: the very version section B meets for the first time."""
    return gf.Numeric(
        "speed",
        f"{km} km in 1.5 h: km/h?",
        answer={120: 80, 90: 60}[km],
        tol=0.5,
        variant=_section_b_numbers,
    )


def percent() -> gf.Numeric:
    """Its variant is asked by reviews alone: a version nobody meets in a lesson."""
    return gf.Numeric(
        "percent",
        "20% of 50?",
        answer=10,
        variant=lambda _rng: {"prompt": "20% of 80?", "answer": 16},
    )


def kernel(monkeypatch: pytest.MonkeyPatch, student: str) -> None:
    """A fresh kernel for ``student``: nothing of another student's in memory."""
    monkeypatch.setenv("GUESSFIRST_STUDENT", student)
    KERNEL.reset()
    monkeypatch.setattr(context, "SESSION", f"session-{student}")


def ticking(start: datetime) -> Callable[[], datetime]:
    """The log's clock: a minute on with each event."""
    minutes = itertools.count()
    return lambda: start + timedelta(minutes=next(minutes))


def review(monkeypatch: pytest.MonkeyPatch, student: str, answers: dict[str, str]) -> None:
    """``student`` opens Tuesday's review and answers each question due by its id."""
    kernel(monkeypatch, student)
    with eventlog.clock(ticking(TUE.replace(hour=9))):
        due = gf.review([speed, percent], today=TUE.date(), tz=timezone.utc).questions
        assert sorted(q.qid for q in due) == sorted(answers)
        for question in due:
            question.submit(answers[question.qid], "Certain")


@pytest.fixture
def two_sections(fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Section A meets speed and percent on Monday and reviews its errors on Tuesday, at
    09:00, on the variants; at 10:00 section B meets speed for the first time, in the
    version those reviews showed."""
    lesson: list[tuple[str, list[tuple[str, str, str]], list[tuple[str, str, str]]]] = [
        ("a1", [("speed", "80", "Certain")], [("percent", "2", "Certain")]),
        ("a2", [("speed", "180", "Certain"), ("speed", "80", "Certain")],
         [("percent", "10", "Fairly sure")]),
        ("a3", [("speed", "180", "Certain")], []),
        ("a4", [("speed", "90", "Unsure")], []),
    ]  # fmt: skip
    for student, *answers in lesson:
        kernel(monkeypatch, student)
        with eventlog.clock(ticking(MON)):
            for made, given in zip((speed(), percent()), answers, strict=True):
                for _, response, confidence in given:
                    made.submit(response, confidence)

    review(monkeypatch, "a1", {"percent": "16"})  # the variant 20% of 80: right
    review(monkeypatch, "a2", {"speed": "60"})  # right
    review(monkeypatch, "a3", {"speed": "60"})  # right
    review(monkeypatch, "a4", {"speed": "135"})  # wrong

    for student, given in [
        ("b1", [("60", "Fairly sure")]),
        ("b2", [("135", "Certain"), ("60", "Certain")]),
        ("b3", [("135", "Unsure")]),
    ]:
        kernel(monkeypatch, student)
        with eventlog.clock(ticking(TUE)):
            question = speed(90)
            for response, confidence in given:
                question.submit(response, confidence)
    return fresh_kernel


def _version(folder: Path, student: str, question: str, *, review: bool = False) -> str:
    events = eventlog.read_events(eventlog.log_path(folder, student)).events
    return next(
        e["qversion"]
        for e in events
        if e["type"] == "attempt" and e["question"] == question and bool(e.get("review")) == review
    )


def test_a_review_of_a_variant_is_never_a_first_try(two_sections: Path, engine: str):
    folder = two_sections
    v0, v1 = _version(folder, "a1", "speed"), _version(folder, "b1", "speed")
    p0, p1 = _version(folder, "a1", "percent"), _version(folder, "a1", "percent", review=True)
    # The reviews asked section B's version, and started its count: attempt 1 of v1.
    assert _version(folder, "a4", "speed", review=True) == v1 != v0 and p1 != p0
    reviews = report.load(folder).query("review == True")
    assert set(reviews["attempt"]) == {1}

    tables = read(folder, engine)
    assert_rows(
        tables.questions,
        ["question", "qversion"],
        {
            # a1 right; a2, a3 (Certain) and a4 wrong; a2 put it right at attempt 2. Their
            # reviews were of v1: two right, one wrong, a day later.
            ("speed", v0): {
                "attempted": 4, "students_reviewing": 0, "first_try_correct": 1 / 4,
                "first_try_error": 3 / 4, "first_errors": 3, "corrected": 1 / 3,
                "attempts_to_correct": 2.0, "high_confidence_errors": 2,
                "top_wrong": "180 ×2; 90 ×1", "reviewed": 3, "delayed_retention": 2 / 3,
                "return_errors": 0, "returned_same": 0, "review_flag": "productive",
            },
            # Section B alone meets v1: b1 right, b2 (Certain) and b3 wrong, b2 then right.
            # a2's, a3's and a4's reviews are v1's attempt 1, yet no first try: their 60,
            # 60 and 135 count in neither the first-try figures nor the wrong answers.
            ("speed", v1): {
                "attempted": 3, "students_reviewing": 3, "first_try_correct": 1 / 3,
                "first_try_error": 2 / 3, "first_errors": 2, "corrected": 1 / 2,
                "attempts_to_correct": 2.0, "high_confidence_errors": 1,
                "top_wrong": "135 ×2", "reviewed": 0, "delayed_retention": NAN,
                "review_flag": None,
            },
            # a1 wrong, a2 right; a1's right review was of the variant
            ("percent", p0): {
                "attempted": 2, "students_reviewing": 0, "first_try_correct": 1 / 2,
                "first_errors": 1, "corrected": 0.0, "attempts_to_correct": NAN,
                "top_wrong": "2 ×1", "reviewed": 1, "delayed_retention": 1.0,
            },
            # seen in a review only: its review count, and no first-try figures at all
            ("percent", p1): {
                "attempted": 0, "students_reviewing": 1, "first_try_correct": NAN,
                "first_try_error": NAN, "first_errors": 0, "corrected": NAN,
                "high_confidence_errors": 0, "top_wrong": None, "reviewed": 0,
            },
        },
    )  # fmt: skip
    columns = ["attempted", "first_try_correct", "first_try_errors", "corrected"]
    counts = {
        "a1": (2, 1, 1, 0),  # percent's error, put right only in a review of the variant
        "a2": (2, 1, 1, 1),
        "a3": (1, 0, 1, 0),
        "a4": (1, 0, 1, 0),
        "b1": (1, 1, 0, 0),
        "b2": (1, 0, 1, 1),
        "b3": (1, 0, 1, 0),
    }
    assert_rows(
        tables.students,
        "student",
        {name: dict(zip(columns, values, strict=True)) for name, values in counts.items()},
    )
    assert_rows(
        tables.retention,
        "question",
        {
            # the first tries of a1-a4 on Monday and of b1-b3 on Tuesday
            "speed": {"attempted": 7, "first_errors": 5, "first_try_error": 5 / 7,
                      "reviewed": 3, "delayed_retention": 2 / 3, "review_flag": "productive"},
            "percent": {"attempted": 2, "first_errors": 1, "first_try_error": 1 / 2,
                        "reviewed": 1, "delayed_retention": 1.0, "review_flag": None},
        },
    )  # fmt: skip
    assert_rows(
        tables.wrong,
        ["question", "qversion", "answer"],
        {
            ("speed", v0, "180"): {"students": 2, "attempts": 2},
            ("speed", v0, "90"): {"students": 1, "attempts": 1},
            ("speed", v1, "135"): {"students": 2, "attempts": 2},  # a4's review is apart
            ("percent", p0, "2"): {"students": 1, "attempts": 1},
        },
    )

    assert list(tables.grades["first-try"].columns) == ["student", "speed", "percent", "total"]
    # a review right the next day is not a first try: a2 and a3 (speed) and a1 (percent)
    # earn no first-try point for it, though it is a correct attempt
    assert points(tables.grades["first-try"]) == {
        "a1": [1, 0, 1], "a2": [0, 1, 1], "a3": [0, 0, 0], "a4": [0, 0, 0],
        "b1": [1, 0, 1], "b2": [0, 0, 0], "b3": [0, 0, 0],
    }  # fmt: skip
    assert points(tables.grades["corrected"]) == {
        "a1": [1, 1, 2], "a2": [1, 1, 2], "a3": [1, 0, 1], "a4": [0, 0, 0],
        "b1": [1, 0, 1], "b2": [1, 0, 1], "b3": [0, 0, 0],
    }  # fmt: skip
    assert points(tables.grades["participation"]) == {
        "a1": [1, 1, 2], "a2": [1, 1, 2], "a3": [1, 0, 1], "a4": [1, 0, 1],
        "b1": [1, 0, 1], "b2": [1, 0, 1], "b3": [1, 0, 1],
    }  # fmt: skip

    # The page shows the variant only reviews asked by its review count where a version's
    # first-try figures would be: one cell across them, and in the chart (its text, its
    # tooltip and the description a screen reader reads).
    if tables.page is not None:
        note = "only in reviews: 1 student, no first tries"
        assert f'<td colspan="6" class="muted">{note}</td>' in tables.page
        assert tables.page.count(note) == 4
        assert "has no first tries: it shows how many students reviewed it" in tables.page
        # section B's speed is a version students met; percent's variant is no change
        assert "1 question(s) changed while students worked" in tables.page
        assert "1 variant(s) were asked only in reviews" in tables.page


# -- attempts without a verdict ---------------------------------------------------------


@dataclass
class Writer:
    """One student's log, written as the widget writes it, at the times a test gives."""

    folder: Path
    student: str
    number: int = 0

    def attempt(
        self,
        when: datetime,
        response: str,
        correct: bool | None,
        confidence: float | None = 1.0,
        *,
        review: bool = False,
    ) -> None:
        """An attempt; ``correct`` None is one that could not be checked in time."""
        self.number += 1
        fields: dict[str, object] = {
            "attempt": self.number,
            "response": response,
            "correct": correct,
            "confidence": confidence,
            "latency_ms": 5000,
            "misconception": None,
            "normalized": response,
        }
        if correct is None:
            fields["reason"] = "timeout"
        if review:
            fields["review"] = True
        event = eventlog.make_event(
            "attempt",
            student=self.student,
            session=f"{self.student}-{when.date()}",
            notebook="roots.ipynb",
            question="root",
            qversion="r1",
            **fields,
        )
        event["ts"] = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        eventlog.append_event(eventlog.log_path(self.folder, self.student), event)


SLOW = "(2^(2^20))^(2^-20)"  # right, in fact; but no check finishes with it in time


@pytest.fixture
def timeouts(tmp_path: Path) -> Path:
    """Six students answer "root" (answer 2) on Monday, three review it on Wednesday."""
    folder = tmp_path / "timeouts"
    t1, t2, t3, t4, t5, t6 = (Writer(folder, f"t{n}") for n in range(1, 7))
    minute = timedelta(minutes=1)
    t1.attempt(MON, SLOW, None, 1 / 3)
    t1.attempt(MON + minute, "2", True, 2 / 3)  # the first try: right
    t2.attempt(MON, SLOW, None, 1 / 3)
    t2.attempt(MON + minute, "4", False)  # the first try: wrong, Certain
    t2.attempt(MON + 2 * minute, "2", True)  # corrected at attempt 3
    t3.attempt(MON, SLOW, None, 1 / 3)  # no verdict ever: attempted, no first try
    t4.attempt(MON, "4", False)  # wrong, Certain
    t4.attempt(MON + minute, SLOW, None, 1 / 3)  # no verdict: not a correction
    t5.attempt(MON, "2", True)
    t6.attempt(MON, "8", False, 0.0)  # wrong, just guessing

    t2.attempt(WED, "4", False, review=True)  # the same error back
    t3.attempt(WED, "2", True, review=True)  # no first error to review
    t6.attempt(WED, SLOW, None, 1 / 3, review=True)  # no verdict: the next review counts
    t6.attempt(WED + minute, "2", True, review=True)
    return folder


def test_an_attempt_without_a_verdict_is_neither_right_nor_wrong(timeouts: Path, engine: str):
    tables = read(timeouts, engine)
    # First tries: t1 right (attempt 2), t2 wrong (2), t4 wrong, t5 right, t6 wrong; t3 has
    # none. Corrected: t2 at attempt 3, t6 at the review's attempt 3; t4's second attempt
    # got no verdict. Wrong answers: 4 (t2, t4) and 8 (t6); t2's review is apart.
    assert_rows(
        tables.questions,
        ["question", "qversion"],
        {
            ("root", "r1"): {
                "attempted": 6, "students_reviewing": 3, "first_try_correct": 2 / 5,
                "first_try_error": 3 / 5, "first_errors": 3, "corrected": 2 / 3,
                "attempts_to_correct": 3.0, "high_confidence_errors": 2,
                "hypercorrection": NAN, "top_wrong": "4 ×2; 8 ×1",
                # t2's review wrong (the first error's 4, though put right on Monday), t6's
                # first judged review right; t4's error never reviewed
                "reviewed": 2, "delayed_retention": 1 / 2, "return_errors": 1,
                "returned_same": 1, "review_flag": None,
            },
        },
    )  # fmt: skip
    columns = ["attempted", "first_try_correct", "first_try_errors", "corrected",
               "not_corrected", "reviewed", "delayed_retention"]  # fmt: skip
    counts = {
        "t1": (1, 1, 0, 0, 0, 0, NAN),
        "t2": (1, 0, 1, 1, 0, 1, 0.0),
        "t3": (1, 0, 0, 0, 0, 0, NAN),
        "t4": (1, 0, 1, 0, 1, 0, NAN),
        "t5": (1, 1, 0, 0, 0, 0, NAN),
        "t6": (1, 0, 1, 1, 0, 1, 1.0),
    }
    assert_rows(
        tables.students,
        "student",
        {name: dict(zip(columns, values, strict=True)) for name, values in counts.items()},
    )
    assert_rows(
        tables.retention,
        "question",
        {
            "root": {"attempted": 6, "first_errors": 3, "first_try_error": 3 / 5,
                     "reviewed": 2, "delayed_retention": 1 / 2, "return_errors": 1,
                     "returned_same": 1},
        },
    )  # fmt: skip
    assert_rows(
        tables.wrong,
        "answer",
        {"4": {"students": 2, "attempts": 2}, "8": {"students": 1, "attempts": 1}},
    )
    # By stated confidence, first tries only: the 1/3 ("Unsure") of the unjudged is absent.
    assert_rows(
        tables.confidence,
        "step",
        {
            0: {"first": 1, "right": 0, "fixed": 1},  # t6
            2: {"first": 1, "right": 1, "fixed": 0},  # t1
            3: {"first": 3, "right": 1, "fixed": 1},  # t5 right; t2 fixed; t4 open
        },
    )
    assert points(tables.grades["participation"]) == {f"t{n}": [1, 1] for n in range(1, 7)}
    # a correct attempt is needed: t4's unjudged second attempt is none; t3's review is
    assert points(tables.grades["corrected"]) == {
        "t1": [1, 1], "t2": [1, 1], "t3": [1, 1], "t4": [0, 0], "t5": [1, 1], "t6": [1, 1],
    }  # fmt: skip
    assert points(tables.grades["first-try"]) == {
        "t1": [1, 1], "t2": [0, 0], "t3": [0, 0], "t4": [0, 0], "t5": [1, 1], "t6": [0, 0],
    }  # fmt: skip
