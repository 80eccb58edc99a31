"""The hub service over HTTP: whose events are stored is the hub's answer, never the event's.

A fake hub answers ``GET /hub/api/user`` as JupyterHub 6 does: the token's owner with the
token's scopes, 403 for a token it does not know. The service and the fake hub run on
loopback in a thread of their own; the tests are the kernels, calling with urllib.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from jupyterhub.services.auth import HubAuth
from tornado import httpserver, web
from traitlets.config import Config

from guessfirst.log.eventlog import make_event, read_events, verify
from guessfirst.teacher.hubservice import Limits, Store, make_app, serve
from guessfirst.teacher.hubservice._app import MAX_BODY, MAX_EVENTS
from guessfirst.teacher.hubservice._cli import add_arguments, run

PREFIX = "/services/guessfirst/"
ACCESS = "access:services!service=guessfirst"
#: The fake hub's tokens: a student's server token carries the access scope once the
#: config grants it; without that config it does not.
TOKENS = {
    "ana-server": {"kind": "user", "name": "ana", "scopes": [ACCESS, "users:activity!user=ana"]},
    "ben-server": {"kind": "user", "name": "ben", "scopes": [ACCESS]},
    "cleo-plain": {"kind": "user", "name": "cleo", "scopes": ["access:servers!server=cleo/"]},
    "other-service": {"kind": "service", "name": "grader", "scopes": [ACCESS]},
}


def _event(student: str = "ana", **fields: object) -> dict:
    event = make_event(
        "attempt",
        student=student,
        session="s1",
        notebook="week1.ipynb",
        question="q1",
        qversion="abcdef012345",
        attempt=1,
        correct=False,
        **{"response": "3/4", **fields},
    )
    return {**event, "prev": ""}


class _FakeHubUser(web.RequestHandler):
    def initialize(self, asked: list[str]) -> None:
        self.asked = asked

    def get(self) -> None:
        token = self.request.headers.get("Authorization", "").removeprefix("token ")
        self.asked.append(token)
        model = TOKENS.get(token)
        if model is None:
            raise web.HTTPError(403)
        self.write(json.dumps({**model, "session_id": None, "token_id": "a1"}))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Running:
    """The fake hub and the service, answering on loopback from a thread's event loop."""

    def __init__(self, store: Path, limits: Limits, hub_up: bool = True) -> None:
        self.store = Store(store)
        self.asked: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.hub_port = _free_port()
        self.port = _free_port()
        self.servers: list[httpserver.HTTPServer] = []
        asyncio.run_coroutine_threadsafe(self._start(limits, hub_up), self.loop).result(10)
        self.url = f"http://127.0.0.1:{self.port}{PREFIX}"

    async def _start(self, limits: Limits, hub_up: bool) -> None:
        hub = web.Application([("/hub/api/user", _FakeHubUser, {"asked": self.asked})])
        auth = HubAuth(api_url=f"http://127.0.0.1:{self.hub_port}/hub/api", api_token="svc")
        app = make_app(self.store, limits, auth, prefix=PREFIX)
        for application, port in ((hub, self.hub_port), (app, self.port)):
            if application is hub and not hub_up:
                continue
            server = httpserver.HTTPServer(application)
            server.listen(port, "127.0.0.1")
            self.servers.append(server)

    def close(self) -> None:
        async def stop() -> None:
            for server in self.servers:
                server.stop()
                await server.close_all_connections()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def call(
        self, path: str, token: str | None = None, body: object = None, data: bytes | None = None
    ) -> tuple[int, Message, Any]:
        return _call(self.url + path, token, body, data)

    def post(self, token: str, *events: dict) -> tuple[int, Message, Any]:
        return self.call("api/events", token, {"events": list(events)})

    def stored(self, user: str) -> list[dict]:
        return read_events(self.store.path(user)).events


def _call(
    url: str, token: str | None = None, body: object = None, data: bytes | None = None
) -> tuple[int, Message, Any]:
    """(status, headers, decoded JSON body) of one request."""
    if body is not None:
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if token is not None:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, answer.headers, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


@pytest.fixture
def running(tmp_path: Path):
    started: list[_Running] = []

    def start(limits: Limits | None = None, hub_up: bool = True) -> _Running:
        running = _Running(tmp_path / "store", limits or Limits(), hub_up)
        started.append(running)
        return running

    yield start
    for each in started:
        each.close()


def test_an_event_is_stored_in_the_hub_users_own_file(running) -> None:
    service = running()
    event = _event("ana")
    status, _, body = service.post("ana-server", event)
    assert status == 200
    assert body == {"results": [{"id": event["id"], "status": 201}], "stopped": None}
    (line,) = service.stored("ana")
    assert line["id"] == event["id"] and line["hub_user"] == "ana"
    assert line["received"].endswith("Z") and line["response"] == "3/4"
    assert service.store.path("ana") == service.store.folder / "ana.jsonl"


def test_a_token_cannot_store_an_event_in_another_students_name(running) -> None:
    service = running()
    forged = _event("ben")
    status, _, body = service.post("ana-server", forged)
    assert status == 200
    (result,) = body["results"]
    assert result["id"] == forged["id"] and result["status"] == 403 and result["reason"]
    assert not service.store.path("ben").exists() and not service.store.path("ana").exists()


def test_without_a_token_or_with_one_the_hub_does_not_know_it_is_401(running) -> None:
    service = running()
    for token in (None, "made-up"):
        status, headers, body = service.post(token, _event())  # type: ignore[arg-type]
        assert status == 401 and body["error"]
        assert headers["WWW-Authenticate"] == "token"
        status, _, _ = service.call("api/mine", token)
        assert status == 401
    assert list(service.store.folder.iterdir()) == []


def test_a_token_without_the_access_scope_or_not_a_users_is_403(running) -> None:
    service = running()
    status, _, body = service.post("cleo-plain", _event("cleo"))
    assert status == 403 and ACCESS in body["error"]
    status, _, body = service.post("other-service", _event("grader"))
    assert status == 403 and "service" in body["error"]
    assert list(service.store.folder.iterdir()) == []


def test_a_resend_is_acknowledged_as_already_held_and_stored_once(running) -> None:
    service = running()
    first, second = _event(), _event()
    service.post("ana-server", first)
    status, _, body = service.post("ana-server", first, second)
    assert status == 200
    assert [r["status"] for r in body["results"]] == [200, 201]
    assert [line["id"] for line in service.stored("ana")] == [first["id"], second["id"]]


def test_a_bad_event_is_refused_and_the_batch_goes_on(running) -> None:
    service = running()
    bad, good = {**_event(), "attempt": 0}, _event()
    big = _event(note="x" * 70_000)
    status, _, body = service.post("ana-server", bad, big, 7, good)
    assert status == 200
    assert [r["status"] for r in body["results"]] == [400, 413, 400, 201]
    assert body["results"][2]["id"] is None
    assert all(r["reason"] for r in body["results"][:3])
    assert [line["id"] for line in service.stored("ana")] == [good["id"]]


def test_a_flood_is_stopped_with_429_and_retry_after_while_others_are_stored(running) -> None:
    service = running(Limits(rate=0.01, burst=3))
    flood = [_event() for _ in range(5)]
    status, _, body = service.post("ana-server", *flood)
    assert status == 200
    assert [r["status"] for r in body["results"]] == [201, 201, 201]
    assert body["stopped"]["status"] == 429 and body["stopped"]["retry_after"] > 50
    status, headers, body = service.post("ana-server", *flood[3:])
    assert status == 429
    assert int(headers["Retry-After"]) >= 1 and body["retry_after"] > 50
    assert body["error"] and "results" not in body
    assert len(service.stored("ana")) == 3
    status, _, body = service.post("ben-server", _event("ben"))
    assert status == 200 and body["results"][0]["status"] == 201
    assert len(service.stored("ben")) == 1


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[]",
        b'{"events": {}}',
        b'{"events": [], "student": "ben"}',
        b'{"events": [], "events": []}',
        b'{"events": [NaN]}',
        b"\xff\xfe",
    ],
)
def test_a_body_not_of_the_events_shape_is_400(running, data: bytes) -> None:
    service = running()
    status, _, body = service.call("api/events", "ana-server", data=data)
    assert status == 400 and body["error"]


def test_too_big_a_body_or_too_many_events_is_413(running) -> None:
    service = running(Limits(burst=1000))
    padding = "x" * (MAX_BODY + 1)
    status, _, body = service.call("api/events", "ana-server", {"events": [], "x": padding})
    assert status == 413 and body["error"]
    many = [_event() for _ in range(MAX_EVENTS + 1)]
    status, _, _ = service.post("ana-server", *many)
    assert status == 413
    assert not service.store.path("ana").exists()
    status, _, body = service.post("ana-server", *many[:MAX_EVENTS])  # the most allowed
    assert status == 200 and len(body["results"]) == MAX_EVENTS


def test_mine_counts_only_the_callers_own_events(running) -> None:
    service = running()
    assert service.call("api/mine", "ana-server")[2] == {
        "user": "ana",
        "events": 0,
        "last_id": None,
    }
    ana = [_event() for _ in range(3)]
    service.post("ana-server", *ana)
    service.post("ben-server", _event("ben"))
    status, _, body = service.call("api/mine", "ana-server")
    assert status == 200 and body == {"user": "ana", "events": 3, "last_id": ana[-1]["id"]}
    status, _, body = service.call("api/mine?user=ben", "ana-server")
    assert body["user"] == "ana"  # there is no way to ask about someone else
    assert service.call("api/mine", "ben-server")[2]["events"] == 1


def test_health_answers_without_a_token_and_other_paths_are_404(running) -> None:
    service = running()
    assert service.call("health")[:3:2] == (200, {"ok": True})
    status, _, body = service.call("api/other", "ana-server")
    assert status == 404 and body["error"]


def test_the_hub_is_asked_once_per_token_not_once_per_request(running) -> None:
    service = running()
    for _ in range(3):
        service.post("ana-server", _event())
    assert service.asked == ["ana-server"]


def test_a_hub_that_does_not_answer_is_503_with_retry_after(running) -> None:
    service = running(hub_up=False)
    status, headers, body = service.post("ana-server", _event())
    assert status == 503 and int(headers["Retry-After"]) >= 1 and body["retry_after"] > 0
    assert list(service.store.folder.iterdir()) == []


def test_two_kernels_of_one_student_are_stored_batch_after_batch(running) -> None:
    service = running(Limits(burst=1000))
    batches = [[_event() for _ in range(40)] for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda batch: service.post("ana-server", *batch), batches))
    assert all(status == 200 for status, _, _ in answers)
    stored = [line["id"] for line in service.stored("ana")]
    assert sorted(stored) == sorted(e["id"] for batch in batches for e in batch)
    for batch in batches:
        start = stored.index(batch[0]["id"])
        assert stored[start : start + len(batch)] == [e["id"] for e in batch]
    assert verify(service.store.path("ana")) == []


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_the_printed_config_is_one_jupyterhub_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jupyterhub.app import JupyterHub
    from jupyterhub.scopes import _check_scopes_exist
    from jupyterhub.services.service import Service
    from jupyterhub.spawner import LocalProcessSpawner

    store = tmp_path / "events"
    args = _args("--store", str(store), "--print-config", "--public-url", "https://hub.school/")
    assert run(args) == 0
    snippet = capsys.readouterr().out
    config = Config()
    config.JupyterHub.services = [{"name": "other", "api_token": "x"}]  # the admin's own
    exec(snippet, {"get_config": lambda: config})
    hub = JupyterHub(config=config)
    other, ours = hub.services
    assert other["name"] == "other" and ours["name"] == "guessfirst"
    assert ours["command"][1:] == ["hub-service", "--store", str(store)]
    assert ours["user"] == "guessfirst" and ours["url"].startswith("http://127.0.0.1:")
    assert set(ours) <= set(Service.class_traits(input=True))
    assert hub.extra_user_scopes == {ACCESS}
    spawner = LocalProcessSpawner(config=config)
    assert set(spawner.server_token_scopes) == {
        "users:activity!user",
        "access:servers!server",
        ACCESS,
    }
    assert spawner.environment == {
        "GUESSFIRST_HUB_SERVICE": "https://hub.school/services/guessfirst/"
    }
    _check_scopes_exist(set(spawner.server_token_scopes) | hub.extra_user_scopes)
    assert not store.exists()  # printing the config creates nothing


def test_a_stopping_service_answers_the_batch_it_is_storing(running, tmp_path: Path) -> None:
    storing, release = threading.Event(), threading.Event()

    class SlowStore(Store):
        def receive(self, user: str, event: dict, now: Any) -> Any:
            storing.set()
            release.wait(10)
            return super().receive(user, event, now)

    hub = running()  # its loop and fake hub; the service under test is a second one
    port = _free_port()
    auth = HubAuth(api_url=f"http://127.0.0.1:{hub.hub_port}/hub/api", api_token="svc")
    app = make_app(SlowStore(tmp_path / "slow"), Limits(), auth, prefix=PREFIX)
    stop = asyncio.Event()
    served = asyncio.run_coroutine_threadsafe(serve(app, "127.0.0.1", port, stop=stop), hub.loop)
    url = f"http://127.0.0.1:{port}{PREFIX}"
    deadline = time.monotonic() + 10
    while True:
        try:
            _call(url + "health")
            break
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(_call, url + "api/events", "ana-server", {"events": [_event()]})
        assert storing.wait(10)
        hub.loop.call_soon_threadsafe(stop.set)
        deadline = time.monotonic() + 10
        with pytest.raises(OSError):  # no new connection is taken once it is stopping
            while time.monotonic() < deadline:
                _call(url + "health")
                time.sleep(0.05)
        release.set()
        status, _, body = answer.result(10)
    assert status == 200 and body["results"][0]["status"] == 201
    served.result(10)  # and then it stops


def test_without_the_hubs_environment_the_command_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    assert run(_args("--store", str(tmp_path / "s"))) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1
    assert "JUPYTERHUB_SERVICE_URL" in message and "JupyterHub service" in message
    assert run(_args("--store", str(tmp_path / "s"), "--url", "ftp://x")) == 2
    monkeypatch.delenv("JUPYTERHUB_SSL_KEYFILE", raising=False)
    assert run(_args("--store", str(tmp_path / "s"), "--url", "https://127.0.0.1:9")) == 2
    assert "JUPYTERHUB_SSL_KEYFILE" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_the_service_process_stores_then_stops_on_sigterm(running, tmp_path: Path) -> None:
    hub = running()  # for its fake hub; the process under test is the service
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub.hub_port}/hub/api",
        "JUPYTERHUB_API_TOKEN": "svc",
        "JUPYTERHUB_SERVICE_NAME": "guessfirst",
        "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
        "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
    }
    store = tmp_path / "process-store"
    process = subprocess.Popen(
        [sys.executable, "-m", "guessfirst.teacher.hubservice", "--store", str(store)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}{PREFIX}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if _call(url + "health")[0] == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        event = _event("ana", response="secret-answer")
        status, _, body = _call(url + "api/events", "ana-server", {"events": [event]})
        assert status == 200 and body["results"][0]["status"] == 201
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    printed = process.stderr.read() if process.stderr else ""
    assert f"POST {PREFIX}api/events 200 ana" in printed
    assert "secret-answer" not in printed and event["id"] not in printed
    (line,) = read_events(store / "ana.jsonl").events
    assert line["id"] == event["id"] and line["hub_user"] == "ana"
    assert oct(store.stat().st_mode & 0o777) == "0o700"


PROXY = (
    Path(__file__).resolve().parents[1]
    / "hub"
    / "node_modules"
    / ".bin"
    / "configurable-http-proxy"
)
#: A stand-in for a student's single-user server: it keeps the token and the service URL
#: the hub gave it, as its kernels would inherit them, and answers the hub's checks.
_SERVER = """
import http.server, os, sys, urllib.parse
url = urllib.parse.urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"])
with open(sys.argv[1], "w") as kept:
    kept.write(os.environ["JUPYTERHUB_API_TOKEN"] + "\\n" + os.environ["GUESSFIRST_HUB_SERVICE"])
class Up(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
server = http.server.HTTPServer((url.hostname, url.port), Up)
server.timeout = 1
while True:
    server.handle_request()
"""
_HUB_CONFIG = """
import sys
from jupyterhub.spawner import LocalProcessSpawner

c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{ports[0]}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {ports[1]}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports[2]}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {here!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {here!r} + "/hub.sqlite"
c.JupyterHub.cookie_secret_file = {here!r} + "/cookie_secret"
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = "p" * 40
c.Authenticator.allowed_users = {{"ana"}}
c.JupyterHub.services = [{{"name": "admin", "api_token": {admin!r}}}]
c.JupyterHub.load_roles = [
    {{"name": "admin-svc", "scopes": ["admin:users", "admin:servers"], "services": ["admin"]}}
]

class Unswitched(LocalProcessSpawner):  # no unix user per student here
    def make_preexec_fn(self, name):
        return None

    def user_env(self, env):
        return env

c.JupyterHub.spawner_class = Unswitched
c.Spawner.cmd = [sys.executable, {here!r} + "/server.py", {here!r} + "/server-token"]

exec(open({here!r} + "/snippet.py").read())
# As printed, except: run it from this checkout, as the hub's own user.
ours = c.JupyterHub.services[-1]
ours["command"] = [sys.executable, "-m", "guessfirst.teacher.hubservice", *ours["command"][2:]]
ours["user"] = ""
"""


@pytest.mark.skipif(not PROXY.exists(), reason="needs configurable-http-proxy in hub/")
def test_the_printed_config_lets_a_students_server_token_in_on_a_real_hub(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ports = [_free_port() for _ in range(4)]
    hub_url = f"http://127.0.0.1:{ports[0]}"
    args = ["--store", str(tmp_path / "store"), "--url", f"http://127.0.0.1:{ports[3]}"]
    assert run(_args(*args, "--print-config", "--public-url", hub_url)) == 0
    (tmp_path / "snippet.py").write_text(capsys.readouterr().out)
    (tmp_path / "server.py").write_text(_SERVER)
    admin = "a" * 64
    config = _HUB_CONFIG.format(ports=ports, proxy=str(PROXY), here=str(tmp_path), admin=admin)
    (tmp_path / "jupyterhub_config.py").write_text(config)
    output = (tmp_path / "hub.log").open("wb")
    hub = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(tmp_path / "jupyterhub_config.py")],
        cwd=tmp_path,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def printed() -> str:
        return (tmp_path / "hub.log").read_text(errors="replace")[-3000:]

    try:
        deadline = time.monotonic() + 60
        while True:
            assert hub.poll() is None, printed()
            try:
                if _call(hub_url + PREFIX + "health")[0] == 200:
                    break
            except (OSError, ValueError):
                assert time.monotonic() < deadline, printed()
                time.sleep(0.3)
        spawn = urllib.request.Request(
            f"{hub_url}/hub/api/users/ana/server",
            method="POST",
            data=b"",
            headers={"Authorization": f"token {admin}"},
        )
        with urllib.request.urlopen(spawn, timeout=30) as answer:
            assert answer.status in (201, 202)
        kept = tmp_path / "server-token"
        while not kept.exists() or "\n" not in kept.read_text():
            assert time.monotonic() < deadline, printed()
            time.sleep(0.2)
        token, service_url = kept.read_text().split("\n")
        assert service_url == f"{hub_url}{PREFIX}"
        event = _event("ana")
        status, _, body = _call(service_url + "api/events", token, {"events": [event]})
        assert status == 200 and body["results"] == [{"id": event["id"], "status": 201}]
        assert _call(service_url + "api/mine", admin)[0] == 403  # a service's token
    finally:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
            hub.wait(5)
        output.close()
    (line,) = read_events(tmp_path / "store" / "ana.jsonl").events
    assert line["hub_user"] == "ana" and line["id"] == event["id"]
    assert "INFO stopped" in printed()  # the hub stopped it, and it finished cleanly
