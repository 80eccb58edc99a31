"""Reading a bank's Markdown: the file a teacher writes, and every mistake traced to its line.

A question is a ``---`` front matter block of ``key: value`` lines, then a prompt and its
``##`` sections. This only reads the text into ``Spec``s and the lines they came from;
whether the values make a question is for the question's own class, when it is built.
Sizes are checked here, each at its line, before a value is parsed (see ``_bounds``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import _bounds
from ._bounds import form, shown
from ._spec import SHOWING, BankError, Spec, Where, front_matter, kinds, required, sections
from ._written import case, other_name, release

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_KEY = re.compile(r"([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")
_ITEM = re.compile(r"[ \t]*-(?:[ \t]+(.*))?$")
#: The title is stripped of trailing spaces in code: a lazy ``(.*?)[ \t]*$`` takes time
#: growing with the square of a long run of spaces.
_SECTION = re.compile(r" {0,3}##(?!#)(?:[ \t]+(.*))?$")
_STEP = re.compile(r" {0,3}###[ \t]+step(?:[ \t]+(\d+))?[ \t]*$", re.IGNORECASE)
_FEEDBACK = re.compile(r"feedback for\b(.*)", re.IGNORECASE)

#: Makes the error for a problem found at a known line, or at a given line.
_Fail = Callable[[str], BankError]
_Locate = Callable[[int, str], BankError]
#: A line of a question's body: its number, its text, and whether it is in a code block.
_Line = tuple[int, str, bool]


@dataclass
class _Block:
    """One question's raw lines: front matter, then body lines with whether code-fenced."""

    start: int
    close: int = 0
    front: list[tuple[int, str]] = field(default_factory=list)
    body: list[_Line] = field(default_factory=list)


@dataclass
class _Section:
    """A ``##`` section of a question's body (or a ``### Step``), from its heading's line."""

    line: int
    lines: list[_Line] = field(default_factory=list)
    title: str = ""


@dataclass
class _Body:
    """A question's body cut into its prompt and sections, lines still numbered."""

    prompt: list[_Line] = field(default_factory=list)
    example: _Section | None = None
    #: Sections a kind declares for an option (``## Code``), by their title in lower case.
    options: dict[str, _Section] = field(default_factory=dict)
    feedback: dict[str, _Section] = field(default_factory=dict)
    hints: list[_Section] = field(default_factory=list)


def parsed(path: Path, text: str) -> list[tuple[Spec, Where]]:
    """Each question as written, with the lines it was written on."""
    found = []
    total = 0
    for block in _blocks(path, text):
        spec, where = _question(path, block)
        total += _bounds.parts([spec])
        if total > _bounds.MAX_PARTS:
            raise BankError(
                path,
                where.start,
                spec.qid,
                f"with this question the bank has {total:,} list items, feedback sections, "
                f"hints and steps, more than the {_bounds.MAX_PARTS:,} allowed: split it",
            )
        found.append((spec, where))
    return found


def _blocks(path: Path, text: str) -> list[_Block]:
    """Split the file at its ``---`` lines, leaving code blocks whole.

    Text before the first ``---`` is the teacher's own note: never shown, never sealed.
    """
    lines = text.splitlines()
    if len(lines) > _bounds.MAX_LINES:
        raise BankError(
            path,
            _bounds.MAX_LINES + 1,
            None,
            f"this file has {len(lines):,} lines, more than the {_bounds.MAX_LINES:,} a bank "
            "may have: split it",
        )
    blocks: list[_Block] = []
    in_front = False
    fence: tuple[str, int] | None = None  # the open code block's fence and its line
    for number, line in enumerate(lines, start=1):
        if in_front:
            if line.rstrip() == "---":
                in_front, blocks[-1].close = False, number
            else:
                blocks[-1].front.append((number, line))
            continue
        fenced = fence is not None
        if fence is not None:
            if _closes(fence[0], line):
                fence = None
        elif opening := _FENCE.match(line):
            fence, fenced = (opening[1], number), True
        elif line.rstrip() == "---":
            if len(blocks) == _bounds.MAX_QUESTIONS:
                raise BankError(
                    path,
                    number,
                    None,
                    f"this is question {len(blocks) + 1:,}, past the "
                    f"{_bounds.MAX_QUESTIONS:,} a bank may have: split it",
                )
            blocks.append(_Block(number))
            in_front = True
            continue
        if blocks:
            blocks[-1].body.append((number, line, fenced))
    if in_front:
        raise BankError(path, blocks[-1].start, None, "this front matter is never closed by ---")
    if fence is not None:
        raise BankError(path, fence[1], None, "this code block is never closed")
    if not blocks:
        raise BankError(path, None, None, "no questions: each starts with a --- line")
    return blocks


def _closes(fence: str, line: str) -> bool:
    """Whether ``line`` ends the code block ``fence`` opened: as long a run, of the same mark."""
    mark = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and mark.startswith(fence)
        and set(mark) == {fence[0]}
    )


def _question(path: Path, block: _Block) -> tuple[Spec, Where]:
    where = Where(block.start, block.close)
    values = _front(path, block, where)
    qid = values.get("id")
    if not isinstance(qid, str):
        line = where.keys.get("id", block.start)
        raise BankError(path, line, None, "every question needs an id: one piece of text")
    kind = values.get("kind")

    def fail(line: int, problem: str) -> BankError:
        return BankError(path, line, qid, problem)

    if not isinstance(kind, str) or kind not in kinds():
        line = where.keys.get("kind", block.start)
        raise fail(line, f"kind must be one of: {', '.join(kinds())} (got {shown(kind)})")
    options = _options(kind, values, where, fail)
    body = _sections(block, where, fail)
    options.update(_section_options(kind, body, where, block.start, fail))
    for hint in body.hints:
        if not _text(hint.lines):
            raise fail(hint.line, "this hint is empty")
    spec = Spec(
        qid,
        kind,
        _text(body.prompt),
        _example(body.example, fail),
        {key: _text(section.lines) for key, section in body.feedback.items()},
        options,
        tuple(_text(hint.lines) for hint in body.hints),
    )
    if (found := _bounds.spec_problem(spec)) is not None:
        key, problem = found
        raise fail(where.keys.get(key, block.start), problem)
    return spec, where


def _options(
    kind: str, values: Mapping[str, object], where: Where, fail: _Locate
) -> dict[str, object]:
    """The front matter's options as the question takes them, each checked on its own line."""
    allowed = ("id", "kind", *front_matter(kind), *SHOWING)
    for key, line in where.keys.items():
        if key in sections(kind):
            raise fail(line, f"the {key} goes in a ## {key.title()} section, below the prompt")
        if key not in allowed:
            raise fail(
                line, f"{_a(kind)} question has no {shown(key)}; it takes: {', '.join(allowed)}"
            )
    missing = [key for key in required(kind) if key not in values and key not in sections(kind)]
    either = kinds()[kind].one_of
    if either and not any(key in values for key in either):
        missing.append(" (or ".join(either) + ")" * (len(either) - 1))
    if missing:
        raise fail(where.start, f"the front matter has no {' or '.join(missing)}")
    options = {
        key: _typed(key, value, lambda problem, at=where.keys[key]: fail(at, problem))
        for key, value in values.items()
        if key not in ("id", "kind")
    }
    tests = options.get("tests", [])
    assert isinstance(tests, list)
    name = ""
    for line, test in zip(where.items.get("tests", []), tests, strict=True):
        try:
            written = case(test)
        except ValueError as error:
            raise fail(line, str(error)) from None
        if name and written.name != name:
            raise fail(line, other_name(test, name))
        name = written.name
    return options


def _front(path: Path, block: _Block, where: Where) -> dict[str, object]:
    """``key: value`` lines, and ``key:`` followed by ``- item`` lines for a list."""
    values: dict[str, object] = {}
    listing: list[str] | None = None
    listed: list[int] = []  # the line of each item of the list being read

    def fail(line: int, problem: str) -> BankError:
        qid = values.get("id")
        return BankError(path, line, qid if isinstance(qid, str) else None, problem)

    for number, line in block.front:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        if item and listing is not None:
            written = (item[1] or "").strip()
            if (problem := _bounds.too_long("this item", written)) is not None:
                raise fail(number, problem)
            value = _value(written, lambda problem, at=number: fail(at, problem))
            if not isinstance(value, str):
                raise fail(number, "a list item is one piece of text, not a list")
            listing.append(value)
            listed.append(number)
            continue
        pair = _KEY.match(line)
        if pair is None:
            raise fail(
                number,
                f"expected 'key: value' here, not {shown(line.strip())} (a --- line opens a "
                "question's front matter: use *** for a horizontal rule)",
            )
        key, value = pair[1], (pair[2] or "").strip()
        if (problem := _bounds.too_long("this value", value)) is not None:
            raise fail(number, problem)
        if key in where.keys:
            raise fail(number, f"{shown(key)} is given twice (also at line {where.keys[key]})")
        where.keys[key] = number
        listing = None if value else []
        values[key] = (
            _value(value, lambda problem, at=number: fail(at, problem)) if value else listing
        )
        given = values[key]
        where.items[key] = listed = [number] * len(given) if isinstance(given, list) else []
    for key, value in values.items():
        if value in ([], ""):
            raise fail(where.keys[key], f"{shown(key)} has no value")
    return values


def _value(value: str, fail: _Fail) -> str | list[str]:
    """Plain text as written; text starting with a quote or a bracket is JSON."""
    if not value.startswith(("[", '"')):
        return value
    if (problem := _bounds.json_problem(value, _bounds.MAX_VALUE_CHARS)) is not None:
        raise fail(
            f'a list holds quoted text, like ["1/3", "2/5"], and this one does not: {problem}'
        )
    try:
        data = json.loads(value)
    except ValueError as error:
        raise fail(f"{value} is not valid JSON: {error}") from None
    if isinstance(data, str) or (
        isinstance(data, list) and all(isinstance(item, str) for item in data)
    ):
        return data
    raise fail(f'a list holds quoted text, like ["1/3", "2/5"], not {value}')


def _typed(key: str, value: object, fail: _Fail) -> object:
    """A front matter value as the question takes it, or why it cannot be."""
    written, item = form(key)
    if written == "bool":
        if value not in ("true", "false"):
            raise fail(f"{key} is true or false (got {shown(value)})")
        return value == "true"
    try:
        if written == "number":
            return _bounds.number(key, value)
        if written == "whole":
            return _bounds.whole(key, value)
    except ValueError as error:
        raise fail(str(error)) from None
    if written == "text" and not isinstance(value, str):
        raise fail(f"{key} is one piece of text, not a list")
    if key == "release":
        try:
            release(value)
        except ValueError as error:
            raise fail(str(error)) from None
    if written == "list" and not isinstance(value, list):
        raise fail(f"{key} is a list: one '- {item}' line each, below '{key}:'")
    return value


def _section_options(
    kind: str, body: _Body, where: Where, start: int, fail: _Locate
) -> dict[str, object]:
    """The options the kind writes as sections, each read as its form says."""
    declared = {kinds()[kind].option(name).section or "": name for name in sections(kind)}
    for title, section in body.options.items():
        if title.title() not in declared:
            owners = " or ".join(
                _a(other.name)
                for other in kinds().values()
                for option in other.options
                if (option.section or "").casefold() == title
            )
            raise fail(
                section.line,
                f"only {owners} question has a ## {title.title()} section, not a {kind}",
            )
    found: dict[str, object] = {}
    for title, name in declared.items():
        section = body.options.get(title.casefold())
        option = kinds()[kind].option(name)
        if section is None and not option.required:
            continue
        if section is None:
            raise fail(
                start,
                f"{_a(kind)} question needs a ## {title} section below the prompt: "
                f"{_FORMS[option.form]}",
            )
        where.keys[name] = section.line
        found[name] = _snippet(section, fail) if option.form == "code" else _listed(section, fail)
    return found


#: What each form of section holds, as a bank's error messages describe it.
_FORMS = {
    "code": "the snippet, in one fenced code block",
    "lines": "one '- line' for each item",
}


def _listed(section: _Section, fail: _Locate) -> list[str]:
    """The items of a section written as ``- item`` lines, in order (a code line keeps
    its indentation after the ``- ``; a blank line between items is allowed)."""
    items: list[str] = []
    for number, line, fenced in section.lines:
        if not line.strip():
            continue
        marker = None if fenced else _ITEM.match(line)
        if marker is None:
            raise fail(number, f"a ## {section.title} section holds one '- item' line each")
        text = line[line.index("-") + 1 :]
        item = text[1:] if text.startswith(" ") else text
        if not item.strip():
            raise fail(number, "this item is empty")
        items.append(item.rstrip())
    if not items:
        raise fail(section.line, f"this ## {section.title} section has no items")
    return items


def _sections(block: _Block, where: Where, fail: _Locate) -> _Body:
    """The prompt, then the ``## Example``, ``## Feedback for <answer>`` and ``## Hint``
    sections, and those a kind declares (``## Code``); hints keep the order they are
    written in, which is the order they open in."""
    body = _Body()
    declared = {
        (option.section or "").casefold()
        for kind in kinds().values()
        for option in kind.options
        if option.section
    }
    target = body.prompt
    for number, line, fenced in block.body:
        heading = None if fenced else _SECTION.match(line)
        if heading is None:
            if not fenced and _STEP.match(line) and target is not _lines(body.example):
                raise fail(number, "a ### Step belongs in the ## Example section")
            target.append((number, line, fenced))
            continue
        title = (heading[1] or "").rstrip(" \t")
        wrong = _FEEDBACK.fullmatch(title)
        section = _Section(number)
        named = title.casefold()
        if named == "example" or named in declared:
            earlier = body.example if named == "example" else body.options.get(named)
            if earlier is not None:
                raise fail(
                    number, f"a second ## {title.title()} (the first is at line {earlier.line})"
                )
            if named == "example":
                body.example = section
            else:
                section.title = title.title()
                body.options[named] = section
        elif title.casefold() == "hint":
            body.hints.append(section)
        elif wrong:
            written = wrong[1].strip()
            if (problem := _bounds.too_long("the answer", written)) is not None:
                raise fail(number, problem)
            key = _value(written, lambda problem, at=number: fail(at, problem))
            if isinstance(key, list) and key:  # a whole arrangement: its kind reads the JSON
                key = json.dumps(key, ensure_ascii=False)
            if not isinstance(key, str) or not key:
                raise fail(number, "say which answer the feedback is for: ## Feedback for 180")
            if key in body.feedback:
                raise fail(
                    number,
                    f"feedback for {key!r} is given twice (also at line {where.feedback[key]})",
                )
            where.feedback[key] = number
            body.feedback[key] = section
        else:
            raise fail(
                number,
                f"{shown(line.strip())} is not a section of a question: use ## Example, "
                f"## Hint or ## Feedback for <answer> ({_declared_sections()}), "
                "and ### for headings inside them",
            )
        target = section.lines
    return body


def _a(word: str) -> str:
    """ "a numeric", "an order": the article a kind's name takes in a message."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _declared_sections() -> str:
    """ "or ## Code, for a predict question": the sections kinds declare, for a message."""
    declared = [
        f"## {option.section}, for {_a(kind.name)} question"
        for kind in kinds().values()
        for option in kind.options
        if option.section
    ]
    return "or " + "; ".join(declared)


def _lines(section: _Section | None) -> list[_Line] | None:
    return None if section is None else section.lines


def _example(section: _Section | None, fail: _Locate) -> str | tuple[str, ...]:
    """The worked example: one text, or its steps when it is written in ``### Step``s.

    A step heading only marks where a step starts (the card numbers the steps itself); a
    number after it must be the step's own, so that a reordered step cannot go unnoticed.
    """
    if section is None:
        return ""
    before: list[_Line] = []
    steps: list[_Section] = []
    for number, line, fenced in section.lines:
        marker = None if fenced else _STEP.match(line)
        if marker is None:
            (steps[-1].lines if steps else before).append((number, line, fenced))
            continue
        written = marker[1]
        if written is not None and (
            len(written.lstrip("0")) > _bounds.MAX_WHOLE_DIGITS  # int() refuses 4,300 digits
            or int(written) != len(steps) + 1
        ):
            raise fail(number, f"this is step {len(steps) + 1} of the example, not {written[:20]}")
        steps.append(_Section(number))
    if not steps:
        if not _text(before):
            raise fail(section.line, "the example is empty")
        return _text(before)
    written = next((number for number, line, _ in before if line.strip()), None)
    if written is not None:
        raise fail(written, "text before the first ### Step: put it in a step of its own")
    for step in steps:
        if not _text(step.lines):
            raise fail(step.line, "this step is empty")
    return tuple(_text(step.lines) for step in steps)


def _snippet(section: _Section, fail: _Locate) -> str:
    """The one fenced code block of a ``## Code`` section, as the card will show it."""
    code: list[str] | None = None
    fence: tuple[str, int] | None = None  # the open block's fence and its indentation
    for number, line, fenced in section.lines:
        if not fenced:
            if line.strip():
                raise fail(number, "a ## Code section holds one fenced code block, nothing else")
        elif fence is None and code is None:
            mark = _FENCE.match(line)
            assert mark is not None  # the first fenced line of a block is its fence
            fence, code = (mark[1], len(line) - len(line.lstrip(" "))), []
        elif fence is None:
            raise fail(number, "a ## Code section holds one code block: this is a second one")
        elif _closes(fence[0], line):
            fence = None
        else:
            indent = min(fence[1], len(line) - len(line.lstrip(" ")))
            code.append(line[indent:])
    if code is None:
        raise fail(section.line, "this ## Code section has no fenced code block")
    return "\n".join(code)


def _text(lines: Sequence[_Line]) -> str:
    """The lines as Markdown, without the blank lines around them."""
    joined = "\n".join(line for _, line, _ in lines)
    return re.sub(r"\A(?:[ \t]*\n)+", "", joined.rstrip())
