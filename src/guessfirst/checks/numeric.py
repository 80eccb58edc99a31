"""Numeric questions: a number, within a tolerance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from ._base import Check, InvalidResponse, Verdict
from ._kind import Kind, Option
from ._numbers import _canonical, _exact, _finite, _is_finite_real, _unreadable, parse_number


class NumericCheck(Check):
    """A number, accepted within ``tol`` or ``rtol`` times the answer, whichever is wider."""

    KIND = Kind(
        name="numeric",
        title="Numeric",
        summary="A number, checked within an absolute ``tol`` or relative ``rtol``.",
        options=(
            Option("answer", "int | float | str | Fraction", "the right number", form="answer"),
            Option("tol", "float", "how far off an answer may be and count", 0.0, form="number"),
            Option("rtol", "float", "the same, as a fraction of the answer", 1e-9, form="number"),
        ),
        interaction="numeric",
        placeholder="answer.placeholder.numeric",
        feedback_keys="number",
        free_text=False,
    )
    __slots__ = ("_answer", "_keys", "_rtol", "_tol")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        answer: int | float | str | Fraction,
        tol: float = 0.0,
        rtol: float = 1e-9,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[Any, str] | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._answer = self._number(answer, "the answer")
        self._tol = self._tolerance(tol, "tolerance")
        self._rtol = self._tolerance(rtol, "relative tolerance")
        self._keys = tuple(
            (key, self._number(key, f"feedback key {key!r}")) for key in self._feedback
        )
        for key, value in self._keys:
            if self._within(value, self._answer):
                raise self._never_shows(key)

    def check(self, response: object) -> Verdict:
        text = str(response) if _is_finite_real(response) else response
        if not isinstance(text, str):
            raise InvalidResponse(_unreadable(str(response)))
        parsed = parse_number(text)
        value = _exact(parsed)
        correct = self._within(value, self._answer)
        return self._verdict(
            correct, text, _canonical(parsed), None if correct else self._near(value)
        )

    def answers(self) -> list[str]:
        return [_canonical(self._answer)]

    def _rules(self) -> dict[str, object]:
        return {"tol": _canonical(self._tol), "rtol": _canonical(self._rtol)}

    def _within(self, value: Fraction, target: Fraction) -> bool:
        return abs(value - target) <= max(self._tol, self._rtol * abs(target))

    def _near(self, value: Fraction) -> object:
        """The feedback key nearest the response, among those within tolerance of it."""
        close = [
            (abs(value - number), key) for key, number in self._keys if self._within(value, number)
        ]
        return min(close, key=lambda pair: pair[0])[1] if close else None

    def _number(self, value: object, what: str) -> Fraction:
        if isinstance(value, str):
            try:
                return _exact(parse_number(value))
            except InvalidResponse:
                raise self._fail(f"{what} {value!r} is not a number") from None
        exact = _finite(value)
        if exact is None:
            raise self._fail(f"{what} must be a finite number (got {value!r})")
        return exact

    def _tolerance(self, value: object, what: str) -> Fraction:
        exact = _finite(value)
        if exact is None:
            raise self._fail(f"{what} must be a finite number (got {value!r})")
        if exact < 0:
            raise self._fail(f"{what} must not be negative (got {value!r})")
        return exact
