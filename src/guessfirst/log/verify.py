"""Verifying a log file: every break of its hash chain, for a teacher to see.

Each line carries the hash of the line before it (``prev``), which shows where a
collected file was edited, cut or shuffled.
"""

from __future__ import annotations

from pathlib import Path

from .events import chain_hash
from .read import Problem, parse, split_lines


def verify(path: Path) -> list[Problem]:
    """All problems of ``path``, including every break of the hash chain; [] when intact.

    An edited line breaks the link to the line after it; a removed line breaks the link
    where it used to be; a moved line breaks the links around both places. Removing or
    editing the very last line cannot be seen by a chain and is not reported.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    parsed = parse(data, str(path))
    lines, _ = split_lines(data)
    hashes = [chain_hash(line) for line in lines]
    position = {digest: number for number, digest in enumerate(hashes, start=1)}
    problems = list(parsed.problems)
    for number, event in zip(parsed.numbers, parsed.events, strict=True):
        if event["prev"] != (hashes[number - 2] if number > 1 else ""):
            problems.append(
                Problem(str(path), number, *_chain_break(event["prev"], number, position))
            )
    return sorted(problems, key=lambda problem: problem.line)


def _chain_break(prev: object, number: int, position: dict[str, int]) -> tuple[str, str]:
    """Kind and detail for line ``number`` whose ``prev`` does not match the line before."""
    if prev == "":
        return "edited-or-reordered", "this line says it is the first, but it is not"
    earlier = position.get(prev) if isinstance(prev, str) else None
    if earlier is not None:
        return (
            "edited-or-reordered",
            f"this line was written right after line {earlier}: lines were moved",
        )
    if number == 1:
        return "removed", "the lines before this one are missing"
    return (
        "edited-or-reordered",
        f"line {number - 1} was edited, or lines between it and this one were removed",
    )
