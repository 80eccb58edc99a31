"""The HTML report: the numbers a teacher reads, and nothing a student typed ever runs."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from guessfirst.teacher.report.html import PROBLEM_ROWS, render_report
from report_columns import (
    EVENT_COLUMNS,
    FILE_COLUMNS,
    PROBLEM_COLUMNS,
    QUESTION_COLUMNS,
    RETENTION_COLUMNS,
    STUDENT_COLUMNS,
    WRONG_COLUMNS,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</title><script>",
    "'><svg onload=alert(1)>",
]
# Every element the report is allowed to contain; anything else came from a log.
TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "section", "h1", "h2",
    "h3", "p", "ul", "li", "b", "strong", "em", "a", "abbr", "span", "code", "figure",
    "figcaption", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
    "svg", "g", "desc", "text", "rect", "line",
}  # fmt: skip
CLASS = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def _events(rows: list[dict]) -> pd.DataFrame:
    """Events as the engine hands them over: every contract column, nullable types."""
    frame = pd.DataFrame(
        [
            {"v": 1, "ts": CLASS + pd.Timedelta(minutes=i), "notebook": "fractions.ipynb", **row}
            for i, row in enumerate(rows)
        ],
        columns=EVENT_COLUMNS,
    )
    return frame.astype(
        {
            "attempt": "Int64",
            "correct": "boolean",
            "confidence": "Float64",
            "n": "Int64",
            "review": "boolean",
        }
    )


def _attempt(student: str, question: str, attempt: int, correct: bool, confidence, **more):
    return {
        "type": "attempt",
        "student": student,
        "question": question,
        "qversion": more.pop("qversion", "v1"),
        "attempt": attempt,
        "correct": correct,
        "confidence": confidence,
        **more,
    }


def _frame(columns: list[str], rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _class() -> dict:
    """A small class: four students, two questions, one edited log."""
    events = _events(
        [
            _attempt("ana", "q1", 1, False, 1.0, response="180", misconception="multiplied"),
            _attempt("ana", "q1", 2, True, 1.0, response="15"),
            _attempt("ben", "q1", 1, True, 2 / 3, response="15"),
            _attempt("cy", "q1", 1, False, 0.0, response="180", misconception="multiplied"),
            _attempt("dee", "q1", 1, False, None, response="90"),
            _attempt("dee", "q1", 2, False, None, response="91"),
            _attempt("dee", "q1", 3, True, None, response="15"),
            # Out of file order: attempt 1 is the correct one, so this is not a Certain error.
            _attempt("ana", "q2", 2, False, 1.0, response="x"),
            _attempt("ana", "q2", 1, True, 1 / 3, response="y"),
            _attempt("ben", "q2", 1, True, 0.6, response="y"),
            {"type": "reflection", "student": "cy", "question": "q1", "qversion": "v1"},
        ]
    )
    questions = _frame(
        QUESTION_COLUMNS,
        [
            {
                "question": "q1", "qversion": "v1", "kind": "numeric", "attempted": 4,
                "first_try_correct": 0.25, "first_try_error": 0.75, "corrected": 2 / 3,
                "attempts_to_correct": 2.5, "hypercorrection": np.nan,
                "top_wrong": "180 ×2 [multiplied]; 90 ×1", "reflections": 1, "first_errors": 3,
                "high_confidence_errors": 1, "students_shown": 5, "students_hinted": 1,
                "students_reviewing": 0, "reviewed": 3, "delayed_retention": 1 / 3,
                "return_errors": 1, "returned_same": 1, "review_flag": "reteach",
            },
            {
                "question": "q2", "qversion": "v1", "kind": "text", "attempted": 2,
                "first_try_correct": 1.0, "first_try_error": 0.0, "corrected": np.nan,
                "attempts_to_correct": np.nan, "hypercorrection": np.nan, "top_wrong": "",
                "reflections": 0, "first_errors": 0, "high_confidence_errors": 0,
                "students_shown": 2, "students_hinted": 0, "students_reviewing": 0, "reviewed": 0,
                "delayed_retention": np.nan, "return_errors": 0, "returned_same": 0,
                "review_flag": None,
            },
        ],
    )  # fmt: skip
    students = _frame(
        STUDENT_COLUMNS,
        [
            {"student": "ana", "attempted": 2, "first_try_correct": 1, "first_try_errors": 1,
             "corrected": 1, "not_corrected": 0, "reflections": 0, "hints": 2, "reviewed": 1,
             "delayed_retention": 0.0, "return_errors": 1, "returned_same": 1},
            {"student": "ben", "attempted": 2, "first_try_correct": 2, "first_try_errors": 0,
             "corrected": 0, "not_corrected": 0, "reflections": 0, "hints": 0, "reviewed": 0,
             "delayed_retention": np.nan, "return_errors": 0, "returned_same": 0},
            {"student": "cy", "attempted": 1, "first_try_correct": 0, "first_try_errors": 1,
             "corrected": 0, "not_corrected": 1, "reflections": 1, "hints": 0, "reviewed": 1,
             "delayed_retention": 0.0, "return_errors": 0, "returned_same": 0},
            {"student": "dee", "attempted": 1, "first_try_correct": 0, "first_try_errors": 1,
             "corrected": 1, "not_corrected": 0, "reflections": 0, "hints": 1, "reviewed": 1,
             "delayed_retention": 1.0, "return_errors": 0, "returned_same": 0},
        ],
    )  # fmt: skip
    retention = _frame(
        RETENTION_COLUMNS,
        [
            {"question": "q1", "attempted": 4, "first_try_error": 0.75, "first_errors": 3,
             "reviewed": 3, "delayed_retention": 1 / 3, "return_errors": 1, "returned_same": 1,
             "review_flag": "reteach"},
            {"question": "q2", "attempted": 2, "first_try_error": 0.0, "first_errors": 0,
             "reviewed": 0, "delayed_retention": np.nan, "return_errors": 0, "returned_same": 0,
             "review_flag": None},
        ],
    )  # fmt: skip
    wrong = _frame(
        WRONG_COLUMNS,
        [
            {"question": "q1", "qversion": "v1", "answer": "180", "students": 2, "attempts": 2,
             "misconception": "multiplied", "example": "180"},
            {"question": "q1", "qversion": "v1", "answer": "90", "students": 1, "attempts": 1,
             "misconception": None, "example": "90"},
        ],
    )  # fmt: skip
    problems = _frame(
        PROBLEM_COLUMNS,
        [
            {"file": "logs/cy.jsonl", "line": 3, "kind": "edited-or-reordered",
             "detail": "line 2 was edited"},
            {"file": "logs/dee.jsonl", "line": 7, "kind": "not-json",
             "detail": "not valid JSON"},
        ],
    )  # fmt: skip
    files = _frame(
        FILE_COLUMNS,
        [
            {"file": f"logs/{s}.jsonl", "students": s, "lines": 3, "events": 3,
             "duplicates": 0, "problems": int(s in ("cy", "dee")), "intact": s not in ("cy", "dee")}
            for s in ("ana", "ben", "cy", "dee")
        ],
    )  # fmt: skip
    intact = pd.Series({"ana": True, "ben": True, "cy": False, "dee": False})
    return {
        "questions": questions,
        "students": students,
        "wrong": wrong,
        "retention": retention,
        "problems": problems,
        "files": files,
        "intact": intact,
        "events": events,
        "zone": "Asia/Hong_Kong",
    }


class _Page(HTMLParser):
    """The parsed document: elements, attributes, text, and tables by section."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.ids: dict[str, str] = {}
        self.text: list[str] = []
        self.tables: dict[str, list[list[list[str]]]] = {}
        self._section = ""
        self._cell: list[str] | None = None
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]
        found = dict(attrs)
        if found.get("id"):
            self.ids[found["id"]] = tag
        if tag == "h2":
            self._section = found.get("id") or ""
        elif tag == "table":
            self.tables.setdefault(self._section, []).append([])
        elif tag == "tr":
            self.tables[self._section][-1].append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.tables[self._section][-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def rows(self, section: str, table: int = 0) -> dict[str, list[str]]:
        """A table's body rows keyed by their first cell."""
        return {row[0]: row[1:] for row in self.tables[section][table][1:]}


def _render(**changes: object) -> tuple[str, _Page]:
    document = render_report(**{**_class(), **changes}, generated=CLASS)
    return document, _Page(document)


def test_summary_counts_students_questions_events_and_problems() -> None:
    _, page = _render()
    text = "".join(page.text)
    for count, label in [
        (4, "students"),
        (2, "questions"),
        (11, "events"),
        (4, "log files"),
        (1, "bad lines skipped"),
        (1, "chain breaks"),
        (2, "logs failing verification"),
    ]:
        assert f"{count} {label}" in text
    assert "Logs failing verification: 2" in text
    assert "cy, dee" in text
    assert "fractions.ipynb" in text


def test_question_table_shows_the_per_question_numbers_errors_first() -> None:
    _, page = _render()
    table = page.tables["questions"][0]
    assert [row[0] for row in table[1:]] == ["q1", "q2"]
    q1, q2 = page.rows("questions")["q1"], page.rows("questions")["q2"]
    # kind, attempted, shown, first try correct, first-try error, corrected, attempts to
    # correct, hypercorrection, confident errors, reflections, students who opened a hint,
    # students in reviews, reviewed, delayed retention, return errors, same error back, verdict
    assert q1 == [
        "numeric", "4", "5", "25%", "75%", "67%", "2.5", "—", "1", "1", "1", "0",
        "3", "33%", "1", "1", "reteach",
    ]  # fmt: skip
    assert q2 == [
        "text", "2", "2", "100%", "0%", "—", "—", "—", "0", "0", "0", "0",
        "0", "—", "0", "0", "—",
    ]  # fmt: skip


def test_question_chart_draws_both_bars_to_scale_with_their_labels() -> None:
    document, _ = _render()
    chart = document[document.index('aria-labelledby="qchart-t') :].split("</svg>")[0]
    grid = [float(x) for x in re.findall(r'<line class="grid" x1="([\d.]+)"', chart)]
    full = grid[-1] - grid[0]
    bars = re.findall(r'<rect class="(err|fix)"[^>]* width="([\d.]+)"', chart)
    # q1: 75% wrong first, 67% of those corrected; q2: nobody wrong, so no corrected bar.
    assert [kind for kind, _ in bars] == ["err", "fix", "err"]
    shares = [float(width) / full for _, width in bars]
    assert shares == pytest.approx([0.75, 2 / 3, 0.0], abs=1e-3)
    assert ">75%<" in chart and ">67%<" in chart and "no first errors" in chart
    assert "4 attempted" in chart


def test_a_question_nobody_attempted_is_not_drawn_as_wrong_first() -> None:
    questions = _class()["questions"]
    unseen = questions.iloc[[1]].assign(
        question="q3", attempted=0, students_shown=3, first_try_correct=np.nan,
        first_try_error=np.nan, corrected=np.nan, first_errors=0,
    )  # fmt: skip
    document, page = _render(questions=pd.concat([questions, unseen], ignore_index=True))
    chart = document[document.index('aria-labelledby="qchart-t') :].split("</svg>")[0]
    q3 = chart[chart.index("<g><title>q3") :].split("</g>")[0]
    assert "not attempted yet" in q3
    assert "wrong" not in q3 and "no first errors" not in q3 and "<rect" not in q3
    assert "q3: not attempted yet" in chart  # the description a screen reader reads
    assert "wrong first" not in chart
    assert page.rows("questions")["q3"][4] == "—"  # its first-try error, in the table


def test_a_changed_question_shows_each_version_on_its_own_row() -> None:
    questions = _class()["questions"]
    both = questions.assign(question="q1", qversion=["0123456789ab", "ba9876543210"])
    document, page = _render(questions=both)
    assert list(page.rows("questions")) == ["q1 version 0123456789ab", "q1 version ba9876543210"]
    assert ">q1 v0123<" in document and ">q1 vba98<" in document
    assert "1 question(s) changed" in "".join(page.text)


def test_confidence_table_counts_first_attempts_by_the_smallest_attempt_number() -> None:
    _, page = _render()
    rows = page.rows("confidence")
    # first attempts, right, wrong, later corrected, still open, corrected share
    assert rows["Just guessing"] == ["1", "0", "1", "0", "1", "0%"]
    assert rows["Unsure"] == ["1", "1", "0", "0", "0", "—"]
    assert rows["Fairly sure"] == ["2", "2", "0", "0", "0", "—"]
    assert rows["Certain"] == ["1", "0", "1", "1", "0", "100%"]
    assert rows["not given"] == ["1", "0", "1", "1", "0", "100%"]


def test_question_versions_are_counted_apart_in_the_confidence_table() -> None:
    events = _events(
        [
            _attempt("ana", "q1", 1, False, 1.0, qversion="old"),
            _attempt("ana", "q1", 1, True, 1.0, qversion="new"),
        ]
    )
    _, page = _render(events=events)
    assert page.rows("confidence")["Certain"] == ["2", "1", "1", "0", "1", "0%"]


def test_top_wrong_answers_list_counts_and_misconception_keys() -> None:
    _, page = _render()
    rows = page.rows("wrong")
    assert rows["180"] == ["2", "2", "multiplied", "180"]
    assert rows["90"] == ["1", "1", "—", "90"]


def test_student_table_shows_good_and_open_errors_and_marks_failed_logs() -> None:
    _, page = _render()
    rows = page.rows("students")
    # good errors, errors still open, reflections, hints, first try correct, attempted,
    # reviewed, delayed retention, return errors, same error back
    assert rows["ana"] == ["1", "0", "0", "2", "1", "2", "1", "0%", "1", "1"]
    assert rows["ben"][6:] == ["0", "—", "0", "0"]
    assert rows["cy log failed verification"] == ["0", "1", "1", "0", "0", "1", "1", "0%", "0", "0"]
    assert rows["dee log failed verification"] == [
        "1",
        "0",
        "0",
        "1",
        "0",
        "1",
        "1",
        "100%",
        "0",
        "0",
    ]
    assert "ben" in rows


def test_problems_list_file_and_line_and_cap_the_rest() -> None:
    _, page = _render()
    rows = page.tables["problems"][0][1:]
    assert ["logs/cy.jsonl", "3", "edited-or-reordered", "line 2 was edited"] in rows
    many = _frame(
        PROBLEM_COLUMNS,
        [{"file": "a.jsonl", "line": i, "kind": "not-json", "detail": "x"} for i in range(250)],
    )
    _, page = _render(problems=many)
    assert len(page.tables["problems"][0]) - 1 == PROBLEM_ROWS
    assert "…and 50 more" in " ".join(page.text)


def test_every_metric_heading_carries_its_definition() -> None:
    _, page = _render()
    titled = [value for tag, name, value in page.attrs if tag == "abbr" and name == "title"]
    assert any(value and "smallest number" in value for value in titled)
    assert any(value and "confidence ≥ 0.75" in value for value in titled)
    glossary = "".join(page.text).split("Definitions")[-1]
    assert "first_try_error" in glossary and "Median attempt number" in glossary


def test_charts_are_named_and_described_for_screen_readers() -> None:
    _, page = _render()
    labelled = [
        value for tag, name, value in page.attrs if tag == "svg" and name == "aria-labelledby"
    ]
    roles = [value for tag, name, value in page.attrs if tag == "svg" and name == "role"]
    assert len(labelled) == 2 and roles == ["img", "img"]
    for value in labelled:
        title, desc = value.split()
        assert (page.ids[title], page.ids[desc]) == ("title", "desc")
    scopes = [value for tag, name, value in page.attrs if tag == "th" and name == "scope"]
    assert scopes.count("col") and scopes.count("row")


def test_the_document_references_nothing_outside_itself() -> None:
    document, page = _render()
    assert not re.search(r"https?://|//[a-z]", document, re.IGNORECASE)
    assert "url(" not in document and "@import" not in document
    assert not [a for a in page.attrs if a[1] in ("src", "srcset", "action", "xlink:href")]
    hrefs = [value for _tag, name, value in page.attrs if name == "href"]
    assert hrefs and all(value.startswith("#") for value in hrefs)
    assert "script" not in page.tags and "link" not in page.tags


def test_an_empty_class_still_renders() -> None:
    empty = {
        "questions": _frame(QUESTION_COLUMNS, []),
        "students": _frame(STUDENT_COLUMNS, []),
        "wrong": _frame(WRONG_COLUMNS, []),
        "retention": _frame(RETENTION_COLUMNS, []),
        "problems": _frame(PROBLEM_COLUMNS, []),
        "files": _frame(FILE_COLUMNS, []),
        "intact": pd.Series(dtype=bool),
        "events": _events([]),
    }
    _, page = _render(**empty)
    text = " ".join(page.text)
    assert "No attempts yet." in text and "No students yet." in text
    assert "No first-try error has been reviewed at least 1 calendar day later yet." in text
    assert "0 students" in "".join(page.text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_student_text_is_shown_as_text_and_never_runs(payload: str) -> None:
    mine = _class()
    mine["events"] = _events(
        [
            _attempt(payload, payload, 1, False, 1.0, qversion=payload, notebook=payload),
            _attempt(payload, payload, 2, True, 1.0, qversion=payload, notebook=payload),
        ]
    )
    mine["questions"] = pd.concat(
        [
            mine["questions"],
            mine["questions"].head(1).assign(question=payload, qversion=payload, kind=payload),
            mine["questions"].head(1).assign(question=payload, qversion="v2"),
        ],
        ignore_index=True,
    )
    mine["students"] = mine["students"].assign(student=[payload, "ben", "cy", "dee"])
    mine["retention"] = mine["retention"].assign(question=[payload, "q2"])
    mine["intact"] = pd.Series({payload: False, "ben": True})
    mine["wrong"] = mine["wrong"].assign(
        question=payload, qversion=payload, answer=payload, misconception=payload, example=payload
    )
    mine["problems"] = mine["problems"].assign(file=payload, kind=payload, detail=payload)
    mine["files"] = mine["files"].assign(file=payload, students=payload)
    document = render_report(**mine, title=payload, generated=CLASS)
    page = _Page(document)

    assert set(page.tags) <= TAGS
    assert not [name for _tag, name, _value in page.attrs if name.startswith("on")]
    for _tag, name, value in page.attrs:
        assert "javascript:" not in (value or "").lower().replace(" ", ""), name
    text = "".join(page.text)
    assert text.count(payload) >= 10  # ids, answers, keys, files, details, notebooks, title
    if set(payload) & set("<>\"'&"):
        assert payload not in document


def test_a_generated_time_is_shown_in_utc() -> None:
    local = datetime(2026, 11, 27, 11, 30, tzinfo=timezone(pd.Timedelta(hours=1)))
    document = render_report(**_class(), generated=local)
    assert "Generated 2026-11-27 10:30 UTC." in document
