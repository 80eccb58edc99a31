"""The first explanation in JupyterLab: on the first card only, dismissed by keyboard, and
gone after a kernel restart for the same student, whose log keeps the dismissal.

Its picture goes to ``GUESSFIRST_SCREENSHOTS`` when set (``docs`` refreshes the one in
docs/student.md), else to ``test-artifacts/screenshots/``, as in test_screenshots.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_page import Lesson
from servers import Server, serve

from guessfirst.log import eventlog

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("GUESSFIRST_SCREENSHOTS") or REPO / "test-artifacts" / "screenshots")
NOTEBOOK = "welcome.ipynb"
FIRST, SECOND = 'gf.Numeric("speed"', 'gf.Numeric("half"'
CELLS = [
    "import guessfirst as gf",
    'gf.Numeric("speed", "A train covers 120 km in 1.5 hours. Its speed, in km/h?", answer=80,'
    ' example="Distance over time: 120 / 1.5.")',
    'gf.Numeric("half", "What is half of 10?", answer=5, example="10 / 2.")',
]


def _notebook() -> str:
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "source": source,
            "outputs": [],
            "execution_count": None,
        }
        for source in CELLS
    ]
    return json.dumps(
        {
            "cells": cells,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve("lab", files=(), extra={NOTEBOOK: _notebook()}) as running:
        yield running


@pytest.fixture
def lesson(server: Server, browser) -> Iterator[Lesson]:
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        yield Lesson(page, server, "lab", NOTEBOOK).open()
    finally:
        page.close()


def _welcomes(server: Server) -> list[dict]:
    if not server.log.is_file():
        return []
    return [e for e in eventlog.read_events(server.log).events if e["type"] == "welcomed"]


def test_the_welcome_shows_once_goes_by_keyboard_and_stays_gone_after_a_restart(lesson, server):
    page = lesson.page
    lesson.run_all()
    first, second = lesson.card(FIRST), lesson.card(SECOND)
    welcome = first.locator(".gf-welcome")
    welcome.wait_for(timeout=30_000)
    assert "Why guess first?" in welcome.inner_text()
    assert "Your brain learns most from a guess it then checks." in welcome.inner_text()
    assert welcome.get_attribute("aria-labelledby") == welcome.locator("h4").get_attribute("id")
    assert second.locator(".gf-welcome").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(1, 1)  # no hover styles in the picture
    first.screenshot(path=str(SHOTS / "welcome.png"), animations="disabled")

    # By keyboard: back from the answer field to "Got it", then Enter.
    first.locator(".gf-answer input").focus()
    page.keyboard.press("Shift+Tab")
    assert "Got it" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    welcome.wait_for(state="detached", timeout=10_000)
    # Focus went on to the question, not to the page.
    assert first.evaluate(
        "r => r.querySelector('.gf-answer input') === r.getRootNode().activeElement"
    )
    for _ in range(100):  # the kernel logs it as soon as it hears of it
        if _welcomes(server):
            break
        page.wait_for_timeout(100)
    assert [(e["lang"], e["question"]) for e in _welcomes(server)] == [("en", "speed")]

    # The next lesson's kernel, the same student: no welcome, on any card.
    lesson.restart_and_run_all()
    first = lesson.card(FIRST)
    first.locator(".gf-answer input").wait_for()
    assert first.locator(".gf-welcome").count() == 0
    assert lesson.card(SECOND).locator(".gf-welcome").count() == 0
