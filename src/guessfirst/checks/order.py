"""Order questions (Parsons problems): put the lines in the right order.

The student sees the lines shuffled, in an order of their own that stays the same on
every run, and arranges them; lines that belong in no answer (``distractors``) are left
out. With ``indent=True`` the lines are Python and each line's indentation is part of
the answer. A wrong arrangement names the first line out of place, unless the teacher
wrote feedback for that whole arrangement.

The log holds a response as the positions of its lines among the teacher's lines (the
items, then the distractors): ``[2, 0, 1]``, or ``[[2, 0], [0, 1]]`` with each line's
indentation level. Positions, not the lines' text, keep a long code line out of every
event, and never reach the card: the teacher often writes the items in the right order.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Mapping, Sequence

from ..i18n import text as _say
from ._base import Check, InvalidResponse, Verdict
from ._kind import Kind, Option
from ._misconception import Misconception
from ._numbers import _quote

#: A line is indented in steps of this many spaces, as Python is written.
INDENT = 4
#: More lines than a student can hold on a screen is not one problem but several.
_MAX_LINES = 40
#: Past this depth a line is not a lesson's Python.
_MAX_DEPTH = 8


class OrderCheck(Check):
    """Lines in the right order; with ``indent``, each at its right indentation."""

    KIND = Kind(
        name="order",
        title="Order",
        summary="Put the lines in the right order (a Parsons problem).",
        options=(
            Option(
                "items",
                "Sequence[str]",
                "the lines, Markdown or code; a bank lists them in the right order",
                form="lines",
                section="Items",
            ),
            Option(
                "answer",
                "Sequence[str] | None",
                "the items in the right order (by default, as listed)",
                None,
                in_banks=False,
            ),
            Option(
                "distractors",
                "Sequence[str]",
                "lines that belong in no answer",
                (),
                form="lines",
                section="Distractors",
            ),
            Option(
                "indent", "bool", "Python indentation is part of the answer", False, form="bool"
            ),
        ),
        interaction="sequencing",
        control="order",
        words=("input.order.arrange", "order.out_of_place", "order.indent", "order.left_out"),
        feedback_keys="order",
        free_text=False,
        in_parts=False,
    )
    __slots__ = ("_answer", "_depths", "_distractors", "_indent", "_items", "_keys")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        items: Sequence[str],
        answer: Sequence[str] | None = None,
        distractors: Sequence[str] = (),
        indent: bool = False,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[object, str | Misconception] | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=None, hints=hints)
        self._indent = bool(indent)
        written = self._lines(items, "items", at_least=2)
        self._items = tuple(self._bare(line) for line in written)
        self._distractors = tuple(
            self._bare(line) for line in self._lines(distractors, "distractors", at_least=0)
        )
        self._check_unique()
        ordered = written if answer is None else self._lines(answer, "the answer", at_least=2)
        self._answer, self._depths = self._arrangement(ordered, "the answer")
        if sorted(self._answer) != list(range(len(self._items))):
            raise self._fail("the answer must hold every item once, and no distractor")
        self._feedback = self._checked_feedback(feedback)
        self._keys = {self._key(key): key for key in self._feedback}

    @property
    def items(self) -> tuple[str, ...]:
        return self._items

    @property
    def distractors(self) -> tuple[str, ...]:
        return self._distractors

    @property
    def indent(self) -> bool:
        return self._indent

    def listed(self, student: str | None) -> list[str]:
        """Every line, shuffled for this student, never in the right order to begin with.

        The card sends back the lines' text, never positions, so nothing it holds points
        back to the teacher's order.

        Only ``Random.random`` is used, the one method Python promises to keep reproducible
        for a given seed, so a student sees the same order in every kernel and version.
        """
        lines = [*self._items, *self._distractors]
        digest = hashlib.sha256(f"{student or ''}\0{self._qid}\0order".encode()).digest()
        rng = random.Random(int.from_bytes(digest, "big"))  # noqa: S311 -- an order, not a secret
        # Shuffled from an order of their own (sorted), not the teacher's: teachers often
        # list the items in the right order, which no shuffle may give a way back to.
        shown = sorted(range(len(lines)), key=lambda index: lines[index])
        for last in range(len(shown) - 1, 0, -1):
            pick = int(rng.random() * (last + 1))
            shown[last], shown[pick] = shown[pick], shown[last]
        if shown[: len(self._answer)] == list(self._answer):
            shown = shown[1:] + shown[:1]  # already solved is no problem at all
        return [lines[index] for index in shown]

    def control_options(self) -> dict[str, object]:
        return {"indent": self._indent, "step": INDENT}

    def listed_markdown(self, value: str) -> str:
        """A code line (``indent=True``) shows as code, never read as Markdown."""
        if not self._indent:
            return value
        longest = max((len(part) for part in re.findall("`+", value)), default=0)
        ticks = "`" * (longest + 1)
        pad = " " if value.startswith("`") or value.endswith("`") else ""
        return f"{ticks}{pad}{value}{pad}{ticks}"

    def check(self, response: object) -> Verdict:
        positions, depths = self._arrangement(self._response_lines(response), None)
        logged = self._logged(positions, depths)
        shown = " / ".join((*self._items, *self._distractors)[index] for index in positions)
        correct = positions == self._answer and (not self._indent or depths == self._depths)
        if correct:
            return Verdict(True, logged, logged, None, None, shown=shown)
        key = self._keys.get((positions, depths if self._indent else ()))
        if key is not None:
            message = self._feedback[key]
            tag = self._tag(key, self._key_text(key))
            return Verdict(False, logged, logged, tag, message, shown=shown)
        message = self._out_of_place(positions, depths)
        return Verdict(False, logged, logged, None, message, shown=shown)

    def answers(self) -> list[str]:
        return [
            "\n".join(self._written(i, d) for i, d in zip(self._answer, self._depths, strict=True))
        ]

    @staticmethod
    def xapi_response(logged: str) -> str:
        """xAPI's sequencing format: choice ids joined by ``[,]`` (a line's id is its
        position, with ``@`` and its depth when indentation counts)."""
        try:
            arranged = json.loads(logged)
            return "[,]".join(
                f"{entry[0]}@{entry[1]}" if isinstance(entry, list) else str(int(entry))
                for entry in arranged
            )
        except (ValueError, TypeError, IndexError):
            return logged

    def shown_response(self, logged: str) -> str:
        """A logged response as the card shows it: the lines' text, indented, in JSON."""
        try:
            arranged = json.loads(logged)
            lines = [*self._items, *self._distractors]
            shown = [
                " " * (INDENT * entry[1]) + lines[entry[0]]
                if isinstance(entry, list)
                else lines[entry]
                for entry in arranged
            ]
        except (ValueError, TypeError, IndexError, KeyError):
            return ""
        return json.dumps(shown, ensure_ascii=False)

    def _rules(self) -> dict[str, object]:
        return {
            "items": list(self._items),
            "distractors": list(self._distractors),
            "indent": self._indent,
            "depths": list(self._depths) if self._indent else [],
        }

    # -- reading what the teacher and the student wrote ---------------------------------

    def _lines(self, lines: object, what: str, *, at_least: int) -> tuple[str, ...]:
        if isinstance(lines, (str, bytes)) or not isinstance(lines, Sequence):
            raise self._fail(f"{what} must be a list of lines")
        for number, line in enumerate(lines, start=1):
            if not isinstance(line, str) or not line.strip() or "\n" in line:
                raise self._fail(f"line {number} of {what} must be one non-empty line of text")
        if not at_least <= len(lines) <= _MAX_LINES:
            raise self._fail(
                f"{what} must have {at_least} to {_MAX_LINES} lines (got {len(lines)})"
            )
        return tuple(lines)

    def _bare(self, line: str) -> str:
        """A line without the indentation the student is to give it (``indent=True``)."""
        return line.strip() if self._indent else line.rstrip()

    def _check_unique(self) -> None:
        seen: set[str] = set()
        for line in (*self._items, *self._distractors):
            if line in seen:
                raise self._fail(f"the line {_quote(line)!r} appears twice: each line once")
            seen.add(line)

    def _arrangement(
        self, lines: Sequence[str], teacher: str | None
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Each line's position among the items and distractors, and its depth."""
        known = {line: index for index, line in enumerate((*self._items, *self._distractors))}
        positions, depths = [], []
        for line in lines:
            index = known.get(self._bare(line))
            depth = self._depth(line)
            if index is None or depth is None or index in positions:
                if teacher is not None:
                    raise self._fail(
                        f"{teacher} has {_quote(line.strip())!r}, which is not an item, "
                        "is there twice, or is not indented in steps of 4 spaces"
                    )
                raise InvalidResponse(_say("input.order.arrange"))
            positions.append(index)
            depths.append(depth)
        return tuple(positions), tuple(depths)

    def _depth(self, line: str) -> int | None:
        if not self._indent:
            return 0
        spaces = len(line) - len(line.lstrip(" "))
        if spaces % INDENT or spaces // INDENT > _MAX_DEPTH or line.startswith("\t"):
            return None
        return spaces // INDENT

    def _response_lines(self, response: object) -> list[str]:
        if (
            not isinstance(response, (list, tuple))
            or not response
            or len(response) > _MAX_LINES
            or not all(isinstance(line, str) for line in response)
        ):
            raise InvalidResponse(_say("input.order.arrange"))
        return list(response)

    def _logged(self, positions: Sequence[int], depths: Sequence[int]) -> str:
        if self._indent:
            return json.dumps([[p, d] for p, d in zip(positions, depths, strict=True)])
        return json.dumps(list(positions))

    def _written(self, index: int, depth: int) -> str:
        lines = (*self._items, *self._distractors)
        return " " * (INDENT * depth) + lines[index]

    # -- feedback ---------------------------------------------------------------------

    def _checked_feedback(self, feedback: object) -> dict[object, str]:
        checked = super()._checked_feedback(feedback)
        for key in checked:
            if self._key(key) == (self._answer, self._depths if self._indent else ()):
                raise self._never_shows(key)
        return checked

    def _key(self, key: object) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """A feedback key (a wrong arrangement, as lines or as a JSON list of them)."""
        lines = key
        if isinstance(key, str):
            try:
                lines = json.loads(key)
            except ValueError:
                lines = None
        if isinstance(lines, str) or not isinstance(lines, Sequence):
            raise self._fail(f"feedback key {key!r} must be an arrangement: a list of the lines")
        positions, depths = self._arrangement([str(line) for line in lines], "a feedback key")
        return positions, depths if self._indent else ()

    @staticmethod
    def _key_text(key: object) -> str:
        """The misconception a feedback key names in the log: its lines, as JSON."""
        if isinstance(key, str):
            return key
        assert isinstance(key, Sequence)  # ``_key`` refused any other key when it was built
        return json.dumps(list(key), ensure_ascii=False)

    def _out_of_place(self, positions: Sequence[int], depths: Sequence[int]) -> str:
        """Name the first line that is not where it belongs (or not at its depth)."""
        lines = (*self._items, *self._distractors)
        right = list(
            zip(
                self._answer, self._depths if self._indent else [0] * len(self._answer), strict=True
            )
        )
        given = list(zip(positions, depths if self._indent else [0] * len(positions), strict=True))
        for number, was in enumerate(given, start=1):
            if number > len(right) or was != right[number - 1]:
                line = self.listed_markdown(_quote(lines[was[0]]))
                placed = number <= len(right) and was[0] == right[number - 1][0]
                key = "order.indent" if placed else "order.out_of_place"
                return _say(key, number=number, line=line)
        return _say("order.left_out")
