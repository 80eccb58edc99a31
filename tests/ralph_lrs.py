"""Ralph, a real Learning Record Store, started by the tests on a free loopback port.

Ralph's ``lrs`` extra pins starlette, uvicorn and fastapi older than marimo and Jupyter
need, so the server lives in a virtual environment of its own, ``.venv-ralph`` at the
repository root::

    python3 -m venv .venv-ralph
    .venv-ralph/bin/pip install "ralph-malph[lrs]==5.1.0" click-option-group requests

``GUESSFIRST_RALPH`` may name another ``ralph`` executable; else ``ralph`` on PATH is used.
Ralph's statement models (``ralph-malph`` without extras) come with the test extra.
Where Ralph is missing its tests are skipped, except in CI (``CI`` set), where they fail.

Only the filesystem backend installs without a database, and it takes one write per
store: a second batch meets "already exists and overwrite is not allowed". Tests therefore
start a server on a fresh store for each batch that is meant to be written.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).parents[1]
USER, PASSWORD = "district", "correct-horse-battery"
HOME = "https://hub.school.example"
#: Bounded waits for a server to come up or go away, 0.1 s a look (Ralph takes ~4 s).
_LOOKS = 600
#: Statements per page when reading back; small, so that paging is exercised.
_PAGE = 100


def executable() -> str | None:
    named = os.environ.get("GUESSFIRST_RALPH")
    local = ROOT / ".venv-ralph" / "bin" / "ralph"
    if named:
        return shutil.which(named)
    return str(local) if local.exists() else shutil.which("ralph")


def missing(what: str) -> NoReturn:
    """Skip a test whose Ralph part is not installed, or fail it in CI, which installs it."""
    if os.environ.get("CI"):
        pytest.fail(
            f"{what} is not installed; CI must install it (tests/ralph_lrs.py)", pytrace=False
        )
    pytest.skip(f"{what} is not installed (see tests/ralph_lrs.py)")


class Server:
    """One ``ralph runserver`` process group, serving ``store``."""

    def __init__(self, command: list[str], env: dict[str, str], store: Path, port: int) -> None:
        self.store, self.port = store, port
        self.url = f"http://127.0.0.1:{port}/xAPI/"
        self.log = store.with_name(store.name + ".log")
        store.mkdir(parents=True)
        quiet = store.with_name(store.name + ".cwd")  # uvicorn's reloader watches the cwd
        quiet.mkdir()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*command, "--fs-default-directory-path", str(store), "-p", str(port)],
                cwd=quiet,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for _ in range(_LOOKS):
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"Ralph did not start:\n{self.log.read_text(errors='replace')}", pytrace=False)

    def stop(self) -> None:
        """Stop the server and its reloader, and wait until the port is free again."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for _ in range(_LOOKS):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.1)

    def statements(self) -> list[dict]:
        """Every statement the LRS holds, read back through its xAPI GET, page by page."""
        found: list[dict] = []
        address = urllib.parse.urljoin(self.url, f"statements?limit={_PAGE}")
        while address:
            page = _get(address)
            found.extend(page["statements"])
            more = page.get("more") if page["statements"] else None
            address = urllib.parse.urljoin(self.url, more) if more else ""
        return found


class Ralph:
    """Ralph on this machine, with one user's credentials in an auth file of its own."""

    def __init__(self, command: str, folder: Path) -> None:
        self._command = command
        self._servers: list[Server] = []
        self.env = {
            **os.environ,
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_APP_DIR": str(folder / "app"),
            # Ralph's settings load the default backend even for "ralph auth".
            "RALPH_RUNSERVER_BACKEND": "fs",
        }
        subprocess.run(
            [command, "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-A", USER, HOME, "-w"],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def serve(self, store: Path, port: int | None = None) -> Server:
        """A server on the fresh folder ``store``, at ``port`` or a free one."""
        command = [self._command, "runserver", "-b", "fs", "-h", "127.0.0.1"]
        server = Server(command, self.env, store, port or _free_port())
        self._servers.append(server)
        return server

    def stop(self) -> None:
        for server in self._servers:
            server.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(address: str) -> dict:
    credentials = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        address,
        headers={"Authorization": f"Basic {credentials}", "X-Experience-API-Version": "1.0.3"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())
