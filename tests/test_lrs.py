"""Pushing logs to a Learning Record Store: every statement arrives once, whatever the network.

The LRS here is a small fake in a thread (tests/fake_lrs.py), so that each request can be
seen and each failure scripted; tests/test_xapi_ralph.py does the same against Ralph. An LRS
that stalls, trickles or garbles its answer is :class:`FaultLRS`, on a raw socket.
"""

from __future__ import annotations

import email.utils
import http
import json
import shutil
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from fake_lrs import PASSWORD, USER, FakeLRS, running
from guessfirst.log import eventlog
from guessfirst.teacher import lrs
from guessfirst.teacher.lrs import _cursor

OPTIONS = lrs.Options("https://school.example/gf", "https://hub.school.example", text=True)
#: Statements one question gives: a wrong attempt, a reflection, the right attempt.
PER_QUESTION = 3


def answers(folder: Path, student: str, questions: range) -> Path:
    """``student`` works through ``questions``: each shown, missed, reflected on, put right."""
    path = eventlog.log_path(folder, student)
    for number in questions:
        where = {
            "student": student,
            "session": f"session-{student}",
            "notebook": "lesson.ipynb",
            "question": f"q{number}",
            "qversion": "abc123def456",
        }
        attempt = {"confidence": 1.0, "latency_ms": 900, "misconception": None}
        eventlog.append_events(
            path,
            [
                eventlog.make_event("shown", kind="numeric", **where),
                eventlog.make_event(
                    "attempt", attempt=1, response="3", correct=False, **attempt, **where
                ),
                eventlog.make_event("reflection", text="I rushed", attempt=1, **where),
                eventlog.make_event(
                    "attempt", attempt=2, response="4", correct=True, **attempt, **where
                ),
            ],
        )
    return path


@pytest.fixture
def logs(tmp_path: Path) -> list[Path]:
    """Three students, two questions each: 18 statements."""
    return [answers(tmp_path / "class", name, range(2)) for name in ("ana", "ben", "chidi")]


def client(fake: FakeLRS, waits: list[float], password: str = PASSWORD) -> lrs.Client:
    return lrs.Client(fake.url, lrs.basic_auth(USER, password), sleep=waits.append)


def bounded(
    server: FaultLRS | FakeLRS, waits: list[float] | None = None, *, budget: float | None = None
) -> lrs.Client:
    """A client with a test-sized deadline and budget; waits are noted, not slept, if asked."""
    return lrs.Client(
        server.url,
        lrs.basic_auth(USER, PASSWORD),
        deadline=DEADLINE,
        budget=BUDGET if budget is None else budget,
        sleep=time.sleep if waits is None else waits.append,
    )


def ids(statements: list[dict]) -> list[str]:
    return [statement["id"] for statement in statements]


def exported(logs: list[Path], options: lrs.Options = OPTIONS) -> list[str]:
    return ids(lrs.export(logs, options).statements)


# -- a push that goes well -------------------------------------------------------------


def test_a_push_sends_every_statement_once_in_log_order_as_xapi_1_0_3(logs):
    waits: list[float] = []
    with running() as fake:
        pushed = lrs.push(logs, client(fake, waits), OPTIONS, batch_size=5)
    assert (pushed.sent, pushed.held, pushed.error, pushed.refused) == (18, 0, None, {})
    assert fake.sent_ids() == exported(logs)
    assert [len(batch) for batch in fake.batches] == [5, 5, 5, 3]
    assert fake.stored == {s["id"]: s for s in lrs.export(logs, OPTIONS).statements}
    for headers in fake.headers:
        assert headers["x-experience-api-version"] == "1.0.3"
        assert headers["content-type"] == "application/json"
    assert waits == []


def test_the_same_push_again_sends_nothing(logs):
    with running() as fake:
        lrs.push(logs, client(fake, []), OPTIONS)
        again = lrs.push(logs, client(fake, []), OPTIONS)
    assert (again.sent, again.error) == (0, None)
    assert len(fake.batches) == 1


def test_an_event_in_two_copies_of_a_log_is_sent_once(logs, tmp_path):
    copy = tmp_path / "copy" / "ana.jsonl"
    copy.parent.mkdir()
    shutil.copy(logs[0], copy)
    with running() as fake:
        pushed = lrs.push([*logs, copy], client(fake, []), OPTIONS, batch_size=4)
        again = lrs.push([*logs, copy], client(fake, []), OPTIONS)
    assert sorted(fake.sent_ids()) == sorted(exported(logs)) == sorted(exported([*logs, copy]))
    assert pushed.sent == 18 and again.sent == 0  # the copy's cursor was moved on too


# -- the network fails -----------------------------------------------------------------


def test_server_errors_are_retried_waiting_longer_each_time(logs):
    waits: list[float] = []
    with running() as fake:
        fake.script = [503, 500, 502]
        pushed = lrs.push(logs, client(fake, waits), OPTIONS)
    assert (pushed.sent, pushed.error) == (18, None)
    assert waits == [1, 2, 4]
    assert Counter(fake.accepted) == Counter(exported(logs))


def test_an_lrs_asking_to_wait_is_given_the_time_it_asks(logs):
    waits: list[float] = []
    with running() as fake:
        fake.script, fake.answer_headers = [429], {"Retry-After": "7"}
        pushed = lrs.push(logs, client(fake, waits), OPTIONS)
    assert (pushed.sent, waits) == (18, [7])


@pytest.mark.parametrize("fault", ["drop", "store-then-drop"])
def test_a_connection_dropped_mid_request_loses_nothing_and_stores_nothing_twice(logs, fault):
    """Dropped before the LRS stored the batch, or after: the retry makes up for either."""
    waits: list[float] = []
    with running() as fake:
        fake.script = ["lrs", fault]
        pushed = lrs.push(logs, client(fake, waits), OPTIONS, batch_size=10)
    assert (pushed.sent, pushed.error) == (18, None)
    assert waits == [1]
    assert Counter(fake.accepted) == Counter(exported(logs))
    # Stored before the drop: the LRS says so on the retry, and that counts as sent.
    assert pushed.held == (8 if fault == "store-then-drop" else 0)


def test_statements_the_lrs_already_holds_count_as_sent(logs):
    held = lrs.export(logs[:1], OPTIONS).statements
    with running() as fake:
        fake.stored = {statement["id"]: statement for statement in held}
        pushed = lrs.push(logs, client(fake, []), OPTIONS)
    assert (pushed.sent, pushed.held, pushed.error) == (18, 6, None)
    assert sorted(fake.stored) == sorted(exported(logs))
    assert Counter(fake.accepted) == Counter(exported(logs[1:]))


def test_a_batch_too_large_for_the_lrs_is_halved(logs):
    with running() as fake:
        fake.script = [413]
        pushed = lrs.push(logs, client(fake, []), OPTIONS)
    assert (pushed.sent, pushed.error) == (18, None)
    assert [len(batch) for batch in fake.batches] == [18, 9, 9]


def test_the_push_gives_up_after_the_last_try_and_the_next_run_sends_the_rest(logs):
    waits: list[float] = []
    with running() as fake:
        fake.script = ["lrs"] + [503] * lrs.TRIES
        stopped = lrs.push(logs, client(fake, waits), OPTIONS, batch_size=6)
        resumed = lrs.push(logs, client(fake, []), OPTIONS, batch_size=6)
    assert stopped.error == "no answer from the LRS after 6 tries: 503 Service Unavailable"
    assert stopped.sent == 6 and waits == [1, 2, 4, 8, 16]
    assert (resumed.sent, resumed.error) == (12, None)
    assert fake.accepted == exported(logs)  # in order, each once


def test_a_push_that_crashed_between_batches_resumes_where_it_stopped(logs):
    def crash(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with running() as fake:
        with pytest.raises(KeyboardInterrupt):
            lrs.push(logs, client(fake, []), OPTIONS, batch_size=7, progress=crash)
        resumed = lrs.push(logs, client(fake, []), OPTIONS, batch_size=7)
    assert resumed.sent == 11
    assert fake.sent_ids() == exported(logs)  # nothing lost, nothing sent twice


# -- an LRS that stalls, trickles or garbles its answer ---------------------------------

#: A request deadline and retry budget that keep these tests short (seconds).
DEADLINE, BUDGET = 0.5, 2.0
#: The fault server's pace: a byte of a trickle, a look at whether to stop.
_TICK = 0.05
#: No loop of the fault server lasts longer than this, whatever the client does.
_LONGEST = 10.0


class FaultLRS:
    """An LRS on 127.0.0.1 that plays ``script`` first, one step a request, then answers well.

    A step is ``"hang"`` (reads the request, never answers), ``"trickle"`` (sends its headers,
    then a byte every 50 ms), ``"drop"`` (closes half-way through its answer),
    ``"bad-status"`` (a status line that is not HTTP), ``"bad-chunk"`` (a chunk size that
    is not a number), a status (answered with ``answer_headers`` and ``answer_body``) or
    ``"lrs"``. Raw sockets, because these faults are what an HTTP server library is written
    not to make; every loop here ends by itself.
    """

    def __init__(self, script: Iterable[str | int] = ()) -> None:
        self.script: list[str | int] = list(script)
        self.answer_headers: dict[str, str] = {}
        self.answer_body = b"{}"
        self.stored: dict[str, dict] = {}
        #: The id of every statement stored, once per time it was stored.
        self.accepted: list[str] = []
        self.requests = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(_TICK)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/xapi/"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FaultLRS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(_LONGEST)
            try:
                batch = _request(connection)
                with self._lock:
                    self.requests += 1
                    step = self.script.pop(0) if self.script else "lrs"
                self._play(connection, step, batch)
            except OSError:
                pass  # the client went away: the test's own side says what that meant

    def _play(self, connection: socket.socket, step: str | int, batch: list[dict]) -> None:
        if isinstance(step, int):
            _send(connection, step, self.answer_body, self.answer_headers)
        elif step == "hang":
            self._until_closed(connection)
        elif step == "trickle":
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            for _ in range(int(_LONGEST / _TICK)):
                if self._stop.wait(_TICK):
                    break
                connection.sendall(b" ")  # fails once the client has hung up
        elif step == "drop":
            connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n["')
        elif step == "bad-status":
            connection.sendall(b"HTTP/1.1 two hundred OK\r\n\r\n")
        elif step == "bad-chunk":
            connection.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        else:
            with self._lock:
                known = any(statement["id"] in self.stored for statement in batch)
                if not known:
                    self.stored.update((statement["id"], statement) for statement in batch)
                    self.accepted.extend(statement["id"] for statement in batch)
            if known:
                _send(connection, 409, b'{"detail": "already stored"}')
            else:
                _send(connection, 200, json.dumps(ids(batch)).encode())

    def _until_closed(self, connection: socket.socket) -> None:
        connection.settimeout(_TICK)
        deadline = time.monotonic() + _LONGEST
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                if not connection.recv(1024):
                    return
            except TimeoutError:
                continue


def _request(connection: socket.socket) -> list[dict]:
    """The batch a POST carries."""
    with connection.makefile("rb") as stream:
        length = 0
        while (line := stream.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return json.loads(stream.read(length))


def _send(
    connection: socket.socket, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    lines = [
        f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    connection.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)


def _pushed_within_budget(logs: list[Path], client: lrs.Client, **kwargs: object) -> lrs.Pushed:
    """Push, and check that it did not hang: it ends well within the budget plus slack."""
    started = time.monotonic()
    pushed = lrs.push(logs, client, OPTIONS, **kwargs)
    assert time.monotonic() - started < BUDGET + 5
    return pushed


@pytest.mark.parametrize("fault", ["trickle", "hang"])
def test_an_lrs_too_slow_to_answer_is_given_up_on_within_the_budget(logs, fault):
    """The deadline holds for the whole request: a byte now and then does not extend it."""
    waits: list[float] = []
    with FaultLRS([fault] * 20) as server:
        pushed = _pushed_within_budget(logs, bounded(server, waits))
    assert pushed.sent == 0 and server.stored == {}
    assert pushed.error.startswith("no answer from the LRS within the 2 s retry budget (")
    assert pushed.error.endswith("): no complete answer within 0.5 s")
    assert 1 <= len(waits) < lrs.TRIES


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("drop", "the answer broke off after 2 bytes"),
        ("bad-status", "a malformed answer (BadStatusLine: HTTP/1.1 two hundred OK)"),
        ("bad-chunk", "the answer broke off after 0 bytes"),
    ],
)
def test_a_broken_answer_is_retried_then_named(logs, fault, reason):
    waits: list[float] = []
    with FaultLRS([fault] * 20) as server:
        pushed = _pushed_within_budget(logs, bounded(server, waits, budget=lrs.RETRY_BUDGET))
    assert pushed.error.startswith(f"no answer from the LRS after {lrs.TRIES} tries: ")
    assert reason in pushed.error and "\n" not in pushed.error
    assert waits == [1, 2, 4, 8, 16] and pushed.sent == 0


@pytest.mark.parametrize("fault", ["trickle", "hang", "drop", "bad-status", "bad-chunk"])
def test_after_a_failed_push_the_cursor_holds_only_what_the_lrs_confirmed(logs, fault):
    with FaultLRS(["lrs"] + [fault] * 20) as server:
        stopped = _pushed_within_budget(logs, bounded(server, []), batch_size=6)
        cursors = [json.loads(lrs.cursor_path(log).read_text())["lrs"] for log in logs]
        server.script.clear()
        resumed = lrs.push(logs, bounded(server, []), OPTIONS, batch_size=6)
    assert stopped.sent == 6 and stopped.error is not None
    ana = len(eventlog.read_events(logs[0]).events)
    assert [entry[f"{server.url}statements"]["events"] for entry in cursors] == [ana, 0, 0]
    assert (resumed.sent, resumed.held, resumed.error) == (12, 0, None)
    assert server.accepted == exported(logs)  # in order, each once


@pytest.mark.parametrize("asked", ["-1", "nan", "inf", "soon", "", "1e", "-0.5", "1_0"])
def test_a_retry_after_that_is_no_wait_is_ignored_for_the_usual_backoff(logs, asked):
    waits: list[float] = []
    with FaultLRS([503, 503]) as server:
        server.answer_headers = {"Retry-After": asked}
        pushed = lrs.push(logs, bounded(server, waits, budget=60), OPTIONS)
    assert (pushed.sent, pushed.error, waits) == (18, None, [1, 2])


def test_a_retry_after_date_is_waited_until(logs):
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    waits: list[float] = []
    with FaultLRS([429]) as server:
        server.answer_headers = {"Retry-After": soon}
        lrs.push(logs[:1], bounded(server, waits, budget=60), OPTIONS)
        server.script, server.answer_headers = [429], {"Retry-After": past}
        pushed = lrs.push(logs[1:], bounded(server, waits, budget=60), OPTIONS)
    assert 28 <= waits[0] <= 30 and waits[1:] == [0]
    assert (pushed.sent, pushed.error) == (12, None)


@pytest.mark.parametrize("asked", ["1e9", "400", "1" + "0" * 400, "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_an_lrs_asking_for_more_than_the_budget_stops_the_push_at_once(logs, asked):
    waits: list[float] = []
    with FaultLRS(["lrs"] + [429] * 20) as server:
        server.answer_headers = {"Retry-After": asked}
        pushed = lrs.push(logs, bounded(server, waits, budget=300), OPTIONS, batch_size=6)
    assert waits == [] and server.requests == 2 and pushed.sent == 6
    assert pushed.error.startswith("the LRS asks to wait ")
    assert pushed.error.endswith(
        " before the next try, more than is left of the 300 s retry budget: 429 Too Many Requests"
    )


def test_waits_that_would_overrun_the_budget_are_not_begun(logs):
    waits: list[float] = []
    with FaultLRS([503] * 20) as server:
        pushed = lrs.push(logs, bounded(server, waits, budget=10), OPTIONS)
    assert waits == [1, 2, 4]  # then 8 more: past 10 s
    assert pushed.error == (
        "no answer from the LRS within the 10 s retry budget (4 tries): 503 Service Unavailable"
    )


def test_the_budget_is_for_the_whole_push_not_each_batch(logs):
    waits: list[float] = []
    with FaultLRS([503, "lrs", 503, "lrs", 503, 503]) as server:
        pushed = lrs.push(logs, bounded(server, waits, budget=2.5), OPTIONS, batch_size=6)
    assert waits == [1, 1]  # a third batch's wait of 1 s would make over 3 s of 2.5
    assert pushed.sent == 12 and "within the 2.5 s retry budget (1 try)" in pushed.error


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"[" * 100_000 + b"]" * 100_000, None),  # deeper than json.loads can go
        (422, b'{"detail": [{"loc": 5, "msg": "bad"}]}', "the LRS refused the batch (422 "),
        (400, b"[" * 100_000, "the LRS refused the batch (400 Bad Request): [[[["),
    ],
)
def test_an_answer_that_makes_no_sense_still_ends_in_one_line(logs, status, body, error):
    with FaultLRS([status]) as server:
        server.answer_body = body
        pushed = lrs.push(logs, bounded(server, []), OPTIONS)
    assert pushed.error is None if error is None else pushed.error.startswith(error)


def test_a_budget_of_zero_never_retries(logs):
    waits: list[float] = []
    with FaultLRS([503]) as server:
        pushed = lrs.push(logs, bounded(server, waits, budget=0), OPTIONS)
    assert waits == [] and server.requests == 1 and pushed.sent == 0
    assert pushed.error.startswith("no answer from the LRS within the 0 s retry budget (1 try)")


# -- the LRS says no -------------------------------------------------------------------


def test_refused_credentials_stop_the_push_at_once(logs):
    waits: list[float] = []
    with running() as fake:
        refused = lrs.push(logs, client(fake, waits, password="wrong"), OPTIONS)
        later = lrs.push(logs, client(fake, []), OPTIONS)
    assert refused.error == "the LRS refused the credentials (401 Unauthorized)"
    assert (refused.sent, waits, len(fake.batches)) == (0, [], 2)
    assert later.sent == 18  # nothing was marked as sent


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (422, {"detail": [{"loc": ["body", 2, "actor"], "msg": "Field required"}]}),
        (400, {"message": "Statement {id} has an invalid verb"}),
    ],
)
def test_a_refused_statement_is_named_with_its_log_and_event(logs, status, body):
    refused_id = exported(logs)[2]
    waits: list[float] = []
    with running() as fake:
        fake.script = [status]
        fake.answer_body = json.loads(json.dumps(body).replace("{id}", refused_id))
        pushed = lrs.push(logs, client(fake, waits), OPTIONS)
    event = eventlog.read_events(logs[0]).events[3]  # q0 shown, missed, reflected on, put right
    assert pushed.error.startswith(f"the LRS refused statement {refused_id} ({status} ")
    assert pushed.error.endswith(f"(from ana.jsonl, event {event['id']})")
    assert (pushed.sent, waits) == (0, [])


def test_a_redirect_is_reported_not_followed(logs):
    with running() as fake:
        fake.script, fake.answer_headers = [301], {"Location": "https://lrs.example/xapi/"}
        pushed = lrs.push(logs, client(fake, []), OPTIONS)
    assert pushed.error == (
        "the LRS answered 301 Moved Permanently, pointing to https://lrs.example/xapi/: "
        "give that address"
    )
    assert pushed.sent == 0 and fake.stored == {}


# -- logs that change between pushes ---------------------------------------------------


def test_a_grown_log_sends_only_its_new_events(logs):
    with running() as fake:
        lrs.push(logs, client(fake, []), OPTIONS)
        answers(logs[1].parent, "ben", range(2, 3))
        grown = lrs.push(logs, client(fake, []), OPTIONS)
    new = exported([logs[1]])[-PER_QUESTION:]
    assert (grown.sent, fake.batches[-1]) == (PER_QUESTION, [fake.stored[i] for i in new])
    assert Counter(fake.accepted) == Counter(exported(logs))


def test_a_log_edited_in_the_part_already_sent_is_reported_and_not_sent(logs):
    with running() as fake:
        lrs.push(logs, client(fake, []), OPTIONS)
        data = logs[0].read_bytes()
        logs[0].write_bytes(data.replace(b'"response":"3"', b'"response":"4"', 1))
        answers(logs[1].parent, "ben", range(2, 3))
        pushed = lrs.push(logs, client(fake, []), OPTIONS)
        again = lrs.push(logs, client(fake, []), OPTIONS, from_start=True)
    assert pushed.refused == {logs[0]: "it changed in the part already sent to this LRS"}
    assert pushed.sent == PER_QUESTION  # the other logs go on
    assert {problem.file for problem in pushed.problems} == {str(logs[0])}
    # Sent again on request; the LRS keeps the statements it has.
    assert (again.refused, again.sent, again.held) == ({}, 21, 21)


def test_a_second_lrs_starts_from_zero_and_the_first_is_still_remembered(logs):
    with running() as first, running() as second:
        lrs.push(logs, client(first, []), OPTIONS)
        to_second = lrs.push(logs, client(second, []), OPTIONS)
        to_first = lrs.push(logs, client(first, []), OPTIONS)
    assert (to_second.sent, to_first.sent) == (18, 0)
    cursor = json.loads(lrs.cursor_path(logs[0]).read_text())
    assert set(cursor["lrs"]) == {f"{first.url}statements", f"{second.url}statements"}


@pytest.mark.parametrize(
    "other",
    [
        lrs.Options(OPTIONS.activity_base, OPTIONS.home_page, text=False),
        lrs.Options(OPTIONS.activity_base, OPTIONS.home_page, pseudonymize="salt", text=True),
        lrs.Options("https://other.example/gf", OPTIONS.home_page, text=True),
    ],
)
def test_one_lrs_does_not_get_a_log_under_other_options(logs, other):
    with running() as fake:
        lrs.push(logs, client(fake, []), OPTIONS)
        answers(logs[1].parent, "ben", range(2, 3))
        pushed = lrs.push(logs, client(fake, []), other)
    assert set(pushed.refused.values()) == {"it was sent to this LRS with other options"}
    assert pushed.sent == 0


def test_the_cursor_never_holds_the_salt(logs):
    salted = lrs.Options(OPTIONS.activity_base, OPTIONS.home_page, pseudonymize="Wombat-42")
    with running() as fake:
        lrs.push(logs, client(fake, []), salted)
        other = lrs.Options(OPTIONS.activity_base, OPTIONS.home_page, pseudonymize="Wombat-43")
        answers(logs[1].parent, "ben", range(2, 3))
        pushed = lrs.push(logs, client(fake, []), other)
    assert "Wombat" not in lrs.cursor_path(logs[0]).read_text()
    assert logs[1] in pushed.refused  # yet another salt is told apart


def test_an_unreadable_cursor_is_reported_and_from_start_replaces_it(logs):
    lrs.cursor_path(logs[0]).write_text("{not json")
    with running() as fake:
        pushed = lrs.push(logs, client(fake, []), OPTIONS)
        again = lrs.push(logs, client(fake, []), OPTIONS, from_start=True)
    assert pushed.refused[logs[0]].startswith("its cursor ana.jsonl.lrs-cursor.json cannot be read")
    assert (pushed.sent, again.sent, again.refused) == (12, 18, {})


def test_a_folder_the_cursor_cannot_be_written_to_stops_the_push_before_anything_is_sent(
    logs, monkeypatch
):
    def read_only_folder(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")  # tests run as root: chmod would not do

    monkeypatch.setattr(_cursor.tempfile, "mkstemp", read_only_folder)
    with running() as fake, pytest.raises(PermissionError):
        lrs.push(logs, client(fake, []), OPTIONS)
    assert fake.batches == []


def test_a_cursor_that_is_not_a_file_is_reported(logs):
    lrs.cursor_path(logs[2]).mkdir()
    with running() as fake:
        pushed = lrs.push(logs, client(fake, []), OPTIONS)
    assert pushed.refused[logs[2]].startswith("its cursor chidi.jsonl.lrs-cursor.json cannot be")
    assert pushed.sent == 12


# -- addresses and credentials ---------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("https://lrs.example/xapi", "https://lrs.example/xapi/statements"),
        ("https://lrs.example/xapi/", "https://lrs.example/xapi/statements"),
        ("https://lrs.example/xapi/statements/", "https://lrs.example/xapi/statements"),
        ("http://127.0.0.1:8100/xAPI?tenant=7", "http://127.0.0.1:8100/xAPI/statements?tenant=7"),
    ],
)
def test_the_statements_resource_is_found_from_the_endpoint(given, url):
    assert lrs.statements_url(given) == url


@pytest.mark.parametrize("given", ["https://me:pw@lrs.example/xapi", "ftp://lrs.example", "lrs"])
def test_an_address_with_credentials_or_without_http_is_refused(given):
    with pytest.raises(ValueError):
        lrs.statements_url(given)


def test_a_token_is_sent_as_a_bearer_unless_it_names_its_scheme():
    assert lrs.token_auth("abc") == "Bearer abc"
    assert lrs.token_auth("Basic dGVhY2hlcjpzM2NyZXQ=") == "Basic dGVhY2hlcjpzM2NyZXQ="
    assert lrs.basic_auth("teacher", "s3cret") == "Basic dGVhY2hlcjpzM2NyZXQ="


def test_the_export_is_a_json_array_an_lrs_takes_as_it_is(logs):
    statements = lrs.export(logs, OPTIONS).statements
    data = lrs.dumps(statements)
    assert json.loads(data) == statements
    assert data.count(b"\n") == len(statements) + 2  # one statement a line
    assert lrs.dumps([]) == b"[]\n"
