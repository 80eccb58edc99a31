"""The pictures in the README, taken from the real cards and report in Chromium.

The four PNGs go to ``GUESSFIRST_SCREENSHOTS`` when it is set, else to
``test-artifacts/screenshots/``: an ordinary test run never touches the docs. To refresh
the docs' pictures, from the repository's root::

    GUESSFIRST_SCREENSHOTS=docs .venv/bin/pytest -m browser tests/browser/test_screenshots.py

One JupyterLab and one notebook for the cards: the progress card once a question got
wrong two days ago is put right today, then a confident wrong answer to the cycling
question in both themes. The report is the simulated class of ``docs/example_class.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from jupyter_page import Lesson, wait_for
from playwright.sync_api import Locator
from servers import LESSON, NOTEBOOKS, serve
from test_looking_back import _earlier_wrong_answer

from guessfirst.teacher import cli

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("GUESSFIRST_SCREENSHOTS") or REPO / "test-artifacts" / "screenshots")
NOTEBOOK = "screenshots.ipynb"
CYCLING, SPEED, PROGRESS = "lesson.cycling_time()", "lesson.train_speed()", "gf.progress()"
CELLS = ("import fractions_and_rates_questions as lesson\nimport guessfirst as gf", CYCLING, SPEED)


def _notebook() -> str:
    cells = [nbformat.v4.new_code_cell(source) for source in (*CELLS, PROGRESS)]
    kernel = nbformat.read(NOTEBOOKS / LESSON, as_version=4).metadata  # no kernel to pick
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells, metadata=kernel))


def _shot(lesson: Lesson, card: Locator, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    card.scroll_into_view_if_needed()
    lesson.page.mouse.move(1, 1)  # no hover styles in the picture
    card.screenshot(path=str(path), animations="disabled")
    return path


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


@pytest.fixture(scope="module")
def lesson(browser) -> Iterator[Lesson]:
    files = ("fractions_and_rates_questions.py",)
    with serve("lab", files=files, extra={NOTEBOOK: _notebook()}) as server:
        _earlier_wrong_answer(server)  # "speed", answered 180 two days ago
        page = browser.new_page(viewport={"width": 1300, "height": 1000}, color_scheme="light")
        opened = Lesson(page, server, "lab", NOTEBOOK).open()
        opened.run_all()
        try:
            yield opened
        finally:
            page.close()


def test_the_progress_card_after_an_error_put_right(lesson: Lesson):
    card = lesson.card(SPEED)
    wait_for(card, lambda s: s["status"] == "wrong", "the answer of two days ago restored")
    card.locator(".gf-answer input").fill("80")
    card.locator(".gf-pill", has_text="Fairly sure").click()
    card.locator(".gf-answer input").press("Enter")
    wait_for(card, lambda s: s["status"] == "correct", "the correction")

    cell = lesson.page.locator(".jp-CodeCell", has_text=PROGRESS)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    lesson.page.keyboard.press("Shift+Enter")  # again, now that the error is put right
    progress = cell.locator(".guessfirst-progress")
    progress.locator("text=1 good error today").wait_for(timeout=30_000)
    assert "right today" in progress.inner_text()
    assert _png_size(_shot(lesson, progress, "progress"))[0] > 400


def test_the_question_card_in_both_themes(lesson: Lesson):
    card = lesson.card(CYCLING)
    card.locator(".gf-welcome button").click()  # the first card's explanation, read once
    card.locator(".gf-welcome").wait_for(state="detached")
    card.locator(".gf-answer input").fill("36")
    card.locator(".gf-pill", has_text="Certain").click()
    card.locator(".gf-submit").click()
    shown = wait_for(card, lambda s: s["status"] == "wrong", "feedback on 36")
    assert "interesting" in shown["feedback"] and shown["example"]
    light = _shot(lesson, card, "question-light")

    lesson.set_theme("JupyterLab Dark")
    try:
        dark = _shot(lesson, lesson.card(CYCLING), "question-dark")
    finally:
        lesson.set_theme("JupyterLab Light")  # the theme is a user setting: leave it as found
    assert _png_size(light) == _png_size(dark)
    assert _png_size(light)[0] > 400 and light.read_bytes() != dark.read_bytes()


def test_the_report_of_a_simulated_class(browser, tmp_path: Path):
    logs, report = tmp_path / "logs", tmp_path / "report.html"
    simulator = REPO / "docs" / "example_class.py"
    subprocess.run([sys.executable, str(simulator), str(logs)], check=True, capture_output=True)
    assert cli.main(["report", str(logs), "-o", str(report)]) == 0

    page = browser.new_page(viewport={"width": 1000, "height": 1300}, color_scheme="light")
    try:
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        assert "28 students" in page.inner_text("body")
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / "report.png"
        page.screenshot(path=str(path), animations="disabled")
    finally:
        page.close()
    assert _png_size(path) == (1000, 1300)
