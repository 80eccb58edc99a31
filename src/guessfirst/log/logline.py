"""What a line of the event log must hold to count: one definition, kept as data.

Every reader applies this one definition: the student side (its replay, ``verify`` and the
xAPI export) through :func:`fault`, the teacher's report on DuckDB and on Spark through SQL
generated from :data:`CORE`, :data:`COMMON` and :data:`BY_TYPE`, and docs/EVENTS.md through
:func:`rules_table`. Written once, the rules cannot drift apart between readers: a list
where a student's id belongs, or a count of 5,000 digits, is the same named fault
(``bad-field``) in each of them, never a crash in one and a counted event in another.

The student side imports this module, so it uses the standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

#: The format version a line must carry.
VERSION = 1
#: The largest count a line may hold (an attempt's number, a hint's): a 32-bit integer.
COUNT_MAX = 2**31 - 1
#: The largest time in milliseconds: what JavaScript and a double still count exactly.
MILLIS_MAX = 2**53 - 1
#: A ``ts`` as the contract writes it.
TIME_EXAMPLE = "2026-11-27T10:15:12.345Z"
#: ``ts`` in full, on a day of the calendar: February 29th in leap years only. One regular
#: expression that Python, DuckDB (RE2) and Spark (Java) read alike.
TIME_PATTERN = (
    "(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
    "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][.][0-9]{3}Z"
)

# The kinds of fault, as the teacher's report lists them.
NOT_JSON = "not-json"
UNKNOWN_VERSION = "unknown-version"
MISSING_FIELD = "missing-field"
BAD_FIELD = "bad-field"

#: Integers longer than this are read as floats by :func:`parse_int`: no Python setting
#: refuses to make an int this long.
INT_DIGITS = 640


@dataclass(frozen=True)
class Rule:
    """What a field's value must be: one JSON type, with bounds, and null or not."""

    type: str  # "string", "integer", "number", "boolean" or "time"
    low: int | None = None
    high: int | None = None
    non_empty: bool = False
    null: bool = False  # null is a value the field may take

    def describe(self) -> str:
        """The rule in words, as a problem's detail and the docs give it."""
        if self.type == "string":
            what = "a non-empty string" if self.non_empty else "a string"
        elif self.type == "integer" and self.low == self.high:
            what = f"the integer {self.low}"
        elif self.type == "integer":
            what = f"an integer from {self.low} to {self.high}"
        elif self.type == "number":
            what = f"a number from {self.low} to {self.high}"
        elif self.type == "boolean":
            return "true, false or null" if self.null else "true or false"
        else:
            what = f"a UTC time like {TIME_EXAMPLE}"
        if not self.null:
            return what
        return f"{what}, or null" if " from " in what else f"{what} or null"


@dataclass(frozen=True)
class Field:
    """One field a line may carry, and whether a line of its type must carry it."""

    name: str
    rule: Rule
    required: bool = False


_NAME = Rule("string", non_empty=True)
_TEXT = Rule("string")
_TEXT_OR_NULL = Rule("string", null=True)
_FLAG = Rule("boolean")
_ORDINAL = Rule("integer", 1, COUNT_MAX)  # a number counted from 1: attempt 1, hint 2
_BEFORE = Rule("integer", 0, COUNT_MAX)  # how many came before: 0 when none did
_CONFIDENCE = Rule("number", 0, 1, null=True)

#: The fields of every event, in the contract's order. ``v`` has a fault of its own
#: (``unknown-version``): a line of another version may be valid in a format not known here.
CORE: tuple[Field, ...] = (
    Field("v", Rule("integer", VERSION, VERSION), required=True),
    Field("id", _NAME, required=True),
    Field("ts", Rule("time"), required=True),
    Field("type", _NAME, required=True),
    Field("student", _NAME, required=True),
    Field("session", _NAME, required=True),
    Field("notebook", _TEXT_OR_NULL, required=True),
    Field("question", _NAME, required=True),
    Field("qversion", _TEXT, required=True),
    Field("prev", _TEXT, required=True),
)
#: Optional fields any event may carry.
COMMON: tuple[Field, ...] = (Field("review", _FLAG), Field("truncated", _FLAG))
#: The fields of each event type, checked in this order after CORE and COMMON. An attempt
#: must say which attempt it is and whether it was right (null: it could not be judged).
BY_TYPE: dict[str, tuple[Field, ...]] = {
    "shown": (Field("kind", _TEXT), Field("variant", _NAME)),
    "attempt": (
        Field("attempt", _ORDINAL, required=True),
        Field("correct", Rule("boolean", null=True), required=True),
        Field("response", _TEXT),
        Field("confidence", _CONFIDENCE),
        Field("latency_ms", Rule("integer", 0, MILLIS_MAX, null=True)),
        Field("misconception", _TEXT_OR_NULL),
        Field("normalized", _TEXT_OR_NULL),
        Field("reason", _TEXT),
        Field("mode", _TEXT),
        Field("variant", _NAME),
    ),
    "reveal": (
        Field("attempt", _BEFORE),
        Field("by", _TEXT),
        Field("fade", _ORDINAL),
    ),
    "hint": (Field("n", _ORDINAL), Field("attempt", _BEFORE)),
    "reflection": (Field("text", _TEXT), Field("attempt", _BEFORE)),
    "corrected": (
        Field("attempt", _ORDINAL),
        Field("errors", _ORDINAL),
        Field("first_error", _TEXT_OR_NULL),
        Field("first_confidence", _CONFIDENCE),
    ),
    "step": (Field("n", _ORDINAL), Field("text", _TEXT), Field("attempt", _BEFORE)),
    "error": (Field("detail", _TEXT),),
}


def fields() -> Iterator[Field]:
    """Every field definition, core first, then common, then each type's in turn."""
    yield from CORE
    yield from COMMON
    for own in BY_TYPE.values():
        yield from own


def names() -> list[str]:
    """Every field name the definition knows, each once, in the order of :func:`fields`."""
    return list(dict.fromkeys(field.name for field in fields()))


def detail(field: Field) -> str:
    """A bad-field problem's detail: the field and what it should be."""
    return f'field "{field.name}" should be {field.rule.describe()}'


def repeated_detail(name: str) -> str:
    """A bad-field problem's detail for a field given more than once on a line."""
    return f'field "{name}" appears more than once'


def missing_detail(missing: list[str]) -> str:
    """A missing-field problem's detail: every field missing, in alphabetical order."""
    return "missing field(s): " + ", ".join(sorted(missing))


def required(event_type: object) -> list[str]:
    """The fields a line of ``event_type`` must carry, in alphabetical order."""
    own = BY_TYPE.get(event_type, ()) if isinstance(event_type, str) else ()
    return sorted({field.name for field in (*CORE, *own) if field.required})


# -- the check, in Python --------------------------------------------------------------


class Repeated(dict[str, object]):
    """A JSON object that gave a name twice; it holds the last value given, as Python's
    JSON reader does, and ``repeated`` names the first name given again."""

    repeated: str


def object_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """The ``object_pairs_hook`` of a reader: readers disagree on which copy of a repeated
    name wins (DuckDB keeps the first, Python and Spark the last), so a line must not
    repeat one, and this marks the object that does."""
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    marked = Repeated(value)
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            marked.repeated = name
            break
        seen.add(name)
    return marked


def parse_int(digits: str) -> int | float:
    """The ``parse_int`` of a reader of a line with an integer too long for Python to make
    (over sys.get_int_max_str_digits()): it is a float, infinite beyond 308 digits, as
    DuckDB reads it, so the field holding it is named and the line is not left unread."""
    if len(digits.lstrip("-")) > INT_DIGITS:
        return float(digits)
    return int(digits)


_TIME = re.compile(TIME_PATTERN)
#: The check of a decoded line's fields: the detail of the first broken rule, or None.
_Check = Callable[[dict[str, object]], str | None]
_ABSENT = object()


def _test(rule: Rule) -> str:
    """Python: the value ``x`` keeps ``rule`` (a bool is no integer here)."""
    if rule.type == "string":
        test = 'type(x) is str and x != ""' if rule.non_empty else "type(x) is str"
    elif rule.type == "integer":
        test = f"type(x) is int and {rule.low} <= x <= {rule.high}"
    elif rule.type == "number":
        test = f"(type(x) is int or type(x) is float) and {rule.low} <= x <= {rule.high}"
    elif rule.type == "boolean":
        test = "type(x) is bool"
    else:
        test = "type(x) is str and fullmatch(x) is not None"
    return f"x is None or ({test})" if rule.null else test


def _checker(own: tuple[Field, ...]) -> _Check:
    """A function giving the detail of the first field of ``own`` (after CORE's and
    COMMON's) that a line has and that breaks its rule; None when there is none.

    It is written from the definition as Python source, as the report's SQL is: a line is
    checked on every read of a student's log, and a function call per field would double
    the time a read takes.
    """
    checked = [field for field in (*CORE, *COMMON, *own) if field.name != "v"]
    lines = ["def check(value):"]
    for number, field in enumerate(checked):
        lines += [
            f"    x = value.get({field.name!r}, absent)",
            f"    if x is not absent and not ({_test(field.rule)}):",
            f"        return details[{number}]",
        ]
    scope = {
        "absent": _ABSENT,
        "fullmatch": _TIME.fullmatch,
        "details": [detail(field) for field in checked],
    }
    exec(compile("\n".join(lines), f"<logline checks of {len(own)} fields>", "exec"), scope)  # noqa: S102
    return cast(_Check, scope["check"])  # the function just compiled from ``lines``


#: By event type (None: one the definition does not know), what :func:`fault` checks.
_CHECKS: dict[str | None, _Check] = {
    event_type: _checker(BY_TYPE.get(event_type, ()) if event_type is not None else ())
    for event_type in (*BY_TYPE, None)
}
_NEEDED = {event_type: frozenset(required(event_type)) for event_type in (*BY_TYPE, None)}


def fault(value: object) -> tuple[str, str] | None:
    """Why the decoded line ``value`` does not count, as (kind, detail); None if it counts.

    Faults are looked for in this order, and the first found is the one reported: not an
    object, a name given twice, another version, missing fields (all of them, by name),
    then each field in the order of CORE, COMMON and the type's own fields. A field the
    definition does not know for the line's type is ignored, as the contract says.
    """
    if not isinstance(value, dict):
        return NOT_JSON, "valid JSON, but not an object"
    if isinstance(value, Repeated):
        return BAD_FIELD, repeated_detail(value.repeated)
    version = value.get("v", VERSION)
    if type(version) is not int or version != VERSION:
        return UNKNOWN_VERSION, f"format version {version!r}; this reader knows {VERSION}"
    event_type = value.get("type")
    if type(event_type) is not str or event_type not in _CHECKS:
        event_type = None
    needed = _NEEDED[event_type]
    if not value.keys() >= needed:
        return MISSING_FIELD, missing_detail([name for name in needed if name not in value])
    bad = _CHECKS[event_type](value)
    return None if bad is None else (BAD_FIELD, bad)


# -- the rules in words ----------------------------------------------------------------


def rules_table() -> str:
    """The definition as a Markdown table, for docs/EVENTS.md (a test keeps them equal)."""
    rows = ["| events | field | must be | when absent |", "|---|---|---|---|"]
    groups = [("every event", CORE), ("any event", COMMON), *BY_TYPE.items()]
    for where, group in groups:
        for field in group:
            absent = "missing-field" if field.required else "fine"
            rows.append(f"| {where} | `{field.name}` | {field.rule.describe()} | {absent} |")
    return "\n".join(rows) + "\n"
