"""Every test gets a kernel-fresh guessfirst: its own log folder and a known student."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_PREREQS = Path(__file__).parents[1] / "tools" / "prereqs.py"


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Forget everything a previous test's 'kernel' knew; return the log folder."""
    from guessfirst.kernel import KERNEL

    log_dir = tmp_path / "guessfirst-logs"
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(log_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home-data"))  # where work waits
    monkeypatch.setenv("GUESSFIRST_STUDENT", "ana")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    for name in ("GUESSFIRST_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)  # the cards speak English unless a test asks
    KERNEL.reset()
    yield log_dir
    KERNEL.reset()  # nothing of this test's cards or recorders outlives it


@pytest.fixture(scope="session")
def need_java() -> None:
    """Skip a test that starts Spark when Java 17 is missing; under CI, fail.

    PySpark starts a JVM (``$JAVA_HOME/bin/java``, or ``java`` on the PATH); without one it
    fails with a long traceback about the gateway. The check is `make test`'s own.
    """
    spec = importlib.util.spec_from_file_location("guessfirst_prereqs", _PREREQS)
    assert spec is not None and spec.loader is not None
    prereqs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(prereqs)
    problems = prereqs.check_java()
    if problems:
        what, package, _ = problems[0]
        message = f"{what}: apt-get install {package}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
