"""An LRS in a thread on 127.0.0.1, for tests that must see every request a push makes.

It keeps statements by id as an LRS does, answers 409 Conflict to a batch holding an id it
already has (the other answer LRSs give, 204, is Ralph's and is tested against Ralph), and
plays a script first: a status to answer with, ``"drop"`` / ``"store-then-drop"`` to close
the connection with no answer, before or after storing the batch, or ``"lrs"`` to behave as
an LRS for that request.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

USER, PASSWORD = "teacher", "s3cret"


@dataclass
class FakeLRS:
    url: str = ""
    stored: dict[str, dict] = field(default_factory=dict)
    #: The id of every statement stored, once per time it was stored.
    accepted: list[str] = field(default_factory=list)
    #: Every batch received, answered or not, in order.
    batches: list[list[dict]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    #: What to do with the next requests, before behaving as an LRS.
    script: list[int | str] = field(default_factory=list)
    #: Extra headers and body for a scripted status.
    answer_headers: dict[str, str] = field(default_factory=dict)
    answer_body: dict = field(default_factory=dict)

    def sent_ids(self) -> list[str]:
        return [statement["id"] for batch in self.batches for statement in batch]


@contextmanager
def running() -> Iterator[FakeLRS]:
    lrs = FakeLRS()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(lrs))
    server.daemon_threads = True
    lrs.url = f"http://127.0.0.1:{server.server_address[1]}/xapi/"
    # A short poll interval: shutdown() waits for it at the end of every test.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield lrs
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _handler(lrs: FakeLRS) -> type[http.server.BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            batch = json.loads(body)
            lrs.batches.append(batch)
            lrs.headers.append({name.lower(): value for name, value in self.headers.items()})
            step = lrs.script.pop(0) if lrs.script else "lrs"
            if step == "drop":
                self.close_connection = True
                return
            if step == "store-then-drop":
                self._store(batch)
                self.close_connection = True
                return
            if isinstance(step, int):
                self._answer(step, lrs.answer_body, lrs.answer_headers)
            elif self.headers.get("Authorization") not in (expected, "Bearer t0ken"):
                self._answer(401, {"detail": "Invalid authentication credentials"})
            elif any(statement["id"] in lrs.stored for statement in batch):
                self._answer(409, {"detail": "statement id already stored"})
            else:
                self._store(batch)
                self._answer(200, [statement["id"] for statement in batch])

        def _store(self, batch: list[dict]) -> None:
            for statement in batch:
                lrs.stored[statement["id"]] = statement
                lrs.accepted.append(statement["id"])

        def _answer(self, status: int, value: object, headers: dict | None = None) -> None:
            data = json.dumps(value).encode()
            self.send_response(status)
            for name, header in (headers or {}).items():
                self.send_header(name, header)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: pytest shows the assertions

    return Handler
