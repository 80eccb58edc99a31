"""Reading a bank's Markdown: the file a teacher writes, and every mistake traced to its line.

A question is a ``---`` front matter block of ``key: value`` lines, then a prompt and its
``##`` sections. This only reads the text into ``Spec``s and the lines they came from;
whether the values make a question is for the question's own class, when it is built.
Sizes are checked here, each at its line, before a value is parsed (see ``_bounds``).
The front matter is read by ``_front``, the body's sections by ``_body``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import _bounds
from ._body import FENCE, Line, body, closes, example, joined, section_options
from ._bounds import shown
from ._front import front, options
from ._spec import BankError, Spec, Where, kinds


@dataclass
class _Block:
    """One question's raw lines: front matter, then body lines with whether code-fenced."""

    start: int
    close: int = 0
    front: list[tuple[int, str]] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


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
            if closes(fence[0], line):
                fence = None
        elif opening := FENCE.match(line):
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


def _question(path: Path, block: _Block) -> tuple[Spec, Where]:
    where = Where(block.start, block.close)
    values = front(path, block.front, where)
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
    found = options(kind, values, where, fail)
    sections = body(block.body, where, fail)
    found.update(section_options(kind, sections, where, block.start, fail))
    for hint in sections.hints:
        if not joined(hint.lines):
            raise fail(hint.line, "this hint is empty")
    spec = Spec(
        qid,
        kind,
        joined(sections.prompt),
        example(sections.example, fail),
        {key: joined(section.lines) for key, section in sections.feedback.items()},
        found,
        tuple(joined(hint.lines) for hint in sections.hints),
    )
    if (problem := _bounds.spec_problem(spec)) is not None:
        key, message = problem
        raise fail(where.keys.get(key, block.start), message)
    return spec, where
