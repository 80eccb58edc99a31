"""How long `guessfirst xapi --lrs` lasts against an LRS that misbehaves, with the defaults.

    python bench/bench_xapi_faults.py [--runs 1]

Each bad LRS (a trickle of a byte every 2 s after its headers, a hang, a connection dropped
half-way through the answer, a status line that is not HTTP, and 503s whose Retry-After is
1e9, -1 or nan) runs on 127.0.0.1, and the real `guessfirst` command pushes a small class to
it with the default request deadline and retry budget; the faults run side by side, each
in its own process. Prints the worst wall time of each over the runs, the exit status and
the line the teacher reads. Not part of `bench/run.py`: the slowest faults take the whole
retry budget, 5 minutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from guessfirst.log import eventlog
from guessfirst.teacher import lrs

#: Each fault, with what the LRS sends once it has read a request (None: nothing, ever).
_RETRY_AFTER = (
    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {}\r\nContent-Length: 2\r\n\r\n{{}}"
)
FAULTS: dict[str, bytes | None] = {
    "trickle (a byte every 2 s)": b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n",
    "hang": None,
    "drop half-way": b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n["',
    "bad status line": b"HTTP/1.1 two hundred OK\r\n\r\n",
    "Retry-After: 1e9": _RETRY_AFTER.format("1e9").encode(),
    "Retry-After: -1": _RETRY_AFTER.format("-1").encode(),
    "Retry-After: nan": _RETRY_AFTER.format("nan").encode(),
}
_TRICKLE_EVERY = 2.0
#: No server loop outlives this, whatever the client does.
_LONGEST = 900.0


class _BadLRS:
    """Answers every request the same bad way, each connection in a thread of its own."""

    def __init__(self, name: str, answer: bytes | None) -> None:
        self._trickle = name.startswith("trickle")
        self._answer = answer
        self._stop = threading.Event()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/xapi/"
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self) -> None:
        self._stop.set()
        self._socket.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                _read_request(connection)
                if self._answer is not None:
                    connection.sendall(self._answer)
                if self._trickle:
                    for _ in range(int(_LONGEST / _TRICKLE_EVERY)):
                        if self._stop.wait(_TRICKLE_EVERY):
                            break
                        connection.sendall(b" ")  # fails once the client has gone
                elif self._answer is None:
                    connection.settimeout(_LONGEST)
                    connection.recv(1)  # the hang: until the client gives up
            except OSError:
                pass


def _read_request(connection: socket.socket) -> None:
    connection.settimeout(30)
    with connection.makefile("rb") as stream:
        length = 0
        while (line := stream.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        stream.read(length)


def _class(folder: Path) -> None:
    """Two students, two questions each: one batch of statements."""
    for student in ("ana", "ben"):
        path = eventlog.log_path(folder, student)
        for number in range(2):
            where = {
                "student": student,
                "session": f"s-{student}",
                "notebook": "bench.ipynb",
                "question": f"q{number}",
                "qversion": "0123456789ab",
            }
            eventlog.append_events(
                path,
                [
                    eventlog.make_event("shown", kind="numeric", **where),
                    eventlog.make_event(
                        "attempt",
                        attempt=1,
                        response="4",
                        correct=True,
                        confidence=1.0,
                        latency_ms=900,
                        misconception=None,
                        **where,
                    ),
                ],
            )


def _command() -> list[str]:
    """The installed `guessfirst` script, else its entry point, guessfirst.teacher.cli:main."""
    script = Path(sys.executable).with_name("guessfirst")
    if script.exists():
        return [str(script)]
    return [
        sys.executable,
        "-c",
        "import sys; from guessfirst.teacher.cli import main; sys.exit(main())",
    ]


def push_once(url: str, logs: Path) -> tuple[float, int, str]:
    """Wall seconds, exit status and standard error of one push, from a fresh copy of the
    logs (no cursor from an earlier run)."""
    with tempfile.TemporaryDirectory(prefix="gf-faults-") as temp:
        copy = Path(temp) / "class"
        shutil.copytree(logs, copy)
        command = [
            *_command(),
            "xapi",
            str(copy),
            "--activity-base",
            "https://school.example/gf",
            "--home-page",
            "https://hub.school.example",
            "--real-ids",
            "--lrs",
            url,
        ]
        environment = {**os.environ, "GUESSFIRST_LRS_TOKEN": "bench"}
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        return time.perf_counter() - started, done.returncode, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="pushes per fault (default: 1)")
    args = parser.parse_args()
    print(
        f"default request deadline {lrs.DEADLINE:g} s, retry budget {lrs.RETRY_BUDGET:g} s, "
        f"{lrs.TRIES} tries; {args.runs} run(s) per fault, the faults side by side",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="gf-faults-class-") as temp:
        logs = Path(temp)
        _class(logs)
        servers = {name: _BadLRS(name, answer) for name, answer in FAULTS.items()}
        try:
            with ThreadPoolExecutor(len(FAULTS) * args.runs) as pool:
                runs = {
                    name: [pool.submit(push_once, server.url, logs) for _ in range(args.runs)]
                    for name, server in servers.items()
                }
                results = {name: [run.result() for run in done] for name, done in runs.items()}
        finally:
            for server in servers.values():
                server.close()
    print(f"{'fault':<28} {'worst wall s':>12}  exit  what the teacher reads")
    for name, outcomes in results.items():
        worst, status, err = max(outcomes)
        clean = all(
            code != 0 and e.count("\n") == 1 and "Traceback" not in e for _, code, e in outcomes
        )
        line = err.strip().splitlines()[-1] if err.strip() else "(nothing)"
        mark = "" if clean else "  <-- NOT ONE CLEAN LINE"
        print(f"{name:<28} {worst:12.1f}  {status:>4}  {line}{mark}")


if __name__ == "__main__":
    main()
