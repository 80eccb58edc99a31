"""The class view: what a whole class may see of its own answers on a projector."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import context
from guessfirst.teacher import cli
from guessfirst.teacher.report._class_view import MIN_STUDENTS

#: Ids that no word of the page could contain by chance.
STUDENTS = ("ana-7731", "ben-7732", "cy-7733", "dan-7734", "eve-7735", "fay-7736", "gus-7737")
PROMPT = "120 km in 1.5 h: how many km/h?"
EXAMPLE = "Distance divided by time: 120 / 1.5 = 80 km/h."


def speed() -> gf.Numeric:
    return gf.Numeric("speed", PROMPT, answer=80, example=EXAMPLE)


def capital() -> gf.Text:
    return gf.Text("capital", "Capital of Australia?", answer="Canberra")


def _as(monkeypatch: pytest.MonkeyPatch, student: str) -> None:
    monkeypatch.setenv("GUESSFIRST_STUDENT", student)
    KERNEL.reset()
    monkeypatch.setattr(context, "SESSION", f"session-{student}")


def _class(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven students. By hand, "speed": all 7 tried; ana, ben, dan and eve were wrong
    first and then right (4 good errors); 180 came from 3 students, 60 from 2, and 75
    three times from dan alone. "capital": 2 tried, 1 good error, no answer shared."""
    answers = {
        "ana-7731": ["180", "80"],
        "ben-7732": ["180", "80"],
        "cy-7733": ["180"],
        "dan-7734": ["75", "75", "75", "80"],
        "eve-7735": ["60", "80"],
        "fay-7736": ["60"],
        "gus-7737": ["80"],
    }
    for student, tries in answers.items():
        _as(monkeypatch, student)
        question = speed()
        for answer in tries:
            question.submit(answer, "Fairly sure")
    _as(monkeypatch, "ana-7731")
    city = capital()
    city.submit("Sydney", "Certain")
    city.submit("Canberra", "Certain")
    _as(monkeypatch, "gus-7737")
    capital().submit("Canberra")


def _cards(page: str) -> dict[str, str]:
    """Each question's card, by the question id in its heading."""
    found = re.findall(r'<section class="card"><h2>([^<]+)</h2>(.*?)</section>', page, re.S)
    return dict(found)


def _answers(card: str) -> list[str]:
    return re.findall(r'<li><span class="answer">([^<]*)</span>', card)


def test_only_answers_three_students_shared_are_shown_and_no_id_anywhere(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    _class(monkeypatch)
    board = gf.Dashboard(fresh_kernel, audience="class", questions=[speed(), capital()])
    page = board.html
    assert MIN_STUDENTS == 3
    cards = _cards(page)
    assert _answers(cards["speed"]) == ["180"]  # 60 (two students) and 75 (one, thrice) not
    assert _answers(cards["capital"]) == []
    assert "Sydney" not in page
    synced = " ".join(str(board.get_state()[name]) for name in board.keys)
    for student in STUDENTS:
        assert student not in page and student not in synced


def test_tried_and_good_errors_are_counted_as_by_hand(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    _class(monkeypatch)
    cards = _cards(gf.Dashboard(fresh_kernel, audience="class", lang="en").html)
    assert "7 of us have tried this one." in cards["speed"]
    assert "4 good errors turned into understanding!" in cards["speed"]
    assert "2 of us have tried this one." in cards["capital"]
    assert "1 good error turned into understanding!" in cards["capital"]
    assert "3 of us" in cards["speed"]


def test_the_discussion_view_asks_about_the_answer_and_keeps_the_example_closed(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    _class(monkeypatch)
    page = gf.Dashboard(fresh_kernel, audience="class", questions=[speed()]).html
    look = re.search(r'popovertarget="(look-\d+)">Let&#x27;s look at this one</button>', page)
    assert look is not None
    view = re.search(rf'<div id="{look[1]}"[^>]* popover .*?</div>', page, re.S)
    assert view is not None
    assert 'What might lead someone to <span class="answer">180</span>?' in view[0]
    assert PROMPT in view[0] and EXAMPLE in view[0]
    assert "<details" in view[0] and "<details open" not in view[0]
    assert "<script" not in page and "Content-Security-Policy" in page


def test_the_class_view_speaks_traditional_chinese(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    _class(monkeypatch)
    gf.configure(lang="zh-HK")
    page = gf.Dashboard(fresh_kernel, audience="class").html
    assert '<html lang="zh-HK">' in page
    assert "7 位同學試過這一題。" in page and "4 個好錯誤變成了理解！" in page
    assert '甚麼會令人想到 <span class="answer">180</span>？' in page
    assert "我們一起看看這個" in page and "good errors" not in page


def test_student_text_reaches_the_class_view_escaped(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    attack = "<img src=x onerror=alert(1)>"
    for student in STUDENTS[:3]:
        _as(monkeypatch, student)
        capital().submit(attack)
    page = gf.Dashboard(fresh_kernel, audience="class").html
    assert "<img" not in page
    assert _answers(_cards(page)["capital"]) == ["&lt;img src=x onerror=alert(1)&gt;"]


def test_an_unknown_audience_or_language_is_refused(fresh_kernel: Path):
    with pytest.raises(ValueError, match=r"audience must be 'teacher'.*or 'class'"):
        gf.Dashboard(fresh_kernel, audience="students")
    with pytest.raises(ValueError, match="unknown language"):
        gf.Dashboard(fresh_kernel, audience="class", lang="fr")


def test_the_teacher_view_is_still_the_full_report(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    _class(monkeypatch)
    page = gf.Dashboard(fresh_kernel).html
    assert "ana-7731" in page and "guessfirst report" in page


def test_the_report_command_writes_the_class_view(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    _class(monkeypatch)
    out = tmp_path / "class.html"
    args = ["report", str(fresh_kernel), "--audience", "class", "--lang", "zh_hk", "-o", str(out)]
    assert cli.main(args) == 0
    page = out.read_text(encoding="utf-8")
    assert _answers(_cards(page)["speed"]) == ["180"] and "位同學" in page
    assert not any(student in page for student in STUDENTS)
    refused = [*args, "--csv", str(tmp_path / "csv")]
    assert cli.main(refused) != 0


def test_a_shared_answer_appears_at_the_refresh_after_its_third_student(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    for student in STUDENTS[:2]:
        _as(monkeypatch, student)
        speed().submit("180")
    board = gf.Dashboard(fresh_kernel, audience="class", every=30)
    assert board.every == 30 and _answers(_cards(board.html)["speed"]) == []
    _as(monkeypatch, STUDENTS[2])
    speed().submit("180")
    board._handle_msg(
        {"content": {"data": {"method": "custom", "content": {"type": "refresh"}}}, "buffers": []}
    )
    assert _answers(_cards(board.html)["speed"]) == ["180"]
    assert "3 of us have tried this one." in board.html


def test_no_misconception_tag_or_students_open_line_reaches_the_class_view(tmp_path: Path):
    """The open misconceptions are the teacher's private view: the projector shows no tag,
    no per-student line, and no word of them, while the teacher's report does."""
    from guessfirst.teacher import report
    from guessfirst.teacher.report._class_view import class_html
    from report_class import FORMULA_TAG, SCRIPT_TAG, write_class

    built = report.Report(report.read(write_class(tmp_path / "logs")), tz="UTC")
    teacher = built.html()
    projected = class_html(built, lang="en")
    assert "Open misconceptions" in teacher and "<code>units</code>" in teacher
    for shown in ("units", "mult", "Open misconceptions", "misconception", "a1b2"):
        assert shown not in projected, shown
    for tag in (FORMULA_TAG, SCRIPT_TAG, "&lt;script&gt;", "=cmd"):
        assert tag not in projected, tag
