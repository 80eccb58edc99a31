"""The review notebook in JupyterLab, for a student who got a question wrong two days ago.

The log is written before the page opens, with that day's timestamps: the review and the
progress card then read it as they would on a real morning two days later.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from jupyter_page import ARTIFACTS, Lesson, wait_for
from servers import NOTEBOOKS, Server, serve

from guessfirst.log import eventlog

NOTEBOOK = "looking-back.ipynb"
FILES = (NOTEBOOK, "fractions_and_rates_questions.py")


def _earlier_wrong_answer(server: Server) -> str:
    """Log "speed" answered 180, sure, two days ago; return a sentence of its example."""
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import fractions_and_rates_questions as lesson
    finally:
        sys.path.remove(str(NOTEBOOKS))
    check = lesson.train_speed()._check
    when = datetime.now(timezone.utc) - timedelta(days=2)
    stamp = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    common = {
        "student": server.student,
        "session": "earlier",
        "notebook": "fractions-and-rates.ipynb",
    }
    for kind, fields in (
        ("shown", {"kind": "numeric"}),
        (
            "attempt",
            {
                "attempt": 1,
                "response": "180",
                "correct": False,
                "confidence": 1.0,
                "latency_ms": 9000,
                "misconception": None,
            },
        ),
        ("reveal", {"attempt": 1}),
    ):
        event = eventlog.make_event(
            kind, question=check.qid, qversion=check.qversion, **common, **fields
        )
        eventlog.append_event(server.log, {**event, "ts": stamp})
    # A run of plain words, which the rendered example keeps verbatim.
    text = " ".join(part for part in check.example if isinstance(part, str))
    return re.findall(r"[A-Za-z][A-Za-z ,]{24,}", text)[0].strip()


@pytest.fixture(scope="module")
def lesson(browser) -> Iterator[tuple[Lesson, str]]:
    with serve("lab", files=FILES) as server:
        secret = _earlier_wrong_answer(server)
        page = browser.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
        opened = Lesson(page, server, "lab", NOTEBOOK).open()
        opened.run_all()
        try:
            yield opened, secret
        finally:
            page.close()


def test_a_question_got_wrong_two_days_ago_is_asked_again_with_its_example_gated(lesson):
    page, secret = lesson
    card = page.card("gf.review(lesson.ALL)")
    assert "1 question to look at again" in page.page.locator(".widget-html").first.inner_text()
    assert secret not in page.html()

    card.locator(".gf-pill", has_text="Fairly sure").click()
    card.locator(".gf-answer input").fill("80")
    card.locator(".gf-answer input").press("Enter")
    shown = wait_for(card, lambda s: s["status"] == "correct", "the review answer")
    assert secret in shown["example"]
    review = [e for e in eventlog.read_events(page.server.log).events if e.get("review")]
    assert [(e["type"], e["attempt"], e.get("correct")) for e in review] == [
        ("attempt", 2, True),
        ("reveal", 2, None),
    ]


def test_the_progress_card_shows_and_hands_over_the_log_file(lesson, tmp_path: Path):
    page, _ = lesson
    cell = page.page.locator(".jp-CodeCell", has_text="gf.progress()")
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.page.keyboard.press("Shift+Enter")  # again, after the review answer above
    card = cell.locator(".guessfirst-progress")
    card.locator("text=1 good error today").wait_for(timeout=30_000)
    assert "speed" in card.inner_text() and "right today" in card.inner_text()
    assert page.save_screenshot(card, ARTIFACTS, "progress").stat().st_size > 0

    with page.page.expect_download() as download:
        card.get_by_role("button", name="Download my log").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert download.value.suggested_filename == page.server.log.name
    assert saved.read_bytes() == page.server.log.read_bytes()
    assert eventlog.verify(saved) == []
