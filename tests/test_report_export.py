"""CSV exports: a spreadsheet shows what students typed and never runs it."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from guessfirst.teacher.report.export import RosterWarning, read_roster, write_csvs, write_grades
from report_columns import QUESTION_COLUMNS, RETENTION_COLUMNS, STUDENT_COLUMNS, WRONG_COLUMNS

PAYLOADS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1", "\r=1"]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _tables(payload: str = "q1") -> dict[str, pd.DataFrame]:
    questions = pd.DataFrame(
        [
            [
                payload,
                "0123456789ab",
                "numeric",
                3,
                1 / 3,
                2 / 3,
                0.5,
                2.0,
                np.nan,
                f"{payload} ×2 [{payload}]",
                1,
                2,
                1,
                4,
                1,
                0,
                3,
                2 / 3,
                1,
                0,
                "productive",
                0.25,
                0.75,
                2 / 3,
                2,
            ],
        ],
        columns=QUESTION_COLUMNS,
    ).astype({"attempted": "Int64", "corrected": "Float64", "hypercorrection": "Float64"})
    students = pd.DataFrame(
        [[payload, 1, 0, 1, 1, 0, 2, 1, 0, np.nan, 0, 0, f"{payload} {payload}"]],
        columns=STUDENT_COLUMNS,
    )
    wrong = pd.DataFrame(
        [
            [payload, "0123456789ab", payload, 2, 3, payload, payload],
            ["q1", "v", "-5", 1, 1, None, "-5"],
        ],
        columns=WRONG_COLUMNS,
    )  # fmt: skip
    retention = pd.DataFrame(
        [[payload, 4, 0.5, 2, 2, 0.5, 1, 1, "productive"]], columns=RETENTION_COLUMNS
    )
    return {"questions": questions, "students": students, "wrong": wrong, "retention": retention}


def test_four_files_with_the_contract_columns_in_excel_friendly_utf8(tmp_path: Path) -> None:
    paths = write_csvs(tmp_path / "out", **_tables())
    names = ["questions.csv", "students.csv", "wrong_answers.csv", "retention.csv"]
    assert [p.name for p in paths] == names
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfquestion,") and b"\r\n" in raw
    assert _read(paths[0])[0] == QUESTION_COLUMNS
    assert _read(paths[1])[0] == STUDENT_COLUMNS
    assert _read(paths[2])[0] == WRONG_COLUMNS
    assert _read(paths[3])[0] == RETENTION_COLUMNS


def test_shares_are_fractions_counts_are_integers_and_undefined_is_empty(tmp_path: Path) -> None:
    questions = _read(write_csvs(tmp_path, **_tables())[0])
    row = dict(zip(questions[0], questions[1], strict=True))
    assert row["attempted"] == "3"
    assert float(row["first_try_correct"]) == pytest.approx(1 / 3, abs=1e-12)
    assert float(row["first_try_error"]) == pytest.approx(2 / 3, abs=1e-12)
    assert row["corrected"] == "0.5"
    assert row["attempts_to_correct"] == "2.0"
    assert row["hypercorrection"] == ""
    assert row["students_shown"] == "4"
    assert (row["reviewed"], row["return_errors"], row["returned_same"]) == ("3", "1", "0")
    assert float(row["delayed_retention"]) == pytest.approx(2 / 3, abs=1e-12)
    assert row["review_flag"] == "productive"
    students = _read(write_csvs(tmp_path, **_tables())[1])
    student = dict(zip(students[0], students[1], strict=True))
    assert (student["reviewed"], student["delayed_retention"]) == ("0", "")  # never reviewed


@pytest.mark.parametrize("payload", PAYLOADS)
def test_student_text_that_looks_like_a_formula_is_defused(tmp_path: Path, payload: str) -> None:
    files = write_csvs(tmp_path, **_tables(payload))
    questions, students, wrong, retention = (_read(p) for p in files)
    defused = "'" + payload.replace("\r", "\\r")  # a carriage return is shown, not obeyed
    assert questions[1][0] == defused
    assert questions[1][9].startswith(defused)
    assert students[1][0] == defused
    assert wrong[1][0] == wrong[1][2] == wrong[1][5] == wrong[1][6] == defused
    assert wrong[1][3:5] == ["2", "3"]
    assert retention[1][0] == defused


def test_terminal_escapes_in_student_text_are_shown_not_obeyed(tmp_path: Path) -> None:
    sneaky = "ana\x1b[31m\u202egpj.exe\rbob"
    students = _read(write_csvs(tmp_path, **_tables(sneaky))[1])
    assert students[1][0] == "ana\\x1b[31m\\u202egpj.exe\\rbob"


def test_numbers_stay_numbers_even_negative_ones(tmp_path: Path) -> None:
    wrong = _read(write_csvs(tmp_path, **_tables())[2])
    assert wrong[2][2] == wrong[2][6] == "-5"  # a wrong answer that is just a number
    grades = pd.DataFrame({"student": ["ana"], "q1": [-1], "total": [-1]})
    assert _read(write_grades(tmp_path / "g.csv", grades))[1] == ["ana", "-1", "-1"]


def test_plain_grades_have_student_questions_and_total(tmp_path: Path) -> None:
    grades = pd.DataFrame(
        {"student": ["ana", "@ben"], "q1": [1, 0], "=q2": [1, 1], "total": [2, 1]}
    )
    rows = _read(write_grades(tmp_path / "grades.csv", grades))
    assert rows == [
        ["student", "q1", "'=q2", "total"],
        ["ana", "1", "1", "2"],
        ["'@ben", "0", "1", "1"],
    ]


def _roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_roster_gives_canvas_identity_columns_in_roster_order(tmp_path: Path) -> None:
    grades = pd.DataFrame({"student": ["ana", "ben"], "q1": [1, 0], "total": [1, 0]})
    roster = _roster(
        tmp_path,
        "student,name,lms_id,sis_id,email,section\n"
        "ben,Ben Ode,102,S-2,ben@school.example,Period 2\n"
        "ana,Ana Lee,101,S-1,ana@school.example,Period 1\n"
        "cy,Cy Ray,103,S-3,cy@school.example,Period 1\n",
    )
    rows = _read(write_grades(tmp_path / "canvas.csv", grades, roster=roster))
    assert rows == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "q1", "total"],
        ["Ben Ode", "102", "S-2", "ben@school.example", "Period 2", "0", "0"],
        ["Ana Lee", "101", "S-1", "ana@school.example", "Period 1", "1", "1"],
        ["Cy Ray", "103", "S-3", "cy@school.example", "Period 1", "0", "0"],
    ]


def test_the_hubs_share_and_the_flags_stay_notes_after_the_points(tmp_path: Path) -> None:
    """A share of 0.5 is not half a point: it stays as it is, last, blank where unknown."""
    grades = pd.DataFrame(
        {
            "student": ["ana", "ben"],
            "q1": [1, 0],
            "total": [1, 0],
            "hub_confirmed": [0.5, np.nan],
            "flags": ["unconfirmed", ""],
        }
    )
    roster = _roster(tmp_path, "student,name,lms_id\nana,Ana Lee,101\nben,Ben Ode,102\n")
    rows = _read(write_grades(tmp_path / "canvas.csv", grades, roster=roster))
    assert rows[0][-4:] == ["q1", "total", "hub_confirmed", "flags"]
    assert [row[-4:] for row in rows[1:]] == [["1", "1", "0.5", "unconfirmed"], ["0", "0", "", ""]]


def test_students_missing_from_the_roster_are_kept_and_reported(tmp_path: Path) -> None:
    grades = pd.DataFrame({"student": ["ana", "=zed"], "q1": [1, 1], "total": [1, 1]})
    roster = _roster(tmp_path, "\ufeffStudent,LMS_ID\nana,101\n")
    with pytest.warns(RosterWarning, match=r"1 student\(s\).*'=zed'"):
        rows = _read(write_grades(tmp_path / "g.csv", grades, roster=roster))
    assert rows[1] == ["ana", "101", "", "", "", "1", "1"]
    assert rows[2] == ["'=zed", "", "", "", "", "1", "1"]


def test_roster_cells_are_defused_too(tmp_path: Path) -> None:
    grades = pd.DataFrame({"student": ["ana"], "q1": [1], "total": [1]})
    roster = _roster(tmp_path, 'student,name\nana,"=HYPERLINK(""http://x"")"\n')
    rows = _read(write_grades(tmp_path / "g.csv", grades, roster=roster))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,lms_id\nAna,1\n", "no 'student' column"),
        ("student,lms_id\nana,1\nana,2\n", "twice: ana"),
        ("student,lms_id\n,1\n", "no student id on line 2"),
    ],
)
def test_a_roster_that_cannot_be_matched_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        read_roster(_roster(tmp_path, text))
