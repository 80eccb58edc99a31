"""Logs exported as xAPI statements land in a Learning Record Store as the teacher expects."""

from __future__ import annotations

import json

import pytest

from guessfirst.log.eventlog import make_event
from guessfirst.teacher.xapi import statements

BASE = "https://school.example/guessfirst"
HOME = "https://school.example"
EXT = "https://guessfirst.org/xapi/extensions/"
ADL_VERB = "http://adlnet.gov/expapi/verbs/"


def _event(
    type: str,
    question: str = "q1",
    *,
    ts: str = "2026-11-27T10:15:12.345Z",
    student: str = "ana",
    **fields: object,
) -> dict:
    event = make_event(
        type,
        student=student,
        session="0b7e4c1a-2f4d-4a8e-9c61-5d3f0e2b7a90",
        notebook="fractions.ipynb",
        question=question,
        qversion="abc123def456",
        **fields,
    )
    event["ts"] = ts
    event["prev"] = ""
    return event


def _attempt(question: str = "q1", **fields: object) -> dict:
    values: dict = {
        "attempt": 1,
        "response": "3/4",
        "correct": False,
        "confidence": 2 / 3,
        "latency_ms": 12345,
        "misconception": None,
        **fields,
    }
    return _event("attempt", question, **values)


def _one(*events: dict, **options: object) -> dict:
    found = _export(list(events), **options)
    assert len(found) == 1
    return found[0]


def _export(events: list[dict], **options: object) -> list[dict]:
    return statements(events, activity_base=BASE, home_page=HOME, **options)


def test_attempt_becomes_answered_with_result() -> None:
    shown = _event("shown", kind="numeric")
    stmt = _one(shown, _attempt(misconception="adds-denominators"))
    assert stmt["version"] == "1.0.3"
    assert stmt["timestamp"] == "2026-11-27T10:15:12.345Z"
    assert stmt["verb"] == {"id": ADL_VERB + "answered", "display": {"en-US": "answered"}}
    assert stmt["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": HOME, "name": "ana"},
    }
    assert stmt["object"]["id"] == f"{BASE}/questions/q1"
    definition = stmt["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "numeric"
    result = stmt["result"]
    assert result["success"] is False
    assert result["response"] == "3/4"
    assert result["duration"] == "PT12.345S"
    assert result["extensions"] == {
        EXT + "attempt": 1,
        EXT + "confidence": 2 / 3,
        EXT + "misconception": "adds-denominators",
    }


def test_context_names_lesson_session_and_version() -> None:
    stmt = _one(_attempt())
    context = stmt["context"]
    assert context["contextActivities"]["grouping"][0]["id"] == f"{BASE}/lessons/fractions.ipynb"
    assert context["extensions"] == {EXT + "qversion": "abc123def456"}
    other_session = _attempt()
    other_session["session"] = "another-kernel"
    assert _one(other_session)["context"]["registration"] != context["registration"]
    assert _one(_attempt())["context"]["registration"] == context["registration"]


def test_no_lesson_when_the_notebook_is_unknown() -> None:
    event = _attempt()
    event["notebook"] = None
    assert "contextActivities" not in _one(event)["context"]


def test_review_and_zero_confidence_are_kept() -> None:
    extensions = _one(_attempt(confidence=0, review=True))["result"]["extensions"]
    assert extensions[EXT + "confidence"] == 0
    assert extensions[EXT + "review"] is True


@pytest.mark.parametrize(
    ("kind", "interaction"),
    [
        ("choice", "choice"),
        ("numeric", "numeric"),
        ("text", "fill-in"),
        ("expression", "fill-in"),
        ("predict", "long-fill-in"),
        ("code", "other"),
        ("a-later-kind", "other"),
    ],
)
def test_interaction_type_follows_the_question_kind(kind: str, interaction: str) -> None:
    stmt = _one(_event("shown", kind=kind), _attempt())
    assert stmt["object"]["definition"]["interactionType"] == interaction


def test_kind_is_found_even_when_shown_comes_later() -> None:
    stmt = _one(_attempt(), _event("shown", kind="choice"))
    assert stmt["object"]["definition"]["interactionType"] == "choice"


def test_parts_are_typed_by_their_own_kind_under_their_question() -> None:
    events = [
        _event("shown", "q1", kind="multi"),
        _event("shown", "q1/a", kind="choice"),
        _event("shown", "q1/b", kind="predict"),
        _attempt("q1/a"),
        _attempt("q1/b"),
    ]
    part_a, part_b = _export(events)
    assert part_a["object"]["definition"]["interactionType"] == "choice"
    assert part_b["object"]["definition"]["interactionType"] == "long-fill-in"
    assert part_a["object"]["id"] == f"{BASE}/questions/q1%2Fa"
    assert part_a["context"]["contextActivities"]["parent"] == [
        {"objectType": "Activity", "id": f"{BASE}/questions/q1"}
    ]


def test_question_ids_are_percent_encoded() -> None:
    stmt = _one(_attempt("Frage 1: ½?"))
    assert stmt["object"]["id"] == f"{BASE}/questions/Frage%201%3A%20%C2%BD%3F"


def test_reveal_is_experiencing_the_worked_example() -> None:
    stmt = _one(_event("reveal", attempt=2))
    assert stmt["verb"]["id"] == ADL_VERB + "experienced"
    assert stmt["object"]["id"] == f"{BASE}/questions/q1/example"
    assert stmt["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/media"
    assert stmt["result"]["extensions"] == {EXT + "attempt": 2}


def test_hint_uses_the_project_verb() -> None:
    stmt = _one(_event("hint", n=2, attempt=1))
    assert stmt["verb"] == {
        "id": "https://guessfirst.org/xapi/verbs/opened-hint",
        "display": {"en-US": "opened a hint for"},
    }
    assert stmt["result"]["extensions"] == {EXT + "hint": 2, EXT + "attempt": 1}


def test_reflection_is_a_comment_with_its_text() -> None:
    stmt = _one(_event("reflection", text="I added the bottoms", attempt=1))
    assert stmt["verb"]["id"] == ADL_VERB + "commented"
    assert stmt["verb"]["display"] == {"en-US": "commented"}
    assert stmt["result"]["response"] == "I added the bottoms"


def test_corrected_counts_the_errors() -> None:
    event = _event("corrected", attempt=3, errors=2, first_error="e1", first_confidence=1.0)
    stmt = _one(event)
    assert stmt["verb"]["id"] == "https://guessfirst.org/xapi/verbs/corrected"
    assert stmt["verb"]["display"] == {"en-US": "corrected"}
    assert stmt["result"]["success"] is True
    assert stmt["result"]["extensions"] == {
        EXT + "attempt": 3,
        EXT + "errors": 2,
        EXT + "first-confidence": 1.0,
    }


def test_shown_alone_gives_no_statement() -> None:
    assert _export([_event("shown", kind="choice")]) == []


def test_ids_are_deterministic_and_distinct() -> None:
    events = [_event("shown", kind="text"), _attempt(), _event("reveal", attempt=1)]
    first = [stmt["id"] for stmt in _export(events)]
    again = [stmt["id"] for stmt in _export([dict(event) for event in events])]
    assert first == again
    assert len(set(first)) == 2
    assert first[0] != _one(_attempt())["id"]


def test_duplicate_events_give_one_statement() -> None:
    attempt = _attempt()
    assert len(_export([attempt, dict(attempt), _event("reveal", attempt=1)])) == 2


def test_pseudonymized_actor_is_stable_and_salt_dependent() -> None:
    name = _one(_attempt(), pseudonymize="s3cret")["actor"]["account"]["name"]
    assert name != "ana"
    assert len(name) == 64
    assert _one(_attempt(), pseudonymize="s3cret")["actor"]["account"]["name"] == name
    assert _one(_attempt(), pseudonymize="other")["actor"]["account"]["name"] != name
    bea = _attempt()
    bea["student"] = "bea"
    assert _one(bea, pseudonymize="s3cret")["actor"]["account"]["name"] != name


def test_no_text_drops_free_text_but_keeps_choices_and_numbers() -> None:
    events = [
        _event("shown", "words", kind="text"),
        _event("shown", "pick", kind="choice"),
        _event("shown", "size", kind="numeric"),
        _attempt("words", response="my private answer"),
        _attempt("pick", response="b"),
        _attempt("size", response="0.75"),
        _event("reflection", "words", text="my private thought", attempt=1),
    ]
    words, pick, size, reflection = _export(events, text=False)
    dumped = json.dumps([words, reflection])
    assert "private" not in dumped
    assert words["result"]["success"] is False
    assert reflection["verb"]["id"] == ADL_VERB + "commented"
    assert pick["result"]["response"] == "b"
    assert size["result"]["response"] == "0.75"


@pytest.mark.parametrize(
    ("latency_ms", "duration"),
    [
        (0, "PT0S"),
        (12_000, "PT12S"),
        (12_345, "PT12.345S"),
        (750, "PT0.75S"),
        (75_500, "PT1M15.5S"),
        (3_600_000, "PT1H"),
        (3_723_004, "PT1H2M3.004S"),
    ],
)
def test_latency_is_an_iso_duration(latency_ms: int, duration: str) -> None:
    assert _one(_attempt(latency_ms=latency_ms))["result"]["duration"] == duration


def test_no_duration_without_a_usable_latency() -> None:
    assert "duration" not in _one(_attempt(latency_ms=None))["result"]


def test_actor_never_has_an_email() -> None:
    events = [_event("shown", kind="text"), _attempt(), _event("hint", n=1, attempt=1)]
    events[1]["student"] = "ana@school.example"
    dumped = json.dumps(_export(events))
    assert "mbox" not in dumped
    assert "mailto:" not in dumped


@pytest.mark.parametrize(
    "spoil",
    [
        lambda event: event.pop("student"),
        lambda event: event.pop("ts"),
        lambda event: event.update(ts="yesterday"),
        lambda event: event.update(ts="2026-11-27T10:15:12.345+01:00"),
        lambda event: event.pop("correct"),
        lambda event: event.update(correct="yes"),
        lambda event: event.update(question=None),
        lambda event: event.update(type="mystery"),
    ],
)
def test_malformed_events_are_skipped(spoil) -> None:
    broken = _attempt()
    spoil(broken)
    good = _event("reveal", attempt=1)
    assert [stmt["verb"]["id"] for stmt in _export([broken, good])] == [ADL_VERB + "experienced"]


def test_output_is_plain_json() -> None:
    events = [
        _event("shown", kind="choice"),
        _attempt(),
        _event("reveal", attempt=1),
        _event("hint", n=1, attempt=1),
        _event("reflection", text="because", attempt=1),
        _event("corrected", attempt=2, errors=1, first_error="x", first_confidence=None),
    ]
    exported = _export(events)
    assert len(exported) == 5
    assert json.loads(json.dumps(exported, allow_nan=False)) == exported
