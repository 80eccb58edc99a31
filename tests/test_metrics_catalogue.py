"""One catalogue of metrics: the engine's columns, the CSV headers, the page and the docs
all say what :mod:`guessfirst.teacher.report._catalogue` says, and nothing it does not."""

from __future__ import annotations

import csv
import html
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from guessfirst.log import eventlog
from guessfirst.teacher import report
from guessfirst.teacher.report import _catalogue
from guessfirst.teacher.report._catalogue import METRICS, POINTS, TABLES, columns, metric
from guessfirst.teacher.report.export import write_csvs

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
#: The columns each table of the page shows, with the catalogue's heading and definition.
SHOWN = {
    "questions": [
        "attempted", "students_shown", "first_try_correct", "first_try_error", "corrected",
        "attempts_to_correct", "hypercorrection", "high_confidence_errors", "reflections",
        "students_hinted", "students_reviewing", "reviewed", "delayed_retention",
        "return_errors", "returned_same", "review_flag",
    ],
    "students": [
        "corrected", "not_corrected", "reflections", "hints", "first_try_correct", "attempted",
        "reviewed", "delayed_retention", "return_errors", "returned_same",
    ],
    "wrong_answers": ["answer", "students", "attempts", "misconception", "example"],
    "retention": ["attempted", "first_try_error"],
}  # fmt: skip


def _event(student: str, type_: str, question: str, **fields: object) -> dict:
    common = {"session": f"s-{student}", "notebook": "lesson.ipynb", "qversion": "0123456789ab"}
    return eventlog.make_event(type_, student=student, question=question, **common, **fields)


def _attempt(student: str, question: str, number: int, answer: str, right: bool) -> dict:
    return _event(
        student,
        "attempt",
        question,
        attempt=number,
        response=answer,
        correct=right,
        confidence=1.0,
        latency_ms=900,
        misconception=None if right else "multiplied",
    )


@pytest.fixture
def built(tmp_path: Path) -> report.Report:
    """Two students, two questions: a wrong first try corrected after a hint, a reflection,
    and a review two days later that ana gets right and ben does not."""
    for student, remembered in (("ana", "80"), ("ben", "180")):
        lesson = [
            _event(student, "shown", "speed", kind="numeric"),
            _attempt(student, "speed", 1, "180", False),
            _event(student, "hint", "speed", n=1, attempt=1),
            _event(student, "reflection", "speed", text="I multiplied", attempt=1),
            _attempt(student, "speed", 2, "80", True),
            _event(student, "shown", "capital", kind="text"),
            _attempt(student, "capital", 1, "Canberra", True),
        ]
        review = _attempt(student, "speed", 3, remembered, remembered == "80")
        for minute, event in enumerate(lesson):
            event["ts"] = f"2026-11-27T10:{minute:02d}:00.000Z"
        review.update(ts="2026-11-29T10:00:00.000Z", review=True)
        eventlog.append_events(tmp_path / f"{student}.jsonl", [*lesson, review])
    return report.Report(report.read(tmp_path), tz="UTC")


def _frames(built: report.Report) -> dict[str, object]:
    return {
        "questions": built.questions,
        "students": built.students,
        "wrong_answers": built.wrong,
        "retention": built.retention,
        "misconceptions": built.misconceptions,
        "variants": built.variants,
    }


def test_every_column_the_engine_computes_is_in_the_catalogue_and_back(built):
    for name, frame in _frames(built).items():
        assert list(frame.columns) == columns(name), name
    assert built.questions.loc[built.questions["question"] == "speed", "corrected"].item() == 1
    assert built.retention["reviewed"].sum() == 2  # not an empty agreement: reviews count
    for policy in report.POLICIES:
        grades = report.grades(built.logs, policy)
        points = ["speed", "capital"]
        assert list(grades.columns) == ["student", *points, "total"]
        assert [c for c in columns("grades") if c != POINTS] == ["student", "total"]


def test_only_the_hub_and_the_ledger_add_columns(built):
    """A column the catalogue calls optional is one the hub service or a ledger adds."""
    optional = {(m.table, m.name) for m in METRICS if m.optional}
    assert optional == {
        ("students", "hub_confirmed"),
        ("grades", "hub_confirmed"),
        ("grades", "flags"),
    }
    assert columns("students", ["hub_confirmed"])[-1] == "hub_confirmed"
    assert "hub_confirmed" not in built.students.columns


def test_the_csv_headers_are_the_catalogues_in_its_order(built, tmp_path):
    written = write_csvs(
        tmp_path / "csv",
        questions=built.questions,
        students=built.students,
        wrong=built.wrong,
        retention=built.retention,
        misconceptions=built.misconceptions,
        variants=built.variants,
    )
    assert len(written) == len(TABLES) - 1  # every table but grades, which has its command
    for path in written:
        table = next(name for name, file in TABLES.items() if file == path.name)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            assert next(csv.reader(handle)) == columns(table), path.name


def test_the_page_heads_each_column_with_the_catalogues_words(built):
    page = built.html(generated=datetime(2026, 12, 1, tzinfo=timezone.utc))
    for table, names in SHOWN.items():
        for name in names:
            found = metric(table, name)
            heading = f'<abbr title="{html.escape(found.definition)}">{html.escape(found.label)}'
            assert heading in page, (table, name)
    # Shares are written as percentages, the verdict as a word.
    assert '<td class="n">100%</td>' in page


def test_a_metric_has_one_of_the_known_formats_and_a_definition():
    assert {m.format for m in METRICS} <= set(_catalogue.FORMATS)
    assert all(m.definition.endswith(".") and m.label for m in METRICS)
    names = [(m.table, m.name) for m in METRICS]
    assert len(names) == len(set(names)), "a column is defined twice in one table"


# -- the docs say the same ---------------------------------------------------------------


def _markdown_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text``, cell by cell."""
    lines = text[text.index("\n|") + 1 :].split("\n\n", 1)[0].splitlines()
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]]


def _section(page: Path, heading: str) -> str:
    return page.read_text(encoding="utf-8").split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def test_events_md_defines_every_column_as_the_catalogue_does():
    rows = _markdown_rows(_section(DOCS / "EVENTS.md", "## The report's tables"))
    expected = [
        [TABLES[m.table], f"`{m.name}`", m.label.replace("\u00ad", ""), m.definition]
        for m in METRICS
    ]
    assert rows == expected


def test_the_contracts_metrics_are_columns_of_the_questions_table():
    """The shared contract's per-question metrics keep their names in the report."""
    contract = _section(DOCS / "EVENTS.md", "## Metrics the teacher report computes")
    names = [re.sub(r"`", "", row[0]) for row in _markdown_rows(contract)]
    assert len(names) == 8
    assert set(names) <= set(columns("questions"))


def test_the_teachers_page_lists_the_csv_columns_of_the_catalogue():
    rows = _markdown_rows(_section(DOCS / "teacher.md", "## Spreadsheets: `--csv`"))
    listed = {row[0].strip("`"): re.findall(r"`(\w+)`", row[2]) for row in rows}
    assert set(listed) == {name for table, name in TABLES.items() if table != "grades"}
    for table, file in TABLES.items():
        if file in listed:
            assert listed[file] == [m.name for m in _catalogue.table(table)], file


def test_the_teachers_page_defines_the_review_columns_as_the_catalogue_does():
    rows = _markdown_rows(_section(DOCS / "teacher.md", "## Spaced review: did the errors last?"))
    names = ["reviewed", "delayed_retention", "return_errors", "returned_same", "review_flag"]
    expected = [
        [metric("questions", n).label, f"`{n}`", metric("questions", n).definition] for n in names
    ]
    assert rows == expected
