"""`guessfirst collect` from hub homes, and the ledger that remembers every collection."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from guessfirst.log import eventlog
from guessfirst.teacher import cli, collect
from guessfirst.teacher.cli import _terminal
from guessfirst.teacher.collect import _homes

DEC_2 = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
DEC_9 = datetime(2026, 12, 9, 12, 0, tzinfo=timezone.utc)
DEC_16 = datetime(2026, 12, 16, 12, 0, tzinfo=timezone.utc)


def event(student: str, number: int) -> dict:
    return eventlog.make_event(
        "attempt",
        student=student,
        session="s",
        notebook="lesson.ipynb",
        question=f"q{number}",
        qversion="0123456789ab",
        attempt=1,
        response=str(number),
        correct=number % 2 == 0,
        confidence=None,
        latency_ms=1000,
        misconception=None,
    )


def write_log(path: Path, student: str, count: int, start: int = 1) -> Path:
    """``count`` more events of ``student`` at the end of the log at ``path``."""
    eventlog.append_events(path, [event(student, n) for n in range(start, start + count)])
    return path


def lesson_log(homes: Path, user: str, lesson: str, count: int, student: str = "") -> Path:
    path = homes / user / lesson / "guessfirst-logs" / f"{student or user}.jsonl"
    return write_log(path, student or user, count)


@pytest.fixture
def homes(tmp_path: Path) -> Path:
    """A hub's /home: alice and bob with two lessons each, carol's log deeper down."""
    folder = tmp_path / "home"
    for user in ("alice", "bob"):
        for lesson in ("fractions", "rates"):
            lesson_log(folder, user, lesson, 8)
    lesson_log(folder, "carol", "term1/week2", 3)
    (folder / "carol" / "data.jsonl").write_text('{"not": "a log"}\n')  # not in guessfirst-logs
    return folder


def records(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "ledger.jsonl").read_text().splitlines()]


def cut(path: Path, keep: int) -> None:
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:keep]))


def edit(path: Path, number: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_bytes(b"".join(lines))


def snapshot(folder: Path) -> dict[str, str]:
    """Every stored copy's sha256, by its path in the collection folder."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*.jsonl"))
        if path.name != "ledger.jsonl"
    }


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


# -- homes -----------------------------------------------------------------------------


def test_each_home_is_its_users_and_each_lesson_keeps_its_own_copy(homes, tmp_path):
    into = tmp_path / "collected"
    done = collect.collect(homes=[homes], into=into, now=DEC_2)
    assert (len(done.new), len(done.updated), done.unchanged) == (5, 0, 0)
    assert set(snapshot(into)) == {
        "alice/fractions__alice.jsonl",
        "alice/rates__alice.jsonl",
        "bob/fractions__bob.jsonl",
        "bob/rates__bob.jsonl",
        "carol/term1__week2__carol.jsonl",
    }
    source = homes / "alice" / "rates" / "guessfirst-logs" / "alice.jsonl"
    assert (into / "alice" / "rates__alice.jsonl").read_bytes() == source.read_bytes()
    ledger = {record["stored"]: record for record in records(into)}
    alice = ledger["alice/rates__alice.jsonl"]
    lines = source.read_bytes().splitlines()
    assert alice["owner"] == "alice" and alice["kind"] == "home"
    assert alice["source"] == str(source)
    assert alice["key"] == "home/alice/rates/guessfirst-logs/alice.jsonl"
    assert (alice["size"], alice["lines"]) == (source.stat().st_size, 8)
    assert alice["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert alice["last_line"] == hashlib.sha256(lines[-1]).hexdigest()
    assert alice["students"] == ["alice"] and alice["copied"] is True
    assert alice["at"] == "2026-12-02T12:00:00.000Z"
    assert alice["since"] == [[1, 8, "2026-12-02T12:00:00.000Z"]]
    assert done.flags == [] and collect.flags(into) == []


def test_a_second_run_copies_nothing_that_did_not_change(homes, tmp_path):
    into = tmp_path / "collected"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    before = snapshot(into)
    again = collect.collect(homes=[homes], into=into, now=DEC_9)
    assert (len(again.new), len(again.updated), again.unchanged) == (0, 0, 5)
    assert snapshot(into) == before
    second = records(into)[5:]
    assert len(second) == 5 and not any(record["copied"] for record in second)
    assert {record["at"] for record in second} == {"2026-12-09T12:00:00.000Z"}


def test_a_log_that_grew_is_a_new_copy_beside_the_old_and_no_flag(homes, tmp_path):
    into = tmp_path / "collected"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    log = homes / "bob" / "rates" / "guessfirst-logs" / "bob.jsonl"
    write_log(log, "bob", 2, start=9)
    before = snapshot(into)
    done = collect.collect(homes=[homes], into=into, now=DEC_9)
    assert [record.stored for record in done.updated] == ["bob/rates__bob.v2.jsonl"]
    assert done.flags == []
    assert {name: digest for name, digest in snapshot(into).items() if name in before} == before
    (grown,) = [r for r in records(into) if r["stored"] == "bob/rates__bob.v2.jsonl"]
    assert grown["since"] == [
        [1, 8, "2026-12-02T12:00:00.000Z"],
        [9, 10, "2026-12-09T12:00:00.000Z"],
    ]


def test_lines_cut_off_the_end_are_named_with_the_day_they_were_collected(homes, tmp_path):
    into = tmp_path / "collected"
    log = homes / "bob" / "fractions" / "guessfirst-logs" / "bob.jsonl"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    write_log(log, "bob", 4, start=9)  # lines 9-12, collected on 9 December
    collect.collect(homes=[homes], into=into, now=DEC_9)
    cut(log, 6)  # lines 7-8 from 2 December and 9-12 from 9 December are gone
    done = collect.collect(homes=[homes], into=into, now=DEC_16)

    (flag,) = done.flags
    assert flag.kind == "shortened" and flag.student == "bob" and flag.owner == "bob"
    assert flag.file == "bob/fractions__bob.v3.jsonl"
    assert flag.lines == ((7, 12),)
    assert flag.detail == (
        "lines 7-8, collected on 2 December, and lines 9-12, collected on 9 December, are "
        "gone (the earlier copy keeps them: bob/fractions__bob.v2.jsonl)"
    )
    kept = (into / "bob" / "fractions__bob.v2.jsonl").read_bytes()
    assert len(kept.splitlines()) == 12  # nothing collected is lost
    assert collect.flags(into) == [flag]


def test_a_line_cut_in_its_middle_is_gone_too(homes, tmp_path):
    into = tmp_path / "collected"
    log = homes / "alice" / "rates" / "guessfirst-logs" / "alice.jsonl"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    log.write_bytes(log.read_bytes()[:-30])
    (flag,) = collect.collect(homes=[homes], into=into, now=DEC_9).flags
    assert flag.kind == "shortened"
    assert flag.detail.startswith("line 8, collected on 2 December, is gone")


def test_an_edit_in_the_middle_names_the_line_and_its_day(homes, tmp_path):
    into = tmp_path / "collected"
    log = homes / "alice" / "fractions" / "guessfirst-logs" / "alice.jsonl"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    edit(log, 3, b'"correct":false', b'"correct":true')
    write_log(log, "alice", 1, start=9)  # the edited log goes on growing
    done = collect.collect(homes=[homes], into=into, now=DEC_9)
    (flag,) = done.flags
    assert flag.kind == "changed" and flag.lines == ((3, 3),)
    assert flag.detail == (
        "line 3, collected on 2 December, was changed "
        "(the earlier copy keeps them: alice/fractions__alice.jsonl)"
    )
    assert flag.file == "alice/fractions__alice.v2.jsonl"


def test_lines_removed_or_slipped_in_among_earlier_ones_are_changes(homes, tmp_path):
    into = tmp_path / "collected"
    log = homes / "alice" / "fractions" / "guessfirst-logs" / "alice.jsonl"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join([*lines[:2], lines[4], b'{"forged": 1}\n', *lines[5:]]))
    (flag,) = collect.collect(homes=[homes], into=into, now=DEC_9).flags
    assert flag.kind == "changed"
    assert "lines 3-4, collected on 2 December, were" in flag.detail
    assert flag.lines == ((3, 4),)
    slipped = homes / "bob" / "rates" / "guessfirst-logs" / "bob.jsonl"
    lines = slipped.read_bytes().splitlines(keepends=True)
    slipped.write_bytes(b"".join([*lines[:4], b'{"backdated": 1}\n', *lines[4:]]))
    (flag,) = collect.collect(homes=[homes], into=into, now=DEC_16).flags
    assert flag.detail.startswith("1 line was added before line 5")


def test_a_log_deleted_from_a_home_is_missing_and_its_copy_kept(homes, tmp_path):
    into = tmp_path / "collected"
    log = homes / "alice" / "rates" / "guessfirst-logs" / "alice.jsonl"
    kept = log.read_bytes()
    collect.collect(homes=[homes], into=into, now=DEC_2)
    log.unlink()
    done = collect.collect(homes=[homes], into=into, now=DEC_9)
    (flag,) = done.flags
    assert (flag.kind, flag.student, flag.file, flag.lines) == (
        "missing",
        "alice",
        "alice/rates__alice.jsonl",
        ((1, 8),),
    )
    assert flag.detail == (
        "the log collected on 2 December (8 lines) is no longer in alice's home "
        "(the earlier copy keeps it: alice/rates__alice.jsonl)"
    )
    assert (into / "alice" / "rates__alice.jsonl").read_bytes() == kept
    assert collect.collect(homes=[homes], into=into, now=DEC_16).flags == []  # said once
    log.write_bytes(kept)  # put back as it was: nothing new to say
    back = collect.collect(homes=[homes], into=into, now=DEC_16)
    assert back.flags == [] and back.unchanged == 5


def test_only_the_homes_searched_can_miss_a_log(homes, tmp_path):
    into = tmp_path / "collected"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    other = tmp_path / "other-hub"
    lesson_log(other, "zoe", "rates", 1)
    done = collect.collect(homes=[other], into=into, now=DEC_9)
    assert done.flags == [] and len(done.new) == 1


def test_a_forged_student_in_someone_elses_home_names_both(homes, tmp_path):
    into = tmp_path / "collected"
    forged = lesson_log(homes, "bob", "rates", 2, student="alice")  # alice.jsonl in bob's home
    done = collect.collect(homes=[homes], into=into, now=DEC_2)
    (flag,) = done.flags
    assert flag.kind == "owner-mismatch" and flag.student == "alice" and flag.owner == "bob"
    assert flag.detail == "in bob's home, but its lines are those of student 'alice'"
    assert flag.file == "bob/rates__alice.jsonl"
    assert flag.source == str(forged)
    # flagged once: the next collection of the same log does not repeat it
    write_log(forged, "alice", 1, start=3)
    assert collect.collect(homes=[homes], into=into, now=DEC_9).flags == []
    assert [f.kind for f in collect.flags(into)] == ["owner-mismatch"]


def test_a_roster_links_pseudonymous_ids_to_hub_logins(homes, tmp_path):
    lesson_log(homes, "dan", "rates", 2, student="p-4821")
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name,login_id\np-4821,Dan Oh,dan@school.example\n")
    done = collect.collect(homes=[homes], into=tmp_path / "c", roster=roster, now=DEC_2)
    assert done.flags == []
    without = collect.collect(homes=[homes], into=tmp_path / "c2", now=DEC_2)
    assert [(f.kind, f.student, f.owner) for f in without.flags] == [
        ("owner-mismatch", "p-4821", "dan")
    ]


def test_a_file_another_unix_user_owns_is_flagged(homes, tmp_path, monkeypatch):
    real = _homes._expected_uid
    monkeypatch.setattr(
        _homes, "_expected_uid", lambda name, uid: uid + 1 if name == "alice" else real(name, uid)
    )
    done = collect.collect(homes=[homes], into=tmp_path / "collected", now=DEC_2)
    assert {(f.kind, f.owner) for f in done.flags} == {("foreign-owner", "alice")}
    assert len(done.flags) == 2  # both of alice's lessons
    assert all(f.detail.startswith("in alice's home, but the file belongs to ") for f in done.flags)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root"
)
def test_a_file_chowned_to_another_user_is_flagged(homes, tmp_path):
    log = homes / "carol" / "term1" / "week2" / "guessfirst-logs" / "carol.jsonl"
    os.chown(log, 65534, -1)
    done = collect.collect(homes=[homes], into=tmp_path / "collected", now=DEC_2)
    (flag,) = done.flags
    assert flag.kind == "foreign-owner" and flag.owner == "carol"
    assert "belongs to" in flag.detail


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_links_and_pipes_in_a_home_are_skipped_not_followed(homes, tmp_path):
    logs = homes / "bob" / "rates" / "guessfirst-logs"
    secret = tmp_path / "secret.jsonl"
    secret.write_text('{"student": "bob"}\n')
    (logs / "linked.jsonl").symlink_to(secret)
    os.mkfifo(logs / "pipe.jsonl")  # reading it would wait for ever
    done = collect.collect(homes=[homes], into=tmp_path / "collected", now=DEC_2)
    reasons = {Path(source).name: why for source, why in done.skipped}
    assert reasons == {"linked.jsonl": "a link: not followed", "pipe.jsonl": "not a regular file"}
    assert len(done.new) == 5


# -- the collection folder and the ledger ------------------------------------------------


def test_a_copy_is_never_overwritten(homes, tmp_path):
    into = tmp_path / "collected"
    (into / "alice").mkdir(parents=True)
    (into / "alice" / "rates__alice.jsonl").write_bytes(b"the teacher's own file\n")
    collect.collect(homes=[homes], into=into, now=DEC_2)
    assert (into / "alice" / "rates__alice.jsonl").read_bytes() == b"the teacher's own file\n"
    (stored,) = [
        r["stored"]
        for r in records(into)
        if r["source"].endswith("rates/guessfirst-logs/alice.jsonl")
    ]
    assert stored.startswith("alice/rates__alice-") and stored.endswith(".jsonl")


def test_verify_checks_the_stored_copies_and_the_flags(homes, tmp_path, capsys):
    into = tmp_path / "collected"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    status, out, _ = run(capsys, "verify", into)
    assert status == 0
    assert "ledger.jsonl" not in out.replace(f"Ledger {into / 'ledger.jsonl'}", "")
    assert out.splitlines()[-2:] == [
        "All 5 files intact.",
        f"Ledger {into / 'ledger.jsonl'}: no flags",
    ]

    cut(homes / "bob" / "fractions" / "guessfirst-logs" / "bob.jsonl", 5)
    collect.collect(homes=[homes], into=into, now=DEC_9)
    (into / "carol" / "term1__week2__carol.jsonl").unlink()  # the teacher's folder lost one
    status, out, _ = run(capsys, "verify", into)
    assert status == 1
    flagged = out.split("Ledger ")[1].splitlines()
    assert flagged[0].endswith("ledger.jsonl: 2 flags")
    assert flagged[1] == (
        f"  shortened: {into / 'bob' / 'fractions__bob.v2.jsonl'}: lines 6-8, collected on "
        "2 December, are gone (the earlier copy keeps them: bob/fractions__bob.jsonl)"
    )
    assert flagged[2] == (
        f"  copy-altered: {into / 'carol' / 'term1__week2__carol.jsonl'}: "
        "the copy collected on 2 December is missing"
    )


def test_a_damaged_ledger_line_is_reported_not_a_crash(homes, tmp_path, capsys):
    into = tmp_path / "collected"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    with (into / "ledger.jsonl").open("ab") as ledger:
        ledger.write(b'{"v": 1, "stored": "../../etc/passwd"}\nnot json\n{"v": 1, "at": ')
    done = collect.collect(homes=[homes], into=into, now=DEC_9)
    assert [line for line, _ in done.problems] == [6, 7, 8]
    assert done.unchanged == 5  # what could be read still counts
    kinds = [(flag.kind, flag.detail.split(":")[0]) for flag in collect.flags(into)]
    assert kinds == [("damaged-ledger", f"line {n}") for n in (6, 7, 8)]
    # the half-written last line was ended, not fused with the next record
    assert len(collect.read_ledger(into).records) == 10

    status, out, _ = run(capsys, "collect", "--homes", homes, "-o", into)
    assert status == 1
    assert "Ledger line 7 is damaged and was not read: not valid JSON" in out


def test_a_ledger_is_data_never_a_path_out_of_the_folder(tmp_path):
    line = {
        "v": 1,
        "at": "2026-12-02T12:00:00.000Z",
        "run": "r",
        "kind": "file",
        "source": "x",
        "key": "k",
        "owner": None,
        "stored": "../outside.jsonl",
        "copied": True,
        "size": 1,
        "lines": 1,
        "sha256": "0" * 64,
        "first_line": None,
        "last_line": None,
    }
    (tmp_path / "ledger.jsonl").write_text(json.dumps(line) + "\n")
    (problem,) = collect.read_ledger(tmp_path).problems
    assert problem == (1, "'stored' should be a path inside the collection folder")


def test_two_collections_into_one_folder_take_turns(homes, tmp_path):
    import threading
    import time

    from guessfirst.teacher.collect._ledger import Ledger

    into = tmp_path / "collected"
    into.mkdir()
    holding = Ledger(into)  # another teacher's collection, under way
    other = threading.Thread(target=collect.collect, kwargs={"homes": [homes], "into": into})
    other.start()
    time.sleep(0.3)
    assert other.is_alive() and (into / "ledger.jsonl").read_bytes() == b""
    holding.close()
    other.join(timeout=30)
    assert not other.is_alive() and len(records(into)) == 5


@pytest.mark.skipif(os.name != "posix", reason="unix file modes")
def test_copies_and_the_ledger_are_the_teachers_alone(homes, tmp_path):
    into = tmp_path / "collected"
    collect.collect(homes=[homes], into=into, now=DEC_2)
    assert (into / "ledger.jsonl").stat().st_mode & 0o777 == 0o600
    assert (into / "alice" / "rates__alice.jsonl").stat().st_mode & 0o777 == 0o600
    assert (into / "alice").stat().st_mode & 0o777 == 0o700
    assert not list(into.rglob("*.partial"))


# -- plain sources and the command -----------------------------------------------------


def test_plain_files_folders_and_patterns_go_by_the_student_in_their_lines(tmp_path):
    drop = tmp_path / "drop"
    write_log(drop / "week1" / "guessfirst-logs" / "ana.jsonl", "ana", 3)
    write_log(drop / "week2" / "guessfirst-logs" / "ana.jsonl", "ana", 2)
    write_log(tmp_path / "loose" / "ben.jsonl", "ben", 2)
    into = tmp_path / "collected"
    done = collect.collect([drop, str(tmp_path / "lo*" / "*.jsonl")], into=into, now=DEC_2)
    assert sorted(r.stored for r in done.new) == [
        "ana/week1__ana.jsonl",
        "ana/week2__ana.jsonl",
        "ben/ben.jsonl",
    ]
    assert all(r.owner is None for r in done.new) and done.flags == []


def test_the_collection_folder_is_not_a_source(tmp_path):
    write_log(tmp_path / "logs" / "ana.jsonl", "ana", 1)
    collect.collect([tmp_path / "logs"], into=tmp_path / "logs" / "collected", now=DEC_2)
    again = collect.collect([tmp_path / "logs"], into=tmp_path / "logs" / "collected", now=DEC_9)
    assert again.unchanged == 1 and again.new == []  # its own copies were not taken as logs
    with pytest.raises(collect.CollectError, match="inside the collection folder"):
        collect.collect([tmp_path / "logs" / "collected"], into=tmp_path / "logs" / "collected")


def test_collect_command_prints_what_it_did_and_exits_1_on_a_flag(homes, tmp_path, capsys):
    into = tmp_path / "collected"
    status, out, err = run(capsys, "collect", "--homes", homes, "-o", into)
    assert status == 0 and err == ""
    assert out == f"Collected 5 logs into {into}: 5 new, 0 updated, 0 unchanged.\n"
    cut(homes / "alice" / "rates" / "guessfirst-logs" / "alice.jsonl", 2)
    status, out, _ = run(capsys, "collect", "--homes", homes, "-o", into)
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == f"Collected 5 logs into {into}: 0 new, 1 updated, 4 unchanged."
    assert lines[1] == "1 flag:"
    assert lines[2].startswith(
        f"  shortened: {into / 'alice' / 'rates__alice.v2.jsonl'}: lines 3-8"
    )


def test_student_text_cannot_drive_the_terminal(homes, tmp_path, capsys):
    evil = "\x1b[2J\x1b]0;pwned\x07mallory"
    write_log(homes / "bob" / "x" / "guessfirst-logs" / "\x1b[31mred.jsonl", evil, 1)
    status, out, _ = run(capsys, "collect", "--homes", homes, "-o", tmp_path / "collected")
    assert status == 1
    assert "\x1b" not in out and "\x07" not in out
    assert "its lines are those of student '\\x1b[2J\\x1b]0;pwned\\x07mallory'" in out
    stored = [p.name for p in (tmp_path / "collected" / "bob").iterdir()]
    assert all(name.isascii() and "\x1b" not in name for name in stored)


def test_collect_needs_a_source_and_a_missing_one_is_one_line(tmp_path, capsys):
    status, out, err = run(capsys, "collect", "-o", tmp_path / "c")
    assert status == 2 and out == ""
    assert err.startswith("guessfirst collect: error: say where the logs are")
    status, out, err = run(capsys, "collect", tmp_path / "nowhere", "-o", tmp_path / "c")
    assert status == 2 and out == ""
    assert err == f"guessfirst collect: error: No such file or folder: {tmp_path / 'nowhere'}\n"
    with pytest.raises(SystemExit) as stop:
        cli.main(["collect", "--help"])
    assert stop.value.code == 0
    assert "example:\n  guessfirst collect --homes /home -o collected/" in capsys.readouterr().out


def test_progress_is_told_after_every_log(homes, tmp_path, monkeypatch):
    seen: list[tuple[int, int]] = []
    collect.collect(homes=[homes], into=tmp_path / "c", progress=lambda *a: seen.append(a))
    assert seen == [(n, 5) for n in range(1, 6)]

    class Terminal:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    terminal = Terminal()
    monkeypatch.setattr(_terminal, "BAR_DELAY", 0)
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["collect", "--homes", str(homes), "-o", str(tmp_path / "c")]) == 0
    assert terminal.text.startswith("\rCollecting [") and terminal.text.endswith("\r")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([b'{"v":1,"student":"ana"}', b'{"v":1,"student":"ana"}'], ["ana"]),
        ([b'{"student":"ana"}', b'{"student":"anabel"}', b'{"student":"ana"}'], ["ana", "anabel"]),
        ([b'{"student":"a\\"b","r":"\\"student\\":\\"zoe\\""}'], ['a"b']),
        ([b'{"\\u0073tudent":"mallory","x":{"student":"alice"}}'], ["mallory"]),
        ([b'{"x":{"student":"alice"},"student":"bob"}'], ["bob"]),
        # a line no reader counts (a key twice) cannot hide the next line's spaced key
        ([b'{"student":"ana","student":"ana"}', b'{"student" :"mallory"}'], ["ana", "mallory"]),
        ([b"not json", b'{"student": 7}', b'["student"]'], []),
    ],
)
def test_the_student_ids_of_a_log_are_its_readers_ids(lines, expected):
    from guessfirst.teacher.collect._compare import students

    assert students(b"\n".join(lines) + b"\n") == expected


def test_a_folder_that_cannot_be_searched_is_said(homes, tmp_path, monkeypatch):
    hidden = homes / "bob" / "rates"
    real = os.scandir

    def scandir(path):  # as for a folder its student made unreadable (chmod 000)
        if Path(path) == hidden.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    done = collect.collect(homes=[homes], into=tmp_path / "collected", now=DEC_2)
    assert done.skipped == [(str(hidden), "cannot be searched: Permission denied")]
    assert len(done.new) == 4
