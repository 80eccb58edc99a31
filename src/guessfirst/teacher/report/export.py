"""CSV files for spreadsheets and gradebooks, safe to open in Excel or LibreOffice.

Every file is UTF-8 with a byte-order mark and CRLF line ends. Excel reads a CSV without
the mark in the local legacy code page, which garbles accented names; LibreOffice,
Moodle's grade import and Python's ``utf-8-sig`` skip the mark, and Canvas finds its
header cells by substring, so the mark costs nothing there.

Text in these files (ids, answers, misconception keys) was typed by students. A cell that
starts like a formula is prefixed with ``'`` so a spreadsheet shows it instead of running
it; numbers computed here are written as plain numbers.
"""

from __future__ import annotations

import csv
import numbers
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ._catalogue import TABLES, columns, table

ENCODING = "utf-8-sig"
CSV_NAMES = tuple(
    TABLES[name]
    for name in (
        "questions",
        "students",
        "wrong_answers",
        "retention",
        "misconceptions",
        "variants",
    )
)
# The identity columns Canvas's gradebook import expects before the assignment columns;
# Moodle's import lets the teacher map any of them to a user field.
LMS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
ROSTER_COLUMNS = {
    "name": "Student",
    "lms_id": "ID",
    "sis_id": "SIS User ID",
    "login_id": "SIS Login ID",
    "section": "Section",
}
_ALIASES = {"email": "login_id"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Terminal escapes, carriage returns and direction overrides: a teacher may `cat` a CSV, and
# a student id must not recolour or rewrite the screen. Shown as visible escapes instead.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Text that is just a number stays as it is: a spreadsheet reads it as that number, never
# as a formula, so a wrong answer "-5" is not shown as "'-5".
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NAMED = 20


class RosterWarning(UserWarning):
    """Students whose logs are graded but whom the roster does not list."""


def write_csvs(
    folder: Path,
    *,
    questions: pd.DataFrame,
    students: pd.DataFrame,
    wrong: pd.DataFrame,
    retention: pd.DataFrame,
    misconceptions: pd.DataFrame | None = None,
    variants: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``questions.csv``, ``students.csv``, ``wrong_answers.csv``,
    ``retention.csv`` (spaced review, per question id), and when given
    ``misconceptions.csv`` (per tag) and ``variants.csv`` into ``folder``.

    Columns are named and ordered as the catalogue of metrics has them (see
    :mod:`._catalogue` and docs/EVENTS.md); shares stay fractions between 0 and 1, and an
    undefined value is an empty cell.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    tables = {"questions": questions, "students": students}
    tables |= {"wrong_answers": wrong, "retention": retention}
    if misconceptions is not None:
        tables["misconceptions"] = misconceptions
    if variants is not None:
        tables["variants"] = variants
    for name, frame in tables.items():
        # The catalogue's columns in its order, then any other column the frame has.
        header = columns(name, frame.columns)
        header += [column for column in frame.columns if column not in header]
        rows = frame[header].itertuples(index=False)
        paths.append(_write(folder / TABLES[name], header, rows))
    return paths


def write_grades(path: Path, grades: pd.DataFrame, *, roster: Path | None = None) -> Path:
    """Write the grades CSV: ``student``, one column per question, ``total``.

    With a ``roster`` the file is laid out for an LMS gradebook import instead: the
    identity columns of LMS_COLUMNS, then the questions and ``total``, one row per roster
    student in roster order (0 points for a student with no log). Students with logs but
    missing from the roster are kept at the end, with a RosterWarning naming them.
    """
    path = Path(path)
    if roster is None:
        return _write(path, grades.columns, grades.itertuples(index=False))
    people = read_roster(roster)
    points = [column for column in grades.columns if column not in ("student", *_NOTES)]
    listed = set(people["student"])
    unlisted = [s for s in grades["student"].astype(str) if s not in listed]
    if unlisted:
        names = ", ".join(repr(s) for s in unlisted[:_NAMED])
        more = f" and {len(unlisted) - _NAMED} more" if len(unlisted) > _NAMED else ""
        warnings.warn(
            RosterWarning(
                f"{len(unlisted)} student(s) with logs are not in the roster {roster}: "
                f"{names}{more}. They are kept at the end of the file, but no LMS id "
                "identifies them."
            ),
            stacklevel=2,
        )
        people = pd.concat([people, pd.DataFrame({"student": unlisted})], ignore_index=True)
    scores = grades.assign(student=grades["student"].astype(str))
    table = people.merge(scores, on="student", how="left", sort=False)
    table[points] = table[points].fillna(0).astype(int)
    table["Student"] = table["Student"].where(table["Student"].fillna("") != "", table["student"])
    # The hub's share and the ledger's flags, where there are any, come last: notes for the
    # teacher, not points.
    notes = [column for column in _NOTES if column in grades.columns]
    columns = [*LMS_COLUMNS, *points, *notes]
    for column in notes:
        table[column] = table[column].astype(object).where(table[column].notna(), "")
    return _write(path, columns, table[columns].itertuples(index=False))


#: Columns of the grades table that are notes beside the points.
_NOTES = tuple(metric.name for metric in table("grades") if metric.optional)


def read_roster(path: Path) -> pd.DataFrame:
    """The roster CSV as text columns ``student`` plus LMS_COLUMNS (empty when not given).

    A roster has a header row; ``student`` is the guessfirst id as in the logs, and any of
    ``name``, ``lms_id``, ``sis_id``, ``login_id`` (or ``email``) and ``section`` fill the
    LMS columns. Other columns are ignored. Raises ValueError for a roster that cannot be
    matched safely: no ``student`` column, a row without one, or a student listed twice.
    """
    with Path(path).open(encoding=ENCODING, newline="") as handle:
        reader = csv.DictReader(handle)
        fields = {name.strip().lower(): name for name in reader.fieldnames or []}
        if "student" not in fields:
            raise ValueError(f"the roster {path} has no 'student' column (its guessfirst ids)")
        rows = list(reader)
    records = []
    for number, row in enumerate(rows, start=2):
        student = (row[fields["student"]] or "").strip()
        if not student:
            raise ValueError(f"the roster {path} has no student id on line {number}")
        record = {"student": student, **dict.fromkeys(LMS_COLUMNS, "")}
        for field, original in fields.items():
            target = ROSTER_COLUMNS.get(_ALIASES.get(field, field))
            if target and not record[target]:
                record[target] = (row[original] or "").strip()
        records.append(record)
    people = pd.DataFrame(records, columns=["student", *LMS_COLUMNS], dtype=object)
    twice = sorted(set(people.loc[people["student"].duplicated(), "student"]))
    if twice:
        raise ValueError(f"the roster {path} lists these students twice: {', '.join(twice)}")
    return people


def _write(path: Path, header: Iterable[object], rows: Iterable[tuple]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_cell(name) for name in header)
        writer.writerows([_cell(value) for value in row] for row in rows)
    return path


def _cell(value: object) -> str:
    """A CSV cell: numbers as numbers, missing as empty, text defused against formulas."""
    if pd.isna(value):
        return ""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode(), text)
