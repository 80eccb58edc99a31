"""What `make test` needs on the machine, checked before anything long runs.

    python3 tools/prereqs.py

Each missing or too old tool is one line naming the Debian package that brings it; the
exit status is 1 if any is missing. Only the standard library, so that it runs before the
virtual environment exists (and on the Python that will make it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PYTHON = (3, 10)
NODE = (20, 19)
JAVA = 17

# A problem: what is wrong, the Debian package that mends it, and a word on that package.


def _version(text: str) -> tuple[int, ...] | None:
    found = re.search(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?", text)
    return tuple(int(part) for part in found.groups() if part is not None) if found else None


def _run(*command: str) -> str | None:
    """What a command prints (both streams), or None when it cannot run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout + done.stderr if done.returncode == 0 else None


def check_python() -> list[tuple[str, str, str]]:
    problems = []
    have = sys.version_info[:2]
    if have < PYTHON:
        problems.append(
            (
                f"Python {have[0]}.{have[1]} is too old, 3.10 needed: make test PYTHON=python3.11",
                "python3",
                "Debian 12's is 3.11",
            )
        )
    try:
        import ensurepip  # noqa: F401  Debian leaves it out of python3, and venv needs it
    except ImportError:
        problems.append(("Python cannot make a virtual environment", "python3-venv", ""))
    return problems


def check_node() -> list[tuple[str, str, str]]:
    problems = []
    printed = _run("node", "--version") if shutil.which("node") else None
    have = _version(printed or "")
    wanted = f"Node {NODE[0]}.{NODE[1]} or later"
    package = "nodejs"
    word = "Debian 13's is 20.19; Debian 12's is 18: take 22 from NodeSource or nvm"
    if have is None:
        problems.append((f"no node: the card's tests need {wanted}", package, word))
    elif have[:2] < NODE:
        shown = ".".join(map(str, have))
        problems.append((f"node {shown} is too old: the card's tests need {wanted}", package, word))
    if not shutil.which("npm") or _run("npm", "--version") is None:
        problems.append(("no npm: it installs the card's test tools", "npm", ""))
    return problems


def check_chromium() -> list[tuple[str, str, str]]:
    chosen = os.environ.get("GUESSFIRST_CHROMIUM")
    path = chosen or shutil.which("chromium") or "/usr/bin/chromium"
    if Path(path).is_file() and os.access(path, os.X_OK):
        return []
    where = f"GUESSFIRST_CHROMIUM={chosen} is not a program" if chosen else "no chromium"
    return [(f"{where}: the browser tests drive it", "chromium", "")]


def check_java() -> list[tuple[str, str, str]]:
    home = os.environ.get("JAVA_HOME")  # PySpark starts $JAVA_HOME/bin/java when it is set
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    printed = _run(java, "-version") if java else None
    found = re.search(r'version "([^"]+)"', printed or "")
    have = _version(found.group(1)) if found else None
    if have and have[0] == 1 and len(have) > 1:  # "1.8.0_392" is Java 8
        have = have[1:]
    package = "openjdk-17-jre-headless"
    if have is None:
        where = f" at JAVA_HOME={home}" if home else ""
        return [(f"no java{where}: the Spark tests need Java {JAVA} or later", package, "")]
    if have[0] < JAVA:
        return [(f"java {have[0]} is too old: the Spark tests need Java {JAVA}", package, "")]
    return []


def notes() -> list[str]:
    """What changes what runs, without stopping it."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("useradd"):
        return []
    outcome = "fail (CI=true)" if os.environ.get("CI") == "true" else "skip"
    return [
        f"note: the hub tests make unix users, as root with useradd (package passwd): "
        f"here they {outcome}"
    ]


def main() -> int:
    problems = [*check_python(), *check_node(), *check_chromium(), *check_java()]
    for line in notes():
        print(line)
    for what, package, word in problems:
        print(f"missing: {what}\n  install: apt-get install {package}" + f"  ({word})" * bool(word))
    if problems:
        count = len(problems)
        print(f"make test stops here: {count} prerequisite{'s' * (count > 1)} missing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
