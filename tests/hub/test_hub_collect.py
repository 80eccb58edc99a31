"""A teacher collects a real hub's logs: what the ledger flags, and what grades make of it.

The log's own chain cannot show lines cut off its end, nor a log a student wrote in
someone else's name: anyone who can write a file can do both. At a real hub, with each
kernel running as its own unix user, this plays both out: cleo sets ben's login in her
kernel's environment and answers, for him, a question he got wrong; the teacher collects
every home; ana then cuts the end off her log; the teacher collects again. The ledger
must name both, ``verify`` must fail, and ``grades`` must not let cleo's answer raise
ben's grade unless the teacher asks for flagged copies. A student's kernel must not be
able to read another student's log at all (homes 0700, logs 0600).
"""

from __future__ import annotations

import csv
import os
import re
import stat
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest
from hub_page import HubLesson, choose, log_in, open_lessons, run_all
from hub_server import STUDENTS, VENV, Hub, Student
from jupyter_page import wait_for
from playwright.sync_api import Browser, Locator

from guessfirst.log import eventlog
from guessfirst.teacher import collect

pytestmark = pytest.mark.hub

FIRST = "lesson.bigger_fraction()"  # a Choice: ben wrong, then right
SECOND = "lesson.add_fractions()"  # a Numeric: ben wrong, and never right
_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
CUT = 2  # lines ana cuts off the end of her log


def test_collecting_twice_flags_a_forged_log_and_a_cut_one(
    hub: Hub, browser: Browser, tmp_path: Path
) -> None:
    ana, ben, cleo = (hub.students[short] for short in STUDENTS)
    pages = {student: log_in(browser, hub, student) for student in (ana, ben, cleo)}
    try:
        lessons = {lesson.student.short: lesson for lesson in open_lessons(pages, hub)}
        run_all(list(lessons.values()))
        for lesson in lessons.values():
            card = lesson.card(FIRST)
            if lesson.student is ben:
                choose(card, "3/8", "Fairly sure", "wrong")
            choose(card, "2/5", "Fairly sure", "correct")
        numeric(lessons["ben"].card(SECOND), "2/5", "wrong")

        # cleo, in her own kernel: ben's login in the environment, then his question.
        forged = f'import os; os.environ["JUPYTERHUB_USER"] = "{ben.name}"; {SECOND}'
        run_cell(lessons["cleo"], forged)
        numeric(lessons["cleo"].card("JUPYTERHUB_USER"), "5/6", "correct")
        # ... and ben's own log, out of her reach.
        peek = run_cell(lessons["cleo"], f"open({str(ben.log)!r}).read()")
        assert "PermissionError: [Errno 13] Permission denied" in peek, peek
    finally:
        for page in pages.values():
            page.context.close()

    # What cleo wrote: ben's id, in her home, owned by her.
    forged_log = eventlog.log_path(cleo.log_dir, ben.name)
    assert sorted(p.name for p in cleo.log_dir.glob("*.jsonl")) == sorted(
        [cleo.log.name, forged_log.name]
    )
    assert forged_log.stat().st_uid == cleo.uid
    assert {e["student"] for e in eventlog.read_events(forged_log).events} == {ben.name}
    for student in (ana, ben, cleo):
        assert stat.S_IMODE(student.home.stat().st_mode) == 0o700
        assert stat.S_IMODE(student.log.stat().st_mode) == 0o600

    homes = class_homes(tmp_path / "homes", (ana, ben, cleo))
    first = teacher(tmp_path, "collect", "--homes", str(homes), "-o", "collected")
    mismatch = (
        f"  owner-mismatch: collected/{cleo.name}/{ben.name}.jsonl: in {cleo.name}'s home, "
        f"but its lines are those of student {ben.name!r}"
    )
    assert first.returncode == 1, first.stdout + first.stderr
    assert flag_lines(first.stdout) == [mismatch], first.stdout
    assert "Collected 4 logs into collected: 4 new, 0 updated, 0 unchanged." in first.stdout

    # ana cuts the last lines off her log, as herself.
    before = ana.log.read_bytes()
    lines = before.count(b"\n")
    kept = b"".join(before.splitlines(keepends=True)[: lines - CUT])
    subprocess.run(
        ["truncate", "-s", str(len(kept)), str(ana.log)],
        user=ana.uid,
        group=ana.gid,
        extra_groups=[],
        check=True,
    )
    assert ana.log.read_bytes() == kept and eventlog.verify(ana.log) == []  # the chain holds

    second = teacher(tmp_path, "collect", "--homes", str(homes), "-o", "collected")
    folder = tmp_path / "collected"
    day = collected_on(folder, ana.name)
    shortened = (
        f"  shortened: collected/{ana.name}/{ana.name}.v2.jsonl: lines "
        f"{lines - CUT + 1}-{lines}, collected on {day}, are gone (the earlier copy keeps "
        f"them: {ana.name}/{ana.name}.jsonl)"
    )
    assert second.returncode == 1, second.stdout + second.stderr
    assert flag_lines(second.stdout) == [shortened], second.stdout
    assert "Collected 4 logs into collected: 0 new, 1 updated, 3 unchanged." in second.stdout
    # The first collection's copy is what ana's log was then, byte for byte.
    assert (folder / ana.name / f"{ana.name}.jsonl").read_bytes() == before
    assert (folder / ana.name / f"{ana.name}.v2.jsonl").read_bytes() == kept
    assert [(f.kind, f.student, f.owner) for f in collect.flags(folder)] == [
        ("owner-mismatch", ben.name, cleo.name),
        ("shortened", ana.name, ana.name),
    ]
    assert collect.flags(folder)[1].lines == ((lines - CUT + 1, lines),)

    verified = teacher(tmp_path, "verify", "collected")
    assert verified.returncode == 1, verified.stdout
    assert "All 5 files intact." in verified.stdout  # each chain holds: only the ledger tells
    assert "Ledger collected/ledger.jsonl: 2 flags" in verified.stdout
    assert flag_lines(verified.stdout) == [mismatch, shortened], verified.stdout

    reported = teacher(tmp_path, "report", "collected", "-o", "r.html")
    assert reported.returncode == 0, reported.stdout + reported.stderr
    summary = {
        words[0]: words[1:] for words in map(str.split, reported.stdout.splitlines()) if words
    }
    # Every event counts once, ana's cut ones too (the first copy keeps them). cleo's
    # answer is ben's too, numbered 1 in a file of its own: no correction of his first
    # try, which was wrong (his own file comes first).
    assert summary["bigger-fraction"] == ["3", "33%", "100%"], reported.stdout
    assert summary["add-fractions"] == ["1", "100%", "0%"], reported.stdout
    events = sum(len(eventlog.read_events(log).events) for log in first_copies(folder))
    assert f"3 students, {events} events, 0 bad lines in 5 files" in reported.stdout
    told = f"The collection ledger flags 2 things in the logs of {ana.name}, {ben.name}"
    assert told in reported.stdout
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "owner-mismatch" in page and "shortened" in page

    corrected = grades(tmp_path, "g.csv")
    assert corrected == {
        ana.name: ("1", "0", "1", "shortened"),
        ben.name: ("1", "0", "1", "owner-mismatch"),
        cleo.name: ("1", "0", "1", "owner-mismatch"),
    }
    included = grades(tmp_path, "g-all.csv", "--include-flagged")
    assert included[ben.name] == ("1", "1", "2", "owner-mismatch")
    assert {k: v for k, v in included.items() if k != ben.name} == {
        k: v for k, v in corrected.items() if k != ben.name
    }


def numeric(card: Locator, answer: str, expect: str) -> dict:
    """Answer a Numeric question by mouse and keys; wait until the card says ``expect``."""
    card.locator(".gf-pill", has_text="Fairly sure").click()
    card.locator(".gf-answer input").fill(answer)
    card.locator(".gf-submit").click()
    return wait_for(card, lambda s: s["status"] == expect, f"{answer!r} checked as {expect}")


def run_cell(lesson: HubLesson, code: str) -> str:
    """Type ``code`` into a new cell below the lesson's first and run it, as a student does
    (``b``, Enter, Shift+Enter); returns what the cell printed, once it has run."""
    page = lesson.page
    page.locator(f"{_PANEL} .jp-WindowedPanel-outer").first.evaluate("e => e.scrollTop = 0")
    page.locator(f"{_PANEL} .jp-CodeCell .jp-InputPrompt").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")
    cell = page.locator(f"{_PANEL} .jp-CodeCell").filter(
        has=page.locator(".jp-InputArea", has_text=code)
    )
    prompt = cell.locator(".jp-InputPrompt")
    deadline = time.monotonic() + 30
    while not re.fullmatch(r"\[\d+\]:", prompt.inner_text().strip()):
        assert time.monotonic() < deadline, f"the cell did not run: {code}"
        time.sleep(0.1)
    lesson.wait_for_kernel()
    return cell.locator(".jp-Cell-outputArea").inner_text()


def class_homes(folder: Path, students: tuple[Student, ...]) -> Path:
    """A folder of the class's homes, each a link to the real one: ``/home`` holds the
    machine's other users, and those of any other hub run going on meanwhile."""
    folder.mkdir()
    for student in students:
        (folder / student.name).symlink_to(student.home)
    return folder


def teacher(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``guessfirst ARGS`` as the teacher (root) types it, in ``cwd``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUESSFIRST_", "JUPYTER"))}
    return subprocess.run(
        [str(VENV / "bin" / "guessfirst"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def flag_lines(printed: str) -> list[str]:
    kinds = tuple(f"  {kind}: " for kind in collect.KINDS)
    return [line for line in printed.splitlines() if line.startswith(kinds)]


def collected_on(folder: Path, owner: str) -> str:
    """The day (``2 December``, this computer's zone) the owner's first copy was collected."""
    first = next(r for r in collect.read_ledger(folder).records if r.owner == owner)
    when = datetime.fromisoformat(first.at.replace("Z", "+00:00")).astimezone()
    return f"{when.day} {when:%B}"


def first_copies(folder: Path) -> list[Path]:
    """The collection's first copy of each log: every event of the class is in one."""
    return sorted(p for p in folder.glob("*/*.jsonl") if not re.search(r"\.v\d+\.jsonl$", p.name))


def grades(cwd: Path, output: str, *more: str) -> dict[str, tuple[str, ...]]:
    """Each student's bigger-fraction, add-fractions, total and flags under ``corrected``."""
    done = teacher(cwd, "grades", "collected", "--policy", "corrected", "-o", output, *more)
    assert done.returncode == 0, done.stdout + done.stderr
    left_out = "2 flagged log copies left out of the grades"
    assert (left_out in done.stdout) == (not more), done.stdout
    with (cwd / output).open(encoding="utf-8-sig", newline="") as table:  # a BOM, for Excel
        return {
            row["student"]: (
                row["bigger-fraction"],
                row["add-fractions"],
                row["total"],
                row["flags"],
            )
            for row in csv.DictReader(table)
        }
