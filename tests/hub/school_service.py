"""The guessfirst hub service for the hub tests: a process the test starts and stops.

A school runs the service managed by the hub (docs/deploying-on-jupyterhub.md), which
restarts it whenever it exits. Here it is an external service with the same command and
the same environment a managed one gets, so that a test can stop it, let a student answer
meanwhile, and start it again. It runs as a unix user of its own, and its store is that
user's alone (0700): no student's kernel can open it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any, Protocol

NAME = "guessfirst"
PREFIX = f"/services/{NAME}/"


class _Account(Protocol):
    name: str
    uid: int
    gid: int
    home: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SchoolService:
    """``python -m guessfirst.teacher.hubservice`` as ``owner``, storing into ``store``."""

    def __init__(
        self, owner: _Account, store: Path, python: Path, env: dict[str, str], logs: Path
    ) -> None:
        self.owner, self.store, self.python = owner, store, python
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.token = secrets.token_hex(32)
        self.api_url = ""  # set by the hub's config
        self._env = env
        self._logs = logs
        self._process: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None
        store.mkdir(mode=0o700)
        os.chown(store, owner.uid, owner.gid)

    def config(self, hub_url: str, hub_api: str) -> str:
        """The lines jupyterhub_config.py needs: ``guessfirst hub-service --print-config``
        as an administrator pastes it, with the managed service made an external one."""
        self.api_url = hub_api
        done = subprocess.run(
            [
                str(self.python),
                "-m",
                "guessfirst.teacher.hubservice",
                "--print-config",
                "--store",
                str(self.store),
                "--public-url",
                hub_url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        managed = re.compile(r"^c\.JupyterHub\.services\.append\(.*\)$", re.M)
        external = {"name": NAME, "url": self.url, "api_token": self.token}
        snippet, count = managed.subn(f"c.JupyterHub.services.append({external!r})", done.stdout)
        assert count == 1, done.stdout
        return "\n" + snippet.replace("c = get_config()", "# c = get_config()")

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 60) -> None:
        """Start the service as its own user and wait until it answers."""
        assert not self.running, "the service is already running"
        self._logs.mkdir(parents=True, exist_ok=True)
        self._output = (self._logs / "school-service.log").open("ab")
        env = {
            "PATH": f"{self.python.parent}:/usr/bin:/bin",
            "HOME": str(self.owner.home),
            "JUPYTERHUB_API_TOKEN": self.token,
            "JUPYTERHUB_API_URL": self.api_url,
            "JUPYTERHUB_SERVICE_NAME": NAME,
            "JUPYTERHUB_SERVICE_URL": self.url,
            "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
            **self._env,
        }
        self._process = subprocess.Popen(
            [str(self.python), "-m", "guessfirst.teacher.hubservice", "--store", str(self.store)],
            user=self.owner.uid,
            group=self.owner.gid,
            extra_groups=[],
            cwd=self.owner.home,
            env=env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._process.poll() is None, f"the service exited: {self.printed()}"
            try:
                with urllib.request.urlopen(self.url + PREFIX + "health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise AssertionError(f"the service did not answer in {timeout:.0f} s: {self.printed()}")

    def stop(self) -> None:
        """SIGTERM, as the hub stops a managed service; the service must exit cleanly."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
                raise AssertionError("the service did not stop on SIGTERM") from None
            assert process.returncode == 0, f"the service exited {process.returncode}"
        if self._output is not None:
            self._output.close()
            self._output = None

    def records(self, user: str) -> list[dict[str, Any]]:
        """What the service stored for ``user``, in order (read as root, the admin)."""
        path = self.store / f"{user}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def printed(self, chars: int = 3000) -> str:
        path = self._logs / "school-service.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""
