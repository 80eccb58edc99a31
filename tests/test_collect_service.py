"""`guessfirst collect --service-store`: each student's logs compared with the hub service's
copy; unconfirmed lines count only when asked, and nothing counts twice or is lost."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from guessfirst.log import eventlog
from guessfirst.teacher import cli, collect, report
from guessfirst.teacher.hubservice import Store

DEC_2 = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


def attempt(student: str, question: str, correct: bool = False) -> dict:
    return eventlog.make_event(
        "attempt",
        student=student,
        session="s",
        notebook="lesson.ipynb",
        question=question,
        qversion="0123456789ab",
        attempt=1,
        response="80" if correct else "180",
        correct=correct,
        confidence=None,
        latency_ms=1000,
        misconception=None,
    )


def log(homes: Path, user: str, student: str = "") -> Path:
    return homes / user / "lesson" / "guessfirst-logs" / f"{student or user}.jsonl"


def events_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def send(store: Store, user: str, events: list[dict], minutes: int = 0) -> None:
    for event in events:
        store.receive(user, event, DEC_2 + timedelta(minutes=minutes))


def rewrite(path: Path, events: list[dict]) -> None:
    """The log written again from ``events``, its chain computed afresh."""
    path.unlink()
    eventlog.append_events(path, [{k: v for k, v in e.items() if k != "prev"} for e in events])


@pytest.fixture
def place(tmp_path: Path) -> tuple[Path, Store, Path]:
    return tmp_path / "home", Store(tmp_path / "store"), tmp_path / "collected"


def gather(place: tuple[Path, Store, Path], *, store: bool = True) -> Path:
    homes, service, out = place
    collect.collect(
        into=out, homes=[homes], service_store=service.folder if store else None, now=DEC_2
    )
    return out


def graded(out: Path, policy: str = "participation", **options: bool):
    logs = report.read(out)
    try:
        return report.grades(logs, policy, **options).set_index("student")
    finally:
        logs.close()


def confirmations(out: Path) -> dict:
    return json.loads((out / collect.CONFIRMATIONS).read_text(encoding="utf-8"))


def test_an_exact_copy_is_confirmed_whole_and_grades_as_without_it(place, tmp_path):
    homes, service, _ = place
    path = log(homes, "alice")
    eventlog.append_events(path, [attempt("alice", q, q == "b") for q in ("a", "b", "c")])
    send(service, "alice", events_of(path))
    out = gather(place)
    assert (out / "hub-service" / "alice.jsonl").is_file()
    found = confirmations(out)
    assert found["copies"][0]["confirmed"] == 3
    assert found["copies"][0]["unconfirmed"] == [] == found["copies"][0]["altered"]
    assert found["students"][0]["confirmed_share"] == 1.0
    assert not [f for f in collect.flags(out) if f.kind in ("unconfirmed", "altered-since-sent")]
    plain = gather((homes, service, tmp_path / "plain"), store=False)
    for policy in report.POLICIES:
        with_hub, without = graded(out, policy), graded(plain, policy)
        assert with_hub["hub_confirmed"].tolist() == [1.0]
        assert with_hub.drop(columns="hub_confirmed").equals(without)
    logs = report.read(out)
    built = report.Report(logs)
    assert built.questions["attempted"].tolist() == [1, 1, 1]  # not twice
    assert built.students["hub_confirmed"].tolist() == [1.0]
    logs.close()


def test_a_line_edited_after_it_was_sent_counts_as_sent(place):
    homes, service, _ = place
    path = log(homes, "alice")
    eventlog.append_events(path, [attempt("alice", q) for q in ("a", "b", "c")])
    send(service, "alice", events_of(path))
    edited = events_of(path)
    edited[1] = {**edited[1], "correct": True, "response": "80"}
    rewrite(path, edited)  # a valid chain: the log alone shows nothing
    out = gather(place)
    assert confirmations(out)["copies"][0]["altered"] == [[2, 2]]
    flags = [f for f in collect.flags(out) if f.kind == "altered-since-sent"]
    assert len(flags) == 1 and flags[0].lines == ((2, 2),) and flags[0].student == "alice"
    for include in (False, True):
        corrected = graded(out, "corrected", include_unconfirmed=include)
        assert corrected.loc["alice", "total"] == 0  # the hub's wrong answer counts
        assert graded(out, include_unconfirmed=include).loc["alice", "total"] == 3


def test_a_log_forged_in_another_students_name_is_unconfirmed(place):
    homes, service, _ = place
    bob = log(homes, "bob")
    eventlog.append_events(bob, [attempt("bob", "a"), attempt("bob", "b")])
    send(service, "bob", events_of(bob))
    alice = log(homes, "alice")
    eventlog.append_events(alice, [attempt("alice", "a", True)])
    send(service, "alice", events_of(alice))
    forged = log(homes, "alice", "bob")
    eventlog.append_events(forged, [attempt("bob", "a", True), attempt("bob", "c", True)])
    out = gather(place)
    kinds = {(f.kind, f.student) for f in collect.flags(out)}
    assert {("owner-mismatch", "bob"), ("unconfirmed", "bob")} <= kinds
    copy = next(c for c in confirmations(out)["copies"] if c["file"] == "alice/lesson__bob.jsonl")
    assert copy["unconfirmed"] == [[1, 2]] and copy["confirmed"] == 0
    assert graded(out, "corrected").loc["bob", "total"] == 0
    assert graded(out, "corrected", include_flagged=True).loc["bob", "total"] == 0
    both = graded(out, "corrected", include_flagged=True, include_unconfirmed=True)
    assert both.loc["bob", "total"] == 2
    shares = graded(out)["hub_confirmed"]
    assert shares["alice"] == 1.0 and shares["bob"] == pytest.approx(2 / 4)
    logs = report.read(out)
    questions = report.Report(logs).questions.set_index("question")
    assert "c" not in questions.index  # only the forged log attempted it
    logs.close()
    logs = report.read(out, include_unconfirmed=True)
    assert "c" in set(report.Report(logs).questions["question"])
    logs.close()


def test_lines_sent_late_count_once(place):
    homes, service, _ = place
    path = log(homes, "alice")
    eventlog.append_events(path, [attempt("alice", q, True) for q in ("a", "b")])
    send(service, "alice", events_of(path))
    eventlog.append_events(path, [attempt("alice", q, True) for q in ("c", "d")])
    # The service was down: the kernel sends the waiting lines an hour later, and one twice.
    send(service, "alice", events_of(path)[1:], minutes=60)
    out = gather(place)
    assert confirmations(out)["copies"][0]["confirmed"] == 4
    assert graded(out, "corrected").loc["alice", "total"] == 4
    logs = report.read(out)
    built = report.Report(logs)
    assert built.questions["attempted"].tolist() == [1, 1, 1, 1]
    assert built.students.set_index("student").loc["alice", "first_try_correct"] == 4
    assert logs.query("SELECT count(*) AS n FROM events")["n"][0] == 4
    logs.close()


def test_unsent_lines_wait_for_the_teacher_and_hub_only_lines_are_kept(place, capsys):
    homes, service, _ = place
    path = log(homes, "alice")
    eventlog.append_events(path, [attempt("alice", q, True) for q in ("a", "b", "c")])
    send(service, "alice", events_of(path))
    kept = path.read_bytes().splitlines(keepends=True)[:2]
    path.write_bytes(b"".join(kept))  # the end cut off: "c" is only at the hub
    eventlog.append_events(path, [attempt("alice", q, True) for q in ("d", "e")])  # never sent
    out = gather(place)
    found = confirmations(out)
    assert found["copies"][0]["unconfirmed"] == [[3, 4]]
    person = found["students"][0]
    assert (person["received"], person["hub_only"], person["unconfirmed"]) == (3, 1, 2)
    kinds = {f.kind for f in collect.flags(out)}
    assert {"unconfirmed", "hub-only"} <= kinds
    counted = graded(out, "corrected")
    assert counted.loc["alice", "total"] == 3  # a, b from the log and the hub; c from the hub
    assert counted.loc["alice", "hub_confirmed"] == pytest.approx(3 / 5)
    assert graded(out, "corrected", include_unconfirmed=True).loc["alice", "total"] == 5
    logs = report.read(out)
    assert report.grades(logs, "corrected", include_unconfirmed=True).loc[0, "total"] == 5
    assert report.grades(logs, "corrected").loc[0, "total"] == 3
    logs.close()


@pytest.fixture
def class_with_a_hub(place) -> Path:
    """alice sent everything; bob wrote two lines while the service was down; carol has
    no copy at the hub."""
    homes, service, _ = place
    for student, sent in (("alice", 2), ("bob", 1), ("carol", 0)):
        path = log(homes, student)
        eventlog.append_events(path, [attempt(student, "a", True), attempt(student, "b", True)])
        if sent:
            send(service, student, events_of(path)[:sent])
    return gather(place)


def test_the_share_is_stated_in_grades_report_and_cli(class_with_a_hub, tmp_path, capsys):
    out = class_with_a_hub
    shares = graded(out)["hub_confirmed"]
    assert shares["alice"] == 1.0 and shares["bob"] == 0.5 and pd_na(shares["carol"])
    grades_csv = tmp_path / "grades.csv"
    assert cli.main(["grades", str(out), "-o", str(grades_csv)]) == 0
    said = capsys.readouterr().out
    assert "Confirmed by the school's hub: alice 100%, bob 50%" in said
    assert "1 event the hub never received left out (--include-unconfirmed counts them)" in said
    rows = {r["student"]: r for r in csv.DictReader(grades_csv.open(encoding="utf-8-sig"))}
    assert rows["alice"]["hub_confirmed"] == "1.0" and rows["carol"]["hub_confirmed"] == ""
    assert rows["bob"]["total"] == "1" and rows["carol"]["total"] == "2"
    cli.main(["grades", str(out), "--include-unconfirmed", "-o", str(grades_csv)])
    rows = {r["student"]: r for r in csv.DictReader(grades_csv.open(encoding="utf-8-sig"))}
    assert rows["bob"]["total"] == "2"
    page = tmp_path / "report.html"
    assert cli.main(["report", str(out), "-o", str(page)]) == 0
    said = capsys.readouterr().out
    assert "3 students, 5 events" in said  # bob's line the hub never received is left out
    assert "Confirmed by the school's hub: alice 100%, bob 50%" in said
    html = page.read_text(encoding="utf-8")
    assert "Confirmed by the school&#x27;s hub" in html or "Confirmed by the school's hub" in html
    assert "Confirmed by the hub" in html and "50%" in html
    assert "--include-unconfirmed" in html
    assert 'href="#hub"' in html  # the flags section points to the hub's


def pd_na(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_verify_and_collect_show_the_new_flags(place, capsys):
    homes, service, out = place
    path = log(homes, "bob")
    eventlog.append_events(path, [attempt("bob", "a"), attempt("bob", "b")])
    send(service, "bob", events_of(path)[:1])
    status = cli.main(
        ["collect", "--homes", str(homes), "--service-store", str(service.folder), "-o", str(out)]
    )
    said = capsys.readouterr().out
    assert status == 1
    assert "bob: 1 of 2 events confirmed by the hub, 1 never received" in said
    assert "unconfirmed: " in said and "1 of 2 lines (line 2) was never received" in said
    assert cli.main(["verify", str(out)]) == 1
    said = capsys.readouterr().out
    assert "unconfirmed: " in said and "lesson__bob.jsonl" in said
    # Collected again with nothing new: the comparison stands, and is not said twice.
    done = collect.collect(into=out, homes=[homes], service_store=service.folder)
    assert not [f for f in done.flags if f.kind == "unconfirmed"]
    assert [f.kind for f in collect.flags(out)].count("unconfirmed") == 1


def test_a_later_change_to_the_service_copy_is_seen(place):
    homes, service, out = place
    path = log(homes, "alice")
    eventlog.append_events(path, [attempt("alice", "a")])
    send(service, "alice", events_of(path))
    gather(place)
    copy = out / "hub-service" / "alice.jsonl"
    copy.chmod(0o600)
    copy.write_bytes(copy.read_bytes() + b"\n")
    assert "copy-altered" in {f.kind for f in collect.flags(out)}


def test_no_store_no_change(place):
    homes, _, out = place
    eventlog.append_events(log(homes, "alice"), [attempt("alice", "a")])
    done = gather(place, store=False)
    assert not (done / collect.CONFIRMATIONS).exists()
    assert "hub_confirmed" not in graded(out).columns
    logs = report.read(out)
    assert logs.hub.empty
    assert "school&#x27;s hub" not in report.Report(logs).html()
    logs.close()


def test_the_spark_engine_counts_alike(class_with_a_hub, need_java):
    pytest.importorskip("pyspark")
    from guessfirst.teacher.report import _spark

    session = _spark.session("local[1]")
    try:
        for include in (False, True):
            tables = {}
            for engine in ("duckdb", "spark"):
                logs = report.read(class_with_a_hub, engine=engine, include_unconfirmed=include)
                built = report.Report(logs)
                tables[engine] = (
                    report.grades(logs).to_dict("list"),
                    built.questions[["question", "attempted"]].to_dict("list"),
                    built.students[["student", "first_try_correct"]].to_dict("list"),
                )
                logs.close()
            assert tables["duckdb"] == tables["spark"]
            grades = dict(zip(*(tables["spark"][0][k] for k in ("student", "total")), strict=True))
            assert grades["bob"] == (2 if include else 1)
    finally:
        session.stop()
