"""Load on the guessfirst hub service: simulated kernels, each with its own hub token.

    python bench/bench_hubservice.py [--kernels 200] [--events 30] [--think 0] [--quick]
        [--rate R] [--burst B] [--in-flight N] [--daily-mib M]

A real JupyterHub on loopback, behind configurable-http-proxy, runs the service as a
managed service (``python -m guessfirst.teacher.hubservice --store DIR`` with its limits passed
as options: the service's defaults, except ``--burst``, raised to ``--events`` when a
lesson has more, so that a kernel sending flat out is not held to the sustained rate).
The hub's users exist in its database only: no unix user is made and no single-user
server is spawned. The bench is a second service whose token may create users and their
tokens: it makes one hub user per kernel and one token per user, whose only scope is
``access:services!service=guessfirst``, the one a kernel's server token needs for it.
``--quick`` is 20 kernels x 5 events, for a test or CI.

Each kernel first writes its lesson to a real local log (``eventlog.append_events``, in a
temporary folder), so its events are chained as a kernel's are, then sends them one
request per event, as a live kernel does after each append, through the proxy, on one
keep-alive connection of its own. With ``--think 0`` (the default) each kernel sends its
next event as soon as the last one is acknowledged, so the figures are the service's
capacity with every kernel waiting on it; ``--think S`` waits a random time of mean S
seconds before each event, as students do. A 429 or 503 is honoured (its Retry-After
waited, the event sent again) and counted. A connection the proxy closed while idle (after
5 s) is opened again and the event sent again, as a kernel's client must: counted too.

Printed: events acknowledged, wall time, events per second, the time from sending an event
to its acknowledgement (p50, p95, max) for the request acknowledged and from the event's
first sending (Retry-After waits included), the 429 and 503 answers, the CPU the service
and the client used, and the service process's peak RSS (VmHWM). Afterwards each user's
store file must hold exactly their events, in order, once each, chained, and ``api/mine``
must agree; the bench exits non-zero if not, if any event was refused, or if the service
was restarted by the hub meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from guessfirst.log import eventlog
from guessfirst.teacher.hubservice import _limits

REPO = Path(__file__).resolve().parents[1]
PROXY = REPO / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
VENV = Path(sys.prefix)
SERVICE = "guessfirst"
PREFIX = f"/services/{SERVICE}/"
BENCH = "gf-load-bench"
ACCESS = f"access:services!service={SERVICE}"
#: What one answer makes, in a lesson's order; a lesson repeats it question after question.
_ANSWER = ("shown", "attempt", "hint", "attempt", "reveal")


@dataclass(frozen=True)
class Limits:
    """The limits the service runs with: its own defaults unless the bench raised them."""

    rate: float
    burst: int
    daily_mib: float
    in_flight: int

    def options(self) -> list[str]:
        return [
            "--rate",
            str(self.rate),
            "--burst",
            str(self.burst),
            "--daily-mib",
            str(self.daily_mib),
            "--in-flight",
            str(self.in_flight),
        ]

    def describe(self) -> str:
        return (
            f"rate {self.rate:g} events/s per user, burst {self.burst}, "
            f"{self.daily_mib:g} MiB a day per user, {self.in_flight} in flight"
        )


@dataclass(frozen=True)
class Hub:
    """A running hub: its public address (the proxy), its API, the bench's token."""

    url: str
    api: str
    token: str
    store: Path
    output: Path
    process: subprocess.Popen[bytes]

    def printed(self, chars: int = 6000) -> str:
        return self.output.read_text(errors="replace")[-chars:]


@dataclass
class Tally:
    """What the kernels were answered."""

    seconds: list[float] = field(default_factory=list)  # the acknowledged request's own
    waited: list[float] = field(default_factory=list)  # from the event's first sending
    statuses: Counter[int] = field(default_factory=Counter)
    refusals: list[str] = field(default_factory=list)
    too_many: int = 0  # 429 answers, the whole request or the event refused
    busy: int = 0  # 503 answers
    reconnects: int = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the hub ---------------------------------------------------------------------------


def hub_config(state: Path, store: Path, ports: dict[str, int], token: str, limits: Limits) -> str:
    """jupyterhub_config.py: loopback only, users in the database only, the service managed."""
    command = [sys.executable, "-m", "guessfirst.teacher.hubservice", "--store", str(store)]
    command += limits.options()
    return textwrap.dedent(
        f"""\
        # Written by bench/bench_hubservice.py for one run.
        c = get_config()  # noqa: F821

        c.JupyterHub.bind_url = {f"http://127.0.0.1:{ports['public']}"!r}
        c.JupyterHub.hub_ip = "127.0.0.1"
        c.JupyterHub.hub_port = {ports["hub"]!r}
        c.ConfigurableHTTPProxy.api_url = {f"http://127.0.0.1:{ports['proxy_api']}"!r}
        c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
        c.ConfigurableHTTPProxy.pid_file = {str(state / "proxy.pid")!r}
        c.JupyterHub.db_url = {f"sqlite:///{state / 'jupyterhub.sqlite'}"!r}
        c.JupyterHub.cookie_secret_file = {str(state / "jupyterhub_cookie_secret")!r}
        c.JupyterHub.log_level = "WARN"

        # Nobody logs in: users are made through the API, and use tokens only.
        c.JupyterHub.authenticator_class = "null"
        c.Authenticator.allow_all = True

        c.JupyterHub.services = [
            {{
                "name": {SERVICE!r},
                "url": {f"http://127.0.0.1:{ports['service']}"!r},
                "command": {command!r},
            }},
            {{"name": {BENCH!r}, "api_token": {token!r}}},
        ]
        c.JupyterHub.load_roles = [
            # A user may hold, and so give a token, access to the guessfirst service.
            {{"name": "user", "scopes": ["self", {ACCESS!r}]}},
            {{
                "name": {BENCH!r},
                "scopes": ["admin:users", "tokens"],
                "services": [{BENCH!r}],
            }},
        ]
        """
    )


def hub_env() -> dict[str, str]:
    """This environment without what would point the hub or the service elsewhere."""
    drop = ("GUESSFIRST_", "JUPYTERHUB_", "JUPYTER_", "JPY_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PATH"] = os.pathsep.join([str(VENV / "bin"), env.get("PATH", os.defpath)])
    return env


@contextmanager
def running_hub(folder: Path, limits: Limits, timeout: float = 90) -> Iterator[Hub]:
    """A hub with the service managed by it; stopped with its proxy and service at the end."""
    if not PROXY.exists():
        raise SystemExit(f"configurable-http-proxy is missing: run `npm ci` in hub/ ({PROXY})")
    state, store = folder / "state", folder / "store"
    state.mkdir(mode=0o700)
    ports = {name: free_port() for name in ("public", "hub", "proxy_api", "service")}
    token = secrets.token_hex(32)
    config = state / "jupyterhub_config.py"
    config.write_text(hub_config(state, store, ports, token, limits), encoding="utf-8")
    with ExitStack() as stack:
        output = state / "hub.log"
        handle = stack.enter_context(output.open("wb"))
        process = subprocess.Popen(
            [str(VENV / "bin" / "jupyterhub"), "-f", str(config)],
            cwd=state,
            env=hub_env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = Hub(
            url=f"http://127.0.0.1:{ports['public']}",
            api=f"http://127.0.0.1:{ports['hub']}/hub/api",
            token=token,
            store=store,
            output=output,
            process=process,
        )
        stack.callback(stop_hub, hub, state / "proxy.pid")
        wait_for(hub, "/hub/health", timeout)
        wait_for(hub, PREFIX + "health", timeout)
        yield hub


def wait_for(hub: Hub, path: str, timeout: float) -> None:
    """Wait until ``path`` answers 200 through the proxy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"the hub exited ({hub.process.returncode}):\n{hub.printed()}")
        try:
            with urllib.request.urlopen(hub.url + path, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{path} did not answer in {timeout:.0f} s:\n{hub.printed()}")


def stop_hub(hub: Hub, proxy_pid: Path) -> None:
    """SIGTERM: the hub stops its service and proxy; then make sure, by pid."""
    service = service_pid(hub.store)
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 5)):
        try:
            os.killpg(hub.process.pid, sig)
            hub.process.wait(wait)
            break
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue
    # The proxy and the managed service run in sessions of their own.
    with suppress(OSError, ValueError):
        pid = int(proxy_pid.read_text().strip())
        if str(PROXY).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
            os.kill(pid, signal.SIGKILL)
    if service is not None and service_pid(hub.store) == service:
        with suppress(OSError):
            os.kill(service, signal.SIGKILL)


def service_pid(store: Path) -> int | None:
    """The pid of the service serving ``store`` (this run's alone), or None."""
    wanted = [b"guessfirst.teacher.hubservice", str(store).encode()]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        if all(part in argv for part in wanted):
            return int(entry.name)
    return None


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid``, in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time ``pid`` has used, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def hub_api(hub: Hub, method: str, path: str, body: object = None) -> object:
    """A request to the hub's REST API as the bench's service."""
    request = urllib.request.Request(
        hub.api + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {hub.token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")
        raise RuntimeError(f"{method} {path}: {error.code} {detail}") from None


def users_and_tokens(hub: Hub, names: list[str]) -> dict[str, str]:
    """One hub user per name, and one token each that may call the service only."""
    for start in range(0, len(names), 100):
        hub_api(hub, "POST", "/users", {"usernames": names[start : start + 100]})

    def token(name: str) -> str:
        made = hub_api(hub, "POST", f"/users/{name}/tokens", {"scopes": [ACCESS], "note": "bench"})
        assert isinstance(made, dict)
        return str(made["token"])

    with ThreadPoolExecutor(4) as pool:
        return dict(zip(names, pool.map(token, names), strict=True))


# -- the kernels -----------------------------------------------------------------------


def lesson(folder: Path, student: str, count: int) -> list[dict]:
    """``count`` events of ``student`` answering, written to a local log and read back."""
    made = []
    session = secrets.token_hex(8)
    for number in range(count):
        kind = _ANSWER[number % len(_ANSWER)]
        question = f"q{number // len(_ANSWER) + 1}"
        extra: dict[str, object] = {}
        if kind == "attempt":
            first = number % len(_ANSWER) == 1
            extra = {
                "attempt": 1 if first else 2,
                "correct": not first,
                "response": "3/4" if first else "0.75",
                "latency_ms": random.randint(2_000, 40_000),
            }
        elif kind == "hint":
            extra = {"n": 1, "attempt": 1}
        elif kind == "reveal":
            extra = {"attempt": 2, "by": "answer"}
        made.append(
            eventlog.make_event(
                kind,
                student=student,
                session=session,
                notebook="fractions-and-rates.ipynb",
                question=question,
                qversion="1",
                **extra,
            )
        )
    path = eventlog.log_path(folder, student)
    eventlog.append_events(path, made)
    read = eventlog.read_events(path)
    assert not read.problems and len(read.events) == count, read.problems
    return read.events


class Connection:
    """One keep-alive HTTP/1.1 connection, as a kernel's client keeps to the proxy."""

    def __init__(self, host: str, port: int, tally: Tally) -> None:
        self.host, self.port, self.tally = host, port, tally
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with suppress(OSError):
                await writer.wait_closed()

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Send, read the whole answer; once more on a fresh connection if the old one
        was closed meanwhile (the proxy drops idle ones; a resent event is stored once)."""
        for tries in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                return await self._exchange(method, path, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if tries == 2:
                    raise
                self.tally.reconnects += 1
        raise AssertionError("unreachable")

    async def _exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        assert self.reader is not None and self.writer is not None
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before an answer")
        status = int(status_line.split()[1])
        answer: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            answer[name.strip().lower()] = value.strip()
        if answer.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                data += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
            await self.reader.readline()
        else:
            data = await self.reader.readexactly(int(answer.get("content-length", "0")))
        if answer.get("connection", "").lower() == "close":
            await self.close()
        return status, answer, data


async def kernel(
    url: str, user: str, token: str, events: list[dict], think: float, tally: Tally
) -> None:
    """Send ``events`` one request each, waiting for each answer, as a live kernel does."""
    host, port = url.split("//", 1)[1].split(":")
    connection = Connection(host, int(port), tally)
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    try:
        for event in events:
            if think:
                await asyncio.sleep(random.expovariate(1 / think))
            body = json.dumps({"events": [event]}).encode()
            first = time.perf_counter()
            while True:
                started = time.perf_counter()
                status, answer, data = await connection.request(
                    "POST", PREFIX + "api/events", headers, body
                )
                seconds = time.perf_counter() - started
                wait = _retry_after(status, answer, data, tally)
                if wait is None:
                    break
                await asyncio.sleep(wait)
            if status != 200:
                tally.refusals.append(f"{user}: HTTP {status} {data[:300]!r}")
                continue
            results = json.loads(data)["results"]
            (result,) = results
            tally.statuses[result["status"]] += 1
            if result["status"] in (200, 201) and result["id"] == event["id"]:
                tally.seconds.append(seconds)
                tally.waited.append(time.perf_counter() - first)
            else:
                tally.refusals.append(f"{user}: {result}")
    finally:
        await connection.close()


def _retry_after(status: int, answer: dict[str, str], data: bytes, tally: Tally) -> float | None:
    """Seconds to wait before sending again, when the service said so; else None."""
    if status in (429, 503):
        seconds = float(answer.get("retry-after", "1"))
    elif status == 200 and (stopped := json.loads(data).get("stopped")):
        status, seconds = stopped["status"], float(stopped["retry_after"])
        if json.loads(data)["results"]:
            return None  # the event was answered before the service stopped
    else:
        return None
    if status == 429:
        tally.too_many += 1
    else:
        tally.busy += 1
    return max(seconds, 0.05)


async def class_of(
    hub: Hub, lessons: dict[str, list[dict]], tokens: dict[str, str], think: float
) -> Tally:
    """Every kernel at once; a kernel whose connection failed is a refusal, not a crash."""
    tally = Tally()
    ended = await asyncio.gather(
        *(
            kernel(hub.url, user, tokens[user], events, think, tally)
            for user, events in lessons.items()
        ),
        return_exceptions=True,
    )
    for user, end in zip(lessons, ended, strict=True):
        if isinstance(end, BaseException):
            tally.refusals.append(f"{user}: the kernel stopped: {end!r}")
    return tally


# -- the check -------------------------------------------------------------------------


def check_store(store: Path, lessons: dict[str, list[dict]]) -> list[str]:
    """What is wrong with the store: each user's file must hold exactly their events."""
    problems = []
    for user, sent in lessons.items():
        path = eventlog.log_path(store, user)
        read = eventlog.read_events(path)
        ids = [event["id"] for event in read.events]
        if read.problems or eventlog.verify(path):
            problems.append(f"{user}: {(read.problems or eventlog.verify(path))[:2]}")
        if len(ids) != len(set(ids)):
            problems.append(f"{user}: {len(ids) - len(set(ids))} events stored twice")
        if ids != [event["id"] for event in sent]:
            problems.append(f"{user}: {len(ids)} events stored, {len(sent)} sent, or not in order")
        for stored, mine in zip(read.events, sent, strict=False):
            if stored.get("hub_user") != user or stored.get("sent_prev") != mine["prev"]:
                problems.append(f"{user}: event {stored['id']} not as sent")
                break
    strangers = {path.name for path in store.glob("*.jsonl")} - {
        eventlog.log_path(store, user).name for user in lessons
    }
    problems += [f"a file of nobody's: {name}" for name in sorted(strangers)]
    return problems


def check_mine(hub: Hub, lessons: dict[str, list[dict]], tokens: dict[str, str]) -> list[str]:
    """What ``GET api/mine`` gets wrong: each user's count and last id, as sent."""
    problems = []
    for user, sent in lessons.items():
        request = urllib.request.Request(
            hub.url + PREFIX + "api/mine", headers={"Authorization": f"token {tokens[user]}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                mine = json.loads(answer.read())
        except urllib.error.HTTPError as error:
            problems.append(f"{user}: api/mine answered {error.code}")
            continue
        expected = {"user": user, "events": len(sent), "last_id": sent[-1]["id"] if sent else None}
        if mine != expected:
            problems.append(f"{user}: api/mine answered {mine}, not {expected}")
    return problems


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return max(values)
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=200, help="simulated kernels (users)")
    parser.add_argument("--events", type=int, default=30, help="events per kernel")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds before each event (0: none)"
    )
    parser.add_argument("--quick", action="store_true", help="20 kernels x 5 events")
    parser.add_argument("--rate", type=float, default=_limits.RATE)
    parser.add_argument("--burst", type=int, help="default: the service's, or --events if more")
    parser.add_argument("--in-flight", type=int, default=_limits.IN_FLIGHT)
    parser.add_argument("--daily-mib", type=float, default=_limits.DAILY_BYTES / 2**20)
    options = parser.parse_args(argv)
    if options.quick:
        options.kernels, options.events = 20, 5
    burst = options.burst or max(_limits.BURST, options.events)
    limits = Limits(options.rate, burst, options.daily_mib, options.in_flight)
    names = [f"student-{number:03d}" for number in range(options.kernels)]
    pacing = (
        f"a random think time of mean {options.think:g} s before each event"
        if options.think
        else "each event sent as soon as the last was acknowledged (no think time)"
    )
    print(
        f"hub service load: {options.kernels} kernels x {options.events} events, one request "
        f"per event, one keep-alive connection per kernel, through the proxy"
    )
    print(f"pacing: {pacing}")
    print(
        f"service limits: {limits.describe()}"
        + ("" if options.burst or burst == _limits.BURST else " (burst raised to --events)")
    )
    with tempfile.TemporaryDirectory(prefix="gf-load-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        local = folder / "kernels"
        lessons = {name: lesson(local, name, options.events) for name in names}
        started = time.perf_counter()
        hub = stack.enter_context(running_hub(folder, limits))
        print(f"hub and service up in {time.perf_counter() - started:.1f} s")
        pid = service_pid(hub.store)
        if pid is None:
            raise SystemExit(f"no service process found:\n{hub.printed()}")
        before = memory_kib(pid)
        cpu_before = cpu_seconds(pid)
        started = time.perf_counter()
        tokens = users_and_tokens(hub, names)
        print(f"{len(tokens)} users and tokens made in {time.perf_counter() - started:.1f} s")
        started, client = time.perf_counter(), time.process_time()
        tally = asyncio.run(class_of(hub, lessons, tokens, options.think))
        wall, client = time.perf_counter() - started, time.process_time() - client
        after = service_pid(hub.store)
        memory = memory_kib(pid) if after == pid else {}
        cpu = cpu_seconds(pid) - cpu_before if after == pid else None
        acknowledged = len(tally.seconds)
        print(
            f"events acknowledged: {acknowledged:,} of {options.kernels * options.events:,}"
            f" ({tally.statuses[201]:,} stored, {tally.statuses[200]:,} already stored)"
        )
        print(f"wall time: {wall:.2f} s")
        print(f"events per second acknowledged: {acknowledged / wall:,.0f}")
        if tally.seconds:
            for what, values in (
                ("send to acknowledgement", tally.seconds),
                ("first send to acknowledgement, Retry-After waits included", tally.waited),
            ):
                ms = [s * 1000 for s in values]
                print(
                    f"{what}: p50 {statistics.median(ms):.1f} ms, "
                    f"p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms"
                )
        print(
            f"429 answers: {tally.too_many}, 503 answers: {tally.busy}, "
            f"reconnects: {tally.reconnects}"
        )
        if cpu is not None:
            print(
                f"CPU during the load: service {cpu:.1f} s, bench client {client:.1f} s "
                f"({os.cpu_count()} cores shared with the hub and the proxy)"
            )
        if memory:
            print(
                f"service memory: peak RSS {memory['VmHWM'] / 1024:.1f} MiB "
                f"(RSS {before['VmRSS'] / 1024:.1f} MiB before the load, "
                f"{memory['VmRSS'] / 1024:.1f} MiB after)"
            )
        problems = [*tally.refusals]
        if after != pid:
            problems.append(
                f"the service process changed during the run ({pid} -> {after}): "
                "it exited and the hub restarted it"
            )
        problems += check_store(hub.store, lessons)
        problems += check_mine(hub, lessons, tokens)
        if problems:
            print(f"FAILED: {len(problems)} problem(s):")
            for problem in problems[:20]:
                print(f"  {problem}")
            print(f"the hub's output ends:\n{hub.printed(3000)}")
            return 1
        print(
            f"store checked: each of {len(lessons)} users' files holds exactly their events, "
            "once each, in order, chained; api/mine agrees"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
