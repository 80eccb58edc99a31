"""``guessfirst xapi`` as a teacher or a district's data team runs it: files, pushes, messages."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import sys
import time
from pathlib import Path

import pytest

import guessfirst as gf
from fake_lrs import PASSWORD, USER, running
from guessfirst.teacher import cli, lrs
from guessfirst.teacher.cli import _terminal
from guessfirst.teacher.lrs import _retry
from test_lrs import FaultLRS

BASE = "https://school.example/guessfirst"
HOME = "https://hub.school.example"
WHERE = ["--activity-base", BASE, "--home-page", HOME]
REFLECTION = "I mixed up the capital with the biggest city."


@pytest.fixture
def logs(fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two students, through the widgets' own calls: a numeric and a text question each,
    7 statements a student (answers, worked examples, a reflection, a correction)."""
    for student in ("ana", "ben"):
        monkeypatch.setenv("GUESSFIRST_STUDENT", student)
        gf.Numeric("speed", "120 km in 1.5 h: km/h?", answer=80).submit("80", "Certain")
        capital = gf.Text("capital", "Capital of Australia?", answer="Canberra")
        capital.submit("Sydney", "Fairly sure")
        capital.reflect(REFLECTION)
        capital.submit("Canberra", "Certain")
    return fresh_kernel


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def pseudonym(salt: str, student: str) -> str:
    return hmac.new(salt.encode(), student.encode(), hashlib.sha256).hexdigest()


def responses(statements: list[dict]) -> list[str]:
    return [s["result"]["response"] for s in statements if "response" in s.get("result", {})]


# -- to a file -------------------------------------------------------------------------


def test_export_is_pseudonymized_and_without_free_text_when_asked_only_for_a_salt(
    logs, tmp_path, capsys
):
    out = tmp_path / "week3" / "statements.json"
    status, said, err = run(capsys, "xapi", logs, *WHERE, "--pseudonymize", "pepper", "-o", out)
    assert (status, err) == (0, "")
    assert said == f"14 statements from 2 logs (pseudonymized, no free text): {out}\n"
    statements = json.loads(out.read_text(encoding="utf-8"))
    names = {s["actor"]["account"]["name"] for s in statements}
    assert names == {pseudonym("pepper", "ana"), pseudonym("pepper", "ben")}
    assert {s["actor"]["account"]["homePage"] for s in statements} == {HOME}
    assert all(s["object"]["id"].startswith(f"{BASE}/questions/") for s in statements)
    assert "mbox" not in out.read_text(encoding="utf-8")
    assert responses(statements) == ["80", "80"]  # a number is not free text
    assert REFLECTION not in out.read_text(encoding="utf-8")


def test_real_ids_and_free_text_go_out_only_when_asked_for(logs, tmp_path, capsys):
    out = tmp_path / "statements.json"
    status, said, _ = run(capsys, "xapi", logs, *WHERE, "--real-ids", "--text", "-o", out)
    assert status == 0 and "(student ids as in the logs, free text included)" in said
    statements = json.loads(out.read_text(encoding="utf-8"))
    assert {s["actor"]["account"]["name"] for s in statements} == {"ana", "ben"}
    assert responses(statements).count(REFLECTION) == 2
    assert "Sydney" in responses(statements)


def test_how_students_are_named_must_be_chosen(logs, tmp_path, capsys, monkeypatch):
    out = tmp_path / "statements.json"
    status, said, err = run(capsys, "xapi", logs, *WHERE, "-o", out)
    assert (status, said) == (2, "")
    assert err.startswith("guessfirst xapi: error: say how students are named: --pseudonymize")
    assert len(err.splitlines()) == 1 and not out.exists()

    monkeypatch.setenv("GUESSFIRST_XAPI_SALT", "pepper")
    assert run(capsys, "xapi", logs, *WHERE, "-o", out)[0] == 0
    names = {s["actor"]["account"]["name"] for s in json.loads(out.read_text())}
    assert names == {pseudonym("pepper", "ana"), pseudonym("pepper", "ben")}


def test_export_to_standard_output_keeps_the_summary_apart(logs, capsys):
    status, said, err = run(capsys, "xapi", logs, *WHERE, "--real-ids", "-o", "-")
    assert status == 0
    assert len(json.loads(said)) == 14
    assert err == "14 statements from 2 logs (student ids as in the logs, no free text): " + (
        "standard output\n"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--activity-base", "guessfirst"], "the activity base must be a full address"),
        (["--user", "teacher"], "--user, --password, --token, --batch-size, --from-start, "),
        (["--retry-budget", "0"], "--user, --password, --token, --batch-size, --from-start, "),
    ],
)
def test_mistakes_are_one_line_before_anything_is_written(logs, tmp_path, capsys, extra, message):
    out = tmp_path / "statements.json"
    status, _, err = run(capsys, "xapi", logs, *WHERE, "--real-ids", *extra, "-o", out)
    assert status == 2 and err.startswith(f"guessfirst xapi: error: {message}")
    assert not out.exists()


def test_no_logs_is_one_clear_line(tmp_path, capsys):
    status, _, err = run(capsys, "xapi", tmp_path / "nowhere", *WHERE, "--real-ids", "-o", "-")
    assert status == 2 and err.startswith("guessfirst xapi: error: No such file or folder")


# -- to an LRS -------------------------------------------------------------------------


def test_push_with_the_password_from_the_environment_then_nothing_new(logs, capsys, monkeypatch):
    monkeypatch.setenv("GUESSFIRST_LRS_PASSWORD", PASSWORD)
    push = ["xapi", logs, *WHERE, "--pseudonymize", "pepper", "--user", USER]
    with running() as fake:
        status, said, err = run(capsys, *push, "--lrs", fake.url)
        again = run(capsys, *push, "--lrs", fake.url)
    assert (status, err) == (0, "")
    assert said == (
        f"Sent 14 statements to {fake.url}statements (0 already there; pseudonymized, "
        "no free text).\n"
    )
    assert again == (0, f"Nothing new to send to {fake.url}statements.\n", "")
    assert len(fake.stored) == 14 and len(fake.batches) == 1


def test_a_token_from_the_environment_is_sent_as_a_bearer_token(logs, capsys, monkeypatch):
    monkeypatch.setenv("GUESSFIRST_LRS_TOKEN", "t0ken")
    with running() as fake:
        status, _, _ = run(capsys, "xapi", logs, *WHERE, "--real-ids", "--lrs", fake.url)
    assert status == 0
    assert {headers["authorization"] for headers in fake.headers} == {"Bearer t0ken"}


def test_refused_credentials_are_one_line_and_a_failing_status(logs, capsys):
    with running() as fake:
        argv = ["--user", USER, "--password", "wrong", "--lrs", fake.url]
        status, said, err = run(capsys, "xapi", logs, *WHERE, "--real-ids", *argv)
    assert (status, said) == (1, "")
    assert err == "guessfirst xapi: error: the LRS refused the credentials (401 Unauthorized)\n"


def test_missing_credentials_are_one_line_before_logs_are_read(tmp_path, capsys):
    status, _, err = run(
        capsys, "xapi", tmp_path, *WHERE, "--real-ids", "--lrs", "https://lrs.example"
    )
    assert status == 2 and err.startswith("guessfirst xapi: error: the LRS needs credentials")


def test_an_lrs_gone_quiet_says_the_same_command_resumes(logs, capsys, monkeypatch):
    monkeypatch.setattr(_retry, "FIRST_WAIT", 0)
    monkeypatch.setenv("GUESSFIRST_LRS_PASSWORD", PASSWORD)
    with running() as fake:
        push = ["xapi", logs, *WHERE, "--real-ids", "--user", USER, "--lrs", fake.url]
        fake.script = ["lrs"] + [503] * lrs.TRIES
        status, said, err = run(capsys, *push, "--batch-size", 5)
        resumed = run(capsys, *push, "--batch-size", 5)
    assert status == 1 and said.startswith("Sent 5 statements to ")
    assert err == (
        "guessfirst xapi: error: no answer from the LRS after 6 tries: 503 Service "
        "Unavailable; the same command resumes from there\n"
    )
    assert resumed[0] == 0 and resumed[1].startswith("Sent 9 statements to ")
    assert len(fake.stored) == 14


#: A request deadline and retry budget that keep these tests short.
BOUNDED = ["--timeout", "0.5", "--retry-budget", "2"]


@pytest.mark.parametrize(
    ("fault", "headers"),
    [
        ("trickle", {}),
        ("hang", {}),
        ("drop", {}),
        ("bad-status", {}),
        (503, {"Retry-After": "-1"}),
        (503, {"Retry-After": "nan"}),
        (429, {"Retry-After": "1e9"}),
    ],
)
def test_an_lrs_that_misbehaves_ends_the_push_with_one_line_within_the_budget(
    logs, capsys, monkeypatch, fault, headers
):
    monkeypatch.setenv("GUESSFIRST_LRS_PASSWORD", PASSWORD)
    with FaultLRS([fault] * 20) as server:
        server.answer_headers = headers
        push = ["xapi", logs, *WHERE, "--real-ids", "--user", USER, "--lrs", server.url]
        started = time.monotonic()
        status, said, err = run(capsys, *push, *BOUNDED)
        took = time.monotonic() - started
    assert (status, said, server.stored) == (1, "", {})
    assert err.startswith("guessfirst xapi: error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert took < 2 + 5  # not a timing: it did not hang


def test_a_push_cut_by_a_hanging_lrs_resumes_and_sends_each_statement_once(
    logs, capsys, monkeypatch
):
    monkeypatch.setenv("GUESSFIRST_LRS_PASSWORD", PASSWORD)
    with FaultLRS(["lrs"] + ["hang"] * 20) as server:
        push = ["xapi", logs, *WHERE, "--real-ids", "--user", USER, "--lrs", server.url]
        status, said, err = run(capsys, *push, *BOUNDED, "--batch-size", 5)
        server.script.clear()
        resumed = run(capsys, *push, "--batch-size", 5)
    assert status == 1 and said.startswith("Sent 5 statements to ")
    assert err == (
        "guessfirst xapi: error: no answer from the LRS within the 2 s retry budget (2 tries): "
        "no complete answer within 0.5 s; the same command resumes from there\n"
    )
    assert resumed[0] == 0 and resumed[1].startswith("Sent 9 statements to ")
    assert len(server.accepted) == len(set(server.accepted)) == 14


@pytest.mark.parametrize(
    "option", [["--timeout", "0"], ["--timeout", "nan"], ["--retry-budget", "-1"]]
)
def test_times_must_be_numbers_of_seconds(logs, capsys, option):
    with pytest.raises(SystemExit) as stop:
        cli.main(["xapi", str(logs), *WHERE, "--real-ids", "--lrs", "https://lrs.example", *option])
    assert stop.value.code == 2
    assert f"{option[0]}: a number of seconds" in capsys.readouterr().err


def test_an_edited_log_is_named_and_fails_the_run(logs, capsys, monkeypatch):
    monkeypatch.setenv("GUESSFIRST_LRS_PASSWORD", PASSWORD)
    ana = logs / "ana.jsonl"
    with running() as fake:
        push = ["xapi", logs, *WHERE, "--real-ids", "--user", USER, "--lrs", fake.url]
        run(capsys, *push)
        ana.write_bytes(ana.read_bytes().replace(b'"Sydney"', b'"Canberra"'))
        status, said, _ = run(capsys, *push)
    assert status == 1
    assert said.splitlines() == [
        f"Nothing new to send to {fake.url}statements.",
        f"Not sent: {ana}: it changed in the part already sent to this LRS "
        "(--from-start sends it all)",
        "1 log failed verification: ana.jsonl (see guessfirst verify)",
    ]


def test_a_bar_shows_the_sending_on_a_terminal_only(logs, capsys, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(_terminal, "BAR_DELAY", 0)
    monkeypatch.setenv("GUESSFIRST_LRS_PASSWORD", PASSWORD)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with running() as fake:
        push = ["xapi", logs, *WHERE, "--real-ids", "--user", USER, "--lrs", fake.url]
        assert cli.main([str(arg) for arg in push] + ["--batch-size", "3"]) == 0
    drawn = terminal.getvalue()
    assert "\rSending [######........................] 3/14" in drawn
    assert drawn.endswith("\r") and drawn.split("\r")[-2].strip() == ""  # erased when done


def test_the_command_explains_itself_with_examples(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["xapi", "--help"])
    text = capsys.readouterr().out
    assert stop.value.code == 0
    assert "example:\n  guessfirst xapi collected/ " in text
    assert "GUESSFIRST_LRS_PASSWORD=... guessfirst xapi" in text
    words = " ".join(text.split())
    assert "--timeout SECONDS" in words and f"(default: {lrs.DEADLINE:g})" in words
    assert "--retry-budget SECONDS" in words and f"(default: {lrs.RETRY_BUDGET:g})" in words
