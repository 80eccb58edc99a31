"""A Markdown question's body: its prompt and ``##`` sections, each line still numbered.

The sections every kind has (``## Example``, ``## Hint``, ``## Feedback for <answer>``)
and those a kind declares through ``checks.Option.section`` (``## Code``, ``## Items``)
are read here, so a misplaced heading is reported at its own line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import _bounds
from ._bounds import shown
from ._front import ITEM, Locate, article, at, value
from ._spec import Where, kinds, sections

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
#: The title is stripped of trailing spaces in code: a lazy ``(.*?)[ \t]*$`` takes time
#: growing with the square of a long run of spaces.
_SECTION = re.compile(r" {0,3}##(?!#)(?:[ \t]+(.*))?$")
_STEP = re.compile(r" {0,3}###[ \t]+step(?:[ \t]+(\d+))?[ \t]*$", re.IGNORECASE)
_FEEDBACK = re.compile(r"feedback for\b(.*)", re.IGNORECASE)

#: A line of a question's body: its number, its text, and whether it is in a code block.
Line = tuple[int, str, bool]

#: What each form of section holds, as a bank's error messages describe it.
_FORMS = {
    "code": "the snippet, in one fenced code block",
    "lines": "one '- line' for each item",
}


@dataclass
class Section:
    """A ``##`` section of a question's body (or a ``### Step``), from its heading's line."""

    line: int
    lines: list[Line] = field(default_factory=list)
    title: str = ""


@dataclass
class Body:
    """A question's body cut into its prompt and sections, lines still numbered."""

    prompt: list[Line] = field(default_factory=list)
    example: Section | None = None
    #: Sections a kind declares for an option (``## Code``), by their title in lower case.
    options: dict[str, Section] = field(default_factory=dict)
    feedback: dict[str, Section] = field(default_factory=dict)
    hints: list[Section] = field(default_factory=list)


def closes(fence: str, line: str) -> bool:
    """Whether ``line`` ends the code block ``fence`` opened: as long a run, of the same mark."""
    mark = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and mark.startswith(fence)
        and set(mark) == {fence[0]}
    )


def body(lines: Sequence[Line], where: Where, fail: Locate) -> Body:
    """The prompt, then the ``## Example``, ``## Feedback for <answer>`` and ``## Hint``
    sections, and those a kind declares (``## Code``); hints keep the order they are
    written in, which is the order they open in."""
    found = Body()
    declared = {
        (option.section or "").casefold()
        for kind in kinds().values()
        for option in kind.options
        if option.section
    }
    target = found.prompt
    for number, line, fenced in lines:
        heading = None if fenced else _SECTION.match(line)
        if heading is None:
            in_example = found.example is not None and target is found.example.lines
            if not fenced and _STEP.match(line) and not in_example:
                raise fail(number, "a ### Step belongs in the ## Example section")
            target.append((number, line, fenced))
            continue
        title = (heading[1] or "").rstrip(" \t")
        section = Section(number)
        named = title.casefold()
        if named == "example" or named in declared:
            _place(found, section, title, fail)
        elif named == "hint":
            found.hints.append(section)
        elif wrong := _FEEDBACK.fullmatch(title):
            key = _feedback_key(wrong[1].strip(), number, where, fail)
            where.feedback[key] = number
            found.feedback[key] = section
        else:
            raise fail(
                number,
                f"{shown(line.strip())} is not a section of a question: use ## Example, "
                f"## Hint or ## Feedback for <answer> ({_declared_sections()}), "
                "and ### for headings inside them",
            )
        target = section.lines
    return found


def _place(found: Body, section: Section, title: str, fail: Locate) -> None:
    """Keep the ``## Example`` or a declared section, refusing a second of either."""
    named = title.casefold()
    earlier = found.example if named == "example" else found.options.get(named)
    if earlier is not None:
        raise fail(
            section.line, f"a second ## {title.title()} (the first is at line {earlier.line})"
        )
    if named == "example":
        found.example = section
    else:
        section.title = title.title()
        found.options[named] = section


def _feedback_key(written: str, number: int, where: Where, fail: Locate) -> str:
    """The answer a ``## Feedback for <answer>`` heading names, given once per question."""
    if (problem := _bounds.too_long("the answer", written)) is not None:
        raise fail(number, problem)
    key = value(written, at(fail, number))
    if isinstance(key, list) and key:  # a whole arrangement: its kind reads the JSON
        key = json.dumps(key, ensure_ascii=False)
    if not isinstance(key, str) or not key:
        raise fail(number, "say which answer the feedback is for: ## Feedback for 180")
    if key in where.feedback:
        raise fail(
            number,
            f"feedback for {key!r} is given twice (also at line {where.feedback[key]})",
        )
    return key


def _declared_sections() -> str:
    """ "or ## Code, for a predict question": the sections kinds declare, for a message."""
    declared = [
        f"## {option.section}, for {article(kind.name)} question"
        for kind in kinds().values()
        for option in kind.options
        if option.section
    ]
    return "or " + "; ".join(declared)


def section_options(
    kind: str, found: Body, where: Where, start: int, fail: Locate
) -> dict[str, object]:
    """The options the kind writes as sections, each read as its form says."""
    declared = {kinds()[kind].option(name).section or "": name for name in sections(kind)}
    for title, section in found.options.items():
        if title.title() not in declared:
            owners = " or ".join(
                article(other.name)
                for other in kinds().values()
                for option in other.options
                if (option.section or "").casefold() == title
            )
            raise fail(
                section.line,
                f"only {owners} question has a ## {title.title()} section, not a {kind}",
            )
    options: dict[str, object] = {}
    for title, name in declared.items():
        given = found.options.get(title.casefold())
        option = kinds()[kind].option(name)
        if given is None and not option.required:
            continue
        if given is None:
            raise fail(
                start,
                f"{article(kind)} question needs a ## {title} section below the prompt: "
                f"{_FORMS[option.form]}",
            )
        where.keys[name] = given.line
        options[name] = _snippet(given, fail) if option.form == "code" else _listed(given, fail)
    return options


def _listed(section: Section, fail: Locate) -> list[str]:
    """The items of a section written as ``- item`` lines, in order (a code line keeps
    its indentation after the ``- ``; a blank line between items is allowed)."""
    items: list[str] = []
    for number, line, fenced in section.lines:
        if not line.strip():
            continue
        marker = None if fenced else ITEM.match(line)
        if marker is None:
            raise fail(number, f"a ## {section.title} section holds one '- item' line each")
        written = line[line.index("-") + 1 :]
        item = written[1:] if written.startswith(" ") else written
        if not item.strip():
            raise fail(number, "this item is empty")
        items.append(item.rstrip())
    if not items:
        raise fail(section.line, f"this ## {section.title} section has no items")
    return items


def example(section: Section | None, fail: Locate) -> str | tuple[str, ...]:
    """The worked example: one text, or its steps when it is written in ``### Step``s.

    A step heading only marks where a step starts (the card numbers the steps itself); a
    number after it must be the step's own, so that a reordered step cannot go unnoticed.
    """
    if section is None:
        return ""
    before: list[Line] = []
    steps: list[Section] = []
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
        steps.append(Section(number))
    if not steps:
        if not joined(before):
            raise fail(section.line, "the example is empty")
        return joined(before)
    first = next((number for number, line, _ in before if line.strip()), None)
    if first is not None:
        raise fail(first, "text before the first ### Step: put it in a step of its own")
    for step in steps:
        if not joined(step.lines):
            raise fail(step.line, "this step is empty")
    return tuple(joined(step.lines) for step in steps)


def _snippet(section: Section, fail: Locate) -> str:
    """The one fenced code block of a ``## Code`` section, as the card will show it."""
    code: list[str] = []
    opened = False
    fence: tuple[str, int] | None = None  # the open block's fence and its indentation
    for number, line, fenced in section.lines:
        if not fenced:
            if line.strip():
                raise fail(number, "a ## Code section holds one fenced code block, nothing else")
        elif fence is None and not opened:
            mark = FENCE.match(line)
            assert mark is not None  # the first fenced line of a block is its fence
            fence, opened = (mark[1], len(line) - len(line.lstrip(" "))), True
        elif fence is None:
            raise fail(number, "a ## Code section holds one code block: this is a second one")
        elif closes(fence[0], line):
            fence = None
        else:
            indent = min(fence[1], len(line) - len(line.lstrip(" ")))
            code.append(line[indent:])
    if not opened:
        raise fail(section.line, "this ## Code section has no fenced code block")
    return "\n".join(code)


def joined(lines: Sequence[Line]) -> str:
    """The lines as Markdown, without the blank lines around them."""
    together = "\n".join(line for _, line, _ in lines)
    return re.sub(r"\A(?:[ \t]*\n)+", "", together.rstrip())
