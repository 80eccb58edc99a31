"""Misconceptions as first-class: declared once, logged by tag, followed across questions
and lesson folders, said kindly with where and when, and tied to a step of the example."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from types import SimpleNamespace

import pytest

import guessfirst as gf
from guessfirst import bank, checks
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog
from guessfirst.student import _recall, schedule
from widget_state import own_state

TAG = "multiply-not-divide"
ASKED = "Did you multiply instead of divide?"
STEPS = ["Speed is distance over time.", "Divide: 120 km by 1.5 h gives 80 km/h."]
#: Tuesday 1 December 2026, 09:00 UTC.
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
TRIPPED = "This one tripped you up on"


def speed(step: int | None = 2, **given: object) -> gf.Numeric:
    feedback = {180: gf.Misconception(TAG, ASKED, step=step), 40: "Half of it?"}
    return gf.Numeric(
        "speed", "120 km in 1.5 h: speed in km/h?", answer=80, example=STEPS,
        feedback=feedback, **given,
    )  # fmt: skip


def pace() -> gf.Numeric:
    """Another question where the same way of going wrong shows, with its own step."""
    return gf.Numeric(
        "pace",
        "3 m/s for 12 m: how many seconds?",
        answer=4,
        example=["Time is distance over speed.", "12 / 3 = 4 seconds."],
        feedback={36: gf.Misconception(TAG, "Multiplied?", step=2), 40: "Half of it?"},
    )


def attempts(folder: Path, student: str = "ana") -> list[dict[str, object]]:
    found = eventlog.read_events(eventlog.log_path(folder, student)).events
    return [event for event in found if event["type"] == "attempt"]


def at(moment: datetime) -> Callable[[], datetime]:
    """The log's clock, a second on with each event."""
    ticks = iter(range(10_000))
    return lambda: moment + timedelta(seconds=next(ticks))


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> tzinfo:
    monkeypatch.setattr(schedule, "local_zone", lambda: timezone.utc)
    return timezone.utc


def lesson(monkeypatch: pytest.MonkeyPatch, folder: Path, *earlier: Path) -> None:
    """A new kernel, logging to ``folder``, with the student's ``earlier`` lesson folders."""
    KERNEL.reset()
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(folder))
    monkeypatch.setenv("GUESSFIRST_LOG_DIRS", ":".join(str(path) for path in earlier))


# -- declaring ----------------------------------------------------------------------------


def test_a_misconception_is_exported_and_its_tag_is_what_the_attempt_logs(fresh_kernel):
    assert "Misconception" in gf.__all__
    q = speed()
    verdict = q.submit("180")
    assert verdict is not None and verdict.misconception == TAG
    assert ASKED in q.feedback_html
    [attempt] = attempts(fresh_kernel)
    assert attempt["misconception"] == TAG and attempt["correct"] is False


def test_a_plain_message_still_logs_its_answer_as_the_tag(fresh_kernel):
    q = speed()
    q.submit("40")
    assert attempts(fresh_kernel)[0]["misconception"] == "40"
    assert "Half of it?" in q.feedback_html


def test_one_tag_serves_many_questions_and_kinds():
    order = gf.Order(
        "steps",
        "Put the steps in order.",
        items=["read", "divide", "answer"],
        example=["Read, then divide.", "Answer last."],
        feedback={("divide", "read", "answer"): gf.Misconception(TAG, "Divide what?", step=1)},
    )
    code = gf.Code(
        "half",
        "Write half(x).",
        tests=[((4,), 2), ((6,), 3)],
        feedback={0: gf.Misconception(TAG, "Times or divided by?")},
    )
    assert order._check.check(["divide", "read", "answer"]).misconception == TAG
    assert code._check.check(lambda x: x * 2).misconception == TAG
    assert speed()._check.check("180").misconception == TAG


@pytest.mark.parametrize(
    ("made", "problem"),
    [
        (gf.Misconception("Multiply Not", ASKED), r"'Multiply Not' must be lower-case words"),
        (gf.Misconception("", ASKED), r"non-empty text"),
        (gf.Misconception("x" * 61, ASKED), r"longer than 60 characters"),
        (gf.Misconception(TAG, "  "), r"non-empty message"),
        (gf.Misconception(TAG, ASKED, step=3), r"step=3 is not a step .* 2 steps \(1 to 2\)"),
        (gf.Misconception(TAG, ASKED, step=0), r"step=0 is not a step"),
        (gf.Misconception(TAG, ASKED, step=True), r"step must be a whole number"),
    ],
)
def test_a_misconception_written_wrongly_is_refused_naming_the_question(made, problem):
    with pytest.raises(
        gf.QuestionError, match=r"^Question 'speed': (the )?feedback for 180\b.*" + problem
    ):
        gf.Numeric("speed", "Speed?", answer=80, example=STEPS, feedback={180: made})


def test_a_step_needs_an_example_and_one_tag_one_step():
    with pytest.raises(gf.QuestionError, match=r"'speed'.*step=1 needs a worked example"):
        gf.Numeric("speed", "Speed?", answer=80, feedback={180: gf.Misconception(TAG, ASKED, 1)})
    twice = {180: gf.Misconception(TAG, ASKED, 1), 1.5: gf.Misconception(TAG, ASKED, 2)}
    with pytest.raises(gf.QuestionError, match=r"'speed'.*tied to step 1 and to step 2"):
        gf.Numeric("speed", "Speed?", answer=80, example=STEPS, feedback=twice)


def test_the_question_version_changes_with_the_tag_or_its_step():
    def version(value: object) -> str:
        made = checks.check_class("numeric")
        return made("v", "Speed?", answer=80, example=STEPS, feedback={180: value}).qversion

    versions = {
        version(ASKED),
        version(gf.Misconception(TAG, ASKED)),
        version(gf.Misconception("times-not-over", ASKED)),
        version(gf.Misconception(TAG, ASKED, step=1)),
        version(gf.Misconception(TAG, ASKED, step=2)),
    }
    assert len(versions) == 5
    assert version(gf.Misconception(TAG, ASKED)) == version(gf.Misconception(TAG, ASKED))


# -- banks --------------------------------------------------------------------------------

BANK = """---
id: speed
kind: numeric
answer: 80
---
A train covers 120 km in 1.5 hours. Its speed, in km/h?

## Example

### Step

Speed is distance over time.

### Step

Divide: 120 km by 1.5 h gives 80 km/h.

## Feedback for 180

### Misconception: multiply-not-divide (step 2)

Did you multiply instead of divide?

## Feedback for 40

Half of it?

---
id: half
kind: code
tests:
  - half(4) == 2
---
Write `half(x)`.

## Feedback for half(4) == 2

### Misconception: multiply-not-divide

Times or divided by?
"""


def test_a_bank_names_a_feedback_sections_misconception_and_step(tmp_path, fresh_kernel):
    source = tmp_path / "lesson.md"
    source.write_text(BANK, encoding="utf-8")
    loaded = gf.load(source)
    assert loaded["speed"].misconceptions == {"180": gf.Misconception(TAG, ASKED, step=2)}
    assert loaded["speed"].feedback == {"180": ASKED, "40": "Half of it?"}
    assert loaded["half"].check(lambda x: x * 2).misconception == TAG
    sealed = gf.load(bank.seal(source))
    assert sealed["speed"].misconceptions == loaded["speed"].misconceptions
    assert sealed["speed"].qversion == loaded["speed"].qversion
    q = sealed.ask("speed")
    q.submit("180")
    assert attempts(fresh_kernel)[0]["misconception"] == TAG
    assert "Step 2" in q.example_html and "gf-step-focus" in q.example_html


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("### Misconception: multiply-not-divide (step 3)", r":18: .*step 3 is not a step"),
        ("### Misconception: Multiply Not", r":18: .*write its misconception as ### Misc"),
        ("### Misconception: Multiply (step 1)", r":18: .*'Multiply' must be lower-case"),
    ],
)
def test_a_banks_misconception_line_written_wrongly_is_blamed_on_its_section(
    tmp_path, line, problem
):
    source = tmp_path / "lesson.md"
    source.write_text(BANK.replace("### Misconception: multiply-not-divide (step 2)", line))
    with pytest.raises(bank.BankError, match=r"lesson\.md" + problem):
        gf.load(source)


# -- remembering --------------------------------------------------------------------------


def test_the_first_time_the_feedback_points_to_the_step_and_says_no_more(fresh_kernel, utc):
    q = speed()
    q.submit("180")
    assert TRIPPED not in q.feedback_html
    assert "Step 2 of the worked example is the one to look at." in q.feedback_html


def test_the_same_tag_on_another_question_is_remembered_kindly(fresh_kernel, utc):
    with eventlog.clock(at(TUESDAY)):
        speed().submit("180")
        p = pace()
        p.submit("36")
    assert (
        "This one tripped you up on <em>speed</em> earlier today, too: "
        "look at step 2 of the worked example." in p.feedback_html
    )


def test_a_retry_of_the_same_question_that_day_is_not_news(fresh_kernel, utc):
    with eventlog.clock(at(TUESDAY)):
        q = speed()
        q.submit("180")
        q.submit("180")
    assert TRIPPED not in q.feedback_html


def test_a_plain_answer_key_is_followed_on_its_own_question_only(fresh_kernel, utc, monkeypatch):
    folder_a, folder_b = fresh_kernel.parent / "a", fresh_kernel.parent / "b"
    lesson(monkeypatch, folder_a)
    with eventlog.clock(at(TUESDAY)):
        speed().submit("40")
        pace().submit("40")  # another question's "40" is another thought
    lesson(monkeypatch, folder_b, folder_a)
    with eventlog.clock(at(TUESDAY + timedelta(days=1))):
        q = speed()
        q.submit("40")
    assert "This one tripped you up on <em>speed</em> yesterday, too." in q.feedback_html


@pytest.mark.parametrize(
    ("later", "when"),
    [
        (timedelta(days=1), "yesterday"),
        (timedelta(days=2), "on Tuesday"),  # Thursday of the same week
        (timedelta(days=6), "last Tuesday"),  # the Monday after
        (timedelta(days=9), "on 1 December"),
    ],
)
def test_a_misconception_from_another_lesson_folder_says_where_and_when(
    fresh_kernel, utc, monkeypatch, later, when
):
    folder_a, folder_b = fresh_kernel.parent / "lesson-1", fresh_kernel.parent / "lesson-2"
    lesson(monkeypatch, folder_a)
    with eventlog.clock(at(TUESDAY)):
        speed().submit("180")
    lesson(monkeypatch, folder_b, folder_a)
    with eventlog.clock(at(TUESDAY + later)):
        p = pace()
        p.submit("36")
    assert f"{TRIPPED} <em>speed</em> {when}, too: look at step 2" in p.feedback_html
    assert attempts(folder_b)[0]["misconception"] == TAG


def test_when_is_the_students_own_day_and_said_in_their_language(fresh_kernel, monkeypatch):
    hong_kong = timezone(timedelta(hours=8))
    monkeypatch.setattr(schedule, "local_zone", lambda: hong_kong)
    gf.configure(lang="zh-HK")
    late_monday = datetime(2026, 11, 30, 20, 0, tzinfo=timezone.utc)  # Tuesday 04:00 in HK
    with eventlog.clock(at(late_monday)):
        speed().submit("180")
    with eventlog.clock(at(TUESDAY + timedelta(hours=3))):  # Tuesday 20:00 in HK
        p = pace()
        p.submit("36")
    assert (
        "你今天較早時在<em>speed</em>也遇過這個絆腳石：看看示範解答的第 2 步。" in p.feedback_html
    )


def test_a_pretest_guess_is_not_counted_as_having_made_it(fresh_kernel, utc):
    with eventlog.clock(at(TUESDAY)):
        speed(mode="pretest").submit("180")
    with eventlog.clock(at(TUESDAY + timedelta(days=1))):
        p = pace()
        p.submit("36")
    assert TRIPPED not in p.feedback_html
    assert "Step 2 of the worked example is the one to look at." in p.feedback_html


def test_a_pretest_card_shows_nothing_of_its_misconception(fresh_kernel, utc):
    with eventlog.clock(at(TUESDAY)):
        speed().submit("180")
    with eventlog.clock(at(TUESDAY + timedelta(days=1))):
        p = gf.Numeric(
            "pace2", "Seconds?", answer=4, example=STEPS,
            feedback={36: gf.Misconception(TAG, "Multiplied?", step=2)}, mode="pretest",
        )  # fmt: skip
        p.submit("36")
    state = own_state(p)
    assert "tripped" not in state and "gf-step-focus" not in state and "Step 2" not in state


# -- the worked example -------------------------------------------------------------------


def test_the_tagged_step_is_emphasised_only_after_the_attempt(fresh_kernel, utc):
    q = speed()
    before = own_state(q)
    assert "gf-step-focus" not in before and STEPS[1] not in before and ASKED not in before
    q.submit("180")
    emphasised = q.example_html.split('<div class="gf-step-focus">')[1]
    assert emphasised.startswith('<span class="gf-step-focus-label">Step 2</span>')
    assert STEPS[1] in emphasised and STEPS[0] not in emphasised
    assert q.example_html.count("gf-step-focus-label") == 1


def test_an_answer_without_a_step_leaves_the_example_plain(fresh_kernel, utc):
    q = speed(step=None)
    q.submit("180")
    assert "gf-step-focus" not in q.example_html and STEPS[1] in q.example_html
    assert "look at step" not in q.feedback_html and "Step 2" not in q.feedback_html


def test_the_emphasis_survives_the_sanitizer_and_the_stylesheet_has_its_rule():
    from guessfirst._assets import asset
    from guessfirst.student import rendering

    html = rendering.render_example(STEPS, focus=2)
    assert rendering.sanitize(html) == html
    css = asset("widget.css").read_text(encoding="utf-8")
    assert ".guessfirst .gf-step-focus {" in css


# -- other logs ---------------------------------------------------------------------------


def test_a_broken_or_unreadable_other_log_never_stops_an_answer(fresh_kernel, utc, monkeypatch):
    names = ("broken", "gone", "odd", "now")
    broken, missing, odd, folder = (fresh_kernel.parent / name for name in names)
    eventlog.log_path(odd, "ana").mkdir(parents=True)  # a folder where the file should be
    broken_log = eventlog.log_path(broken, "ana")
    broken_log.parent.mkdir(parents=True)
    good = json.dumps({"type": "attempt", "misconception": TAG, "correct": False})
    broken_log.write_bytes(b'\xff\xfe not json\n{"ts": 5}\n' + good.encode() + b"\n[[[[\n")
    lesson(monkeypatch, folder, broken, missing, odd)
    q = speed()
    verdict = q.submit("180")
    assert verdict is not None and verdict.misconception == TAG
    assert TRIPPED not in q.feedback_html and ASKED in q.feedback_html
    assert attempts(folder)[0]["misconception"] == TAG


def test_a_failure_while_remembering_never_stops_an_answer(fresh_kernel, utc, monkeypatch):
    def broken(*_args: object) -> list[object]:
        raise RuntimeError("the disk said no")

    monkeypatch.setattr(_recall, "_elsewhere", broken)
    q = speed()
    assert q.submit("180") is not None
    assert ASKED in q.feedback_html and q.status == "wrong"


def test_another_folders_log_is_read_once_until_it_changes(fresh_kernel, utc, monkeypatch):
    folder_a, folder_b = fresh_kernel.parent / "a", fresh_kernel.parent / "b"
    lesson(monkeypatch, folder_a)
    with eventlog.clock(at(TUESDAY)):
        speed().submit("180")
    other = eventlog.log_path(folder_a, "ana").resolve()
    reads: list[Path] = []
    real = eventlog.read_events

    def counted(path: Path) -> eventlog.ReadResult:
        reads.append(Path(path).resolve())
        return real(path)

    monkeypatch.setattr(_recall, "eventlog", SimpleNamespace(read_events=counted))
    lesson(monkeypatch, folder_b, folder_a)
    with eventlog.clock(at(TUESDAY + timedelta(days=1))):
        p = pace()
        for _ in range(3):
            p.submit("36")
        assert reads.count(other) == 1
        assert "<em>speed</em> yesterday" in p.feedback_html
        lesson(monkeypatch, folder_a)  # back in lesson 1's folder, the same day
        pace().submit("36")
        lesson(monkeypatch, folder_b, folder_a)
        again = pace()
        again.submit("36")
    assert reads.count(other) == 2  # read again once it had changed
    assert "<em>pace</em>" not in again.feedback_html  # the same question that day: no news


def test_the_banks_page_misconception_example_loads_and_its_error_is_as_shown(tmp_path):
    page = (Path(__file__).parents[1] / "docs" / "banks.md").read_text(encoding="utf-8")
    section = page.split("\n## Misconceptions\n")[1]
    example = section.split("````markdown\n")[1].split("\n````")[0]
    source = tmp_path / "lesson5.md"
    source.write_text(example, encoding="utf-8")
    loaded = gf.load(source)
    assert loaded["speed-steps"].misconception(TAG) == gf.Misconception(TAG, ASKED, step=2)
    assert loaded["pace"].check("36").misconception == TAG
    shown = section.split("```text\n")[1].split("\n```")[0]
    source.write_text(example.replace("(step 2)", "(step 3)"), encoding="utf-8")
    with pytest.raises(bank.BankError) as refused:
        gf.load(source)
    assert str(refused.value) == f"{tmp_path}/{shown}"
