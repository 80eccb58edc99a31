"""The event log keeps every event, in order, in the format the teacher side reads."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from guessfirst.log import eventlog
from guessfirst.log.eventlog import (
    MAX_LINE_BYTES,
    MAX_TEXT_CHARS,
    REQUIRED_FIELDS,
    EventLog,
    append_event,
    append_events,
    chain_hash,
    log_path,
    make_event,
    read_events,
    safe_name,
    verify,
)

WRITERS = 8
EVENTS_PER_WRITER = 300


def _event(kind: str = "attempt", session: str = "s1", **fields: object) -> dict:
    if kind == "attempt":  # what a valid attempt must carry (see logline)
        fields = {"attempt": 1, "correct": False, **fields}
    return make_event(
        kind,
        student="ana",
        session=session,
        notebook="fractions.ipynb",
        question="q1",
        qversion="0123456789ab",
        **fields,
    )


def _write(path: Path, count: int) -> list[dict]:
    return [append_event(path, _event(attempt=n, response=str(n))) for n in range(1, count + 1)]


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def _set_lines(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(line + b"\n" for line in lines))


def _verified(path: Path) -> list[tuple[int, str]]:
    return [(problem.line, problem.kind) for problem in verify(path)]


def _writer(path: str, writer: int) -> None:
    for n in range(EVENTS_PER_WRITER):
        append_event(Path(path), _event(session=f"writer-{writer}", attempt=n + 1, response=str(n)))


# -- file names ------------------------------------------------------------------------


def test_safe_names_are_distinct_plain_files() -> None:
    ids = ["Ana María", "ana/../../etc", "", ".", "..", ".hidden", "Con", "nul.x", "Ana_Mar_a"]
    names = [safe_name(student) for student in ids]
    assert len(set(names)) == len(ids)
    for name in names:
        assert re.fullmatch(r"[A-Za-z0-9._-]+", name)
        assert not name.startswith(".")
        assert name.split(".")[0].lower() not in {"con", "nul"}


def test_plain_student_ids_keep_their_name() -> None:
    assert safe_name("ana.lopez-2") == "ana.lopez-2"
    assert safe_name("Ana María").startswith("Ana_Mar_a-")


def test_long_ids_are_capped_and_still_distinct() -> None:
    first, second = safe_name("x" * 500 + "1"), safe_name("x" * 500 + "2")
    assert first != second
    assert max(len(first), len(second)) <= 120


def test_log_path_stays_in_the_log_folder(tmp_path: Path) -> None:
    path = log_path(tmp_path, "../../etc/passwd")
    assert path.parent == tmp_path
    assert path.suffix == ".jsonl"


# -- events ----------------------------------------------------------------------------


def test_new_event_has_every_field_but_prev() -> None:
    event = _event(attempt=1, response="3/4", correct=True)
    assert REQUIRED_FIELDS - event.keys() == {"prev"}
    assert event["v"] == 1
    assert uuid.UUID(event["id"]).version == 4
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", event["ts"])
    assert (event["type"], event["response"], event["correct"]) == ("attempt", "3/4", True)


def test_log_fields_cannot_be_overridden() -> None:
    with pytest.raises(ValueError, match="prev"):
        _event(prev="")


def test_long_response_and_reflection_are_cut_and_marked() -> None:
    attempt = _event(response="7" * (MAX_TEXT_CHARS + 1))
    reflection = _event("reflection", text="why " * MAX_TEXT_CHARS, attempt=1)
    assert attempt["response"] == "7" * MAX_TEXT_CHARS
    assert len(reflection["text"]) == MAX_TEXT_CHARS
    assert attempt["truncated"] is reflection["truncated"] is True
    assert "truncated" not in _event(response="7" * MAX_TEXT_CHARS)


# -- writing ---------------------------------------------------------------------------


def test_events_are_written_as_a_hash_chain(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "ana.jsonl"
    written = _write(path, 3)
    lines = _lines(path)
    assert [json.loads(line) for line in lines] == written
    assert written[0]["prev"] == ""
    assert written[1]["prev"] == chain_hash(lines[0])
    assert written[2]["prev"] == chain_hash(lines[1])
    assert verify(path) == []


def test_lines_are_compact_readable_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    event = _event(response="María: ½ → 0,5")
    written = append_event(path, event)
    assert "prev" not in event
    line = _lines(path)[0]
    assert "María: ½ → 0,5".encode() in line
    assert b", " not in line
    assert b'": ' not in line
    assert read_events(path).events == [written]


def test_a_half_written_line_is_reported_and_not_fused(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 2)
    with path.open("ab") as log:
        log.write(b'{"v":1,"id":"cut-sho')  # a writer killed mid-line
    before = read_events(path)
    assert len(before.events) == 2
    assert [(p.line, p.kind) for p in before.problems] == [(3, "truncated-line")]
    assert _verified(path) == [(3, "truncated-line")]

    written = append_event(path, _event(attempt=3))
    assert json.loads(_lines(path)[3]) == written
    after = read_events(path)
    assert [event["id"] for event in after.events][-1] == written["id"]
    assert len(after.events) == 3
    assert _verified(path) == [(3, "not-json")]


def test_pathological_text_still_fits_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    controls, emoji = "\x01" * MAX_TEXT_CHARS, "\U0001f600" * MAX_TEXT_CHARS
    append_event(path, _event(response=controls))
    append_event(path, _event(response=emoji))
    both = append_event(path, _event("reflection", text=controls, response=controls))
    assert all(len(line) <= MAX_LINE_BYTES for line in _lines(path))
    events = read_events(path).events
    assert [event["response"] for event in events[:2]] == [controls, emoji]
    assert both["truncated"] is True
    assert len(_lines(path)[2]) > MAX_LINE_BYTES - 6  # cut by less than one escaped character
    assert controls.startswith(events[2]["response"])
    assert controls.startswith(events[2]["text"])
    assert len(events[2]["response"] + events[2]["text"]) < 2 * MAX_TEXT_CHARS
    assert verify(path) == []


def test_lone_surrogate_from_the_browser_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    append_event(path, _event(response="half \ud83d emoji"))
    assert read_events(path).events[0]["response"] == "half \ud83d emoji"
    assert verify(path) == []


def test_an_event_too_large_without_its_text_is_refused(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "ana.jsonl")
    log.append(_event(misconception="x" * MAX_LINE_BYTES))  # a long key is cut, not refused
    assert read_events(tmp_path / "ana.jsonl").events[0]["truncated"] is True
    with pytest.raises(ValueError, match="bytes"):
        log.append({**_event(), "question": "x" * MAX_LINE_BYTES})  # the contract's are not
    with pytest.raises(TypeError):
        log.append(_event(response={1, 2}))
    assert log.pending == []
    assert len(read_events(log.path).events) == 1  # what was refused was never written


# -- faults while writing --------------------------------------------------------------


def test_unwritable_folder_keeps_events_until_retry(tmp_path: Path) -> None:
    log_dir = tmp_path / "guessfirst-logs"
    log_dir.write_text("a file where the folder should be")
    log = EventLog(log_path(log_dir, "ana"))
    events = [_event(attempt=n) for n in range(1, 4)]

    assert [log.append(event) for event in events] == [False, False, False]
    assert log.pending == events
    assert log.error

    log_dir.unlink()
    assert log.retry() is True
    assert (log.pending, log.error) == ([], None)
    assert [event["id"] for event in read_events(log.path).events] == [e["id"] for e in events]
    assert verify(log.path) == []


def test_full_disk_leaves_no_partial_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 2)
    before = path.read_bytes()
    real_write = os.write

    def _disk_full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    log = EventLog(path)
    monkeypatch.setattr(os, "write", _disk_full)
    assert log.append(_event(attempt=3)) is False
    assert "No space left" in (log.error or "")
    assert path.read_bytes() == before

    monkeypatch.setattr(os, "write", real_write)
    assert log.retry() is True
    assert len(read_events(path).events) == 3
    assert verify(path) == []


def test_short_write_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 1)
    before = path.read_bytes()
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, data[:10]))
    with pytest.raises(OSError):
        append_event(path, _event(attempt=2))
    assert path.read_bytes() == before


def test_an_answer_and_its_reveal_are_written_in_one_durable_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 1)
    syncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (syncs.append(fd), real_fsync(fd)))
    batch = [_event(attempt=2, response="7"), _event("reveal", attempt=2)]

    written = append_events(path, batch)

    assert len(syncs) == 1
    assert [event["type"] for event in read_events(path).events] == ["attempt", "attempt", "reveal"]
    assert [event["prev"] for event in written] == [chain_hash(line) for line in _lines(path)[:2]]
    assert verify(path) == []


def test_a_refused_batch_leaves_none_of_its_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 1)
    before = path.read_bytes()
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, data[:-5]))
    log = EventLog(path)
    assert log.append(_event(attempt=2), _event("reveal", attempt=2)) is False
    assert path.read_bytes() == before
    assert len(log.pending) == 2

    monkeypatch.setattr(os, "write", real_write)
    assert log.retry() is True
    assert [event["type"] for event in read_events(path).events] == ["attempt", "attempt", "reveal"]
    assert verify(path) == []


def test_eight_processes_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    workers = [
        multiprocessing.Process(target=_writer, args=(str(path), writer))
        for writer in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [worker.exitcode for worker in workers] == [0] * WRITERS

    result = read_events(path)
    assert result.problems == []
    assert len(_lines(path)) == len(result.events) == WRITERS * EVENTS_PER_WRITER
    for writer in range(WRITERS):
        mine = [e["attempt"] for e in result.events if e["session"] == f"writer-{writer}"]
        assert mine == list(range(1, EVENTS_PER_WRITER + 1))
    assert verify(path) == []


# -- reading and verifying -------------------------------------------------------------


def test_bad_lines_are_skipped_and_the_rest_still_count(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    good = _write(path, 2)
    template = {**good[0], "id": "x"}
    first, second = _lines(path)
    junk = [
        b"not json at all",
        json.dumps({k: v for k, v in template.items() if k != "question"}).encode(),
        json.dumps({**template, "v": 2}).encode(),
        json.dumps({**template, "v": True}).encode(),
        json.dumps({**template, "confidence": float("nan")}).encode(),
        b"[1, 2]",
        b"",
        json.dumps({**template, "pad": "x" * MAX_LINE_BYTES}).encode(),
        first + b"," + second,
    ]
    with path.open("ab") as log:
        log.write(b"".join(line + b"\n" for line in junk))
    good += _write(path, 1)

    result = read_events(path)
    assert [event["id"] for event in result.events] == [event["id"] for event in good]
    found = [(p.line, p.kind) for p in result.problems]
    assert found == [
        (3, "not-json"),
        (4, "missing-field"),
        (5, "unknown-version"),
        (6, "unknown-version"),
        (7, "not-json"),
        (8, "not-json"),
        (9, "not-json"),
        (10, "too-long"),
        (11, "not-json"),
    ]
    assert "question" in result.problems[1].detail
    assert all(p.file == str(path) for p in result.problems)
    assert verify(path) == result.problems


def test_lines_that_only_together_look_like_events_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    good = _write(path, 2)
    first, second = _lines(path)
    with path.open("ab") as log:
        log.write(first + b"," + second + b"\n")  # two events on one line
        log.write(b'{"pad":[' + first + b"\n" + second + b"]}\n")  # one value over two lines
    good += _write(path, 1)
    result = read_events(path)
    assert [event["id"] for event in result.events] == [event["id"] for event in good]
    assert [(p.line, p.kind) for p in result.problems] == [(n, "not-json") for n in (3, 4, 5)]


def test_unknown_fields_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    append_event(path, _event("hint", n=1, attempt=0, later={"kind": "drawing", "strokes": [3]}))
    assert read_events(path).events[0]["later"] == {"kind": "drawing", "strokes": [3]}


def test_braces_inside_answers_read_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    responses = ['{"a":1},{"b":2}', "}", "{", "[{]", '"}', "x\n{y}"]
    for response in responses:
        append_event(path, _event(response=response))
    result = read_events(path)
    assert [event["response"] for event in result.events] == responses
    assert result.problems == []


def test_edited_line_breaks_the_link_to_the_next(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 5)
    lines = _lines(path)
    lines[1] = lines[1].replace(b'"response":"2"', b'"response":"9"')
    _set_lines(path, lines)
    assert len(read_events(path).events) == 5
    assert _verified(path) == [(3, "edited-or-reordered")]


def test_removed_line_breaks_where_it_was(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 5)
    lines = _lines(path)
    _set_lines(path, lines[:2] + lines[3:])
    assert _verified(path) == [(3, "edited-or-reordered")]
    _set_lines(path, lines[2:])
    assert _verified(path) == [(1, "removed")]


def test_reordered_lines_break_around_both_places(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 5)
    lines = _lines(path)
    _set_lines(path, [lines[0], lines[2], lines[1], lines[3], lines[4]])
    problems = verify(path)
    assert [(p.line, p.kind) for p in problems] == [
        (2, "edited-or-reordered"),
        (3, "edited-or-reordered"),
        (4, "edited-or-reordered"),
    ]
    assert "line 3" in problems[0].detail


def test_two_files_pasted_together_are_reported(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _write(first, 2)
    _write(second, 2)
    first.write_bytes(first.read_bytes() + second.read_bytes())
    assert _verified(first) == [(3, "edited-or-reordered")]


def test_missing_file_reads_as_no_events(tmp_path: Path) -> None:
    path = tmp_path / "nobody.jsonl"
    assert read_events(path) == eventlog.ReadResult([], [])
    assert verify(path) == []


def test_reads_see_new_events_and_callers_cannot_spoil_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 2)
    first = read_events(path)
    first.events[0]["response"] = "changed by a caller"
    first.events.clear()
    again = read_events(path)
    assert [event["response"] for event in again.events] == ["1", "2"]
    _write(path, 1)
    assert len(read_events(path).events) == 3


def test_reads_of_a_growing_file_number_new_lines_right(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 2)
    read_events(path)
    with path.open("ab") as log:
        log.write(b"scribble\n")
    _write(path, 1)
    result = read_events(path)
    assert len(result.events) == 3
    assert [(p.line, p.kind) for p in result.problems] == [(3, "not-json")]


def test_reads_follow_a_file_changed_in_place(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 2)
    read_events(path)
    first, second = _lines(path)
    _set_lines(path, [first.replace(b'"response":"1"', b'"response":"one"'), second])
    _write(path, 1)
    assert [event["response"] for event in read_events(path).events] == ["one", "2", "1"]


def test_a_half_line_completed_later_reads_whole(tmp_path: Path) -> None:
    path = tmp_path / "ana.jsonl"
    _write(path, 1)
    line = json.dumps({**_event(), "prev": chain_hash(_lines(path)[0])}).encode()
    with path.open("ab") as log:
        log.write(line[:40])
    assert len(read_events(path).events) == 1
    with path.open("ab") as log:
        log.write(line[40:] + b"\n")
    result = read_events(path)
    assert (len(result.events), result.problems) == (2, [])


def test_a_simulated_day_stamps_its_events_with_its_own_time():
    day = datetime(2026, 11, 20, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    with eventlog.clock(lambda: day):
        inside = _event()
    after = _event()
    assert inside["ts"] == "2026-11-20T01:30:00.000Z"
    assert after["ts"] > "2026-11-21"
