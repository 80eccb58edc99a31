"""Front-end servers for browser tests: each on a free loopback port, in a throwaway root.

A server serves a temporary folder holding the demo lesson, writes its logs to a
temporary ``GUESSFIRST_LOG_DIR`` as ``GUESSFIRST_STUDENT``, asks for no token, and is
stopped (with every kernel it started) when the ``with`` block ends, even on failure.
Shared by the tests and by ``bench/bench_browser.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LESSON = "fractions-and-rates.ipynb"
#: What a lesson folder holds besides the notebook: the questions' module.
LESSON_FILES = (LESSON, "fractions_and_rates_questions.py")
STUDENT = "student-browser"

# Jupyter's update checks and news would reach for the network; the tests must not.
_QUIET_JUPYTER = (
    "--no-browser",
    "--ip=127.0.0.1",
    "--ServerApp.port_retries=0",
    "--IdentityProvider.token=",
    "--ServerApp.password=",
    "--ServerApp.disable_check_xsrf=False",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
)


@dataclass(frozen=True)
class Server:
    """A running front end: where to point the browser and where the logs land."""

    url: str
    root: Path
    log_dir: Path
    student: str
    output: Path  # what the server printed, for a failure to show

    @property
    def log(self) -> Path:
        from guessfirst.log import eventlog

        return eventlog.log_path(self.log_dir, self.student)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _bin(name: str) -> str:
    """An executable of this interpreter's environment (the venv's jupyter, marimo)."""
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else shutil.which(name) or name


def jupyter_command(app: str, port: int, root: Path) -> list[str]:
    """``jupyter lab`` or ``jupyter notebook`` (Notebook 7) serving ``root``."""
    command = [_bin("jupyter"), app, f"--port={port}", f"--ServerApp.root_dir={root}"]
    command += _QUIET_JUPYTER
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI runs as root
    return command


def marimo_command(port: int, notebook: Path) -> list[str]:
    return [
        _bin("marimo"),
        "--yes",  # never stop at a prompt
        "edit",
        "--headless",
        "--no-token",
        "--host=127.0.0.1",
        f"--port={port}",
        str(notebook),
    ]


@contextmanager
def serve(
    kind: str,
    files: Sequence[str] = LESSON_FILES,
    *,
    extra: Mapping[str, str] | None = None,
    student: str | None = STUDENT,
    ready_path: str = "/",
    timeout: float = 90,
) -> Iterator[Server]:
    """Start ``kind`` ("lab", "notebook" or "marimo") on ``files`` copied from notebooks/.

    ``extra`` adds files by name and text (a benchmark's own notebook). For marimo the
    first file is the notebook it edits.
    """
    with tempfile.TemporaryDirectory(prefix=f"guessfirst-{kind}-") as tmp:
        root, log_dir = Path(tmp) / "lesson", Path(tmp) / "logs"
        root.mkdir()
        log_dir.mkdir()
        for name in files:
            shutil.copy(NOTEBOOKS / name, root / name)
        for name, text in (extra or {}).items():
            (root / name).write_text(text, encoding="utf-8")
        port = free_port()
        if kind == "marimo":
            command = marimo_command(port, root / files[0])
        else:
            command = jupyter_command(kind, port, root)
        env = {**os.environ, "GUESSFIRST_LOG_DIR": str(log_dir)}
        env.pop("GUESSFIRST_STUDENT", None)
        env.pop("JUPYTERHUB_USER", None)
        if student is not None:
            env["GUESSFIRST_STUDENT"] = student
        env["MARIMO_SKIP_UPDATE_CHECK"] = "1"  # no network at run time
        env["JUPYTER_CONFIG_DIR"] = str(Path(tmp) / "jupyter-config")  # no user settings
        env["JUPYTERLAB_SETTINGS_DIR"] = str(_lab_settings(Path(tmp) / "lab-settings"))
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(Path(tmp) / "lab-workspaces")
        output = (Path(tmp) / "server.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kernels are stopped with it
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(process, url + ready_path, timeout, Path(tmp) / "server.log")
            yield Server(url, root, log_dir, student or "", Path(tmp) / "server.log")
        finally:
            _stop(process)
            output.close()


def _lab_settings(folder: Path) -> Path:
    """User settings that keep JupyterLab from asking to fetch news (a toast, a request)."""
    notification = folder / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    notification /= "notification.jupyterlab-settings"
    notification.write_text('{"fetchNews": "false"}', encoding="utf-8")
    return folder


def _wait_until_up(process: subprocess.Popen, url: str, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}):\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise RuntimeError(f"server not up after {timeout:.0f} s:\n{log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            # Kernels live in the same group and may outlast the server by a moment.
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue
