"""One definition of a valid log line, and every reader applying it alike.

The student side (eventlog's reader, and so replay and ``verify``), the teacher's report on
DuckDB and the xAPI export must skip exactly the same lines, for the same reason. A file of
every kind of bad field is read by each of them, and Hypothesis writes many more.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guessfirst.log import eventlog, logline, read
from guessfirst.teacher import xapi
from guessfirst.teacher.report import _schema

ROOT = Path(__file__).parents[1]
TS = "2026-11-27T10:15:12.345Z"
HUGE = "9" * 5000  # more digits than Python makes an int of
CHAIN = object()  # a line's prev, set when the log is written: its chain is then intact


class Raw(str):
    """JSON text written into a line as it is: a huge number, or anything json.dumps
    would not write."""


Pairs = list[tuple[str, object]]

#: A valid event of each type, as (name, value) pairs in the writer's order.
VALID: dict[str, Pairs] = {
    "shown": [("kind", "numeric")],
    "attempt": [
        ("attempt", 1),
        ("response", "3/4"),
        ("correct", False),
        ("confidence", 2 / 3),
        ("latency_ms", 12345),
        ("misconception", None),
        ("normalized", "0.75"),
    ],
    "reveal": [("attempt", 0), ("by", "key"), ("fade", 2)],
    "hint": [("n", 1), ("attempt", 0)],
    "reflection": [("text", "I multiplied"), ("attempt", 1)],
    "corrected": [
        ("attempt", 2),
        ("errors", 1),
        ("first_error", "an-id"),
        ("first_confidence", None),
    ],
    "step": [("n", 1), ("text", "x = 2"), ("attempt", 1)],
    "error": [("detail", "ValueError: no")],
    "later-kind": [("drawing", {"strokes": [3]})],  # a type this reader does not know
}


def event(event_type: str = "attempt", **changes: object) -> Pairs:
    """A valid line's pairs, with ``changes`` (a value of ``...`` removes the field)."""
    pairs: Pairs = [
        ("v", 1),
        ("id", str(uuid.uuid4())),
        ("ts", TS),
        ("type", event_type),
        ("student", "ana"),
        ("session", "s1"),
        ("notebook", "fractions.ipynb"),
        ("question", "q1"),
        ("qversion", "0123456789ab"),
        *VALID[event_type],
        ("prev", CHAIN),
    ]
    names = [name for name, _ in pairs]
    for name, value in changes.items():
        if name in names:
            pairs[names.index(name)] = (name, value)
        else:
            pairs.append((name, value))
    return [(name, value) for name, value in pairs if value is not ...]


def render(pairs: Pairs) -> str:
    return "{" + ",".join(f"{json.dumps(k)}:{_json(v)}" for k, v in pairs) + "}"


def _json(value: object) -> str:
    return value if isinstance(value, Raw) else json.dumps(value, ensure_ascii=False)


def write_log(path: Path, lines: Iterable[Pairs | str]) -> Path:
    """``lines`` as a log whose hash chain is intact where ``prev`` is CHAIN; a line given
    as text is written as it is."""
    written: list[bytes] = []
    for line in lines:
        if not isinstance(line, str):
            prev = eventlog.chain_hash(written[-1]) if written else ""
            line = render([(k, prev if v is CHAIN else v) for k, v in line])
        written.append(line.encode("utf-8", "surrogatepass"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(line + b"\n" for line in written))
    return path


def _bad(name: str, event_type: str = "attempt") -> tuple[str, str]:
    """The fault of a line of ``event_type`` whose field ``name`` breaks its rule."""
    own = (*logline.CORE, *logline.COMMON, *logline.BY_TYPE[event_type])
    return logline.BAD_FIELD, logline.detail(next(f for f in own if f.name == name))


def _missing(*names: str) -> tuple[str, str]:
    return logline.MISSING_FIELD, logline.missing_detail(list(names))


#: Lines of every kind of bad field, each with the fault it must be skipped for (None: it
#: counts). Types wrong for each field of every event, numbers out of bounds, null where
#: null is not allowed, and what is allowed.
CASES: list[tuple[Pairs | str, tuple[str, str] | None]] = [
    (event(), None),
    (event(correct=None, reason="timeout"), None),  # no verdict: still an attempt
    (event(notebook=None), None),
    (event(confidence=None, normalized=None, misconception="speed"), None),
    (event(confidence=0), None),
    (event(confidence=1), None),
    (event(review=True, truncated=True, mode="quiz"), None),
    (event(extra={"a": [1, None]}, later=Raw(HUGE)), None),  # unknown: ignored
    (event(attempt=logline.COUNT_MAX), None),
    (event("later-kind"), None),
    (event("later-kind", attempt="anything", n=[1]), None),  # not its fields
    (event("shown", attempt="not a shown's field"), None),
    *((event(t), None) for t in ("shown", "reveal", "hint", "reflection", "corrected")),
    *((event(t), None) for t in ("step", "error")),
    (event(ts="2028-02-29T00:00:00.000Z"), None),
    (event(response=Raw('"half \\ud83d emoji"'), student=Raw('"\\udc00"')), None),  # a browser's
    (event(response='{"a":1},"\\"}', normalized="\x00\n\u2028"), None),
    # the version and the required fields
    (event(v=2), (logline.UNKNOWN_VERSION, "")),
    (event(v="1"), (logline.UNKNOWN_VERSION, "")),
    (event(v=1.0), (logline.UNKNOWN_VERSION, "")),
    (event(v=True), (logline.UNKNOWN_VERSION, "")),
    (event(v=Raw(HUGE)), (logline.UNKNOWN_VERSION, "")),
    (event(v=...), _missing("v")),
    (event(question=..., student=...), _missing("question", "student")),
    (event(notebook=...), _missing("notebook")),
    (event(correct=...), _missing("correct")),
    (event(attempt=..., correct=..., prev=...), _missing("attempt", "correct", "prev")),
    (event("hint", n=...), None),  # optional for a hint
    # each field of every event, wrongly typed
    (event(id=""), _bad("id")),
    (event(id=7), _bad("id")),
    (event(ts="yesterday"), _bad("ts")),
    (event(ts="2026-11-27T10:15:12.345+01:00"), _bad("ts")),
    (event(ts="2026-11-27T10:15:12Z"), _bad("ts")),
    (event(ts="2026-02-29T10:15:12.345Z"), _bad("ts")),
    (event(ts="2026-04-31T10:15:12.345Z"), _bad("ts")),
    (event(ts="2026-11-27T24:15:12.345Z"), _bad("ts")),
    (event(ts=TS + "\n"), _bad("ts")),
    (event(ts="２026-11-27T10:15:12.345Z"), _bad("ts")),  # a digit, but not 0-9
    (event(ts=1_700_000_000), _bad("ts")),
    (event(type=["attempt"]), _bad("type")),
    (event(type=""), _bad("type")),
    (event(student=[1, 2]), _bad("student")),
    (event(student=""), _bad("student")),
    (event(student=None), _bad("student")),
    (event(student=7), _bad("student")),
    (event(session={"id": 1}), _bad("session")),
    (event(notebook=1), _bad("notebook")),
    (event(notebook=False), _bad("notebook")),
    (event(question={"a": 1}), _bad("question")),
    (event(question=None), _bad("question")),
    (event(qversion=12), _bad("qversion")),
    (event(prev=None), _bad("prev")),
    (event(review="true"), _bad("review")),
    (event(review=1), _bad("review")),
    (event(review=None), _bad("review")),
    (event(truncated=0), _bad("truncated")),
    # the fields the metrics read, and the others an event type defines
    (event(attempt=0), _bad("attempt")),
    (event(attempt=-1), _bad("attempt")),
    (event(attempt=2**31), _bad("attempt")),
    (event(attempt=2**64), _bad("attempt")),
    (event(attempt=Raw(HUGE)), _bad("attempt")),
    (event(attempt=Raw("-" + HUGE)), _bad("attempt")),
    (event(attempt=1.0), _bad("attempt")),
    (event(attempt=Raw("1e0")), _bad("attempt")),
    (event(attempt="1"), _bad("attempt")),
    (event(attempt=True), _bad("attempt")),
    (event(attempt=None), _bad("attempt")),
    (event(correct="yes"), _bad("correct")),
    (event(correct=1), _bad("correct")),
    (event(correct=[True]), _bad("correct")),
    (event(response=None), _bad("response")),
    (event(response=3), _bad("response")),
    (event(confidence=1.5), _bad("confidence")),
    (event(confidence=-0.1), _bad("confidence")),
    (event(confidence=1.0000000000000002), _bad("confidence")),
    (event(confidence=Raw("1e400")), _bad("confidence")),
    (event(confidence=Raw(HUGE)), _bad("confidence")),
    (event(confidence="0.5"), _bad("confidence")),
    (event(confidence=True), _bad("confidence")),
    (event(latency_ms=-1), _bad("latency_ms")),
    (event(latency_ms=2**53), _bad("latency_ms")),
    (event(latency_ms=1.5), _bad("latency_ms")),
    (event(latency_ms=None), None),  # not known
    (event(misconception=1), _bad("misconception")),
    (event(normalized=[1]), _bad("normalized")),
    (event(reason=None), _bad("reason")),
    (event(mode=True), _bad("mode")),
    (event("shown", kind=1), _bad("kind", "shown")),
    (event("reveal", attempt=-1), _bad("attempt", "reveal")),
    (event("reveal", fade=0), _bad("fade", "reveal")),
    (event("reveal", by=None), _bad("by", "reveal")),
    (event("hint", n=0), _bad("n", "hint")),
    (event("hint", n="2"), _bad("n", "hint")),
    (event("reflection", text=None), _bad("text", "reflection")),
    (event("corrected", errors=0), _bad("errors", "corrected")),
    (event("corrected", first_confidence=2), _bad("first_confidence", "corrected")),
    (event("corrected", first_error=5), _bad("first_error", "corrected")),
    (event("step", n=Raw(HUGE)), _bad("n", "step")),
    (event("error", detail={"a": 1}), _bad("detail", "error")),
    # the first fault found is the one named
    (event(student=[1], attempt=0), _bad("student")),
    (event(attempt=0, confidence=2), _bad("attempt")),
    (event(review=1, response=3), _bad("review")),
    # a name given twice: readers disagree on which copy counts
    ([*event(), ("correct", True)], (logline.BAD_FIELD, logline.repeated_detail("correct"))),
    ([*event(), ("pad", 1), ("pad", 2)], (logline.BAD_FIELD, logline.repeated_detail("pad"))),
    ([("v", 2), *event()], (logline.BAD_FIELD, logline.repeated_detail("v"))),
    # lines that are no event at all
    ("[1, 2]", (logline.NOT_JSON, "valid JSON, but not an object")),
    ("not json", (logline.NOT_JSON, "")),
]


def _faults(problems: Iterable[tuple[int, str, str]]) -> dict[int, tuple[str, str]]:
    """Line -> (kind, detail) of each line's own fault; a detail only where every reader
    words it alike (a version is shown as each language writes it)."""
    compared = (logline.BAD_FIELD, logline.MISSING_FIELD)
    return {
        line: (kind, detail if kind in compared else "")
        for line, kind, detail in problems
        if kind not in ("edited-or-reordered", "removed")
    }


def python_faults(path: Path) -> dict[int, tuple[str, str]]:
    return _faults((p.line, p.kind, p.detail) for p in eventlog.verify(path))


def duckdb_faults(path: Path) -> dict[int, tuple[str, str]]:
    from guessfirst.teacher import report

    logs = report.read(path)
    try:
        rows = logs.problems[["line", "kind", "detail"]].itertuples(index=False)
        return _faults((int(line), kind, detail) for line, kind, detail in rows)
    finally:
        logs.close()


def xapi_ids(events: Iterable[dict]) -> set[str]:
    made = xapi.statements(events, activity_base="https://s.example/gf", home_page="https://s")
    return {statement["id"] for statement in made}


@pytest.fixture
def bad_fields(tmp_path: Path) -> Path:
    return write_log(tmp_path / "logs" / "ana.jsonl", [line for line, _ in CASES])


def test_the_definition_names_each_fault(bad_fields: Path):
    expected = {n: fault for n, (_, fault) in enumerate(CASES, start=1) if fault is not None}
    got = python_faults(bad_fields)
    assert {n: kind for n, (kind, _) in got.items()} == {n: k for n, (k, _) in expected.items()}
    details = {n: d for n, (k, d) in expected.items() if k in (logline.BAD_FIELD, "missing-field")}
    assert {n: got[n][1] for n in details} == details


def test_every_reader_skips_the_same_lines_for_the_same_reason(bad_fields: Path):
    python = python_faults(bad_fields)
    assert duckdb_faults(bad_fields) == python
    counted = eventlog.read_events(bad_fields).events
    valid = [n for n, (_, fault) in enumerate(CASES, start=1) if fault is None]
    assert len(counted) == len(valid) == len(CASES) - len(python)
    # The xAPI export skips them too, whether handed what the reader counted or every line.
    everything = []
    for line in bad_fields.read_bytes().split(b"\n"):
        try:
            everything.append(read._decode(line.decode("utf-8")))
        except ValueError:
            continue
    expected = xapi_ids(event for event in counted if event["type"] in xapi._VERBS)
    assert xapi_ids(counted) == xapi_ids(everything) == expected
    assert len(expected) == sum(1 for event in counted if event["type"] in xapi._VERBS)


def test_a_huge_integer_is_a_named_field_not_a_line_python_cannot_read(tmp_path: Path):
    path = write_log(tmp_path / "ana.jsonl", [event(), event(attempt=Raw(HUGE))])
    expected = {2: _bad("attempt")}
    assert python_faults(path) == duckdb_faults(path) == expected
    assert len(eventlog.read_events(path).events) == 1


def test_names_and_lists_where_ids_belong_are_kept_out_of_the_report(tmp_path: Path):
    from guessfirst.teacher import report

    path = write_log(
        tmp_path / "ana.jsonl", [event(student=[1, 2]), event(question={"a": 1}), event()]
    )
    logs = report.read(path)
    assert len(logs.events) == 1
    assert logs.problems[["line", "kind"]].values.tolist() == [[1, "bad-field"], [2, "bad-field"]]
    assert 'field "student" should be a non-empty string' in logs.problems["detail"][0]


def test_an_attempt_without_a_verdict_counts_everywhere(tmp_path: Path):
    attempt = event(correct=None, reason="timeout", confidence=None)
    path = write_log(tmp_path / "ana.jsonl", [attempt])
    assert python_faults(path) == duckdb_faults(path) == {}
    (counted,) = eventlog.read_events(path).events
    (statement,) = xapi.statements([counted], activity_base="https://s.example", home_page="h")
    assert "success" not in statement["result"]
    assert statement["result"]["extensions"][xapi.IRI_BASE + "/extensions/reason"] == "timeout"


def test_a_repeated_name_is_marked_only_at_the_top_of_a_line():
    value = read._decode('{"a": {"b": 1, "b": 2}, "c": [{"d": 1, "d": 1}]}')
    assert not isinstance(value, logline.Repeated)
    marked = read._decode('{"a": 1, "b": 2, "b": 3, "a": 4}')
    assert isinstance(marked, logline.Repeated) and marked.repeated == "b"


# -- one definition, in each of its forms -------------------------------------------------


def test_the_contract_fields_are_the_writers_required_fields():
    assert {field.name for field in logline.CORE} == eventlog.REQUIRED_FIELDS
    assert all(field.required for field in logline.CORE)


def test_a_field_has_one_sql_type_whatever_its_event_type():
    kinds: dict[str, set[str]] = {}
    for field in logline.fields():
        kinds.setdefault(field.name, set()).add(_schema._SQL_TYPES[field.rule.type])
    assert all(len(found) == 1 for found in kinds.values()), kinds
    # The report's own columns read each field with the type its rule gives.
    for name, sql in _schema._FIELDS.items():
        if name != "v":  # read as JSON text, so that 1.0 and "1" are told from 1
            assert {sql} == kinds[name], name


def test_the_time_pattern_knows_the_calendar():
    pattern = re.compile(logline.TIME_PATTERN)
    for day, real in [
        ("2024-02-29", True),
        ("2000-02-29", True),
        ("1900-02-29", False),
        ("2023-02-29", False),
        ("2026-06-31", False),
        ("2026-12-31", True),
        ("2026-00-10", False),
    ]:
        assert (pattern.fullmatch(f"{day}T10:15:12.345Z") is not None) is real, day


def test_docs_state_the_rules_of_the_definition():
    text = (ROOT / "docs" / "EVENTS.md").read_text(encoding="utf-8")
    section = text.split("\n## Valid lines\n", 1)[1]
    assert logline.rules_table() in section
    for kind in (logline.BAD_FIELD, logline.MISSING_FIELD, logline.UNKNOWN_VERSION):
        assert f"`{kind}`" in section


# -- many more lines, written by Hypothesis -------------------------------------------------

_WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**53, -1, 0.5, 1.5, 1.0, -0.0]),
    st.sampled_from([Raw(HUGE), Raw("-" + HUGE), Raw("1e400"), Raw("1E2"), Raw("0.0")]),
    st.text(max_size=5),
    st.sampled_from(["", TS, "2026-02-30T10:15:12.345Z", "true", "1"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
_NAMES = [*logline.names(), "extra"]


@st.composite
def _lines(draw: st.DrawFn) -> Pairs:
    """A valid event of a random type, then up to three changes: a field given a random
    value, a field removed, or a name given twice."""
    pairs = event(draw(st.sampled_from(sorted(VALID))))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(_NAMES))
        change = draw(st.sampled_from(["set", "set", "remove", "repeat"]))
        kept = [(k, v) for k, v in pairs if k != name]
        if change == "remove":
            pairs = kept
        elif change == "repeat":
            pairs = [*pairs, (name, draw(_WRONG))]
        else:
            spot = draw(st.integers(0, len(kept)))
            pairs = [*kept[:spot], (name, draw(_WRONG)), *kept[spot:]]
    return pairs


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_lines(), min_size=1, max_size=25))
def test_python_and_duckdb_agree_on_every_line(tmp_path_factory, lines: list[Pairs]):
    path = write_log(tmp_path_factory.mktemp("random") / "ana.jsonl", lines)
    assert duckdb_faults(path) == python_faults(path)
