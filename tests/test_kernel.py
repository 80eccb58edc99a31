"""A reset kernel knows what a restarted one would: nothing but what is on disk."""

from __future__ import annotations

import dataclasses
import weakref
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst import i18n
from guessfirst.kernel import KERNEL, Kernel
from guessfirst.log import context, eventlog
from guessfirst.student import tracker, widget


def speed(answer: float = 80) -> gf.Numeric:
    return gf.Numeric("speed", "120 km in 1.5 h: km/h?", answer=answer)


def logged(log_dir: Path, student: str = "ana", kind: str = "shown") -> int:
    log = eventlog.read_events(eventlog.log_path(log_dir, student)).events
    return sum(event["type"] == kind for event in log)


def test_after_a_reset_an_id_may_be_defined_again_in_another_cell(monkeypatch):
    monkeypatch.setattr(widget, "_current_cell", lambda: "cell-1")
    speed()
    monkeypatch.setattr(widget, "_current_cell", lambda: "cell-2")
    with pytest.raises(gf.QuestionError, match="already used"):
        speed(answer=90)
    KERNEL.reset()
    assert speed(answer=90).qid == "speed"


def test_a_configured_student_is_forgotten(fresh_kernel, monkeypatch):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    gf.configure(student="bea")
    first = speed()
    assert not first.needs_student
    first.submit("80")
    KERNEL.reset()
    assert speed().needs_student  # the next card asks who is there
    monkeypatch.setenv("GUESSFIRST_STUDENT", "carl")
    speed().submit("80")
    assert logged(fresh_kernel, "carl", "attempt") == 1
    assert logged(fresh_kernel, "bea", "attempt") == 1  # only from before the reset


def test_a_configured_log_folder_is_forgotten(fresh_kernel, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    gf.configure(log_dir=elsewhere)
    speed().submit("80")
    KERNEL.reset()
    speed().submit("80")
    assert logged(elsewhere, kind="attempt") == 1
    assert logged(fresh_kernel, kind="attempt") == 1


def test_the_chosen_language_is_forgotten():
    gf.configure(lang="zh-HK")
    assert speed().lang == "zh-HK"
    KERNEL.reset()
    assert speed().lang == "en" and i18n.language() == "en"


def test_a_new_kernel_makes_its_own_recorder_and_logs_the_card_shown_again(fresh_kernel):
    speed().submit("70")
    old = tracker.recorder("ana")
    speed().submit("80")  # the same kernel: shown once
    assert logged(fresh_kernel) == 1
    KERNEL.reset()
    assert tracker.recorder("ana") is not old
    again = speed()
    assert again.status == "correct" and again.attempts == 2  # read back from the log
    again.submit("80")
    assert logged(fresh_kernel) == 2


def _filled(monkeypatch: pytest.MonkeyPatch) -> list[gf.Question]:
    """Every field of the kernel given something, as a lesson would."""
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    monkeypatch.setattr(widget, "_current_cell", lambda: "cell-1")
    gf.configure(student="bea", lang="zh-HK")
    context.remember_student("Ana")
    made = [speed()]
    made[0].submit("80")
    return made


def _comparable(value: object) -> object:
    """A weak dictionary by its contents; its identity is new in every kernel."""
    return dict(value) if isinstance(value, weakref.WeakKeyDictionary) else value


def test_reset_leaves_no_field_as_it_was(monkeypatch):
    fresh = Kernel()
    made = _filled(monkeypatch)
    fields = [each.name for each in dataclasses.fields(Kernel)]
    untouched = [
        name
        for name in fields
        if _comparable(getattr(KERNEL, name)) == _comparable(getattr(fresh, name))
    ]
    assert untouched == []  # every field was filled above, so its reset below counts
    KERNEL.reset()
    for name in fields:
        assert _comparable(getattr(KERNEL, name)) == _comparable(getattr(fresh, name)), name
    assert made[0].qid == "speed"  # the card itself is alive: only the kernel forgot it
