"""The report's cache: a re-run reads what was appended, and never hides what was changed.

Every test holds a cached read to a read without the cache: the same events, the same
problems named with file and line, the same verdict per file.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
import warnings
from pathlib import Path

import pandas as pd
import pytest

from guessfirst.log import eventlog
from guessfirst.teacher import report
from guessfirst.teacher.report import _cache, _duck

CACHE = Path(_cache.CACHE_DIR) / "report.duckdb"


def event(student: str, number: int, prev: str, **fields: object) -> bytes:
    record = {
        "v": 1,
        "id": f"{student}-{number}",
        "ts": f"2026-11-02T10:{number % 60:02d}:00.000Z",
        "type": "attempt",
        "student": student,
        "session": "s1",
        "notebook": "lesson.ipynb",
        "question": f"q{number % 4}",
        "qversion": "abc",
        "prev": prev,
        "attempt": 1,
        "response": str(number),
        "correct": number % 3 == 0,
        **fields,
    }
    return json.dumps(record, separators=(",", ":")).encode()


def chained(student: str, start: int, count: int, prev: str) -> tuple[bytes, str]:
    """``count`` lines that continue a chain ending in ``prev``, and the chain's new end."""
    lines = []
    for number in range(start, start + count):
        line = event(student, number, prev)
        prev = eventlog.chain_hash(line)
        lines.append(line)
    return b"".join(line + b"\n" for line in lines), prev


def write(folder: Path, student: str, count: int) -> str:
    data, end = chained(student, 0, count, "")
    (folder / f"{student}.jsonl").write_bytes(data)
    return end


def append(folder: Path, student: str, count: int) -> None:
    path = folder / f"{student}.jsonl"
    data = path.read_bytes()
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    more, _ = chained(student, 1000 + len(data), count, eventlog.chain_hash(last))
    path.write_bytes(data + more)


def seen(folder: Path, *, cache: bool) -> dict[str, pd.DataFrame]:
    """What a teacher reads: every event, every problem, every file's verdict."""
    logs = report.read(folder, cache=cache)
    try:
        return {"events": logs.events, "problems": logs.problems, "files": logs.files}
    finally:
        logs.close()


def same_as_without_cache(folder: Path) -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", _cache.CacheWarning)
        cached = seen(folder, cache=True)
    plain = seen(folder, cache=False)
    for name, table in plain.items():
        pd.testing.assert_frame_equal(cached[name], table, obj=name)
    return cached


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "collected"
    folder.mkdir()
    for number in range(3):
        write(folder, f"s{number}", 20)
    return folder


def judged_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the bytes the reader judges afresh, batch by batch."""
    counted: list[int] = []
    original = _duck._digests

    def counting(data: bytes) -> str:
        counted.append(data.count(b"\n"))
        return original(data)

    monkeypatch.setattr(_duck, "_digests", counting)
    return counted


def test_a_rerun_judges_only_what_was_appended_and_counts_it(folder, monkeypatch):
    same_as_without_cache(folder)
    assert (folder / CACHE).is_file()
    append(folder, "s1", 5)
    counted = judged_lines(monkeypatch)
    logs = report.read(folder)
    # Of each 20-line file, two lines are judged again (see _cache); s1 adds its 5.
    assert sorted(counted) == [2, 2, 7]
    assert len(logs.events) == 65
    assert logs.problems.empty
    counted.clear()
    report.read(folder)  # the appended lines were kept too
    assert sorted(counted) == [2, 2, 2]
    monkeypatch.undo()
    same_as_without_cache(folder)


def test_a_rerun_with_nothing_new_leaves_the_cache_as_it_was(folder):
    same_as_without_cache(folder)
    before = (folder / CACHE).stat()
    seen(folder, cache=True)
    after = (folder / CACHE).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    append(folder, "s2", 1)
    seen(folder, cache=True)
    assert (folder / CACHE).stat().st_ino != before.st_ino


def test_no_cache_neither_reads_nor_writes_it(folder, monkeypatch):
    seen(folder, cache=False)
    assert not (folder / _cache.CACHE_DIR).exists()
    same_as_without_cache(folder)
    counted = judged_lines(monkeypatch)
    seen(folder, cache=False)
    assert sorted(counted) == [20, 20, 20]


def test_an_edited_line_in_the_verified_prefix_is_found(folder):
    same_as_without_cache(folder)
    path = folder / "s0.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"response":"3"', b'"response":"4"', 1))
    tables = same_as_without_cache(folder)
    problems = tables["problems"]
    assert list(problems["kind"]) == ["edited-or-reordered"]
    assert problems["file"].iloc[0].endswith("s0.jsonl")
    assert problems["line"].iloc[0] == 5
    assert not tables["files"].set_index("file").loc[str(path), "intact"]


def test_a_truncated_file_is_judged_again_from_its_start(folder):
    same_as_without_cache(folder)
    path = folder / "s2.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:6]))
    tables = same_as_without_cache(folder)
    assert (tables["events"]["student"] == "s2").sum() == 6


def test_a_file_replaced_by_another_of_the_same_size_is_judged_again(folder):
    same_as_without_cache(folder)
    path = folder / "s1.jsonl"
    before = path.read_bytes()
    data, _ = chained("s1", 0, 20, "")
    data = data.replace(b'"correct":false', b'"correct":true ', 1)  # same length, other bytes
    assert len(data) == len(before) and data != before
    path.unlink()
    path.write_bytes(data)
    tables = same_as_without_cache(folder)
    assert list(tables["problems"]["kind"]) == ["edited-or-reordered"]


def test_removed_reordered_and_new_files_each_read_as_they_are(folder):
    same_as_without_cache(folder)
    (folder / "s0.jsonl").unlink()
    write(folder, "s9", 12)
    path = folder / "s2.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[3], lines[4] = lines[4], lines[3]
    path.write_bytes(b"".join(lines))
    tables = same_as_without_cache(folder)
    assert sorted(tables["events"]["student"].unique()) == ["s1", "s2", "s9"]
    assert set(tables["problems"]["kind"]) == {"edited-or-reordered"}


def test_a_corrupt_cache_is_noted_ignored_and_rebuilt(folder):
    same_as_without_cache(folder)
    (folder / CACHE).write_bytes(b"not a database at all" * 100)
    with pytest.warns(_cache.CacheWarning, match="cannot be read"):
        tables = seen(folder, cache=True)
    assert len(tables["events"]) == 60
    same_as_without_cache(folder)  # rebuilt: no note the second time


def test_a_cache_of_another_reader_is_noted_and_rebuilt(folder, monkeypatch):
    same_as_without_cache(folder)
    monkeypatch.setattr(_duck, "_reader", lambda: "another reader's rules")
    with pytest.warns(_cache.CacheWarning, match="another version"):
        seen(folder, cache=True)
    monkeypatch.undo()
    with pytest.warns(_cache.CacheWarning, match="another version"):
        seen(folder, cache=True)
    same_as_without_cache(folder)


def test_a_cache_whose_rows_were_rewritten_still_cannot_hide_an_edit(folder):
    """Even a cache edited to match an edited log is caught, for the prefix is rehashed."""
    same_as_without_cache(folder)
    path = folder / "s0.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"response":"2"', b'"response":"9"', 1))
    import duckdb

    with duckdb.connect(str(folder / CACHE)) as con:
        con.execute("UPDATE rows SET counts = true")
    tables = same_as_without_cache(folder)
    assert list(tables["problems"]["kind"]) == ["edited-or-reordered"]


def test_a_folder_that_cannot_be_written_is_read_whole_with_a_note(folder, monkeypatch):
    def refuse(self: Path, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.warns(_cache.CacheWarning, match="cannot be written"):
        tables = seen(folder, cache=True)
    assert len(tables["events"]) == 60
    assert not (folder / CACHE).exists()
    assert [p.name for p in (folder / _cache.CACHE_DIR).iterdir()] == []


def test_the_cache_names_files_by_their_place_in_the_folder(folder, monkeypatch):
    same_as_without_cache(folder)
    monkeypatch.chdir(folder.parent)
    counted = judged_lines(monkeypatch)
    report.read(Path("collected"))
    assert sorted(counted) == [2, 2, 2]


def test_copies_of_a_cached_folder_are_read_as_themselves(folder, tmp_path):
    same_as_without_cache(folder)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    path = copy / "s1.jsonl"
    path.write_bytes(path.read_bytes()[:-40] + b"\n")
    tables = same_as_without_cache(copy)
    assert "s1.jsonl" in tables["problems"]["file"].iloc[0]


# A line only DuckDB reads as JSON counts only when the line after it vouches for it, and
# a last line is judged apart: the lines next to where the cache's rows end are where a
# cache could go wrong, so random appends, edits and cuts land there often.


def _mutate(rng: random.Random, path: Path) -> None:
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    action = rng.choice(["append", "append", "lenient", "cut", "edit", "partial", "crlf"])
    if action == "append" or not lines:
        last = lines[-1].rstrip(b"\r\n") if lines else b""
        more, _ = chained(path.stem, rng.randrange(10**6), rng.randint(1, 4),
                          eventlog.chain_hash(last) if last else "")  # fmt: skip
        path.write_bytes(data + more)
    elif action == "lenient":
        for _ in range(rng.randint(1, 2)):
            lenient(path)
    elif action == "cut":
        path.write_bytes(b"".join(lines[: rng.randrange(len(lines))]))
    elif action == "edit":
        at = len(lines) - rng.randint(1, min(4, len(lines)))
        lines[at] = lines[at].replace(b"s1", b"s7", 1).replace(b'"v":1', b'"v":2', 1)
        path.write_bytes(b"".join(lines))
    elif action == "partial":
        path.write_bytes(data + event(path.stem, rng.randrange(10**6), "x")[:30])
    else:
        lines[-1] = lines[-1].rstrip(b"\n") + b"\r\n"
        path.write_bytes(b"".join(lines))


def lenient(path: Path) -> None:
    """Append a line only DuckDB reads as JSON (a trailing comma), chained to the last line."""
    data = path.read_bytes()
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    odd = event(path.stem, len(data), eventlog.chain_hash(last))[:-1] + b",}"
    path.write_bytes(data + odd + b"\n")


def test_lines_that_hang_on_their_successor_are_judged_again_when_it_comes(folder):
    """Two lenient lines last: the second is skipped (a last line is judged strictly), so
    the first is disowned; once a line follows, each is vouched for and counts."""
    path = folder / "s0.jsonl"
    lenient(path)
    lenient(path)
    first = same_as_without_cache(folder)["problems"]
    assert list(first["line"]) == [21, 22]
    assert list(first["kind"]) == ["not-json", "not-json"]
    append(folder, "s0", 1)
    assert same_as_without_cache(folder)["problems"].empty


@pytest.mark.parametrize("seed", range(4))
def test_random_appends_cuts_and_edits_read_as_without_the_cache(folder, seed):
    rng = random.Random(seed)
    for _ in range(12):
        for path in rng.sample(sorted(folder.glob("*.jsonl")), 2):
            _mutate(rng, path)
        same_as_without_cache(folder)


def test_the_command_keeps_the_cache_unless_told_and_says_when_it_cannot(folder, tmp_path, capsys):
    from guessfirst.teacher import cli

    html = tmp_path / "report.html"
    assert cli.main(["report", str(folder), "-o", str(html), "--no-cache"]) == 0
    assert not (folder / _cache.CACHE_DIR).exists()
    assert cli.main(["report", str(folder), "-o", str(html)]) == 0
    assert (folder / CACHE).is_file()
    capsys.readouterr()
    (folder / CACHE).write_bytes(b"\0" * 4096)
    assert cli.main(["report", str(folder), "-o", str(html)]) == 0
    out, err = capsys.readouterr()
    assert "Note: the report's cache" in out + err
    assert "reads every line again" in out + err
    assert "60 events" in out


def test_the_cache_is_its_owners_alone_and_halfway_files_are_cleared(folder):
    abandoned = folder / _cache.CACHE_DIR / ".report-0123.duckdb"
    abandoned.parent.mkdir()
    abandoned.write_bytes(b"a report stopped halfway")
    os.utime(abandoned, (1, 1))
    recent = folder / _cache.CACHE_DIR / ".report-4567.duckdb"
    recent.write_bytes(b"another report, writing now")
    seen(folder, cache=True)
    assert stat.S_IMODE((folder / CACHE).stat().st_mode) == 0o600
    assert not abandoned.exists()
    assert recent.exists()


def test_an_entry_the_cache_cannot_vouch_for_is_read_again_and_replaced(folder):
    same_as_without_cache(folder)
    import duckdb

    with duckdb.connect(str(folder / CACHE)) as con:
        con.execute("UPDATE files SET rows_end = prefix + 1 WHERE path = 's2.jsonl'")
    write(folder, "s3", 5)  # a new file, whose new id must not meet the old entry's rows
    same_as_without_cache(folder)
    append(folder, "s3", 4)
    tables = same_as_without_cache(folder)
    assert len(tables["events"]) == 69
    with duckdb.connect(str(folder / CACHE), read_only=True) as con:
        copies = con.execute("SELECT count(*) FROM rows GROUP BY fid, line HAVING count(*) > 1")
        assert copies.fetchall() == []
