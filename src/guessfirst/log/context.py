"""Who is answering, in which notebook, and where their log goes.

Everything here is resolved when it is needed, not at import, so that a teacher's
``configure`` call or an environment variable set after import still counts.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path

from ..i18n import set_language
from ..i18n import text as _say
from ..kernel import KERNEL
from .names import log_path

#: One id per kernel process: every event of this run carries it.
SESSION = str(uuid.uuid4())

#: Logins that name a machine or an image, not a person. A log written under one of
#: these could not be told apart from a classmate's, so the widget asks instead.
GENERIC_LOGINS = frozenset(
    {
        "",
        "admin",
        "administrator",
        "codespace",
        "colab",
        "default",
        "guest",
        "jovyan",
        "jupyter",
        "nobody",
        "pi",
        "root",
        "student",
        "ubuntu",
        "user",
        "vscode",
    }
)

MAX_STUDENT_CHARS = 100
_REMEMBERED = ".student"


def configure(
    *,
    student: str | None = None,
    log_dir: str | os.PathLike[str] | None = None,
    lang: str | None = None,
) -> None:
    """Set the student id, the log folder or the language of the cards for this kernel.

    ``JUPYTERHUB_USER`` and ``GUESSFIRST_STUDENT`` still come first for the student: on a
    hub the login is the most trustworthy name there is (unless the administrator set
    ``GUESSFIRST_ID_SOURCE=env``, and then ``GUESSFIRST_STUDENT`` comes first).
    ``log_dir`` given here wins over ``GUESSFIRST_LOG_DIR``, because code in the notebook
    is the most specific wish.
    ``lang`` ("en" or "zh-HK") counts for questions made after the call.
    """
    if student is not None:
        KERNEL.configured["student"] = _clean_student(student)
    if log_dir is not None:
        KERNEL.configured["log_dir"] = Path(log_dir)
    if lang is not None:
        set_language(lang)


#: More lesson folders whose logs are the student's too, separated as in PATH.
FOLDERS_VARIABLE = "GUESSFIRST_LOG_DIRS"


def own_logs(student: str, folders: Iterable[str | os.PathLike[str]] | None = None) -> list[Path]:
    """The student's own log files: in ``folders``, or this lesson's and those named in
    ``GUESSFIRST_LOG_DIRS`` (a teacher's list of the course's lesson folders)."""
    if folders is None:
        extra = [part for part in os.environ.get(FOLDERS_VARIABLE, "").split(os.pathsep) if part]
        folders = [log_dir(), *extra]
    found: list[Path] = []
    for folder in folders:
        path = log_path(Path(folder).resolve(), student)
        if path not in found:
            found.append(path)
    return found


def log_dir() -> Path:
    """The folder the student's log file lives in (absolute)."""
    configured = KERNEL.configured.get("log_dir")  # a Path: configure() makes it one
    chosen = configured if isinstance(configured, Path) else os.environ.get("GUESSFIRST_LOG_DIR")
    folder = Path(chosen) if chosen else Path.cwd() / "guessfirst-logs"
    return folder.expanduser().absolute()


def student() -> str | None:
    """The student's id, or None when the widget has to ask for it."""
    return _identify()[0]


def typed_by_student() -> bool:
    """True when the id is one a student typed: on a shared computer it may be the last one's."""
    return _identify()[1]


#: Set to "env" by an administrator (in the spawner's environment) to let
#: GUESSFIRST_STUDENT win over the hub's login: a school's pseudonymous ids.
ID_SOURCE_VARIABLE = "GUESSFIRST_ID_SOURCE"


def _identify() -> tuple[str | None, bool]:
    hub, given_id = os.environ.get("JUPYTERHUB_USER"), os.environ.get("GUESSFIRST_STUDENT")
    first = (given_id, hub) if os.environ.get(ID_SOURCE_VARIABLE) == "env" else (hub, given_id)
    given = (*first, KERNEL.configured.get("student"))
    for candidate in given:
        if isinstance(candidate, str) and not is_generic(candidate):
            return candidate.strip(), False
    typed = KERNEL.asked_student or _recall()
    return typed, typed is not None


def is_generic(name: str) -> bool:
    return name.strip().casefold() in GENERIC_LOGINS


def remember_student(name: str) -> str:
    """Keep the name a student typed, for this kernel and for the next one.

    It is written beside the logs so a restarted kernel does not ask again. Raises
    ValueError with a message meant for the student when the name cannot be used.
    """
    cleaned = _clean_student(name)
    KERNEL.asked_student = cleaned
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / _REMEMBERED).write_text(cleaned + "\n", encoding="utf-8")
    except OSError:
        pass  # the name still holds for this kernel; the log itself reports write trouble
    return cleaned


def forget_student() -> None:
    """Drop an asked name (a shared computer, a new student at the keyboard)."""
    KERNEL.asked_student = None
    with contextlib.suppress(OSError):
        (log_dir() / _REMEMBERED).unlink(missing_ok=True)


def fallback_path(log_file: Path) -> Path:
    """Where a student's events wait when ``log_file`` cannot be written: a file of their
    own under their home, one per lesson folder, so a stopped kernel loses nothing."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    folder = str(Path(log_file).parent.resolve())
    lesson = hashlib.sha256(folder.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return Path(base) / "guessfirst" / lesson / Path(log_file).name


def notebook_name() -> str | None:
    """The notebook's file name, where the front end lets the kernel know it."""
    path: object = os.environ.get("JPY_SESSION_NAME")
    if not path:
        path = _ipython_namespace().get("__vsc_ipynb_file__")
    if not path:
        path = _marimo_notebook()
    return Path(path).name if isinstance(path, str) and path else None


def _marimo_notebook() -> str | None:
    """The file a marimo kernel runs; marimo names it only in its runtime context."""
    if "marimo" not in sys.modules:  # not a marimo kernel: never import marimo for this
        return None
    try:
        from marimo._runtime.context import get_context

        return get_context().filename
    except Exception:  # no context (a script), or marimo moved it: the name is optional
        return None


def _clean_student(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(_say("student.error.empty"))
    cleaned = " ".join(name.split())
    if len(cleaned) > MAX_STUDENT_CHARS:
        raise ValueError(_say("student.error.too_long", limit=MAX_STUDENT_CHARS))
    if is_generic(cleaned):
        raise ValueError(_say("student.error.generic", name=cleaned))
    return cleaned


def _recall() -> str | None:
    try:
        text = (log_dir() / _REMEMBERED).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if text and len(text) <= MAX_STUDENT_CHARS else None


def _ipython_namespace() -> dict[str, object]:
    try:
        from IPython import get_ipython
    except ImportError:
        return {}
    shell = get_ipython()
    return getattr(shell, "user_ns", {}) if shell is not None else {}
