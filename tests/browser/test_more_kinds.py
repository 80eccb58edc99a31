"""The lesson "Code and algebra" in JupyterLab: one student walk per kind of question.

One server, page and kernel for the module: the cells run once, and each test then
answers one question the way a student would and checks what the card shows.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest
from jupyter_page import ARTIFACTS, Lesson, need_axe, serious_violations, state, wait_for
from servers import NOTEBOOKS, Server, serve

from guessfirst.log import eventlog

NOTEBOOK = "code-and-algebra.ipynb"
MODULE = "code_and_algebra_questions.py"
EXPAND, PREDICT, MEAN, FADED, QUIZ, PARTS, ORDER = (
    "lesson.expand()",
    "lesson.predict_loop()",
    "q_mean = lesson.write_mean()",
    "lesson.faded_area()",
    "lesson.quiz_percent()",
    "lesson.rectangle()",
    "lesson.order_swap()",
)
#: The order question's lines as they should end, each with its indentation level.
SWAP = [("def swap(a, b):", 0), ("kept = a", 1), ("a = b", 1), ("b = kept", 1), ("return a, b", 1)]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve("lab", files=(NOTEBOOK, MODULE)) as running:
        yield running


@pytest.fixture(scope="module")
def lesson(server: Server, browser) -> Iterator[Lesson]:
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    opened = Lesson(page, server, "lab", NOTEBOOK).open()
    opened.run_all()
    try:
        yield opened
    finally:
        page.close()


@pytest.fixture(scope="module")
def secrets() -> dict[str, list[str]]:
    """Per question, runs of words from its example, feedback and hints (see the lesson test)."""
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import code_and_algebra_questions as questions
    finally:
        sys.path.remove(str(NOTEBOOKS))
    found = {}
    for make in questions.ALL:
        check = make()._check
        parts = getattr(check, "parts", ())
        texts = [*check.example, *check.feedback.values(), *check.hints]
        texts += [message for part in parts for message in part.feedback.values()]
        runs = re.findall(r"[A-Za-z][A-Za-z ,]{20,}", " ".join(map(str, texts)))
        found[check.qid] = [run.strip() for run in runs]
    return found


def _leaked(html: str, secrets: dict[str, list[str]], qid: str) -> list[str]:
    return [run for run in secrets[qid] if run in html]


def _answer(card, text: str, confidence: str = "Fairly sure") -> None:
    card.locator(".gf-pill", has_text=confidence).click()
    field = card.locator(".gf-answer input")
    field.fill(text)
    field.press("Enter")


def _events(lesson: Lesson, qid: str) -> list[dict]:
    return [e for e in eventlog.read_events(lesson.server.log).events if e["question"] == qid]


def test_no_kind_gives_anything_away_before_an_attempt(lesson: Lesson, secrets):
    html = lesson.html()
    leaks = {qid: _leaked(html, secrets, qid) for qid in secrets}
    assert {qid: found for qid, found in leaks.items() if found} == {}
    assert "mean([1, 2])" not in html  # a code question's test cases
    for source in (EXPAND, PREDICT, MEAN, FADED, QUIZ, PARTS, ORDER):
        assert state(lesson.card(source))["status"] == "open"


def test_an_expression_is_right_in_any_equivalent_form(lesson: Lesson):
    card = lesson.card(EXPAND)
    _answer(card, "3x + 4", "Certain")
    shown = wait_for(card, lambda s: s["status"] == "wrong", "feedback on 3x + 4")
    assert "What happens to the 4?" in shown["feedback"]
    assert "multiplies each term" in shown["example"]
    _answer(card, "3(x+4)")
    assert wait_for(card, lambda s: s["status"] == "correct", "3(x+4) accepted")
    assert [e["type"] for e in _events(lesson, "expand-bracket")][-1] == "corrected"


def test_a_prediction_is_shown_beside_what_the_code_printed(lesson: Lesson):
    card = lesson.card(PREDICT)
    box = card.locator(".gf-answer textarea")
    box.click()
    for line in ("1", "2", "3"):  # Enter in the box starts a new line; it does not submit
        lesson.page.keyboard.type(line)
        lesson.page.keyboard.press("Enter")
    assert state(card)["status"] == "open"
    card.locator(".gf-submit").click()
    shown = wait_for(card, lambda s: "What it printed" in s["outcome"], "the real output")
    assert re.search(r"What it printed\s+1\s+3\s+6", shown["outcome"]), shown["outcome"]
    assert "stops before 4" in shown["example"].replace("*", "")
    attempt = next(e for e in _events(lesson, "predict-loop") if e["type"] == "attempt")
    assert (attempt["response"].split(), attempt["correct"]) == (["1", "2", "3"], False)


def test_a_function_written_in_a_cell_is_checked_case_by_case(lesson: Lesson):
    card = lesson.card(MEAN)
    assert "q_mean.check(your_function)" in card.locator(".gf-instructions").inner_text()
    assert card.locator(".gf-answer input, .gf-answer textarea").count() == 0
    card.locator(".gf-pill", has_text="Unsure").click()

    cell = lesson.page.locator(".jp-CodeCell", has_text="Your mean function here")
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    lesson.page.keyboard.press("ControlOrMeta+a")
    lesson.page.keyboard.insert_text(
        "def mean(numbers):\n    return sum(numbers) // len(numbers)\n\nq_mean.check(mean)"
    )
    lesson.page.keyboard.press("Shift+Enter")

    shown = wait_for(card, lambda s: "not yet" in s["outcome"], "the test cases")
    assert re.search(r"mean\(\[1, 2\]\)\s+1\.5\s+1\s+not yet", shown["outcome"]), shown["outcome"]
    assert shown["outcome"].count("passed") == 2
    assert "rounded to a whole number" in shown["feedback"]
    assert "sum(numbers) / len(numbers)" in shown["example"]
    attempt = next(e for e in _events(lesson, "write-mean") if e["type"] == "attempt")
    assert "return sum(numbers) // len(numbers)" in attempt["response"]
    assert attempt["confidence"] == pytest.approx(1 / 3)


def test_a_faded_step_opens_only_after_the_student_writes_it(lesson: Lesson, secrets):
    card = lesson.card(FADED)
    _answer(card, "60")
    shown = wait_for(card, lambda s: s["status"] == "wrong", "feedback on 60")
    assert "half of base times height" in shown["example"]
    assert "so the area is" not in lesson.html()

    card.get_by_label("Step 3: what comes next? Write it yourself first.").fill("half of 60")
    card.get_by_role("button", name="Show step 3").click()
    step = card.locator(".gf-step")
    step.wait_for()
    assert "half of 60" in step.locator(".gf-step-yours").inner_text()
    assert "so the area is" in step.inner_text()
    kinds = [(e["type"], e.get("fade"), e.get("n")) for e in _events(lesson, "triangle-area")]
    assert ("reveal", 1, None) in kinds and ("step", None, 3) in kinds


def test_a_quiz_keeps_the_answer_and_opens_with_the_teachers_key(lesson: Lesson, secrets):
    card = lesson.card(QUIZ)
    _answer(card, "120", "Certain")
    saved = wait_for(card, lambda s: s["status"] == "saved", "the quiz answer saved")
    assert "is saved" in saved["feedback"] and saved["example"] == ""
    assert _leaked(lesson.html(), secrets, "quiz-percent") == []

    key = card.get_by_label("Teacher's key")
    key.fill("owl")
    key.press("Enter")
    opened = wait_for(card, lambda s: s["example"], "the example opened by the key")
    assert "10% of 80 is 8" in opened["example"]
    assert "Last time you answered" in opened["feedback"]
    kinds = [(e["type"], e.get("mode"), e.get("by")) for e in _events(lesson, "quiz-percent")]
    assert kinds[-2:] == [("attempt", "quiz", None), ("reveal", None, "key")]
    assert eventlog.verify(lesson.server.log) == []


def test_each_part_is_answered_on_its_own_and_the_example_waits_for_both(lesson: Lesson):
    card = lesson.card(PARTS)
    card.locator(".gf-pill", has_text="Certain").click()
    area = card.get_by_label("Your answer to (a)")
    area.fill("13")
    area.press("Enter")
    first = card.locator(".gf-part").first
    first.locator(".gf-feedback", has_text="What does area measure?").wait_for()
    assert card.locator(".gf-example").count() == 0
    assert card.locator(".gf-part").nth(1).locator(".gf-feedback").inner_text() == ""

    perimeter = card.get_by_label("Your answer to (b)")
    perimeter.fill("26")
    card.get_by_role("button", name="Check (b)").click()
    opened = wait_for(card, lambda s: s["example"], "the example after both parts")
    assert "8 rows of 5 squares" in opened["example"]
    assert perimeter.is_disabled() and not area.is_disabled()
    log = [(e["type"], e["question"]) for e in eventlog.read_events(lesson.server.log).events]
    assert ("attempt", "rectangle/area") in log and ("reveal", "rectangle") in log


def _lines(card) -> list[str]:
    return card.locator(".gf-order-line").evaluate_all("rows => rows.map(r => r.dataset.value)")


def _row(card, line: str):
    return card.locator(f".gf-order-line[data-value='{line}']")


def test_lines_are_put_in_order_by_mouse_and_by_keyboard_alone(lesson: Lesson):
    card = lesson.card(ORDER)
    page = lesson.page
    shown = _lines(card)
    assert sorted(shown) == sorted([line for line, _ in SWAP] + ["a = kept"])
    assert shown[:5] != [line for line, _ in SWAP]

    # The mouse: drag the function's first line to the top, and submit as it stands.
    if shown[0] != "def swap(a, b):":
        _row(card, "def swap(a, b):").drag_to(_row(card, shown[0]))
    assert _lines(card)[0] == "def swap(a, b):"
    card.locator(".gf-submit").click()
    wrong = wait_for(card, lambda s: s["status"] == "wrong", "feedback on the first order")
    assert "Have another look at line" in wrong["feedback"] or "indented" in wrong["feedback"]
    assert "kept = a" in wrong["example"]

    # The keyboard alone: Alt with the arrows on a line's button moves and indents it,
    # Space ticks "Leave out", Enter on Submit sends it.
    for place, (line, depth) in enumerate(SWAP):
        _row(card, line).locator(".gf-order-up").focus()
        for _ in range(_lines(card).index(line) - place):
            page.keyboard.press("Alt+ArrowUp")
        for _ in range(depth):
            page.keyboard.press("Alt+ArrowRight")
    assert _lines(card)[:5] == [line for line, _ in SWAP]
    assert "return a, b" in card.locator(".gf-sr-only").inner_text()
    _row(card, "a = kept").locator(".gf-order-out").focus()
    page.keyboard.press("Space")
    card.locator(".gf-submit").focus()
    page.keyboard.press("Enter")
    wait_for(card, lambda s: s["status"] == "correct", "the arranged lines accepted")
    attempts = [e for e in _events(lesson, "order-swap") if e["type"] == "attempt"]
    assert attempts[-1]["response"] == "[[0, 0], [1, 1], [2, 1], [3, 1], [4, 1]]"
    assert attempts[-1]["correct"] is True and attempts[0]["correct"] is False


def test_every_new_kind_reads_well_after_its_attempt(lesson: Lesson):
    """Run last: the walks above left each card answered, with its outcome or blanks open."""
    need_axe()
    for name, source in (
        ("expression", EXPAND),
        ("predict", PREDICT),
        ("code", MEAN),
        ("faded", FADED),
        ("quiz", QUIZ),
        ("multi", PARTS),
        ("order", ORDER),
    ):
        card = lesson.card(source)
        assert serious_violations(lesson, card) == [], name
        assert lesson.save_screenshot(card, ARTIFACTS, name).stat().st_size > 0
