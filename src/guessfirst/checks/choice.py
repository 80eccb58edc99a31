"""Choice questions: pick one, or tick several."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..i18n import text as _say
from ._base import Check, InvalidResponse, Verdict
from ._kind import Kind, Option

if TYPE_CHECKING:
    pass


class ChoiceCheck(Check):
    """Pick one of the choices, or tick several when the answer is given as a list."""

    KIND = Kind(
        name="choice",
        title="Choice",
        summary="Pick one choice, or tick several when ``answer`` is a list.",
        options=(
            Option("choices", "Sequence[str]", "the choices, as shown", form="list", item="choice"),
            Option(
                "answer",
                "str | Sequence[str]",
                "the right choice, or a list to tick",
                form="answer",
            ),
            Option(
                "shuffle",
                "bool",
                "show the choices in an order of each student's own",
                False,
                form="bool",
            ),
        ),
        interaction="choice",
        control="choice",
        free_text=False,
    )
    __slots__ = ("_answer", "_choices", "_multiple", "_shuffle")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        choices: Sequence[str],
        answer: str | Sequence[str],
        shuffle: bool = False,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._choices = self._checked_choices(choices)
        self._multiple = isinstance(answer, (list, tuple, set, frozenset))
        self._answer = self._checked_answer(answer)
        self._shuffle = bool(shuffle)
        for key in self._feedback:
            if key not in self._choices:
                raise self._fail(f"feedback key {key!r} is not one of the choices")
            if not self._multiple and key in self._answer:
                raise self._never_shows(key)

    @property
    def choices(self) -> tuple[str, ...]:
        return self._choices

    @property
    def multiple(self) -> bool:
        return self._multiple

    def order(self, student: str) -> list[str]:
        """The display order: per student when shuffled, and the same every time they look.

        Only ``Random.random`` is used, the one method Python promises to keep reproducible
        for a given seed, so a student sees the same order in every kernel and version.
        """
        shown = list(self._choices)
        if self._shuffle:
            digest = hashlib.sha256(f"{student}\0{self._qid}".encode()).digest()
            rng = random.Random(int.from_bytes(digest, "big"))  # noqa: S311 -- an order, not a secret
            for last in range(len(shown) - 1, 0, -1):
                pick = int(rng.random() * (last + 1))
                shown[last], shown[pick] = shown[pick], shown[last]
        return shown

    def listed(self, student: str | None) -> list[str]:
        return list(self._choices) if student is None else self.order(student)

    def check(self, response: object) -> Verdict:
        if self._multiple:
            return self._check_ticked(response)
        if not isinstance(response, str) or response not in self._choices:
            raise InvalidResponse(_say("input.choose_one"))
        correct = response in self._answer
        key = response if not correct and response in self._feedback else None
        return self._verdict(correct, response, response, key)

    def answers(self) -> list[str]:
        return [choice for choice in self._choices if choice in self._answer]

    def _rules(self) -> dict[str, object]:
        return {
            "choices": list(self._choices),
            "multiple": self._multiple,
            "shuffle": self._shuffle,
        }

    def _check_ticked(self, response: object) -> Verdict:
        if (
            not isinstance(response, (list, tuple))
            or not response
            or not all(isinstance(item, str) and item in self._choices for item in response)
            or len(set(response)) != len(response)
        ):
            raise InvalidResponse(_say("input.tick_one"))
        ticked = frozenset(response)
        text = json.dumps([c for c in self._choices if c in ticked], ensure_ascii=False)
        correct = ticked == self._answer
        return self._verdict(correct, text, text, None if correct else self._slip(ticked))

    def _slip(self, ticked: frozenset[str]) -> str | None:
        """The first wrongly ticked choice with feedback, else the first wrongly unticked one."""
        wrong = [c for c in self._choices if c in ticked - self._answer]
        missed = [c for c in self._choices if c in self._answer - ticked]
        return next((c for c in wrong + missed if c in self._feedback), None)

    def _checked_choices(self, choices: object) -> tuple[str, ...]:
        if isinstance(choices, str) or not isinstance(choices, Sequence):
            raise self._fail("choices must be a list of strings")
        seen: set[str] = set()
        for number, choice in enumerate(choices, start=1):
            if not isinstance(choice, str):
                raise self._fail(f"choice {number} must be a string (got {choice!r})")
            if not choice.strip():
                raise self._fail(f"choice {number} is empty")
            if choice in seen:
                raise self._fail(f"the choice {choice!r} appears twice")
            seen.add(choice)
        if len(choices) < 2:
            raise self._fail(f"needs at least 2 choices (got {len(choices)})")
        return tuple(choices)

    def _checked_answer(self, answer: object) -> frozenset[str]:
        many = (list, tuple, set, frozenset)  # as ``_multiple`` tells
        given = list(answer) if isinstance(answer, many) else [answer]
        if not given or answer is None:
            raise self._fail("has no answer: say which choice is correct")
        listed = ", ".join(repr(choice) for choice in self._choices)
        chosen: set[str] = set()
        for item in given:
            if not isinstance(item, str) or item not in self._choices:
                raise self._fail(f"the answer {item!r} is not one of the choices ({listed})")
            chosen.add(item)
        return frozenset(chosen)
