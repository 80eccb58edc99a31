"""The hub service's load bench, small: it must keep running, and its checks must hold.

``bench/bench_hubservice.py`` starts a real hub with the service managed by it, makes a
user and a token per simulated kernel, sends each kernel's lesson through the proxy, and
then checks every user's stored file event by event. The full run (200 kernels) gives the
figures; this runs 20 kernels, so a change that breaks the bench or the service under
concurrent kernels fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hub_server import PROXY, REPO

pytestmark = pytest.mark.hub


def test_twenty_kernels_store_every_event_once() -> None:
    if not PROXY.exists():
        message = f"configurable-http-proxy is missing: run `npm ci` in hub/ ({PROXY})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_hubservice.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "events acknowledged: 100 of 100 (100 stored, 0 already stored)" in done.stdout
    assert "store checked: each of 20 users' files holds exactly their events" in done.stdout
