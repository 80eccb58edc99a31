from __future__ import annotations

import json
import math
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import context, eventlog
from guessfirst.teacher import report
from report_columns import QUESTION_COLUMNS, STUDENT_COLUMNS, WRONG_COLUMNS

SPEED_HINT = "Did you multiply instead of divide?"


# -- a simulated class, written through the student side -------------------------------


def kernel(monkeypatch: pytest.MonkeyPatch, student: str, session: str | None = None) -> None:
    """A fresh kernel for ``student``: nothing in memory, optionally a new session id."""
    monkeypatch.setenv("GUESSFIRST_STUDENT", student)
    KERNEL.reset()
    monkeypatch.setattr(context, "SESSION", session or f"session-{student}")


def speed() -> gf.Numeric:
    return gf.Numeric(
        "speed",
        "120 km in 1.5 h: km/h?",
        answer=80,
        tol=0.5,
        feedback={180: SPEED_HINT},
        hints=["Per hour: how far in one hour?", "Divide the distance by the time."],
    )


def capital() -> gf.Text:
    return gf.Text(
        "capital", "Capital of Australia?", answer="Canberra", feedback={"Sydney": "Big"}
    )


def pick(example: str = "first") -> gf.Choice:
    return gf.Choice("pick", "Pick b.", choices=["a", "b", "c"], answer="b", example=example)


@pytest.fixture
def classroom(fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nine students; every metric below is worked out by hand from this script."""
    kernel(monkeypatch, "s1")
    speed().submit("80", "Certain")
    capital().submit("Sydney", "Certain")
    pick().submit("b", "Fairly sure")
    kernel(monkeypatch, "s1", session="s1-after-restart")  # a second session
    capital().submit("Canberra", "Certain")

    kernel(monkeypatch, "s2")
    q = speed()
    q.submit("180", "Certain")
    q.reflect("I multiplied")
    q.submit("80", "Certain")
    capital().submit("canberra", "Fairly sure")
    p = pick()
    p.submit("a", "Certain")
    p.submit("b")
    kernel(monkeypatch, "s2", session="s2-edited")
    pick(example="second").submit("b")  # the teacher edited the question: a new version

    kernel(monkeypatch, "s3")
    q = speed()
    q.submit("180", "Certain")
    q.submit("80")
    capital().submit("Canberra")
    pick().submit("a")

    kernel(monkeypatch, "s4")
    q = speed()
    q.submit("180", "Certain")
    q.hint()
    q.hint()
    q.reflect("Bigger felt right")
    capital().submit("Melbourne", "Unsure")
    pick(example="second").submit("c")

    kernel(monkeypatch, "s5")
    q = speed()
    q.submit("90", "Just guessing")
    q.submit("100", "Just guessing")
    q.submit("80")

    kernel(monkeypatch, "s6")
    q = speed()
    q.submit("90", "Just guessing")
    q.hint()

    kernel(monkeypatch, "s7")
    speed().submit("180", "Just guessing")

    kernel(monkeypatch, "s8")
    speed()._repr_mimebundle_()  # looked, never answered
    capital().submit(" sydney ", "Certain")

    kernel(monkeypatch, "s9")
    capital()._repr_mimebundle_()  # has events, attempted nothing
    return fresh_kernel


def test_per_question_matches_the_hand_count(classroom: Path):
    table = report.per_question(report.load(classroom))
    assert list(table.columns) == QUESTION_COLUMNS
    first, second = version(classroom, "s1", "pick"), version(classroom, "s4", "pick")
    assert first != second
    # error questions first: 6/7, 2/3, 3/5, 1/2
    assert list(zip(table["question"], table["qversion"], strict=True)) == [
        ("speed", version(classroom, "s1", "speed")),
        ("pick", first),
        ("capital", version(classroom, "s1", "capital")),
        ("pick", second),
    ]
    rows = {(row.question, row.qversion): row for row in table.itertuples()}

    s = rows["speed", version(classroom, "s1", "speed")]
    assert (s.kind, s.attempted, s.first_errors, s.students_shown) == ("numeric", 7, 6, 8)
    assert s.first_try_correct == pytest.approx(1 / 7)
    assert s.first_try_error == pytest.approx(6 / 7)
    assert s.corrected == pytest.approx(3 / 6)  # s2, s3 and s5 of s2..s7
    assert s.attempts_to_correct == 2.0  # median of 2, 2, 3
    # sure (s2, s3, s4): 2 of 3 corrected; guessing (s5, s6, s7): 1 of 3
    assert s.high_confidence_errors == 3
    assert s.hypercorrection == pytest.approx(2 / 3 - 1 / 3)
    assert s.top_wrong == "180 ×4 [180]; 90 ×2; 100 ×1"
    assert s.reflections == 2
    assert s.students_hinted == 2  # s4 (two hints) and s6

    c = rows["capital", version(classroom, "s1", "capital")]
    assert (c.kind, c.attempted, c.first_errors, c.students_shown) == ("text", 5, 3, 6)
    assert c.first_try_correct == pytest.approx(2 / 5)
    assert c.corrected == pytest.approx(1 / 3)  # s1, in their second session
    assert c.attempts_to_correct == 2.0
    assert c.high_confidence_errors == 2
    assert math.isnan(c.hypercorrection)  # fewer than 3 sure and no guessing errors
    assert c.top_wrong == "sydney ×2 [Sydney]; melbourne ×1"
    assert c.reflections == 0
    assert c.students_hinted == 0

    v1 = rows["pick", first]
    assert (v1.kind, v1.attempted, v1.first_errors) == ("choice", 3, 2)
    assert v1.first_try_correct == pytest.approx(1 / 3)
    assert v1.corrected == pytest.approx(1 / 2)
    assert v1.top_wrong == "a ×2"

    v2 = rows["pick", second]
    assert (v2.attempted, v2.first_errors, v2.first_try_error) == (2, 1, 0.5)
    assert v2.corrected == 0.0
    assert math.isnan(v2.attempts_to_correct)


def version(log_dir: Path, student: str, question: str) -> str:
    """The question version ``student`` met, as their log says."""
    events = eventlog.read_events(eventlog.log_path(log_dir, student)).events
    return next(event["qversion"] for event in events if event["question"] == question)


def test_per_student_matches_the_hand_count(classroom: Path):
    table = report.per_student(report.load(classroom))
    assert list(table.columns) == STUDENT_COLUMNS
    assert table.set_index("student")[list(ROW)].to_dict("index") == {
        "s1": row(3, 2, 1, 1, 0, 0, 0),
        "s2": row(4, 2, 2, 2, 0, 1, 0),  # pick counts twice: two versions
        "s3": row(3, 1, 2, 1, 1, 0, 0),
        "s4": row(3, 0, 3, 0, 3, 1, 2),  # two hints on speed
        "s5": row(1, 0, 1, 1, 0, 0, 0),
        "s6": row(1, 0, 1, 0, 1, 0, 1),
        "s7": row(1, 0, 1, 0, 1, 0, 0),
        "s8": row(1, 0, 1, 0, 1, 0, 0),
        "s9": row(0, 0, 0, 0, 0, 0, 0),
    }
    # one lesson, no reviews: nothing to retain yet
    assert (table[["reviewed", "return_errors", "returned_same"]] == 0).all().all()
    assert table["delayed_retention"].isna().all()


ROW = (
    "attempted",
    "first_try_correct",
    "first_try_errors",
    "corrected",
    "not_corrected",
    "reflections",
    "hints",
)


def row(*counts: int) -> dict[str, int]:
    return dict(zip(ROW, counts, strict=True))


def test_wrong_answers_are_grouped_after_normalisation(classroom: Path):
    table = report.wrong_answers(report.load(classroom))
    assert list(table.columns) == WRONG_COLUMNS
    capital_rows = table[table["question"] == "capital"]
    assert capital_rows[["answer", "students", "attempts"]].values.tolist() == [
        ["sydney", 2, 2],
        ["melbourne", 1, 1],
    ]
    assert capital_rows["misconception"].tolist()[0] == "Sydney"
    assert pd.isna(capital_rows["misconception"].tolist()[1])
    assert capital_rows["example"].tolist() == ["Sydney", "Melbourne"]  # as typed
    speed_rows = table[table["question"] == "speed"]
    assert speed_rows[["answer", "students", "attempts"]].values.tolist() == [
        ["180", 4, 4],
        ["90", 2, 2],
        ["100", 1, 1],
    ]
    assert table["question"].tolist() == ["capital"] * 2 + ["pick"] * 2 + ["speed"] * 3


def test_answers_without_normalized_are_compared_casefolded(classroom: Path):
    events = report.load(classroom)
    events["normalized"] = pd.Series(pd.NA, index=events.index, dtype="string")
    melbourne = (events["student"] == "s4") & (events["question"] == "capital")
    events.loc[melbourne & (events["type"] == "attempt"), "response"] = " Straße"
    table = report.wrong_answers(events)
    capital_rows = table[table["question"] == "capital"]
    assert capital_rows[["answer", "students"]].values.tolist() == [["sydney", 2], ["strasse", 1]]


@pytest.mark.parametrize(
    ("policy", "points"),
    [
        # speed, capital, pick (in the order the log first shows them)
        (
            "participation",
            {"s1": [1, 1, 1], "s2": [1, 1, 1], "s3": [1, 1, 1], "s4": [1, 1, 1], "s5": [1, 0, 0]},
        ),
        (
            "corrected",
            {"s1": [1, 1, 1], "s2": [1, 1, 1], "s3": [1, 1, 0], "s4": [0, 0, 0], "s5": [1, 0, 0]},
        ),
        (
            "first-try",
            {"s1": [1, 0, 1], "s2": [0, 1, 1], "s3": [0, 1, 0], "s4": [0, 0, 0], "s5": [0, 0, 0]},
        ),
    ],
)
def test_grades_follow_each_policy(classroom: Path, policy: str, points: dict[str, list[int]]):
    table = report.grades(report.load(classroom), policy)
    assert list(table.columns) == ["student", "speed", "capital", "pick", "total"]
    expected = {
        **points,
        "s6": [int(policy == "participation"), 0, 0],
        "s7": [int(policy == "participation"), 0, 0],
        "s8": [0, int(policy == "participation"), 0],
        "s9": [0, 0, 0],
    }
    got = table.set_index("student")
    assert got[["speed", "capital", "pick"]].to_dict("split")["index"] == sorted(expected)
    for student, marks in expected.items():
        assert got.loc[student, ["speed", "capital", "pick"]].tolist() == marks
        assert got.loc[student, "total"] == sum(marks)
    pd.testing.assert_frame_equal(report.grades(report.read(classroom), policy), table)


def test_an_unknown_policy_is_refused_with_the_choices(classroom: Path):
    with pytest.raises(ValueError, match="participation, corrected, first-try"):
        report.grades(report.load(classroom), "best-of-three")


def test_events_keep_file_order_and_typed_columns(classroom: Path):
    events = report.load(classroom)
    assert len(events) == sum(
        len(eventlog.read_events(path).events) for path in classroom.glob("*.jsonl")
    )
    assert list(events["student"].astype(str).unique()) == [f"s{n}" for n in range(1, 10)]
    assert events.groupby(events["file"].astype(str))["line"].is_monotonic_increasing.all()
    assert str(events["ts"].dtype) == "datetime64[ns, UTC]"
    assert str(events["attempt"].dtype) == "Int64"
    assert str(events["correct"].dtype) == "boolean"
    assert str(events["confidence"].dtype) == "Float64"
    assert events.loc[events["type"] == "shown", "attempt"].isna().all()
    s1 = events[(events["student"] == "s1") & (events["type"] == "attempt")]
    assert s1["session"].astype(str).tolist() == ["session-s1"] * 3 + ["s1-after-restart"]
    assert s1["attempt"].tolist() == [1, 1, 1, 2]


def test_nothing_counts_twice_when_a_folder_is_collected_twice(classroom: Path, tmp_path: Path):
    copy = tmp_path / "second-copy"  # sorts after guessfirst-logs: the first copy wins
    shutil.copytree(classroom, copy)
    logs = report.read([classroom, copy])
    single = report.read(classroom)
    assert len(logs.events) == len(single.events)
    pd.testing.assert_frame_equal(
        report.per_question(logs.events), report.per_question(single.events)
    )
    copies = logs.files[logs.files["file"].str.startswith(str(copy.resolve()))]
    assert (copies["events"] == 0).all() and (copies["duplicates"] == copies["lines"]).all()
    assert logs.files["intact"].all() and logs.problems.empty


def test_the_report_and_the_notebook_api_give_the_same_tables(classroom: Path, tmp_path: Path):
    """The report counts where the logs were read; a teacher's frame must give the same."""
    from guessfirst.teacher.report._misconceptions import misconception_table
    from guessfirst.teacher.report._pretests import class_pretests
    from guessfirst.teacher.report._variants import variant_table
    from guessfirst.teacher.report.html import render_report

    shutil.copytree(classroom, tmp_path / "second-copy")
    logs = report.read([classroom, tmp_path / "second-copy"])
    when = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
    built = report.Report(logs)
    page = built.html(generated=when)  # before the events frame exists
    pd.testing.assert_frame_equal(built.questions, report.per_question(logs.events))
    pd.testing.assert_frame_equal(built.students, report.per_student(logs.events))
    pd.testing.assert_frame_equal(built.wrong, report.wrong_answers(logs.events))
    pd.testing.assert_frame_equal(built.retention, report.retention(logs.events))
    misconceptions = misconception_table(logs.events, built.zone)
    pd.testing.assert_frame_equal(built.misconceptions, misconceptions)
    pd.testing.assert_frame_equal(built.variants, variant_table(logs.events))
    assert built.pretests == class_pretests(logs.events)
    tables = {
        "questions": built.questions,
        "students": built.students,
        "wrong": built.wrong,
        "retention": built.retention,
        "misconceptions": misconceptions,
        "variants": variant_table(logs.events),
    }
    from_frame = render_report(
        **tables,
        pretests=class_pretests(logs.events),
        problems=logs.problems,
        files=logs.files,
        intact=logs.student_intact(),
        events=logs.events,
        zone=built.zone,
        generated=when,
    )
    assert page == from_frame


# -- bad lines and tampering -----------------------------------------------------------


def write_log(folder: Path, student: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real log: shown, attempt, reveal, reflection, attempt, corrected."""
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(folder))
    kernel(monkeypatch, student)
    q = speed()
    q.submit("180", "Certain")
    q.reflect("multiplied")
    q.submit("80")
    return eventlog.log_path(folder, student)


def agrees_with_verify(logs: report.Logs, *paths: Path) -> None:
    expected = sorted(
        (str(p.resolve()), problem.line, problem.kind)
        for p in paths
        for problem in eventlog.verify(p)
    )
    problems = logs.problems
    got = sorted(zip(problems["file"], problems["line"], problems["kind"], strict=True))
    assert got == expected


def test_bad_lines_are_skipped_listed_and_the_rest_still_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = write_log(tmp_path / "logs", "ana", monkeypatch)
    good = path.read_bytes().splitlines()
    assert len(good) == 6
    other_version = json.loads(good[1])
    other_version.update(v=2, id="another-id")
    missing = json.loads(good[1])
    del missing["student"], missing["qversion"]
    path.write_bytes(
        b"\n".join(
            [
                *good,
                b"this is not JSON",
                json.dumps(missing).encode(),
                json.dumps(other_version).encode(),
                b'{"v":1,"id":"cut-off-by-a-cr',  # half a line, no line end
            ]
        )
    )
    logs = report.read(path)
    assert len(logs.events) == 6
    assert logs.problems[["line", "kind"]].values.tolist() == [
        [7, "not-json"],
        [8, "missing-field"],
        [9, "unknown-version"],
        [10, "truncated-line"],
    ]
    assert "qversion, student" in logs.problems["detail"][1]
    assert "skipped" in logs.problems["detail"][3]
    assert set(logs.problems["file"]) == {str(path.resolve())}
    agrees_with_verify(logs, path)
    files = logs.files.iloc[0]
    assert (files["lines"], files["events"], files["problems"], files["intact"]) == (
        10,
        6,
        4,
        False,
    )


def test_a_complete_last_line_without_its_line_end_still_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = write_log(tmp_path, "ana", monkeypatch)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    logs = report.read(path)
    assert len(logs.events) == 6
    assert logs.problems[["line", "kind"]].values.tolist() == [[6, "truncated-line"]]
    assert "kept" in logs.problems["detail"][0]
    agrees_with_verify(logs, path)


def test_lines_that_are_not_utf8_are_skipped_alone(tmp_path: Path, monkeypatch):
    path = write_log(tmp_path, "ana", monkeypatch)
    lines = path.read_bytes().split(b"\n")
    lines.insert(3, b"\xff\xfe broken bytes")
    path.write_bytes(b"\n".join(lines))
    logs = report.read(path)
    assert len(logs.events) == 6
    assert logs.problems[["line", "kind"]].values.tolist() == [
        [4, "not-json"],
        [5, "edited-or-reordered"],
    ]
    agrees_with_verify(logs, path)


def test_only_python_json_counts_even_where_duckdb_is_lenient(tmp_path: Path, monkeypatch):
    path = write_log(tmp_path, "ana", monkeypatch)
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b'"latency_ms":', b'"latency_ms":NaN,"was":')
    lines[5] = lines[5][:-1] + b",}"  # the last line, whose edit no chain can show
    path.write_bytes(b"\n".join(lines))
    logs = report.read(path)
    agrees_with_verify(logs, path)
    assert logs.problems[["line", "kind"]].values.tolist() == [
        [2, "not-json"],
        [3, "edited-or-reordered"],
        [6, "not-json"],
    ]
    assert len(logs.events) == 4


@pytest.fixture
def tampered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Four students' logs: one untouched, one edited, one with a line removed, one shuffled."""
    folder = tmp_path / "class"
    paths = {name: write_log(folder, name, monkeypatch) for name in ("ok", "ed", "rm", "mv")}
    lines = {name: path.read_bytes().splitlines(keepends=True) for name, path in paths.items()}
    lines["ed"][1] = lines["ed"][1].replace(b'"correct":false', b'"correct":true')
    del lines["rm"][2]
    lines["mv"][1], lines["mv"][3] = lines["mv"][3], lines["mv"][1]
    for name in ("ed", "rm", "mv"):
        paths[name].write_bytes(b"".join(lines[name]))
    return paths


def test_edited_removed_and_reordered_lines_are_flagged_not_dropped(tampered):
    logs = report.read(tampered["ok"].parent)
    agrees_with_verify(logs, *tampered.values())
    flagged = {
        Path(file).stem: sorted(set(group["kind"])) for file, group in logs.problems.groupby("file")
    }
    assert flagged == {
        "ed": ["edited-or-reordered"],
        "rm": ["edited-or-reordered"],
        "mv": ["edited-or-reordered"],
    }
    ed = logs.problems[logs.problems["file"] == str(tampered["ed"].resolve())]
    assert ed[["line", "detail"]].values.tolist() == [
        [3, "line 2 was edited, or lines between it and this one were removed"]
    ]
    assert logs.student_intact().to_dict() == {"ed": False, "mv": False, "ok": True, "rm": False}
    assert logs.files.set_index("file")["intact"].sum() == 1
    students = report.per_student(logs.events)
    assert students["student"].tolist() == ["ed", "mv", "ok", "rm"]  # still in the metrics


def test_a_file_whose_line_ends_became_crlf_is_flagged(tmp_path: Path, monkeypatch):
    path = write_log(tmp_path, "ana", monkeypatch)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    logs = report.read(path)
    agrees_with_verify(logs, path)
    assert logs.problems["line"].tolist() == [2, 3, 4, 5, 6]
    assert "carriage return" in logs.problems["detail"][0]
    assert len(logs.events) == 6
    assert not logs.student_intact()["ana"]


def test_a_missing_first_line_reads_as_removed(tmp_path: Path, monkeypatch):
    path = write_log(tmp_path, "ana", monkeypatch)
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[1:]))
    logs = report.read(path)
    agrees_with_verify(logs, path)
    assert logs.problems[["line", "kind"]].values.tolist() == [[1, "removed"]]


# -- paths -----------------------------------------------------------------------------


@pytest.fixture
def collected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A teacher's collection: nested folders, a name with brackets, a stray non-log."""
    root = tmp_path / "collected"
    write_log(root / "week 1 [intro]" / "ana", "ana", monkeypatch)
    write_log(root / "week 2" / "ben", "ben", monkeypatch)
    (root / "notes.txt").write_text("not a log")
    return root


def test_a_folder_is_searched_recursively(collected: Path):
    files = report.find_logs([collected])
    assert [path.name for path in files] == ["ana.jsonl", "ben.jsonl"]
    assert report.read(collected).files["students"].tolist() == ["ana", "ben"]


def test_files_and_globs_are_taken_once_each(collected: Path):
    ana = collected / "week 1 [intro]" / "ana" / "ana.jsonl"
    files = report.find_logs([ana, collected / "**" / "*.jsonl", str(collected / "week 2")])
    assert [path.name for path in files] == ["ana.jsonl", "ben.jsonl"]
    assert report.find_logs([ana]) == [ana.resolve()]
    logs = report.read(collected / "week 1 [intro]")  # literal brackets, and DuckDB never globs it
    assert len(logs.events) == 6 and logs.problems.empty


def test_a_missing_path_is_named(collected: Path):
    with pytest.raises(report.NoLogsError, match="nowhere"):
        report.read([collected, collected / "nowhere"])
    with pytest.raises(report.NoLogsError, match="No such file"):
        report.find_logs([collected / "*.csv"])


def test_a_folder_without_logs_is_an_error(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(report.NoLogsError, match="No guessfirst logs"):
        report.load(tmp_path / "empty")
    assert issubclass(report.NoLogsError, FileNotFoundError)


def test_progress_reaches_its_total(collected: Path):
    calls: list[tuple[int, int]] = []
    report.read(collected, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (3, 3)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_an_empty_log_gives_empty_tables_with_every_column(tmp_path: Path):
    (tmp_path / "ana.jsonl").write_bytes(b"")
    logs = report.read(tmp_path)
    assert logs.events.empty and list(logs.events.columns)[:3] == ["file", "line", "v"]
    assert len(logs.events.columns) == 29
    assert report.per_question(logs.events).empty
    assert report.grades(logs.events).columns.tolist() == ["student", "total"]
    assert logs.files["intact"].tolist() == [True]


def test_a_question_called_total_or_student_keeps_its_own_grades_column(tmp_path, monkeypatch):
    kernel(monkeypatch, "ana")
    gf.configure(log_dir=tmp_path)
    gf.Text("total", "Total?", answer="9").submit("9")
    gf.Text("student", "Who?", answer="me").submit("you")
    table = report.grades(report.read(tmp_path), "corrected")
    assert list(table.columns) == ["student", "total (question)", "student (question)", "total"]
    assert table.iloc[0].tolist() == ["ana", 1, 0, 1]
