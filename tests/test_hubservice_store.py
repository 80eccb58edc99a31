"""The hub service keeps its own chained copy of each event, in the hub user's name only."""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from guessfirst.log.eventlog import MAX_LINE_BYTES, make_event, read_events, verify
from guessfirst.teacher.hubservice import Limits, Refused, Store

NOW = datetime(2026, 12, 4, 10, 15, 12, 345000, tzinfo=timezone.utc)


def _event(student: str = "ana", prev: str = "", **fields: object) -> dict:
    event = make_event(
        "attempt",
        student=student,
        session="s1",
        notebook="week1.ipynb",
        question="q1",
        qversion="abcdef012345",
        attempt=1,
        correct=False,
        response="3/4",
        **fields,
    )
    return {**event, "prev": prev}


def _stored(store: Store, user: str) -> list[dict]:
    return read_events(store.path(user)).events


def test_events_are_stored_chained_with_the_service_fields(tmp_path: Path) -> None:
    store = Store(tmp_path / "hub")
    first, second = _event(), _event(prev="0123456789abcdef")
    assert store.receive("ana", first, NOW).stored
    receipt = store.receive("ana", second, NOW + timedelta(seconds=2))
    assert receipt.stored and receipt.id == second["id"]
    assert receipt.received == "2026-12-04T10:15:14.345Z"
    assert verify(store.path("ana")) == []
    lines = _stored(store, "ana")
    assert [line["id"] for line in lines] == [first["id"], second["id"]]
    assert lines[0]["received"] == "2026-12-04T10:15:12.345Z"
    assert {line["hub_user"] for line in lines} == {"ana"}
    assert [line["sent_prev"] for line in lines] == ["", "0123456789abcdef"]
    assert lines[1]["prev"] != "0123456789abcdef"  # the chain is the service's own
    assert lines[1]["response"] == "3/4" and lines[1]["ts"] == second["ts"]


def test_the_students_service_fields_are_replaced(tmp_path: Path) -> None:
    store = Store(tmp_path / "hub")
    event = {**_event(), "hub_user": "teacher", "received": "2020-01-01T00:00:00.000Z"}
    store.receive("ana", event, NOW)
    (line,) = _stored(store, "ana")
    assert line["hub_user"] == "ana" and line["received"] == "2026-12-04T10:15:12.345Z"


def test_a_resent_id_is_acknowledged_once_even_after_a_restart(tmp_path: Path) -> None:
    event = _event()
    store = Store(tmp_path / "hub")
    assert store.receive("ana", event, NOW).stored
    assert not store.receive("ana", event, NOW).stored
    again = Store(tmp_path / "hub")
    receipt = again.receive("ana", event, NOW)
    assert receipt.id == event["id"] and not receipt.stored
    assert len(_stored(again, "ana")) == 1
    assert again.receive("ben", {**event, "student": "ben"}, NOW).stored  # ids are per user


@pytest.mark.parametrize(
    "change",
    [{"v": 2}, {"ts": "yesterday"}, {"attempt": 0}, {"correct": "yes"}, {"student": ""}],
)
def test_an_invalid_event_is_refused_with_400(tmp_path: Path, change: dict) -> None:
    store = Store(tmp_path / "hub")
    with pytest.raises(Refused) as caught:
        store.receive("ana", {**_event(), **change}, NOW)
    assert caught.value.status == 400 and "\n" not in caught.value.reason
    assert not store.path("ana").exists()


def test_a_missing_field_and_a_non_object_are_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "hub")
    event = _event()
    del event["prev"]
    for value in (event, ["not", "an", "object"]):
        with pytest.raises(Refused) as caught:
            store.receive("ana", value, NOW)  # type: ignore[arg-type]
        assert caught.value.status == 400


def test_an_event_in_another_students_name_is_refused_with_403(tmp_path: Path) -> None:
    store = Store(tmp_path / "hub")
    store.receive("ben", _event("ben"), NOW)
    with pytest.raises(Refused) as caught:
        store.receive("cleo", _event("ben"), NOW)
    assert caught.value.status == 403
    assert len(_stored(store, "ben")) == 1
    assert not store.path("cleo").exists()


def test_an_oversized_event_is_refused_with_413(tmp_path: Path) -> None:
    store = Store(tmp_path / "hub")
    event = _event(notebook_note="x" * MAX_LINE_BYTES)
    with pytest.raises(Refused) as caught:
        store.receive("ana", event, NOW)
    assert caught.value.status == 413
    assert not store.path("ana").exists()
    big = {**_event(), "note": "x" * (MAX_LINE_BYTES - 1000)}
    assert store.receive("ana", big, NOW).stored  # just under the limit: kept whole
    assert _stored(store, "ana")[0]["note"] == big["note"]


def test_the_folder_is_0700_and_files_0600(tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    folder.mkdir(mode=0o755)
    store = Store(folder)
    store.receive("Ana María", _event("Ana María"), NOW)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path("Ana María").stat().st_mode) == 0o600
    assert store.path("Ana María").parent == folder


def test_the_user_not_the_student_field_names_the_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "hub")
    store.receive("ana", _event("ana"), NOW)
    for name in ("../ana", "ana/../ben", "ben"):
        with pytest.raises(Refused):
            store.receive("cleo", _event(name), NOW)
    assert sorted(path.name for path in (tmp_path / "hub").iterdir()) == ["ana.jsonl"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hub"]
    lines = (tmp_path / "hub" / "ana.jsonl").read_bytes().splitlines()
    assert [json.loads(line)["hub_user"] for line in lines] == ["ana"]


def test_a_naive_clock_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Store(tmp_path / "hub").receive("ana", _event(), datetime(2026, 12, 4))


def test_the_rate_limit_refills_with_time(tmp_path: Path) -> None:
    limits = Limits(rate=0.5, burst=3)
    for _ in range(3):
        limits.check("ana", 100, NOW)
    with pytest.raises(Refused) as caught:
        limits.check("ana", 100, NOW)
    assert caught.value.status == 429 and caught.value.retry_after == pytest.approx(2.0)
    with pytest.raises(Refused):
        limits.check("ana", 100, NOW + timedelta(seconds=1))  # half a token
    limits.check("ana", 100, NOW + timedelta(seconds=2))
    limits.check("ana", 100, NOW + timedelta(seconds=6))  # two more have come back
    limits.check("ana", 100, NOW + timedelta(seconds=6))
    with pytest.raises(Refused):
        limits.check("ana", 100, NOW + timedelta(seconds=6))


def test_the_daily_quota_resets_at_midnight_utc() -> None:
    limits = Limits(rate=100, burst=100, daily_bytes=1000)
    limits.check("ana", 600, NOW)
    with pytest.raises(Refused) as caught:
        limits.check("ana", 600, NOW)
    midnight = datetime(2026, 12, 5, tzinfo=timezone.utc)
    assert caught.value.status == 429
    assert caught.value.retry_after == pytest.approx((midnight - NOW).total_seconds())
    limits.check("ana", 400, NOW)  # what still fits is taken
    limits.check("ana", 600, midnight)


def test_one_users_flood_leaves_the_others_allowance_alone() -> None:
    limits = Limits(rate=0.5, burst=5, daily_bytes=10_000)
    refused = 0
    for _ in range(1000):
        try:
            limits.check("mallory", 10, NOW)
        except Refused:
            refused += 1
    assert refused == 995
    for _ in range(5):
        limits.check("ana", 2000, NOW)  # the whole burst and the whole quota
    with pytest.raises(Refused):
        limits.check("ana", 1, NOW)


def test_too_much_in_flight_is_503() -> None:
    limits = Limits(in_flight=2)
    with limits.admit("ana", 10, NOW), limits.admit("ben", 10, NOW):
        with pytest.raises(Refused) as caught:
            limits.check("cleo", 10, NOW)
        assert caught.value.status == 503 and caught.value.retry_after
    limits.check("cleo", 10, NOW)  # the places are free again


def test_the_defaults_let_a_busy_lesson_through() -> None:
    limits = Limits()
    for number in range(60):  # a kernel back online resends a lesson's backlog at once
        limits.check("ana", 600, NOW + timedelta(milliseconds=number))
    moment = NOW + timedelta(minutes=5)
    for _ in range(90 * 6):  # then 90 minutes of an answer (3 events) every 10 seconds
        for _ in range(3):
            limits.check("ana", 600, moment)
        moment += timedelta(seconds=10)
