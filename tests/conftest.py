"""Every test gets a kernel-fresh guessfirst: its own log folder and a known student."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Forget everything a previous test's 'kernel' knew; return the log folder."""
    from guessfirst import context, i18n, tracker, widget

    log_dir = tmp_path / "guessfirst-logs"
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(log_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home-data"))  # where work waits
    monkeypatch.setenv("GUESSFIRST_STUDENT", "ana")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    for name in ("GUESSFIRST_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)  # the cards speak English unless a test asks
    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.setattr(context, "_configured", {})
    monkeypatch.setattr(context, "_asked", None)
    monkeypatch.setattr(tracker, "_recorders", {})
    monkeypatch.setattr(tracker, "_shown", set())
    monkeypatch.setattr(widget, "_defined", {})
    monkeypatch.setattr(widget, "_made_in_cell", {})
    return log_dir
