"""One hub and one Chromium per test module: starting either is the slow part."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hub_server import Hub, running_hub

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The hub suite runs first: Playwright's sync API allows one instance at a time, and
    the browser tests keep theirs open until the session ends."""
    items.sort(key=lambda item: HERE not in Path(item.path).resolve().parents)  # stable


@pytest.fixture(scope="module")
def hub(request: pytest.FixtureRequest) -> Iterator[Hub]:
    """A hub for the module; ``SCHOOL = True`` in a module adds the guessfirst hub service."""
    with running_hub(school=getattr(request.module, "SCHOOL", False)) as running:
        yield running


@pytest.fixture(scope="module")
def browser(hub: Hub) -> Iterator[object]:
    """Chromium as the browser tests launch it; missing, a skip (under CI=true, a failure)."""
    from hub_page import chromium, launch
    from playwright.sync_api import sync_playwright

    if not Path(chromium()[0]).exists():
        message = "no Chromium: apt-get install chromium (or set GUESSFIRST_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        running = launch(playwright)
        yield running
        running.close()
