"""Release times and code tests: options both formats keep as the text the teacher wrote.

They stay text in a sealed copy too, so that reading one never runs anything: a test is
read with ``ast.literal_eval``, and a release time must carry its offset from UTC.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from ._bounds import cut, shown

#: ISO 8601 as every supported Python's ``datetime.fromisoformat`` reads it, offset apart.
_RELEASE = re.compile(r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:\d{2})?")
_RELEASE_LIKE = "like 2026-12-01T09:00+08:00"
_TEST_LIKE = "like mean([2, 4, 6]) == 4"
#: A feedback section's message: its text, or the misconception it names.
_Message = TypeVar("_Message")
#: A release time a day from the ends of Python's calendar: a card shows it in the
#: student's own time zone, and ``astimezone`` past year 9999 is an OverflowError.
_EARLIEST, _LATEST = datetime.min + timedelta(days=2), datetime.max - timedelta(days=2)


@dataclass(frozen=True)
class Case:
    """One code test, ``name(args) == expected``, and its parsed form to match feedback by."""

    name: str
    args: tuple[object, ...]
    expected: object
    tree: ast.expr = field(repr=False, compare=False)

    @property
    def shape(self) -> str:
        """Worked out only to match feedback: it is most of the time reading a test takes."""
        return ast.dump(self.tree)


def release(text: object) -> datetime:
    """A release time: ISO 8601 with its offset, so it is one moment on every computer."""
    match = _RELEASE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"release is a date and time with its offset, {_RELEASE_LIKE} (got {shown(text)})"
        )
    if match[2] is None:
        raise ValueError(
            f"release {text!r} has no offset from UTC, so it would be another moment on "
            f"each computer: add one, {_RELEASE_LIKE}"
        )
    try:
        moment = datetime.fromisoformat(match[1] + ("+00:00" if match[2] == "Z" else match[2]))
    except ValueError as error:
        raise ValueError(f"release {text!r} is not a real time: {error}") from None
    try:
        utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        utc = datetime.max
    if not _EARLIEST <= utc <= _LATEST:
        raise ValueError(f"release {text!r} is out of range: use a year from 0002 to 9998")
    return moment


def case(line: str) -> Case:
    """One test line, ``name(args) == expected``, read as data: nothing in it runs."""
    written = line.strip()
    shape = f"a test is written name(arguments) == expected, {_TEST_LIKE} (got {shown(written)})"
    try:
        tree = ast.parse(written, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # the parser gives up on deep nesting with a RecursionError or a MemoryError
        raise ValueError(shape) from None
    if not (
        isinstance(tree, ast.Compare)
        and len(tree.ops) == 1
        and isinstance(tree.ops[0], ast.Eq)
        and isinstance(tree.left, ast.Call)
        and isinstance(tree.left.func, ast.Name)
        and not tree.left.keywords
    ):
        raise ValueError(shape)
    values = []
    for node in (*tree.left.args, tree.comparators[0]):
        try:
            values.append(ast.literal_eval(node))
        except (ValueError, TypeError, RecursionError, MemoryError):
            segment = cut(ast.get_source_segment(written, node))
            raise ValueError(
                f"in the test {shown(written)}, {segment} is not a "
                "literal: arguments and expected values are numbers, text, True, False, "
                "None, or lists, tuples, dicts and sets of them"
            ) from None
    return Case(tree.left.func.id, tuple(values[:-1]), values[-1], tree)


def cases(tests: object) -> list[Case]:
    """Every test, all calling the one function the question asks for."""
    if not isinstance(tests, list) or not tests or not all(isinstance(t, str) for t in tests):
        raise ValueError(f"tests is a list of lines, each {_TEST_LIKE}")
    found = [case(line) for line in tests]
    for line, each in zip(tests, found, strict=True):
        if each.name != found[0].name:
            raise ValueError(other_name(line, found[0].name))
    return found


def other_name(line: str, name: str) -> str:
    return f"every test calls the same function, {name}, and {shown(line.strip())} does not"


def case_feedback(tests: Sequence[Case], feedback: Mapping[str, _Message]) -> dict[int, _Message]:
    """Feedback headings name a test as written (spacing aside); the question counts from 0."""
    if not feedback:
        return {}
    index: dict[str, int] = {}
    for position, each in enumerate(tests):
        index.setdefault(each.shape, position)
    given: dict[int, _Message] = {}
    for key, message in feedback.items():
        try:
            number = index.get(case(key).shape)
        except ValueError:
            number = None
        if number is None:
            raise ValueError(
                f"feedback for {shown(key)} is not one of the tests: name a test as it is "
                f"written under tests:, {_TEST_LIKE}"
            )
        if number in given:
            raise ValueError(f"feedback for {key!r} is given twice for the same test")
        given[number] = message
    return given
