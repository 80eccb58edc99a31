"""What a row is: the event fields, what a valid line is in SQL, and the views over them.

Every engine reads a line into the same columns and judges it by the same SQL, generated
from :mod:`guessfirst.log.logline`; the events, files, problems and the chain's faults are
views written once, in DuckDB's dialect, that Spark runs through :mod:`._dialect`. The
module is long because most of it is that SQL: data, read by both readers.
"""

from __future__ import annotations

import json

from ...log import logline

#: Each event field as DuckDB reads it. ``v`` stays JSON text so that ``1.0``, ``"1"`` or
#: ``true`` are told apart from the integer ``1``, as the student side does.
_FIELDS: dict[str, str] = {
    "v": "JSON",
    "id": "VARCHAR",
    "ts": "VARCHAR",
    "type": "VARCHAR",
    "student": "VARCHAR",
    "session": "VARCHAR",
    "notebook": "VARCHAR",
    "question": "VARCHAR",
    "qversion": "VARCHAR",
    "prev": "VARCHAR",
    "kind": "VARCHAR",
    "attempt": "BIGINT",
    "response": "VARCHAR",
    "correct": "BOOLEAN",
    "confidence": "DOUBLE",
    "latency_ms": "BIGINT",
    "misconception": "VARCHAR",
    "normalized": "VARCHAR",
    "n": "BIGINT",
    "text": "VARCHAR",
    "errors": "BIGINT",
    "first_error": "VARCHAR",
    "first_confidence": "DOUBLE",
    "truncated": "BOOLEAN",
    "review": "BOOLEAN",
    "mode": "VARCHAR",
    "variant": "VARCHAR",
}
#: Columns with few distinct values (a course has 1,000 students, not a million) come back
#: as pandas categoricals: a string object per row would double the memory of a report.
_LABELS = (
    "type",
    "student",
    "session",
    "notebook",
    "question",
    "qversion",
    "kind",
    "misconception",
    "mode",
    "variant",
)
_DTYPES: dict[str, str] = {
    "VARCHAR": "string",
    "BIGINT": "Int64",
    "BOOLEAN": "boolean",
    "DOUBLE": "Float64",
}


# -- what a valid line is, in SQL ------------------------------------------------------
#
# Generated from logline's definition, which the student side applies in Python: every
# reader counts the same lines. The SQL reads three columns an engine gives each line:
# ``e``, its fields typed as _READ says; ``t``, the JSON type of each field of _NAMES in
# turn, as DuckDB's json_type names it (null when the line lacks the field); and
# ``repeated``, the first name the line gives twice. The Spark reader runs the same text
# through sqlglot.

_SQL_TYPES = {
    "string": "VARCHAR",
    "time": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
}
#: What a line is read into: the report's columns, then the fields only the judge reads.
_READ: dict[str, str] = _FIELDS | {
    field.name: _SQL_TYPES[field.rule.type]
    for field in logline.fields()
    if field.name not in _FIELDS
}
_STRUCT = json.dumps(_READ)
#: The JSON types a rule takes, as json_type names them: a float is never a count.
_JSON_TYPES = {
    "string": "'VARCHAR'",
    "time": "'VARCHAR'",
    "integer": "'BIGINT', 'UBIGINT'",
    "number": "'BIGINT', 'UBIGINT', 'DOUBLE'",
    "boolean": "'BOOLEAN'",
}
_NAMES = logline.names()
_PATHS = "[" + ", ".join(f"'$.{name}'" for name in _NAMES) + "]"
#: A line's ``repeated`` from its names, ``keys``: none when it has no name but those of
#: _NAMES and each once (the cheap test), else the first name given a second time.
_REPEATED = (
    "CASE WHEN len(keys) = list_aggregate(t, 'count') THEN NULL "
    "ELSE list_filter(keys, lambda key, i: list_position(keys, key) < i)[1] END"
)
#: The fields of every event but ``v`` (whose fault is its own), then those of any event.
_CHECKED = [field for field in (*logline.CORE, *logline.COMMON) if field.name != "v"]


def _text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _kind(name: str) -> str:
    """SQL: the JSON type of the line's field ``name``; null when the line lacks it."""
    return f"t[{_NAMES.index(name) + 1}]"


def _kept(field: logline.Field) -> str:
    """SQL, never null: the line lacks ``field``, or its value keeps the field's rule."""
    rule, kind, value = field.rule, _kind(field.name), f"e.{field.name}"
    tests = [f"{kind} IN ({_JSON_TYPES[rule.type]})"]
    if rule.non_empty:
        tests.append(f"{value} <> ''")
    if rule.low is not None:
        tests.append(f"{value} BETWEEN {rule.low} AND {rule.high}")
    if rule.type == "time":
        tests += [
            f"length({value}) = {len(logline.TIME_EXAMPLE)}",
            f"regexp_matches({value}, '^{logline.TIME_PATTERN}$')",
        ]
    test = " AND ".join(tests)
    if rule.null:
        test = f"{kind} = 'NULL' OR {test}"
    return f"({kind} IS NULL OR coalesce({test}, false))"


def _missing() -> str:
    """SQL: the fields the line must carry and lacks, by name, ', '-joined ('' for none)."""
    needed: dict[str, list[str]] = {field.name: [] for field in logline.CORE}
    for event_type, own in logline.BY_TYPE.items():
        for field in own:
            if field.required:
                needed.setdefault(field.name, []).append(event_type)
    names = []
    for name in sorted(needed):
        lacks = f"{_kind(name)} IS NULL"
        if needed[name]:
            lacks += f" AND e.type IN ({', '.join(map(_text, needed[name]))})"
        names.append(f"CASE WHEN {lacks} THEN '{name}' END")
    return f"concat_ws(', ', {', '.join(names)})"


def _bad(field: logline.Field, event_type: str | None = None) -> str:
    """A WHEN clause: the line's ``field`` breaks its rule (on lines of ``event_type``)."""
    where = "" if event_type is None else f"e.type = {_text(event_type)} AND "
    fault = f"[{_text(logline.BAD_FIELD)}, {_text(logline.detail(field))}]"
    return f"WHEN {where}NOT {_kept(field)} THEN {fault}"


def _sound() -> str:
    """SQL: a line's fields are all there and all keep their rules (the cheap test)."""
    own_types = " ".join(
        f"WHEN {_text(event_type)} THEN "
        + " AND ".join(
            [f"{_kind(field.name)} IS NOT NULL" for field in own if field.required]
            + [_kept(field) for field in own]
        )
        for event_type, own in logline.BY_TYPE.items()
    )
    return " AND ".join(
        [
            "repeated IS NULL",
            *(f"{_kind(field.name)} IS NOT NULL" for field in logline.CORE),
            *map(_kept, _CHECKED),
            f"CASE e.type {own_types} ELSE true END",
        ]
    )


def _field_fault() -> str:
    """SQL: a line's first missing or bad field as [kind, detail], in logline.fault's order.

    For a line whose version is known to be right: the engines look at that themselves.
    """
    missing = _missing()
    missing_fault = (
        f"[{_text(logline.MISSING_FIELD)}, {_text(logline.missing_detail([]))} || {missing}]"
    )
    whens = [f"WHEN {missing} <> '' THEN {missing_fault}", *map(_bad, _CHECKED)]
    whens += [
        _bad(field, event_type) for event_type, own in logline.BY_TYPE.items() for field in own
    ]
    return "CASE " + " ".join(whens) + " END"


def _counted() -> str:
    """SQL: a counted line's fields as the report reads them, ``e`` of the events view.

    A field the line's type does not define is null, as any unknown field: engines would
    read it differently (DuckDB makes 5 of "5", Spark nothing), and no metric reads it. A
    field of _FIELDS that logline does not know yet (``variant``) is read on every line.
    """
    everywhere = {field.name for field in (*logline.CORE, *logline.COMMON)}
    owners: dict[str, list[str]] = {}
    for event_type, own in logline.BY_TYPE.items():
        for field in own:
            owners.setdefault(field.name, []).append(event_type)
    values = [
        f"'{name}': e.{name}"
        if name in everywhere or name not in owners
        else f"'{name}': CASE WHEN e.type IN ({', '.join(map(_text, owners[name]))}) "
        f"THEN e.{name} END"
        for name in _FIELDS
    ]
    return "{" + ", ".join(values) + "}"


_SOUND = _sound()
_FIELD_FAULT = _field_fault()
_COUNTED = _counted()
_BEFORE, _AFTER = logline.repeated_detail("{}").split("{}")
#: SQL: the fault of a line that gives ``repeated`` twice.
_REPEATED_FAULT = f"[{_text(logline.BAD_FIELD)}, {_text(_BEFORE)} || repeated || {_text(_AFTER)}]"


# Mirrors eventlog.verify's reading of a break, plus the commonest innocent cause: a file
# whose line ends were turned into CRLF changes every line's bytes.
_CHAIN = """
WITH broken AS (
    SELECT b.file_id, b.line, b.e.prev AS prev, p.cr AS after_cr
    FROM parsed b LEFT JOIN parsed p ON p.file_id = b.file_id AND p.line = b.line - 1
    WHERE b.broken
), moved AS (
    SELECT b.file_id, b.prev, max(p.line) AS earlier
    FROM broken b JOIN parsed p ON p.file_id = b.file_id AND p.h = b.prev
    GROUP BY ALL
)
SELECT file_id, line, CASE
    WHEN prev = '' THEN ['edited-or-reordered', 'this line says it is the first, but it is not']
    WHEN earlier IS NOT NULL THEN ['edited-or-reordered',
        'this line was written right after line ' || earlier || ': lines were moved']
    WHEN line = 1 THEN ['removed', 'the lines before this one are missing']
    WHEN after_cr THEN ['edited-or-reordered', 'line ' || (line - 1) || ' ends in a carriage '
        || 'return: its line ends were changed (to CRLF) after it was written']
    ELSE ['edited-or-reordered',
        'line ' || (line - 1) || ' was edited, or lines between it and this one were removed']
END AS fault
FROM broken LEFT JOIN moved USING (file_id, prev)
"""


#: The events with every local line the hub service did not confirm left out.
_CONFIRMED = """
SELECT * FROM events_all a
WHERE NOT EXISTS (SELECT 1 FROM unconfirmed u WHERE u.file_id = a.file AND u.line = a.line)
"""


def event_views(include_unconfirmed: bool, *, withheld: bool) -> list[tuple[str, str]]:
    """The views every engine makes, in order: ``events_all`` (every counted event),
    ``events_confirmed`` (without the lines the hub service did not confirm) and
    ``events``, one of them as the logs were read. Without such lines, all three are one."""
    if not withheld:
        return [
            ("events", _EVENTS),
            ("events_all", "SELECT * FROM events"),
            ("events_confirmed", "SELECT * FROM events"),
        ]
    chosen = "events_all" if include_unconfirmed else "events_confirmed"
    return [
        ("events_all", _EVENTS),
        ("events_confirmed", _CONFIRMED),
        ("events", f"SELECT * FROM {chosen}"),  # noqa: S608 -- a name of ours
    ]


# The counted events, with the columns (and, for the report, the types) of the events
# frame: the metrics below run on either. ``file`` is the file's number, which orders as
# the frame's ordered categorical does; pandas keeps nanoseconds, which reach from 1677 to
# 2262 only. Like the chain's faults, the problems and the files, it is written once for
# every engine (see :mod:`._dialect`), over the ``parsed`` lines each engine judges.
_EVENTS = f"""
SELECT file_id AS file, line,
    {", ".join(f"e.{name} AS {name}" for name in _FIELDS if name != "ts")},
    CASE WHEN try_cast(e.ts AS TIMESTAMPTZ) BETWEEN '1678-01-01'::TIMESTAMPTZ
         AND '2261-12-31'::TIMESTAMPTZ THEN try_cast(e.ts AS TIMESTAMPTZ) END AS ts
FROM parsed WHERE counts AND NOT duplicate
"""  # noqa: S608


_PROBLEMS = """
SELECT f.path AS file, line, fault[1] AS kind, fault[2] AS detail FROM (
    SELECT file_id, line, fault, 0 AS after FROM parsed WHERE fault IS NOT NULL
    UNION ALL SELECT file_id, line, fault, 1 FROM chain
) JOIN files f USING (file_id)
ORDER BY file_id, line, after
"""

# A file's students are found apart, distinct first: a DISTINCT inside string_agg sorts a
# million lines, where grouping them by file and student is one cheap pass.
_FILES = """
WITH counted AS (
    SELECT file_id, count(*) AS lines,
        count(*) FILTER (WHERE counts AND NOT duplicate) AS events,
        count(*) FILTER (WHERE duplicate) AS duplicates,
        count(*) FILTER (WHERE fault IS NOT NULL) AS bad
    FROM parsed GROUP BY file_id
), people AS (
    SELECT file_id, string_agg(student, ', ' ORDER BY student) AS students
    FROM (SELECT file_id, e.student AS student FROM parsed GROUP BY file_id, e.student)
    GROUP BY file_id
), breaks AS (
    SELECT file_id, count(*) AS breaks FROM chain GROUP BY file_id
)
SELECT path AS file, coalesce(students, '') AS students, coalesce(lines, 0) AS lines,
    coalesce(events, 0) AS events, coalesce(duplicates, 0) AS duplicates,
    coalesce(bad, 0) + coalesce(breaks, 0) AS problems,
    coalesce(bad, 0) + coalesce(breaks, 0) = 0 AS intact
FROM files LEFT JOIN counted USING (file_id) LEFT JOIN people USING (file_id)
    LEFT JOIN breaks USING (file_id)
ORDER BY file_id
"""
