"""The report and grades read a collection's flags: forged or cut lines earn nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from guessfirst.log import eventlog
from guessfirst.teacher import cli, collect, report


def attempt(student: str, question: str, number: int, correct: bool) -> dict:
    return eventlog.make_event(
        "attempt",
        student=student,
        session="s",
        notebook="lesson.ipynb",
        question=question,
        qversion="0123456789ab",
        attempt=number,
        response="80" if correct else "180",
        correct=correct,
        confidence=None,
        latency_ms=1000,
        misconception=None,
    )


@pytest.fixture
def collected(tmp_path: Path) -> Path:
    """Two collections of a hub's homes: between them, ana forged a log in bob's name in her
    own home, and bob cut the end off his own log."""
    homes, out = tmp_path / "home", tmp_path / "collected"
    ana = homes / "ana" / "lesson" / "guessfirst-logs" / "ana.jsonl"
    bob = homes / "bob" / "lesson" / "guessfirst-logs" / "bob.jsonl"
    eventlog.append_events(ana, [attempt("ana", "speed", 1, True), attempt("ana", "half", 1, True)])
    eventlog.append_events(
        bob,
        [
            attempt("bob", "speed", 1, False),
            attempt("bob", "half", 1, False),
            attempt("bob", "half", 2, False),
        ],
    )
    collect.collect(into=out, homes=[homes])
    forged = homes / "ana" / "lesson" / "guessfirst-logs" / "bob.jsonl"
    eventlog.append_events(
        forged, [attempt("bob", "speed", 2, True), attempt("bob", "half", 3, True)]
    )
    bob.write_bytes(b"".join(bob.read_bytes().splitlines(keepends=True)[:2]))
    collect.collect(into=out, homes=[homes])
    return out


def test_flagged_copies_earn_no_grade_unless_the_teacher_asks(collected):
    logs = report.read(collected)
    kinds = set(logs.flags["kind"])
    assert {"owner-mismatch", "shortened"} <= kinds
    corrected = report.grades(logs, "corrected").set_index("student")
    assert corrected.loc["bob", "total"] == 0  # the forged right answers do not count
    assert corrected.loc["ana", "total"] == 2
    assert "owner-mismatch" in corrected.loc["bob", "flags"]
    assert corrected.attrs["left_out"] >= 1
    counted = report.grades(logs, "corrected", include_flagged=True).set_index("student")
    assert counted.loc["bob", "total"] == 2
    participation = report.grades(logs, "participation").set_index("student")
    assert participation.loc["bob", "total"] == 2  # the collected lines still count
    logs.close()


def test_the_report_lists_the_flags_and_marks_the_students(collected, tmp_path, capsys):
    page = tmp_path / "report.html"
    assert cli.main(["report", str(collected), "-o", str(page)]) == 0
    said = capsys.readouterr().out
    assert "The collection ledger flags" in said and "bob" in said
    html = page.read_text(encoding="utf-8")
    assert "Flagged by the collection ledger" in html
    assert "owner-mismatch" in html and "shortened" in html
    assert "left out" in html


def test_grades_say_what_was_left_out_and_carry_the_flags(collected, tmp_path, capsys):
    out = tmp_path / "grades.csv"
    assert cli.main(["grades", str(collected), "--policy", "corrected", "-o", str(out)]) == 0
    assert "left out of the grades" in capsys.readouterr().out
    rows = {row["student"]: row for row in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert rows["bob"]["total"] == "0" and "owner-mismatch" in rows["bob"]["flags"]
    assert rows["ana"]["total"] == "2"
    again = tmp_path / "all.csv"
    cli.main(
        ["grades", str(collected), "--policy", "corrected", "--include-flagged", "-o", str(again)]
    )
    rows = {row["student"]: row for row in csv.DictReader(again.open(encoding="utf-8-sig"))}
    assert rows["bob"]["total"] == "2"


def test_logs_outside_a_collection_have_no_flags(tmp_path):
    log = tmp_path / "logs" / "ana.jsonl"
    eventlog.append_events(log, [attempt("ana", "speed", 1, True)])
    logs = report.read(tmp_path / "logs")
    assert logs.flags.empty
    assert "flags" not in report.grades(logs).columns
