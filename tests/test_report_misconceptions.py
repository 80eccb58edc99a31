"""Misconceptions followed by their tag across questions and lessons, each variant's own
figures, and tags (text from the logs) kept harmless in a spreadsheet and on the page.

The class is tests/report_class.py's, read from its two lessons' folders; every figure is
worked out by hand from its story.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pandas as pd
import pytest

from guessfirst.teacher import cli, report
from report_class import FORMULA_TAG, SCRIPT_TAG, write_class
from report_columns import MISCONCEPTION_COLUMNS, VARIANT_COLUMNS


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_class(tmp_path_factory.mktemp("class"))


@pytest.fixture(scope="module")
def built(folder: Path) -> report.Report:
    return report.Report(report.read([folder / "lesson1", folder / "lesson2"]), tz="UTC")


def _tags(built: report.Report) -> dict[str, dict[str, object]]:
    return built.misconceptions.set_index("tag").to_dict("index")


def test_the_table_has_the_contract_columns_the_most_widespread_tag_first(built):
    assert list(built.misconceptions.columns) == MISCONCEPTION_COLUMNS
    assert list(built.misconceptions["tag"]) == ["mult", SCRIPT_TAG, FORMULA_TAG, "units"]


def test_a_tag_shared_by_two_questions_over_two_lessons(built):
    mult = _tags(built)["mult"]
    # Made in practice by ben, cy and eve, on speed and rate; ana's and cy's pretest
    # guesses carried it too, but a guess before the teaching is no misconception yet.
    assert mult["questions"] == "rate speed"
    assert mult["students"] == 3
    # First tries that carried it: ben, cy and eve on speed; eve, ben and cy on rate.
    assert mult["first_errors"] == 6
    # ben and eve answered right afterwards where they made it; cy never did.
    assert mult["corrected"] == 2


def test_returned_means_made_again_on_a_later_day_after_a_correction(built):
    # ben corrected it on Monday and made it again on Wednesday: it came back. eve made it
    # again on the day she corrected it; cy made it on Wednesday but had never corrected it.
    assert _tags(built)["mult"]["returned"] == 1
    # dan made "units" on both days without a correction between: not a return either.
    assert _tags(built)["units"]["returned"] == 0


def test_still_open_is_a_latest_attempt_with_no_right_answer_after_it(built):
    tags = _tags(built)
    # cy's latest (rate, Wednesday) was never followed by a right answer; ben's and eve's
    # latest were.
    assert tags["mult"]["still_open"] == 1
    assert tags["units"]["still_open"] == 1
    assert (tags["units"]["students"], tags["units"]["first_errors"]) == (1, 1)


def test_each_students_open_misconceptions_are_listed_for_the_teacher(built):
    students = built.students
    listed = dict(zip(students["student"], students["open_misconceptions"], strict=True))
    assert listed == {
        "ana": SCRIPT_TAG,
        "ben": "",
        "cy": "mult",
        "dan": "units",
        "eve": FORMULA_TAG,
        "fay": "",
    }


def test_the_return_is_in_the_later_lesson_and_holds_in_the_teachers_zone(tmp_path: Path):
    """ben's return is in Wednesday's folder: Monday's alone has none. In Los Angeles the
    correction (Monday 02:01) and the return (Wednesday 02:00) are still days apart."""
    folder = write_class(tmp_path)
    west = report.Report(report.read(folder), tz="America/Los_Angeles")
    assert _tags(west)["mult"]["returned"] == 1
    only_monday = report.Report(report.read(folder / "lesson1"), tz="UTC")
    assert _tags(only_monday)["mult"]["returned"] == 0
    assert _tags(only_monday)["mult"]["questions"] == "rate speed"


def test_variants_have_their_own_figures(built):
    variants = built.variants
    assert list(variants.columns) == VARIANT_COLUMNS
    rows = variants.set_index("variant").to_dict("index")
    assert sorted(rows) == ["a1b2", "c3d4"]
    # a1b2: ana (wrong, then right) and cy (right): 2 students, 3 attempts, half right.
    assert (rows["a1b2"]["students"], rows["a1b2"]["attempts"]) == (2, 3)
    assert rows["a1b2"]["first_try_correct"] == pytest.approx(0.5)
    # c3d4: ben right; dan's review of it is no practice.
    assert (rows["c3d4"]["students"], rows["c3d4"]["attempts"]) == (1, 1)
    assert rows["c3d4"]["first_try_correct"] == pytest.approx(1.0)
    # The questions table pools them as one question.
    share = built.questions[built.questions["question"] == "share"]
    assert share["attempted"].item() == 3
    assert share["first_try_correct"].item() == pytest.approx(2 / 3)


def test_events_without_a_variant_make_no_variant_rows(tmp_path: Path):
    folder = write_class(tmp_path)
    (folder / "lesson1" / "ana.jsonl").unlink()
    (folder / "lesson1" / "cy.jsonl").unlink()
    built = report.Report(report.read(folder / "lesson1"), tz="UTC")
    assert list(built.variants["variant"]) == ["c3d4"]
    assert set(built.variants["question"]) == {"share"}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_csv_files_defuse_hostile_tags(tmp_path: Path, folder: Path):
    assert cli.main(["report", str(folder), "-o", str(tmp_path / "r.html"),
                     "--csv", str(tmp_path), "--tz", "UTC"]) == 0  # fmt: skip
    rows = _csv(tmp_path / "misconceptions.csv")
    assert [row["tag"] for row in rows] == ["mult", SCRIPT_TAG, "'" + FORMULA_TAG, "units"]
    assert (rows[0]["questions"], rows[0]["returned"], rows[0]["still_open"]) == (
        "rate speed", "1", "1",
    )  # fmt: skip
    students = {row["student"]: row for row in _csv(tmp_path / "students.csv")}
    assert students["eve"]["open_misconceptions"] == "'" + FORMULA_TAG
    variants = _csv(tmp_path / "variants.csv")
    assert [(row["variant"], row["students"], row["attempts"]) for row in variants] == [
        ("a1b2", "2", "3"), ("c3d4", "1", "1"),
    ]  # fmt: skip


def test_the_page_shows_the_tags_escaped(built):
    page = built.html()
    assert SCRIPT_TAG not in page
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in page
    section = page.split('<h2 id="misconceptions">', 1)[1].split("</section>", 1)[0]
    assert (
        '<th scope="row"><code>mult</code></th><td><code>rate</code> <code>speed</code>' in section
    )
    students = page.split('<h2 id="students">', 1)[1].split("</section>", 1)[0]
    assert "Open misconceptions" in students and "<code>units</code>" in students
    assert '<details><summary><h2 id="variants">Variants</h2>' in page


def test_misconceptions_pandas_match_the_frame_of_events(built):
    """A teacher's events frame gives the same table as the logs read in place."""
    from guessfirst.teacher.report._misconceptions import misconception_table

    pd.testing.assert_frame_equal(
        misconception_table(built.logs.events, built.zone), built.misconceptions
    )


# -- the same through the public API: what the cards themselves log -----------------------


def _own(rng: random.Random) -> dict[str, object]:
    """A student's own trip: an even distance, so that half of it is a whole speed."""
    km = rng.randrange(10, 10**6, 2)
    return {"prompt": f"{km} km in 2 h?", "answer": km // 2}


def _as(monkeypatch: pytest.MonkeyPatch, student: str) -> None:
    from guessfirst.kernel import KERNEL
    from guessfirst.log import context

    monkeypatch.setenv("GUESSFIRST_STUDENT", student)
    KERNEL.reset()
    monkeypatch.setattr(context, "SESSION", f"session-{student}")


def test_a_lesson_through_the_cards_reads_as_written_by_hand(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    """ana guesses 180 in the pretest, then in practice says 180 and 80 on speed, 12 and
    3 on rate; ben says 80 on speed and 12 on rate. Both meet their own trip numbers."""
    import re

    import guessfirst as gf

    mult = gf.Misconception("multiply-not-divide", "Did you multiply instead of divide?")

    def speed(mode: str = "practice") -> gf.Numeric:
        return gf.Numeric("speed", "120 km in 1.5 h: km/h?", answer=80, feedback={180: mult},
                          mode=mode)  # fmt: skip

    def rate() -> gf.Numeric:
        return gf.Numeric("rate", "12 km in 4 h: km/h?", answer=3, feedback={48: mult, 12: mult})

    def trip() -> gf.Numeric:
        return gf.Numeric("trip", "120 km in 2 h?", answer=60, variant=_own, per_student=True)

    _as(monkeypatch, "ana")
    speed("pretest").submit("180")
    practice = speed()
    for answer in ("180", "80"):
        practice.submit(answer)
    flow = rate()
    for answer in ("12", "3"):
        flow.submit(answer)
    _as(monkeypatch, "ben")
    speed().submit("80")
    rate().submit("12")
    for student in ("ana", "ben"):
        _as(monkeypatch, student)
        own = trip()
        km = re.search(r"(\d+) km in 2 h", own.prompt_html)
        assert km is not None
        own.submit(str(int(km[1]) // 2))

    built = report.Report(report.read(fresh_kernel), tz="UTC")
    tag = _tags(built)["multiply-not-divide"]
    assert (tag["questions"], tag["students"], tag["first_errors"]) == ("rate speed", 2, 3)
    assert (tag["corrected"], tag["returned"], tag["still_open"]) == (1, 0, 1)
    open_ = dict(zip(built.students["student"], built.students["open_misconceptions"], strict=True))
    assert open_ == {"ana": "", "ben": "multiply-not-divide"}
    speed_row = built.questions[built.questions["question"] == "speed"].iloc[0]
    assert (speed_row["pretest_correct"], speed_row["posttest_correct"]) == (0.0, 0.0)
    assert speed_row["pretest_errors_fixed"] == 0 and speed_row["first_try_correct"] == 0.5
    variants = built.variants
    assert len(variants) == 2 and set(variants["question"]) == {"trip"}
    assert list(variants["students"]) == [1, 1] and list(variants["first_try_correct"]) == [1, 1]
