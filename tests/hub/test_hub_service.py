"""The school's copy: a hub service that keeps each event where its student cannot reach.

At a real hub with the guessfirst hub service, three students answer through the card in
Chromium. ana is wrong, then right; the service confirms, and her card says so. cleo
answers while the service is stopped: her card answers at once all the same, and her
events reach the service, in order and once each, after it starts again. ben, in his own
kernel, answers in cleo's name (a log of hers in his home) and tries to write and read her
copy at the service; ana floods the service from her kernel, and ben still answers; and
ana at last rewrites her wrong first answer as a right one, chain and all. The service's
copy must stay exact, and the teacher's collection must flag the forged and edited lines
and count them for nothing.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from hub_page import choose, log_in, open_lessons, run_all
from hub_server import STUDENTS, Hub, Student
from playwright.sync_api import Browser, Locator
from test_hub_collect import class_homes, numeric, run_cell, teacher

from guessfirst.log import eventlog
from guessfirst.teacher import collect

pytestmark = pytest.mark.hub
SCHOOL = True  # conftest: this module's hub has the service

FIRST = "lesson.bigger_fraction()"  # a Choice
SECOND = "lesson.add_fractions()"  # a Numeric
THIRD = "lesson.percent_of()"  # a Numeric
FLOOD = 150  # events ana's kernel sends as fast as it can
SERVICE_FIELDS = ("prev", "sent_prev", "received", "hub_user")


def test_the_school_copy_outlasts_an_outage_a_forgery_a_flood_and_an_edit(
    hub: Hub, browser: Browser, tmp_path: Path
) -> None:
    school = hub.school
    assert school is not None
    school.start()
    ana, ben, cleo = (hub.students[short] for short in STUDENTS)
    pages = {student: log_in(browser, hub, student) for student in (ana, ben, cleo)}
    try:
        lessons = {lesson.student.short: lesson for lesson in open_lessons(pages, hub)}
        run_all(list(lessons.values()))
        first = {short: lesson.card(FIRST) for short, lesson in lessons.items()}
        choose(first["ana"], "3/8", "Fairly sure", "wrong")
        choose(first["ana"], "2/5", "Fairly sure", "correct")
        choose(first["ben"], "2/5", "Certain", "correct")
        saved(first["ana"])
        saved(first["ben"])

        # cleo answers while the service is down: the card does not wait for it.
        school.stop()
        choose(first["cleo"], "3/8", "Unsure", "wrong")
        choose(first["cleo"], "2/5", "Fairly sure", "correct")
        assert not mark(first["cleo"]), "saved to the school with the service down"
        school.start()
        saved(first["cleo"], timeout=90)  # the sender's backoff is at most a minute

        # ben answers in cleo's name, in his own kernel, then tries her copy at the service.
        forged = f'import os; os.environ["JUPYTERHUB_USER"] = "{cleo.name}"; {SECOND}'
        run_cell(lessons["ben"], forged)
        forged_card = lessons["ben"].card("JUPYTERHUB_USER")
        numeric(forged_card, "5/6", "correct")
        probe = run_cell(lessons["ben"], exec_line(_probe(cleo, school.store)))
        assert probe.split() == ["403", ben.name, "PermissionError"], probe
        assert not mark(forged_card)

        # ana floods the service; ben's answer is stored all the same.
        flooded = run_cell(lessons["ana"], exec_line(_flood(ana)))
        statuses = json.loads(flooded.strip().splitlines()[-1])
        numeric(lessons["ben"].card(THIRD), "9", "correct")
        saved(lessons["ben"].card(THIRD))

        # ana makes her wrong first answer a right one, and computes the chain again.
        before = eventlog.read_events(ana.log).events
        edited = run_cell(lessons["ana"], exec_line(_edit(ana.log)))
        assert edited.strip() == "[]", edited  # her chain holds
    finally:
        for page in pages.values():
            page.context.close()
    school.stop()

    # A flood is cut at the burst, and nothing beyond it reaches the disk.
    assert sum(statuses.values()) == FLOOD
    assert 60 <= statuses.get("201", 0) <= 70 and statuses.get("429", 0) >= FLOOD - 70, statuses
    flood_ids = {r["id"] for r in school.records(ana.name) if r["question"] == "flood"}
    assert len(flood_ids) == statuses["201"]

    # The service's copy is exact: each student's own events, in their order, once each.
    assert own(school.records(ana.name), flood_ids) == unchained(before)
    assert own(school.records(ben.name)) == unchained(eventlog.read_events(ben.log).events)
    cleo_events = eventlog.read_events(cleo.log).events
    assert own(school.records(cleo.name)) == unchained(cleo_events)
    assert [r["sent_prev"] for r in school.records(cleo.name)] == [e["prev"] for e in cleo_events]
    assert eventlog.verify(school.store / f"{cleo.name}.jsonl") == []  # the service's chain
    forged_log = eventlog.log_path(ben.log_dir, cleo.name)
    assert all(
        e["id"] not in {r["id"] for r in school.records(cleo.name)}
        for e in eventlog.read_events(forged_log).events
    )

    # The teacher collects the homes and the service's store.
    homes = class_homes(tmp_path / "homes", (ana, ben, cleo))
    collected = teacher(
        tmp_path,
        "collect",
        "--homes",
        str(homes),
        "--service-store",
        str(school.store),
        "-o",
        "collected",
    )
    folder = tmp_path / "collected"
    assert collected.returncode == 1, collected.stdout + collected.stderr  # it flags
    flagged = {(f.kind, f.student, Path(f.file).name) for f in collect.flags(folder)}
    assert flagged == {
        # ben's log in cleo's name: the service refused it, so none of it is hers.
        ("owner-mismatch", cleo.name, f"{cleo.name}.jsonl"),
        ("unconfirmed", cleo.name, f"{cleo.name}.jsonl"),
        # ana's edited answer: the service's original counts.
        ("altered-since-sent", ana.name, f"{ana.name}.jsonl"),
        # What she dropped while editing (her correction), and her flood: kept.
        ("hub-only", ana.name, f"{ana.name}.jsonl"),
    }, collected.stdout
    said = collected.stdout
    forged_lines = len(eventlog.read_events(forged_log).events)
    assert f"{forged_lines} never received" in said, said  # and cleo's share says so
    assert f"1 of {len(before) - 1} lines (line " in said, said  # the edit, named
    graded = grades(tmp_path, "g.csv")
    # ana's edited first try is not hers to claim; cleo's forged answer is not hers.
    assert graded[ana.name][:2] == ("0", "0"), graded
    assert graded[cleo.name][:2] == ("0", "0"), graded
    assert graded[ben.name][:2] == ("1", "0"), graded
    # The forged log is another's too (the ledger's owner-mismatch): it counts only when
    # the teacher asks for both.
    unconfirmed = grades(tmp_path, "g-unconfirmed.csv", "--include-unconfirmed")
    assert unconfirmed[cleo.name][1] == "0", unconfirmed
    both = grades(tmp_path, "g-all.csv", "--include-unconfirmed", "--include-flagged")
    assert both[cleo.name][1] == "1", both


def mark(card: Locator) -> str:
    """What the card says of the school's copy: nothing until the service holds its events."""
    return card.evaluate("root => root.querySelector('.gf-school')?.innerText ?? ''").strip()


def saved(card: Locator, timeout: float = 30) -> None:
    """Until the card shows that the school's service holds what it wrote."""
    deadline = time.monotonic() + timeout
    while mark(card) != "\u2713 Saved to the school":
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for the mark: {mark(card)!r}"
        time.sleep(0.2)


def own(records: list[dict], leave: set[str] = frozenset()) -> list[dict]:
    """The service's records as the student sent them, less the fields the service sets."""
    return [
        {k: v for k, v in r.items() if k not in SERVICE_FIELDS}
        for r in records
        if r["id"] not in leave
    ]


def unchained(events: list[dict]) -> list[dict]:
    return [{k: v for k, v in e.items() if k != "prev"} for e in events]


def exec_line(code: str) -> str:
    """``code`` as one line a student types: several statements, no indentation to mangle."""
    return f"exec({code!r})"


def _request_code() -> str:
    return (
        "import json, os, urllib.request as u, urllib.error as ue\n"
        "url = os.environ['GUESSFIRST_HUB_SERVICE']\n"
        "head = {'Authorization': 'token ' + os.environ['JUPYTERHUB_API_TOKEN'],"
        " 'Content-Type': 'application/json'}\n"
        "def send(events):\n"
        "    body = json.dumps({'events': events}).encode()\n"
        "    try:\n"
        "        with u.urlopen(u.Request(url + 'api/events', body, head), timeout=10) as a:\n"
        "            return a.status, json.load(a)\n"
        "    except ue.HTTPError as e:\n"
        "        return e.code, None\n"
        "from guessfirst.log import eventlog\n"
        "def event(student, question):\n"
        "    e = eventlog.make_event('shown', student=student, session='probe',"
        " notebook=None, question=question, qversion='1', kind='choice')\n"
        "    return {**e, 'prev': ''}\n"
    )


def _probe(other: Student, store: Path) -> str:
    """ben's kernel: write in ``other``'s name, read his own count, open her stored file."""
    return _request_code() + (
        f"status, answer = send([event({other.name!r}, 'probe')])\n"
        "print(answer['results'][0]['status'])\n"
        "with u.urlopen(u.Request(url + 'api/mine', headers=head), timeout=10) as a:\n"
        "    print(json.load(a)['user'])\n"
        "try:\n"
        f"    open({str(store / f'{other.name}.jsonl')!r}).read()\n"
        "    print('read')\n"
        "except PermissionError:\n"
        "    print('PermissionError')\n"
    )


def _flood(student: Student) -> str:
    """ana's kernel: FLOOD fresh events in her own name, one request each, at once."""
    return _request_code() + (
        "import collections\n"
        "seen = collections.Counter()\n"
        f"for _ in range({FLOOD}):\n"
        f"    status, answer = send([event({student.name!r}, 'flood')])\n"
        "    if status == 200:\n"
        "        status = answer['results'][0]['status']\n"
        "    seen[str(status)] += 1\n"
        "print(json.dumps(seen))\n"
    )


def _edit(log: Path) -> str:
    """ana's kernel: her first wrong attempt becomes right, and the chain is made anew."""
    return (
        "import json, pathlib\n"
        "from guessfirst.log import eventlog\n"
        f"p = pathlib.Path({str(log)!r})\n"
        "events = [json.loads(line) for line in p.read_text().splitlines()]\n"
        "wrong = next(e for e in events if e['type'] == 'attempt' and not e['correct'])\n"
        "wrong.update(response='2/5', correct=True)\n"
        "events = [e for e in events if e['type'] != 'corrected']\n"
        "p.unlink()\n"
        "eventlog.append_events(p, [{k: v for k, v in e.items() if k != 'prev'} for e in events])\n"
        "print(eventlog.verify(p))\n"
    )


def grades(cwd: Path, output: str, *more: str) -> dict[str, tuple[str, ...]]:
    """Each student's first-try points on the two questions, and their total."""
    done = teacher(cwd, "grades", "collected", "--policy", "first-try", "-o", output, *more)
    assert done.returncode == 0, done.stdout + done.stderr
    with (cwd / output).open(encoding="utf-8-sig", newline="") as table:
        return {
            row["student"]: (row["bigger-fraction"], row["add-fractions"], row["total"])
            for row in csv.DictReader(table)
        }
