from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import context, eventlog
from guessfirst.student import widget

EXAMPLE = "Speed is distance over time: 120 divided by 1.5 gives eighty kilometres per hour."
HINT = "Did you multiply instead of divide?"


def speed(**changes: object) -> gf.Numeric:
    spec: dict = {
        "answer": 80,
        "tol": 0.5,
        "example": EXAMPLE,
        "feedback": {180: HINT},
    }
    spec.update(changes)
    return gf.Numeric("speed", "A train covers 120 km in 1.5 hours. Its speed, in km/h?", **spec)


def events(log_dir: Path, student: str = "ana") -> list[dict]:
    return eventlog.read_events(eventlog.log_path(log_dir, student)).events


def restart_kernel() -> None:
    """What a kernel restart forgets: everything held in memory."""
    KERNEL.reset()


def from_browser(q: gf.Question, content: dict) -> None:
    """Deliver a custom message exactly as ipywidgets does for a front end's model.send()."""
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


# -- the gate --------------------------------------------------------------------------


def test_nothing_that_gives_the_answer_away_is_in_the_state_before_an_attempt():
    q = speed(answer=80.125, tol=0)
    before = json.dumps(q.get_state())
    for secret in (EXAMPLE, "eighty", HINT, "80.125"):
        assert secret not in before
        assert secret not in repr(q)
    assert q.example_html == "" and q.feedback_html == ""

    q.submit("180")
    after = json.dumps(q.get_state())
    assert "eighty kilometres" in after
    assert HINT in after


def test_state_sent_by_a_browser_unlocks_nothing(fresh_kernel: Path):
    q = speed()
    update = {"example_html": "<p>forged</p>", "status": "correct", "attempts": 3}
    q._handle_msg({"content": {"data": {"method": "update", "state": update}}, "buffers": []})
    assert q.example_html == ""
    assert q.status == "open"
    assert q.attempts == 0
    assert not any(e["type"] == "attempt" for e in events(fresh_kernel))


def test_repr_is_plain_stable_and_answer_free():
    q = speed()
    text = repr(q)
    assert text == "Numeric('speed'): A train covers 120 km in 1.5 hours. Its speed, in km/h?"
    q.submit("80")
    assert repr(q) == text


FRACTIONS = r"Work out $\frac{1}{2} + \frac{1}{3}$, then $x^{2}$ for $x = \sqrt{4}$. Use `7/8`."
RAW_TEX = ("$", "\\frac", "\\sqrt", "\\", "^{", "`")


def plain_text_shown(q: gf.Question) -> str:
    """What a saved notebook, GitHub or nbconvert shows of the card's cell."""
    data, _ = q._repr_mimebundle_()
    return data["text/plain"]


def test_a_saved_notebook_shows_an_instruction_in_plain_words_and_no_answer(fresh_kernel):
    q = gf.Numeric("add-fractions", FRACTIONS, answer=5 / 6, example="So 5/6.", feedback={2: "Hm"})
    shown = plain_text_shown(q)
    assert shown == "Run this cell to answer: Work out 1/2 + 1/3, then x² for x = √4. Use 7/8."
    assert not any(tex in shown for tex in RAW_TEX)
    q.submit("2/5")
    assert plain_text_shown(q) == shown  # nothing from after the attempt
    for secret in ("5/6", "0.83", "So 5/6", "Hm"):
        assert secret not in shown


def test_the_repr_of_a_question_with_tex_holds_no_raw_tex(fresh_kernel):
    text = repr(gf.Numeric("add-fractions", FRACTIONS, answer=5 / 6))
    assert text.startswith("Numeric('add-fractions'): Work out 1/2 + 1/3")
    assert not any(tex in text for tex in RAW_TEX)


def test_the_plain_instruction_is_in_the_students_language(fresh_kernel):
    gf.configure(lang="zh-HK")
    shown = plain_text_shown(gf.Numeric("add-fractions", FRACTIONS, answer=5 / 6))
    assert shown.startswith("執行這個儲存格來作答：Work out 1/2 + 1/3")


# -- an attempt, as the student makes it -----------------------------------------------


def test_a_confident_wrong_answer_gets_curious_targeted_feedback_and_the_example(fresh_kernel):
    q = speed()
    q._repr_mimebundle_()  # displayed as a cell's result
    verdict = q.submit("180", confidence="Certain")
    assert verdict is not None and not verdict.correct
    assert q.status == "wrong"
    assert "interesting" in q.feedback_html and "<q>180</q>" in q.feedback_html
    assert HINT in q.feedback_html
    assert "felt sure" in q.feedback_html
    assert "eighty kilometres" in q.example_html
    assert q.reflection_for == 1

    log = events(fresh_kernel)
    assert [e["type"] for e in log] == ["shown", "attempt", "reveal"]
    attempt = log[1]
    assert attempt["attempt"] == 1 and attempt["correct"] is False
    assert attempt["confidence"] == 1.0 and attempt["misconception"] == "180"
    assert attempt["response"] == "180" and isinstance(attempt["latency_ms"], int)
    assert log[2]["attempt"] == 1
    assert eventlog.verify(eventlog.log_path(fresh_kernel, "ana")) == []


def test_right_after_wrong_logs_corrected_and_says_learning_is_happening(fresh_kernel):
    q = speed()
    first = q.submit("180", confidence=1.0)
    assert first is not None
    q.submit("80", confidence=2 / 3)
    assert q.status == "correct"
    assert "that is a good error" in q.feedback_html
    log = events(fresh_kernel)
    assert [e["type"] for e in log] == ["shown", "attempt", "reveal", "attempt", "corrected"]
    corrected = log[-1]
    assert corrected["attempt"] == 2 and corrected["errors"] == 1
    assert corrected["first_error"] == log[1]["id"]
    assert corrected["first_confidence"] == 1.0


def test_right_first_time_is_said_plainly_and_still_opens_the_example(fresh_kernel):
    q = speed()
    q.submit("8e1")
    assert q.status == "correct"
    assert "That's right" in q.feedback_html and "good error" not in q.feedback_html
    assert "eighty" in q.example_html
    assert q.reflection_for == 0
    assert "corrected" not in [e["type"] for e in events(fresh_kernel)]


def test_unreadable_input_is_explained_and_not_counted(fresh_kernel):
    q = speed()
    assert q.submit("eighty-ish") is None
    assert "eighty-ish" in q.input_error
    assert q.attempts == 0 and q.example_html == ""
    assert not any(e["type"] == "attempt" for e in events(fresh_kernel))
    q.submit("80")
    assert q.input_error == ""


def test_student_text_is_escaped_in_feedback():
    q = gf.Text("capital", "The capital of Australia?", answer="Canberra", example="Canberra.")
    q.submit('<img src=x onerror="alert(1)">')
    assert "<img" not in q.feedback_html
    assert "&lt;img src=x onerror=" in q.feedback_html


def test_confidence_must_be_on_the_scale():
    q = speed()
    with pytest.raises(ValueError, match="between 0 and 1"):
        q.submit("80", confidence=2)
    with pytest.raises(ValueError, match="Fairly sure"):
        q.submit("80", confidence="very")
    assert q.attempts == 0


# -- the front end's requests ----------------------------------------------------------


def test_browser_submit_reflect_and_confidence_index(fresh_kernel):
    q = speed()
    from_browser(q, {"type": "submit", "response": "180", "confidence": 3})
    from_browser(q, {"type": "reflect", "text": "I multiplied <b>because</b> it felt bigger"})
    assert q.reflection_saved
    seq = q.seq
    from_browser(q, {"type": "submit", "response": "80", "confidence": None})
    assert q.seq > seq
    log = events(fresh_kernel)
    kinds = [e["type"] for e in log]
    assert kinds == ["shown", "attempt", "reveal", "reflection", "attempt", "corrected"]
    assert log[1]["confidence"] == 1.0
    assert log[3]["text"] == "I multiplied <b>because</b> it felt bigger"
    assert log[3]["attempt"] == 1
    assert log[4]["confidence"] is None


def test_a_malformed_request_changes_nothing(fresh_kernel):
    q = speed()
    from_browser(q, {"type": "submit", "response": {"evil": 1}})
    from_browser(q, {"type": "unlock"})
    from_browser(q, ["not", "a", "dict"])  # type: ignore[arg-type]
    assert q.status == "open" and q.example_html == ""


# -- hints -----------------------------------------------------------------------------

HINTS = ["Which is bigger: the distance or the time?", "Speed is kilometres **per** hour."]


def test_no_hint_reaches_the_browser_before_an_attempt(fresh_kernel):
    q = speed(hints=HINTS)
    q._repr_mimebundle_()
    from_browser(q, {"type": "hint"})
    assert q.hint() is None
    saved = json.dumps(q.get_state())
    for words in ("Which is bigger", "per</strong> hour", "per** hour"):
        assert words not in saved and words not in repr(q)
    assert q.hints_html == [] and q.hints_left == 0
    assert [e["type"] for e in events(fresh_kernel)] == ["shown"]


def test_after_an_attempt_each_hint_opens_in_order_and_is_logged(fresh_kernel):
    q = speed(hints=HINTS)
    q.submit("180")
    assert q.hints_html == [] and q.hints_left == 2  # offered, not yet shown
    from_browser(q, {"type": "hint"})
    assert len(q.hints_html) == 1 and HINTS[0] in q.hints_html[0]
    assert q.hints_left == 1
    q.submit("100")
    assert q.hint() == HINTS[1]
    assert "<strong>per</strong>" in q.hints_html[1] and q.hints_left == 0
    from_browser(q, {"type": "hint"})  # none left: nothing more is shown or logged
    assert len(q.hints_html) == 2

    log = events(fresh_kernel)
    hints = [e for e in log if e["type"] == "hint"]
    assert [(e["n"], e["attempt"]) for e in hints] == [(1, 1), (2, 2)]
    assert {e["qversion"] for e in hints} == {q._check.qversion}
    assert eventlog.verify(eventlog.log_path(fresh_kernel, "ana")) == []


def test_hint_text_is_rendered_safely():
    q = speed(hints=['<img src=x onerror="alert(1)"> Try $\\frac{120}{1.5}$.'])
    q.submit("180")
    q.hint()
    assert "onerror" not in q.hints_html[0] and "<math" in q.hints_html[0]


def test_a_question_without_hints_offers_none(fresh_kernel):
    q = speed()
    q.submit("180")
    from_browser(q, {"type": "hint"})
    assert q.hints_left == 0 and q.hints_html == []
    assert "hint" not in [e["type"] for e in events(fresh_kernel)]


def test_opened_hints_come_back_after_a_kernel_restart(fresh_kernel, monkeypatch):
    q = speed(hints=HINTS)
    q.submit("180")
    q.hint()
    restart_kernel()

    again = speed(hints=HINTS)
    assert len(again.hints_html) == 1 and "Which is bigger" in again.hints_html[0]
    assert again.hints_left == 1
    assert again.hint() == HINTS[1]
    hints = [e for e in events(fresh_kernel) if e["type"] == "hint"]
    assert [(e["n"], e["attempt"]) for e in hints] == [(1, 1), (2, 1)]


def test_hints_close_again_for_the_next_student(fresh_kernel, monkeypatch):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    q = speed(hints=HINTS)
    from_browser(q, {"type": "identify", "student": "Ana"})
    q.submit("180")
    q.hint()
    from_browser(q, {"type": "switch"})
    assert q.hints_html == [] and q.hints_left == 0
    assert "Which is bigger" not in json.dumps(q.get_state())

    from_browser(q, {"type": "identify", "student": "Ben"})
    assert q.hints_html == [] and q.hints_left == 0
    from_browser(q, {"type": "hint"})
    assert q.hints_html == []
    q.submit("180")
    assert q.hints_left == 2
    assert "hint" not in [e["type"] for e in events(fresh_kernel, "Ben")]


# -- choices ---------------------------------------------------------------------------


def test_choice_order_is_per_student_and_carries_no_verdict(monkeypatch):
    choices = [f"option {n}" for n in range(8)]

    def ask() -> gf.Choice:
        return gf.Choice("pick", "Pick one.", choices=choices, answer="option 3", shuffle=True)

    ana = [c["value"] for c in ask().choices]
    assert sorted(ana) == sorted(choices)
    assert all(set(c) == {"value", "html"} for c in ask().choices)
    assert [c["value"] for c in ask().choices] == ana
    orders = set()
    for name in ("ben", "chidi", "dara", "eli"):
        monkeypatch.setenv("GUESSFIRST_STUDENT", name)
        orders.add(tuple(c["value"] for c in ask().choices))
    assert len(orders | {tuple(ana)}) > 1


def test_several_correct_choices_use_checkboxes(fresh_kernel):
    q = gf.Choice("eq", "Equal to 2/3?", choices=["4/6", "3/4", "6/9"], answer=["4/6", "6/9"])
    assert q.multiple
    from_browser(q, {"type": "submit", "response": ["6/9", "4/6"], "confidence": 2})
    assert q.status == "correct"
    attempt = next(e for e in events(fresh_kernel) if e["type"] == "attempt")
    assert json.loads(attempt["response"]) == ["4/6", "6/9"]


# -- keeping progress ------------------------------------------------------------------


def test_restarted_kernel_brings_the_state_back(fresh_kernel, monkeypatch):
    q = speed()
    q.submit("180", confidence="Unsure")
    restart_kernel()

    again = speed()
    assert again.status == "wrong" and again.attempts == 1
    assert "Last time you answered <q>180</q>" in again.feedback_html
    assert "eighty" in again.example_html
    again.submit("80")
    log = events(fresh_kernel)
    attempts = [e for e in log if e["type"] == "attempt"]
    assert [a["attempt"] for a in attempts] == [1, 2]
    assert [e["type"] for e in log].count("reveal") == 1
    assert log[-1]["type"] == "corrected" and log[-1]["first_confidence"] == pytest.approx(1 / 3)
    assert {e["session"] for e in log} == {context.SESSION}


def test_an_edited_question_starts_fresh(fresh_kernel, monkeypatch):
    speed().submit("180")
    restart_kernel()
    edited = speed(example="Divide the distance by the time.")
    assert edited.status == "open" and edited.attempts == 0 and edited.example_html == ""


def test_rerunning_a_cell_keeps_one_shown_event_per_session(fresh_kernel):
    for _ in range(3):
        speed()._repr_mimebundle_()
    assert [e["type"] for e in events(fresh_kernel)] == ["shown"]


# -- authoring -------------------------------------------------------------------------


def test_one_id_for_two_different_questions_is_refused():
    speed()
    speed()  # the same question again (a re-run cell) is fine
    with pytest.raises(gf.QuestionError, match=r"'speed'.*already used"):
        speed(answer=90)


# -- who the student is ----------------------------------------------------------------


def test_without_a_name_the_widget_asks_once_and_writes_nothing_anonymously(
    fresh_kernel, monkeypatch
):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    monkeypatch.setenv("JUPYTERHUB_USER", "jovyan")
    first, second = speed(), gf.Text("cap", "Capital of Australia?", answer="Canberra")
    first._repr_mimebundle_()
    assert first.needs_student and second.needs_student
    with pytest.raises(RuntimeError, match="no student id"):
        first.submit("80")
    assert not fresh_kernel.exists() or not list(fresh_kernel.glob("*.jsonl"))

    from_browser(first, {"type": "identify", "student": "  root "})
    assert "could be anyone" in first.student_error and first.needs_student

    from_browser(first, {"type": "identify", "student": "Ana María"})
    assert not first.needs_student and not second.needs_student
    first.submit("80")
    written = events(fresh_kernel, "Ana María")
    assert [e["type"] for e in written] == ["shown", "attempt", "reveal"]
    assert {e["student"] for e in written} == {"Ana María"}

    restart_kernel()  # the typed name too
    assert not speed().needs_student  # remembered beside the logs


# -- faults ----------------------------------------------------------------------------


def test_an_unwritable_folder_shows_a_notice_and_loses_nothing(fresh_kernel, monkeypatch):
    blocker = fresh_kernel.parent / "blocked"
    blocker.write_text("a file where the log folder should be")
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(blocker / "logs"))
    q = speed()
    other = gf.Text("cap", "Capital of Australia?", answer="Canberra")
    q.submit("180")
    # Set aside in a file of the student's own, so a stopped kernel loses nothing.
    aside = q._recorder.log.fallback
    assert "1 answer is kept safe in" in q.notice and str(aside) in q.notice
    assert other.notice == q.notice  # every question on the page says so
    assert q.status == "wrong" and "eighty" in q.example_html  # the lesson goes on
    q.submit("80")
    assert "2 answers are kept safe" in q.notice
    assert eventlog.verify(aside) == []

    blocker.unlink()
    from_browser(q, {"type": "retry"})
    assert q.notice == "" and other.notice == ""
    path = eventlog.log_path(blocker / "logs", "ana")
    kinds = [e["type"] for e in eventlog.read_events(path).events]
    assert kinds == ["shown", "attempt", "reveal", "attempt", "corrected"]
    assert eventlog.verify(path) == []
    assert not aside.exists()


def test_work_waits_in_memory_when_neither_folder_takes_it(fresh_kernel, monkeypatch):
    blocker = fresh_kernel.parent / "blocked"
    blocker.write_text("a file where both folders should be")
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(blocker / "logs"))
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    q = speed()
    q.submit("180")
    assert "1 answer is kept here" in q.notice
    blocker.unlink()
    q.submit("80")  # the next write takes everything, in order
    path = eventlog.log_path(blocker / "logs", "ana")
    assert [e["attempt"] for e in eventlog.read_events(path).events if e["type"] == "attempt"] == [
        1,
        2,
    ]
    assert q.notice == "" and eventlog.verify(path) == []


def test_a_log_file_someone_else_made_first_never_receives_the_students_work(
    fresh_kernel, monkeypatch
):
    """In a shared folder, another user may create 'ana.jsonl' before ana does."""
    fresh_kernel.mkdir(parents=True)
    trap = eventlog.log_path(fresh_kernel, "ana")
    trap.write_text("")
    trap.chmod(0o666)
    os.chown(trap, 54321, 54321)  # tests run as root in CI; any other owner will do
    q = speed()
    q.submit("180")
    assert trap.read_text() == ""
    assert "belongs to another user" in q.notice
    assert eventlog.verify(q._recorder.log.fallback) == []


def test_a_new_log_file_is_readable_by_its_owner_only(fresh_kernel):
    speed().submit("80")
    mode = eventlog.log_path(fresh_kernel, "ana").stat().st_mode & 0o777
    assert mode == 0o600


def test_in_a_setgid_drop_folder_the_group_may_read_the_log(fresh_kernel):
    fresh_kernel.mkdir(parents=True)
    fresh_kernel.chmod(0o2770)
    speed().submit("80")
    mode = eventlog.log_path(fresh_kernel, "ana").stat().st_mode & 0o777
    assert mode == 0o640


# -- the student's kernel stays light --------------------------------------------------


def test_import_does_not_load_teacher_or_rendering_libraries(tmp_path):
    code = (
        "import sys, guessfirst\n"
        "heavy = {'pandas', 'duckdb', 'markdown_it', 'nh3', 'latex2mathml'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
        "guessfirst.configure(student='ana', log_dir=sys.argv[1])\n"
        "guessfirst.Numeric('q', 'What is $1+1$?', answer=2, example='$1+1=2$')\n"
        "print(sorted({'pandas', 'duckdb', 'sympy', 'multiprocessing.connection'}"
        " & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out == ["[]", "[]"]


def test_not_you_closes_the_gate_again_for_the_next_student(fresh_kernel, monkeypatch):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    q = speed()
    from_browser(q, {"type": "identify", "student": "Ana"})
    assert q.student_label == "Ana"
    q.submit("180")
    assert "eighty" in q.example_html

    from_browser(q, {"type": "switch"})
    assert q.needs_student and q.student_label == ""
    assert q.feedback_html == "" and q.attempts == 0
    assert "eighty" not in json.dumps(q.get_state())
    assert not (fresh_kernel / ".student").exists()

    from_browser(q, {"type": "identify", "student": "Ben"})
    assert q.status == "open" and q.example_html == "" and q.attempts == 0
    q.submit("80")
    assert [e["type"] for e in events(fresh_kernel, "Ben")] == ["shown", "attempt", "reveal"]


def test_a_name_from_the_environment_cannot_be_switched(fresh_kernel):
    q = speed()
    assert q.student_label == ""
    from_browser(q, {"type": "switch"})
    assert not q.needs_student


def test_choices_show_while_the_widget_waits_for_a_name(monkeypatch):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    q = gf.Choice("pick", "Pick one.", choices=["a", "b", "c"], answer="b", shuffle=True)
    assert q.needs_student
    assert [c["value"] for c in q.choices] == ["a", "b", "c"]


def test_a_restored_question_shows_the_students_last_answer(monkeypatch):
    speed().submit("180")
    restart_kernel()
    assert speed().last_response == "180"


def test_a_name_given_once_opens_the_questions_in_lesson_order(fresh_kernel, monkeypatch):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    made = [gf.Text(f"q{n}", f"Question {n}?", answer="x") for n in range(12)]
    for q in made:
        q._repr_mimebundle_()
    from_browser(made[5], {"type": "identify", "student": "Ana"})
    shown = [e["question"] for e in events(fresh_kernel, "Ana")]
    assert shown == [f"q{n}" for n in range(12)]


def test_rerunning_a_cell_replaces_its_widget_and_may_change_the_question(monkeypatch):
    monkeypatch.setattr(widget, "_current_cell", lambda: "cell-7")
    first = speed()
    edited = speed(answer=90)  # the teacher edited the cell and ran it again
    assert first.comm is None and edited.comm is not None
    assert first not in KERNEL.live

    monkeypatch.setattr(widget, "_current_cell", lambda: "cell-8")
    with pytest.raises(gf.QuestionError, match="already used"):
        speed(answer=100)
    assert edited.comm is not None


def test_a_class_in_hong_kong_gets_the_card_and_the_feedback_in_traditional_chinese():
    gf.configure(lang="zh-HK")
    q = speed()
    assert q.lang == "zh-HK"
    assert q.strings["card.submit"] == "提交"
    assert q.placeholder and not q.placeholder.isascii()
    assert q.submit("eighty") is None
    assert not q.input_error.isascii()
    q.submit("180")
    assert "<q>180</q>" in q.feedback_html
    assert "Did you multiply instead of divide?" in q.feedback_html  # the teacher's own words
    assert not q.feedback_html.replace(HINT, "").isascii()


def test_the_language_is_english_unless_chosen():
    q = speed()
    assert (q.lang, q.strings["card.submit"]) == ("en", "Submit")
    with pytest.raises(ValueError, match="zh-HK"):
        gf.configure(lang="fr")
