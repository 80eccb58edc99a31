"""Spaced review and the student's own progress card, for a student followed over days.

The clock is the log's: each day's events are written with that day's timestamps, and
the review and the card are asked for with that day's date. Nothing sleeps.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog
from widget_state import own_state

HK = ZoneInfo("Asia/Hong_Kong")
EXAMPLE = "Speed is distance over time: one hundred and twenty over one and a half."


def on(monkeypatch: pytest.MonkeyPatch, day: date, hour: int = 10) -> None:
    """Write the following events at ``hour`` o'clock in Hong Kong on ``day``."""
    moment = datetime.combine(day, time(hour), HK).astimezone(timezone.utc)
    stamp = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    monkeypatch.setattr("guessfirst.log.events._now", lambda: stamp)


def new_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new day's kernel: nothing in memory but the log on disk."""
    KERNEL.reset()


def speed() -> gf.Numeric:
    return gf.Numeric(
        "speed",
        "A train covers 120 km in 1.5 hours. Its speed, in km/h?",
        answer=80,
        example=EXAMPLE,
        hints=["Divide the distance by the time."],
    )


def capital() -> gf.Text:
    return gf.Text("capital", "The capital of Australia?", answer="Canberra", example="Canberra.")


def halves() -> gf.Numeric:
    def other_numbers(rng):
        whole = rng.randrange(20, 200, 2)
        return {
            "prompt": f"What is half of {whole}?",
            "answer": whole // 2,
            "example": f"Half of {whole} is {whole // 2}.",
        }

    return gf.Numeric(
        "half",
        "What is half of 160?",
        answer=80,
        example="Half of 160 is 80.",
        variant=other_numbers,
    )


def events(log_dir: Path) -> list[dict]:
    return eventlog.read_events(eventlog.log_path(log_dir, "ana")).events


DAY1, DAY2, DAY3 = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 24)


def test_a_question_got_wrong_comes_back_a_day_later_gated_again(fresh_kernel, monkeypatch):
    on(monkeypatch, DAY1)
    speed().submit("180", "Certain")
    capital().submit("Canberra")
    assert gf.review(today=DAY1, tz=HK).questions == []  # not the same day

    new_kernel(monkeypatch)
    speed(), capital()  # the lesson's module, run again in the review notebook
    on(monkeypatch, DAY2)
    due = gf.review(today=DAY2, tz=HK)
    (question,) = due.questions
    assert question.qid == "speed"
    shown = own_state(question)
    assert "one hundred and twenty" not in shown and question.feedback_html == ""
    assert question.status == "open" and question.hint() is None

    question.submit("80", "Fairly sure")
    assert "one hundred and twenty" in question.example_html
    review = [e for e in events(fresh_kernel) if e.get("review")]
    assert [(e["type"], e.get("attempt")) for e in review] == [("attempt", 2), ("reveal", 2)]
    assert review[0]["correct"] is True


def test_spacing_grows_after_each_correct_review(fresh_kernel, monkeypatch):
    on(monkeypatch, DAY1)
    speed().submit("180")
    expected = {DAY2: ["speed"], date(2026, 11, 22): [], date(2026, 11, 24): ["speed"]}
    for day, due in expected.items():
        new_kernel(monkeypatch)
        speed()
        on(monkeypatch, day)
        asked = gf.review(today=day, tz=HK)
        assert [q.qid for q in asked.questions] == due, day
        for question in asked.questions:
            question.submit("80")
    nothing = gf.review(today=date(2026, 11, 25), tz=HK)
    assert "comes back on 1 December" in nothing.children[0].value  # 7 days after the 24th


def test_a_review_asks_another_variant_with_its_own_check_and_example(fresh_kernel, monkeypatch):
    on(monkeypatch, DAY1)
    halves().submit("70")
    new_kernel(monkeypatch)
    halves()
    on(monkeypatch, DAY2)
    (question,) = gf.review(today=DAY2, tz=HK).questions
    (same_day,) = gf.review(today=DAY2, tz=HK).questions
    (next_day,) = gf.review(today=DAY3, tz=HK).questions
    asked = question._check
    assert asked.qid == "half" and asked.prompt != "What is half of 160?"
    assert same_day._check.prompt == asked.prompt  # the same numbers all day ...
    assert {
        gf.review(today=day, tz=HK).questions[0]._check.prompt
        for day in (DAY3, date(2026, 11, 25), date(2026, 11, 26))
    } - {asked.prompt}  # ... others later
    assert next_day.qid == "half"
    whole = int(asked.prompt.split()[-1].rstrip("?"))
    assert not question.submit(str(whole)).correct  # the variant's own check
    assert question.submit(str(whole // 2)).correct
    assert f"Half of {whole} is {whole // 2}." in question.example_html


def test_a_bank_reviews_its_own_questions(fresh_kernel, monkeypatch, tmp_path):
    source = tmp_path / "lesson.md"
    source.write_text(
        "---\nid: speed\nkind: numeric\nanswer: 80\n---\nSpeed, in km/h?\n\n## Example\n\n"
        "Divide one hundred and twenty by one and a half.\n",
        encoding="utf-8",
    )
    bank = gf.load(source)
    on(monkeypatch, DAY1)
    bank.ask("speed").submit("180")
    new_kernel(monkeypatch)
    on(monkeypatch, DAY2)
    (question,) = bank.review(today=DAY2, tz=HK).questions
    assert question.example_html == ""
    question.submit("80")
    assert any(e.get("review") for e in events(fresh_kernel))


# -- the progress card ------------------------------------------------------------------


def test_the_card_counts_good_errors_open_ones_and_learning_that_lasted(fresh_kernel, monkeypatch):
    on(monkeypatch, DAY1)
    speed().submit("180")
    capital().submit("Sydney")
    new_kernel(monkeypatch)
    speed(), capital()
    on(monkeypatch, DAY3)
    for question in gf.review(today=DAY3, tz=HK).questions:
        question.submit("80" if question.qid == "speed" else "Melbourne")
    halves().submit("70")
    halves().submit("80")

    card = gf.progress(today=DAY3, tz=HK)
    html = card.summary_html
    # speed: wrong on the 20th, right in today's review; half: wrong, then right, today
    assert "Your brain got 2 good errors today: <em>speed</em> and <em>half</em>, not quite" in html
    assert "<em>half</em>: not quite on" not in html  # wrong and right on one day: not yet lasted
    assert "Still open, for when you are ready: <em>capital</em>." in html
    assert "<em>speed</em>: not quite on 20 November, right today." in html
    assert card.downloads == [{"label": "Download my log", "name": "ana.jsonl"}]


def test_download_sends_the_log_file_as_it_is_on_disk(fresh_kernel, monkeypatch):
    speed().submit("180")
    card = gf.progress()
    sent = []
    monkeypatch.setattr(card, "send", lambda content, buffers=None: sent.append((content, buffers)))
    card._handle_msg(
        {
            "content": {"data": {"method": "custom", "content": {"type": "download", "index": 0}}},
            "buffers": [],
        }
    )
    ((content, buffers),) = sent
    assert content == {"type": "file", "name": "ana.jsonl"}
    assert buffers == [eventlog.log_path(fresh_kernel, "ana").read_bytes()]


def test_the_card_reads_only_the_students_own_logs_in_every_lesson_folder(
    fresh_kernel, monkeypatch, tmp_path
):
    other = tmp_path / "lesson2" / "guessfirst-logs"
    monkeypatch.setenv("GUESSFIRST_LOG_DIRS", str(other))
    speed().submit("180")
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(other))
    KERNEL.recorders.clear()
    capital().submit("Sydney")
    monkeypatch.setenv("GUESSFIRST_STUDENT", "ben")
    KERNEL.recorders.clear()
    KERNEL.defined.clear()
    gf.Text("other", "Someone else's question?", answer="yes").submit("no")

    monkeypatch.setenv("GUESSFIRST_STUDENT", "ana")
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(fresh_kernel))
    card = gf.progress()
    assert [d["name"] for d in card.downloads] == ["ana.jsonl", "ana.jsonl"]
    assert "<em>speed</em>" in card.summary_html and "<em>capital</em>" in card.summary_html
    assert "other" not in card.summary_html


def test_a_question_id_is_escaped_on_the_card(fresh_kernel):
    gf.Text("<b>x</b>", "Tricky id?", answer="yes").submit("no")
    html = gf.progress().summary_html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_lesson_modules_questions_can_be_reviewed_without_showing_them_first(
    fresh_kernel, monkeypatch
):
    on(monkeypatch, DAY1)
    speed().submit("180")
    before = events(fresh_kernel)
    new_kernel(monkeypatch)
    on(monkeypatch, DAY2)
    asked = gf.review([speed, capital], today=DAY2, tz=HK)
    assert [q.qid for q in asked.questions] == ["speed"]
    assert events(fresh_kernel) == before  # making them to know them logs nothing


def test_a_quiz_question_comes_back_as_practice(fresh_kernel, monkeypatch):
    def quiz() -> gf.Numeric:
        return gf.Numeric(
            "q1",
            "What is 15% of 80?",
            answer=12,
            mode="quiz",
            key="owl",
            example="10% is 8 and 5% is 4, so 12.",
        )

    on(monkeypatch, DAY1)
    quiz().submit("120")
    new_kernel(monkeypatch)
    on(monkeypatch, DAY2)
    (question,) = gf.review([quiz], today=DAY2, tz=HK).questions
    assert question.mode == "practice" and not question.key_entry
    question.submit("12")
    assert question.status == "correct" and "10% is 8" in question.example_html
