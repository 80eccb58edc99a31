"""Where a student's log lives: a file name safe on every system, inside the log folder."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
# Names Windows reserves whatever follows the first dot: "con" and "nul.x" get a "_" in front.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)


def safe_name(student: str) -> str:
    """A file name for ``student``'s log, safe on every system a class folder travels to.

    Only ASCII letters, digits, ``.``, ``_`` and ``-`` survive: accented letters are stored
    differently by macOS and Windows, so the same id could otherwise map to two files.
    Whenever the id had to be changed (a character replaced, a leading dot, a reserved or
    empty name, a cut for length), 8 hex digits of its SHA-256 are appended, so that
    "Ana María" and "Ana_Mar_a" do not share a file. Unchanged ids stay readable.
    """
    name = _UNSAFE.sub("_", student)
    if name.startswith("."):
        name = "_" + name[1:]
    if name.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        name = "_" + name
    if name == student and name and len(name) <= _MAX_NAME_CHARS:
        return name
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{(name or '_')[: _MAX_NAME_CHARS - 9]}-{digest}"


def log_path(log_dir: Path, student: str) -> Path:
    """Where ``student``'s events go inside ``log_dir``."""
    return Path(log_dir) / f"{safe_name(student)}.jsonl"
