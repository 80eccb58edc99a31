"""The report's tables built with their shared parts kept once are the tables each metric
gives on its own, and the logs are left as they were read.

The class is tests/report_class.py's: pretests, misconceptions shared by two questions,
corrections and per-student variants, so every shared part has rows.
"""

from __future__ import annotations

import pandas as pd
import pytest

from guessfirst.teacher import report
from guessfirst.teacher.report._metrics import confidence_table
from guessfirst.teacher.report._misconceptions import misconception_table
from guessfirst.teacher.report._pretests import class_pretests
from report_class import write_class


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> report.Logs:
    folder = write_class(tmp_path_factory.mktemp("class"))
    return report.read([folder / "lesson1", folder / "lesson2"], cache=False)


def _tables(logs: report.Logs) -> list[str]:
    return sorted(logs.query("SELECT table_name FROM duckdb_tables()")["table_name"])


def test_each_table_is_what_its_metric_gives_alone(logs):
    before = _tables(logs)
    built = report.Report(logs, tz="UTC")
    alone = {
        "questions": report.per_question(logs.events, tz="UTC"),
        "students": report.per_student(logs.events, tz="UTC"),
        "wrong": report.wrong_answers(logs.events),
        "retention": report.retention(logs.events, tz="UTC"),
        "misconceptions": misconception_table(logs, "UTC"),
        "confidence": confidence_table(logs),
    }
    for name, table in alone.items():
        pd.testing.assert_frame_equal(getattr(built, name), table, obj=name)
    assert built.pretests == class_pretests(logs)
    assert built.pretests.pretests > 0  # the class has pretests: their pairs were shared
    assert _tables(logs) == before  # nothing kept for the report is left behind


def test_a_report_built_twice_from_the_same_logs_is_the_same(logs):
    first, second = report.Report(logs, tz="UTC"), report.Report(logs, tz="UTC")
    assert first.html(generated=pd.Timestamp("2026-12-01", tz="UTC").to_pydatetime()) == (
        second.html(generated=pd.Timestamp("2026-12-01", tz="UTC").to_pydatetime())
    )
