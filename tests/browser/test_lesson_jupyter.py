"""The demo lesson as a student meets it in JupyterLab 4 and in Notebook 7.

Each front end gets its own server, lesson folder and log. The first test walks the
lesson (keyboard, then mouse, then a kernel restart) and reads the log it left; the
second looks at a revealed question in both themes and runs axe on the question.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_page import ARTIFACTS, Lesson, need_axe, serious_violations, state, wait_for
from servers import NOTEBOOKS, Server, serve

from guessfirst.log import eventlog

REPO = Path(__file__).resolve().parents[2]

SPEED, CHOICE, PERCENT, CYCLING = (
    "lesson.train_speed()",
    "lesson.bigger_fraction()",
    "lesson.percent_of()",
    "lesson.cycling_time()",
)
ANSWERED = {"speed": SPEED, "bigger-fraction": CHOICE, "percent-of": PERCENT}


@pytest.fixture(scope="module", params=["lab", "notebook"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, Server]]:
    with serve(request.param) as running:
        yield request.param, running


@pytest.fixture
def lesson(server: tuple[str, Server], browser) -> Iterator[Lesson]:
    frontend, running = server
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    outside: list[str] = []
    local = (running.url, "data:", "blob:")
    page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
    try:
        yield Lesson(page, running, frontend).open()
    finally:
        page.close()
    assert outside == [], "the page reached beyond the local server"


@pytest.fixture
def secrets(fresh_kernel: Path) -> dict[str, list[str]]:
    """Per question, sentences of its worked example, targeted feedback and hints.

    Taken from the lesson's own questions as plain runs of words, which the rendered HTML
    keeps verbatim: finding none of them in the page means none was sent.
    """
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import fractions_and_rates_questions as lesson_module
    finally:
        sys.path.remove(str(NOTEBOOKS))
    found: dict[str, list[str]] = {}
    for make in vars(lesson_module).values():
        if getattr(make, "__module__", "") != lesson_module.__name__:
            continue
        check = make()._check
        texts = [*check.example, *check.feedback.values(), *check.hints]
        runs = [run for text in texts for run in re.findall(r"[A-Za-z][A-Za-z ,]{24,}", str(text))]
        found[check.qid] = [run.strip() for run in runs]
    return found


def leaked(html: str, secrets: dict[str, list[str]], questions) -> dict[str, list[str]]:
    out = {qid: [s for s in secrets[qid] if s in html] for qid in questions}
    return {qid: found for qid, found in out.items() if found}


def test_a_student_works_through_the_lesson(lesson: Lesson, secrets):
    page, log = lesson.page, lesson.server.log
    lesson.run_all()
    for source in (SPEED, CHOICE, PERCENT, CYCLING):
        assert state(lesson.card(source))["status"] == "open"
    # Styled (the pills' radios are hidden under them) by one sheet for all ten questions.
    pill = lesson.card(SPEED).locator(".gf-pill-input").first
    assert pill.evaluate("e => getComputedStyle(e).opacity") == "0"
    assert page.locator("style#guessfirst-style").count() == 1

    # Nothing of any worked example or targeted feedback is in the page before an attempt.
    assert leaked(lesson.html(), secrets, secrets) == {}

    # Keyboard only: a confident wrong answer ...
    card = lesson.card(SPEED)
    field = card.locator(".gf-answer input")
    field.focus()  # where Tab from the cell above lands; all else is keys
    page.keyboard.type("180")
    page.keyboard.press("Tab")
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # along the confidence scale, to "Certain"
    assert card.locator(".gf-pill-input:checked").get_attribute("value") is not None
    page.keyboard.press("Enter")
    shown = wait_for(card, lambda s: s["status"] == "wrong", "feedback on 180")
    assert "interesting" in shown["feedback"] and "What made you choose" in shown["feedback"]
    assert "Did you multiply instead of divide?" in shown["feedback"]  # targeted
    assert "You felt sure" in shown["feedback"]  # it was "Certain"
    assert any(s in shown["example"] for s in secrets["speed"])
    assert shown["submit"] == "Try again"
    assert leaked(lesson.html(), secrets, ["speed"])  # the search finds what was revealed

    # ... a hint, opened with the keyboard ...
    for _ in range(15):
        if "gf-hint-button" in lesson.focused():
            break
        page.keyboard.press("Tab")
    assert "gf-hint-button" in lesson.focused(), lesson.focused()
    assert card.locator(".gf-hint-button").inner_text() == "Show a hint (1 of 1)"
    page.keyboard.press("Enter")
    hint = card.locator(".gf-hint")
    hint.wait_for()
    assert "how far does the train go in one hour?" in hint.inner_text()
    assert card.locator(".gf-hint-button").is_hidden()

    # ... a reflection, typed and saved with the keyboard ...
    for _ in range(15):
        if "textarea" in lesson.focused():
            break
        page.keyboard.press("Tab")
    assert "textarea" in lesson.focused(), lesson.focused()
    page.keyboard.type("I multiplied the distance by the time")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert wait_for(card, lambda s: s["thanks"], "the reflection saved")["thanks"]

    # ... and the right answer.
    for _ in range(15):
        if card.evaluate("r => r.querySelector('.gf-answer input') === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("80")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    done = wait_for(card, lambda s: s["status"] == "correct", "the correction")
    assert "that is a good error" in done["feedback"]
    assert done["locked"]

    # By mouse: a Choice and a Numeric question.
    choice = lesson.card(CHOICE)
    choice.locator(".gf-choice", has_text="2/5").click()
    choice.locator(".gf-pill", has_text="Fairly sure").click()
    choice.locator(".gf-submit").click()
    assert wait_for(choice, lambda s: s["status"] == "correct", "the Choice checked")
    numeric = lesson.card(PERCENT)
    numeric.locator(".gf-answer input").click()
    numeric.locator(".gf-answer input").fill("6")
    numeric.locator(".gf-pill", has_text="Unsure").click()
    numeric.locator(".gf-submit").click()
    assert wait_for(numeric, lambda s: s["status"] != "open", "the Numeric checked")

    # The log holds the story, and its chain is intact.
    events = [e for e in eventlog.read_events(log).events if e["question"] == "speed"]
    assert [e["type"] for e in events] == [
        "shown",
        "attempt",
        "reveal",
        "hint",
        "reflection",
        "attempt",
        "corrected",
    ]
    first = events[1]
    assert (first["response"], first["correct"], first["confidence"]) == ("180", False, 1.0)
    assert (events[3]["n"], events[3]["attempt"]) == (1, 1)
    assert events[4]["text"] == "I multiplied the distance by the time"
    assert (events[5]["response"], events[5]["correct"]) == ("80", True)
    assert events[6]["first_error"] == first["id"]
    assert eventlog.verify(log) == []

    # A restarted kernel brings answered questions back and keeps the others closed.
    lesson.restart_and_run_all()
    for qid, source in ANSWERED.items():
        back = wait_for(
            lesson.card(source), lambda s: "Last time you answered" in s["feedback"], qid
        )
        assert back["status"] != "open" and back["example"], qid
    assert state(lesson.card(SPEED))["answer"] == ["80"]
    assert "in one hour?" in lesson.card(SPEED).locator(".gf-hint").text_content()
    assert state(lesson.card(CYCLING))["status"] == "open"
    closed = set(secrets) - set(ANSWERED)
    assert leaked(lesson.html(), secrets, closed) == {}
    assert eventlog.verify(log) == []


def test_a_revealed_question_reads_well_in_both_themes(lesson: Lesson, secrets):
    need_axe()
    lesson.run_all()
    card = lesson.card(CYCLING)
    assert serious_violations(lesson, card) == [], "before an attempt"

    card.locator(".gf-answer input").fill("36")
    card.locator(".gf-pill", has_text="Certain").click()
    card.locator(".gf-submit").click()
    revealed = wait_for(card, lambda s: s["status"] == "wrong", "feedback on 36")
    assert any(s in revealed["example"] for s in secrets["cycling-time"])
    assert serious_violations(lesson, card) == [], "after an attempt, light theme"
    assert lesson.save_screenshot(card, ARTIFACTS, "revealed-light").stat().st_size > 0

    lesson.set_theme("JupyterLab Dark")
    try:
        card = lesson.card(CYCLING)
        assert serious_violations(lesson, card) == [], "after an attempt, dark theme"
        assert lesson.save_screenshot(card, ARTIFACTS, "revealed-dark").stat().st_size > 0
    finally:
        lesson.set_theme("JupyterLab Light")  # the theme is a user setting: leave it as found
