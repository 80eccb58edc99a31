from __future__ import annotations

from guessfirst.log import eventlog
from guessfirst.student import tracker


def _event(event_type: str, /, question: str = "q", qversion: str = "v1", **fields) -> dict:
    return eventlog.make_event(
        event_type,
        student="ana",
        session="s",
        notebook=None,
        question=question,
        qversion=qversion,
        **fields,
    )


def test_replay_counts_attempts_and_remembers_the_first_error():
    wrong = _event("attempt", attempt=1, response="180", correct=False, confidence=1.0)
    events = [
        _event("shown", kind="numeric"),
        wrong,
        _event("reveal", attempt=1),
        _event("reflection", attempt=1, text="I multiplied"),
        _event("attempt", attempt=2, response="90", correct=False, confidence=None),
        _event("attempt", attempt=3, response="80", correct=True, confidence=0.0),
    ]
    done = tracker.replay(events, "q", "v1")
    assert (done.attempts, done.errors, done.solved) == (3, 2, True)
    assert done.first_error == wrong["id"] and done.first_confidence == 1.0
    assert done.revealed and done.reflected == {1}
    assert done.last_response == "80" and done.last_correct


def test_replay_shrugs_off_counts_a_hand_edited_log_got_wrong():
    events = [
        _event("attempt", attempt="2", response="180", correct=False, confidence=None),
        _event("hint", n="many", attempt=1),
        _event("hint", n=True, attempt=1),
        _event("reflection", attempt=[1], text="?"),
        _event("hint", n=1, attempt=1),
    ]
    done = tracker.replay(events, "q", "v1")
    assert (done.attempts, done.errors, done.hints) == (0, 1, 1)


def test_replay_ignores_other_questions_and_other_versions():
    events = [
        _event("attempt", question="other", attempt=1, response="1", correct=True),
        _event("attempt", qversion="v0", attempt=1, response="2", correct=False),
    ]
    assert tracker.replay(events, "q", "v1") == tracker.Progress()


def test_a_wrong_answer_after_solving_is_not_a_new_error():
    events = [
        _event("attempt", attempt=1, response="80", correct=True),
        _event("attempt", attempt=2, response="81", correct=False),
    ]
    done = tracker.replay(events, "q", "v1")
    assert done.solved and done.errors == 0 and done.first_error is None


def test_the_recorder_reports_held_events_in_plain_words(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    recorder = tracker.Recorder(eventlog.log_path(blocked, "ana"))
    recorder.write(_event("shown", kind="numeric"))
    assert "It is kept here" in recorder.notice  # work, but no answer yet
    recorder.write(_event("attempt", attempt=1, response="180", correct=False))
    recorder.write(_event("reveal", attempt=1), _event("attempt", attempt=2, correct=True))
    assert "2 answers are kept here" in recorder.notice  # answers, not events
    assert [e["type"] for e in recorder.history()] == ["shown", "attempt", "reveal", "attempt"]
    blocked.unlink()
    assert recorder.retry() and recorder.notice == ""


def test_the_unsaved_work_notice_counts_one_answer_among_other_events(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    recorder = tracker.Recorder(eventlog.log_path(blocked, "ana"))
    recorder.write(_event("shown", kind="numeric"))
    recorder.write(_event("attempt", attempt=1, response="180", correct=False))
    recorder.write(_event("reveal", attempt=1))
    assert len(recorder.log.pending) == 3
    assert "1 answer is kept here" in recorder.notice
    assert "3 answers" not in recorder.notice and "1 answers" not in recorder.notice


def test_work_kept_aside_counts_one_answer_among_other_events(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    aside = tmp_path / "aside"
    recorder = tracker.Recorder(eventlog.log_path(blocked, "ana"), aside)
    recorder.write(_event("shown", kind="numeric"))
    recorder.write(_event("attempt", attempt=1, response="180", correct=False))
    recorder.write(_event("reveal", attempt=1))
    assert "1 answer is kept safe in" in recorder.notice
    assert "3 answers" not in recorder.notice
