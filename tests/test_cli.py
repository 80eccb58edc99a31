"""The ``guessfirst`` command as a teacher runs it: exit codes, files written, what it prints."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.log import eventlog
from guessfirst.teacher import cli
from guessfirst.teacher.cli import _terminal

CERTAIN, SURE, GUESSING = 1.0, 2 / 3, 0.0
#: Who answered what, in order: (question, response, confidence).
CLASS = {
    "ana": [("speed", "180", CERTAIN), ("speed", "80", CERTAIN), ("half", "0.5", SURE)],
    "ben": [("speed", "80", SURE), ("half", "2", GUESSING)],
    "chidi": [("speed", "180", SURE), ("half", "1/2", SURE)],
    "dara": [("half", "0.5", CERTAIN)],
}
MALLORY = "\x1b[31mmallory\rben"


def ask(qid: str) -> gf.Numeric:
    if qid == "speed":
        return gf.Numeric(
            "speed", "120 km in 1.5 hours: km/h?", answer=80, example="120 / 1.5 = 80."
        )
    return gf.Numeric(qid, "Half of 1?", answer=0.5, example="1 / 2 = 0.5.")


def answer(monkeypatch: pytest.MonkeyPatch, student: str, steps: list) -> None:
    """``student`` sits down and answers, through the same calls as the widget's buttons."""
    monkeypatch.setenv("GUESSFIRST_STUDENT", student)
    questions: dict[str, gf.Numeric] = {}
    for qid, response, confidence in steps:
        questions.setdefault(qid, ask(qid)).submit(response, confidence)


@pytest.fixture
def logs(fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log folder of a class of four who answered two questions."""
    for student, steps in CLASS.items():
        answer(monkeypatch, student, steps)
    return fresh_kernel


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def row(out: str, label: str) -> list[str]:
    (line,) = [line for line in out.splitlines() if line.startswith(label + " ")]
    return line.split()


def edit_line(path: Path, number: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_bytes(b"\n".join(lines))


# -- report ----------------------------------------------------------------------------


def test_report_writes_html_and_summarises_error_questions_first(logs, tmp_path, capsys):
    out_file = tmp_path / "week3" / "report.html"
    status, out, err = run(capsys, "report", logs, "-o", out_file, "--title", "Week 3")
    assert status == 0 and err == ""
    html = out_file.read_text(encoding="utf-8")
    assert "Week 3" in html

    lines = out.splitlines()
    assert lines[0].split() == ["question", "attempted", "first-try", "error", "corrected"]
    assert row(out, "speed") == ["speed", "3", "67%", "50%"]
    assert row(out, "half") == ["half", "4", "25%", "0%"]
    assert [line.split()[0] for line in lines[1:3]] == ["speed", "half"]
    # shown, attempt, reveal per question; ana adds a second attempt and a "corrected"
    assert "4 students, 23 events, 0 bad lines in 4 files" in out
    assert "failed verification" not in out
    assert f"Report: {out_file}" in out


def test_report_goes_to_the_current_folder_by_default(logs, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "report", logs)
    assert status == 0
    assert (tmp_path / "guessfirst-report.html").is_file()
    assert "Report: guessfirst-report.html" in out


def test_report_csv_writes_the_three_tables(logs, tmp_path, capsys):
    folder = tmp_path / "csv"
    status, out, _ = run(capsys, "report", logs, "-o", tmp_path / "r.html", "--csv", folder)
    assert status == 0
    for name in ("questions.csv", "students.csv", "wrong_answers.csv"):
        assert (folder / name).is_file()
        assert f"CSV: {folder / name}" in out
    with (folder / "questions.csv").open(newline="", encoding="utf-8-sig") as handle:
        speed = next(r for r in csv.DictReader(handle) if r["question"] == "speed")
    assert float(speed["first_try_correct"]) == pytest.approx(1 / 3)


def test_report_counts_bad_lines_and_names_students_whose_logs_fail(logs, tmp_path, capsys):
    ben = eventlog.log_path(logs, "ben")
    edit_line(ben, 2, b'"response":"80"', b'"response":"81"')
    with ben.open("ab") as handle:
        handle.write(b"not json\n")
    status, out, _ = run(capsys, "report", logs, "-o", tmp_path / "r.html")
    assert status == 0  # the report marks them, it does not refuse them
    assert "4 students, 23 events, 1 bad line in 4 files" in out
    assert "1 log failed verification: ben" in out


def test_text_from_logs_cannot_drive_the_terminal(fresh_kernel, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("GUESSFIRST_STUDENT", MALLORY)
    gf.Numeric("\x1b]0;pwned\x07" + "q" * 60, "1 + 1?", answer=2).submit("3", GUESSING)
    path = eventlog.log_path(fresh_kernel, MALLORY)
    edit_line(path, 2, b'"response":"3"', b'"response":"2"')

    status, out, _ = run(capsys, "report", fresh_kernel, "-o", tmp_path / "r.html")
    assert status == 0
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "failed verification: \\x1b[31mmallory\\rben" in out
    label = out.splitlines()[1].split()[0]
    assert label.startswith("\\x1b]0;pwned\\x07qq") and label.endswith("…")
    assert len(label) == _terminal.ID_WIDTH


def late_error(folder: Path) -> Path:
    """Wrong on Monday at 23:30 UTC (Tuesday morning in Hong Kong), right in a review on
    Tuesday at 10:00 UTC (that Tuesday's evening there)."""
    answers = [("2026-11-23T23:30:00.000Z", "180", False), ("2026-11-24T10:00:00.000Z", "80", True)]
    for number, (ts, response, correct) in enumerate(answers, start=1):
        event = eventlog.make_event(
            "attempt",
            student="ana",
            session="s",
            notebook=None,
            question="speed",
            qversion="0123456789ab",
            attempt=number,
            response=response,
            correct=correct,
            confidence=CERTAIN,
            latency_ms=900,
            misconception=None,
            normalized=response,
            **({"review": True} if number > 1 else {}),
        )
        event["ts"] = ts
        eventlog.append_event(eventlog.log_path(folder, "ana"), event)
    return folder


@pytest.mark.parametrize(("zone", "reviewed"), [("UTC", "1"), ("Asia/Hong_Kong", "0")])
def test_report_counts_review_days_in_the_zone_given(tmp_path, capsys, zone, reviewed):
    logs, page = late_error(tmp_path / "logs"), tmp_path / "r.html"
    status, _, err = run(
        capsys, "report", logs, "--tz", zone, "-o", page, "--csv", tmp_path / "csv"
    )
    assert status == 0 and err == ""
    with (tmp_path / "csv" / "questions.csv").open(newline="", encoding="utf-8-sig") as handle:
        (speed,) = csv.DictReader(handle)
    assert speed["reviewed"] == reviewed  # the review was on the next day in UTC only
    assert f"Days are calendar dates in {zone}." in page.read_text(encoding="utf-8")


def test_report_counts_days_in_the_computers_own_zone_by_default(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Hong_Kong")
    logs, page = late_error(tmp_path / "logs"), tmp_path / "r.html"
    status, _, _ = run(capsys, "report", logs, "-o", page)
    assert status == 0
    assert "Days are calendar dates in Asia/Hong_Kong." in page.read_text(encoding="utf-8")


def test_an_unknown_time_zone_is_one_clear_line_before_any_log_is_read(tmp_path, capsys):
    status, out, err = run(capsys, "report", tmp_path / "not-collected-yet", "--tz", "HK Time")
    assert status == 2 and out == ""
    assert err.startswith("guessfirst report: error: unknown time zone 'HK Time': ")
    assert len(err.splitlines()) == 1
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    assert "--tz ZONE" in capsys.readouterr().out


# -- grades ----------------------------------------------------------------------------


def grade_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_grades_default_to_participation(logs, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "grades", logs)
    assert status == 0 and err == ""
    rows = grade_rows(tmp_path / "grades.csv")
    assert list(rows[0]) == ["student", "speed", "half", "total"]
    assert {r["student"]: r["total"] for r in rows} == {
        "ana": "2",
        "ben": "2",
        "chidi": "2",
        "dara": "1",
    }
    assert "Grades for 4 students (policy: participation): grades.csv" in out


def test_grades_follow_the_chosen_policy(logs, tmp_path, capsys):
    target = tmp_path / "corrected.csv"
    status, _, _ = run(capsys, "grades", logs, "--policy", "corrected", "-o", target)
    assert status == 0
    totals = {r["student"]: (r["speed"], r["half"], r["total"]) for r in grade_rows(target)}
    assert totals == {
        "ana": ("1", "1", "2"),
        "ben": ("1", "0", "1"),
        "chidi": ("0", "1", "1"),
        "dara": ("0", "1", "1"),
    }


def test_grades_with_a_roster_say_who_is_missing_from_it(logs, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,lms_id\nana,1001\nben,1002\nchidi,1003\n", encoding="utf-8")
    target = tmp_path / "grades.csv"
    status, out, err = run(capsys, "grades", logs, "--roster", roster, "-o", target)
    assert status == 0 and err == ""
    ids = {r["ID"]: r["total"] for r in grade_rows(target)}
    assert ids == {"1001": "2", "1002": "2", "1003": "2", "": "1"}
    (missing,) = [line for line in out.splitlines() if "not in the roster" in line]
    assert "'dara'" in missing and "'ana'" not in missing


def test_grades_with_a_roster_count_the_rows_written(logs, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student,lms_id\nana,1001\nben,1002\nchidi,1003\neve,1004\n", encoding="utf-8"
    )
    target = tmp_path / "grades.csv"
    status, out, err = run(capsys, "grades", logs, "--roster", roster, "-o", target)
    assert status == 0 and err == ""
    rows = grade_rows(target)
    assert [r["ID"] for r in rows] == ["1001", "1002", "1003", "1004", ""]  # dara at the end
    (said,) = [line for line in out.splitlines() if line.startswith("Grades for")]
    assert said.startswith(f"Grades for {len(rows)} students, 1 of them in the roster with no log")


def test_grades_without_a_roster_count_the_students_with_logs(logs, tmp_path, capsys):
    target = tmp_path / "grades.csv"
    status, out, _ = run(capsys, "grades", logs, "-o", target)
    assert status == 0
    assert f"Grades for {len(grade_rows(target))} students (policy: " in out
    assert "no log" not in out


def test_a_roster_that_is_not_there_is_one_clear_line(logs, tmp_path, capsys):
    status, out, err = run(capsys, "grades", logs, "--roster", tmp_path / "rooster.csv")
    assert status == 2 and out == ""
    assert err == f"guessfirst grades: error: no roster file at {tmp_path / 'rooster.csv'}\n"


def test_an_unknown_policy_is_refused_before_anything_is_written(logs, tmp_path, capsys):
    target = tmp_path / "grades.csv"
    status, out, err = run(capsys, "grades", logs, "--policy", "strict", "-o", target)
    assert status == 2 and out == ""
    assert err.strip() == (
        "guessfirst grades: error: unknown policy 'strict'; "
        "choose one of: participation, corrected, first-try"
    )
    assert not target.exists()


# -- verify ----------------------------------------------------------------------------


def test_verify_passes_intact_logs(logs, capsys):
    status, out, _ = run(capsys, "verify", logs)
    assert status == 0
    assert sum(line.startswith("OK ") for line in out.splitlines()) == 4
    assert out.splitlines()[-1] == "All 4 files intact."


def test_verify_names_each_problem_with_its_line_and_kind(logs, capsys):
    ana, ben = eventlog.log_path(logs, "ana"), eventlog.log_path(logs, "ben")
    edit_line(ana, 2, b'"response":"180"', b'"response":"80"')
    ben.write_bytes(ben.read_bytes()[:-20])  # a copy cut off mid-line
    expected = {path: eventlog.verify(path) for path in (ana, ben)}
    assert [p.kind for p in expected[ana]] == ["edited-or-reordered"]
    assert [p.kind for p in expected[ben]] == ["truncated-line"]

    status, out, _ = run(capsys, "verify", logs)
    assert status == 1
    blocks = out.split("\n")
    for path, problems in expected.items():
        start = next(i for i, line in enumerate(blocks) if line.endswith(path.name))
        assert blocks[start].startswith("PROBLEMS ")
        for offset, problem in enumerate(problems, start=1):
            assert blocks[start + offset].startswith(f"  line {problem.line}: {problem.kind}: ")
    assert sum(line.startswith("OK ") for line in blocks) == 2
    assert "2 of 4 files failed verification." in out


# -- errors a teacher can act on -------------------------------------------------------


def test_a_missing_path_is_one_clear_line(tmp_path, capsys):
    missing = tmp_path / "colected"
    status, out, err = run(capsys, "verify", missing)
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert str(missing) in err and "Traceback" not in err


def test_a_folder_without_logs_is_one_clear_line(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a log")
    for command in ("report", "grades", "verify"):
        status, out, err = run(capsys, command, empty)
        assert status == 2 and out == ""
        assert len(err.splitlines()) == 1 and err.startswith(f"guessfirst {command}: error: ")


def test_a_missing_teacher_extra_says_how_to_install_it(logs, capsys, monkeypatch):
    for name in [n for n in sys.modules if n.startswith("guessfirst.teacher.report")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(gf, "report", raising=False)
    monkeypatch.setitem(sys.modules, "duckdb", None)
    monkeypatch.setitem(sys.modules, "pandas", None)
    status, out, err = run(capsys, "verify", logs)
    assert status == 2 and out == ""
    hint = "pip install -e '.[teacher]' in a clone, or pip install 'dist/guessfirst-"
    assert hint in err and err.strip().endswith("-py3-none-any.whl[teacher]'")
    assert len(err.splitlines()) == 1


def test_every_command_explains_itself_with_an_example(capsys):
    for command in ("report", "grades", "verify"):
        with pytest.raises(SystemExit) as stop:
            cli.main([command, "--help"])
        assert stop.value.code == 0
        text = capsys.readouterr().out
        assert f"example:\n  guessfirst {command} " in text
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"guessfirst {gf.__version__}"


@pytest.mark.parametrize("command", ["grades", "seal"])
def test_teacher_commands_do_not_load_the_widgets(command, logs, tmp_path):
    # A teacher's commands start without anywidget and ipywidgets, which they never use,
    # and the DuckDB engine without Spark or the SQL translation Spark needs.
    bank = tmp_path / "lesson3.md"
    bank.write_text(BANK, encoding="utf-8")
    argv = {
        "grades": ["grades", str(logs), "-o", str(tmp_path / "grades.csv")],
        "seal": ["seal", str(bank)],
    }[command]
    code = (
        "import sys\n"
        "from guessfirst.teacher import cli\n"
        "status = cli.main(sys.argv[1:])\n"
        "widgets = {'anywidget', 'ipywidgets', 'guessfirst.student.widget', 'markdown_it', "
        "'pyspark', 'sqlglot'}\n"
        "print(status, sorted(widgets & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines()[-1] == "0 []"


def test_help_answers_without_loading_the_teachers_libraries():
    # `guessfirst --help` and a command's help answer at once: DuckDB and pandas load
    # only when a command reads logs.
    code = (
        "import sys\n"
        "from guessfirst.teacher import cli\n"
        "for argv in (['--help'], ['report', '--help'], ['xapi', '--help']):\n"
        "    try:\n"
        "        cli.main(argv)\n"
        "    except SystemExit as stop:\n"
        "        assert stop.code == 0\n"
        "heavy = {'duckdb', 'pandas', 'numpy', 'guessfirst.teacher.report'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "usage: guessfirst report" in out.stdout
    assert out.stdout.splitlines()[-1] == "[]"


# -- progress --------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_an_interactive_terminal(logs, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_terminal, "BAR_DELAY", 0)
    status, _, err = run(capsys, "verify", logs)
    assert status == 0 and err == ""  # not a terminal: no bar

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["verify", str(logs)]) == 0
    drawn = terminal.getvalue()
    assert drawn.startswith("\rReading logs [")
    assert drawn.endswith("\r") and drawn.split("\r")[-2].strip() == ""  # erased when done


def test_installed_command_runs_quietly_in_a_pipe(logs):
    script = Path(sysconfig.get_path("scripts")) / "guessfirst"
    done = subprocess.run([script, "verify", logs], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines()[-1] == "All 4 files intact."


def test_a_reader_that_stops_listening_ends_the_command_quietly(logs):
    script = Path(sysconfig.get_path("scripts")) / "guessfirst"
    command = subprocess.Popen(
        [script, "verify", logs], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    command.stdout.close()  # like "| head" that has read enough
    _, err = command.communicate()
    assert command.returncode == 1
    assert err == b""


# -- seal ------------------------------------------------------------------------------

BANK = """---
id: speed
kind: numeric
answer: 80
---
120 km in 1.5 hours: km/h?

## Example

Distance over time: 120 / 1.5 gives eighty.
"""


def test_seal_writes_the_gfq_beside_the_bank_by_default(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("lesson3.md").write_text(BANK, encoding="utf-8")
    status, out, err = run(capsys, "seal", "lesson3.md")
    assert status == 0 and err == ""
    assert out == "Sealed 1 question from lesson3.md: lesson3.gfq\n"
    assert gf.load("lesson3.gfq").ids == ("speed",)
    assert "eighty" not in Path("lesson3.gfq").read_text(encoding="utf-8")


def test_seal_writes_where_it_is_told(tmp_path, capsys):
    source = tmp_path / "lesson3.md"
    source.write_text(BANK, encoding="utf-8")
    target = tmp_path / "students" / "week3.gfq"
    status, out, _ = run(capsys, "seal", source, "-o", target)
    assert status == 0 and out.strip().endswith(str(target))
    assert gf.load(target)["speed"].qversion == gf.load(source)["speed"].qversion


def test_seal_names_the_file_and_line_of_a_mistake_and_writes_nothing(tmp_path, capsys):
    source = tmp_path / "lesson3.md"
    source.write_text(BANK.replace("answer: 80", "answer: eighty"), encoding="utf-8")
    status, out, err = run(capsys, "seal", source)
    assert status == 2 and out == ""
    assert err == (
        f"guessfirst seal: error: {source}:4: question 'speed': "
        "the answer 'eighty' is not a number\n"
    )
    assert not (tmp_path / "lesson3.gfq").exists()


def test_seal_of_a_missing_bank_is_one_clear_line(tmp_path, capsys):
    missing = tmp_path / "lesson.md"
    status, out, err = run(capsys, "seal", missing)
    assert status == 2 and out == ""
    assert err == f"guessfirst seal: error: no question bank at {missing}\n"


def test_seal_explains_itself_with_an_example(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["seal", "--help"])
    assert stop.value.code == 0
    assert "example:\n  guessfirst seal lesson3.md -o " in capsys.readouterr().out
