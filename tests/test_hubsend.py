"""The student's side of the school's copy: a fake hub service on a loopback port."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import _hubcursor, eventlog, hubsend
from guessfirst.student import tracker

TOKEN = "kernel-token"


class FakeService:
    """Answers as the hub service does: each id kept once (201, then 200), some refused.

    ``answers`` are whole answers given first, one per request: (status, headers, body).
    ``stop_after`` processes that many events of the next batch, then stops it with 429.
    ``gate``, when cleared, holds every answer until it is set.
    """

    def __init__(self, port: int = 0) -> None:
        self.requests: list[tuple[str | None, list[dict]]] = []
        self.sizes: list[int] = []  # each request's body, in bytes
        self.held: dict[str, dict] = {}
        self.refuse: set[str] = set()
        self.answers: list[tuple[int, dict[str, str], dict]] = []
        self.stop_after: int | None = None
        self.gate = threading.Event()
        self.gate.set()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.sizes.append(len(body))
                service.gate.wait(5)
                status, headers, answer = service.answer(
                    self.path, self.headers.get("Authorization"), json.loads(body)["events"]
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/guessfirst/"
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def answer(
        self, path: str, auth: str | None, events: list[dict]
    ) -> tuple[int, dict[str, str], dict]:
        assert path == "/services/guessfirst/api/events"
        self.requests.append((auth, events))
        if self.answers:
            return self.answers.pop(0)
        results, stopped = [], None
        for number, event in enumerate(events):
            if self.stop_after is not None and number == self.stop_after:
                stopped = {"status": 429, "reason": "slow down", "retry_after": 3}
                self.stop_after = None
                break
            if event["id"] in self.refuse:
                results.append({"id": event["id"], "status": 403, "reason": "not yours"})
            elif event["id"] in self.held:
                results.append({"id": event["id"], "status": 200, "reason": "held"})
            else:
                self.held[event["id"]] = event
                results.append({"id": event["id"], "status": 201, "reason": "stored"})
        return 200, {}, {"results": results, "stopped": stopped}

    def sent_ids(self) -> list[str]:
        return [event["id"] for _, events in self.requests for event in events]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def senders(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """No sender outlives its test; waits after errors are short."""
    monkeypatch.delenv(hubsend.SERVICE_VARIABLE, raising=False)
    monkeypatch.setenv(hubsend.TOKEN_VARIABLE, TOKEN)
    monkeypatch.setattr(hubsend, "BACKOFF_START", 0.02)
    monkeypatch.setattr(hubsend, "BACKOFF_CAP", 0.05)
    made: dict = {}
    monkeypatch.setattr(hubsend, "_senders", made)
    yield made
    for sender in made.values():
        sender.stop()


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    fake = FakeService()
    monkeypatch.setenv(hubsend.SERVICE_VARIABLE, fake.url)
    yield fake
    fake.close()


def wait_for(condition: Callable[[], object], seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.005)


def speed() -> gf.Numeric:
    return gf.Numeric("speed", "A train covers 120 km in 1.5 hours. Its speed, in km/h?", answer=80)


def log_of(log_dir: Path) -> Path:
    return eventlog.log_path(log_dir, "ana")


def logged_ids(log: Path) -> list[str]:
    return [event["id"] for event in eventlog.read_events(log).events]


def cursor(log: Path) -> dict:
    return json.loads(hubsend.cursor_path(log).read_text())


def restart_kernel(monkeypatch: pytest.MonkeyPatch, senders: dict) -> None:
    for sender in senders.values():
        sender.stop()
    senders.clear()
    KERNEL.reset()


def write(log: Path, count: int, **fields: object) -> list[dict]:
    made = [
        eventlog.make_event(
            "attempt",
            student="ana",
            session="s",
            notebook=None,
            question="q",
            qversion="v",
            attempt=n + 1,
            **fields,
        )
        for n in range(count)
    ]
    return eventlog.append_events(log, made)


# -- through the card ------------------------------------------------------------------


def test_events_reach_the_service_in_order_and_the_card_shows_the_mark(service, fresh_kernel):
    q = speed()
    q.submit("180")
    log = log_of(fresh_kernel)
    wait_for(lambda: q.school_saved)
    assert service.sent_ids() == logged_ids(log)
    assert {auth for auth, _ in service.requests} == {f"token {TOKEN}"}
    assert [e["prev"] for e in service.held.values()] == [
        e["prev"] for e in eventlog.read_events(log).events
    ]
    stored = cursor(log)
    assert stored["url"] == service.url and stored["lines"] == len(logged_ids(log))
    assert stored["refused"] == 0
    assert hubsend.cursor_path(log).stat().st_mode & 0o777 == 0o600

    service.gate.clear()  # the next answer is held at the service: the card goes on
    started = time.monotonic()
    q.submit("80")
    assert time.monotonic() - started < 1
    assert q.status == "correct" and q.school_saved is False
    service.gate.set()
    wait_for(lambda: q.school_saved)
    assert service.sent_ids() == logged_ids(log)


def test_with_the_service_down_the_card_goes_on_and_the_queue_arrives_later(
    monkeypatch, fresh_kernel
):
    with socket.socket() as probe:  # a port nothing listens on, for now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(hubsend.SERVICE_VARIABLE, f"http://127.0.0.1:{port}/services/guessfirst/")
    q = speed()
    started = time.monotonic()
    q.submit("180")
    q.submit("80")
    assert time.monotonic() - started < 1
    log = log_of(fresh_kernel)
    assert [e["type"] for e in eventlog.read_events(log).events].count("attempt") == 2
    assert q.school_saved is False

    up = FakeService(port)
    try:
        wait_for(lambda: q.school_saved)
        assert up.sent_ids() == logged_ids(log)  # in order, each once
    finally:
        up.close()


def test_a_restarted_kernel_sends_what_was_left(service, monkeypatch, senders, fresh_kernel):
    service.answers.append((503, {"Retry-After": "60"}, {"error": "busy", "retry_after": 60}))
    q = speed()
    q.submit("180")
    log = log_of(fresh_kernel)
    wait_for(lambda: len(service.requests) == 1)
    assert q.school_saved is False and not service.held
    restart_kernel(monkeypatch, senders)  # the old kernel stops while it waits

    tracker.recorder("ana")  # the new kernel's first question, before any answer
    wait_for(lambda: list(service.held) == logged_ids(log))
    # The service holds the lines a moment before the cursor is written beside the log.
    cursor_file = hubsend.cursor_path(log)
    wait_for(lambda: cursor_file.is_file() and cursor(log)["lines"] == len(logged_ids(log)))


def test_without_a_service_nothing_is_sent_and_nothing_shows(fresh_kernel):
    q = speed()
    q.submit("180")
    log = log_of(fresh_kernel)
    assert tracker.recorder("ana").sender is None
    assert not hubsend._senders
    assert not hubsend.cursor_path(log).exists()
    assert q.school_saved is False
    assert not [t for t in threading.enumerate() if t.name.startswith("guessfirst-hubsend")]


def test_nothing_is_sent_from_the_fallback_file(service, fresh_kernel):
    fresh_kernel.mkdir(parents=True)
    elsewhere = fresh_kernel.parent / "elsewhere.jsonl"
    write(elsewhere, 1)
    log_of(fresh_kernel).symlink_to(elsewhere)  # the log refuses: work goes to the fallback
    q = speed()
    q.submit("180")
    assert q.notice  # kept aside, and the student is told so
    sender = tracker.recorder("ana").sender
    assert sender is not None and sender._idle.wait(2)
    assert service.requests == [] and q.school_saved is False


# -- the sender itself -----------------------------------------------------------------


def make_sender(log: Path, url: str, slept: list[float] | None = None) -> hubsend.Sender:
    return hubsend.Sender(log, url, TOKEN, sleep=(slept if slept is not None else []).append)


def test_retry_after_is_honoured_and_nothing_counts_as_sent(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    written = write(log, 3)
    service.answers.append((429, {"Retry-After": "7"}, {"error": "slow", "retry_after": 7}))
    slept: list[float] = []
    sender = make_sender(log, service.url, slept)
    sender.start()
    wait_for(lambda: sender._idle.is_set())
    sender.stop()
    assert slept == [7.0]
    assert service.sent_ids() == [e["id"] for e in written] * 2  # refused whole, then sent
    assert list(service.held) == [e["id"] for e in written]


def test_a_stopped_batch_resumes_from_the_first_unprocessed_event(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    ids = [e["id"] for e in write(log, 5)]
    service.stop_after = 2
    sender = make_sender(log, service.url)
    assert sender.send_round() == 3.0
    assert cursor(log)["lines"] == 2
    assert sender.send_round() is None
    assert service.sent_ids() == ids + ids[2:]
    assert list(service.held) == ids


def test_refused_events_are_counted_never_resent_and_later_ones_still_go(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    ids = [e["id"] for e in write(log, 3)]
    service.refuse.add(ids[1])
    sender = make_sender(log, service.url)
    assert sender.send_round() is None
    assert cursor(log)["refused"] == 1 and cursor(log)["lines"] == 3
    more = [e["id"] for e in write(log, 1)]
    assert sender.send_round() is None
    assert service.sent_ids() == ids + more
    assert list(service.held) == [ids[0], ids[2], *more]
    _, offsets = _hubcursor.complete_lines(log)
    assert not sender.covers((offsets[1], offsets[2]))  # the refused line is not the school's
    assert sender.covers((offsets[3], offsets[4]))


def test_an_edited_earlier_line_sends_everything_again(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    ids = [e["id"] for e in write(log, 3, response="80")]
    sender = make_sender(log, service.url)
    assert sender.send_round() is None
    log.write_bytes(log.read_bytes().replace(b'"response":"80"', b'"response":"81"', 1))
    assert sender.send_round() is None
    assert service.sent_ids() == ids + ids  # the service keeps each id once
    assert len(service.held) == 3
    assert cursor(log)["lines"] == 3


def test_lines_that_are_no_events_are_skipped_and_counted(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    first = write(log, 1)
    with log.open("ab") as file:
        file.write(b"not json at all\n[1, 2]\n")
    last = write(log, 1)
    with log.open("ab") as file:
        file.write(b'{"half a line')  # a writer still at work: not sent, not counted
    assert make_sender(log, service.url).send_round() is None
    assert service.sent_ids() == [first[0]["id"], last[0]["id"]]
    assert cursor(log)["skipped"] == 2 and cursor(log)["lines"] == 4


def test_batches_hold_at_most_a_hundred_events(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    write(log, 250)
    assert make_sender(log, service.url).send_round() is None
    assert [len(events) for _, events in service.requests] == [100, 100, 50]


def test_batches_stay_under_a_mebibyte(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    write(log, 40, response="x" * 9_000, note="é" * 30_000)
    assert make_sender(log, service.url).send_round() is None
    assert len(service.sizes) > 1 and max(service.sizes) <= hubsend.MAX_BODY_BYTES
    assert sum(len(events) for _, events in service.requests) == 40


def test_the_cursor_never_moves_back(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    write(log, 3)
    assert make_sender(log, service.url).send_round() is None
    other = make_sender(log, service.url)  # a second notebook of the same student
    lines, offsets = _hubcursor.complete_lines(log)
    behind = _hubcursor.advanced(hubsend.Cursor(service.url), lines, 1, 0, 0)
    assert other._settle(lines, offsets, behind).lines == 3
    assert cursor(log)["lines"] == 3


def test_a_cursor_for_another_service_is_ignored(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    ids = [e["id"] for e in write(log, 2)]
    assert make_sender(log, "http://127.0.0.1:9/old/").send_round() is not None  # nobody there
    lines, _ = _hubcursor.complete_lines(log)
    old = _hubcursor.advanced(hubsend.Cursor("http://127.0.0.1:9/old/"), lines, 2, 0, 0)
    _hubcursor.write_cursor(hubsend.cursor_path(log), old)
    assert make_sender(log, service.url).send_round() is None
    assert service.sent_ids() == ids


def test_a_refused_token_backs_off_long_and_keeps_the_queue(service, tmp_path):
    log = tmp_path / "ana.jsonl"
    write(log, 2)
    service.answers.append((403, {}, {"error": "no access"}))
    sender = make_sender(log, service.url)
    wait = sender.send_round()
    assert wait is not None and wait >= hubsend.DENIED_START * 0.75
    assert not hubsend.cursor_path(log).exists() or cursor(log)["lines"] == 0
    assert sender.send_round() is None
    assert cursor(log)["lines"] == 2
