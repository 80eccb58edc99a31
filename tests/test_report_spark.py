"""The Spark engine against the DuckDB engine: the same classes, every table equal.

Spark runs in ``local[2]`` mode, one session for the module (starting one costs seconds);
what Java and Spark print goes to their own log file, so a test's output stays quiet.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from guessfirst.log import logline
from guessfirst.teacher import cli, report
from guessfirst.teacher.report import _metrics, _misconceptions, _pretests, _spark, _variants
from report_class import write_class
from test_logline import CASES, write_log

ROOT = Path(__file__).parents[1]
MASTER = "local[2]"
ZONE = "Asia/Hong_Kong"  # the simulated lesson's errors and reviews fall on local dates

TABLES: dict[str, Callable[[report.Logs], object]] = {
    "questions": lambda logs: _metrics.question_table(logs, ZONE),
    "students": lambda logs: _metrics.student_table(logs, ZONE),
    "retention": lambda logs: _metrics.retention_table(logs, ZONE),
    "wrong answers": _metrics.wrong_table,
    "misconceptions": lambda logs: _misconceptions.misconception_table(logs, ZONE),
    "variants": _variants.variant_table,
    "class pretests": _pretests.class_pretests,
    "confidence": _metrics.confidence_table,
    "activity": _metrics.activity,
    "problems": lambda logs: logs.problems,
    "files": lambda logs: logs.files,
    "intact students": lambda logs: logs.student_intact(),
    "events": lambda logs: logs.events,
    **{
        f"grades ({policy})": (lambda logs, policy=policy: report.grades(logs, policy))
        for policy in report.POLICIES
    },
}


@pytest.fixture(scope="module")
def spark(need_java: None) -> Iterator[object]:
    session = _spark.session(MASTER)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def simulated_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The manual's simulated class (lesson two days ago, reviews today), in its own process."""
    folder = tmp_path_factory.mktemp("class") / "logs"
    subprocess.run([sys.executable, ROOT / "docs" / "example_class.py", folder], check=True)
    return folder


@pytest.fixture(scope="module")
def damaged_class(simulated_class: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same class after a term on shared drives: every fault the reader tells apart."""
    folder = tmp_path_factory.mktemp("damaged") / "logs"
    shutil.copytree(simulated_class, folder)
    logs = sorted(folder.glob("*.jsonl"))

    def lines(path: Path) -> list[bytes]:
        return path.read_bytes().split(b"\n")[:-1]

    def write(path: Path, rows: list[bytes], end: bytes = b"\n") -> None:
        path.write_bytes(b"".join(row + end for row in rows))

    rows = lines(logs[0])  # lines that are not events
    write(logs[0], [*rows[:3], b"not json at all", b"[1, 2]", b'"just text"', *rows[3:]])
    rows = lines(logs[1])  # an edited answer
    rows[4] = rows[4].replace(b'"attempt"', b'"attempt", "extra": 1', 1)
    write(logs[1], rows)
    rows = lines(logs[2])  # a removed line, and the first line gone
    write(logs[2], rows[1:5] + rows[6:])
    write(logs[3], lines(logs[3]), b"\r\n")  # line ends turned into CRLF
    rows = lines(logs[4])  # a complete last line without its line end
    logs[4].write_bytes(b"\n".join(rows))
    rows = lines(logs[5])  # a last line cut in the middle
    logs[5].write_bytes(b"\n".join(rows) + b"\n" + rows[-1][:40])
    rows = lines(logs[6])  # an unknown version, a missing field, a line over the limit
    rows[2] = rows[2].replace(b'"v":1', b'"v":2', 1).replace(b'"v": 1', b'"v": 2', 1)
    rows[3] = rows[3].replace(b'"session"', b'"sessio"', 1)
    rows.insert(5, b'{"v": 1, "text": "' + b"x" * 70_000 + b'"}')
    write(logs[6], rows)
    rows = lines(logs[7])  # two lines swapped
    rows[3], rows[4] = rows[4], rows[3]
    write(logs[7], rows)
    # Every kind of bad field (a version's detail is worded by each engine's JSON reader).
    fields = [line for line, fault in CASES if not fault or fault[0] != logline.UNKNOWN_VERSION]
    write_log(folder / "fields.jsonl", fields)
    copies = folder / "collected twice"  # a folder collected twice: every event duplicated
    copies.mkdir()
    shutil.copy(logs[8], copies / logs[8].name)
    shutil.copy(logs[9], copies / "renamed.jsonl")
    return folder


def _assert_engines_agree(folder: Path) -> None:
    duck = report.read(folder)
    spark = report.read(folder, engine="spark", master=MASTER)
    try:
        for name, table in TABLES.items():
            expected, got = table(duck), table(spark)
            if isinstance(expected, pd.DataFrame):
                pd.testing.assert_frame_equal(got, expected, obj=name)
            elif isinstance(expected, pd.Series):
                pd.testing.assert_series_equal(got, expected, obj=name)
            else:
                assert got == expected, name
    finally:
        spark.close()


def test_every_table_and_grade_is_equal_on_the_simulated_class(spark, simulated_class):
    _assert_engines_agree(simulated_class)
    # Not an empty agreement: the class has reviews, errors, corrections and grades.
    retention = _metrics.retention_table(report.read(simulated_class), ZONE)
    assert retention["reviewed"].sum() > 0
    assert retention["first_errors"].sum() > 0


def test_pretests_misconceptions_and_variants_are_equal_on_both_engines(spark, tmp_path):
    folder = write_class(tmp_path)
    _assert_engines_agree(folder)
    # Not an empty agreement: the class has a pretest, tags that came back, and variants.
    logs = report.read(folder)
    assert _pretests.class_pretests(logs).posttests == 4
    assert _misconceptions.misconception_table(logs, ZONE)["returned"].sum() == 1
    assert len(_variants.variant_table(logs)) == 2


def test_every_fault_is_read_alike_on_a_damaged_class(spark, damaged_class):
    _assert_engines_agree(damaged_class)
    kinds = set(report.read(damaged_class).problems["kind"])
    assert kinds == {
        "not-json",
        "edited-or-reordered",
        "removed",
        "truncated-line",
        "unknown-version",
        "missing-field",
        "too-long",
        "bad-field",
    }


def test_the_commands_give_the_same_report_and_grades_and_spark_stays_quiet(
    spark, simulated_class, tmp_path, capsys
):
    outputs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / engine
        common = ["--engine", engine, "--master", MASTER]
        report_args = [str(simulated_class), "-o", str(out / "r.html"), "--csv", str(out)]
        assert cli.main(["report", *report_args, "--tz", ZONE, *common]) == 0
        assert cli.main(["grades", str(simulated_class), "-o", str(out / "g.csv"), *common]) == 0
        printed = capsys.readouterr()
        assert printed.err == ""
        outputs[engine] = printed.out.replace(str(out), "OUT")
    assert outputs["spark"] == outputs["duckdb"]
    for name in ("questions", "students", "wrong_answers", "retention", "misconceptions", "g"):
        duck = (tmp_path / "duckdb" / f"{name}.csv").read_bytes()
        assert (tmp_path / "spark" / f"{name}.csv").read_bytes() == duck, name


def test_a_path_spark_cannot_find_is_one_line(spark, tmp_path, capsys):
    status = cli.main(["report", str(tmp_path / "nowhere"), "--engine", "spark"])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("guessfirst report: error: No such file or folder")
    assert len(err.splitlines()) == 1
