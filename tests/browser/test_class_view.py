"""The class view in Chromium: no one named in the page, and a discussion opened by keyboard.

The picture in docs/teacher.md comes from here; to refresh it, from the repository's root::

    GUESSFIRST_SCREENSHOTS=docs .venv/bin/pytest -m browser tests/browser/test_class_view.py

Otherwise it goes to ``test-artifacts/screenshots/images/``, and the docs stay as they are.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from guessfirst.log import eventlog
from guessfirst.teacher import cli

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("GUESSFIRST_SCREENSHOTS") or REPO / "test-artifacts" / "screenshots")
#: Who answered what to "speed" (80 is right): 180 from three students, 60 from two; six
#: tried, and ana, ben and dan made a good error (wrong first, then right).
ANSWERS = {
    "ana-5501": ["180", "80"],
    "ben-5502": ["180", "80"],
    "cy-5503": ["180"],
    "dan-5504": ["60", "80"],
    "eve-5505": ["60"],
    "fay-5506": ["80"],
}


def _logs(folder: Path) -> None:
    """The class's events, written as the widget writes them."""
    for student, tries in ANSWERS.items():
        path = eventlog.log_path(folder, student)
        common = {
            "student": student,
            "session": f"session-{student}",
            "notebook": "lesson.ipynb",
            "question": "speed",
            "qversion": "0123456789ab",
        }
        eventlog.append_event(path, eventlog.make_event("shown", **common, kind="numeric"))
        for number, answer in enumerate(tries, start=1):
            attempt = eventlog.make_event(
                "attempt",
                **common,
                attempt=number,
                response=answer,
                correct=answer == "80",
                confidence=2 / 3,
                latency_ms=4000,
                misconception=None,
                normalized=answer,
            )
            eventlog.append_event(path, attempt)


def _class_view(tmp_path: Path) -> Path:
    _logs(tmp_path / "logs")
    page = tmp_path / "class.html"
    args = ["report", str(tmp_path / "logs"), "--audience", "class", "--lang", "en"]
    assert cli.main([*args, "-o", str(page)]) == 0
    return page


def _focused(frame: Frame | Page) -> str:
    return str(frame.evaluate("document.activeElement?.textContent ?? ''"))


def _discuss_by_keyboard(page: Page, frame: Frame | Page) -> None:
    """Tab to the one action, open its view with Enter, close it with Escape, then again
    with the Back button; the worked-example control stays a closed disclosure."""
    view = frame.locator("[popover]")
    page.keyboard.press("Tab")
    assert _focused(frame) == "Let's look at this one"
    page.keyboard.press("Enter")
    assert view.is_visible()
    assert "What might lead someone to 180?" in view.inner_text()
    assert _focused(frame) == "Back"
    page.keyboard.press("Escape")
    assert not view.is_visible()
    assert _focused(frame) == "Let's look at this one"
    page.keyboard.press("Enter")
    assert view.is_visible()
    page.keyboard.press("Enter")  # on Back, where the view put the focus
    assert not view.is_visible()


def test_the_class_view_names_no_one_and_discusses_by_keyboard(browser, tmp_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(_class_view(tmp_path).as_uri())
        page.wait_for_load_state("load")
        content = page.content()
        for student in ANSWERS:
            assert student not in content
        answers = page.locator(".answers li > .answer").all_inner_texts()
        assert answers == ["180"]  # 60 came from two students only
        assert "6 of us have tried this one." in page.inner_text("main")
        assert "3 good errors turned into understanding!" in page.inner_text("main")
        _discuss_by_keyboard(page, page)
    finally:
        page.close()


def test_the_discussion_opens_inside_the_dashboards_sandboxed_frame(browser, tmp_path: Path):
    """The dashboard shows the page in a frame with no scripts: the view needs none."""
    inner = _class_view(tmp_path).read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        frame_html = f'<iframe sandbox="" srcdoc="{html.escape(inner, quote=True)}"></iframe>'
        page.set_content(f"<style>iframe {{ width: 1200px; height: 700px }}</style>{frame_html}")
        frame = page.frames[-1]
        frame.wait_for_selector("button.look")
        _discuss_by_keyboard(page, frame)
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en"])
def test_the_picture_of_a_simulated_class_on_the_projector(browser, tmp_path: Path, lang: str):
    logs, out = tmp_path / "logs", tmp_path / "class.html"
    simulator = REPO / "docs" / "example_class.py"
    subprocess.run([sys.executable, str(simulator), str(logs)], check=True, capture_output=True)
    assert (
        cli.main(["report", str(logs), "--audience", "class", "--lang", lang, "-o", str(out)]) == 0
    )
    page = browser.new_page(viewport={"width": 1280, "height": 800}, color_scheme="light")
    try:
        page.goto(out.as_uri())
        page.wait_for_load_state("load")
        assert page.locator(".card").count() >= 5
        path = SHOTS / "images" / "class-view.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.mouse.move(1, 1)
        page.screenshot(path=str(path), animations="disabled")
    finally:
        page.close()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
