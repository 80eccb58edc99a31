"""Pretests in the teacher's report: the guess before the teaching set against the
post-test, and never counted as a first try, a wrong answer or a grade.

The class is tests/report_class.py's; every figure is worked out by hand from its story.
"""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from guessfirst.teacher import report
from guessfirst.teacher.report.export import write_csvs
from report_class import write_class


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> report.Report:
    folder = write_class(tmp_path_factory.mktemp("class"))
    return report.Report(report.read([folder / "lesson1", folder / "lesson2"]), tz="UTC")


def _row(table: pd.DataFrame, key: str, column: str = "question") -> dict[str, object]:
    [row] = table[table[column] == key].to_dict("records")
    return row


def test_each_pretest_column_is_as_worked_out_by_hand(built):
    speed = _row(built.questions, "speed")
    # Pretests: ana 180, ben 80, cy 180, dan 5, fay 80: two of five right.
    assert speed["pretest_correct"] == pytest.approx(2 / 5)
    # Post-tests: ana right, ben wrong, cy wrong, dan right (in Wednesday's lesson); fay
    # never practised, so she has none.
    assert speed["posttest_correct"] == pytest.approx(2 / 4)
    # Over the four with both: pre 1/4 (ben), post 2/4: (1/2 - 1/4) / (1 - 1/4) = 1/3.
    assert speed["pretest_gain"] == pytest.approx(1 / 3)
    # ana and dan guessed wrong and were right at the post-test.
    assert speed["pretest_errors_fixed"] == 2


def test_a_question_without_a_pretest_has_blank_pretest_columns(built):
    for question in ("rate", "area", "share"):
        row = _row(built.questions, question)
        for column in ("pretest_correct", "posttest_correct", "pretest_gain"):
            assert pd.isna(row[column]), (question, column)
        assert pd.isna(row["pretest_errors_fixed"]), question


def test_the_class_figures_pool_every_question(built):
    pooled = built.pretests
    assert (pooled.pretests, pooled.posttests) == (5, 4)
    assert pooled.pretest_correct == pytest.approx(2 / 5)
    assert pooled.posttest_correct == pytest.approx(1 / 2)
    assert pooled.pretest_gain == pytest.approx(1 / 3)
    assert pooled.pretest_errors_fixed == 2


def test_a_pretest_guess_is_never_a_first_try(built):
    speed = _row(built.questions, "speed")
    # First tries at practice: ana right, ben wrong, cy wrong, dan right, eve wrong. With
    # the pretests counted, ana, cy and dan would have a wrong first try and fay a right one.
    assert speed["attempted"] == 5
    assert speed["first_try_correct"] == pytest.approx(2 / 5)
    assert speed["first_errors"] == 3
    fay = _row(built.students, "fay", "student")
    assert (fay["attempted"], fay["first_try_correct"], fay["first_try_errors"]) == (0, 0, 0)


def test_a_pretest_guess_is_never_a_wrong_answer(built):
    # 180 was given in practice by ben, cy and eve; ana's and cy's pretest 180 and dan's
    # pretest 5 are not wrong answers.
    assert _row(built.questions, "speed")["top_wrong"] == "180 ×3 [mult]"
    speed = built.wrong[built.wrong["question"] == "speed"]
    assert list(speed["answer"]) == ["180"] and list(speed["students"]) == [3]


@pytest.mark.parametrize("policy", report.POLICIES)
def test_a_pretest_never_costs_a_grade_point(tmp_path: Path, built, policy: str):
    without = write_class(tmp_path / "without", pretests=False)
    expected = report.grades(report.read(without), policy)
    pd.testing.assert_frame_equal(report.grades(built.logs, policy), expected)


def test_grades_count_the_post_test_by_hand(built):
    first_try = report.grades(built.logs, "first-try").set_index("student")["speed"]
    # Right first tries in practice: ana and dan; fay's right pretest guess earns nothing.
    assert first_try.to_dict() == {"ana": 1, "ben": 0, "cy": 0, "dan": 1, "eve": 0, "fay": 0}
    corrected = report.grades(built.logs, "corrected").set_index("student")["speed"]
    assert corrected.to_dict() == {"ana": 1, "ben": 1, "cy": 0, "dan": 1, "eve": 1, "fay": 0}


def test_questions_csv_holds_the_pretest_columns(tmp_path: Path, built):
    [questions, *_] = write_csvs(
        tmp_path, questions=built.questions, students=built.students, wrong=built.wrong,
        retention=built.retention,
    )  # fmt: skip
    with questions.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["question"]: row for row in csv.DictReader(handle)}
    assert float(rows["speed"]["pretest_correct"]) == pytest.approx(0.4)
    assert float(rows["speed"]["pretest_gain"]) == pytest.approx(1 / 3)
    assert rows["speed"]["pretest_errors_fixed"] == "2"
    assert rows["rate"]["pretest_correct"] == rows["rate"]["pretest_errors_fixed"] == ""


def test_the_page_has_a_pretests_section_with_the_class_and_each_question(built):
    page = built.html(generated=datetime(2026, 11, 25, 12, tzinfo=timezone.utc))
    section = page.split('<h2 id="pretests">Pretests</h2>', 1)[1].split("</section>", 1)[0]
    assert "<li><b>5</b> pretest guesses</li>" in section
    assert "<li><b>0.33</b> pretest gain</li>" in section
    assert '<th scope="row">speed</th><td class="n">40%</td><td class="n">50%</td>' in section
    assert '<th scope="row">rate</th>' not in section


def test_without_a_pretest_the_page_has_no_pretests_section(tmp_path: Path):
    folder = write_class(tmp_path, pretests=False)
    assert 'id="pretests"' not in report.Report(report.read(folder), tz="UTC").html()


def test_the_teachers_page_defines_the_new_columns_as_the_catalogue_does():
    from guessfirst.teacher.report._catalogue import metric
    from test_metrics_catalogue import DOCS, _markdown_rows, _section

    text = _section(DOCS / "teacher.md", "## Pretests and misconceptions")
    tables = text.split("\n\n| in the report")
    pretest, misconceptions = (_markdown_rows("\n| in the report" + t) for t in tables[1:3])
    for table, rows in (("questions", pretest), ("misconceptions", misconceptions)):
        for label, name, definition in rows:
            found = metric(table, name.strip("`"))
            assert [label, definition] == [found.label, found.definition], name
    assert [row[1] for row in pretest] == [
        "`pretest_correct`", "`posttest_correct`", "`pretest_gain`", "`pretest_errors_fixed`",
    ]  # fmt: skip
    assert len(misconceptions) == 7
