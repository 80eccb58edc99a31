"""`guessfirst collect` from LMS downloads (Canvas, Moodle) and nbgrader, and the zips it
refuses."""

from __future__ import annotations

import stat
import struct
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from guessfirst.teacher import collect
from guessfirst.teacher.collect import _lms
from test_collect import DEC_2, DEC_9, cut, run, write_log

DEC_16 = datetime(2026, 12, 16, 12, 0, tzinfo=timezone.utc)


def log_bytes(tmp_path: Path, student: str, count: int, start: int = 1) -> bytes:
    path = tmp_path / "made" / f"{student}-{start}-{count}.jsonl"
    return write_log(path, student, count, start).read_bytes()


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


# -- Canvas and Moodle ---------------------------------------------------------------------


def test_canvas_entries_say_whose_each_log_is(tmp_path):
    ana, ben = log_bytes(tmp_path, "ana", 3), log_bytes(tmp_path, "ben", 2)
    download = make_zip(
        tmp_path / "submissions.zip",
        {
            "leeana_12345_67890_ana.jsonl": ana,
            "kimben_LATE_23456_78901_ben.jsonl": ben,
            "leeana_12345_67891_notes.pdf": b"%PDF",
        },
    )
    into = tmp_path / "collected"
    done = collect.collect([download], into=into, now=DEC_2)
    found = {(r.kind, r.owner, r.stored) for r in done.new}
    assert found == {
        ("canvas", "leeana", "leeana/ana.jsonl"),
        ("canvas", "kimben", "kimben/ben.jsonl"),
    }
    assert (into / "leeana" / "ana.jsonl").read_bytes() == ana
    (record,) = [r for r in done.new if r.owner == "leeana"]
    assert record.source == f"{download}!leeana_12345_67890_ana.jsonl"
    assert done.flags == []  # an LMS name is not a student id: compared only through a roster


def test_moodle_folders_and_flat_names_say_whose_each_log_is(tmp_path):
    download = make_zip(
        tmp_path / "moodle.zip",
        {
            "Ana Lee_12345_assignsubmission_file_/lesson1/guessfirst-logs/ana.jsonl": log_bytes(
                tmp_path, "ana", 2
            ),
            "Ben Kim_23456_assignsubmission_file_ben.jsonl": log_bytes(tmp_path, "ben", 2),
            "Ana Lee_12345_assignsubmission_onlinetext_onlinetext.html": b"<p>hi</p>",
        },
    )
    done = collect.collect([download], into=tmp_path / "collected", now=DEC_2)
    assert {(r.kind, r.owner, r.stored) for r in done.new} == {
        ("moodle", "Ana Lee", "Ana_Lee-" + _hash("Ana Lee") + "/lesson1__ana.jsonl"),
        ("moodle", "Ben Kim", "Ben_Kim-" + _hash("Ben Kim") + "/ben.jsonl"),
    }


def _hash(name: str) -> str:
    import hashlib

    return hashlib.sha256(name.encode()).hexdigest()[:8]


def test_a_roster_compares_lms_owners_with_the_ids_in_the_logs(tmp_path):
    download = make_zip(
        tmp_path / "submissions.zip",
        {
            "leeana_12345_67890_ana.jsonl": log_bytes(tmp_path, "ana", 2),
            "kimben_23456_78901_ana.jsonl": log_bytes(tmp_path, "ana", 1, start=5),
            "ohdan_34567_78902_dan.jsonl": log_bytes(tmp_path, "dan", 1),
        },
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(
        'student,name,lms_id\nana,Ana Lee,12345\nben,Ben Kim,23456\ndan,"Oh, Dan",\n',
        encoding="utf-8",
    )
    done = collect.collect([download], into=tmp_path / "collected", roster=roster, now=DEC_2)
    (flag,) = done.flags  # leeana is user 12345, dan is "Oh, Dan": only ben's upload is not his
    assert (flag.kind, flag.owner, flag.student) == ("owner-mismatch", "kimben", "ana")
    assert flag.detail == "uploaded to Canvas by kimben, but its lines are those of student 'ana'"


def test_a_log_downloaded_again_is_compared_with_its_last_copy(tmp_path):
    first = log_bytes(tmp_path, "ana", 6)
    into = tmp_path / "collected"
    week1 = make_zip(tmp_path / "week1.zip", {"leeana_12345_67890_ana.jsonl": first})
    collect.collect([week1], into=into, now=DEC_2)
    # Canvas renames a file uploaded again; the zip has another name: the first line is the same
    shorter = b"".join(first.splitlines(keepends=True)[:4])
    week2 = make_zip(tmp_path / "week2.zip", {"leeana_12345_67999_ana-1.jsonl": shorter})
    done = collect.collect([week2], into=into, now=DEC_9)
    (flag,) = done.flags
    assert flag.kind == "shortened" and flag.file == "leeana/ana.v2.jsonl"
    assert flag.detail.startswith("lines 5-6, collected on 2 December, are gone")


# -- zips that are refused ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("../../.bashrc.jsonl", "climbs out of the zip with '..'"),
        ("leeana_1_2_/../../x.jsonl", "climbs out of the zip with '..'"),
        ("/etc/cron.d/x.jsonl", "is an absolute path"),
        ("C:\\Users\\x.jsonl", "is an absolute path"),
    ],
)
def test_a_zip_climbing_out_is_refused_whole(tmp_path, capsys, entry, why):
    download = make_zip(
        tmp_path / "evil.zip",
        {"leeana_12345_67890_ana.jsonl": log_bytes(tmp_path, "ana", 1), entry: b"{}\n"},
    )
    into = tmp_path / "collected"
    status, out, err = run(capsys, "collect", download, "-o", into)
    assert status == 2 and out == ""
    assert err == f"guessfirst collect: error: {download} is refused: its entry {entry!r} {why}\n"
    assert not (into / "ledger.jsonl").exists() and not list(into.rglob("*.jsonl"))


def test_a_link_in_a_zip_is_refused(tmp_path):
    download = tmp_path / "links.zip"
    with zipfile.ZipFile(download, "w") as archive:
        link = zipfile.ZipInfo("leeana_12345_67890_ana.jsonl")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/home/teacher/.ssh/id_rsa")
    with pytest.raises(collect.CollectError, match="is a link"):
        collect.collect([download], into=tmp_path / "collected")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(_lms, "MAX_ZIP_BYTES", 4 * 2**20)
    bomb = make_zip(
        tmp_path / "bomb.zip",
        {f"leeana_1234{n}_6789{n}_ana{n}.jsonl": b"\n" * (3 * 2**20) for n in range(2)},
    )
    assert bomb.stat().st_size < 64 * 1024
    status, _, err = run(capsys, "collect", bomb, "-o", tmp_path / "collected")
    assert status == 2
    assert err == (
        f"guessfirst collect: error: {bomb} is refused: its logs unpack to more than "
        "4,194,304 bytes (a zip bomb?)\n"
    )


def test_a_zip_entry_bigger_than_any_log_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(_lms, "MAX_LOG_BYTES", 1000)
    bomb = make_zip(tmp_path / "big.zip", {"a.jsonl": b"\n" * 1001})
    with pytest.raises(collect.CollectError, match="unpacks to 1,001 bytes, more than any log"):
        collect.collect([bomb], into=tmp_path / "collected")


def test_an_entry_that_lies_about_its_size_is_skipped_as_damaged(tmp_path):
    honest = log_bytes(tmp_path, "ana", 2)
    download = make_zip(
        tmp_path / "lying.zip",
        {"leeana_12345_67890_ana.jsonl": honest, "kimben_2_3_ben.jsonl": b"x" * 100_000},
    )
    data = bytearray(download.read_bytes())
    # the second entry says it unpacks to 100 bytes, in its own header and the directory
    local = data.find(b"PK\x03\x04", data.find(b"kimben") - 40)
    struct.pack_into("<I", data, local + 22, 100)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)
    download.write_bytes(bytes(data))
    done = collect.collect([download], into=tmp_path / "collected", now=DEC_2)
    assert [r.owner for r in done.new] == ["leeana"]
    ((source, why),) = done.skipped
    assert source.endswith("!kimben_2_3_ben.jsonl") and why.startswith("damaged in the zip")


def test_a_file_that_is_not_a_zip_is_one_clear_line(tmp_path, capsys):
    fake = tmp_path / "submissions.zip"
    fake.write_bytes(b"<html>session expired</html>")
    status, _, err = run(capsys, "collect", fake, "-o", tmp_path / "collected")
    assert status == 2 and err.startswith(f"guessfirst collect: error: {fake} cannot be read")


# -- nbgrader ------------------------------------------------------------------------------


def test_nbgrader_submitted_folders_are_their_students(tmp_path):
    course = tmp_path / "course"
    for student in ("ana", "ben"):
        write_log(
            course / "submitted" / student / "ps1" / "guessfirst-logs" / f"{student}.jsonl",
            student,
            2,
        )
    (course / "submitted" / "ana" / "ps1" / "data.jsonl").write_text("{}\n")
    write_log(course / "submitted" / "ben" / "ps2" / "guessfirst-logs" / "ana.jsonl", "ana", 1)
    done = collect.collect([course], into=tmp_path / "collected", now=DEC_2)
    assert sorted((r.kind, r.owner, r.stored) for r in done.new) == [
        ("nbgrader", "ana", "ana/ps1__ana.jsonl"),
        ("nbgrader", "ben", "ben/ps1__ben.jsonl"),
        ("nbgrader", "ben", "ben/ps2__ana.jsonl"),
    ]
    (flag,) = done.flags
    assert flag.kind == "owner-mismatch"
    assert flag.detail == "submitted by ben, but its lines are those of student 'ana'"


def test_nbgrader_exchange_submissions_are_compared_oldest_first(tmp_path):
    # the exchange itself is given: a folder per course, each with its inbound/
    inbound = tmp_path / "exchange" / "course101" / "inbound"
    log = inbound / "ana+ps1+2026-12-01 09:00:00.000000 UTC" / "guessfirst-logs" / "ana.jsonl"
    write_log(log, "ana", 5)
    later = inbound / "ana+ps1+2026-12-01 10:30:00.000000 UTC" / "guessfirst-logs" / "ana.jsonl"
    later.parent.mkdir(parents=True)
    later.write_bytes(log.read_bytes())
    cut(later, 3)  # the second submission lost two lines
    done = collect.collect([inbound.parents[1]], into=tmp_path / "collected", now=DEC_2)
    assert [r.stored for r in done.new] == ["ana/ps1__ana.jsonl"]
    assert [r.stored for r in done.updated] == ["ana/ps1__ana.v2.jsonl"]
    (flag,) = done.flags
    assert flag.kind == "shortened" and flag.lines == ((4, 5),)

    # after `nbgrader collect`, the course's submitted/ copy is the same log
    submitted = tmp_path / "course101" / "submitted" / "ana" / "ps1" / "guessfirst-logs"
    submitted.mkdir(parents=True)
    (submitted / "ana.jsonl").write_bytes(later.read_bytes())
    again = collect.collect([submitted.parents[3]], into=tmp_path / "collected", now=DEC_16)
    assert again.unchanged == 1 and again.flags == []


def test_an_assignment_not_collected_again_is_not_missing(tmp_path):
    exchange = tmp_path / "exchange" / "inbound"
    for assignment in ("ps1", "ps2"):
        submission = exchange / f"ana+{assignment}+2026-12-01 09:00:00.000000 UTC"
        write_log(submission / "guessfirst-logs" / "ana.jsonl", "ana", 2)
    into = tmp_path / "collected"
    collect.collect([exchange], into=into, now=DEC_2)
    submitted = tmp_path / "course" / "submitted" / "ana" / "ps1" / "guessfirst-logs"
    submitted.mkdir(parents=True)
    source = exchange / "ana+ps1+2026-12-01 09:00:00.000000 UTC" / "guessfirst-logs"
    (submitted / "ana.jsonl").write_bytes((source / "ana.jsonl").read_bytes())
    done = collect.collect([tmp_path / "course"], into=into, now=DEC_9)
    assert done.flags == [] and done.unchanged == 1  # ps2 was not searched this time
    (submitted / "ana.jsonl").unlink()
    (flag,) = collect.collect([tmp_path / "course"], into=into, now=DEC_16).flags
    assert flag.kind == "missing"
    assert "is no longer in ana's submission of ps1" in flag.detail
