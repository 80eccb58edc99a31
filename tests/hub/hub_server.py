"""A real JupyterHub for the hub tests: real unix users, each with their own server process.

``running_hub()`` makes one unix user per student (``gf-<random>-ana``: a run never meets
another run's users), gives each a home holding the demo lesson, and starts JupyterHub on
a free loopback port behind configurable-http-proxy, with ``LocalProcessSpawner`` running
the single-user server as each student (``python -m jupyterhub.singleuser``: the venv's
scripts name its interpreter, which a student may not be able to reach; see
``_python_for``). When the ``with`` block ends, even on failure,
the hub stops its servers and proxy, any process left under a student's uid is killed by
pid, and the users go with their homes (``userdel -r``).

Creating users needs root: the suite is skipped otherwise, except under CI=true, where a
skip would let CI pass without the hub ever having run.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from school_service import SchoolService

from guessfirst.log import eventlog

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
LESSON = "fractions-and-rates.ipynb"
LESSON_FILES = (LESSON, "fractions_and_rates_questions.py")
#: Installed by `make test` (npm ci in hub/).
PROXY = REPO / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
VENV = Path(sys.prefix)
STUDENTS = ("ana", "ben", "cleo")
#: The hub's output is kept there after the run, for a failure to be read (CI collects it).
ARTIFACTS = Path(os.environ.get("GUESSFIRST_ARTIFACTS", REPO / "test-artifacts")) / "hub"
#: Where each student's kernel writes: set per user by the spawner's environment.
LOG_FOLDER = "guessfirst-logs"
_SERVICE = "guessfirst-tests"


@dataclass(frozen=True)
class Student:
    """One hub user: a unix account of its own, named as the hub names it."""

    short: str  # "ana"
    name: str  # the unix and hub user name, "gf-1a2b3c-ana"
    uid: int
    gid: int
    home: Path

    @property
    def log_dir(self) -> Path:
        return self.home / LOG_FOLDER

    @property
    def log(self) -> Path:
        return eventlog.log_path(self.log_dir, self.name)


@dataclass(frozen=True)
class Hub:
    """A running hub: its address, the shared password, an API token and the students."""

    url: str
    password: str
    token: str  # a service's: reads the students' servers (their kernels) for the tests
    students: dict[str, Student]
    output: Path  # what the hub, the proxy and every single-user server printed
    api_url: str = ""  # the hub's own API, as a service reaches it
    school: SchoolService | None = None  # the guessfirst hub service, when asked for

    def api(self, path: str, *, method: str = "GET") -> bytes:
        """A request to the hub or a user's server, as the tests' service."""
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.read()

    def printed(self, chars: int = 4000) -> str:
        return self.output.read_text(errors="replace")[-chars:]


def need_root() -> None:
    """Skip unless this can make unix users and the proxy is installed; under CI, fail."""
    problem = None
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        problem = "the hub tests create unix users: run them as root (a container, or CI)"
    elif not shutil.which("useradd") or not shutil.which("userdel"):
        problem = "the hub tests need useradd and userdel (the passwd package)"
    elif not PROXY.exists():
        problem = f"configurable-http-proxy is missing: run `npm ci` in hub/ ({PROXY})"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_hub(
    students: Sequence[str] = STUDENTS, timeout: float = 60, *, school: bool = False
) -> Iterator[Hub]:
    """A hub with one logged-out unix user per name in ``students``; see the module doc.

    With ``school``, the hub also knows the guessfirst hub service, which runs as a unix
    user of its own and which the test starts and stops (``hub.school``): each student's
    kernel is told where it is and its token may call it.
    """
    need_root()
    run = secrets.token_hex(3)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="guessfirst-hub-")))
        folder.chmod(0o711)  # students pass through to the Python below, and see nothing else
        state = folder / "state"  # the hub's database, cookie secret and token: root's only
        state.mkdir(mode=0o700)
        made: dict[str, Student] = {}
        stack.callback(_remove_users, made)
        for short in students:
            made[short] = _add_user(f"gf-{run}-{short}", short)
            _give_lesson(made[short])
        _pass_through(REPO, stack)
        python, extra_env = _python_for(made[students[0]], folder / "python")
        hub_port = free_port()
        service = None
        if school:
            owner = _add_user(f"gf-{run}-school", "school")
            made["school"] = owner  # removed with the students
            service = SchoolService(owner, folder / "store", python, extra_env, ARTIFACTS)
            stack.callback(service.stop)
        hub = Hub(
            url=f"http://127.0.0.1:{free_port()}",
            password=secrets.token_urlsafe(12),
            token=secrets.token_hex(32),
            students={short: made[short] for short in students},
            output=state / "hub.log",
            api_url=f"http://127.0.0.1:{hub_port}/hub/api",
            school=service,
        )
        config = state / "jupyterhub_config.py"
        config.write_text(_config(hub, state, python, extra_env, hub_port), encoding="utf-8")
        output = stack.enter_context(hub.output.open("wb"))
        process = subprocess.Popen(
            [str(VENV / "bin" / "jupyterhub"), "-f", str(config)],
            cwd=state,
            env=_hub_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        stack.callback(_keep_output, hub.output)
        stack.callback(_stop_hub, process, state / "proxy.pid")
        _wait_for_health(process, hub, timeout)
        yield hub


def _pass_through(path: Path, stack: ExitStack) -> None:
    """Let every user pass through (not list) the folders above the checkout, for the
    run: a clone in a 0700 temporary folder would hide the venv and the source the
    students' servers run. Each mode is put back when the hub stops."""
    for folder in reversed(path.resolve().parents):
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
            stack.callback(folder.chmod, stat.S_IMODE(mode))


def _add_user(name: str, short: str) -> Student:
    """A unix user with a home of their own; the caller removes it, whatever follows."""
    subprocess.run(
        [
            "useradd",
            "--create-home",
            "--shell",
            "/bin/bash",
            "--comment",
            "guessfirst hub test",
            name,
        ],
        check=True,
        capture_output=True,
    )
    entry = pwd.getpwnam(name)
    return Student(short, name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


def _give_lesson(student: Student) -> None:
    """The demo lesson in a private home, as a school's hub gives it, owned by the student."""
    student.home.chmod(0o700)
    for file in LESSON_FILES:
        shutil.copy(NOTEBOOKS / file, student.home / file)
    # JupyterLab would otherwise fetch news on first start; the tests stay on loopback.
    settings = student.home / ".jupyter/lab/user-settings/@jupyterlab/apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    for path in [student.home, *student.home.rglob("*")]:
        os.chown(path, student.uid, student.gid, follow_symlinks=False)


def _remove_users(made: dict[str, Student]) -> None:
    """Kill what still runs as the students (by pid), then remove them and their homes."""
    uids = {student.uid for student in made.values()}
    _kill_uids(uids)
    failed = []
    for student in made.values():
        done = subprocess.run(["userdel", "--remove", student.name], capture_output=True)
        if done.returncode not in (0, 12):  # 12: the home could not be removed in full
            failed.append(f"{student.name}: {done.stderr.decode(errors='replace').strip()}")
    made.clear()
    assert not failed, f"users left behind: {failed}"


def _kill_uids(uids: set[int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        pids = [pid for pid, uid in _processes() if uid in uids]
        if not pids or time.monotonic() > deadline:
            return
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)


def _processes() -> Iterator[tuple[int, int]]:
    """Each process's pid and real uid, from /proc."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone meanwhile
        for line in status.splitlines():
            if line.startswith("Uid:"):
                yield int(entry.name), int(line.split()[1])
                break


def _python_for(student: Student, shadow: Path) -> tuple[Path, dict[str, str]]:
    """A Python of this venv that ``student`` can run, and the environment it needs.

    The venv's own interpreter, when the student can reach it. A Python built under
    root's home (pyenv in /root, mode 0700) is out of their reach: then they get a view of
    the same interpreter in ``shadow`` (its files hard-linked, or copied across file
    systems) and a venv there whose packages are this venv's, through symlinks.
    """
    own = VENV / "bin" / "python"
    if _cannot_run(student, own, {}) is None:
        return own, {}
    base = Path(os.path.realpath(own))
    prefix = base.parents[1]
    version = sysconfig.get_python_version()
    (shadow / "bin").mkdir(parents=True)
    _link(base, shadow / "bin" / base.name)
    (shadow / "lib").mkdir()
    for library in prefix.glob("lib/libpython*"):
        if library.is_symlink():
            (shadow / "lib" / library.name).symlink_to(library.readlink())
        else:
            _link(library, shadow / "lib" / library.name)
    shutil.copytree(
        prefix / "lib" / f"python{version}",
        shadow / "lib" / f"python{version}",
        symlinks=True,
        copy_function=_link,
        ignore=shutil.ignore_patterns("site-packages"),
    )
    venv = shadow / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(shadow / "bin" / base.name)
    (venv / "pyvenv.cfg").write_text(
        f"home = {shadow / 'bin'}\ninclude-system-site-packages = false\nversion = {version}\n"
    )
    for entry in VENV.iterdir():  # lib (site-packages), share (JupyterLab), etc (config)
        if entry.name not in ("bin", "pyvenv.cfg"):
            (venv / entry.name).symlink_to(entry)
    # The interpreter's RUNPATH still names root's home; this comes first.
    env = {"LD_LIBRARY_PATH": str(shadow / "lib")}
    python = venv / "bin" / "python"
    problem = _cannot_run(student, python, env)
    if problem is not None:
        raise RuntimeError(f"{student.name} cannot run {python}:\n{problem}")
    return python, env


def _link(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


def _cannot_run(student: Student, python: Path, env: dict[str, str]) -> str | None:
    """Why ``student`` cannot start a single-user server's Python with guessfirst, or None."""
    try:
        done = subprocess.run(
            [str(python), "-c", "import jupyterhub.singleuser, guessfirst"],
            user=student.uid,
            group=student.gid,
            extra_groups=[],
            cwd=student.home,
            env={"PATH": "/usr/bin:/bin", "HOME": str(student.home), **env},
            capture_output=True,
            timeout=120,
        )
    except OSError as error:  # the interpreter itself is out of reach
        return str(error)
    return done.stderr.decode(errors="replace") if done.returncode else None


def _hub_env() -> dict[str, str]:
    """The tests' environment without what would name a student or move their logs."""
    drop = ("GUESSFIRST_", "JUPYTERHUB_", "JUPYTER_", "JPY_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "LD_LIBRARY_PATH"):
        env.pop(name, None)
    env["PATH"] = os.pathsep.join([str(VENV / "bin"), env.get("PATH", os.defpath)])
    return env


def _config(hub: Hub, state: Path, python: Path, extra_env: dict[str, str], hub_port: int) -> str:
    """jupyterhub_config.py: loopback only, state in ``state``, a server per unix user."""
    port = int(hub.url.rsplit(":", 1)[1])
    path = os.pathsep.join([str(python.parent), "/usr/local/bin", "/usr/bin", "/bin"])
    environment = {"PATH": path, **extra_env}
    text = textwrap.dedent(
        f"""\
        # Written by tests/hub/hub_server.py for one test run.
        import pwd
        from pathlib import Path

        c = get_config()  # noqa: F821

        c.JupyterHub.bind_url = {f"http://127.0.0.1:{port}"!r}
        c.JupyterHub.hub_ip = "127.0.0.1"
        c.JupyterHub.hub_port = {hub_port!r}
        c.ConfigurableHTTPProxy.api_url = {f"http://127.0.0.1:{free_port()}"!r}
        c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
        c.ConfigurableHTTPProxy.pid_file = {str(state / "proxy.pid")!r}
        c.JupyterHub.db_url = {f"sqlite:///{state / 'jupyterhub.sqlite'}"!r}
        c.JupyterHub.cookie_secret_file = {str(state / "jupyterhub_cookie_secret")!r}
        c.JupyterHub.log_level = "INFO"

        # One shared password (DummyAuthenticator's is deprecated since JupyterHub 5.3).
        c.JupyterHub.authenticator_class = "shared-password"
        c.SharedPasswordAuthenticator.user_password = {hub.password!r}
        c.Authenticator.allowed_users = {sorted(s.name for s in hub.students.values())!r}

        # The tests' own service: reads each student's kernels through their server.
        c.JupyterHub.services = [{{"name": {_SERVICE!r}, "api_token": {hub.token!r}}}]
        c.JupyterHub.load_roles = [
            {{
                "name": {_SERVICE!r},
                "scopes": ["read:users", "servers", "access:servers"],
                "services": [{_SERVICE!r}],
            }}
        ]

        # A real process per student, running as their unix user, in their home.
        c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
        c.Spawner.cmd = [{str(python)!r}, "-m", "jupyterhub.singleuser"]
        c.Spawner.args = [
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        c.Spawner.default_url = "/lab"
        c.Spawner.start_timeout = 120
        c.Spawner.http_timeout = 120


        def log_dir(spawner):
            # A callable: Spawner.environment does not expand {{username}}.
            return str(Path(pwd.getpwnam(spawner.user.name).pw_dir) / {LOG_FOLDER!r})


        c.Spawner.environment = {{**{environment!r}, "GUESSFIRST_LOG_DIR": log_dir}}
        """
    )
    if hub.school is not None:
        text += hub.school.config(hub.url, hub.api_url)
    return text


def _wait_for_health(process: subprocess.Popen, hub: Hub, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the hub exited ({process.returncode}):\n{hub.printed()}")
        try:
            with urllib.request.urlopen(hub.url + "/hub/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the hub not healthy after {timeout:.0f} s:\n{hub.printed()}")


def _keep_output(output: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(output, ARTIFACTS / output.name)


def _stop_hub(process: subprocess.Popen, proxy_pid: Path) -> None:
    """SIGTERM: the hub stops every single-user server and its proxy; then make sure."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
            process.wait(wait)
            break
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue
    try:  # the proxy runs in a session of its own; a killed hub leaves it behind
        pid = int(proxy_pid.read_text().strip())
        if str(PROXY).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
            os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass  # stopped with the hub
