"""A question of the demo lesson as a student meets it in marimo.

marimo draws each widget inside an open shadow root; Playwright's locators reach into
it, and the page's HTML is read root by root so that nothing hidden there goes unseen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from servers import Server, serve

from guessfirst.log import eventlog

FILES = ("marimo_lesson.py", "fractions_and_rates_questions.py")
#: marimo's edit mode waits for a "Run" click unless the project asks it to run on open,
#: as a teacher's lesson folder can, so that students land on questions, not code to run.
RUN_ON_OPEN = {"pyproject.toml": "[tool.marimo.runtime]\nauto_instantiate = true\n"}
#: From the train question's worked example and its targeted feedback for 180.
SECRETS = ("distance divided by time", "needs no calculator", "multiply instead of divide")
#: Generous: a cold kernel on a busy two-core machine.
PATIENCE_MS = 120_000

#: The HTML of the document and of every open shadow root inside it.
_ALL_HTML = """() => {
    const parts = [document.documentElement.outerHTML];
    const visit = (root) => {
        for (const node of root.querySelectorAll('*')) {
            if (node.shadowRoot) {
                parts.push(node.shadowRoot.innerHTML);
                visit(node.shadowRoot);
            }
        }
    };
    visit(document);
    return parts.join('\\n');
}"""


@pytest.fixture
def marimo() -> Iterator[Server]:
    with serve("marimo", files=FILES, extra=RUN_ON_OPEN) as running:
        yield running


@pytest.fixture
def page(marimo: Server, browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    outside: list[str] = []
    local = (marimo.url, "data:", "blob:")  # blob: the card's script, made in the page
    page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
    try:
        yield page
    finally:
        page.close()
    assert outside == [], "the page reached beyond the local server"


def test_a_student_answers_a_question_in_marimo(marimo: Server, page: Page):
    page.goto(marimo.url)
    card = page.locator(".guessfirst", has_text="A train covers 120 km")
    expect(card.locator(".gf-prompt")).to_be_visible(timeout=PATIENCE_MS)
    styled = card.locator(".gf-pill-input").first.evaluate("e => getComputedStyle(e).opacity")
    assert styled == "0", "the card's styles did not reach marimo's shadow root"

    # Before an attempt the worked example and the feedback exist only in the kernel.
    html = page.evaluate(_ALL_HTML)
    assert "A train covers 120 km" in html  # the walk does reach into the widget's root
    assert [secret for secret in SECRETS if secret in html] == []
    expect(card.locator(".gf-example")).to_have_count(0)

    card.get_by_label("Your answer").press_sequentially("180")  # keys, as a student types
    card.locator(".gf-pill", has_text="Certain").click()
    card.get_by_role("button", name="Submit").click()

    example = card.locator(".gf-example")
    expect(example).to_be_visible(timeout=PATIENCE_MS)
    expect(example).to_contain_text("distance divided by time")
    expect(card.locator(".gf-feedback")).to_contain_text("Did you multiply instead of divide?")
    expect(card.get_by_role("button", name="Try again")).to_be_visible()
    html = page.evaluate(_ALL_HTML)
    assert [secret for secret in SECRETS if secret not in html] == []

    # The kernel logged it all before it opened the example, in an intact chain.
    events = eventlog.read_events(marimo.log).events
    assert {e["question"] for e in events if e["type"] == "shown"} == {
        "add-fractions",
        "speed",
        "pancakes",
    }
    speed = [e for e in events if e["question"] == "speed"]
    assert [e["type"] for e in speed] == ["shown", "attempt", "reveal"]
    attempt = speed[1]
    assert (attempt["response"], attempt["correct"], attempt["confidence"]) == ("180", False, 1.0)
    assert attempt["misconception"] == "180"
    assert attempt["student"] == marimo.student
    assert {e["notebook"] for e in events} == {"marimo_lesson.py"}  # what the report groups by
    assert speed[2]["attempt"] == 1
    assert eventlog.verify(marimo.log) == []
