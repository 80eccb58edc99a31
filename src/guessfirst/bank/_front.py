"""A Markdown question's front matter: its ``key: value`` lines, read into typed options.

Kept apart from the body's sections (``_body``) because the two are read by different
rules: the front matter by keys and JSON values, the body by ``##`` headings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from . import _bounds
from ._bounds import form, shown
from ._spec import SHOWING, BankError, Where, front_matter, kinds, required, sections
from ._written import case, other_name, release

_KEY = re.compile(r"([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")
#: A ``- item`` line, in a front matter list and in a section of lines.
ITEM = re.compile(r"[ \t]*-(?:[ \t]+(.*))?$")

#: Makes the error for a problem found at a known line, or at a given line.
Fail = Callable[[str], BankError]
Locate = Callable[[int, str], BankError]
#: A value as the front matter writes it: one text, or a list of texts.
Written = str | list[str]


def at(fail: Locate, line: int) -> Fail:
    """``fail`` with its line given, for a reader that only knows the problem."""

    def failing(problem: str) -> BankError:
        return fail(line, problem)

    return failing


def article(word: str) -> str:
    """ "a numeric", "an order": the article a kind's name takes in a message."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def front(path: Path, lines: Sequence[tuple[int, str]], where: Where) -> dict[str, Written]:
    """``key: value`` lines, and ``key:`` followed by ``- item`` lines for a list."""
    values: dict[str, Written] = {}
    listing: list[str] | None = None
    listed: list[int] = []  # the line of each item of the list being read

    def fail(line: int, problem: str) -> BankError:
        qid = values.get("id")
        return BankError(path, line, qid if isinstance(qid, str) else None, problem)

    for number, line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = ITEM.match(line)
        if item and listing is not None:
            listing.append(_item((item[1] or "").strip(), at(fail, number)))
            listed.append(number)
            continue
        pair = _KEY.match(line)
        if pair is None:
            raise fail(
                number,
                f"expected 'key: value' here, not {shown(line.strip())} (a --- line opens a "
                "question's front matter: use *** for a horizontal rule)",
            )
        key, text = pair[1], (pair[2] or "").strip()
        if (problem := _bounds.too_long("this value", text)) is not None:
            raise fail(number, problem)
        if key in where.keys:
            raise fail(number, f"{shown(key)} is given twice (also at line {where.keys[key]})")
        where.keys[key] = number
        listing = None if text else []
        given = value(text, at(fail, number)) if text else listing
        assert given is not None  # a key without text opens the list it holds
        values[key] = given
        where.items[key] = listed = [number] * len(given) if isinstance(given, list) else []
    for key, given in values.items():
        if given in ([], ""):
            raise fail(where.keys[key], f"{shown(key)} has no value")
    return values


def _item(written: str, fail: Fail) -> str:
    """One ``- item`` of a front matter list: one piece of text."""
    if (problem := _bounds.too_long("this item", written)) is not None:
        raise fail(problem)
    found = value(written, fail)
    if not isinstance(found, str):
        raise fail("a list item is one piece of text, not a list")
    return found


def value(written: str, fail: Fail) -> Written:
    """Plain text as written; text starting with a quote or a bracket is JSON."""
    if not written.startswith(("[", '"')):
        return written
    if (problem := _bounds.json_problem(written, _bounds.MAX_VALUE_CHARS)) is not None:
        raise fail(
            f'a list holds quoted text, like ["1/3", "2/5"], and this one does not: {problem}'
        )
    try:
        data = json.loads(written)
    except ValueError as error:
        raise fail(f"{written} is not valid JSON: {error}") from None
    if isinstance(data, str):
        return data
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        return [str(item) for item in data]
    raise fail(f'a list holds quoted text, like ["1/3", "2/5"], not {written}')


def options(
    kind: str, values: Mapping[str, Written], where: Where, fail: Locate
) -> dict[str, object]:
    """The front matter's options as the question takes them, each checked on its own line."""
    allowed = ("id", "kind", *front_matter(kind), *SHOWING)
    for key, line in where.keys.items():
        if key in sections(kind):
            raise fail(line, f"the {key} goes in a ## {key.title()} section, below the prompt")
        if key not in allowed:
            raise fail(
                line,
                f"{article(kind)} question has no {shown(key)}; it takes: {', '.join(allowed)}",
            )
    missing = [key for key in required(kind) if key not in values and key not in sections(kind)]
    either = kinds()[kind].one_of
    if either and not any(key in values for key in either):
        missing.append(" (or ".join(either) + ")" * (len(either) - 1))
    if missing:
        raise fail(where.start, f"the front matter has no {' or '.join(missing)}")
    found = {
        key: _typed(key, given, at(fail, where.keys[key]))
        for key, given in values.items()
        if key not in ("id", "kind")
    }
    tests = values.get("tests", [])
    assert isinstance(tests, list)  # checked by _typed: tests are a list
    name = ""
    for line, test in zip(where.items.get("tests", []), tests, strict=True):
        try:
            written = case(test)
        except ValueError as error:
            raise fail(line, str(error)) from None
        if name and written.name != name:
            raise fail(line, other_name(test, name))
        name = written.name
    return found


def _typed(key: str, given: Written, fail: Fail) -> object:
    """A front matter value as the question takes it, or why it cannot be."""
    written, item = form(key)
    if written == "bool":
        if given not in ("true", "false"):
            raise fail(f"{key} is true or false (got {shown(given)})")
        return given == "true"
    try:
        if written == "number":
            return _bounds.number(key, given)
        if written == "whole":
            return _bounds.whole(key, given)
    except ValueError as error:
        raise fail(str(error)) from None
    if written == "text" and not isinstance(given, str):
        raise fail(f"{key} is one piece of text, not a list")
    if key == "release":
        try:
            release(given)
        except ValueError as error:
            raise fail(str(error)) from None
    if written == "list" and not isinstance(given, list):
        raise fail(f"{key} is a list: one '- {item}' line each, below '{key}:'")
    return given
